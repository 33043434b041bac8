"""storage.database: a write is atomic, a wrong key never opens the file, a sound file passes its checks."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from sqlalchemy import insert, select

from xuncha_desktop.domain.errors import WrongPassphrase
from xuncha_desktop.storage.database import (
    cipher_version,
    integrity_check,
    open_engine,
    quick_check,
    write_transaction,
)
from xuncha_desktop.storage.tables import metadata, settings

KEY = bytes(range(32))


def test_a_failed_write_leaves_nothing_behind(tmp_path: Path) -> None:
    engine = open_engine(tmp_path / "a.xcdb", KEY)
    metadata.create_all(engine, tables=[settings])
    with write_transaction(engine) as conn:
        conn.execute(insert(settings).values(key="kept", value="1"))
    with pytest.raises(RuntimeError), write_transaction(engine) as conn:
        conn.execute(insert(settings).values(key="dropped", value="2"))
        raise RuntimeError("midway")
    with engine.connect() as conn:
        assert list(conn.execute(select(settings.c.key)).scalars()) == ["kept"]
    assert quick_check(engine) == [] and integrity_check(engine) == []
    assert cipher_version(engine)
    engine.dispose()


def test_a_wrong_key_is_refused_on_connect(tmp_path: Path) -> None:
    engine = open_engine(tmp_path / "a.xcdb", KEY)
    metadata.create_all(engine, tables=[settings])
    engine.dispose()
    assert b"CREATE TABLE" not in (tmp_path / "a.xcdb").read_bytes()  # encrypted on disk
    wrong = open_engine(tmp_path / "a.xcdb", os.urandom(32))
    with pytest.raises(WrongPassphrase):
        wrong.connect()
    wrong.dispose()
