"""抽调干部考核 on stored appraisals: the steps by role with their facts, the 优秀 cap per round counted from
the records (the round's other groups and deleted appraisals included / left out), what an edit may not
change, and the cap as an audited setting."""

from __future__ import annotations

import dataclasses
import json
from datetime import datetime

import pytest
from sqlalchemy import select

from tests.builders import Context, appraisal, make_context
from xuncha_desktop.domain import vocab
from xuncha_desktop.domain.errors import ValidationError, WorkflowError
from xuncha_desktop.domain.organization import User
from xuncha_desktop.domain.personnel_evaluations import MemberAppraisal
from xuncha_desktop.domain.record_types import APPRAISAL, GROUP
from xuncha_desktop.services.records.appraisal_workflow import (
    AUDIT_ACTION,
    SETTINGS_KEY,
    AppraisalWorkflow,
    load_excellent_cap,
    parse_cap,
    round_grades,
    save_excellent_cap,
)
from xuncha_desktop.services.records.record_service import RecordService
from xuncha_desktop.services.rectification.settings import write_setting
from xuncha_desktop.services.workspace import Workspace
from xuncha_desktop.storage.database import write_transaction
from xuncha_desktop.storage.tables import audit_log

AT = datetime(2025, 4, 25, 10, 0, 0)
LEADER = User(login="zhang", display_name="张组长", role="组长")
OFFICE = User(login="zhou", display_name="周主任", role=vocab.OFFICE_ADMIN)


def flow(ws: Workspace) -> AppraisalWorkflow:
    return AppraisalWorkflow(ws, clock=lambda: AT)


def saved(ws: Workspace, ctx: Context, name: str, **kw: object) -> MemberAppraisal:
    return flow(ws).save(appraisal(ctx, name=name, **kw))


def as_user(ws: Workspace, user: User) -> AppraisalWorkflow:
    ws.user = user
    return flow(ws)


def test_an_appraisal_goes_from_recommendation_to_approval(workspace: Workspace, ctx: Context) -> None:
    a = saved(workspace, ctx, "李明", group_opinion="表现良好")
    assert (a.status, a.approvals, a.approved_grade) == ("待推荐", [], "")
    as_user(workspace, LEADER).perform("recommend", a.id, "表现良好")
    with pytest.raises(ValidationError) as caught:
        as_user(workspace, OFFICE).perform("office_opinion", a.id)
    assert [e.field for e in caught.value.errors] == ["office_opinion"]
    stored = RecordService[MemberAppraisal](workspace, APPRAISAL).get(a.id)
    flow(workspace).save(dataclasses.replace(stored, office_opinion="同意巡察组意见"))
    flow(workspace).perform("office_opinion", a.id, "同意巡察组意见")
    approved = flow(workspace).perform("approve", a.id)
    assert (approved.status, approved.approved_grade) == ("已审定", "称职")
    assert [(e["step"], e["by"], e["role"], e["opinion"]) for e in approved.approvals] == [
        ("推荐等次", "张组长", "组长", "表现良好"),
        ("提出考核意见", "周主任", vocab.OFFICE_ADMIN, "同意巡察组意见"),
        ("审定等次", "周主任", vocab.OFFICE_ADMIN, "审定等次：称职"),
    ]
    assert approved.approvals[0]["at"] == "2025-04-25T10:00:00"


def test_recommending_needs_the_grade_and_the_leader(workspace: Workspace, ctx: Context) -> None:
    a = saved(workspace, ctx, "李明", grade="")
    with pytest.raises(WorkflowError, match="推荐等次须由组长进行"):
        as_user(workspace, OFFICE).perform("recommend", a.id)
    with pytest.raises(ValidationError) as caught:
        as_user(workspace, LEADER).perform("recommend", a.id)
    assert [e.message for e in caught.value.errors] == ["请填写鉴定等次（推荐等次）"]


def _recommend_all(ws: Workspace, ctx: Context, grades: list[str]) -> list[MemberAppraisal]:
    made = [saved(ws, ctx, f"组员{i}", grade=g) for i, g in enumerate(grades)]
    for a in made[:-1]:
        as_user(ws, LEADER).perform("recommend", a.id)
    return made


def test_the_recommendation_cap_refuses_one_excellent_too_many(workspace: Workspace, ctx: Context) -> None:
    # 10 appraisals in the round: at most 2 优秀 (20 %).
    made = _recommend_all(workspace, ctx, ["优秀", "优秀", *["称职"] * 7, "优秀"])
    with pytest.raises(WorkflowError) as caught:
        as_user(workspace, LEADER).perform("recommend", made[-1].id)
    assert str(caught.value) == (
        "本轮已推荐优秀 2 人，共 10 人，优秀比例不得超过 20%（最多 2 人），不能再将“组员9”推荐为优秀"
    )
    stored = RecordService[MemberAppraisal](workspace, APPRAISAL).get(made[-1].id)
    assert (stored.status, stored.approvals) == ("待推荐", [])  # nothing saved
    save_excellent_cap(workspace, 30)  # the office raises the cap: 3 of 10 now pass
    assert as_user(workspace, LEADER).perform("recommend", made[-1].id).status == "已推荐"


