"""整改任务 after the feedback: saving with the checks that need other records, 督导 notes, 验收 and 销号,
the lists (overdue and due soon by the office's settings), and the deadlines a unit owes."""

from __future__ import annotations

import builtins
import dataclasses
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from sqlalchemy import Connection, and_, func, select

from xuncha_desktop.domain import rectification as rect
from xuncha_desktop.domain.errors import FieldError, RecordNotFound, ValidationError
from xuncha_desktop.domain.record_types import DRAFT, FEEDBACK, SUPERVISION, TARGET, TASK, RecordType
from xuncha_desktop.services.records.record_service import RecordService
from xuncha_desktop.services.rectification.settings import load_settings
from xuncha_desktop.services.workspace import Workspace
from xuncha_desktop.storage import search_index
from xuncha_desktop.storage.tables import BUSINESS_TABLES, record_from_row

Task = rect.RectificationTask
Note = rect.SupervisionNote
OVERDUE, SOON = "overdue", "soon"
DUE_FILTERS = ("", OVERDUE, SOON)


@dataclass
class TaskQuery:
    """What a task list shows: the working context, a state, "overdue" or "soon" (by the settings' days
    as of `today`, default the real today) and a full-text search."""

    round_id: str = ""
    group_id: str = ""
    target_id: str = ""
    status: str = ""
    due: str = ""  # "" | "overdue" | "soon"
    text: str = ""
    today: date | None = None


def task_conditions(conn: Connection, q: TaskQuery, soon_days: int, *, in_order: bool = False) -> list[Any]:
    """The WHERE of a task list; each shape is served by an index of the task table ((deleted, status,
    due_on) for the overdue and due-soon views)."""
    t = BUSINESS_TABLES[TASK.key]
    if q.due not in DUE_FILTERS:
        raise ValueError(f"unknown due filter {q.due!r}")
    # A unit has few tasks: they are read by its index and sorted. Said as "not deleted", the live
    # condition cannot lead an index, so SQLite (without statistics) does not walk a whole (deleted, …)
    # index in 时限 order instead, reading every task to find the unit's few.
    live = t.c.deleted.is_not(True) if q.target_id else t.c.deleted.is_(False)
    conds: list[Any] = [live]
    for name in ("round_id", "group_id", "target_id", "status"):
        value = getattr(q, name)
        if value:
            conds.append(t.c[name] == value)
    today = q.today or date.today()
    if q.due and in_order:
        # A page in 时限 order: said through an expression, the open states cannot lead an index, so the
        # overdue and due-soon views walk (deleted, due_on) and stop after a page instead of reading and
        # sorting every open task (thousands at a province's office). A count keeps the plain condition,
        # which (deleted, status, due_on) answers from the index alone.
        conds.append(func.coalesce(t.c.status, "").in_(rect.OPEN_STATES))
    elif q.due:
        conds.append(t.c.status.in_(rect.OPEN_STATES))
    if q.due == OVERDUE:
        conds.append(t.c.due_on < today)
    elif q.due == SOON:
        conds.append(t.c.due_on.between(today, today + timedelta(days=soon_days)))
    if q.text.strip():
        conds.append(t.c.id.in_(search_index.matching_ids(conn, TASK.key, q.text)))
    return conds


def _get(ws: Workspace, rt: RecordType, record_id: str) -> Any:
    return RecordService[Any](ws, rt).stored(record_id)


