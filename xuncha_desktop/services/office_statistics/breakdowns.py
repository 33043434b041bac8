"""The figures of a scope split into rows: by 巡察组, 单位类型, 巡察类型, 问题类别 (level 1 and 2), 纪律 or
轮次, each table ending with its 合计 row (key "").

A figure is split only by what its records carry (a 底稿 has a category, a talk has none): in a row the
figures the breakdown does not apply to are 0 (applies() says which apply), and the 合计 row is the whole
scope's Summary. The rows of every figure that applies add up to the 合计 — except:
- 纪律: a 底稿 or lead naming several disciplines counts under each of them, the 合计 once;
- counts of distinct persons (移交问题线索（人）): one person may appear in several rows;
- the rates (成案率, 整改完成率) and 全覆盖进度, worked out per row, which are not added up."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import select

from xuncha_desktop.domain import vocab
from xuncha_desktop.domain.classification import category_label
from xuncha_desktop.domain.record_types import GROUP, ROUND
from xuncha_desktop.services.office_statistics.figures import (
    FIGURE_LABELS,
    Summary,
    coverage_years,
    from_tally,
    summary,
)
from xuncha_desktop.services.office_statistics.query import NONE_KEY, TOTAL_KEY, dimension, tally
from xuncha_desktop.services.office_statistics.rules import RULES
from xuncha_desktop.services.office_statistics.scope import Scope
from xuncha_desktop.services.plan.coverage import term_coverage
from xuncha_desktop.services.workspace import Workspace
from xuncha_desktop.storage.tables import BUSINESS_TABLES

BREAKDOWNS = ("group", "unit_kind", "round_kind", "category_l1", "category_l2", "discipline", "round")
BREAKDOWN_LABELS = {
    "group": "按巡察组",
    "unit_kind": "按单位类型",
    "round_kind": "按巡察类型",
    "category_l1": "按问题类别",
    "category_l2": "按问题子类",
    "discipline": "按涉及纪律",
    "round": "按巡察轮次",
}
TOTAL_LABEL = "合计"
# The figures whose rows are not added up to the 合计 (see the module's docstring), besides 纪律 as a whole.
NOT_ADDITIVE = frozenset({"leads_transferred_persons", "case_rate", "rectification_rate", "coverage_percent"})
_NONE_LABELS = {
    "group": "未指定巡察组",
    "unit_kind": "未指定单位类型",
    "round_kind": "未指定巡察类型",
    "category_l1": "未分类",
    "category_l2": "未细分子类",
    "discipline": "未标注纪律",
    "round": "未指定轮次",
}
# Rows shown even when empty (a chart compares every kind); the others list what the scope holds.
_FIXED_KEYS = {
    "unit_kind": vocab.UNIT_KINDS,
    "round_kind": vocab.ROUND_KINDS,
    "discipline": vocab.DISCIPLINES,
}


# The counted figures a worked-out one is split by.
_INPUTS = {"case_rate": ("leads_transferred",), "rectification_rate": ("_tasks",)}


@dataclass(frozen=True)
class BreakdownRow:
    key: str  # the group's or round's id, the kind, the category code, the 纪律; "" the 合计 row
    label: str
    figures: Summary


def applies(by: str, figure: str) -> bool:
    """Whether `figure` is split by `by` (every record type behind it carries the breakdown's key)."""
    if by not in BREAKDOWNS:
        raise ValueError(f"unknown breakdown {by!r}")
    if figure == "coverage_percent":
        return by == "unit_kind"
    parts = [p for name in _INPUTS.get(figure, (figure,)) for p in RULES.get(name, ())]
    return bool(parts) and all(dimension(by, p.type_key) is not None for p in parts)


def _context_labels(ws: Workspace, scope: Scope, by: str) -> dict[str, tuple[Any, str]]:
    """key → (sort key, label) of the rounds or groups."""
    rounds_t, groups_t = BUSINESS_TABLES[ROUND.key], BUSINESS_TABLES[GROUP.key]
    with ws.engine.connect() as conn:
        rounds = {
            r.id: (r.year, r.ordinal, r.name)
            for r in conn.execute(select(rounds_t.c.id, rounds_t.c.year, rounds_t.c.ordinal, rounds_t.c.name))
        }
        if by == "round":
            return {rid: ((y, o, n), n) for rid, (y, o, n) in rounds.items()}
        groups = conn.execute(
            select(groups_t.c.id, groups_t.c.round_id, groups_t.c.ordinal, groups_t.c.name)
        ).all()
    out: dict[str, tuple[Any, str]] = {}
    for g in groups:
        year, ordinal, round_name = rounds.get(g.round_id, (0, 0, ""))
        label = g.name if scope.round_id or not round_name else f"{round_name}·{g.name}"
        out[g.id] = ((year, ordinal, round_name, g.ordinal, g.name), label)
    return out


def _ordered(ws: Workspace, scope: Scope, by: str, keys: set[str]) -> list[tuple[str, str]]:
    """(key, label) of the rows in the order they are shown; NONE_KEY last."""
    fixed = _FIXED_KEYS.get(by)
    none = [(NONE_KEY, _NONE_LABELS[by])] if NONE_KEY in keys else []
    rest = sorted(keys - {NONE_KEY} - set(fixed or ()))
    if fixed is not None:
        return [(k, k) for k in (*fixed, *rest)] + none
    if by in ("category_l1", "category_l2"):
        return [(k, f"{k} {category_label(k)}" if category_label(k) != k else k) for k in rest] + none
    labels = _context_labels(ws, scope, by)
    known = sorted((k for k in rest if k in labels), key=lambda k: labels[k][0])
    unknown = [(k, f"（已删除）{k[:8]}") for k in rest if k not in labels]
    return [(k, labels[k][1]) for k in known] + unknown + none


def _kind_coverage(ws: Workspace, scope: Scope) -> dict[str, float]:
    coverage = term_coverage(ws, years=coverage_years(ws, scope), with_orgs=False)
    return {k.kind: k.percent for k in coverage.kinds}


def _masked(values: dict[str, Any], by: str) -> dict[str, Any]:
    """A row's counted figures without those the breakdown does not apply to."""
    keep = {f for f in (*RULES, *FIGURE_LABELS) if f.startswith("_") or applies(by, f)}
    return {k: v for k, v in values.items() if k in keep}


def breakdown(ws: Workspace, scope: Scope, by: str, today: date | None = None) -> list[BreakdownRow]:
    """The rows of `scope` split `by` one of BREAKDOWNS, then the 合计 row (key "", the scope's Summary)."""
    if by not in BREAKDOWNS:
        raise ValueError(f"unknown breakdown {by!r}")
    today = today or date.today()
    with ws.engine.connect() as conn:
        counted = tally(conn, scope, today, by)
    counted.pop(TOTAL_KEY, None)  # a record naming no group, kind … is in NONE_KEY's row, never in 合计's
    coverage = _kind_coverage(ws, scope) if by == "unit_kind" else {}
    rows = [
        BreakdownRow(key, label, from_tally(_masked(counted.get(key, {}), by), coverage.get(key, 0.0)))
        for key, label in _ordered(ws, scope, by, set(counted))
    ]
    return [*rows, BreakdownRow(TOTAL_KEY, TOTAL_LABEL, summary(ws, scope, today))]
