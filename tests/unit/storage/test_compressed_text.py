"""storage.compressed_text: revision bodies are compressed in the file and read back as the same text."""

from __future__ import annotations

import dataclasses
import json
import zlib
from typing import Any

import pytest
from sqlalchemy import select, text

from tests.builders import Context, interview
from xuncha_desktop.domain.codec import sha256_hex
from xuncha_desktop.domain.record_types import INTERVIEW
from xuncha_desktop.services.records.record_service import RecordService
from xuncha_desktop.services.security.integrity import check_workspace
from xuncha_desktop.services.workspace import Workspace
from xuncha_desktop.storage.compressed_text import FDICT, pack, unpack
from xuncha_desktop.storage.tables import sync_revision

LONG = "问：请你谈谈单位作风建设的情况。\n答：总体较好，会多、材料多，基层同志反映报表重复填。\n" * 20


def test_long_text_is_packed_smaller_and_unpacks_to_the_same_text() -> None:
    packed = pack(LONG)
    assert isinstance(packed, bytes) and len(packed) < len(LONG.encode("utf-8")) / 3
    assert unpack(packed) == LONG


def test_text_that_would_not_shrink_stays_text() -> None:
    assert pack("甲") == "甲"
    assert unpack("甲") == "甲"


def _saved_and_edited(workspace: Workspace, ctx: Context) -> Any:
    """A record saved and then edited: its first revision's body is stored (the head's is in the row)."""
    service = RecordService(workspace, INTERVIEW)
    saved = service.save(interview(ctx, content=LONG))
    service.save(dataclasses.replace(service.get(saved.id), location="第二会议室"))
    return saved


STORED = "record_id = :r AND body_in_row = 0"


def test_a_saved_revision_is_compressed_in_the_file_and_its_hash_holds(
    workspace: Workspace, ctx: Context
) -> None:
    saved = _saved_and_edited(workspace, ctx)
    with workspace.engine.connect() as conn:
        stored = conn.execute(
            text(f"SELECT typeof(body), length(body) FROM sync_revision WHERE {STORED}"),
            {"r": saved.id},
        ).one()
        body, digest = conn.execute(
            select(sync_revision.c.body, sync_revision.c.body_sha256).where(
                sync_revision.c.record_id == saved.id, sync_revision.c.body_in_row.is_(False)
            )
        ).one()
    assert stored[0] == "blob" and stored[1] < len(body.encode("utf-8")) / 3
    assert json.loads(body)["content"] == LONG
    assert sha256_hex(body) == digest
    assert RecordService(workspace, INTERVIEW).get(saved.id).content == LONG
    assert check_workspace(workspace) == []


def test_a_body_written_before_compression_still_reads(workspace: Workspace, ctx: Context) -> None:
    saved = _saved_and_edited(workspace, ctx)
    with workspace.engine.begin() as conn:
        packed = conn.execute(
            text(f"SELECT body FROM sync_revision WHERE {STORED}"), {"r": saved.id}
        ).scalar_one()
        # As a workspace written before version 8 holds it: the canonical text itself.
        conn.execute(
            text(f"UPDATE sync_revision SET body = :plain WHERE {STORED}"),
            {"plain": unpack(packed), "r": saved.id},
        )
        kind = conn.execute(
            text(f"SELECT typeof(body) FROM sync_revision WHERE {STORED}"), {"r": saved.id}
        ).scalar_one()
        body = conn.execute(
            select(sync_revision.c.body).where(
                sync_revision.c.record_id == saved.id, sync_revision.c.body_in_row.is_(False)
            )
        ).scalar_one()
    assert kind == "text"
    assert json.loads(body)["content"] == LONG
    assert check_workspace(workspace) == []


def test_damaged_bytes_read_as_empty_text(workspace: Workspace, ctx: Context) -> None:
    saved = _saved_and_edited(workspace, ctx)
    with workspace.engine.begin() as conn:
        conn.execute(text(f"UPDATE sync_revision SET body = zeroblob(40) WHERE {STORED}"), {"r": saved.id})
        body = conn.execute(
            select(sync_revision.c.body).where(
                sync_revision.c.record_id == saved.id, sync_revision.c.body_in_row.is_(False)
            )
        ).scalar_one()
    assert body == ""


def test_a_short_body_spends_no_bytes_on_its_field_names() -> None:
    body = json.dumps(
        {"content": "答：没有。", "interviewee_name": "王五", "location": "会议室", "number": "谈话-001"},
        ensure_ascii=False,
        separators=(",", ":"),
        sort_keys=True,
    )
    packed = pack(body)
    assert isinstance(packed, bytes) and packed[1] & FDICT  # names the dictionary it was written against
    assert len(packed) < len(zlib.compress(body.encode("utf-8"), 9)) - 15
    assert unpack(packed) == body


def test_a_body_compressed_without_the_dictionary_still_reads() -> None:
    # As version 8's upgrade of an older workspace writes it: plain zlib.
    assert unpack(zlib.compress(LONG.encode("utf-8"), 9)) == LONG


def test_a_body_naming_an_unknown_dictionary_reads_as_empty_text(workspace: Workspace, ctx: Context) -> None:
    saved = RecordService(workspace, INTERVIEW).save(interview(ctx, content=LONG))
    stranger = zlib.compressobj(9, zdict=b"another dictionary")
    foreign = stranger.compress(LONG.encode("utf-8")) + stranger.flush()
    with pytest.raises(zlib.error):
        unpack(foreign)
    with workspace.engine.begin() as conn:
        conn.execute(
            text("UPDATE sync_revision SET body = :b WHERE record_id = :r"), {"b": foreign, "r": saved.id}
        )
        body = conn.execute(
            select(sync_revision.c.body).where(sync_revision.c.record_id == saved.id)
        ).scalar_one()
    assert body == ""
    assert any("内容与其校验值不符" in p.message for p in check_workspace(workspace))
