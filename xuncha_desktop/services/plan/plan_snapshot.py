"""The live plan of a workspace as a domain.plan_rules.PlanSnapshot, to check a change against.

A province's plan holds thousands of members and units: the rows are fetched at once and turned into
records by column position (worked out once per table), not by name row by row."""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from operator import itemgetter
from typing import Any

from sqlalchemy import ColumnElement, Connection, select

from xuncha_desktop.domain.common import RecordMeta
from xuncha_desktop.domain.plan_rules import PlanSnapshot
from xuncha_desktop.domain.record_types import BY_KEY, GROUP, MEMBER, ROUND, TARGET, USER, RecordType
from xuncha_desktop.storage.tables import BUSINESS_TABLES, META_COLUMNS

_META = ("created_hlc", "created_by", "updated_hlc", "updated_by", "deleted", "conflict", "head_rev")


@cache
def _builder(key: str) -> Callable[[Any], Any]:
    """row of select(table) → the record, reading the row's values by position."""
    rt = BY_KEY[key]
    keys = list(BUSINESS_TABLES[key].c.keys())
    fields = [k for k in keys if k not in {*META_COLUMNS, "id", "number"}]
    values = [keys.index(k) for k in fields]
    meta = itemgetter(*(keys.index(k) for k in _META))
    id_at, number_at, cls = keys.index("id"), keys.index("number"), rt.cls

    def build(row: Any) -> Any:
        created_at, created_by, updated_at, updated_by, deleted, conflict, head_rev = meta(row)
        return cls(
            id=row[id_at],
            number=row[number_at],
            meta=RecordMeta(
                created_at, created_by, updated_at, updated_by, bool(deleted), conflict, head_rev
            ),
            **{name: row[i] for name, i in zip(fields, values, strict=True)},
        )

    return build


def _live(conn: Connection, rt: RecordType, *where: ColumnElement[bool]) -> list[Any]:
    t = BUSINESS_TABLES[rt.key]
    rows = conn.execute(select(t).where(t.c.deleted.is_(False), *where).order_by(t.c.created_hlc, t.c.id))
    build = _builder(rt.key)
    return [build(row) for row in rows.all()]


def load_snapshot(conn: Connection, round_id: str | None = None) -> PlanSnapshot:
    """Rounds, groups, members, target units and users that are not in the recycle bin, oldest first.

    With `round_id` the members and target units are those of that round only ("" → none): every rule
    about them is a rule within one round, so a change to one round is checked without reading the
    province's whole history."""
    plan = PlanSnapshot()
    members, targets, groups = (
        BUSINESS_TABLES[MEMBER.key],
        BUSINESS_TABLES[TARGET.key],
        BUSINESS_TABLES[GROUP.key],
    )
    narrow: dict[str, list[ColumnElement[bool]]] = {}
    if round_id is not None:
        in_round = select(groups.c.id).where(groups.c.round_id == round_id)
        narrow = {
            MEMBER.key: [members.c.group_id.in_(in_round)],
            TARGET.key: [targets.c.round_id == round_id],
        }
    for rt in (ROUND, GROUP, MEMBER, TARGET, USER):
        for record in _live(conn, rt, *narrow.get(rt.key, [])):
            plan.put(record)
    return plan
