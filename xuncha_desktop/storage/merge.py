"""Merge: a record's visible row is a deterministic function of the set of its revisions (sync.md §3.6).

One head: the row is that head. Several heads (edits made apart): fields are merged three-way against the
best common ancestor; a field changed on one side only takes that change (soft conflict, shown for review);
a field changed differently on both sides keeps a provisional value and is a hard conflict a person
resolves; delete against edit keeps the record visible as a delete_edit conflict, never a silent delete.
No merge revision is written here: the next human save or resolution writes one with all heads as parents.
"""

from __future__ import annotations

import dataclasses
import json
import uuid
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, bindparam, delete, insert, select, update

from xuncha_desktop.domain.codec import canonical_json, from_body, sha256_hex
from xuncha_desktop.domain.common import NON_BODY_FIELDS
from xuncha_desktop.domain.record_types import RecordType, record_type, set_fields
from xuncha_desktop.storage import search_index
from xuncha_desktop.storage.tables import (
    BUSINESS_TABLES,
    sync_conflict,
    sync_head,
    sync_revision,
    sync_revision_parent,
)

# List fields merged as sets (adds and removes from both sides are combined, like Zotero's tags).
SET_FIELDS = set_fields()  # declared on the record dataclasses (domain.fields)
CONFLICT_NAMESPACE = uuid.UUID("6f1c4a52-7d0e-4c1b-9a57-3f7e2b8d1c01")


@dataclass(frozen=True)
class Rev:
    rev_id: str
    parents: tuple[str, ...]
    deleted: bool
    body: dict[str, Any]
    hlc: str
    origin_replica: str
    author: str


@dataclass(frozen=True)
class Merged:
    """The outcome for one record: the row body, and what needs a person."""

    body: dict[str, Any]
    deleted: bool
    heads: tuple[Rev, ...]
    base: Rev | None
    kind: str | None  # None | soft | hard | delete_edit
    fields: tuple[str, ...]  # fields that were merged by a rule (soft) or conflict (hard)
    hard_fields: tuple[str, ...]
    creator: Rev
    winner: Rev
    depth: int


def _ancestors(revs: dict[str, Rev], start: str) -> tuple[set[str], bool]:
    """All known ancestors of `start` (inclusive), and whether the ancestry is complete."""
    seen: set[str] = set()
    complete = True
    stack = [start]
    while stack:
        rid = stack.pop()
        if rid in seen:
            continue
        if rid not in revs:
            complete = False  # a parent that has not arrived yet
            continue
        seen.add(rid)
        stack.extend(revs[rid].parents)
    return seen, complete


def _depths(revs: dict[str, Rev]) -> dict[str, int]:
    depth: dict[str, int] = {}

    def visit(rid: str) -> int:
        if rid in depth:
            return depth[rid]
        stack, order = [rid], []
        while stack:  # iterative: long edit chains must not hit the recursion limit
            cur = stack.pop()
            if cur in depth or cur not in revs:
                continue
            order.append(cur)
            stack.extend(p for p in revs[cur].parents if p not in depth)
        for cur in reversed(order):
            depth[cur] = 1 + max((depth.get(p, 0) for p in revs[cur].parents), default=0)
        return depth.get(rid, 1)

    for rid in revs:
        visit(rid)
    return depth


def _best_common_ancestor(revs: dict[str, Rev], heads: list[Rev]) -> Rev | None:
    sets = []
    for h in heads:
        ancestors, complete = _ancestors(revs, h.rev_id)
        if not complete:
            return None  # conservative until the missing parents arrive
        sets.append(ancestors)
    common = set.intersection(*sets)
    if not common:
        return None
    # The lowest common ancestors: common revisions that are no ancestor of another common one.
    lowest = [c for c in common if not any(c != o and c in _ancestors(revs, o)[0] for o in common)]
    return revs[lowest[0]] if len(lowest) == 1 else None


def _winner(heads: Iterable[Rev]) -> Rev:
    return max(heads, key=lambda r: (r.hlc, r.origin_replica, r.rev_id))


def _merge_set(base: list[Any], sides: list[list[Any]]) -> list[Any]:
    result = list(base)
    for side in sides:
        for item in side:
            if item not in base and item not in result:
                result.append(item)
    removed = {json.dumps(i, sort_keys=True) for side in sides for i in base if i not in side}
    return sorted((i for i in result if json.dumps(i, sort_keys=True) not in removed), key=canonical_json)


