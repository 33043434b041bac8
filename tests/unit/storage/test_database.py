"""storage.database: a write is atomic, a wrong key never opens the file, a sound file passes its checks."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from sqlalchemy import Engine, insert, select

from xuncha_desktop.domain.errors import WrongPassphrase
from xuncha_desktop.storage.backup import export_copy
from xuncha_desktop.storage.database import (
    NEW_PAGE_SIZE,
    cipher_version,
    connect_raw,
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


def _page_sizes(engine: Engine) -> tuple[int, int]:
    with engine.connect() as conn:
        page = conn.exec_driver_sql("PRAGMA page_size").scalar_one()
        cipher = conn.exec_driver_sql("PRAGMA cipher_page_size").scalar_one()
    return int(page), int(cipher)


def test_a_new_file_has_large_pages_and_a_wrong_key_is_still_refused(tmp_path: Path) -> None:
    engine = open_engine(tmp_path / "新.xcdb", KEY)
    metadata.create_all(engine, tables=[settings])
    assert _page_sizes(engine) == (NEW_PAGE_SIZE, NEW_PAGE_SIZE) == (16384, 16384)
    engine.dispose()
    again = open_engine(tmp_path / "新.xcdb", KEY)
    assert _page_sizes(again) == (NEW_PAGE_SIZE, NEW_PAGE_SIZE)
    again.dispose()
    wrong = open_engine(tmp_path / "新.xcdb", os.urandom(32))
    with pytest.raises(WrongPassphrase):  # after trying every page size
        wrong.connect()
    wrong.dispose()


def test_a_file_with_the_pages_of_older_versions_opens_and_its_copy_keeps_them(tmp_path: Path) -> None:
    old = tmp_path / "旧.xcdb"
    con = connect_raw(old, KEY, page_size=4096)  # as files before version 7 were written
    con.execute("CREATE TABLE kept (v TEXT)")
    con.execute("INSERT INTO kept VALUES ('甲')")
    con.close()
    engine = open_engine(old, KEY)
    assert _page_sizes(engine) == (4096, 4096)
    with engine.connect() as conn:
        assert conn.exec_driver_sql("SELECT v FROM kept").scalar_one() == "甲"
    copy = export_copy(engine, KEY, tmp_path / "备份" / "旧.xcdb")
    engine.dispose()
    copied = open_engine(copy, KEY)
    assert _page_sizes(copied) == (4096, 4096)
    with copied.connect() as conn:
        assert conn.exec_driver_sql("SELECT v FROM kept").scalar_one() == "甲"
    copied.dispose()
