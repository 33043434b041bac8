"""demo attachments: real files whose bytes the blob store gives back."""

from __future__ import annotations

from tests.unit.services.demo.reading import all_records
from xuncha_desktop.domain.record_types import (
    ATTACHMENT,
    DRAFT,
)
from xuncha_desktop.services.demo.build import DemoSummary
from xuncha_desktop.services.records.attachments import AttachmentService
from xuncha_desktop.services.workspace import Workspace


def test_attachments_are_real_files_readable_from_the_blob_store(demo: tuple[Workspace, DemoSummary]) -> None:
    ws, _ = demo
    service = AttachmentService(ws)
    attachments = all_records(ws, ATTACHMENT)
    contents = {a.file_name: service.data(a.sha256) for a in attachments}
    assert any(data.startswith(b"\x89PNG\r\n\x1a\n") for data in contents.values())
    texts = [data.decode("utf-8") for name, data in contents.items() if name.endswith(".txt")]
    assert texts and all("调阅资料清单" in t for t in texts)
    drafts = {d.id: d for d in all_records(ws, DRAFT)}
    for a in attachments:
        assert a.size == len(contents[a.file_name])
        if a.record_type == "draft":  # listed in the evidence of the draft it belongs to
            shas = {e["attachment_sha256"] for e in drafts[a.record_id].evidence}
            assert a.sha256 in shas
