"""storage.blobs: attachment bytes are stored once under their SHA-256, and placeholders filled later."""

from __future__ import annotations

import hashlib

from sqlalchemy import create_engine, insert, select

from xuncha_desktop.storage.blobs import present_blobs, put_blob
from xuncha_desktop.storage.tables import blob, metadata


def _conn():
    engine = create_engine("sqlite://")
    metadata.create_all(engine, tables=[blob])
    return engine.connect()


def test_the_same_bytes_are_stored_once() -> None:
    with _conn() as conn:
        first = put_blob(conn, b"abc", "text/plain")
        assert put_blob(conn, b"abc") == first == hashlib.sha256(b"abc").hexdigest()
        assert conn.execute(select(blob)).all().__len__() == 1
        assert present_blobs(conn, {first, "0" * 64}) == {first: b"abc"}


def test_a_placeholder_is_filled_when_its_bytes_arrive() -> None:
    with _conn() as conn:
        digest = hashlib.sha256(b"later").hexdigest()
        conn.execute(
            insert(blob).values(
                sha256=digest,
                size=5,
                mime="",
                storage="inline",
                data=None,
                path=None,
                file_key=None,
                present=False,
            )
        )
        assert present_blobs(conn, {digest}) == {}
        put_blob(conn, b"later")
        assert present_blobs(conn, {digest}) == {digest: b"later"}
