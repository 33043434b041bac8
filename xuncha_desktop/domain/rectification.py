"""After the round: 反馈 to a unit, its 整改任务 (one per issue handed over), the 督导 notes on
them, the 回头看 re-check of each, and the office's reconciliation of transferred leads (domain README
§3.1 反馈 / 移交 / 整改 / 整改评估 / 回头看, §5.1).

Dates a unit owes (整改方案 in 15 working days, 整改报告 in 3 months) and the days after which a task
counts as due soon are defaults the office can change (services.rectification settings), not rules of
these records. Checks that need other records (a deadline before the feedback date, a task for an issue
of another unit) are made by the service that saves them."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from xuncha_desktop.domain import fields
from xuncha_desktop.domain.common import Checker, RecordMeta
from xuncha_desktop.domain.errors import FieldError
from xuncha_desktop.domain.fields import spec

FEEDBACK_FORMS = ("集中反馈", "一对一", "书面")
NOT_STARTED, IN_PROGRESS, DONE, DONE_BASICALLY, NOT_DONE = (
    "未启动",
    "整改中",
    "已完成",
    "基本完成持续整改",
    "未完成",
)
TASK_STATES = (NOT_STARTED, IN_PROGRESS, DONE, DONE_BASICALLY, NOT_DONE)
OPEN_STATES = (NOT_STARTED, IN_PROGRESS)  # a task in one of these can be overdue
RECHECK_RESULTS = ("属实整改", "整改不到位", "反弹回潮")
RECEIVING_ORGANS = ("纪委监委", "组织部", "其他")
PLAN_DUE_WORKING_DAYS = 15  # 整改方案: 15 working days after feedback (domain README §3.1, weak source)
REPORT_DUE_MONTHS = 3  # 整改报告: within 3 months
DUE_SOON_DAYS = 14  # a task due within this many days stands out


@dataclass(frozen=True)
class RectificationFeedback:
    """巡察反馈 to one unit: when, how, by whom, the 问题清单 handed over (the unit's signed 底稿), and the
    dates the unit owes: 整改方案, 整改报告, 专题民主生活会."""

    id: str = ""
    number: str = fields.number()
    round_id: str = fields.round_ref()
    group_id: str = fields.group_ref()
    target_id: str = fields.target_ref()
    given_on: date | None = spec("反馈日期", None, date=True)
    form: str = spec("反馈方式", "集中反馈", filter=True)
    given_by: str = spec("反馈人", "")
    attendees: str = spec("参加人员", "")
    draft_ids: list[str] = spec("反馈问题（底稿）", default_factory=list, set_valued=True)
    plan_due_on: date | None = spec("整改方案应报送日期", None, short="方案应报")
    plan_received_on: date | None = spec("整改方案报送日期", None, short="方案已报")
    report_due_on: date | None = spec("整改报告应报送日期", None, short="报告应报")
    report_received_on: date | None = spec("整改报告报送日期", None, short="报告已报")
    meeting_held_on: date | None = spec("专题民主生活会召开日期", None, short="民主生活会")
    note: str = spec("备注", "", searchable=True)
    marking: str = fields.marking()
    meta: RecordMeta | None = field(default=None, compare=False)


def add_working_days(start: date, days: int) -> date:
    """`days` working days (Monday to Friday) after `start`. Public holidays are not known offline: the
    office corrects a due date by hand where a holiday falls in between."""
    day = start
    while days > 0:
        day += timedelta(days=1)
        if day.weekday() < 5:
            days -= 1
    return day


def add_months(start: date, months: int) -> date:
    """The same day `months` later, or the month's last day where it has no such day (1-31 + 1 → 2-28)."""
    month = start.month - 1 + months
    year, month = start.year + month // 12, month % 12 + 1
    for day in range(start.day, 27, -1):
        try:
            return date(year, month, day)
        except ValueError:
            continue
    return date(year, month, min(start.day, 28))


def validate_feedback(f: RectificationFeedback, today: date) -> list[FieldError]:
    c = Checker(RectificationFeedback)
    c.required("round_id", f.round_id)
    c.required("group_id", f.group_id)
    c.required("target_id", f.target_id)
    c.required("given_on", f.given_on)
    c.not_future("given_on", f.given_on, today)
    c.one_of("form", f.form, FEEDBACK_FORMS, optional=False)
    for name in ("plan_due_on", "plan_received_on", "report_due_on", "report_received_on", "meeting_held_on"):
        c.order(
            name, f.given_on, getattr(f, name), f"{fields.label(RectificationFeedback, name)}不能早于反馈日期"
        )
    for name in ("plan_received_on", "report_received_on", "meeting_held_on"):
        c.not_future(name, getattr(f, name), today)
    return c.errors


@dataclass(frozen=True)
class RectificationTask:
    """整改任务: one issue handed over at feedback, who rectifies it, how and by when, and how it ended
    (验收 by the office, then 销号)."""

    id: str = ""
    number: str = fields.number()
    round_id: str = fields.round_ref()
    group_id: str = fields.group_ref()
    target_id: str = fields.target_ref()
    feedback_id: str = spec("巡察反馈", "", indexed=True)
    draft_id: str = spec("问题底稿", "", indexed=True)
    issue: str = spec("反馈问题", "", searchable=True)
    category: str = spec("问题类别", "")
    responsible_unit: str = spec("责任单位", "", searchable=True)
    responsible_person: str = spec("责任人", "")
    goal: str = spec("整改目标", "")
    measures: str = spec("整改措施", "", searchable=True)
    due_on: date | None = spec("整改时限", None, date=True)
    status: str = fields.status(NOT_STARTED)
    completed_on: date | None = spec("完成日期", None)
    institutions: int = spec("建章立制（项）", 0, short="建章立制")
    accountability: int = spec("问责（人次）", 0, short="问责")
    amount_recovered_yuan: Decimal = spec("挽回经济损失（元）", Decimal("0"), short="挽回损失")
    accepted_by: str = spec("验收人", "")
    accepted_on: date | None = spec("验收日期", None)
    acceptance_opinion: str = spec("验收意见", "")
    closed_on: date | None = spec("销号日期", None)
    closed_by: str = spec("销号人", "")
    marking: str = fields.marking()
    meta: RecordMeta | None = field(default=None, compare=False)


def is_overdue(task: RectificationTask, today: date) -> bool:
    """Still open after its 时限."""
    return task.status in OPEN_STATES and task.due_on is not None and task.due_on < today


def is_due_soon(task: RectificationTask, today: date, days: int = DUE_SOON_DAYS) -> bool:
    """Still open and due within `days` days (today included), not yet overdue."""
    return (
        task.status in OPEN_STATES
        and task.due_on is not None
        and today <= task.due_on <= today + timedelta(days=days)
    )


def validate_task(t: RectificationTask, today: date) -> list[FieldError]:
    c = Checker(RectificationTask)
    for name in ("round_id", "group_id", "target_id", "issue", "responsible_unit", "due_on"):
        c.required(name, getattr(t, name))
    c.max_len("issue", t.issue, 500)
    c.one_of("status", t.status, TASK_STATES, optional=False)
    if t.status in (DONE, DONE_BASICALLY) and t.completed_on is None:
        c.add("completed_on", f"状态为“{t.status}”时请填写完成日期")
    c.not_future("completed_on", t.completed_on, today)
    c.amount("amount_recovered_yuan", t.amount_recovered_yuan)
    for name in ("institutions", "accountability"):
        if getattr(t, name) < 0:
            c.add(name, f"{fields.label(RectificationTask, name)}不能为负数")
    accepted = bool(t.accepted_by.strip()) or t.accepted_on is not None
    if accepted:
        c.required("accepted_by", t.accepted_by)
        c.required("accepted_on", t.accepted_on)
        c.not_future("accepted_on", t.accepted_on, today)
        if t.status not in (DONE, DONE_BASICALLY):
            c.add("status", f"任务状态为“{t.status}”，尚未完成，不能验收")
        c.order("accepted_on", t.completed_on, t.accepted_on, "验收日期不能早于完成日期")
    if t.closed_on is not None or t.closed_by.strip():
        if not (t.accepted_by.strip() and t.accepted_on is not None):
            c.add("closed_on", "销号前须先验收（填写验收人和验收日期）")
        c.required("closed_on", t.closed_on)
        c.not_future("closed_on", t.closed_on, today)
        c.order("closed_on", t.accepted_on, t.closed_on, "销号日期不能早于验收日期")
    return c.errors


@dataclass(frozen=True)
class SupervisionNote:
    """督导记录: the progress of one task as the office found it on a date (monthly 督导)."""

    id: str = ""
    number: str = fields.number(searchable=False)
    round_id: str = fields.round_ref()
    group_id: str = fields.group_ref()
    target_id: str = fields.target_ref()
    task_id: str = spec("整改任务", "", indexed=True)
    noted_on: date | None = spec("督导日期", None, date=True)
    noted_by: str = spec("督导人", "")
    progress: str = spec("整改进展", "", searchable=True)
    status_then: str = spec("当时状态", "")
    meta: RecordMeta | None = field(default=None, compare=False)


def validate_supervision(n: SupervisionNote, today: date) -> list[FieldError]:
    c = Checker(SupervisionNote)
    for name in ("task_id", "noted_on", "progress"):
        c.required(name, getattr(n, name))
    c.not_future("noted_on", n.noted_on, today)
    c.one_of("status_then", n.status_then, TASK_STATES)
    return c.errors


@dataclass(frozen=True)
class RecheckResult:
    """回头看 re-check of one task of an earlier round, made in the 回头看 round (`round_id`)."""

    id: str = ""
    number: str = fields.number(searchable=False)
    round_id: str = fields.round_ref("回头看轮次")
    group_id: str = fields.group_ref()
    target_id: str = fields.target_ref()
    task_id: str = spec("整改任务", "", indexed=True)
    checked_on: date | None = spec("复查日期", None, date=True)
    checked_by: str = spec("复查人", "")
    result: str = spec("复查结论", "", filter=True)
    finding: str = spec("复查情况", "", searchable=True)
    meta: RecordMeta | None = field(default=None, compare=False)


def validate_recheck(r: RecheckResult, today: date) -> list[FieldError]:
    c = Checker(RecheckResult)
    for name in ("round_id", "task_id", "checked_on"):
        c.required(name, getattr(r, name))
    c.not_future("checked_on", r.checked_on, today)
    c.one_of("result", r.result, RECHECK_RESULTS, optional=False)
    return c.errors


@dataclass(frozen=True)
class LeadReconciliation:
    """移交线索对账: the office marks the leads of a round transferred to one receiving organ as reconciled
    with that organ's figures on a date."""

    id: str = ""
    number: str = fields.number(searchable=False)
    round_id: str = fields.round_ref()
    organ: str = spec("接收机关", "纪委监委", filter=True)
    reconciled_on: date | None = spec("对账日期", None, date=True)
    reconciled_by: str = spec("对账人", "")
    note: str = spec("对账说明", "")
    meta: RecordMeta | None = field(default=None, compare=False)


def validate_reconciliation(r: LeadReconciliation, today: date) -> list[FieldError]:
    c = Checker(LeadReconciliation)
    c.required("round_id", r.round_id)
    c.one_of("organ", r.organ, RECEIVING_ORGANS, optional=False)
    c.required("reconciled_on", r.reconciled_on)
    c.not_future("reconciled_on", r.reconciled_on, today)
    return c.errors
