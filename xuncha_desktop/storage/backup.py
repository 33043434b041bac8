"""Encrypted copies of a workspace: copied page by page into a target keyed with the same key, then
re-opened and checked. Never an unkeyed backup (that writes plaintext) and never a file copy of a live
WAL database.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import sqlcipher3.dbapi2 as sqlcipher
from sqlalchemy import Engine

from xuncha_desktop.domain.errors import DamagedWorkspace, WorkspaceError
from xuncha_desktop.storage import faults
from xuncha_desktop.storage.database import check_pages, connect_raw, page_size_of
from xuncha_desktop.storage.keyfile import keyfile_path

BACKUP_DIR = "备份"
_STAMP = "%Y%m%d-%H%M%S-%f"
_NAME = re.compile(r"^(?P<label>[^.]+?)-(?P<stamp>\d{8}-\d{6})(?:-(?P<micro>\d{6}))?$")


@dataclass(frozen=True)
class BackupInfo:
    """One encrypted backup of a workspace (database file with its key file beside it)."""

    path: Path
    taken_at: datetime  # local time, from the file name
    label: str  # 导入前, 升级前-v3, 每日, 手动 …

    @property
    def kind(self) -> str:
        return self.label.split("-", 1)[0]

    @property
    def description(self) -> str:
        return f"{self.taken_at:%Y-%m-%d %H:%M}（{self.kind}）"


def backup_dir(db_path: Path) -> Path:
    """`<workspace folder>/备份`, where every automatic backup of the workspace goes."""
    return Path(db_path).parent / BACKUP_DIR


def backup_target(
    db_path: Path, label: str, when: datetime | None = None, folder: Path | None = None
) -> Path:
    """`备份/<stem>.<label>-<yyyymmdd-hhmmss-micro><suffix>` for a new backup of `db_path`."""
    db_path = Path(db_path)
    stamp = (when or datetime.now()).strftime(_STAMP)
    return (folder or backup_dir(db_path)) / f"{db_path.stem}.{label}-{stamp}{db_path.suffix}"


def list_backups(db_path: Path) -> list[BackupInfo]:
    """The backups of `db_path` in its 备份 folder (and older ones beside it), newest first."""
    db_path = Path(db_path).absolute()
    prefix, found = f"{db_path.stem}.", []
    for folder in (backup_dir(db_path), db_path.parent):
        if not folder.is_dir():
            continue
        for candidate in folder.iterdir():
            name = candidate.name
            if not (name.startswith(prefix) and name.endswith(db_path.suffix)) or candidate == db_path:
                continue
            match = _NAME.match(name[len(prefix) : len(name) - len(db_path.suffix)])
            if match is None or not candidate.is_file() or not keyfile_path(candidate).is_file():
                continue
            try:
                taken = datetime.strptime(match["stamp"] + (match["micro"] or "000000"), "%Y%m%d-%H%M%S%f")
            except ValueError:
                continue
            found.append(BackupInfo(candidate, taken, match["label"]))
    return sorted(found, key=lambda b: (b.taken_at, b.path.name), reverse=True)


def _remove_partial(partial: Path) -> None:
    for leftover in (partial, Path(f"{partial}-wal"), Path(f"{partial}-shm"), Path(f"{partial}-journal")):
        leftover.unlink(missing_ok=True)


def export_copy(engine: Engine, key: bytes, target: Path) -> Path:
    """Write an encrypted, verified copy of the database (and its key file) to `target`; on failure
    (a full or read-only backup folder) nothing of it is left behind."""
    if target.exists():
        raise WorkspaceError(f"备份文件“{target}”已存在")
    made_folder = not target.parent.exists()
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(target.name + ".part")
    try:
        _copy_verified(engine, key, partial)
        os.replace(partial, target)
        source_key = keyfile_path(Path(engine.url.database or ""))
        if source_key.is_file():
            shutil.copy2(source_key, keyfile_path(target))
    except BaseException:
        for leftover in (target, keyfile_path(target)):
            leftover.unlink(missing_ok=True)
        if made_folder:
            with contextlib.suppress(OSError):
                target.parent.rmdir()  # only if still empty
        raise
    return target


def _copy_verified(engine: Engine, key: bytes, partial: Path) -> None:
    _remove_partial(partial)
    # SQLite's backup API between two connections keyed alike copies the encrypted pages as they are,
    # consistently even while the workspace is in use; nothing passes through plaintext.
    source = engine.raw_connection()
    try:
        driver = source.driver_connection
        assert driver is not None  # a pooled connection, just checked out, wraps its driver's
        # The backup API copies pages as they are: the copy must have the workspace's page size.
        target_con = connect_raw(partial, key, page_size_of(driver))
        try:
            driver.backup(target_con)
        finally:
            target_con.close()
        check = connect_raw(partial, key)
        try:
            result = check_pages(check)
            check.execute("PRAGMA journal_mode = DELETE")  # a backup is one self-contained file
        finally:
            check.close()
    except sqlcipher.Error as exc:  # a full or read-only backup folder, said in Chinese
        _remove_partial(partial)
        raise faults.database_error(exc, partial) or DamagedWorkspace("备份未能完成：数据库复制失败") from exc
    except BaseException:
        _remove_partial(partial)
        raise
    finally:
        source.close()
    if result:
        _remove_partial(partial)
        raise DamagedWorkspace(f"备份校验失败：{result}")
