"""Materialisation: a record's business row, heads, search document and conflicts rewritten from its
revisions through the merge (sync.md §3.6), for records that received revisions or whose heads changed."""

from __future__ import annotations

import dataclasses
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection, Row, Table, bindparam, delete, insert, select, update

from xuncha_desktop.domain.codec import canonical_json, from_body, sha256_hex, to_body
from xuncha_desktop.domain.common import NON_BODY_FIELDS
from xuncha_desktop.domain.record_types import RecordType, record_type
from xuncha_desktop.storage import revision_body, search_index
from xuncha_desktop.storage.conflict_store import record_conflicts, refresh_identity
from xuncha_desktop.storage.merge import Merged, Rev, merge
from xuncha_desktop.storage.revision_store import chunks, load_revisions_many
from xuncha_desktop.storage.tables import BUSINESS_TABLES, sync_head


def _row_values(rt: RecordType, body: dict[str, Any], record_id: str) -> tuple[dict[str, Any], Any]:
    record = from_body(rt.cls, body, id=record_id)
    values = {
        f.name: getattr(record, f.name) for f in dataclasses.fields(record) if f.name not in NON_BODY_FIELDS
    }
    return values, record


def _materialised(rt: RecordType, record_id: str, m: Merged) -> tuple[dict[str, Any], Any]:
    values, record = _row_values(rt, m.body, record_id)
    head_ids = sorted(h.rev_id for h in m.heads)
    row = {
        "head_rev": head_ids[0] if len(head_ids) == 1 else sha256_hex("".join(head_ids)),
        "rev_depth": m.depth,
        "created_hlc": m.creator.hlc,
        "created_by": m.creator.author,
        "created_replica": m.creator.origin_replica,
        "updated_hlc": m.winner.hlc,
        "updated_by": m.winner.author,
        "updated_replica": m.winner.origin_replica,
        "deleted": m.deleted,
        "conflict": m.kind,
        # Over the body as the record is now (to_body), not the merged dict: a field added to the type
        # later and left empty by a merge of older and newer revisions counts as its default.
        "row_hash": sha256_hex(canonical_json(to_body(record))),
        **values,
    }
    return row, record


@dataclass
class _Rewrite:
    """What one batch of records writes, collected before a few bulk statements."""

    rt: RecordType
    inserts: list[dict[str, Any]] = field(default_factory=list)
    updates: list[dict[str, Any]] = field(default_factory=list)
    heads: list[dict[str, str]] = field(default_factory=list)
    outcomes: dict[str, str] = field(default_factory=dict)
    docs: dict[str, str] = field(default_factory=dict)
    merged: dict[str, Merged] = field(default_factory=dict)
    numbers: set[str] = field(default_factory=set)

    def add(self, rid: str, m: Merged, row: dict[str, Any], record: Any, before: Row[Any] | None) -> None:
        self.merged[rid] = m
        if before is None:
            self.inserts.append({"id": rid, **row})
            self.outcomes[rid] = "new"
        else:
            self.updates.append({"b_id": rid, **row})
            same = (before.row_hash, before.deleted, before.conflict, before.head_rev) == (
                row["row_hash"],
                m.deleted,
                m.kind,
                row["head_rev"],
            )
            self.outcomes[rid] = "unchanged" if same else "updated"
            self.numbers.add(before.number)
        self.numbers.add(row["number"])
        self.heads.extend({"record_type": self.rt.key, "record_id": rid, "rev_id": h.rev_id} for h in m.heads)
        if self.rt.text_fields:
            self.docs[rid] = search_index.document_text(record, self.rt.text_fields)

    def write(self, conn: Connection, table: Table, replaced: list[str]) -> None:
        """The rows, and the heads of every record but those that had none (`replaced`: the others)."""
        if self.inserts:
            conn.execute(insert(table), self.inserts)
        for batch in _same_keys(self.updates):
            conn.execute(update(table).where(table.c.id == bindparam("b_id")), batch)
        for chunk in chunks(replaced):
            conn.execute(
                delete(sync_head).where(
                    sync_head.c.record_type == self.rt.key, sync_head.c.record_id.in_(chunk)
                )
            )
        if self.heads:
            conn.execute(insert(sync_head), self.heads)
        search_index.upsert_many(conn, self.rt.key, self.docs)


def _rows_before(conn: Connection, table: Table, ids: list[str]) -> dict[str, Row[Any]]:
    """The current rows, to tell new, updated and unchanged records apart, and to write back the head
    bodies they keep (storage.revision_body) before they are rewritten."""
    before: dict[str, Any] = {}
    for chunk in chunks(ids):
        for b in conn.execute(select(table).where(table.c.id.in_(chunk))):
            before[b.id] = b
    return before


def _fast_forward(
    tip: Rev, steps: int, before: Row[Any], rt: RecordType, rid: str
) -> tuple[Merged, dict[str, Any], Any]:
    m = Merged(tip.body, tip.deleted, (tip,), None, None, (), (), tip, tip, before.rev_depth + steps)
    row, record = _materialised(rt, rid, m)
    for name in ("created_hlc", "created_by", "created_replica"):
        del row[name]  # unchanged by a fast-forward, and not known without reading the history
    return m, row, record


