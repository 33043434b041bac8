"""The SQL behind every figure: the rules of rules.py as conditional aggregates (SUM(CASE …), COUNT(DISTINCT
CASE …)), one SELECT per record type, optionally grouped by a breakdown's key. SQLAlchemy Core only, nothing
SQLite-specific: 纪律, kept as a JSON list, is matched as the text of its JSON element."""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Connection,
    FromClause,
    Integer,
    Table,
    Text,
    and_,
    case,
    cast,
    false,
    func,
    not_,
    or_,
    select,
    type_coerce,
)

from xuncha_desktop.domain import vocab
from xuncha_desktop.domain.record_types import DRAFT, GROUP, LEAD, ROUND, TARGET
from xuncha_desktop.services.office_statistics.rules import MONEY, Part, parts_by_type
from xuncha_desktop.services.office_statistics.scope import Scope, conditions
from xuncha_desktop.storage.tables import BUSINESS_TABLES

NONE_KEY = "_none"  # the row of records without a value (未分类, 未指定); "" is the 合计 row
TOTAL_KEY = ""
_CENTS = Decimal("0.01")


@dataclass(frozen=True)
class Dimension:
    """How the rows of one record type fall into a breakdown's rows: grouped by `key` read from `source`,
    or (纪律) one condition per row key."""

    source: FromClause
    key: ColumnElement[Any] | None = None
    keyed: dict[str, ColumnElement[bool]] | None = None


def _discipline_conditions(t: Table) -> dict[str, ColumnElement[bool]]:
    """One condition per 纪律: the JSON text of the list holds the element, quoted (portable LIKE with an
    explicit escape character); NONE_KEY: none of the known ones."""
    text = cast(t.c.disciplines, Text)

    def holds(d: str) -> ColumnElement[bool]:  # escaped (the default serializer) or as typed
        forms = {json.dumps(d), json.dumps(d, ensure_ascii=False)}
        return or_(*(text.contains(form, autoescape=True) for form in sorted(forms)))

    each = {d: holds(d) for d in vocab.DISCIPLINES}
    return {**each, NONE_KEY: not_(or_(*each.values()))}


def dimension(by: str, type_key: str) -> Dimension | None:
    """How `type_key`'s rows break down `by`; None where the breakdown does not apply to them (groups have
    no unit kind, interviews no category …)."""
    t = BUSINESS_TABLES[type_key]
    names = set(t.c.keys())
    if by == "round":
        return Dimension(t, t.c.id if type_key == ROUND.key else t.c.round_id)
    if by == "group":
        if type_key == GROUP.key:
            return Dimension(t, t.c.id)
        return Dimension(t, t.c.group_id) if "group_id" in names else None
    if by == "round_kind":
        if type_key == ROUND.key:
            return Dimension(t, t.c.kind)
        rounds = BUSINESS_TABLES[ROUND.key].alias("scope_round")
        return Dimension(t.outerjoin(rounds, rounds.c.id == t.c.round_id), rounds.c.kind)
    if by == "unit_kind":
        if type_key == TARGET.key:
            return Dimension(t, t.c.kind)
        if "target_id" not in names:
            return None
        targets = BUSINESS_TABLES[TARGET.key].alias("scope_target")
        return Dimension(t.outerjoin(targets, targets.c.id == t.c.target_id), targets.c.kind)
    if by in ("category_l1", "category_l2"):
        return Dimension(t, t.c[by]) if type_key == DRAFT.key else None
    if by == "discipline":
        return Dimension(t, keyed=_discipline_conditions(t)) if type_key in (DRAFT.key, LEAD.key) else None
    raise ValueError(f"unknown breakdown {by!r}")


def key_condition(dim: Dimension, key: str) -> ColumnElement[bool]:
    """The rows of a breakdown's row `key` (NONE_KEY: those without a value)."""
    if dim.keyed is not None:
        return dim.keyed.get(key, false())
    assert dim.key is not None
    if key == NONE_KEY:
        return or_(dim.key.is_(None), dim.key == "")
    return dim.key == key


def aggregate(part: Part, t: Table, today: date) -> ColumnElement[Any]:
    """The SQL aggregate of one part over the rows in the FROM/WHERE."""
    where = part.where(t, today)
    if part.measure == "sum":
        value = type_coerce(t.c[part.column], Integer)  # Money: the stored 分, exact
        return func.coalesce(func.sum(case((where, value), else_=0)), 0)
    if part.measure == "distinct":
        column = t.c[part.column]
        return func.count(case((and_(where, column != ""), column), else_=None).distinct())
    return func.coalesce(func.sum(case((where, 1), else_=0)), 0)


def behind_condition(part: Part, t: Table, today: date) -> ColumnElement[bool]:
    """The rows that make up a part's value: those meeting its condition (a sum: with a non-zero value)."""
    where = part.where(t, today)
    if part.measure == "sum":
        return and_(where, type_coerce(t.c[part.column], Integer) != 0)
    if part.measure == "distinct":
        return and_(where, t.c[part.column] != "")
    return where


def _value(figure: str, raw: Any) -> Any:
    if figure in MONEY:
        return (Decimal(int(raw or 0)) / 100).quantize(_CENTS)
    return int(raw or 0)


Tally = dict[str, dict[str, Any]]  # row key → figure → value (int, or Decimal 元 for money)


def _add(out: Tally, key: str, items: list[tuple[str, int, Part]], row: Any) -> None:
    figures = out[key]
    for n, (figure, _, _) in enumerate(items):
        figures[figure] = figures.get(figure, 0) + _value(figure, row[n])


def tally(conn: Connection, scope: Scope, today: date, by: str = "") -> Tally:
    """Every counted figure (rules.RULES) in `scope`: {TOTAL_KEY: figures} without a breakdown, else one
    entry per row key found (NONE_KEY for rows without a value). Figures a breakdown does not apply to are
    left out of its rows."""
    out: Tally = defaultdict(dict)
    if not by:
        out[TOTAL_KEY] = {}
    for type_key, items in parts_by_type().items():
        t = BUSINESS_TABLES[type_key]
        columns = [aggregate(part, t, today) for _, _, part in items]
        where = conditions(scope, type_key)
        if not by:
            _add(out, TOTAL_KEY, items, conn.execute(select(*columns).where(*where)).one())
            continue
        dim = dimension(by, type_key)
        if dim is None:
            continue
        if dim.keyed is not None:
            for key, condition in dim.keyed.items():
                stmt = select(*columns).select_from(dim.source).where(*where, condition)
                _add(out, key, items, conn.execute(stmt).one())
            continue
        assert dim.key is not None
        key_expr = func.coalesce(dim.key, "")
        stmt = select(key_expr, *columns).select_from(dim.source).where(*where).group_by(key_expr)
        for row in conn.execute(stmt):
            _add(out, str(row[0]) or NONE_KEY, items, row[1:])
    return dict(out)
