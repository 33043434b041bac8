"""整改任务: checks against the feedback and the 底稿, 督导 notes, 验收 and 销号, the lists with overdue and
due soon by the settings' days, and the deadlines a unit owes."""

from __future__ import annotations

import dataclasses
from datetime import date
from typing import Any

import pytest

from tests.builders import Context
from tests.unit.services.rectification.conftest import feedback_for, other_unit, signed
from xuncha_desktop.domain.errors import ValidationError
from xuncha_desktop.domain.record_types import TASK
from xuncha_desktop.domain.rectification import RectificationTask, SupervisionNote
from xuncha_desktop.services.records.record_service import RecordService
from xuncha_desktop.services.rectification.feedback import give_feedback, save_feedback
from xuncha_desktop.services.rectification.settings import RectificationSettings, save_settings
from xuncha_desktop.services.rectification.tasks import TaskQuery, TaskService, deadlines
from xuncha_desktop.services.workspace import Workspace

TODAY = date(2025, 9, 1)


def _tasks(ws: Workspace, ctx: Context, *titles: str, **kw: Any) -> list[RectificationTask]:
    for title in titles:
        signed(ws, ctx, title)
    return give_feedback(ws, feedback_for(ctx), **kw)[1]


def _refused(ws: Workspace, call: Any) -> list[tuple[str, str]]:
    with pytest.raises(ValidationError) as caught:
        call()
    return [(e.field, e.message) for e in caught.value.errors]


def test_a_deadline_before_the_feedback_date_is_refused_at_the_deadline(
    office: Workspace, octx: Context
) -> None:
    [task] = _tasks(office, octx, "违规发放津补贴")
    service = TaskService(office)
    errors = _refused(office, lambda: service.save(dataclasses.replace(task, due_on=date(2025, 6, 9))))
    assert errors == [("due_on", "整改时限不能早于反馈日期（2025-06-10）")]
    assert service.get(task.id).due_on == task.due_on


def test_a_task_for_an_issue_of_another_unit_is_refused(office: Workspace, octx: Context) -> None:
    [task] = _tasks(office, octx, "违规发放津补贴")
    foreign = signed(office, other_unit(office, octx), "别的单位的问题")
    service = TaskService(office)
    errors = _refused(office, lambda: service.save(dataclasses.replace(task, draft_id=foreign.id)))
    assert errors == [("draft_id", f"问题底稿“{foreign.number}”属于“清河县教育局党组”，不是本单位的问题")]
    new = RectificationTask(**octx.scope, issue="另一个问题", responsible_unit="财政局", due_on=TODAY)
    errors = _refused(office, lambda: service.save(dataclasses.replace(new, draft_id=foreign.id)))
    assert [f for f, _ in errors] == ["draft_id"]
    unit = other_unit(office, octx, "清河县卫健局党组")
    moved = dataclasses.replace(task, id="", number="", target_id=unit.target.id, draft_id="")
    assert _refused(office, lambda: service.save(moved)) == [
        ("feedback_id", "所属巡察反馈是对其他单位的反馈")
    ]


def test_a_task_without_feedback_or_draft_saves_with_its_own_checks(office: Workspace, octx: Context) -> None:
    service = TaskService(office)
    saved = service.save(
        RectificationTask(**octx.scope, issue="自查发现的问题", responsible_unit="财政局", due_on=TODAY)
    )
    assert saved.number.endswith("整改-001")
    assert [f for f, _ in _refused(office, lambda: service.save(RectificationTask(**octx.scope)))] == [
        "issue",
        "responsible_unit",
        "due_on",
    ]


def test_notes_record_the_state_then_and_come_oldest_first(office: Workspace, octx: Context) -> None:
    [task] = _tasks(office, octx, "违规发放津补贴")
    service = TaskService(office)
    service.add_note(
        task.id, SupervisionNote(noted_on=date(2025, 8, 5), noted_by="王主任", progress="已制定制度")
    )
    service.save(dataclasses.replace(task, status="整改中"))
    service.add_note(
        task.id, SupervisionNote(noted_on=date(2025, 7, 5), noted_by="王主任", progress="已退还部分")
    )
    service.add_note(
        task.id, SupervisionNote(noted_on=date(2025, 8, 20), progress="全部退还", status_then="已完成")
    )
    notes = service.notes(task.id)
    assert [(n.progress, n.status_then) for n in notes] == [
        ("已退还部分", "整改中"),
        ("已制定制度", "未启动"),
        ("全部退还", "已完成"),
    ]
    assert {(n.task_id, n.target_id, n.round_id) for n in notes} == {(task.id, task.target_id, task.round_id)}
    assert _refused(office, lambda: service.add_note(task.id, SupervisionNote(progress="无日期")))[0][0] == (
        "noted_on"
    )


