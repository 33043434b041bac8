"""回头看: a round of kind 回头看 revisits units of the earlier round it names; per unit it lists that
round's 整改任务 with their state, and records the re-check result of each (属实整改 / 整改不到位 /
反弹回潮)."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import select

from xuncha_desktop.domain import rectification as rect
from xuncha_desktop.domain.errors import FieldError, RecordNotFound, ValidationError
from xuncha_desktop.domain.organization import InspectionRound
from xuncha_desktop.domain.record_types import RECHECK, ROUND, TARGET, TASK
from xuncha_desktop.services.records.record_service import RecordService
from xuncha_desktop.services.workspace import Workspace
from xuncha_desktop.storage.tables import BUSINESS_TABLES, record_from_row

Result = rect.RecheckResult
RECHECK_KIND = "回头看"


@dataclass
class RecheckItem:
    """One task of the earlier round, its unit, and its re-check in this 回头看 round (None: not yet)."""

    task: rect.RectificationTask
    earlier_round: str  # the earlier round's name
    unit_name: str
    result: Result | None


def earlier_round(ws: Workspace, recheck_round_id: str) -> InspectionRound:
    """The round a 回头看 round revisits; ValidationError at 回头看所针对的轮次 when the round is not a
    回头看 or names no existing earlier round."""
    rounds = RecordService[InspectionRound](ws, ROUND)
    try:
        rnd = rounds.stored(recheck_round_id)
    except RecordNotFound:
        raise ValidationError([FieldError("round_id", "回头看轮次不存在")], "回头看") from None
    if rnd.kind != RECHECK_KIND:
        raise ValidationError([FieldError("round_id", f"“{rnd.name}”不是回头看轮次")], "回头看")
    problem = "回头看轮次须指明所针对的前一轮巡察"
    if rnd.earlier_round_id and rnd.earlier_round_id != rnd.id:
        try:
            earlier = rounds.stored(rnd.earlier_round_id)
        except RecordNotFound:
            problem = "回头看所针对的轮次不存在"
        else:
            if not (earlier.meta and earlier.meta.deleted):
                return earlier
            problem = "回头看所针对的轮次已删除"
    raise ValidationError([FieldError("earlier_round_id", f"“{rnd.name}”：{problem}")], "回头看")


def _units(ws: Workspace, round_id: str) -> list[Any]:
    t = BUSINESS_TABLES[TARGET.key]
    with ws.engine.connect() as conn:
        return list(
            conn.execute(
                select(t.c.id, t.c.name, t.c.org_id).where(t.c.deleted.is_(False), t.c.round_id == round_id)
            )
        )


def revisited_units(ws: Workspace, recheck_round_id: str, earlier_id: str) -> dict[str, str]:
    """Target id (of the earlier round) → unit name, for the units the 回头看 round revisits: its own
    target units matched by 党组织名录 entry or by name, or every unit of the earlier round when it has
    none of its own."""
    earlier = _units(ws, earlier_id)
    own = _units(ws, recheck_round_id)
    if not own:
        return {u.id: u.name for u in earlier}
    orgs = {u.org_id for u in own if u.org_id}
    names = {u.name for u in own}
    return {u.id: u.name for u in earlier if (u.org_id and u.org_id in orgs) or u.name in names}


def _results(ws: Workspace, recheck_round_id: str) -> dict[str, Result]:
    """The latest live result per task made in the round."""
    t = BUSINESS_TABLES[RECHECK.key]
    with ws.engine.connect() as conn:
        rows = conn.execute(
            select(t)
            .where(t.c.deleted.is_(False), t.c.round_id == recheck_round_id)
            .order_by(t.c.checked_on, t.c.updated_hlc)
        ).all()
    return {row.task_id: record_from_row(RECHECK, row) for row in rows}


def recheck_items(ws: Workspace, recheck_round_id: str) -> list[RecheckItem]:
    """Per revisited unit (by name), the earlier round's live tasks in number order with their result."""
    earlier = earlier_round(ws, recheck_round_id)
    units = revisited_units(ws, recheck_round_id, earlier.id)
    t = BUSINESS_TABLES[TASK.key]
    with ws.engine.connect() as conn:
        rows = conn.execute(
            select(t)
            .where(t.c.deleted.is_(False), t.c.round_id == earlier.id, t.c.target_id.in_(list(units)))
            .order_by(t.c.number, t.c.id)
        ).all()
    results = _results(ws, recheck_round_id)
    items = [
        RecheckItem(record_from_row(TASK, row), earlier.name, units[row.target_id], results.get(row.id))
        for row in rows
    ]
    return sorted(items, key=lambda item: item.unit_name)  # stable: number order within a unit


def record_recheck(ws: Workspace, result: Result) -> Result:
    """Store the re-check of one task in a 回头看 round (one audited transaction). The task must be of the
    round it revisits; a second result for the same task in the same round replaces the first."""
    errors = list(RECHECK.validate(result, date.today()))
    if errors:
        raise ValidationError(errors, RECHECK.label)
    earlier = earlier_round(ws, result.round_id)
    try:
        task = RecordService[rect.RectificationTask](ws, TASK).stored(result.task_id)
    except RecordNotFound:
        raise ValidationError([FieldError("task_id", "整改任务不存在")], RECHECK.label) from None
    if task.round_id != earlier.id or (task.meta and task.meta.deleted):
        message = f"整改任务“{task.number}”不属于回头看所针对的“{earlier.name}”"
        raise ValidationError([FieldError("task_id", message)], RECHECK.label)
    same = _results(ws, result.round_id).get(task.id)
    result = dataclasses.replace(result, id=result.id or (same.id if same else ""), target_id=task.target_id)
    return RecordService[Result](ws, RECHECK).save(result)
