"""巡察反馈: the office hands a unit its 问题清单 (the unit's signed 底稿) and, in the same transaction,
opens one 整改任务 per issue handed over, each keeping its link to its 底稿."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from datetime import date
from typing import Any

from sqlalchemy import select

from xuncha_desktop.domain import rectification as rect
from xuncha_desktop.domain.classification import category_label
from xuncha_desktop.domain.errors import FieldError, RecordNotFound, ValidationError
from xuncha_desktop.domain.issue_drafts import SIGNED, IssueDraft
from xuncha_desktop.domain.organization import TargetUnit
from xuncha_desktop.domain.record_types import DRAFT, FEEDBACK, TARGET, TASK
from xuncha_desktop.services.records.record_service import RecordService, next_number
from xuncha_desktop.services.rectification.settings import RectificationSettings, load_settings
from xuncha_desktop.services.workspace import Workspace, new_id
from xuncha_desktop.storage.revisions import RevisionWriter
from xuncha_desktop.storage.tables import BUSINESS_TABLES, record_from_row

Feedback = rect.RectificationFeedback
Task = rect.RectificationTask


def fed_back_draft_ids(ws: Workspace, target_id: str, *, besides: str = "") -> dict[str, str]:
    """Draft id → number of the live feedback that handed it over, for the unit's feedbacks other than
    `besides`."""
    table = BUSINESS_TABLES[FEEDBACK.key]
    with ws.engine.connect() as conn:
        rows = conn.execute(
            select(table.c.id, table.c.number, table.c.draft_ids).where(
                table.c.deleted.is_(False), table.c.target_id == target_id
            )
        )
        return {d: row.number for row in rows if row.id != besides for d in (row.draft_ids or [])}


def signed_drafts(ws: Workspace, target_id: str) -> list[IssueDraft]:
    """The unit's 已审签 底稿 not handed over in any feedback yet, in number order."""
    done = fed_back_draft_ids(ws, target_id)
    table = BUSINESS_TABLES[DRAFT.key]
    with ws.engine.connect() as conn:
        rows = conn.execute(
            select(table)
            .where(table.c.deleted.is_(False), table.c.target_id == target_id, table.c.status == SIGNED)
            .order_by(table.c.number, table.c.id)
        ).all()
    return [record_from_row(DRAFT, row) for row in rows if row.id not in done]


def with_due_dates(feedback: Feedback, s: RectificationSettings) -> Feedback:
    """The feedback with its 整改方案 and 整改报告 due dates defaulted from the settings where empty."""
    if feedback.given_on is None:
        return feedback
    return dataclasses.replace(
        feedback,
        plan_due_on=feedback.plan_due_on or rect.add_working_days(feedback.given_on, s.plan_due_working_days),
        report_due_on=feedback.report_due_on or rect.add_months(feedback.given_on, s.report_due_months),
    )


def _drafts(ws: Workspace, ids: Iterable[str]) -> dict[str, IssueDraft]:
    table = BUSINESS_TABLES[DRAFT.key]
    with ws.engine.connect() as conn:
        rows = conn.execute(select(table).where(table.c.id.in_(list(ids)), table.c.deleted.is_(False)))
        return {row.id: record_from_row(DRAFT, row) for row in rows}


def _unit_name(ws: Workspace, target_id: str) -> str:
    table = BUSINESS_TABLES[TARGET.key]
    with ws.engine.connect() as conn:
        name = conn.execute(select(table.c.name).where(table.c.id == target_id)).scalar_one_or_none()
    return str(name or "")


def _draft_errors(ws: Workspace, feedback: Feedback, ids: list[str]) -> list[FieldError]:
    """A 底稿 that is missing, of another unit, not signed or already handed over in another feedback."""
    errors: list[FieldError] = []
    found = _drafts(ws, ids)
    done = fed_back_draft_ids(ws, feedback.target_id, besides=feedback.id) if feedback.target_id else {}
    for draft_id in ids:
        d = found.get(draft_id)
        if d is None:
            errors.append(FieldError("draft_ids", "所选问题底稿不存在或已删除"))
        elif d.target_id != feedback.target_id:
            other = _unit_name(ws, d.target_id) or "其他单位"
            errors.append(FieldError("draft_ids", f"问题底稿“{d.number}”属于{other}，不能反馈给本单位"))
        elif d.status != SIGNED:
            errors.append(FieldError("draft_ids", f"问题底稿“{d.number}”尚未审签（{d.status}），不能反馈"))
        elif draft_id in done:
            errors.append(FieldError("draft_ids", f"问题底稿“{d.number}”已在反馈“{done[draft_id]}”中反馈"))
    return errors


