"""storage.conflict_store: a conflict has one id per record and kind, is found open by record, and closes."""

from __future__ import annotations

import dataclasses

from tests.builders import draft
from tests.sync_helpers import World
from xuncha_desktop.domain.record_types import DRAFT
from xuncha_desktop.services import sync
from xuncha_desktop.services.records.record_service import RecordService
from xuncha_desktop.storage import conflict_store
from xuncha_desktop.storage.database import write_transaction


def test_conflict_ids_are_stable_per_record_and_kind() -> None:
    assert conflict_store.conflict_id("draft", "r1", "hard") == conflict_store.conflict_id(
        "draft", "r1", "hard"
    )
    assert conflict_store.conflict_id("draft", "r1", "hard") != conflict_store.conflict_id(
        "draft", "r1", "soft"
    )
    assert conflict_store.conflict_id("draft", "r1", "hard") != conflict_store.conflict_id(
        "lead", "r1", "hard"
    )


def test_an_open_conflict_is_found_and_closed(world: World) -> None:
    a, b = world.fields[:2]
    base = RecordService(a, DRAFT).save(draft(world.ctx))
    sync.import_packages(b, [world.export(a)])
    for ws, title in ((a, "标题甲"), (b, "标题乙")):
        records = RecordService(ws, DRAFT)
        records.save(dataclasses.replace(records.get(base.id), title=title))
    sync.import_packages(world.office, [world.export(a), world.export(b)])
    with write_transaction(world.office.engine) as conn:
        [row] = conflict_store.open_for_record(conn, DRAFT.key, base.id)
        assert row.id == conflict_store.conflict_id(DRAFT.key, base.id, row.kind) and row.kind == "hard"
        assert [c.id for c in conflict_store.open_conflicts(conn)] == [row.id]
        assert conflict_store.conflict(conn, row.id).status == "open"
        assert conflict_store.open_among(conn, [(DRAFT.key, base.id), (DRAFT.key, "other")]) == 1
        conflict_store.close_conflicts(conn, DRAFT.key, base.id, rev_id="r", by="li", at="t")
        assert conflict_store.open_for_record(conn, DRAFT.key, base.id) == []
        assert conflict_store.conflict(conn, row.id).status != "open"