def _sources(
    conn: Connection,
    rtype: str,
    ids: list[str],
    before: dict[str, Row[Any]],
    incoming: dict[str, dict[str, Rev]],
) -> tuple[set[str], dict[str, tuple[Rev, int]], dict[str, dict[str, Rev]]]:
    """Where each record's merge comes from: records new here take the revisions just received as their
    whole history (`fresh`), records whose new revisions extend their single head are fast-forwarded, and
    the others have their revision sets read back."""
    fresh = {rid for rid in ids if rid not in before and rid in incoming}
    forwarded = _fast_forwards(
        conn, rtype, [rid for rid in ids if rid in before and rid in incoming], incoming
    )
    revsets = load_revisions_many(
        conn, rtype, [rid for rid in ids if rid not in fresh and rid not in forwarded]
    )
    revsets.update({rid: incoming[rid] for rid in fresh})
    return fresh, forwarded, revsets


def rematerialize_many(
    conn: Connection,
    rtype: str,
    record_ids: Iterable[str],
    *,
    at: str,
    package_id: str | None,
    incoming: dict[str, dict[str, Rev]] | None = None,
) -> dict[str, str]:
    """Rewrite the business rows, heads, search documents and conflicts of records from their revisions,
    in batches. Returns each record's outcome as seen from its row before: "new", "updated", "unchanged".

    `incoming` holds revisions just received: for a record this workspace has no row for, they are its
    whole history (every stored revision is materialised), so they need not be read back.
    """
    rt = record_type(rtype)
    table = BUSINESS_TABLES[rt.key]
    ids = list(dict.fromkeys(record_ids))
    before = _rows_before(conn, table, ids)
    fresh, forwarded, revsets = _sources(conn, rtype, ids, before, incoming or {})
    rewrite = _Rewrite(rt)
    for rid in ids:
        if rid in forwarded:
            m, row, record = _fast_forward(*forwarded[rid], before[rid], rt, rid)
        else:
            m = merge(revsets[rid])
            row, record = _materialised(rt, rid, m)
        rewrite.add(rid, m, row, record, before.get(rid))
    # Rows about to be rewritten give their head's body back to the revision first (even an "unchanged"
    # row may be written with other bytes, e.g. a mapping's key order); the heads that the rewritten rows
    # reproduce keep theirs in the row again.
    revision_body.spill(conn, rtype, [rid for rid in ids if rid in before], before)
    rewrite.write(conn, table, [rid for rid in ids if rid not in fresh])
    revision_body.elide(conn, rtype, ids)
    record_conflicts(conn, rtype, rewrite.merged, at=at, package_id=package_id)
    if rt.number_label:
        refresh_identity(conn, rtype, rewrite.numbers, at=at, package_id=package_id)
    return rewrite.outcomes


def _same_keys(rows: list[dict[str, Any]]) -> list[list[dict[str, Any]]]:
    """executemany needs every parameter set to name the same columns."""
    groups: dict[tuple[str, ...], list[dict[str, Any]]] = defaultdict(list)
    for row in rows:
        groups[tuple(row)].append(row)
    return list(groups.values())


def _fast_forwards(
    conn: Connection, rtype: str, record_ids: list[str], incoming: dict[str, dict[str, Rev]]
) -> dict[str, tuple[Rev, int]]:
    """Records whose new revisions form one chain on top of their single current head: the common case of
    a record edited on one laptop since the office last saw it. Their new head is the chain's tip, and the
    history need not be read back. Returns {record: (tip, chain length)}."""
    heads: dict[str, list[str]] = defaultdict(list)
    for chunk in chunks(record_ids):
        for h in conn.execute(
            select(sync_head.c.record_id, sync_head.c.rev_id).where(
                sync_head.c.record_type == rtype, sync_head.c.record_id.in_(chunk)
            )
        ):
            heads[h.record_id].append(h.rev_id)
    out: dict[str, tuple[Rev, int]] = {}
    for rid in record_ids:
        current = heads.get(rid, [])
        if len(current) != 1:
            continue
        chain = incoming[rid]
        by_parent = {r.parents: r for r in chain.values()}
        if len(by_parent) != len(chain) or any(len(r.parents) != 1 for r in chain.values()):
            continue
        tip, parent, steps = None, current[0], 0
        while (parent,) in by_parent:
            tip = by_parent[(parent,)]
            parent, steps = tip.rev_id, steps + 1
        if tip is not None and steps == len(chain):
            out[rid] = (tip, steps)
    return out


def rematerialize(conn: Connection, rtype: str, record_id: str, *, at: str, package_id: str | None) -> str:
    """One record's rematerialisation (see rematerialize_many)."""
    return rematerialize_many(conn, rtype, [record_id], at=at, package_id=package_id)[record_id]