def test_close_is_refused_before_acceptance_and_accept_before_completion(
    office: Workspace, octx: Context
) -> None:
    [task] = _tasks(office, octx, "违规发放津补贴")
    service = TaskService(office)
    errors = _refused(office, lambda: service.close(task.id, by="王主任", on=date(2025, 8, 1)))
    assert ("closed_on", "销号前须先验收（填写验收人和验收日期）") in errors
    errors = _refused(
        office, lambda: service.accept(task.id, by="王主任", on=date(2025, 8, 1), opinion="同意")
    )
    assert errors == [("status", "任务状态为“未启动”，尚未完成，不能验收")]
    assert service.get(task.id) == task  # nothing saved
    service.save(dataclasses.replace(task, status="已完成", completed_on=date(2025, 7, 30)))
    accepted = service.accept(task.id, by="王主任", on=date(2025, 8, 1), opinion="整改到位")
    assert (accepted.accepted_by, accepted.acceptance_opinion) == ("王主任", "整改到位")
    closed = service.close(task.id, by="李科长", on=date(2025, 8, 2))
    assert (closed.closed_on, closed.closed_by) == (date(2025, 8, 2), "李科长")


def _spread(office: Workspace, octx: Context) -> dict[str, RectificationTask]:
    """Five tasks of one feedback, due around TODAY, with given states."""
    tasks = _tasks(office, octx, "甲问题", "乙问题", "丙问题", "丁问题", "戊问题")
    service = TaskService(office)
    plan = {
        "甲问题": (date(2025, 8, 31), "整改中"),  # overdue by one day
        "乙问题": (date(2025, 9, 1), "未启动"),  # due today: soon
        "丙问题": (date(2025, 9, 15), "整改中"),  # due in 14 days: soon by default
        "丁问题": (date(2025, 9, 16), "未启动"),  # in 15 days
        "戊问题": (date(2025, 7, 1), "已完成"),  # past its date but done
    }
    out = {}
    for t in tasks:
        due, status = plan[t.issue]
        done = date(2025, 6, 30) if status == "已完成" else None
        out[t.issue] = service.save(dataclasses.replace(t, due_on=due, status=status, completed_on=done))
    return out


def _issues(service: TaskService, **kw: Any) -> list[str]:
    return [t.issue for t in service.list(TaskQuery(today=TODAY, **kw))]


def test_overdue_and_due_soon_follow_the_settings_days(office: Workspace, octx: Context) -> None:
    _spread(office, octx)
    service = TaskService(office)
    assert _issues(service, due="overdue") == ["甲问题"]
    assert _issues(service, due="soon") == ["乙问题", "丙问题"]
    save_settings(office, RectificationSettings(due_soon_days=15))
    assert _issues(service, due="soon") == ["乙问题", "丙问题", "丁问题"]
    save_settings(office, RectificationSettings(due_soon_days=0))
    assert _issues(service, due="soon") == ["乙问题"]
    assert service.count(TaskQuery(today=TODAY, due="overdue")) == 1


def test_the_list_filters_by_context_state_and_text_in_deadline_order(
    office: Workspace, octx: Context
) -> None:
    _spread(office, octx)
    other = other_unit(office, octx)
    signed(office, other, "其他单位的问题")
    give_feedback(office, feedback_for(other))
    service = TaskService(office)
    assert _issues(service) == ["戊问题", "甲问题", "乙问题", "其他单位的问题", "丙问题", "丁问题"]
    assert _issues(service, target_id=octx.target.id, status="未启动") == ["乙问题", "丁问题"]
    assert _issues(service, target_id=other.target.id) == ["其他单位的问题"]
    assert _issues(service, text="丙问题") == ["丙问题"]
    assert service.count(TaskQuery(round_id=octx.round.id, group_id=octx.group.id)) == 6
    assert [t.issue for t in service.list(TaskQuery(), offset=1, limit=2)] == ["甲问题", "乙问题"]
    RecordService[Any](office, TASK).delete(service.list(TaskQuery(text="甲问题"))[0].id)
    assert "甲问题" not in _issues(service)
    with pytest.raises(ValueError):
        service.list(TaskQuery(due="later"))


def test_deadlines_of_a_unit_stand_out_when_overdue(office: Workspace, octx: Context) -> None:
    signed(office, octx, "违规发放津补贴")
    saved, _ = give_feedback(office, feedback_for(octx))  # plan due 2025-07-01, report 2025-09-10
    lines = deadlines(office, date(2025, 7, 2), round_id=octx.round.id)
    assert [(d.what, d.due_on, d.overdue, d.days_left) for d in lines] == [
        ("整改方案", date(2025, 7, 1), True, -1),
        ("整改报告", date(2025, 9, 10), False, 70),
        ("专题民主生活会", date(2025, 9, 10), False, 70),
    ]
    assert {(d.feedback_id, d.unit_name) for d in lines} == {(saved.id, "清河县财政局党组")}
    save_feedback(office, dataclasses.replace(saved, plan_received_on=date(2025, 7, 2)))
    plan = deadlines(office, date(2025, 9, 11))[0]
    assert (plan.done_on, plan.overdue, plan.days_left) == (date(2025, 7, 2), False, None)
    assert [d.overdue for d in deadlines(office, date(2025, 9, 11))[1:]] == [True, True]
    assert deadlines(office, TODAY, round_id="另一轮") == []
