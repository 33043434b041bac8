"""storage.revision_body: a head revision's body kept only in its record's row is read back rebuilt and
verified, written back before the row changes, and a row cannot change while its head is kept in it."""

from __future__ import annotations

import dataclasses
import json
from typing import Any

import pytest
from sqlalchemy import select, text, update
from sqlalchemy.exc import IntegrityError

from tests.builders import Context, interview, lead
from xuncha_desktop.domain.codec import canonical_json, sha256_hex
from xuncha_desktop.domain.record_types import INTERVIEW, LEAD
from xuncha_desktop.services.records.record_service import RecordService
from xuncha_desktop.services.security.integrity import check_workspace
from xuncha_desktop.services.workspace import Workspace
from xuncha_desktop.storage import revision_body
from xuncha_desktop.storage.database import write_transaction
from xuncha_desktop.storage.tables import BUSINESS_TABLES, sync_revision


def _revisions(ws: Workspace, record_id: str) -> list[Any]:
    with ws.engine.connect() as conn:
        return list(
            conn.execute(
                select(sync_revision)
                .where(sync_revision.c.record_id == record_id)
                .order_by(sync_revision.c.hlc)
            )
        )


def _all_bodies_hash(ws: Workspace) -> dict[str, str | None]:
    with ws.engine.connect() as conn:
        ids = list(conn.execute(select(sync_revision.c.rev_id)).scalars())
        bodies = revision_body.bodies_of(conn, ids)
        digests = {r.rev_id: r.body_sha256 for r in conn.execute(select(sync_revision))}
    assert set(bodies) == set(ids)
    for rev_id, body in bodies.items():
        assert body is not None and sha256_hex(body) == digests[rev_id]
    return bodies


def test_a_saved_record_keeps_its_head_body_only_in_its_row(workspace: Workspace, ctx: Context) -> None:
    saved = RecordService(workspace, INTERVIEW).save(interview(ctx, content="问：情况如何？\n答：较好。"))
    [rev] = _revisions(workspace, saved.id)
    assert rev.body is None and rev.body_in_row
    body = _all_bodies_hash(workspace)[rev.rev_id]
    assert body is not None and json.loads(body)["content"] == "问：情况如何？\n答：较好。"
    assert check_workspace(workspace) == []


def test_an_edit_writes_the_former_head_back_and_history_shows_every_version(
    workspace: Workspace, ctx: Context
) -> None:
    service = RecordService(workspace, INTERVIEW)
    first = service.save(interview(ctx, content="第一版"))
    service.save(dataclasses.replace(service.get(first.id), content="第二版"))
    service.save(dataclasses.replace(service.get(first.id), content="第三版"))
    revs = _revisions(workspace, first.id)
    assert [bool(r.body_in_row) for r in revs] == [False, False, True]
    assert [json.loads(r.body)["content"] for r in revs[:2]] == ["第一版", "第二版"]  # stored again
    assert [r.body["content"] for r in service.history(first.id)] == ["第一版", "第二版", "第三版"]
    _all_bodies_hash(workspace)
    service.delete(first.id)  # the tombstone is the head now; the third version is stored again
    revs = _revisions(workspace, first.id)
    assert json.loads(revs[2].body)["content"] == "第三版" and not revs[2].body_in_row
    assert len(service.history(first.id)) == 4
    _all_bodies_hash(workspace)
    assert check_workspace(workspace) == []