def _context_errors(ws: Workspace, feedback: Feedback) -> list[FieldError]:
    if not feedback.target_id:
        return []
    try:
        unit = RecordService[TargetUnit](ws, TARGET).stored(feedback.target_id)
    except RecordNotFound:
        return [FieldError("target_id", "被巡察单位不存在")]
    if feedback.round_id and unit.round_id != feedback.round_id:
        return [FieldError("target_id", f"“{unit.name}”不是本轮次的被巡察单位")]
    return []


def _existing_tasks(ws: Workspace, feedback_id: str) -> set[str]:
    if not feedback_id:
        return set()
    table = BUSINESS_TABLES[TASK.key]
    with ws.engine.connect() as conn:
        rows = conn.execute(
            select(table.c.draft_id).where(table.c.deleted.is_(False), table.c.feedback_id == feedback_id)
        )
        return {str(r.draft_id) for r in rows}


def _task_for(draft: IssueDraft, feedback: Feedback, unit_name: str, due_on: date | None) -> Task:
    return Task(
        round_id=feedback.round_id,
        group_id=feedback.group_id,
        target_id=feedback.target_id,
        feedback_id=feedback.id,
        draft_id=draft.id,
        issue=draft.title,
        category=category_label(draft.category_l1) if draft.category_l1 else "",
        responsible_unit=unit_name,
        due_on=due_on,
        marking=draft.marking,
    )


def _check(ws: Workspace, feedback: Feedback, ids: list[str], task_due_on: date | None) -> None:
    """Every problem at once, before anything is written."""
    errors = list(FEEDBACK.validate(feedback, date.today()))
    errors += _context_errors(ws, feedback)
    errors += _draft_errors(ws, feedback, ids)
    if task_due_on and feedback.given_on and task_due_on < feedback.given_on:
        errors.append(FieldError("task_due_on", "整改时限不能早于反馈日期"))
    if errors:
        raise ValidationError(errors, FEEDBACK.label)


def give_feedback(
    ws: Workspace,
    feedback: Feedback,
    *,
    draft_ids: list[str] | None = None,
    task_due_on: date | None = None,
) -> tuple[Feedback, list[Task]]:
    """Store the feedback and one 整改任务 per 底稿 handed over, in ONE transaction: when any write fails,
    neither the feedback nor any task is stored. `draft_ids` defaults to the feedback's own list, or else
    to every signed 底稿 of the unit not handed over yet; the plan and report due dates default from the
    settings; each task is due on `task_due_on` or else the report due date. A feedback saved again
    opens tasks only for the 底稿 that have none in it yet. Returns the feedback and its new tasks."""
    if draft_ids is None:
        draft_ids = list(feedback.draft_ids) or [d.id for d in signed_drafts(ws, feedback.target_id)]
    ids = list(dict.fromkeys(draft_ids))
    feedback = with_due_dates(dataclasses.replace(feedback, draft_ids=ids), load_settings(ws))
    _check(ws, feedback, ids, task_due_on)
    if not feedback.id:
        feedback = dataclasses.replace(feedback, id=new_id())
    drafts = _drafts(ws, ids)
    unit_name = _unit_name(ws, feedback.target_id)
    due_on = task_due_on or feedback.report_due_on
    have = _existing_tasks(ws, feedback.id)
    tasks = [_task_for(drafts[i], feedback, unit_name, due_on) for i in ids if i not in have]
    task_errors = [e for t in tasks for e in TASK.validate(t, date.today())]
    if task_errors:
        raise ValidationError(task_errors, TASK.label)
    written: list[str] = []

    def open_tasks(writer: RevisionWriter, saved: Any) -> None:
        for task in tasks:
            task = dataclasses.replace(task, id=new_id(), feedback_id=saved.id)
            task = dataclasses.replace(task, number=next_number(writer.conn, TASK, task))
            writer.write(TASK, task)
            written.append(task.id)

    saved = RecordService[Feedback](ws, FEEDBACK).save(feedback, links=open_tasks)
    service = RecordService[Task](ws, TASK)
    return saved, [service.get(i) for i in written]


def save_feedback(ws: Workspace, feedback: Feedback) -> Feedback:
    """A feedback edited later (方案 or 报告 received, the 民主生活会 held): the same checks as
    give_feedback, and a task for any 底稿 added to its list."""
    return give_feedback(ws, feedback, draft_ids=list(feedback.draft_ids))[0]
