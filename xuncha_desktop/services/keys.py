"""Passphrases and key slots: change, office recovery, throttled unlocking and damaged-file messages."""

from __future__ import annotations

import json
import math
import os
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pyrage
from sqlalchemy import select
from sqlalchemy.exc import DBAPIError

from xuncha_desktop.domain.errors import DamagedWorkspace, WorkspaceError, WrongPassphrase
from xuncha_desktop.services.workspace import Workspace, check_passphrase
from xuncha_desktop.storage import migrations
from xuncha_desktop.storage.backup import BackupInfo, list_backups
from xuncha_desktop.storage.database import open_engine, write_transaction
from xuncha_desktop.storage.keyfile import (
    PASSPHRASE_SLOT,
    RECOVERY_SLOT,
    KdfParams,
    PassphraseRejected,
    keyfile_path,
    make_slot,
    open_recovery_slot,
    read_keyfile,
    write_keyfile,
)
from xuncha_desktop.storage.revisions import RevisionWriter
from xuncha_desktop.storage.tables import sync_keyring, sync_self
from xuncha_desktop.storage.workspace_lock import WorkspaceLock

ATTEMPTS_SUFFIX = ".attempts"


class TooManyAttempts(WorkspaceError):
    """Too many wrong passphrases in a row: the next attempt is allowed only after `seconds`."""

    def __init__(self, failures: int, seconds: float) -> None:
        self.failures, self.seconds = failures, seconds
        super().__init__(f"口令已连续输错 {failures} 次，请 {math.ceil(seconds)} 秒后再试")


class NeedsRestore(DamagedWorkspace):
    """The workspace or its key file is damaged or foreign; `backups` (newest first) may replace it."""

    def __init__(self, message: str, backups: list[BackupInfo]) -> None:
        super().__init__(message)
        self.backups = backups

    @property
    def newest(self) -> BackupInfo | None:
        return self.backups[0] if self.backups else None


# -- throttling wrong passphrases ----------------------------------------------------------------------
def default_delay(failures: int) -> float:
    """Seconds to wait after `failures` consecutive wrong passphrases: none for the first two typos,
    then 5 s doubling up to 15 minutes."""
    return 0.0 if failures < 3 else float(min(5 * 2 ** (failures - 3), 900))


def attempts_path(db_path: Path) -> Path:
    """The small side file counting wrong passphrases (it holds no secret, only a count and a time)."""
    return Path(db_path).with_name(Path(db_path).name + ATTEMPTS_SUFFIX)


@dataclass(frozen=True)
class AttemptGuard:
    """Consecutive failures per workspace file, kept in a side file so restarting does not reset them."""

    schedule: Callable[[int], float] = default_delay
    clock: Callable[[], float] = time.time

    def read(self, db_path: Path) -> tuple[int, float]:
        """(consecutive failures, time of the last one)."""
        try:
            data = json.loads(attempts_path(db_path).read_text(encoding="utf-8"))
            return int(data["failures"]), float(data["last_failure"])
        except (OSError, ValueError, KeyError, TypeError):
            return 0, 0.0

    def remaining(self, db_path: Path) -> float:
        failures, last = self.read(db_path)
        delay = self.schedule(failures) if failures else 0.0
        return max(0.0, min(delay, last + delay - self.clock()))

    def failed(self, db_path: Path) -> tuple[int, float]:
        """Record one more failure; returns (consecutive failures, seconds before the next attempt)."""
        failures = self.read(db_path)[0] + 1
        target = attempts_path(db_path)
        partial = target.with_name(target.name + ".tmp")
        try:
            partial.write_text(json.dumps({"failures": failures, "last_failure": self.clock()}), "utf-8")
            os.replace(partial, target)
        except OSError:
            pass  # a read-only folder must not turn a typo into a crash
        return failures, self.schedule(failures)

    def succeeded(self, db_path: Path) -> None:
        attempts_path(db_path).unlink(missing_ok=True)


# -- opening -------------------------------------------------------------------------------------------
def damaged_message(path: Path, cause: object, backups: list[BackupInfo]) -> str:
    """A Chinese message naming the problem and offering the newest backup."""
    reason = str(cause).rstrip("。")
    head = f"无法打开工作库“{Path(path).name}”：{reason}。"
    if not backups:
        return head + "没有找到该工作库的备份，请联系巡察办。"
    newest = backups[0]
    return (
        f"{head}可以从最新的备份恢复：{newest.description}，文件“{newest.path.name}”"
        f"（共 {len(backups)} 份备份）。恢复时请输入备份当时使用的口令。"
    )


