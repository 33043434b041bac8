"""The rectification records' own rules: every validator check, and the date helpers at their edges
(weekends, month ends, leap years, the day a task falls due)."""

from __future__ import annotations

import dataclasses
from datetime import date
from decimal import Decimal

import pytest

from xuncha_desktop.domain import rectification as rect
from xuncha_desktop.domain.rectification import (
    LeadReconciliation,
    RecheckResult,
    RectificationFeedback,
    RectificationTask,
    SupervisionNote,
)

TODAY = date(2025, 10, 1)
SCOPE = {"round_id": "r", "group_id": "g", "target_id": "t"}


def _fields(errors: list[rect.FieldError]) -> list[str]:
    return [e.field for e in errors]


# -- dates --------------------


@pytest.mark.parametrize(
    ("start", "days", "expected"),
    [
        (date(2025, 6, 10), 15, date(2025, 7, 1)),  # Tuesday + 15 working days: three weeks
        (date(2025, 6, 13), 1, date(2025, 6, 16)),  # Friday + 1: the Monday
        (date(2025, 6, 14), 1, date(2025, 6, 16)),  # Saturday + 1: the Monday
        (date(2025, 6, 15), 5, date(2025, 6, 20)),  # Sunday + 5: that Friday
        (date(2025, 6, 14), 0, date(2025, 6, 14)),  # no days: the start itself
        (date(2024, 12, 27), 3, date(2025, 1, 1)),  # across the year (holidays are not known)
    ],
)
def test_add_working_days_skips_weekends(start: date, days: int, expected: date) -> None:
    assert rect.add_working_days(start, days) == expected
    assert expected.weekday() < 5 or days == 0


@pytest.mark.parametrize(
    ("start", "months", "expected"),
    [
        (date(2025, 6, 10), 3, date(2025, 9, 10)),
        (date(2025, 1, 31), 1, date(2025, 2, 28)),  # no 31 February: the month's last day
        (date(2024, 1, 31), 1, date(2024, 2, 29)),  # leap year
        (date(2025, 3, 31), 1, date(2025, 4, 30)),
        (date(2025, 11, 30), 3, date(2026, 2, 28)),  # across the year
        (date(2025, 10, 15), 12, date(2026, 10, 15)),
        (date(2025, 5, 31), -3, date(2025, 2, 28)),  # backwards too
        (date(2025, 2, 28), 0, date(2025, 2, 28)),
    ],
)
def test_add_months_keeps_the_day_or_takes_the_months_last(start: date, months: int, expected: date) -> None:
    assert rect.add_months(start, months) == expected


def _task(**kw: object) -> RectificationTask:
    values: dict[str, object] = dict(
        issue="违规发放津补贴", responsible_unit="县财政局", due_on=date(2025, 9, 30)
    )
    values.update(kw)
    return RectificationTask(**SCOPE, **values)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("status", "due_on", "today", "overdue", "soon"),
    [
        ("整改中", date(2025, 9, 30), date(2025, 10, 1), True, False),  # the day after its 时限
        ("未启动", date(2025, 9, 30), date(2025, 9, 30), False, True),  # due today: not yet overdue
        ("整改中", date(2025, 10, 15), date(2025, 10, 1), False, True),  # in 14 days: soon
        ("整改中", date(2025, 10, 16), date(2025, 10, 1), False, False),  # in 15 days
        ("已完成", date(2025, 9, 1), date(2025, 10, 1), False, False),  # finished late is not overdue
        ("基本完成持续整改", date(2025, 10, 2), date(2025, 10, 1), False, False),
        ("未完成", date(2025, 9, 1), date(2025, 10, 1), False, False),  # ended, not open
        ("整改中", None, date(2025, 10, 1), False, False),
    ],
)
def test_overdue_and_due_soon_only_for_open_tasks(
    status: str, due_on: date | None, today: date, overdue: bool, soon: bool
) -> None:
    task = _task(status=status, due_on=due_on)
    assert rect.is_overdue(task, today) is overdue
    assert rect.is_due_soon(task, today) is soon


