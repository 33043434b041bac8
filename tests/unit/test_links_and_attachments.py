"""Links between records are navigable both ways; attachments are content-addressed."""

from __future__ import annotations

import hashlib

import pytest

from tests.builders import Context, draft, interview, lead
from xuncha_desktop.domain.errors import RecordNotFound, ValidationError, XunchaError
from xuncha_desktop.domain.record_types import DRAFT, INTERVIEW, LEAD
from xuncha_desktop.services.records.attachments import AttachmentService
from xuncha_desktop.services.records.links import LinkService
from xuncha_desktop.services.records.record_service import RecordService
from xuncha_desktop.services.workspace import Workspace
from xuncha_desktop.storage.tables import blob


def test_link_is_seen_from_both_ends(workspace: Workspace, ctx: Context) -> None:
    talk = RecordService(workspace, INTERVIEW).save(interview(ctx))
    found = RecordService(workspace, LEAD).save(lead(ctx))
    paper = RecordService(workspace, DRAFT).save(draft(ctx))
    links = LinkService(workspace)
    links.link("interview", talk.id, "lead", found.id)
    links.link("interview", talk.id, "draft", paper.id)
    links.link("draft", paper.id, "lead", found.id)
    from_talk = links.linked("interview", talk.id)
    assert {(x.record_type, x.number, x.kind, x.outgoing) for x in from_talk} == {
        ("lead", found.number, "线索来源", True),
        ("draft", paper.number, "佐证材料", True),
    }
    from_lead = links.linked("lead", found.id)
    assert {(x.record_type, x.outgoing) for x in from_lead} == {("interview", False), ("draft", False)}


def test_linking_twice_keeps_one_link(workspace: Workspace, ctx: Context) -> None:
    talk = RecordService(workspace, INTERVIEW).save(interview(ctx))
    found = RecordService(workspace, LEAD).save(lead(ctx))
    links = LinkService(workspace)
    first = links.link("interview", talk.id, "lead", found.id)
    second = links.link("interview", talk.id, "lead", found.id)
    assert first.id == second.id and len(links.linked("lead", found.id)) == 1


def test_unlink_removes_from_both_ends(workspace: Workspace, ctx: Context) -> None:
    talk = RecordService(workspace, INTERVIEW).save(interview(ctx))
    found = RecordService(workspace, LEAD).save(lead(ctx))
    links = LinkService(workspace)
    link = links.link("interview", talk.id, "lead", found.id)
    links.unlink(link.id)
    assert links.linked("interview", talk.id) == [] and links.linked("lead", found.id) == []


def test_bad_links_are_refused(workspace: Workspace, ctx: Context) -> None:
    talk = RecordService(workspace, INTERVIEW).save(interview(ctx))
    links = LinkService(workspace)
    with pytest.raises(ValidationError, match="不能从"):
        links.link("lead", talk.id, "interview", talk.id)
    with pytest.raises(RecordNotFound, match="不存在"):
        links.link("interview", talk.id, "lead", "missing")


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