def open_workspace(
    path: Path,
    passphrase: str,
    *,
    user_login: str | None = None,
    guard: AttemptGuard | None = None,
    lock: WorkspaceLock | None = None,
) -> Workspace:
    """Workspace.open with a growing wait after wrong passphrases and a restore offer for damaged files.

    Raises TooManyAttempts while waiting, PassphraseRejected for a wrong passphrase, NeedsRestore when
    the database or key file is damaged or the two do not belong together, WorkspaceInUse when another
    program has it open. `lock` as for Workspace.open."""
    path, guard = Path(path).absolute(), guard or AttemptGuard()
    wait = guard.remaining(path)
    if wait > 0:
        raise TooManyAttempts(guard.read(path)[0], wait)
    if path.is_file() and not keyfile_path(path).is_file():
        cause, backups = f"找不到密钥文件“{keyfile_path(path).name}”", list_backups(path)
        raise NeedsRestore(damaged_message(path, cause, backups), backups)
    try:
        ws = Workspace.open(path, passphrase, user_login=user_login, lock=lock)
    except PassphraseRejected as exc:
        failures, delay = guard.failed(path)
        if delay <= 0:
            raise
        raise PassphraseRejected(
            f"口令不正确（已连续输错 {failures} 次，请 {math.ceil(delay)} 秒后再试）"
        ) from exc
    except (DamagedWorkspace, WrongPassphrase, DBAPIError) as exc:
        # WrongPassphrase that is not PassphraseRejected: the key file opened, the database refused its
        # key, so the two files do not belong together (or the database is damaged).
        reason = str(exc)
        if isinstance(exc, WrongPassphrase | DBAPIError):
            reason = (
                f"密钥文件“{keyfile_path(path).name}”打不开这个工作库（它可能是另一个工作库的密钥文件，"
                "或工作库文件已损坏），请放回该工作库原来的密钥文件"
            )
        backups = list_backups(path)
        raise NeedsRestore(damaged_message(path, reason, backups), backups) from exc
    guard.succeeded(path)
    return ws


# -- changing the passphrase ---------------------------------------------------------------------------
def _audited(
    db_path: Path, dek: bytes, workspace_id: str, actor: str, action: str, change: Callable[[], None]
) -> None:
    """Run `change` inside the transaction that writes its audit entry (whether or not the workspace is
    open elsewhere): if `change` fails nothing is logged, if the database cannot be written nothing is
    changed."""
    engine = open_engine(db_path, dek)
    try:
        with write_transaction(engine) as conn:
            if conn.execute(select(sync_self.c.workspace_id)).scalar_one() != workspace_id:
                raise DamagedWorkspace("密钥文件与工作库不匹配")
            writer = RevisionWriter(conn, actor or "system", migrations.SCHEMA_VERSION)
            writer.log(action, slot=PASSPHRASE_SLOT)
            writer.finish()
            change()
    finally:
        engine.dispose()


def change_passphrase(
    path: Path, old: str, new: str, *, actor: str = "", kdf: KdfParams | None = None
) -> None:
    """Re-wrap the passphrase slot under `new` (the database is not re-encrypted); atomic, audited."""
    path = Path(path).absolute()
    check_passphrase(new)
    if new == old:
        raise WorkspaceError("新口令不能与原口令相同")
    key_path = keyfile_path(path)
    keyfile = read_keyfile(key_path)
    dek = keyfile.unlock(old)
    rewrapped = keyfile.with_slot(
        make_slot(PASSPHRASE_SLOT, new, dek, keyfile.workspace_id, kdf or KdfParams())
    )
    _audited(path, dek, keyfile.workspace_id, actor, "passphrase", lambda: write_keyfile(key_path, rewrapped))


# -- office recovery -----------------------------------------------------------------------------------
def ensure_office_recovery(ws: Workspace) -> bool:
    """Add the office recovery slot once the laptop knows the office's age recipient (from its
    provisioning package); True when a slot was added now."""
    if ws.info.is_office:
        return False
    with ws.engine.connect() as conn:
        office = conn.execute(select(sync_keyring).where(sync_keyring.c.kind == "office")).first()
    if office is None or not ws.add_recovery_slot(office.recipient, office.scope_id):
        return False
    with ws.writing() as writer:
        writer.log("recovery_slot", office_replica=office.scope_id)
    return True


def has_office_recovery(db_path: Path) -> bool:
    return read_keyfile(keyfile_path(Path(db_path))).slot(RECOVERY_SLOT) is not None


def recover_with_office(
    office_ws: Workspace, key_path: Path, new_passphrase: str, *, kdf: KdfParams | None = None
) -> None:
    """At the office: open a field key file's recovery slot with the office's own age identity and give
    it a new passphrase slot, so a forgotten field passphrase is not data loss."""
    if not office_ws.info.is_office:
        raise WorkspaceError("只有巡察办工作库可以恢复现场工作库的口令")
    check_passphrase(new_passphrase)
    key_path = Path(key_path)
    keyfile = read_keyfile(key_path)
    with office_ws.engine.connect() as conn:
        identity = conn.execute(select(sync_self.c.box_key)).scalar_one().decode("ascii")
    slot = keyfile.slot(RECOVERY_SLOT)
    mine = str(pyrage.x25519.Identity.from_str(identity).to_public())
    if slot is not None and slot.get("recipient") != mine:
        raise WorkspaceError("该密钥文件的恢复密钥属于另一个巡察办，本巡察办无法恢复")
    dek = open_recovery_slot(keyfile, identity)
    slot_new = make_slot(PASSPHRASE_SLOT, new_passphrase, dek, keyfile.workspace_id, kdf or KdfParams())
    with office_ws.writing() as writer:
        writer.log("key_recovery", workspace_id=keyfile.workspace_id, file=key_path.name)
        write_keyfile(key_path, keyfile.with_slot(slot_new))  # inside the transaction: no audit, no change