def merge(revs: dict[str, Rev]) -> Merged:
    """The deterministic merge of a record's revision set."""
    parent_ids = {p for r in revs.values() for p in r.parents}
    heads = sorted((r for r in revs.values() if r.rev_id not in parent_ids), key=lambda r: r.rev_id)
    depths = _depths(revs)
    roots = [r for r in revs.values() if not r.parents] or list(revs.values())
    creator = min(roots, key=lambda r: (r.hlc, r.rev_id))
    depth = max(depths.values(), default=1)
    if len(heads) == 1:
        h = heads[0]
        return Merged(h.body, h.deleted, (h,), None, None, (), (), creator, h, depth)
    live = [h for h in heads if not h.deleted]
    if not live:  # deleted everywhere: nothing to decide
        w = _winner(heads)
        return Merged(w.body, True, tuple(heads), None, None, (), (), creator, w, depth)
    base = _best_common_ancestor(revs, heads)
    names = sorted({k for h in live for k in h.body} | (set(base.body) if base else set()))
    body: dict[str, Any] = {}
    ruled, hard = [], []
    winner = _winner(live)
    for name in names:
        values = [h.body.get(name) for h in live]
        distinct = {canonical_json(v) for v in values}
        if len(distinct) == 1:
            body[name] = values[0]
            continue
        base_value = base.body.get(name) if base else None
        changed = [v for v in values if base is None or canonical_json(v) != canonical_json(base_value)]
        changed_distinct = {canonical_json(v) for v in changed}
        if base is not None and len(changed_distinct) == 1:
            body[name] = changed[0]
            ruled.append(name)
        elif base is not None and name in SET_FIELDS and all(isinstance(v, list) for v in values):
            body[name] = _merge_set(list(base_value or []), [list(v) for v in values])
            ruled.append(name)
        else:
            body[name] = winner.body.get(name)
            hard.append(name)
    if len(live) < len(heads):
        kind: str | None = "delete_edit"
    elif hard:
        kind = "hard"
    elif ruled:
        kind = "soft"
    else:
        kind = "soft"  # concurrent heads with equal bodies: still one confirmation closes the branch
    return Merged(
        body,
        False,
        tuple(heads),
        base,
        kind,
        tuple(sorted(ruled + hard)),
        tuple(sorted(hard)),
        creator,
        winner,
        depth,
    )


def conflict_id(rtype: str, record_id: str, kind: str) -> str:
    return str(uuid.uuid5(CONFLICT_NAMESPACE, f"{rtype}/{record_id}/{kind}"))


def _row_values(rt: RecordType, body: dict[str, Any], record_id: str) -> tuple[dict[str, Any], Any]:
    record = from_body(rt.cls, body, id=record_id)
    values = {
        f.name: getattr(record, f.name) for f in dataclasses.fields(record) if f.name not in NON_BODY_FIELDS
    }
    return values, record


CHUNK = 500  # ids per IN (...) list: well under SQLite's variable limit, and fast on any backend


