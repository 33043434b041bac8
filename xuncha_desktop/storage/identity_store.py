"""Copied workspaces as the sync tables remember them (sync.md §3.2): the identity changes a person
confirmed, and the revisions made again under a new identity (retired), which are skipped wherever they
turn up. The checks and messages are services.identity's."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import Column, Connection, Row, delete, insert, select

from xuncha_desktop.storage.revision_store import chunks
from xuncha_desktop.storage.tables import (
    sync_identity_change,
    sync_retired_revision,
    sync_revision,
    sync_revision_parent,
)

RETIRED_COLUMNS = (
    "rev_id",
    "replaced_by",
    "record_type",
    "record_id",
    "origin_replica",
    "origin_incarnation",
    "origin_counter",
)


def change_to(conn: Connection, new_replica: str) -> Row[Any] | None:
    """The confirmed (or, on the copy itself, made) change of identity that led to `new_replica`."""
    return conn.execute(
        select(sync_identity_change).where(sync_identity_change.c.new_replica == new_replica)
    ).first()


def record_change(
    conn: Connection,
    *,
    new_replica: str,
    old_replica: str,
    statement: str,
    proof: bytes,
    at: str | None = None,
    by: str | None = None,
) -> None:
    """A change of identity: confirmed at the office (`at`, `by`), or made by this workspace itself."""
    conn.execute(
        insert(sync_identity_change).values(
            new_replica=new_replica,
            old_replica=old_replica,
            statement=statement,
            proof=proof,
            accepted_at=at,
            accepted_by=by,
        )
    )


def former_identities(conn: Connection, replica_id: str) -> list[str]:
    """The replica ids this workspace had before, newest first (it may have been re-identified twice)."""
    out: list[str] = []
    current = replica_id
    while True:
        row = conn.execute(
            select(sync_identity_change.c.old_replica).where(sync_identity_change.c.new_replica == current)
        ).first()
        if row is None or row.old_replica in out:
            return out
        out.append(row.old_replica)
        current = row.old_replica


def _existing(conn: Connection, column: Column[Any], ids: list[str]) -> set[str]:
    found: set[str] = set()
    for chunk in chunks(ids):
        found |= set(conn.execute(select(column).where(column.in_(chunk))).scalars())
    return found


def store_retired(conn: Connection, old_replica: str, entries: Iterable[dict[str, Any]], at: str) -> int:
    """Remember revisions of `old_replica` that were made again under a new identity, except those this
    workspace holds (a revision the office already has from the other copy stays what it is)."""
    wanted = [e for e in entries if e.get("origin_replica") == old_replica]
    ids = [str(e["rev_id"]) for e in wanted]
    held = _existing(conn, sync_revision.c.rev_id, ids) | _existing(conn, sync_retired_revision.c.rev_id, ids)
    rows = [
        {**{c: e[c] for c in RETIRED_COLUMNS}, "retired_at": at}
        for e in wanted
        if str(e["rev_id"]) not in held
    ]
    if rows:
        conn.execute(insert(sync_retired_revision), rows)
    return len(rows)


def retired_among(conn: Connection, rev_ids: list[str]) -> set[str]:
    """Which of these revisions were made again under a new identity: skipped wherever they arrive."""
    return _existing(conn, sync_retired_revision.c.rev_id, rev_ids)


def retired_rows(conn: Connection, origin: str | None = None) -> list[dict[str, Any]]:
    """Every retired revision this workspace knows of (of one former identity when `origin` is given)."""
    stmt = select(*(sync_retired_revision.c[c] for c in RETIRED_COLUMNS))
    if origin is not None:
        stmt = stmt.where(sync_retired_revision.c.origin_replica == origin)
    return [r._asdict() for r in conn.execute(stmt.order_by(sync_retired_revision.c.rev_id))]


def add_retired(conn: Connection, rows: list[dict[str, Any]]) -> None:
    """Remember revisions this workspace made again under its new identity (RETIRED_COLUMNS, retired_at)."""
    if rows:
        conn.execute(insert(sync_retired_revision), rows)


def retire_listed(
    conn: Connection, entries: list[dict[str, Any]], at: str, own_replica: str
) -> dict[str, list[str]]:
    """The office's list of retired revisions reaches a laptop: copies it holds (taken from the copied
    laptop's packages before it changed identity) step aside for the replacements, so the office's
    packages are not refused as a copy. This workspace's own revisions never do. Returns the records to
    rematerialise, by type."""
    entries = [e for e in entries if e.get("origin_replica") != own_replica]
    ids = [str(e["rev_id"]) for e in entries]
    known = _existing(conn, sync_retired_revision.c.rev_id, ids)
    fresh = [e for e in entries if str(e["rev_id"]) not in known]
    held = _existing(conn, sync_revision.c.rev_id, [str(e["rev_id"]) for e in fresh])
    if fresh:
        conn.execute(
            insert(sync_retired_revision),
            [{**{c: e[c] for c in RETIRED_COLUMNS}, "retired_at": at} for e in fresh],
        )
    records: dict[str, list[str]] = {}
    for chunk in chunks(sorted(held)):
        conn.execute(delete(sync_revision_parent).where(sync_revision_parent.c.rev_id.in_(chunk)))
        conn.execute(delete(sync_revision).where(sync_revision.c.rev_id.in_(chunk)))
    for e in fresh:
        if str(e["rev_id"]) in held:
            records.setdefault(str(e["record_type"]), []).append(str(e["record_id"]))
    return records
