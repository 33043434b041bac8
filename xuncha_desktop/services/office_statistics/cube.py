"""Every counted figure of a scope in one pass per record type: a GROUP BY over the columns the breakdowns
split by (round, group, unit, category, 纪律 as JSON text; the 被反映人 for the distinct persons), with the
rules' conditional aggregates, then rolled up in Python into the 合计 or the rows of any breakdown. The
summary and all seven breakdowns of a year thus read each table once (the 统计分析 tab opens them together).

The roll-up keys follow query.dimension exactly (a unit's kind and a round's kind looked up by id, deleted
ones included; no value → NONE_KEY), so the drill-down, which filters in SQL, finds the same records."""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import Connection, Integer, Text, case, cast, func, select, type_coerce

from xuncha_desktop.domain import vocab
from xuncha_desktop.domain.record_types import DRAFT, GROUP, LEAD, ROUND, TARGET
from xuncha_desktop.services.office_statistics.query import (
    NONE_KEY,
    TOTAL_KEY,
    Tally,
    dimension,
    figure_value,
)
from xuncha_desktop.services.office_statistics.rules import Part, parts_by_type
from xuncha_desktop.services.office_statistics.scope import Scope, conditions
from xuncha_desktop.storage.tables import BUSINESS_TABLES

_ROUNDS, _TARGETS = BUSINESS_TABLES[ROUND.key], BUSINESS_TABLES[TARGET.key]


def _key_columns(type_key: str) -> dict[str, Any]:
    """name → column of the cube's key for one record type."""
    t = BUSINESS_TABLES[type_key]
    c = t.c
    out: dict[str, Any] = {"round": c.id if type_key == ROUND.key else c.round_id}
    if type_key == GROUP.key:
        out["group"] = c.id
    elif "group_id" in c:
        out["group"] = c.group_id
    if type_key in (ROUND.key, TARGET.key):
        out["kind"] = c.kind
    if type_key == TARGET.key:
        out["target"] = c.id
    elif "target_id" in c:
        out["target"] = c.target_id
    if type_key == DRAFT.key:
        out["category_l1"], out["category_l2"] = c.category_l1, c.category_l2
    if type_key in (DRAFT.key, LEAD.key):
        out["disciplines"] = cast(c.disciplines, Text)
    for part in (p for _, _, p in parts_by_type().get(type_key, []) if p.measure == "distinct"):
        out[f"distinct:{part.column}"] = c[part.column]
    return out


def _cube_column(part: Part, today: date, grouped: bool) -> Any:
    """A part's aggregate in the cube. Grouped, a distinct count becomes the count of its rows (the value
    is in the key, so the roll-up collects the distinct values); ungrouped it is COUNT(DISTINCT …)."""
    t = part.table
    where = part.where(t, today)
    if part.measure == "sum":
        return func.coalesce(func.sum(case((where, type_coerce(t.c[part.column], Integer)), else_=0)), 0)
    if part.measure == "distinct":
        column = t.c[part.column]
        if not grouped:
            return func.count(case((where & (column != ""), column), else_=None).distinct())
        where = where & (column != "")
    return func.coalesce(func.sum(case((where, 1), else_=0)), 0)


@dataclass
class Cube:
    """The cube rows per record type: (key values by name, aggregate values in parts_by_type order)."""

    rows: dict[str, list[tuple[dict[str, Any], tuple[Any, ...]]]] = field(default_factory=dict)
    round_kinds: dict[str, str] = field(default_factory=dict)
    unit_kinds: dict[str, str] = field(default_factory=dict)

    def _row_keys(self, by: str, type_key: str, key: dict[str, Any]) -> list[str]:
        """The breakdown rows a cube row falls in (several for 纪律; none where `by` does not apply)."""
        if by in ("category_l1", "category_l2") or by == "discipline":
            if by == "discipline":
                named = [d for d in vocab.DISCIPLINES if d in json.loads(key["disciplines"] or "[]")]
                return named or [NONE_KEY]
            return [key[by] or NONE_KEY]
        if by == "round":
            value = key["round"]
        elif by == "group":
            value = key["group"]
        elif by == "round_kind":
            value = key["kind"] if type_key == ROUND.key else self.round_kinds.get(key["round"] or "", "")
        else:  # unit_kind
            value = key["kind"] if type_key == TARGET.key else self.unit_kinds.get(key["target"] or "", "")
        return [value or NONE_KEY]

    def rollup(self, by: str = "") -> Tally:
        """The figures of the 合计 ({TOTAL_KEY: …}) or of each row of the breakdown `by`."""
        out: Tally = defaultdict(dict)
        persons: dict[tuple[str, str], set[str]] = defaultdict(set)
        if not by:
            out[TOTAL_KEY] = {}
        for type_key, items in parts_by_type().items():
            if by and dimension(by, type_key) is None:
                continue
            for key, values in self.rows.get(type_key, []):
                for row in self._row_keys(by, type_key, key) if by else [TOTAL_KEY]:
                    figures = out[row]
                    for (figure, _, part), value in zip(items, values, strict=True):
                        if part.measure == "distinct" and f"distinct:{part.column}" in key:
                            figures.setdefault(figure, 0)
                            if value:
                                persons[(row, figure)].add(key[f"distinct:{part.column}"])
                        else:
                            figures[figure] = figures.get(figure, 0) + figure_value(figure, value)
        for (row, figure), names in persons.items():
            out[row][figure] = len(names)
        return dict(out)


def read_cube(conn: Connection, scope: Scope, today: date, *, grouped: bool = True) -> Cube:
    """One GROUP BY per record type over the scope's live rows; `grouped=False`: one plain aggregate row
    per type, enough for the 合计 only (rollup() without a breakdown)."""
    cube = Cube()
    for type_key, items in parts_by_type().items():
        keys = _key_columns(type_key) if grouped else {}
        columns = [_cube_column(part, today, grouped) for _, _, part in items]
        stmt = select(*keys.values(), *columns).where(*conditions(scope, type_key))
        if keys:
            stmt = stmt.group_by(*keys.values())
        names = list(keys)
        cube.rows[type_key] = [
            (dict(zip(names, row[: len(names)], strict=True)), tuple(row[len(names) :]))
            for row in conn.execute(stmt)
        ]
    if grouped:
        cube.round_kinds = {str(i): str(k) for i, k in conn.execute(select(_ROUNDS.c.id, _ROUNDS.c.kind))}
        cube.unit_kinds = {str(i): str(k) for i, k in conn.execute(select(_TARGETS.c.id, _TARGETS.c.kind))}
    return cube