def _chunks(items: list[str], size: int = CHUNK) -> Iterable[list[str]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def load_revisions_many(conn: Connection, rtype: str, record_ids: list[str]) -> dict[str, dict[str, Rev]]:
    """The revision sets of many records of one type, in a few queries."""
    rows = []
    for chunk in _chunks(record_ids):
        rows.extend(
            conn.execute(
                select(
                    sync_revision.c.rev_id,
                    sync_revision.c.record_id,
                    sync_revision.c.deleted,
                    sync_revision.c.body,
                    sync_revision.c.hlc,
                    sync_revision.c.origin_replica,
                    sync_revision.c.author_user,
                ).where(sync_revision.c.record_type == rtype, sync_revision.c.record_id.in_(chunk))
            ).all()
        )
    parents: dict[str, list[str]] = defaultdict(list)
    for chunk in _chunks([r.rev_id for r in rows]):
        for link in conn.execute(
            select(sync_revision_parent).where(sync_revision_parent.c.rev_id.in_(chunk))
        ):
            parents[link.rev_id].append(link.parent_rev_id)
    out: dict[str, dict[str, Rev]] = {rid: {} for rid in record_ids}
    for r in rows:
        out[r.record_id][r.rev_id] = Rev(
            r.rev_id,
            tuple(sorted(parents[r.rev_id])),
            bool(r.deleted),
            json.loads(r.body) if r.body else {},
            r.hlc,
            r.origin_replica,
            r.author_user,
        )
    return out


def load_revisions(conn: Connection, rtype: str, record_id: str) -> dict[str, Rev]:
    return load_revisions_many(conn, rtype, [record_id])[record_id]


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
        "row_hash": sha256_hex(canonical_json(m.body)),
        **values,
    }
    return row, record


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
    before = {}
    for chunk in _chunks(ids):
        for b in conn.execute(
            select(
                table.c.id,
                table.c.row_hash,
                table.c.head_rev,
                table.c.deleted,
                table.c.conflict,
                table.c.number,
                table.c.rev_depth,
            ).where(table.c.id.in_(chunk))
        ):
            before[b.id] = b
    incoming = incoming or {}
    fresh = {rid for rid in ids if rid not in before and rid in incoming}
    forwarded = _fast_forwards(
        conn, rtype, [rid for rid in ids if rid in before and rid in incoming], incoming
    )
    revsets = load_revisions_many(
        conn, rtype, [rid for rid in ids if rid not in fresh and rid not in forwarded]
    )
    revsets.update({rid: incoming[rid] for rid in fresh})
    inserts, updates, heads, outcomes = [], [], [], {}
    docs: dict[str, str] = {}
    merged: dict[str, Merged] = {}
    numbers: set[str] = set()
    for rid in ids:
        if rid in forwarded:
            tip, steps = forwarded[rid]
            m = Merged(
                tip.body, tip.deleted, (tip,), None, None, (), (), tip, tip, before[rid].rev_depth + steps
            )
            row, record = _materialised(rt, rid, m)
            for name in ("created_hlc", "created_by", "created_replica"):
                del row[name]  # unchanged by a fast-forward, and not known without reading the history
        else:
            m = merge(revsets[rid])
            row, record = _materialised(rt, rid, m)
        merged[rid] = m
        b = before.get(rid)
        if b is None:
            inserts.append({"id": rid, **row})
            outcomes[rid] = "new"
        else:
            updates.append({"b_id": rid, **row})
            same = (b.row_hash, b.deleted, b.conflict, b.head_rev) == (
                row["row_hash"],
                m.deleted,
                m.kind,
                row["head_rev"],
            )
            outcomes[rid] = "unchanged" if same else "updated"
            numbers.add(b.number)
        numbers.add(row["number"])
        heads.extend({"record_type": rtype, "record_id": rid, "rev_id": h.rev_id} for h in m.heads)
        if rt.text_fields:
            docs[rid] = search_index.document_text(record, rt.text_fields)
    if inserts:
        conn.execute(insert(table), inserts)
    for batch in _same_keys(updates):
        conn.execute(update(table).where(table.c.id == bindparam("b_id")), batch)
    for chunk in _chunks([rid for rid in ids if rid not in fresh]):
        conn.execute(
            delete(sync_head).where(sync_head.c.record_type == rtype, sync_head.c.record_id.in_(chunk))
        )
    if heads:
        conn.execute(insert(sync_head), heads)
    search_index.upsert_many(conn, rtype, docs)
    _record_conflicts(conn, rtype, merged, at=at, package_id=package_id)
    if rt.number_label:
        refresh_identity(conn, rtype, numbers, at=at, package_id=package_id)
    return outcomes


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
    for chunk in _chunks(record_ids):
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


MERGE_KINDS = ("soft", "hard", "delete_edit")


def _record_conflicts(
    conn: Connection, rtype: str, merged: dict[str, Merged], *, at: str, package_id: str | None
) -> None:
    """Open, update or close the merge conflict of each record to match its merge."""
    ids = list(merged)
    open_rows: dict[str, list[Any]] = defaultdict(list)
    for chunk in _chunks(ids):
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
    for chunk in _chunks(list(wanted)):
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
            sync_conflict.c.kind.in_(("soft", "hard", "delete_edit")),
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
        for chunk in _chunks(every_id)
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
