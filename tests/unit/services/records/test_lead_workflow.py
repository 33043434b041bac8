"""问题线索 stages: facts required per stage, roles per step, the stamps a step adds."""

from __future__ import annotations

import dataclasses
from datetime import date

import pytest

from tests.builders import Context, lead
from xuncha_desktop.domain.errors import ValidationError, WorkflowError
from xuncha_desktop.domain.lead_registrations import LeadRegistration
from xuncha_desktop.domain.organization import User
from xuncha_desktop.domain.record_types import LEAD
from xuncha_desktop.services.records.lead_workflow import LeadWorkflow
from xuncha_desktop.services.records.record_service import RecordService
from xuncha_desktop.services.workspace import Workspace

TODAY = date(2025, 4, 1)


def test_a_lead_walks_every_stage_with_its_facts(workspace: Workspace, ctx: Context) -> None:
    records = RecordService[LeadRegistration](workspace, LEAD)
    flow = LeadWorkflow(workspace, today=lambda: TODAY)
    saved = records.save(lead(ctx, group_opinion="问题具体，有可查性"))
    judged = flow.perform("judge", saved.id)
    assert (judged.status, judged.group_opinion_on) == ("已研判", TODAY)
    records.save(dataclasses.replace(judged, proposed_disposal="移交纪检监察机关"))
    proposed = flow.perform("propose", saved.id)
    assert (proposed.leader_approver, proposed.leader_approved_on) == ("管理员", TODAY)
    records.save(
        dataclasses.replace(
            proposed, transfer_unit="县纪委监委", transfer_on=date(2025, 3, 20), receiver="王科长"
        )
    )
    transferred = flow.perform("transfer", saved.id)
    records.save(dataclasses.replace(transferred, outcome_type="初步核实", feedback_on=date(2025, 3, 28)))
    fed_back = flow.perform("feedback", saved.id)
    closed = flow.perform("close", saved.id)
    assert [fed_back.status, closed.status, closed.closed] == ["已反馈", "已销号", True]
    assert flow.available(closed) == []


def test_a_stage_without_its_facts_is_refused_on_the_field(workspace: Workspace, ctx: Context) -> None:
    saved = RecordService[LeadRegistration](workspace, LEAD).save(lead(ctx))
    with pytest.raises(ValidationError) as caught:
        LeadWorkflow(workspace).perform("judge", saved.id)
    assert [e.field for e in caught.value.errors] == ["group_opinion"]


def test_a_wrong_role_or_stage_is_a_chinese_workflow_error(workspace: Workspace, ctx: Context) -> None:
    saved = RecordService[LeadRegistration](workspace, LEAD).save(lead(ctx, group_opinion="可查"))
    flow = LeadWorkflow(workspace)
    with pytest.raises(WorkflowError, match="不能移交"):
        flow.perform("transfer", saved.id)
    workspace.user = User(login="x", display_name="小王", role="组员")
    with pytest.raises(WorkflowError, match="研判须由组长、副组长进行"):
        flow.perform("judge", saved.id)


def test_a_lead_to_be_closed_on_site_is_not_transferred(workspace: Workspace) -> None:
    waiting = LeadRegistration(id="x", status="拟处置", proposed_disposal="了结")
    assert LeadWorkflow(workspace).refusal("transfer", waiting) == "拟处置建议为“了结”的线索不需要移交"
