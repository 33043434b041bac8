"""storage.database: a write is atomic, a wrong key never opens the file, a sound file passes its checks."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from sqlalchemy import insert, select

from xuncha_desktop.domain.errors import WrongPassphrase
from xuncha_desktop.storage.database import (
    LEGACY_PAGE_SIZE,
    PAGE_SIZE,
    cipher_version,
    connect_raw,
    integrity_check,
    open_engine,
    page_size_of,
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


def _page_size(engine) -> int:  # type: ignore[no-untyped-def]
    with engine.connect() as conn:
        return int(conn.exec_driver_sql("PRAGMA cipher_page_size").scalar_one())


def test_new_files_get_16_kb_pages_and_4_kb_files_still_open(tmp_path: Path) -> None:
    """An encrypted file does not say its page size: a file written with 4 KB pages (before PAGE_SIZE) is
    recognised by trying, and a wrong key is still refused whichever page size is tried."""
    engine = open_engine(tmp_path / "新.xcdb", KEY)
    metadata.create_all(engine, tables=[settings])
    with write_transaction(engine) as conn:
        conn.execute(insert(settings).values(key="键", value="新"))
    assert _page_size(engine) == PAGE_SIZE == 16384
    engine.dispose()
    con = connect_raw(tmp_path / "旧.xcdb", KEY, LEGACY_PAGE_SIZE)
    con.execute("CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL)")
    con.execute("INSERT INTO settings VALUES ('键', '旧')")
    con.close()
    legacy = open_engine(tmp_path / "旧.xcdb", KEY)
    with legacy.connect() as conn:
        assert list(conn.execute(select(settings.c.value)).scalars()) == ["旧"]
    assert _page_size(legacy) == LEGACY_PAGE_SIZE
    with write_transaction(legacy) as conn:  # a second connection of the pool reads it alike
        conn.execute(insert(settings).values(key="二", value="写"))
    legacy.dispose()
    raw = connect_raw(tmp_path / "旧.xcdb", KEY)
    assert (
        page_size_of(raw) == LEGACY_PAGE_SIZE
        and raw.execute("SELECT count(*) FROM settings").fetchone()[0] == 2
    )
    raw.close()
    for name in ("新.xcdb", "旧.xcdb"):
        with pytest.raises(WrongPassphrase):
            connect_raw(tmp_path / name, os.urandom(32))