def test_due_soon_takes_its_days() -> None:
    task = _task(due_on=date(2025, 10, 6))
    assert not rect.is_due_soon(task, date(2025, 10, 1), days=4)
    assert rect.is_due_soon(task, date(2025, 10, 1), days=5)
    assert rect.is_due_soon(_task(due_on=date(2025, 10, 1)), date(2025, 10, 1), days=0)


# -- 巡察反馈 --------------------


def test_a_complete_feedback_is_valid() -> None:
    fb = RectificationFeedback(**SCOPE, given_on=date(2025, 6, 10), plan_due_on=date(2025, 7, 1))
    assert rect.validate_feedback(fb, TODAY) == []


def test_feedback_needs_its_context_date_and_a_known_form() -> None:
    errors = rect.validate_feedback(RectificationFeedback(form="电话"), TODAY)
    assert _fields(errors) == ["round_id", "group_id", "target_id", "given_on", "form"]
    future = RectificationFeedback(**SCOPE, given_on=date(2025, 10, 2))
    assert _fields(rect.validate_feedback(future, TODAY)) == ["given_on"]


@pytest.mark.parametrize(
    "name", ["plan_due_on", "plan_received_on", "report_due_on", "report_received_on", "meeting_held_on"]
)
def test_no_date_of_a_feedback_lies_before_the_feedback(name: str) -> None:
    fb = RectificationFeedback(**SCOPE, given_on=date(2025, 6, 10), **{name: date(2025, 6, 9)})
    [error] = rect.validate_feedback(fb, TODAY)
    assert error.field == name and error.message.endswith("不能早于反馈日期")


@pytest.mark.parametrize("name", ["plan_received_on", "report_received_on", "meeting_held_on"])
def test_what_happened_cannot_be_in_the_future(name: str) -> None:
    fb = RectificationFeedback(**SCOPE, given_on=date(2025, 6, 10), **{name: date(2025, 10, 2)})
    assert _fields(rect.validate_feedback(fb, TODAY)) == [name]
    due = RectificationFeedback(**SCOPE, given_on=date(2025, 6, 10), report_due_on=date(2026, 1, 1))
    assert rect.validate_feedback(due, TODAY) == []  # a due date may be ahead


# -- 整改任务 --------------------


def test_a_task_needs_its_context_issue_unit_and_deadline() -> None:
    errors = rect.validate_task(RectificationTask(), TODAY)
    assert _fields(errors) == ["round_id", "group_id", "target_id", "issue", "responsible_unit", "due_on"]
    assert rect.validate_task(_task(), TODAY) == []


def test_task_values_are_checked() -> None:
    assert _fields(rect.validate_task(_task(issue="问" * 501), TODAY)) == ["issue"]
    assert _fields(rect.validate_task(_task(status="搁置"), TODAY)) == ["status"]
    assert _fields(rect.validate_task(_task(institutions=-1, accountability=-2), TODAY)) == [
        "institutions",
        "accountability",
    ]
    assert _fields(rect.validate_task(_task(amount_recovered_yuan=Decimal("-1")), TODAY)) == [
        "amount_recovered_yuan"
    ]


@pytest.mark.parametrize("status", ["已完成", "基本完成持续整改"])
def test_a_finished_task_needs_its_completion_date_not_in_the_future(status: str) -> None:
    [error] = rect.validate_task(_task(status=status), TODAY)
    assert (error.field, error.message) == ("completed_on", f"状态为“{status}”时请填写完成日期")
    assert _fields(rect.validate_task(_task(status=status, completed_on=date(2025, 10, 2)), TODAY)) == [
        "completed_on"
    ]


def _done(**kw: object) -> RectificationTask:
    return _task(status="已完成", completed_on=date(2025, 9, 1), **kw)


