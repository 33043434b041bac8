"""Encrypted backups in the workspace's 备份 folder: daily, thinned, restored as a new incarnation."""

from __future__ import annotations

import shutil
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

import sqlcipher3.dbapi2 as sqlcipher

from xuncha_desktop.domain.errors import DamagedWorkspace, WorkspaceError, WrongPassphrase
from xuncha_desktop.services.workspace import Workspace
from xuncha_desktop.storage import files, migrations, restore_plan, sync_state
from xuncha_desktop.storage.backup import (
    BackupInfo,
    backup_target,
    list_backups,
)
from xuncha_desktop.storage.database import check_pages, connect_raw, write_transaction
from xuncha_desktop.storage.keyfile import keyfile_path, read_keyfile, write_keyfile
from xuncha_desktop.storage.revisions import RevisionWriter
from xuncha_desktop.storage.workspace_lock import WorkspaceLock

__all__ = [
    "BackupInfo",
    "RestoreReport",
    "daily_backup",
    "list_backups",
    "restore",
    "take_backup",
    "thin",
    "thin_plan",
]

DAILY = timedelta(days=1)
KEEP_ALL = timedelta(days=7)
WEEKS_KEPT = 8


def take_backup(ws: Workspace, label: str = "手动", *, now: datetime | None = None) -> Path:
    """An encrypted, verified copy of the open workspace in its 备份 folder; older ones are thinned."""
    now = now or datetime.now()
    target = backup_target(ws.path, label, now)
    ws.backup(target)
    thin(ws.path, now=now)
    return target


def daily_backup(ws: Workspace, *, now: datetime | None = None) -> Path | None:
    """Call after opening: a backup when the newest one is older than a day (or there is none)."""
    now = now or datetime.now()
    existing = list_backups(ws.path)
    if existing and now - existing[0].taken_at < DAILY:
        return None
    return take_backup(ws, "每日", now=now)


def thin_plan(backups: list[BackupInfo], now: datetime) -> list[BackupInfo]:
    """The backups to delete: keep everything of the last 7 days, then the newest of each week for 8
    weeks, then the newest of each calendar month; the newest backup is never deleted."""
    ordered = sorted(backups, key=lambda b: (b.taken_at, b.path.name), reverse=True)
    seen: set[tuple[object, ...]] = set()
    doomed = []
    for index, backup in enumerate(ordered):
        age = now - backup.taken_at
        if age < KEEP_ALL:
            continue
        weeks = (age - KEEP_ALL) // timedelta(weeks=1)
        bucket: tuple[object, ...] = (
            ("week", weeks) if weeks < WEEKS_KEPT else ("month", backup.taken_at.year, backup.taken_at.month)
        )
        if bucket in seen and index > 0:
            doomed.append(backup)
        else:
            seen.add(bucket)
    return doomed


def delete_backup(backup: BackupInfo) -> None:
    """Both files or neither: a backup never loses its key file while the database stays, or the reverse."""
    files.delete_together([backup.path, keyfile_path(backup.path)])


def thin(db_path: Path, *, now: datetime | None = None) -> list[Path]:
    """Delete the backups `thin_plan` gives up; returns their paths. A backup another program holds (an
    antivirus scan) is kept this time and thinned on a later run: housekeeping never fails a backup."""
    deleted = []
    for backup in thin_plan(list_backups(db_path), now or datetime.now()):
        try:
            delete_backup(backup)
        except files.FileHeld:
            continue
        deleted.append(backup.path)
    return deleted


@dataclass(frozen=True)
class RestoreReport:
    target: Path
    backup: Path
    incarnation_before: int
    incarnation: int
    set_aside: list[Path] = field(default_factory=list)


def _sidecars(db: Path) -> list[Path]:
    return [keyfile_path(db), Path(f"{db}-wal"), Path(f"{db}-shm"), Path(f"{db}-journal")]


def _verified_copy(backup_path: Path, partial: Path, passphrase: str) -> None:
    """Copy the backup beside the target and check the copy (the backup itself is never opened for
    writing, so it stays one self-contained file)."""
    keyfile = read_keyfile(keyfile_path(backup_path))
    dek = keyfile.unlock(passphrase)
    for leftover in (partial, *_sidecars(partial)):
        files.unlink(leftover)
    shutil.copyfile(backup_path, partial)
    damaged = f"备份“{backup_path.name}”已损坏或与其密钥文件不匹配，不能用于恢复"
    try:
        con = connect_raw(partial, dek)  # the key file opened: a refused key means a damaged file
    except WrongPassphrase as exc:
        raise DamagedWorkspace(damaged) from exc
    try:
        problems = check_pages(con)
        workspace_id = con.execute("SELECT workspace_id FROM sync_self").fetchone()[0]
        con.execute("PRAGMA journal_mode = DELETE")
    except sqlcipher.DatabaseError as exc:
        raise DamagedWorkspace(damaged) from exc
    finally:
        con.close()
    if problems or workspace_id != keyfile.workspace_id:
        raise DamagedWorkspace(damaged)
    write_keyfile(keyfile_path(partial), keyfile)


