"""问题线索 steps at their edges: what each step stamps and keeps, and what an unsaved lead is offered."""

from __future__ import annotations

import dataclasses
from datetime import date

from xuncha_desktop.domain.lead_registrations import LeadRegistration
from xuncha_desktop.domain.organization import User
from xuncha_desktop.services.records.lead_workflow import (
    CLOSE,
    FEEDBACK,
    JUDGE,
    PROPOSE,
    TRANSFER,
    LeadWorkflow,
    refusal,
    take_step,
)
from xuncha_desktop.services.workspace import Workspace

TODAY = date(2025, 4, 1)
EARLIER = date(2025, 3, 20)
LEADER = User(login="zhang", display_name="张组长", role="组长")


def test_each_step_stamps_only_its_own_facts() -> None:
    judged_before = LeadRegistration(status="已登记", group_opinion_on=EARLIER)
    assert take_step(JUDGE, judged_before, LEADER, TODAY).group_opinion_on == EARLIER
    judged = take_step(JUDGE, LeadRegistration(status="已登记"), LEADER, TODAY)
    assert (judged.status, judged.group_opinion_on, judged.leader_approver, judged.closed) == (
        "已研判",
        TODAY,
        "",
        False,
    )
    transferred = take_step(
        TRANSFER, LeadRegistration(status="拟处置", proposed_disposal="移交纪检监察机关"), LEADER, TODAY
    )
    assert (transferred.status, transferred.group_opinion_on, transferred.leader_approver) == (
        "已移交",
        None,
        "",
    )
    answered = take_step(FEEDBACK, LeadRegistration(status="已移交"), LEADER, TODAY)
    assert (answered.status, answered.closed, answered.leader_approved_on) == ("已反馈", False, None)
    closed = take_step(CLOSE, LeadRegistration(status="已反馈"), LEADER, TODAY)
    assert (closed.status, closed.closed, closed.group_opinion_on) == ("已销号", True, None)


def test_the_leaders_approval_keeps_what_was_filled_in() -> None:
    filled = LeadRegistration(status="已研判", leader_approver="王书记", leader_approved_on=EARLIER)
    proposed = take_step(PROPOSE, filled, LEADER, TODAY)
    assert (proposed.status, proposed.leader_approver, proposed.leader_approved_on) == (
        "拟处置",
        "王书记",
        EARLIER,
    )
    stamped = take_step(
        PROPOSE, dataclasses.replace(filled, leader_approver="", leader_approved_on=None), LEADER, TODAY
    )
    assert (stamped.leader_approver, stamped.leader_approved_on) == ("张组长", TODAY)


def test_a_lead_without_a_disposal_needs_no_transfer() -> None:
    reason = refusal(TRANSFER, LeadRegistration(status="拟处置"), LEADER)
    assert reason == "拟处置建议为“未填写”的线索不需要移交"


def test_an_unsaved_lead_is_offered_no_step_a_saved_one_its_next(workspace: Workspace) -> None:
    flow = LeadWorkflow(workspace, today=lambda: TODAY)
    assert flow.available(LeadRegistration(status="已登记")) == []
    assert flow.available(LeadRegistration(id="l1", status="已登记")) == [JUDGE]
    assert flow.available(LeadRegistration(id="l1", status="已反馈")) == [CLOSE]
