"""移交线索对账: per receiving organ, the leads of a round transferred to it and what became of them (as
the lead records hold it), and the office's mark that the line was reconciled with that organ."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import select

from xuncha_desktop.domain import rectification as rect
from xuncha_desktop.domain.lead_registrations import LeadRegistration, is_overdue
from xuncha_desktop.domain.record_types import LEAD, RECONCILIATION
from xuncha_desktop.services.records.record_service import RecordService
from xuncha_desktop.services.workspace import Workspace
from xuncha_desktop.storage.tables import BUSINESS_TABLES

Reconciliation = rect.LeadReconciliation
# The lead's 拟处置建议 → the organ it went to; a transferred lead with any other disposal counts as 其他.
ORGAN_OF_DISPOSAL = {"移交纪检监察机关": "纪委监委", "移交组织部门": "组织部", "转有关部门": "其他"}
LEAD_COLUMNS = (
    "proposed_disposal",
    "transfer_on",
    "feedback_on",
    "subject_person_id",
    "subject_name",
    "case_opened",
    "sanction",
    "org_handling",
    "judicial_transfer",
)


@dataclass
class ReconciliationLine:
    """One receiving organ's line of the 对账表."""

    organ: str
    transferred: int = 0  # 移交线索（件）
    persons: int = 0  # 涉及人数 (distinct reported persons)
    feedback_received: int = 0  # 已反馈
    cases_opened: int = 0  # 立案
    sanctions: int = 0  # 党纪政务处分
    org_handlings: int = 0  # 组织处理
    judicial: int = 0  # 移送司法
    overdue: int = 0  # 超过 3 个月未反馈
    reconciled_on: date | None = None  # the latest 对账 of this organ for the round


def organ_of(disposal: str) -> str:
    return ORGAN_OF_DISPOSAL.get(disposal, "其他")


def _latest_reconciliations(ws: Workspace, round_id: str) -> dict[str, date]:
    t = BUSINESS_TABLES[RECONCILIATION.key]
    with ws.engine.connect() as conn:
        rows = conn.execute(
            select(t.c.organ, t.c.reconciled_on).where(t.c.deleted.is_(False), t.c.round_id == round_id)
        )
        latest: dict[str, date] = {}
        for organ, on in rows:
            if on is not None and (organ not in latest or on > latest[organ]):
                latest[organ] = on
        return latest


def reconcile_round(ws: Workspace, round_id: str, today: date) -> list[ReconciliationLine]:
    """One line per organ of RECEIVING_ORGANS (zeros included), counted from the round's live leads that
    have a transfer date."""
    t = BUSINESS_TABLES[LEAD.key]
    with ws.engine.connect() as conn:
        rows = conn.execute(
            select(*(t.c[c] for c in LEAD_COLUMNS)).where(
                t.c.deleted.is_(False), t.c.round_id == round_id, t.c.transfer_on.is_not(None)
            )
        ).all()
    lines = {organ: ReconciliationLine(organ) for organ in rect.RECEIVING_ORGANS}
    persons: dict[str, set[str]] = defaultdict(set)
    for row in rows:
        line = lines[organ_of(row.proposed_disposal or "")]
        line.transferred += 1
        who = row.subject_person_id or (row.subject_name or "").strip()
        if who:
            persons[line.organ].add(who)
        line.feedback_received += row.feedback_on is not None
        line.cases_opened += bool(row.case_opened)
        line.sanctions += bool((row.sanction or "").strip())
        line.org_handlings += bool((row.org_handling or "").strip())
        line.judicial += bool(row.judicial_transfer)
        lead: Any = LeadRegistration(transfer_on=row.transfer_on, feedback_on=row.feedback_on)
        line.overdue += is_overdue(lead, today)
    latest = _latest_reconciliations(ws, round_id)
    for organ, line in lines.items():
        line.persons = len(persons[organ])
        line.reconciled_on = latest.get(organ)
    return list(lines.values())


def mark_reconciled(
    ws: Workspace, round_id: str, organ: str, *, on: date, by: str, note: str = ""
) -> Reconciliation:
    """The office reconciled the round's line of `organ` on `on` (validated, one audited transaction); a
    later mark of the same organ and round is another record, the line shows the latest."""
    record = Reconciliation(round_id=round_id, organ=organ, reconciled_on=on, reconciled_by=by, note=note)
    return RecordService[Reconciliation](ws, RECONCILIATION).save(record)