def _aside_moves(target: Path, stamp: str) -> list[tuple[Path, Path]]:
    """Where an existing (usually damaged) workspace goes instead of being deleted: its files, renamed."""
    aside = target.with_name(f"{target.name}.恢复前-{stamp}")
    pairs = zip((target, *_sidecars(target)), (aside, *_sidecars(aside)), strict=True)
    return [(source, dest) for source, dest in pairs if source.exists()]


def _put_in_place(partial: Path, target: Path, aside: list[tuple[Path, Path]]) -> None:
    """Set the old workspace aside and move the restored one in, all or nothing: whichever rename fails
    (a file held by another program), the folder is left as it was, database and key file together."""
    files.move_together(aside)
    try:
        files.move_together([(keyfile_path(partial), keyfile_path(target)), (partial, target)])
    except BaseException:
        files.move_together([(dest, source) for source, dest in aside])
        raise


def _new_incarnation(ws: Workspace, backup_name: str) -> tuple[int, int]:
    """sync.md §3.2/§3.11: a restored database must never reuse the counters of its old incarnation."""
    with write_transaction(ws.engine) as conn:
        before = sync_state.new_incarnation(conn)
        writer = RevisionWriter(conn, ws.user.login, migrations.SCHEMA_VERSION)
        writer.log("restore_backup", backup=backup_name, incarnation_before=before, incarnation=before + 1)
        writer.finish()  # also writes the sync_knowledge row of the new incarnation
    return before, before + 1


def restore(
    backup_path: Path,
    target_path: Path,
    passphrase: str,
    *,
    user_login: str | None = None,
    lock: WorkspaceLock | None = None,
) -> RestoreReport:
    """Copy a verified backup to `target_path` (an existing workspace there is set aside, not deleted)
    and give the restored workspace a new incarnation. `passphrase` is the one valid when the backup
    was taken. The target's workspace lock is held throughout (`lock`: the hold of the window whose
    workspace is replaced), so no other program has the file open while it is replaced."""
    backup_path, target = Path(backup_path).absolute(), Path(target_path).absolute()
    if not backup_path.is_file():
        raise WorkspaceError(f"找不到备份文件“{backup_path}”")
    if backup_path == target:
        raise WorkspaceError("不能把备份恢复到备份文件自身")
    if not target.parent.is_dir():
        raise WorkspaceError(f"文件夹“{target.parent}”不存在")
    held = lock.retain(target) if lock is not None else WorkspaceLock.acquire(target)
    try:
        before, after, set_aside = _replace_with_backup(backup_path, target, passphrase, user_login)
    finally:
        held.release()
    return RestoreReport(target, backup_path, before, after, set_aside)


def _replace_with_backup(
    backup_path: Path, target: Path, passphrase: str, user_login: str | None
) -> tuple[int, int, list[Path]]:
    partial = target.with_name(f"{target.name}.恢复中")
    try:
        _verified_copy(backup_path, partial, passphrase)
        # The new incarnation goes into the copy before it takes the workspace's place: a crash after
        # the switch must not leave the backup's incarnation in use (its revision counters would repeat).
        copy_lock = WorkspaceLock.acquire(partial)
        try:
            with Workspace.open(partial, passphrase, user_login=user_login, lock=copy_lock) as ws:
                before, after = _new_incarnation(ws, backup_path.name)
        finally:
            copy_lock.release()
            copy_lock.remove_files()
        aside = _aside_moves(target, datetime.now().strftime("%Y%m%d-%H%M%S"))
        restore_plan.write(target, [*aside, (keyfile_path(partial), keyfile_path(target)), (partial, target)])
        try:
            _put_in_place(partial, target, aside)
        finally:  # done, or undone by _put_in_place: only a kill leaves the plan for the next opener
            restore_plan.clear(target)
    finally:
        for leftover in (partial, *_sidecars(partial)):
            try:
                files.unlink(leftover)
            except files.FileHeld:
                continue  # a copy held by a scanner; the next restore removes it before copying
    return before, after, [dest for _source, dest in aside]
