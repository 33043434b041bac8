"""The live plan of a workspace as a domain.plan_rules.PlanSnapshot, to check a change against."""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, Connection, select

from xuncha_desktop.domain.plan_rules import PlanSnapshot
from xuncha_desktop.domain.record_types import GROUP, MEMBER, ROUND, TARGET, USER, RecordType
from xuncha_desktop.storage.tables import BUSINESS_TABLES, META_COLUMNS, meta_from_row


def _live(conn: Connection, rt: RecordType, *where: ColumnElement[bool]) -> list[Any]:
    t = BUSINESS_TABLES[rt.key]
    rows = conn.execute(select(t).where(t.c.deleted.is_(False), *where).order_by(t.c.created_hlc, t.c.id))
    return [
        rt.cls(
            id=row.id,
            number=row.number,
            meta=meta_from_row(row),
            **{c: getattr(row, c) for c in row._fields if c not in META_COLUMNS},
        )
        for row in rows
    ]


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
