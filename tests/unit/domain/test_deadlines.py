"""Every rule with a deadline or a date limit at its exact boundary: the day (or moment) before, the day
itself, and the day after."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from pathlib import Path

import pytest

from tests.unit.services.security.test_backups import NOW, _fake, _infos
from xuncha_desktop.domain import vocab
from xuncha_desktop.domain.common import Checker
from xuncha_desktop.domain.lead_registrations import LeadRegistration, feedback_due, is_overdue
from xuncha_desktop.services.security import backups, sign_in_attempts
from xuncha_desktop.services.security.sign_in_attempts import AttemptGuard
from xuncha_desktop.services.workspace import Workspace

TRANSFERRED = LeadRegistration(transfer_on=date(2025, 1, 1))
DUE = date(2025, 4, 3)  # 2025-01-01 + 92 days ("3 个月内反馈", counted as 92 days)


# -- 线索办理反馈: three months after the transfer ------------------------------------------------------
def test_feedback_is_due_92_days_after_the_transfer() -> None:
    assert vocab.FEEDBACK_DEADLINE_DAYS == 92
    assert feedback_due(TRANSFERRED) == DUE
    assert feedback_due(LeadRegistration(transfer_on=date(2024, 12, 31))) == DUE - timedelta(days=1)
    assert feedback_due(LeadRegistration()) is None


@pytest.mark.parametrize(
    ("today", "overdue"),
    [(DUE - timedelta(days=1), False), (DUE, False), (DUE + timedelta(days=1), True)],
)
def test_a_lead_is_overdue_from_the_day_after_the_due_day(today: date, overdue: bool) -> None:
    assert is_overdue(TRANSFERRED, today) is overdue


def test_feedback_or_no_transfer_is_never_overdue() -> None:
    late = DUE + timedelta(days=400)
    answered = LeadRegistration(transfer_on=date(2025, 1, 1), feedback_on=DUE + timedelta(days=1))
    assert not is_overdue(answered, late)
    assert not is_overdue(LeadRegistration(), late)


# -- dates that may not lie in the future, or before another date -----------------------------------------
TODAY = date(2025, 6, 30)


@pytest.mark.parametrize(
    ("value", "errors"),
    [(TODAY - timedelta(days=1), []), (TODAY, []), (TODAY + timedelta(days=1), ["谈话日期不能晚于今天"])],
)
def test_a_date_may_be_today_but_not_tomorrow(value: date, errors: list[str]) -> None:
    c = Checker()
    c.not_future("held_on", value, TODAY, "谈话日期")
    c.not_future("held_on", None, TODAY, "谈话日期")
    assert [(e.field, e.message) for e in c.errors] == [("held_on", m) for m in errors]


@pytest.mark.parametrize(
    ("end", "errors"),
    [(TODAY - timedelta(days=1), ["反馈日期不能早于移交日期"]), (TODAY, []), (TODAY + timedelta(days=1), [])],
)
def test_a_later_date_may_be_the_same_day_but_not_the_day_before(end: date, errors: list[str]) -> None:
    c = Checker()
    c.order("feedback_on", TODAY, end, "反馈日期不能早于移交日期")
    c.order("feedback_on", None, end, "反馈日期不能早于移交日期")
    c.order("feedback_on", TODAY, None, "反馈日期不能早于移交日期")
    assert [(e.field, e.message) for e in c.errors] == [("feedback_on", m) for m in errors]


# -- backups: one a day, everything for a week, weekly for eight weeks, then monthly ----------------------
@pytest.mark.parametrize(
    ("age", "taken"),
    [(timedelta(days=1, seconds=-1), False), (timedelta(days=1), True), (timedelta(days=1, seconds=1), True)],
)
def test_the_daily_backup_is_taken_once_the_newest_is_a_day_old(
    workspace: Workspace, age: timedelta, taken: bool
) -> None:
    _fake(workspace.path, NOW)
    made = backups.daily_backup(workspace, now=NOW + age)
    assert (made is not None) is taken
    assert len(backups.list_backups(workspace.path)) == 1 + taken


def test_the_first_daily_backup_needs_no_older_one(workspace: Workspace) -> None:
    made = backups.daily_backup(workspace, now=NOW)
    [listed] = backups.list_backups(workspace.path)
    assert (listed.path, listed.label, listed.taken_at) == (made, "每日", NOW)


@pytest.mark.parametrize(
    ("age", "thinned"),
    [(timedelta(days=7, seconds=-1), False), (timedelta(days=7), True), (timedelta(days=7, seconds=1), True)],
)
def test_every_backup_of_the_last_seven_days_is_kept(age: timedelta, thinned: bool) -> None:
    """Backups `age` and one second more old: both kept while the younger is under seven days old, as
    the older alone has its week; from the seventh day on they share a week and the older goes."""
    infos = _infos([timedelta(0), age, age + timedelta(seconds=1)])
    assert backups.thin_plan(infos, NOW) == ([infos[2]] if thinned else [])


WEEKLY_END = timedelta(days=7, weeks=8)  # from here on one backup a calendar month


@pytest.mark.parametrize(
    ("age", "thinned"),
    [(WEEKLY_END - timedelta(seconds=1), False), (WEEKLY_END, True), (WEEKLY_END + timedelta(days=1), True)],
)
def test_weekly_buckets_end_after_eight_weeks(age: timedelta, thinned: bool) -> None:
    """Backups `age` and one second more old, in one calendar month: in the eighth week the younger has
    its week and the older its month; from the end of it both share the month and the older goes."""
    infos = _infos([timedelta(0), age, age + timedelta(seconds=1)])
    assert infos[1].taken_at.month == infos[2].taken_at.month
    assert backups.thin_plan(infos, NOW) == ([infos[2]] if thinned else [])


def test_the_ninth_week_is_already_monthly() -> None:
    """A backup from the start of the ninth week and one a week older, both of April: one month, one kept."""
    infos = _infos([timedelta(0), WEEKLY_END, WEEKLY_END + timedelta(weeks=1)])
    assert infos[1].taken_at.month == infos[2].taken_at.month == 4
    assert backups.thin_plan(infos, NOW) == [infos[2]]


def test_weekly_buckets_are_counted_from_the_seventh_day() -> None:
    """7 days + 1 week − 1 s and 7 days + 1 week fall in different weeks; + 1 s more in the same one."""
    first_week_end = timedelta(days=14)
    infos = _infos([timedelta(0), first_week_end - timedelta(seconds=1), first_week_end])
    assert backups.thin_plan(infos, NOW) == []
    infos = _infos([timedelta(0), first_week_end, first_week_end + timedelta(seconds=1)])
    assert backups.thin_plan(infos, NOW) == [infos[2]]


# -- wrong passphrases: no wait for two typos, then 5 s doubling up to 15 minutes -------------------------
@pytest.mark.parametrize(
    ("failures", "delay"),
    [(0, 0.0), (1, 0.0), (2, 0.0), (3, 5.0), (4, 10.0), (10, 640.0), (11, 900.0), (12, 900.0), (40, 900.0)],
)
def test_the_wait_after_wrong_passphrases(failures: int, delay: float) -> None:
    assert sign_in_attempts.default_delay(failures) == delay


def test_the_wait_ends_exactly_when_the_delay_has_passed(tmp_path: Path) -> None:
    clock = [1000.0]
    guard = AttemptGuard(clock=lambda: clock[0])
    db = tmp_path / "工作库.xcdb"
    for _ in range(3):
        guard.failed(db)
    assert guard.remaining(db) == 5.0
    clock[0] = 1004.0
    assert guard.remaining(db) == 1.0
    clock[0] = 1005.0
    assert guard.remaining(db) == 0.0
    clock[0] = 1006.0
    assert guard.remaining(db) == 0.0
    clock[0] = 900.0  # a clock set back never makes the wait longer than the delay
    assert guard.remaining(db) == 5.0


def test_no_wait_without_failures(tmp_path: Path) -> None:
    guard = AttemptGuard(clock=lambda: datetime(2025, 1, 1).timestamp())
    assert guard.remaining(tmp_path / "工作库.xcdb") == 0.0
