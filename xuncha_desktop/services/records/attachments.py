"""Attachments on any record: bytes stored once under their SHA-256 inside the encrypted database."""

from __future__ import annotations

import hashlib
import mimetypes
from datetime import date

from sqlalchemy import select

from xuncha_desktop.domain.errors import RecordNotFound, ValidationError, XunchaError
from xuncha_desktop.domain.organization import Attachment, validate_attachment
from xuncha_desktop.domain.record_types import ATTACHMENT
from xuncha_desktop.services.records.record_service import ListQuery, RecordService
from xuncha_desktop.services.workspace import Workspace, new_id
from xuncha_desktop.storage.blobs import put_blob
from xuncha_desktop.storage.tables import blob

MAX_ATTACHMENT_BYTES = 200 * 1024 * 1024


class AttachmentService:
    def __init__(self, workspace: Workspace) -> None:
        self._ws = workspace
        self._records: RecordService[Attachment] = RecordService(workspace, ATTACHMENT)

    def add(
        self, record_type: str, record_id: str, file_name: str, data: bytes, note: str = ""
    ) -> Attachment:
        """Attach `data` to a record; identical bytes are stored once however often they are attached."""
        if len(data) > MAX_ATTACHMENT_BYTES:
            raise XunchaError(f"附件“{file_name}”超过 {MAX_ATTACHMENT_BYTES // 1024 // 1024} MB，无法添加")
        digest = hashlib.sha256(data).hexdigest()
        mime = mimetypes.guess_type(file_name)[0] or "application/octet-stream"
        attachment = Attachment(
            id=new_id(),
            record_type=record_type,
            record_id=record_id,
            sha256=digest,
            file_name=file_name,
            mime=mime,
            size=len(data),
            note=note,
        )
        errors = validate_attachment(attachment, date.today())
        if errors:
            raise ValidationError(errors, "附件")
        with self._ws.writing() as writer:
            put_blob(writer.conn, data, mime)
            writer.write(ATTACHMENT, attachment)
        return self._records.get(attachment.id)

    def of_record(self, record_type: str, record_id: str) -> list[Attachment]:
        return self._records.list(
            ListQuery(
                filters={"record_type": record_type, "record_id": record_id}, order_by="file_name", limit=None
            )
        )

    def data(self, sha256: str) -> bytes:
        """The bytes, checked against their hash (a damaged blob is reported, never returned)."""
        with self._ws.engine.connect() as conn:
            row = conn.execute(select(blob.c.data, blob.c.present).where(blob.c.sha256 == sha256)).first()
        if row is None or not row.present or row.data is None:
            raise RecordNotFound("附件内容尚未收到（等待后续工作包补齐）")
        if hashlib.sha256(row.data).hexdigest() != sha256:
            raise XunchaError("附件内容校验失败，文件可能已损坏")
        return bytes(row.data)

    def remove(self, attachment_id: str) -> None:
        self._records.delete(attachment_id)
