"""Merge: a record's visible row is a deterministic function of the set of its revisions (sync.md §3.6).

One head: the row is that head. Several heads (edits made apart): fields are merged three-way against the
best common ancestor; a field changed on one side only takes that change (soft conflict, shown for review);
a field changed differently on both sides keeps a provisional value and is a hard conflict a person
resolves; delete against edit keeps the record visible as a delete_edit conflict, never a silent delete.
No merge revision is written here: the next human save or resolution writes one with all heads as parents.

A pure function over revisions: reading them is storage.revision_store's, writing the rows
storage.materialize's, and recording conflicts storage.conflict_store's.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from xuncha_desktop.domain.codec import canonical_json
from xuncha_desktop.domain.record_types import set_fields

# List fields merged as sets (adds and removes from both sides are combined, like Zotero's tags).
SET_FIELDS = set_fields()  # declared on the record dataclasses (domain.fields)


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


def _heads(revs: dict[str, Rev]) -> list[Rev]:
    """The revisions no other revision names as parent, in a stable order."""
    parent_ids = {p for r in revs.values() for p in r.parents}
    return sorted((r for r in revs.values() if r.rev_id not in parent_ids), key=lambda r: r.rev_id)


def _creator(revs: dict[str, Rev]) -> Rev:
    """The revision that created the record: the earliest root (any revision while roots are missing)."""
    roots = [r for r in revs.values() if not r.parents] or list(revs.values())
    return min(roots, key=lambda r: (r.hlc, r.rev_id))


def _merge_field(name: str, live: list[Rev], base: Rev | None, winner: Rev) -> tuple[Any, str | None]:
    """One field's merged value and how it was reached: None (every side agrees), "ruled" (changed on one
    side only, or a set merged), "hard" (changed differently on several sides: the newest side's value)."""
    values: list[Any] = [h.body.get(name) for h in live]
    if len({canonical_json(v) for v in values}) == 1:
        return values[0], None
    if base is None:
        return winner.body.get(name), "hard"
    base_value = base.body.get(name)
    changed = [v for v in values if canonical_json(v) != canonical_json(base_value)]
    if len({canonical_json(v) for v in changed}) == 1:
        return changed[0], "ruled"
    if name in SET_FIELDS and all(isinstance(v, list) for v in values):
        return _merge_set(list(base_value or []), [list(v) for v in values]), "ruled"
    return winner.body.get(name), "hard"


def _kind(live: list[Rev], heads: list[Rev], hard: list[str]) -> str:
    """A deleted head against a live one is a delete_edit conflict; otherwise hard when a field is.
    Concurrent heads with equal bodies are soft too: one confirmation closes the branch."""
    if len(live) < len(heads):
        return "delete_edit"
    return "hard" if hard else "soft"


def _merge_heads(revs: dict[str, Rev], heads: list[Rev], live: list[Rev], creator: Rev, depth: int) -> Merged:
    """Several heads, at least one alive: the fields merged three-way against the best common ancestor."""
    base = _best_common_ancestor(revs, heads)
    names = sorted({k for h in live for k in h.body} | (set(base.body) if base else set()))
    winner = _winner(live)
    body: dict[str, Any] = {}
    ruled: list[str] = []
    hard: list[str] = []
    for name in names:
        body[name], how = _merge_field(name, live, base, winner)
        if how == "ruled":
            ruled.append(name)
        elif how == "hard":
            hard.append(name)
    return Merged(
        body,
        False,
        tuple(heads),
        base,
        _kind(live, heads, hard),
        tuple(sorted(ruled + hard)),
        tuple(sorted(hard)),
        creator,
        winner,
        depth,
    )


def merge(revs: dict[str, Rev]) -> Merged:
    """The deterministic merge of a record's revision set."""
    heads = _heads(revs)
    creator = _creator(revs)
    depth = max(_depths(revs).values(), default=1)
    if len(heads) == 1:
        h = heads[0]
        return Merged(h.body, h.deleted, (h,), None, None, (), (), creator, h, depth)
    live = [h for h in heads if not h.deleted]
    if not live:  # deleted everywhere: nothing to decide
        w = _winner(heads)
        return Merged(w.body, True, tuple(heads), None, None, (), (), creator, w, depth)
    return _merge_heads(revs, heads, live, creator, depth)
