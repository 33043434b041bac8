"""Encrypted copies of a workspace: exported into a keyed target with sqlcipher_export, then re-opened and
checked. Never an unkeyed .backup (that writes plaintext) and never a file copy of a live WAL database.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from sqlalchemy import Engine

from xuncha_desktop.domain.errors import DamagedWorkspace, WorkspaceError
from xuncha_desktop.storage.database import connect_raw
from xuncha_desktop.storage.keyfile import keyfile_path


def export_copy(engine: Engine, key: bytes, target: Path) -> Path:
    """Write an encrypted, verified copy of the database (and its key file) to `target`."""
    if target.exists():
        raise WorkspaceError(f"备份文件“{target}”已存在")
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(target.name + ".part")
    partial.unlink(missing_ok=True)
    raw = engine.raw_connection()
    try:
        cur = raw.cursor()
        version = cur.execute("PRAGMA user_version").fetchone()[0]
        cur.execute(f"ATTACH DATABASE ? AS backup KEY \"x'{key.hex()}'\"", (str(partial),))
        try:
            # One transaction: otherwise every copied CREATE statement is its own fsync'd commit.
            cur.execute("BEGIN")
            try:
                cur.execute("SELECT sqlcipher_export('backup')")
                cur.execute(f"PRAGMA backup.user_version = {int(version)}")  # not copied by sqlcipher_export
                cur.execute("COMMIT")
            except BaseException:
                cur.execute("ROLLBACK")
                raise
        finally:
            cur.execute("DETACH DATABASE backup")
        cur.close()
    finally:
        raw.close()
    check = connect_raw(partial, key)
    try:
        result = check.execute("PRAGMA quick_check").fetchall()
        check.execute("PRAGMA journal_mode = DELETE")  # a backup is one self-contained file
    finally:
        check.close()
    if [r[0] for r in result] != ["ok"]:
        partial.unlink(missing_ok=True)
        raise DamagedWorkspace(f"备份校验失败：{result}")
    os.replace(partial, target)
    source_key = keyfile_path(Path(engine.url.database or ""))
    if source_key.is_file():
        shutil.copy2(source_key, keyfile_path(target))
    return target