def test_the_guard_refuses_to_change_or_remove_a_row_whose_head_it_keeps(
    workspace: Workspace, ctx: Context
) -> None:
    saved = RecordService(workspace, INTERVIEW).save(interview(ctx, content="原文"))
    table = BUSINESS_TABLES[INTERVIEW.key]
    with pytest.raises(IntegrityError, match="须先写回修订"), write_transaction(workspace.engine) as conn:
        conn.execute(update(table).where(table.c.id == saved.id).values(content="绕过修订改动"))
    with pytest.raises(IntegrityError, match="须先写回修订"), write_transaction(workspace.engine) as conn:
        conn.execute(update(table).where(table.c.id == saved.id).values(number="X-1"))
    with pytest.raises(IntegrityError, match="须先写回修订"), write_transaction(workspace.engine) as conn:
        conn.execute(table.delete().where(table.c.id == saved.id))
    with write_transaction(workspace.engine) as conn:  # bookkeeping that leaves the body alone passes
        conn.execute(update(table).where(table.c.id == saved.id).values(rev_depth=1, content="原文"))
    with write_transaction(workspace.engine) as conn:  # once written back, the row may change
        assert revision_body.spill(conn, INTERVIEW.key, [saved.id]) == 1
        conn.execute(update(table).where(table.c.id == saved.id).values(content="改动"))
    assert RecordService(workspace, INTERVIEW).history(saved.id)[0].body["content"] == "原文"


def test_a_row_that_no_longer_reproduces_its_kept_revision_is_reported_never_read_wrong(
    workspace: Workspace, ctx: Context
) -> None:
    service = RecordService(workspace, INTERVIEW)
    saved = service.save(interview(ctx, content="第一版"))
    service.save(dataclasses.replace(service.get(saved.id), content="第二版"))
    first = _revisions(workspace, saved.id)[0]
    with write_transaction(workspace.engine) as conn:  # damage: the former head marked as in the row
        conn.execute(
            update(sync_revision)
            .where(sync_revision.c.rev_id == first.rev_id)
            .values(body=None, body_in_row=True)
        )
    with pytest.raises(revision_body.RevisionBodyMismatch, match="校验值不符"):
        service.history(saved.id)
    problems = [p.message for p in check_workspace(workspace)]
    assert any(first.rev_id[:12] in m and "保存在记录中的内容与其校验值不符" in m for m in problems)


def test_a_body_the_row_cannot_reproduce_is_kept(workspace: Workspace, ctx: Context) -> None:
    saved = RecordService(workspace, LEAD).save(lead(ctx, summary="反映某科长收受礼金"))
    [rev] = _revisions(workspace, saved.id)
    with write_transaction(workspace.engine) as conn:
        revision_body.spill(conn, LEAD.key, [saved.id])
        # A body written by a newer version, with a field this one does not know: the row cannot hold it.
        newer = {
            **json.loads(revision_body.bodies_of(conn, [rev.rev_id])[rev.rev_id] or ""),
            "未来字段": "值",
        }
        text_ = canonical_json(newer)
        conn.execute(
            update(sync_revision)
            .where(sync_revision.c.rev_id == rev.rev_id)
            .values(body=text_, body_sha256=sha256_hex(text_))
        )
        assert revision_body.elide(conn, LEAD.key, [saved.id]) == 0
        kept = conn.execute(select(sync_revision.c.body).where(sync_revision.c.rev_id == rev.rev_id)).scalar()
    assert kept == text_


def test_spill_all_and_elide_all_round_trip(workspace: Workspace, ctx: Context) -> None:
    service = RecordService(workspace, INTERVIEW)
    ids = [service.save(interview(ctx, content=f"第{i}份")).id for i in range(3)]
    with write_transaction(workspace.engine) as conn:
        assert revision_body.spill_all(conn) >= 3
        assert conn.execute(text("SELECT count(*) FROM sync_revision WHERE body_in_row")).scalar() == 0
        before = revision_body.bodies_of(conn, [r.rev_id for i in ids for r in _rows(conn, i)])
        assert revision_body.elide_all(conn) >= 3
        after = revision_body.bodies_of(conn, list(before))
    assert before == after
    assert check_workspace(workspace) == []


def _rows(conn: Any, record_id: str) -> list[Any]:
    return list(conn.execute(select(sync_revision.c.rev_id).where(sync_revision.c.record_id == record_id)))


