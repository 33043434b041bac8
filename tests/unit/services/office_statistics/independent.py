"""Every office figure counted again straight from the records (RecordService lists, plain Python, the
rules as issue #14 states them), for the office statistics tests to compare with the SQL figures."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from tests.unit.services.demo.reading import all_records
from xuncha_desktop.domain.record_types import (
    DRAFT,
    GROUP,
    INTERVIEW,
    LEAD,
    PARTY_ORGANIZATION,
    PETITION,
    ROUND,
    TARGET,
    TASK,
)
from xuncha_desktop.services.office_statistics.scope import Scope
from xuncha_desktop.services.workspace import Workspace

ADOPTED = ("已审签", "已归并")
LIST_DATES = {
    INTERVIEW.key: "held_on",
    DRAFT.key: "prepared_on",
    LEAD.key: "registered_on",
    PETITION.key: "received_on",
    TASK.key: "due_on",
}


@dataclass
class Records:
    """The live records of every type the figures read."""

    by_type: dict[str, list[Any]]

    @classmethod
    def read(cls, ws: Workspace) -> Records:
        types = (ROUND, GROUP, TARGET, INTERVIEW, DRAFT, LEAD, TASK, PARTY_ORGANIZATION, PETITION)
        return cls({rt.key: all_records(ws, rt) for rt in types})

    def rounds(self) -> dict[str, Any]:
        return {r.id: r for r in self.by_type[ROUND.key]}

    def in_scope(self, key: str, scope: Scope) -> list[Any]:
        rounds = self.rounds()

        def within(day: date | None) -> bool:
            if day is None:
                return False
            return (scope.start is None or day >= scope.start) and (scope.end is None or day <= scope.end)

        def keep(r: Any) -> bool:
            rnd = r if key == ROUND.key else rounds.get(r.round_id)
            if scope.round_id and (rnd is None or rnd.id != scope.round_id):
                return False
            if scope.year and (rnd is None or rnd.year != scope.year):
                return False
            if scope.start or scope.end:
                day = getattr(r, LIST_DATES[key]) if key in LIST_DATES else rnd.start_on if rnd else None
                return within(day)
            return True

        return [r for r in self.by_type[key] if keep(r)]


def _transferred(leads: list[Any]) -> list[Any]:
    return [lead for lead in leads if lead.transfer_on is not None]


def counted(
    rs: Records, scope: Scope, today: date, keep: Callable[[str, Any], bool] | None = None
) -> dict[str, Any]:
    """Every counted figure of `scope`, of the records `keep(type_key, record)` lets through (a breakdown's
    row); the rates and 全覆盖 are compared separately."""

    def of(key: str) -> list[Any]:
        return [r for r in rs.in_scope(key, scope) if keep is None or keep(key, r)]

    adopted = [d for d in of(DRAFT.key) if d.status in ADOPTED]
    moved = _transferred(of(LEAD.key))
    tasks = of(TASK.key)
    targets = of(TARGET.key)
    groups = of(GROUP.key)
    due = timedelta(days=92)  # 3 个月内反馈
    return {
        "rounds": len(of(ROUND.key)),
        "units_inspected": len(targets),
        "interviews": len(of(INTERVIEW.key)),
        "petitions": len(of(PETITION.key)),  # every 信访件 received, whatever became of it
        "issues_found": len(adopted),
        "immediate_fixes": sum(d.immediate_fix for d in adopted),
        "leads_transferred": len(moved),
        "leads_transferred_persons": len({lead.subject_name for lead in moved if lead.subject_name}),
        "leads_on_site": sum(lead.on_site_transfer for lead in moved),
        "cases_opened": sum(lead.case_opened for lead in moved),
        "sanctions": sum(bool(lead.sanction) for lead in moved),
        "org_handlings": sum(bool(lead.org_handling) for lead in moved),
        "judicial_transfers": sum(lead.judicial_transfer for lead in moved),
        "leads_overdue": sum(
            1 for lead in moved if lead.feedback_on is None and today > lead.transfer_on + due
        ),
        "amount_recovered_yuan": sum((d.amount_recovered_yuan for d in adopted), Decimal(0))
        + sum((t.amount_recovered_yuan for t in tasks), Decimal(0)),
        "institutions": sum(t.institutions for t in tasks),
        "files_read": sum(t.files_read for t in targets),
        "site_visits": sum(t.site_visits for t in targets),
        "questionnaires": sum(t.questionnaires for t in targets),
        "special_reports": sum(g.special_reports for g in groups),
        "recommendations": sum(g.recommendations for g in groups),
        "_tasks": len(tasks),
        "_tasks_finished": sum(t.status in ("已完成", "基本完成持续整改") for t in tasks),
    }


def rates(figures: dict[str, Any]) -> dict[str, Any]:
    """成案率 and 整改完成率 from the counted figures."""
    moved, tasks = figures["leads_transferred"], figures["_tasks"]
    return {
        "case_rate": round(figures["cases_opened"] / moved, 4) if moved else 0.0,
        "rectification_rate": round(figures["_tasks_finished"] / tasks, 4) if tasks else None,
    }


def coverage_percent(rs: Records, last_year: int | None) -> float:
    """全覆盖: the share of the active organizations a live unit of a live round (up to `last_year`) names."""
    rounds = rs.rounds()
    seen = {
        t.org_id
        for t in rs.by_type[TARGET.key]
        if t.org_id and t.round_id in rounds and (last_year is None or rounds[t.round_id].year <= last_year)
    }
    active = [o for o in rs.by_type[PARTY_ORGANIZATION.key] if o.active]
    return round(sum(o.id in seen for o in active) * 100 / len(active), 1) if active else 0.0
