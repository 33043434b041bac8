"""How each figure is counted, written once: the summary, every breakdown row and the drill-down to the
records behind a number all read this table, so they cannot disagree.

A figure is the sum of its parts; a part counts the live rows of one record type (inside the scope) that
meet its condition — or sums one of their columns, or counts the distinct values of one. Three figures are
worked out from others (FIGURE_LABELS in figures.py says which): 成案率 = 立案 / 移交问题线索, 整改完成率 =
(已完成 + 基本完成) / 整改任务 and 全覆盖进度 (services/plan/coverage.py)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from sqlalchemy import ColumnElement, Table, and_, func, true

from xuncha_desktop.domain import rectification as rect
from xuncha_desktop.domain import vocab
from xuncha_desktop.domain.record_types import (
    DRAFT,
    GROUP,
    INTERVIEW,
    LEAD,
    PETITION,
    ROUND,
    TARGET,
    TASK,
)
from xuncha_desktop.services.statistics import ADOPTED
from xuncha_desktop.storage.tables import BUSINESS_TABLES

Condition = Callable[[Table, date], ColumnElement[bool]]


def _every(t: Table, today: date) -> ColumnElement[bool]:
    return true()


def _adopted(t: Table, today: date) -> ColumnElement[bool]:
    """A finding: a 底稿 signed off (已审签) or merged into another (已归并); drafts, returned or voided
    ones are no finding."""
    return t.c.status.in_(ADOPTED)


def _transferred(t: Table, today: date) -> ColumnElement[bool]:
    """A lead handed over (a 移交日期 is set)."""
    return t.c.transfer_on.is_not(None)


def _transferred_and(test: Callable[[Table], ColumnElement[bool]]) -> Condition:
    return lambda t, today: and_(_transferred(t, today), test(t))


def _no_outcome(t: Table) -> ColumnElement[bool]:
    """None of 立案, 党纪政务处分, 组织处理, 移送司法 recorded (yet) for the lead."""
    return and_(
        t.c.case_opened.is_not(True),
        func.coalesce(t.c.sanction, "") == "",
        func.coalesce(t.c.org_handling, "") == "",
        t.c.judicial_transfer.is_not(True),
    )


def _overdue(t: Table, today: date) -> ColumnElement[bool]:
    """domain.lead_registrations.is_overdue in SQL: transferred, no feedback, and today is past the
    移交日期 + FEEDBACK_DEADLINE_DAYS (today > transfer_on + N ⟺ transfer_on < today − N)."""
    cutoff = today - timedelta(days=vocab.FEEDBACK_DEADLINE_DAYS)
    return and_(t.c.transfer_on.is_not(None), t.c.feedback_on.is_(None), t.c.transfer_on < cutoff)


def _finished(t: Table, today: date) -> ColumnElement[bool]:
    return t.c.status.in_((rect.DONE, rect.DONE_BASICALLY))


@dataclass(frozen=True)
class Part:
    """The live rows of `type_key` meeting `where`: counted ("" measure), a column summed ("sum"), or the
    distinct non-empty values of a column counted ("distinct")."""

    type_key: str
    where: Condition = _every
    measure: str = ""  # "" | "sum" | "distinct"
    column: str = ""

    @property
    def table(self) -> Table:
        return BUSINESS_TABLES[self.type_key]


# figure → its parts. Names starting with "_" are inputs of the worked-out figures, never shown.
RULES: dict[str, tuple[Part, ...]] = {
    "rounds": (Part(ROUND.key),),
    "units_inspected": (Part(TARGET.key),),  # 被巡察单位（个次）: every live unit of a round in scope
    "interviews": (Part(INTERVIEW.key),),  # 个别谈话人次: every live talk record
    # 受理信访件次: every live 信访件 registered, whatever its 受理范围 or disposal (one not within the remit
    # was still received and 转办), as `stats --json`'s "petitions" counts them
    "petitions": (Part(PETITION.key),),
    "issues_found": (Part(DRAFT.key, _adopted),),
    "immediate_fixes": (Part(DRAFT.key, lambda t, d: and_(_adopted(t, d), t.c.immediate_fix.is_(True))),),
    "leads_transferred": (Part(LEAD.key, _transferred),),
    "leads_transferred_persons": (Part(LEAD.key, _transferred, "distinct", "subject_name"),),
    "leads_on_site": (Part(LEAD.key, _transferred_and(lambda t: t.c.on_site_transfer.is_(True))),),
    "cases_opened": (Part(LEAD.key, _transferred_and(lambda t: t.c.case_opened.is_(True))),),
    "sanctions": (Part(LEAD.key, _transferred_and(lambda t: t.c.sanction != "")),),
    "org_handlings": (Part(LEAD.key, _transferred_and(lambda t: t.c.org_handling != "")),),
    "judicial_transfers": (Part(LEAD.key, _transferred_and(lambda t: t.c.judicial_transfer.is_(True))),),
    "leads_overdue": (Part(LEAD.key, _overdue),),
    # 挽回经济损失 is entered where it happened: during the inspection on the adopted 底稿, during the
    # rectification on the 整改任务; the figure adds both (enter each amount once).
    "amount_recovered_yuan": (
        Part(DRAFT.key, _adopted, "sum", "amount_recovered_yuan"),
        Part(TASK.key, _every, "sum", "amount_recovered_yuan"),
    ),
    "institutions": (Part(TASK.key, _every, "sum", "institutions"),),  # 推动建章立制（项）
    "files_read": (Part(TARGET.key, _every, "sum", "files_read"),),
    "site_visits": (Part(TARGET.key, _every, "sum", "site_visits"),),
    "questionnaires": (Part(TARGET.key, _every, "sum", "questionnaires"),),
    "special_reports": (Part(GROUP.key, _every, "sum", "special_reports"),),
    "recommendations": (Part(GROUP.key, _every, "sum", "recommendations"),),
    "_leads_without_outcome": (
        Part(LEAD.key, _transferred_and(_no_outcome)),
    ),  # the charts' 暂无处置结果 bar
    "_tasks": (Part(TASK.key),),
    "_tasks_finished": (Part(TASK.key, _finished),),
}

# The worked-out figures and the counted figure whose records stand behind them in a drill-down.
DERIVED_BEHIND = {
    "case_rate": "cases_opened",
    "rectification_rate": "_tasks_finished",
    "coverage_percent": "",  # 全覆盖 is read from the 党组织名录 (plan area), not from records here
}

MONEY = frozenset({"amount_recovered_yuan"})


def parts_by_type() -> dict[str, list[tuple[str, int, Part]]]:
    """(figure, index of the part, part) grouped by the record type they read, so each table is read once."""
    out: dict[str, list[tuple[str, int, Part]]] = {}
    for figure, parts in RULES.items():
        for i, part in enumerate(parts):
            out.setdefault(part.type_key, []).append((figure, i, part))
    return out


def parts_of(figure: str) -> tuple[Part, ...]:
    """The parts behind a figure shown (a worked-out one: those of the figure behind it)."""
    if figure in RULES:
        return RULES[figure]
    if figure in DERIVED_BEHIND:
        behind = DERIVED_BEHIND[figure]
        return RULES[behind] if behind else ()
    raise KeyError(figure)


def value_of(part: Part, table: Table) -> Any:
    """The column a sum adds up or a distinct count counts."""
    return table.c[part.column]
