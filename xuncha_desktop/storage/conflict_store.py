"""The conflicts a person resolves (sync.md §3.8), as the merge and the numbers of live records find them:
opened, updated and closed in sync_conflict so that every workspace holding the same revisions shows the
same ones."""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from sqlalchemy import Connection, Row, insert, select, update

from xuncha_desktop.domain.codec import canonical_json
from xuncha_desktop.domain.record_types import record_type
from xuncha_desktop.storage.merge import Merged
from xuncha_desktop.storage.revision_store import chunks
from xuncha_desktop.storage.tables import BUSINESS_TABLES, sync_conflict

CONFLICT_NAMESPACE = uuid.UUID("6f1c4a52-7d0e-4c1b-9a57-3f7e2b8d1c01")


def conflict_id(rtype: str, record_id: str, kind: str) -> str:
    return str(uuid.uuid5(CONFLICT_NAMESPACE, f"{rtype}/{record_id}/{kind}"))


MERGE_KINDS = ("soft", "hard", "delete_edit")


def record_conflicts(
    conn: Connection, rtype: str, merged: dict[str, Merged], *, at: str, package_id: str | None
) -> None:
    """Open, update or close the merge conflict of each record to match its merge."""
    ids = list(merged)
    open_rows: dict[str, list[Any]] = defaultdict(list)
    for chunk in chunks(ids):
        for row in conn.execute(
            select(sync_conflict.c.id, sync_conflict.c.kind, sync_conflict.c.record_id).where(
                sync_conflict.c.record_type == rtype,
                sync_conflict.c.record_id.in_(chunk),
                sync_conflict.c.kind.in_(MERGE_KINDS),
                sync_conflict.c.status == "open",
            )
        ):
            open_rows[row.record_id].append(row)
    wanted = {conflict_id(rtype, rid, m.kind): rid for rid, m in merged.items() if m.kind is not None}
    existing = set()
    for chunk in chunks(list(wanted)):
        existing |= {
            r.id for r in conn.execute(select(sync_conflict.c.id).where(sync_conflict.c.id.in_(chunk)))
        }
    for rid, m in merged.items():
        for row in open_rows.get(rid, []):
            if row.kind != m.kind:  # heads collapsed (resolved elsewhere) or the kind changed
                conn.execute(
                    update(sync_conflict)
                    .where(sync_conflict.c.id == row.id)
                    .values(
                        status="resolved",
                        resolved_at=at,
                        resolution_rev_id=m.heads[0].rev_id if len(m.heads) == 1 else None,
                    )
                )
        if m.kind is None:
            continue
        cid = conflict_id(rtype, rid, m.kind)
        values = {
            "head_rev_ids": canonical_json(sorted(h.rev_id for h in m.heads)),
            "base_rev_id": m.base.rev_id if m.base else None,
            "fields": canonical_json(list(m.fields)),
            "status": "open",
            "resolution_rev_id": None,
            "resolved_by": None,
            "resolved_at": None,
        }
        if cid in existing:
            conn.execute(update(sync_conflict).where(sync_conflict.c.id == cid).values(**values))
        else:
            conn.execute(
                insert(sync_conflict).values(
                    id=cid,
                    record_type=rtype,
                    record_id=rid,
                    kind=m.kind,
                    detected_at=at,
                    detected_package=package_id,
                    **values,
                )
            )


def close_conflicts(conn: Connection, rtype: str, record_id: str, *, rev_id: str, by: str, at: str) -> None:
    """A local save over several heads is a resolution: close the record's open merge conflicts."""
    conn.execute(
        update(sync_conflict)
        .where(
            sync_conflict.c.record_type == rtype,
            sync_conflict.c.record_id == record_id,
            sync_conflict.c.kind.in_(MERGE_KINDS),
            sync_conflict.c.status == "open",
        )
        .values(status="resolved", resolution_rev_id=rev_id, resolved_by=by, resolved_at=at)
    )


def refresh_identity(
    conn: Connection, rtype: str, numbers: Iterable[str], *, at: str, package_id: str | None
) -> None:
    """Open an identity conflict for each live record that shares its human number with another live
    record of the same type, and close the ones that no longer do. A pure function of the live rows, so
    every workspace holding the same records shows the same identity conflicts."""
    wanted = sorted({n for n in numbers if n})
    if not wanted:
        return
    table = BUSINESS_TABLES[record_type(rtype).key]
    rows = conn.execute(
        select(table.c.id, table.c.number, table.c.deleted).where(table.c.number.in_(wanted))
    ).all()
    live: dict[str, list[str]] = {n: [] for n in wanted}
    every_id = [r.id for r in rows]
    for r in rows:
        if not r.deleted:
            live[r.number].append(r.id)
    should = {rid: sorted(ids) for ids in live.values() if len(ids) > 1 for rid in ids}
    existing = {
        r.record_id: r
        for chunk in chunks(every_id)
        for r in conn.execute(
            select(sync_conflict).where(
                sync_conflict.c.kind == "identity",
                sync_conflict.c.record_type == rtype,
                sync_conflict.c.record_id.in_(chunk),
            )
        )
    }
    for rid, row in existing.items():
        if rid not in should and row.status == "open":
            conn.execute(
                update(sync_conflict)
                .where(sync_conflict.c.id == row.id)
                .values(status="resolved", resolved_at=at)
            )
    for rid, same in should.items():
        values = {
            "head_rev_ids": canonical_json(same),
            "base_rev_id": None,
            "fields": canonical_json(["number"]),
            "status": "open",
            "resolution_rev_id": None,
            "resolved_by": None,
            "resolved_at": None,
        }
        if rid in existing:
            conn.execute(update(sync_conflict).where(sync_conflict.c.id == existing[rid].id).values(**values))
        else:
            conn.execute(
                insert(sync_conflict).values(
                    id=conflict_id(rtype, rid, "identity"),
                    record_type=rtype,
                    record_id=rid,
                    kind="identity",
                    detected_at=at,
                    detected_package=package_id,
                    **values,
                )
            )


def open_among(conn: Connection, records: Iterable[tuple[str, str]]) -> int:
    """How many of these (record type, record id) have an open conflict."""
    rows = conn.execute(
        select(sync_conflict.c.record_type, sync_conflict.c.record_id).where(sync_conflict.c.status == "open")
    ).all()
    return len({(r.record_type, r.record_id) for r in rows} & set(records))


def open_conflicts(conn: Connection) -> list[Row[Any]]:
    """Every open conflict, oldest first."""
    return list(
        conn.execute(
            select(sync_conflict)
            .where(sync_conflict.c.status == "open")
            .order_by(sync_conflict.c.detected_at, sync_conflict.c.id)
        ).all()
    )


def open_for_record(conn: Connection, rtype: str, record_id: str) -> list[Row[Any]]:
    """The open conflicts of one record (a merge conflict and an identity conflict may both be open)."""
    return list(
        conn.execute(
            select(sync_conflict).where(
                sync_conflict.c.record_type == rtype,
                sync_conflict.c.record_id == record_id,
                sync_conflict.c.status == "open",
            )
        ).all()
    )


def conflict(conn: Connection, conflict_id: str) -> Row[Any] | None:
    return conn.execute(select(sync_conflict).where(sync_conflict.c.id == conflict_id)).first()