def _in_row_count(ws: Workspace) -> int:
    with ws.engine.connect() as conn:
        return int(conn.execute(text("SELECT count(*) FROM sync_revision WHERE body_in_row")).scalar_one())


def test_a_demo_workspace_saved_edited_deleted_and_restored_keeps_every_body(workspace: Workspace) -> None:
    from xuncha_desktop.services.demo.build import build_demo

    build_demo(workspace, records=30)
    assert _in_row_count(workspace) > 30  # every demo record's only revision is its head
    service = RecordService(workspace, INTERVIEW)
    talk = service.list()[0]
    service.save(dataclasses.replace(talk, content="改过一次"))
    service.save(dataclasses.replace(service.get(talk.id), content="改过两次"))
    service.delete(talk.id)
    service.restore(talk.id)
    contents = [r.body["content"] for r in service.history(talk.id)]
    assert contents == [talk.content, "改过一次", "改过两次", "改过两次", "改过两次"]
    assert [r.deleted for r in service.history(talk.id)] == [False, False, False, True, False]
    _all_bodies_hash(workspace)
    assert check_workspace(workspace) == []


def test_imports_with_conflicts_undo_and_a_second_workspace_agree_on_every_body(world: Any) -> None:
    from tests.builders import draft
    from tests.undo_helpers import comparable, dump_everything, without_undo_entry
    from xuncha_desktop.domain.record_types import DRAFT
    from xuncha_desktop.services import sync
    from xuncha_desktop.services.sync import import_undo

    a, b = world.fields[:2]
    office = world.office
    kept = RecordService(a, DRAFT).save(draft(world.ctx, title="原有底稿"))
    talk = RecordService(a, INTERVIEW).save(interview(world.ctx, content="原谈话"))
    first = world.export(a)
    sync.import_packages(office, [first])
    sync.import_packages(b, [first])
    RecordService(office, DRAFT).save(dataclasses.replace(kept, title="巡察办修改后的底稿"))
    RecordService(a, DRAFT).save(dataclasses.replace(kept, title="组员修改后的底稿"))  # a hard conflict
    RecordService(a, INTERVIEW).save(dataclasses.replace(talk, content="组员改后的谈话"))  # fast-forward
    RecordService(a, LEAD).delete(RecordService(a, LEAD).save(lead(world.ctx)).id)
    second = world.export(a)
    before = dump_everything(office)

    [report] = sync.import_packages(office, [second])
    assert report.status == "imported" and report.conflicts == 1
    office_bodies = _all_bodies_hash(office)
    assert RecordService(office, INTERVIEW).get(talk.id).content == "组员改后的谈话"
    assert [r.body["content"] for r in RecordService(office, INTERVIEW).history(talk.id)] == [
        "原谈话",
        "组员改后的谈话",
    ]
    assert {r.body["title"] for r in RecordService(office, DRAFT).history(kept.id)} == {
        "原有底稿",
        "巡察办修改后的底稿",
        "组员修改后的底稿",
    }
    assert check_workspace(office) == []
    # The laptop that made them and the office that received them hold the same bodies.
    a_bodies = _all_bodies_hash(a)
    assert {k: v for k, v in office_bodies.items() if k in a_bodies} == {
        k: v for k, v in a_bodies.items() if k in office_bodies
    }

    import_undo.undo_last_import(office)
    assert without_undo_entry(dump_everything(office), before) == comparable(before)
    _all_bodies_hash(office)
    assert check_workspace(office) == []

    # A package exported again from the office's rebuilt bodies reads the same on another laptop.
    [again] = sync.import_packages(office, [second])
    assert again.status == "imported"
    sync.import_packages(b, [second])
    b_bodies = _all_bodies_hash(b)
    assert {k: v for k, v in b_bodies.items() if k in office_bodies} == {
        k: v for k, v in office_bodies.items() if k in b_bodies
    }
    assert check_workspace(b) == []
