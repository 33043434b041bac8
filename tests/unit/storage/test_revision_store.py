"""storage.revision_store: the revision sets the merge reads, in chunks, and what a peer has acknowledged."""

from __future__ import annotations

import dataclasses

from tests.builders import Context, draft
from xuncha_desktop.domain.record_types import DRAFT
from xuncha_desktop.services.records.record_service import RecordService
from xuncha_desktop.services.workspace import Workspace
from xuncha_desktop.storage import sync_state
from xuncha_desktop.storage.revision_store import (
    chunks,
    covered,
    known_revisions,
    load_revisions,
    own_counters,
    parents_of,
)


def test_chunks_cover_every_item_once() -> None:
    assert list(chunks(["a", "b", "c"], 2)) == [["a", "b"], ["c"]]
    assert list(chunks([], 2)) == []


def test_covered_by_a_peers_knowledge() -> None:
    ack = {"r1": {"1": 5}}
    assert covered(ack, "r1", 1, 5) and not covered(ack, "r1", 1, 6)
    assert not covered(ack, "r1", 2, 1) and not covered(ack, "r2", 1, 1)


def test_a_record_edited_twice_has_a_chain_of_two(workspace: Workspace, ctx: Context) -> None:
    records = RecordService(workspace, DRAFT)
    first = records.save(draft(ctx, title="一"))
    second = records.save(dataclasses.replace(records.get(first.id), title="二"))
    with workspace.engine.connect() as conn:
        revs = load_revisions(conn, DRAFT.key, first.id)
        assert len(revs) == 2
        head = revs[second.meta.head_rev]
        assert head.body["title"] == "二" and len(head.parents) == 1
        assert revs[head.parents[0]].body["title"] == "一"
        assert parents_of(conn, [head.rev_id]) == {head.rev_id: list(head.parents)}
        assert known_revisions(conn, [*revs, "unknown"]) == set(revs)
        me = sync_state.this_replica(conn).replica_id
        counters = own_counters(conn, me)
        assert len(counters) == len(set(counters)) >= 2