def test_the_round_counts_every_group_and_leaves_out_deleted_and_pending(
    workspace: Workspace, ctx: Context
) -> None:
    other_group = RecordService[object](workspace, GROUP).save(
        dataclasses.replace(ctx.group, id="", ordinal=3)
    )
    other = Context(ctx.round, other_group, ctx.target)  # type: ignore[arg-type]
    a = saved(workspace, ctx, "甲", grade="优秀")
    b = saved(workspace, other, "乙", grade="优秀")
    saved(workspace, other, "丙", grade="优秀")  # 待推荐: not counted as recommended
    gone = saved(workspace, ctx, "丁", grade="优秀")
    elsewhere = make_context(workspace, ordinal=4)
    saved(workspace, elsewhere, "戊", grade="优秀")  # another round
    save_excellent_cap(workspace, 100)
    for x in (a, b, gone):
        as_user(workspace, LEADER).perform("recommend", x.id)
    RecordService[MemberAppraisal](workspace, APPRAISAL).delete(gone.id)
    grades = round_grades(workspace, ctx.round.id, excluding=a.id)
    assert (grades.others, grades.recommended_excellent, grades.approved_excellent) == (2, 1, 0)


def test_the_approval_cap_counts_decisions_and_an_approved_grade_may_differ(
    workspace: Workspace, ctx: Context
) -> None:
    made = [saved(workspace, ctx, f"组员{i}", grade="称职", office_opinion="同意") for i in range(5)]
    for a in made:
        as_user(workspace, LEADER).perform("recommend", a.id)
        as_user(workspace, OFFICE).perform("office_opinion", a.id)
    records = RecordService[MemberAppraisal](workspace, APPRAISAL)
    first = flow(workspace).save(dataclasses.replace(records.get(made[0].id), approved_grade="优秀"))
    assert flow(workspace).perform("approve", first.id).approvals[-1]["opinion"] == (
        "审定等次：优秀（推荐等次：称职）"
    )
    second = flow(workspace).save(dataclasses.replace(records.get(made[1].id), approved_grade="优秀"))
    with pytest.raises(
        WorkflowError, match=r"本轮已审定优秀 1 人，共 5 人，优秀比例不得超过 20%（最多 1 人）"
    ):
        flow(workspace).perform("approve", second.id)


def test_an_edit_keeps_the_state_and_may_not_change_what_a_step_settled(
    workspace: Workspace, ctx: Context
) -> None:
    a = saved(workspace, ctx, "李明")
    recommended = as_user(workspace, LEADER).perform("recommend", a.id)
    forged = dataclasses.replace(recommended, status="已审定", approvals=[], self_summary="补充小结")
    kept = flow(workspace).save(forged)
    assert (kept.status, len(kept.approvals), kept.self_summary) == ("已推荐", 1, "补充小结")
    with pytest.raises(ValidationError) as caught:
        flow(workspace).save(dataclasses.replace(kept, grade="优秀", approved_grade="优秀"))
    assert [e.field for e in caught.value.errors] == ["grade", "approved_grade"]
    assert "请先退回" in caught.value.errors[0].message


def test_returning_sends_it_back_for_a_new_recommendation(workspace: Workspace, ctx: Context) -> None:
    a = saved(workspace, ctx, "李明")
    as_user(workspace, LEADER).perform("recommend", a.id)
    back = as_user(workspace, OFFICE).perform("return", a.id, "请补充工作实绩")
    assert back.status == "待推荐" and back.approvals[-1]["opinion"] == "请补充工作实绩"
    changed = flow(workspace).save(dataclasses.replace(back, grade="优秀"))  # the grade may change again
    assert changed.grade == "优秀"


def test_the_cap_setting_defaults_to_twenty_and_is_audited(workspace: Workspace) -> None:
    assert load_excellent_cap(workspace) == 20
    save_excellent_cap(workspace, 15)
    assert load_excellent_cap(workspace) == 15
    with workspace.engine.connect() as conn:
        rows = conn.execute(select(audit_log.c.changes).where(audit_log.c.action == AUDIT_ACTION)).all()
    assert [json.loads(r.changes) for r in rows] == [{"excellent_share_percent": [20, 15]}]
    with pytest.raises(ValidationError, match="优秀比例上限应为 0 至 100 之间的整数"):
        save_excellent_cap(workspace, 101)
    with write_transaction(workspace.engine) as conn:
        write_setting(conn, SETTINGS_KEY, "{not json")
    assert load_excellent_cap(workspace) == 20


@pytest.mark.parametrize(("typed", "value"), [("20", 20), (" 25% ", 25), ("0", 0), ("100％", 100)])
def test_a_typed_cap_is_read_as_a_whole_percentage(typed: str, value: int) -> None:
    assert parse_cap(typed) == value


@pytest.mark.parametrize("typed", ["", "二十", "20.5", "-1", "120"])
def test_a_typed_cap_outside_the_range_is_refused_naming_it(typed: str) -> None:
    with pytest.raises(ValidationError, match="优秀比例上限应为 0 至 100 之间的整数"):
        parse_cap(typed)
