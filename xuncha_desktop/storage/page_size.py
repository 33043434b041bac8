"""Rewrite a workspace written with 4 KB pages into one with today's page size (storage.database.PAGE_SIZE).

SQLCipher cannot change the page size of an encrypted file in place: `sqlcipher_export` copies every table,
index and the schema version into a new file keyed alike, which is checked and then put in the old file's
place in one rename. Until that rename the old file is untouched, so a failure (a full disk, a killed
process) leaves the workspace exactly as it was, with at most a partial copy that the next attempt removes.
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

import sqlcipher3.dbapi2 as sqlcipher

from xuncha_desktop.domain.errors import DamagedWorkspace
from xuncha_desktop.storage import faults
from xuncha_desktop.storage.database import PAGE_SIZE, check_pages, connect_raw, page_size_of

PARTIAL_SUFFIX = ".页面转换"


def _sidecars(path: Path) -> list[Path]:
    return [Path(f"{path}-wal"), Path(f"{path}-shm"), Path(f"{path}-journal")]


def _remove(path: Path) -> None:
    for leftover in (path, *_sidecars(path)):
        with contextlib.suppress(FileNotFoundError):
            leftover.unlink()


def needs_conversion(path: Path, key: bytes) -> bool:
    """The file's pages are not PAGE_SIZE (no connection of this process may be open on it)."""
    con = connect_raw(path, key)
    try:
        return page_size_of(con) != PAGE_SIZE
    finally:
        con.close()


def convert(path: Path, key: bytes, page_size: int = PAGE_SIZE) -> None:
    """Rewrite `path` with `page_size` pages. Call with no other connection open on the file (the workspace
    lock keeps other processes out); WAL content is folded in first, so nothing committed is left behind."""
    path = Path(path)
    partial = path.with_name(path.name + PARTIAL_SUFFIX)
    _remove(partial)
    try:
        con = connect_raw(path, key)
        try:
            con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            con.execute(f"ATTACH DATABASE ? AS converted KEY \"x'{key.hex()}'\"", (str(partial),))
            con.execute(f"PRAGMA converted.cipher_page_size = {int(page_size)}")
            con.execute("SELECT sqlcipher_export('converted')")
            version = int(con.execute("PRAGMA main.user_version").fetchone()[0])
            con.execute(f"PRAGMA converted.user_version = {version}")
            con.execute("DETACH DATABASE converted")
        finally:
            con.close()
        check = connect_raw(partial, key, page_size)
        try:
            problems = check_pages(check)
        finally:
            check.close()
        if problems:
            raise DamagedWorkspace(f"工作库转换后的校验未通过：{problems[0]}")
        # The old file's WAL was emptied above; no journal of it may outlive it beside the new file.
        for leftover in _sidecars(path):
            with contextlib.suppress(FileNotFoundError):
                leftover.unlink()
        os.replace(partial, path)
    except sqlcipher.Error as exc:
        _remove(partial)
        failed = DamagedWorkspace("工作库转换失败：数据库复制未完成")
        raise faults.database_error(exc, partial) or failed from exc
    except BaseException:
        _remove(partial)
        raise
