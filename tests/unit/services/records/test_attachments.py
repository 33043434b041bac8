"""Attachments: bytes stored once and verified, damage reported, removal to the recycle bin."""

from __future__ import annotations

import hashlib

import pytest

from tests.builders import Context, interview
from xuncha_desktop.domain.errors import XunchaError
from xuncha_desktop.domain.record_types import INTERVIEW
from xuncha_desktop.services.records.attachments import AttachmentService
from xuncha_desktop.services.records.record_service import RecordService
from xuncha_desktop.services.workspace import Workspace
from xuncha_desktop.storage.tables import blob


def test_attachment_bytes_stored_once_and_verified(workspace: Workspace, ctx: Context) -> None:
    talk = RecordService(workspace, INTERVIEW).save(interview(ctx))
    service = AttachmentService(workspace)
    data = "会计凭证扫描件".encode() * 100
    a = service.add("interview", talk.id, "凭证.png", data)
    b = service.add("interview", talk.id, "凭证副本.png", data)
    assert a.sha256 == b.sha256 == hashlib.sha256(data).hexdigest()
    assert a.mime == "image/png" and a.size == len(data)
    assert service.data(a.sha256) == data
    assert [x.file_name for x in service.of_record("interview", talk.id)] == ["凭证.png", "凭证副本.png"]
    with workspace.engine.connect() as conn:
        assert conn.execute(blob.select()).all().__len__() == 1


def test_damaged_attachment_is_reported(workspace: Workspace, ctx: Context) -> None:
    talk = RecordService(workspace, INTERVIEW).save(interview(ctx))
    service = AttachmentService(workspace)
    a = service.add("interview", talk.id, "a.txt", b"original")
    with workspace.engine.begin() as conn:
        conn.execute(blob.update().values(data=b"tampered"))
    with pytest.raises(XunchaError, match=r"^附件内容校验失败，文件可能已损坏$"):
        service.data(a.sha256)


def test_removed_attachment_goes_to_recycle_bin(workspace: Workspace, ctx: Context) -> None:
    talk = RecordService(workspace, INTERVIEW).save(interview(ctx))
    service = AttachmentService(workspace)
    a = service.add("interview", talk.id, "a.txt", b"x")
    service.remove(a.id)
    assert service.of_record("interview", talk.id) == []
