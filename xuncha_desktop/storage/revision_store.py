"""Stored revisions as sync reads and receives them (sync.md §3.3–3.5): the revision sets the merge reads,
the revisions a package brings, and the ones a peer still lacks.

The one place a stored or received revision becomes a `merge.Rev`. Bodies kept in their record's row come
back rebuilt and verified (storage.revision_body). Local edits are written by
storage.revisions.RevisionWriter.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from sqlalchemy import Connection, delete, insert, select

from xuncha_desktop.storage.merge import Rev
from xuncha_desktop.storage.revision_body import fill_bodies
from xuncha_desktop.storage.tables import sync_revision, sync_revision_parent

CHUNK = 500  # ids per IN (...) list: well under SQLite's variable limit, and fast on any backend

Knowledge = dict[str, dict[str, int]]  # {replica: {incarnation: highest contiguous counter}}


def chunks(items: Sequence[str], size: int = CHUNK) -> Iterator[list[str]]:
    for start in range(0, len(items), size):
        yield list(items[start : start + size])


def make_rev(
    rev_id: str,
    parents: Iterable[str],
    deleted: bool,
    body: str | None,
    hlc: str,
    origin_replica: str,
    author: str,
) -> Rev:
    """A revision as the merge reads it, from its stored columns (the body as stored JSON text)."""
    return Rev(
        rev_id,
        tuple(sorted(parents)),
        bool(deleted),
        json.loads(body) if body else {},
        hlc,
        origin_replica,
        author,
    )


def load_revisions_many(conn: Connection, rtype: str, record_ids: list[str]) -> dict[str, dict[str, Rev]]:
    """The revision sets of many records of one type, in a few queries."""
    rows: list[Any] = []
    for chunk in chunks(record_ids):
        rows.extend(
            conn.execute(
                select(
                    sync_revision.c.rev_id,
                    sync_revision.c.record_id,
                    sync_revision.c.deleted,
                    sync_revision.c.record_type,
                    sync_revision.c.body,
                    sync_revision.c.body_sha256,
                    sync_revision.c.body_in_row,
                    sync_revision.c.hlc,
                    sync_revision.c.origin_replica,
                    sync_revision.c.author_user,
                ).where(sync_revision.c.record_type == rtype, sync_revision.c.record_id.in_(chunk))
            ).all()
        )
    rows = fill_bodies(conn, rows)
    parents = _parents_of(conn, [r.rev_id for r in rows])
    out: dict[str, dict[str, Rev]] = {rid: {} for rid in record_ids}
    for r in rows:
        out[r.record_id][r.rev_id] = make_rev(
            r.rev_id, parents[r.rev_id], r.deleted, r.body, r.hlc, r.origin_replica, r.author_user
        )
    return out


def load_revisions(conn: Connection, rtype: str, record_id: str) -> dict[str, Rev]:
    return load_revisions_many(conn, rtype, [record_id])[record_id]


def _parents_of(conn: Connection, rev_ids: list[str]) -> dict[str, list[str]]:
    parents: dict[str, list[str]] = defaultdict(list)
    for chunk in chunks(rev_ids):
        for link in conn.execute(
            select(sync_revision_parent).where(sync_revision_parent.c.rev_id.in_(chunk))
        ):
            parents[link.rev_id].append(link.parent_rev_id)
    return parents


def received_revisions(revs: list[dict[str, Any]], links: list[dict[str, str]]) -> dict[str, dict[str, Rev]]:
    """Revisions just received (sync_revision rows and their parent links), grouped by record, as the merge
    reads them."""
    parents: dict[str, list[str]] = defaultdict(list)
    for link in links:
        parents[link["rev_id"]].append(link["parent_rev_id"])
    out: dict[str, dict[str, Rev]] = defaultdict(dict)
    for rev in revs:
        out[rev["record_id"]][rev["rev_id"]] = make_rev(
            rev["rev_id"],
            parents[rev["rev_id"]],
            rev["deleted"],
            rev["body"],
            rev["hlc"],
            rev["origin_replica"],
            rev["author_user"],
        )
    return out


def store_received(conn: Connection, revs: list[dict[str, Any]], links: list[dict[str, str]]) -> None:
    """Add received revisions (sync_revision rows) and their parent links."""
    if revs:
        conn.execute(insert(sync_revision), revs)
    if links:
        conn.execute(insert(sync_revision_parent), links)


def known_revisions(conn: Connection, rev_ids: list[str]) -> set[str]:
    """Which of these revisions this workspace holds (from the key's index alone)."""
    known: set[str] = set()
    for chunk in chunks(rev_ids):
        known |= {
            r.rev_id
            for r in conn.execute(select(sync_revision.c.rev_id).where(sync_revision.c.rev_id.in_(chunk)))
        }
    return known


def claimed_counters(
    conn: Connection, origins: dict[tuple[str, int], list[int]]
) -> dict[tuple[str, int, int], str]:
    """Which stored revision holds each (replica, incarnation, counter) among `origins` ({(replica,
    incarnation): counters}); a different one arriving means two databases wrote under one identity."""
    claimed: dict[tuple[str, int, int], str] = {}
    for (replica, incarnation), counters in origins.items():
        low, high = min(counters), max(counters)
        for r in conn.execute(
            select(sync_revision.c.origin_counter, sync_revision.c.rev_id).where(
                sync_revision.c.origin_replica == replica,
                sync_revision.c.origin_incarnation == incarnation,
                sync_revision.c.origin_counter.between(low, high),
            )
        ):
            claimed[(replica, incarnation, int(r.origin_counter))] = r.rev_id
    return claimed


def covered(ack: Knowledge, replica: str, incarnation: int, counter: int) -> bool:
    """Whether a peer's acknowledged knowledge holds this revision."""
    return counter <= ack.get(replica, {}).get(str(incarnation), 0)


def unacknowledged(
    conn: Connection, ack: Knowledge | None, scope: set[tuple[str, str]] | None = None
) -> tuple[list[Any], dict[str, list[str]]]:
    """Stored revisions a peer has not acknowledged (all when `ack` is None), optionally only those of some
    (record type, record id), oldest first; with their parents by revision."""
    rows = fill_bodies(
        conn,
        (
            r
            for r in conn.execute(select(sync_revision).order_by(sync_revision.c.hlc, sync_revision.c.rev_id))
            if (scope is None or (r.record_type, r.record_id) in scope)
            and (ack is None or not covered(ack, r.origin_replica, r.origin_incarnation, r.origin_counter))
        ),
    )
    parents: dict[str, list[str]] = defaultdict(list)
    ids = {r.rev_id for r in rows}
    for link in conn.execute(select(sync_revision_parent)):
        if link.rev_id in ids:
            parents[link.rev_id].append(link.parent_rev_id)
    return rows, parents


def own_revisions(conn: Connection, replica_id: str) -> list[Any]:
    """Every stored revision made under one identity, in the order it made them."""
    return fill_bodies(
        conn,
        conn.execute(
            select(sync_revision)
            .where(sync_revision.c.origin_replica == replica_id)
            .order_by(sync_revision.c.origin_incarnation, sync_revision.c.origin_counter)
        ).all(),
    )


def own_counters(conn: Connection, replica_id: str) -> list[tuple[int, int]]:
    """(incarnation, counter) of every stored revision made under one identity."""
    return [
        (int(inc), int(counter))
        for inc, counter in conn.execute(
            select(sync_revision.c.origin_incarnation, sync_revision.c.origin_counter).where(
                sync_revision.c.origin_replica == replica_id
            )
        )
    ]


def parents_of(conn: Connection, rev_ids: list[str]) -> dict[str, list[str]]:
    """{revision: its parents} of these revisions."""
    return _parents_of(conn, rev_ids)


def replace_revisions(
    conn: Connection, old_ids: list[str], revs: list[dict[str, Any]], links: list[dict[str, str]]
) -> None:
    """Remove revisions (and their parent links) and store others in their place."""
    for chunk in chunks(old_ids):
        conn.execute(delete(sync_revision_parent).where(sync_revision_parent.c.rev_id.in_(chunk)))
        conn.execute(delete(sync_revision).where(sync_revision.c.rev_id.in_(chunk)))
    store_received(conn, revs, links)