class TaskService:
    def __init__(self, ws: Workspace) -> None:
        self._ws = ws
        self._tasks = RecordService[Task](ws, TASK)
        self._notes = RecordService[Note](ws, SUPERVISION)

    # -- reading ---------------------------------------------------------------------------------------
    def get(self, task_id: str) -> Task:
        return self._tasks.get(task_id)

    def list(self, query: TaskQuery, *, offset: int = 0, limit: int | None = None) -> builtins.list[Task]:
        """The matching tasks, earliest 时限 first (then by number)."""
        t = BUSINESS_TABLES[TASK.key]
        days = load_settings(self._ws).due_soon_days
        with self._ws.engine.connect() as conn:
            stmt = (
                select(t)
                .where(and_(*task_conditions(conn, query, days, in_order=True)))
                .order_by(t.c.due_on, t.c.number, t.c.id)
                .offset(offset)
                .limit(limit)
            )
            return [record_from_row(TASK, row) for row in conn.execute(stmt)]

    def count(self, query: TaskQuery) -> int:
        t = BUSINESS_TABLES[TASK.key]
        days = load_settings(self._ws).due_soon_days
        with self._ws.engine.connect() as conn:
            stmt = select(func.count()).select_from(t).where(and_(*task_conditions(conn, query, days)))
            return int(conn.execute(stmt).scalar_one())

    def notes(self, task_id: str) -> builtins.list[Note]:
        """The 督导 notes of a task, oldest first."""
        n = BUSINESS_TABLES[SUPERVISION.key]
        with self._ws.engine.connect() as conn:
            rows = conn.execute(
                select(n)
                .where(n.c.deleted.is_(False), n.c.task_id == task_id)
                .order_by(n.c.noted_on, n.c.created_hlc)
            )
            return [record_from_row(SUPERVISION, row) for row in rows]

    # -- writing ---------------------------------------------------------------------------------------
    def cross_errors(self, task: Task) -> builtins.list[FieldError]:
        """What the task's own validator cannot see: a 时限 before its feedback's date, a feedback or a
        底稿 of another unit."""
        errors: builtins.list[FieldError] = []
        if task.feedback_id:
            try:
                fb = _get(self._ws, FEEDBACK, task.feedback_id)
            except RecordNotFound:
                return [FieldError("feedback_id", "所属巡察反馈不存在")]
            if fb.target_id != task.target_id:
                errors.append(FieldError("feedback_id", "所属巡察反馈是对其他单位的反馈"))
            if task.due_on and fb.given_on and task.due_on < fb.given_on:
                errors.append(FieldError("due_on", f"整改时限不能早于反馈日期（{fb.given_on.isoformat()}）"))
        if task.draft_id:
            try:
                d = _get(self._ws, DRAFT, task.draft_id)
            except RecordNotFound:
                return [*errors, FieldError("draft_id", "所反馈的问题底稿不存在")]
            if d.target_id != task.target_id:
                unit = _get_name(self._ws, d.target_id)
                errors.append(FieldError("draft_id", f"问题底稿“{d.number}”属于{unit}，不是本单位的问题"))
        return errors

    def save(self, task: Task) -> Task:
        """Validate the task alone and against its feedback and 底稿 (every problem in one
        ValidationError), then store it."""
        errors = [*TASK.validate(task, date.today()), *self.cross_errors(task)]
        if errors:
            raise ValidationError(errors, TASK.label)
        return self._tasks.save(task)

    def add_note(self, task_id: str, note: Note) -> Note:
        """A 督导 note on the task; it records the task's state then unless given."""
        task = self._tasks.stored(task_id)
        note = dataclasses.replace(
            note,
            task_id=task.id,
            round_id=task.round_id,
            group_id=task.group_id,
            target_id=task.target_id,
            status_then=note.status_then or task.status,
        )
        return self._notes.save(note)

    def accept(self, task_id: str, *, by: str, on: date, opinion: str) -> Task:
        """验收 of a finished task (refused at the state while it is not 已完成 or 基本完成)."""
        task = self._tasks.stored(task_id)
        return self.save(
            dataclasses.replace(task, accepted_by=by, accepted_on=on, acceptance_opinion=opinion)
        )

    def close(self, task_id: str, *, by: str, on: date) -> Task:
        """销号, refused (at 销号日期) before the task is accepted."""
        task = self._tasks.stored(task_id)
        return self.save(dataclasses.replace(task, closed_by=by, closed_on=on))


def _get_name(ws: Workspace, target_id: str) -> str:
    table = BUSINESS_TABLES[TARGET.key]
    with ws.engine.connect() as conn:
        name = conn.execute(select(table.c.name).where(table.c.id == target_id)).scalar_one_or_none()
    return f"“{name}”" if name else "其他单位"


@dataclass
class UnitDeadline:
    """One date a unit owes after its feedback, and whether it is late."""

    feedback_id: str
    target_id: str
    unit_name: str
    what: str  # 整改方案 | 整改报告 | 专题民主生活会
    due_on: date | None
    done_on: date | None
    overdue: bool
    days_left: int | None  # days until due (negative: late), None when done or without a due date


PLAN, REPORT, MEETING = "整改方案", "整改报告", "专题民主生活会"


def _deadline(
    fb: Any, unit: str, what: str, due: date | None, done: date | None, today: date
) -> UnitDeadline:
    days_left = (due - today).days if due is not None and done is None else None
    overdue = days_left is not None and days_left < 0
    return UnitDeadline(fb.id, fb.target_id, unit, what, due, done, overdue, days_left)


def deadlines(ws: Workspace, today: date, *, round_id: str = "") -> list[UnitDeadline]:
    """Per live feedback (in number order): 整改方案 received, 整改报告 received and 专题民主生活会 held.
    The meeting has no date of its own: it is due with the 整改报告, which reports on it."""
    f, u = BUSINESS_TABLES[FEEDBACK.key], BUSINESS_TABLES[TARGET.key]
    conds = [f.c.deleted.is_(False)] + ([f.c.round_id == round_id] if round_id else [])
    with ws.engine.connect() as conn:
        rows = conn.execute(
            select(f, u.c.name.label("unit_name"))
            .outerjoin(u, u.c.id == f.c.target_id)
            .where(*conds)
            .order_by(f.c.number, f.c.id)
        ).all()
    lines = []
    for fb in rows:
        unit = fb.unit_name or ""
        lines += [
            _deadline(fb, unit, PLAN, fb.plan_due_on, fb.plan_received_on, today),
            _deadline(fb, unit, REPORT, fb.report_due_on, fb.report_received_on, today),
            _deadline(fb, unit, MEETING, fb.report_due_on, fb.meeting_held_on, today),
        ]
    return lines