def test_acceptance_needs_who_and_when_a_finished_task_and_a_date_after_completion() -> None:
    assert rect.validate_task(_done(accepted_by="王主任", accepted_on=date(2025, 9, 2)), TODAY) == []
    assert _fields(rect.validate_task(_done(accepted_by="王主任"), TODAY)) == ["accepted_on"]
    assert _fields(rect.validate_task(_done(accepted_on=date(2025, 9, 2)), TODAY)) == ["accepted_by"]
    unfinished = _task(status="整改中", accepted_by="王主任", accepted_on=date(2025, 9, 2))
    assert [(e.field, e.message) for e in rect.validate_task(unfinished, TODAY)] == [
        ("status", "任务状态为“整改中”，尚未完成，不能验收")
    ]
    early = _done(accepted_by="王主任", accepted_on=date(2025, 8, 31))
    assert [e.message for e in rect.validate_task(early, TODAY)] == ["验收日期不能早于完成日期"]
    future = _done(accepted_by="王主任", accepted_on=date(2025, 10, 2))
    assert _fields(rect.validate_task(future, TODAY)) == ["accepted_on"]


def test_closing_needs_acceptance_first_and_a_date_after_it() -> None:
    accepted = _done(accepted_by="王主任", accepted_on=date(2025, 9, 2))
    assert rect.validate_task(dataclasses.replace(accepted, closed_on=date(2025, 9, 3)), TODAY) == []
    [error] = rect.validate_task(_done(closed_on=date(2025, 9, 3), closed_by="王主任"), TODAY)
    assert (error.field, error.message) == ("closed_on", "销号前须先验收（填写验收人和验收日期）")
    assert _fields(rect.validate_task(dataclasses.replace(accepted, closed_by="王主任"), TODAY)) == [
        "closed_on"
    ]
    early = dataclasses.replace(accepted, closed_on=date(2025, 9, 1))
    assert [e.message for e in rect.validate_task(early, TODAY)] == ["销号日期不能早于验收日期"]
    future = dataclasses.replace(accepted, closed_on=date(2025, 10, 2))
    assert _fields(rect.validate_task(future, TODAY)) == ["closed_on"]


# -- 督导, 回头看, 对账 --------------------


def test_a_supervision_note_needs_its_task_date_and_progress() -> None:
    assert _fields(rect.validate_supervision(SupervisionNote(), TODAY)) == ["task_id", "noted_on", "progress"]
    note = SupervisionNote(task_id="x", noted_on=date(2025, 9, 1), progress="已退还")
    assert rect.validate_supervision(note, TODAY) == []
    assert rect.validate_supervision(dataclasses.replace(note, status_then=""), TODAY) == []
    assert _fields(rect.validate_supervision(dataclasses.replace(note, status_then="搁置"), TODAY)) == [
        "status_then"
    ]
    later = dataclasses.replace(note, noted_on=date(2025, 10, 2))
    assert _fields(rect.validate_supervision(later, TODAY)) == ["noted_on"]


def test_a_recheck_needs_its_round_task_date_and_a_known_result() -> None:
    assert _fields(rect.validate_recheck(RecheckResult(), TODAY)) == [
        "round_id",
        "task_id",
        "checked_on",
        "result",
    ]
    ok = RecheckResult(round_id="r", task_id="x", checked_on=date(2025, 9, 1), result="属实整改")
    assert rect.validate_recheck(ok, TODAY) == []
    for bad in (
        dataclasses.replace(ok, result="基本属实"),
        dataclasses.replace(ok, checked_on=date(2025, 10, 2)),
    ):
        assert len(rect.validate_recheck(bad, TODAY)) == 1


def test_a_reconciliation_needs_its_round_a_known_organ_and_a_past_date() -> None:
    errors = rect.validate_reconciliation(LeadReconciliation(organ="公安局"), TODAY)
    assert _fields(errors) == ["round_id", "organ", "reconciled_on"]
    ok = LeadReconciliation(round_id="r", organ="组织部", reconciled_on=date(2025, 9, 1))
    assert rect.validate_reconciliation(ok, TODAY) == []
    later = dataclasses.replace(ok, reconciled_on=date(2025, 10, 2))
    assert _fields(rect.validate_reconciliation(later, TODAY)) == ["reconciled_on"]
