"""Attachment bytes stored once under their SHA-256, inside the encrypted database."""

from __future__ import annotations

import hashlib

from sqlalchemy import Connection, insert, select, update

from xuncha_desktop.storage.tables import blob


def put_blob(conn: Connection, data: bytes, mime: str = "") -> str:
    """Store `data` if it is not there yet (or fill a placeholder waiting for it); returns its SHA-256."""
    digest = hashlib.sha256(data).hexdigest()
    present = conn.execute(select(blob.c.present).where(blob.c.sha256 == digest)).first()
    if present is None:
        conn.execute(
            insert(blob).values(
                sha256=digest,
                size=len(data),
                mime=mime,
                storage="inline",
                data=data,
                path=None,
                file_key=None,
                present=True,
            )
        )
    elif not present.present:
        conn.execute(update(blob).where(blob.c.sha256 == digest).values(data=data, present=True))
    return digest


def present_blobs(conn: Connection, digests: set[str]) -> dict[str, bytes]:
    """{sha256: bytes} of those attachments whose bytes this workspace holds (placeholders are left out)."""
    return {
        b.sha256: bytes(b.data)
        for b in conn.execute(select(blob).where(blob.c.sha256.in_(digests)))
        if b.present and b.data is not None
    }
