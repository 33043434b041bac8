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
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, delete, insert, select, update

from xuncha_desktop.domain.codec import canonical_json, from_body, sha256_hex
from xuncha_desktop.domain.common import NON_BODY_FIELDS
from xuncha_desktop.domain.record_types import RecordType, record_type
from xuncha_desktop.storage import search_index
from xuncha_desktop.storage.tables import (
    BUSINESS_TABLES,
    sync_conflict,
    sync_head,
    sync_revision,
    sync_revision_parent,
)

# List fields merged as sets (adds and removes from both sides are combined, like Zotero's tags).
SET_FIELDS = frozenset({"disciplines", "special_tags", "responsibility_types", "persons_involved"})
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


def load_revisions(conn: Connection, rtype: str, record_id: str) -> dict[str, Rev]:
    rows = conn.execute(
        select(
            sync_revision.c.rev_id,
            sync_revision.c.deleted,
            sync_revision.c.body,
            sync_revision.c.hlc,
            sync_revision.c.origin_replica,
            sync_revision.c.author_user,
        ).where(sync_revision.c.record_type == rtype, sync_revision.c.record_id == record_id)
    ).all()
    ids = [r.rev_id for r in rows]
    parents: dict[str, list[str]] = {i: [] for i in ids}
    if ids:
        for link in conn.execute(select(sync_revision_parent).where(sync_revision_parent.c.rev_id.in_(ids))):
            parents[link.rev_id].append(link.parent_rev_id)
    return {
        r.rev_id: Rev(
            r.rev_id,
            tuple(sorted(parents[r.rev_id])),
            bool(r.deleted),
            json.loads(r.body) if r.body else {},
            r.hlc,
            r.origin_replica,
            r.author_user,
        )
        for r in rows
    }


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


def rematerialize(conn: Connection, rtype: str, record_id: str, *, at: str, package_id: str | None) -> str:
    """Rewrite the business row, heads, search document and conflict of one record from its revisions.

    Returns "new", "updated" or "unchanged" as seen from the row before.
    """
    rt = record_type(rtype)
    table = BUSINESS_TABLES[rt.key]
    revs = load_revisions(conn, rtype, record_id)
    m = merge(revs)
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
    before = conn.execute(
        select(table.c.row_hash, table.c.head_rev, table.c.deleted, table.c.conflict).where(
            table.c.id == record_id
        )
    ).first()
    if before is None:
        conn.execute(insert(table).values(id=record_id, **row))
        outcome = "new"
    else:
        conn.execute(update(table).where(table.c.id == record_id).values(**row))
        same = (before.row_hash, before.deleted, before.conflict) == (row["row_hash"], m.deleted, m.kind)
        outcome = "unchanged" if same and before.head_rev == row["head_rev"] else "updated"
    conn.execute(
        delete(sync_head).where(sync_head.c.record_type == rtype, sync_head.c.record_id == record_id)
    )
    conn.execute(
        insert(sync_head), [{"record_type": rtype, "record_id": record_id, "rev_id": h} for h in head_ids]
    )
    if rt.text_fields:
        search_index.upsert(conn, rtype, record_id, search_index.document_text(record, rt.text_fields))
    _record_conflict(conn, rtype, record_id, m, at=at, package_id=package_id)
    return outcome


def _record_conflict(
    conn: Connection, rtype: str, record_id: str, m: Merged, *, at: str, package_id: str | None
) -> None:
    open_rows = conn.execute(
        select(sync_conflict.c.id, sync_conflict.c.kind).where(
            sync_conflict.c.record_type == rtype,
            sync_conflict.c.record_id == record_id,
            sync_conflict.c.kind.in_(("soft", "hard", "delete_edit")),
            sync_conflict.c.status == "open",
        )
    ).all()
    heads_json = canonical_json(sorted(h.rev_id for h in m.heads))
    for row in open_rows:
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
        return
    cid = conflict_id(rtype, record_id, m.kind)
    values = {
        "head_rev_ids": heads_json,
        "base_rev_id": m.base.rev_id if m.base else None,
        "fields": canonical_json(list(m.fields)),
        "status": "open",
        "resolution_rev_id": None,
        "resolved_by": None,
        "resolved_at": None,
    }
    exists = conn.execute(select(sync_conflict.c.id).where(sync_conflict.c.id == cid)).first()
    if exists is None:
        conn.execute(
            insert(sync_conflict).values(
                id=cid,
                record_type=rtype,
                record_id=record_id,
                kind=m.kind,
                detected_at=at,
                detected_package=package_id,
                **values,
            )
        )
    else:
        conn.execute(update(sync_conflict).where(sync_conflict.c.id == cid).values(**values))


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
