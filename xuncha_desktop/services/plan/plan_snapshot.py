"""The live plan of a workspace as a domain.plan_rules.PlanSnapshot, to check a change against."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, select

from xuncha_desktop.domain.plan_rules import PlanSnapshot
from xuncha_desktop.domain.record_types import GROUP, MEMBER, ROUND, TARGET, USER, RecordType
from xuncha_desktop.storage.tables import BUSINESS_TABLES, META_COLUMNS, meta_from_row


def _live(conn: Connection, rt: RecordType) -> list[Any]:
    t = BUSINESS_TABLES[rt.key]
    rows = conn.execute(select(t).where(t.c.deleted.is_(False)).order_by(t.c.created_hlc, t.c.id))
    return [
        rt.cls(
            id=row.id,
            number=row.number,
            meta=meta_from_row(row),
            **{c: getattr(row, c) for c in row._fields if c not in META_COLUMNS},
        )
        for row in rows
    ]


def load_snapshot(conn: Connection) -> PlanSnapshot:
    """Rounds, groups, members, target units and users that are not in the recycle bin, oldest first."""
    plan = PlanSnapshot()
    for rt in (ROUND, GROUP, MEMBER, TARGET, USER):
        for record in _live(conn, rt):
            plan.put(record)
    return plan
