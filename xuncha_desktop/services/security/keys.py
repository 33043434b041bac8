"""Passphrases and key slots: signing in (throttled, wrong passphrases audited at the next sign-in), the
version-1 slot's upgrade, change, office recovery and damaged-file messages."""

from __future__ import annotations

import math
from collections.abc import Callable
from contextlib import suppress
from pathlib import Path
from typing import Any

import pyrage
from sqlalchemy.exc import DBAPIError

from xuncha_desktop.domain.errors import DamagedWorkspace, WorkspaceError, WrongPassphrase, XunchaError
from xuncha_desktop.services.security.roster_login import PENDING, adopt_roster_user, roster_status
from xuncha_desktop.services.security.sign_in_attempts import (
    AttemptGuard,
    TooManyAttempts,
    log_failed_unlocks,
)
from xuncha_desktop.services.workspace import Workspace, check_passphrase
from xuncha_desktop.storage import migrations, sync_state
from xuncha_desktop.storage.backup import BackupInfo, list_backups
from xuncha_desktop.storage.database import open_engine, write_transaction
from xuncha_desktop.storage.keyfile import (
    PASSPHRASE_SLOT,
    RECOVERY_SLOT,
    USER_SLOT,
    KdfParams,
    KeyFile,
    PassphraseRejected,
    keyfile_path,
    login_tag,
    open_recovery_slot,
    read_keyfile,
    rewrapped_slot,
    slot_params,
    write_keyfile,
)
from xuncha_desktop.storage.revisions import RevisionWriter
from xuncha_desktop.storage.workspace_lock import WorkspaceLock


class NeedsRestore(DamagedWorkspace):
    """The workspace or its key file is damaged or foreign; `backups` (newest first) may replace it."""

    def __init__(self, message: str, backups: list[BackupInfo]) -> None:
        super().__init__(message)
        self.backups = backups

    @property
    def newest(self) -> BackupInfo | None:
        return self.backups[0] if self.backups else None


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
        failures, delay = guard.failed(path, tried=exc.tried)
        if delay <= 0:
            raise
        raise PassphraseRejected(
            f"口令不正确（已连续输错 {failures} 次，请 {math.ceil(delay)} 秒后再试）", exc.tried
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
    try:
        upgrade_keyfile(ws, passphrase)
        finish_roster_login(ws, passphrase)
        log_failed_unlocks(ws, guard)
    except BaseException:
        ws.close()
        raise
    return ws


def finish_roster_login(ws: Workspace, passphrase: str) -> None:
    """A laptop provisioned for its roster member's login whose switch to the roster user was not done at
    the import (no passphrase there, or a step that failed) finishes it now. Where the key file or the
    database cannot be written it stays as it is and keeps opening."""
    if ws.info.is_office or roster_status(ws).kind != PENDING:
        return
    with suppress(OSError, DBAPIError, XunchaError):
        adopt_roster_user(ws, passphrase)


def upgrade_keyfile(ws: Workspace, passphrase: str) -> bool:
    """A workspace opened with the version-1 slot: that slot becomes its owner's own user slot (same
    passphrase and cost), audited. Where the key file or database cannot be written it stays as it is
    and keeps opening. True when upgraded."""
    if ws.slot_owner != PASSPHRASE_SLOT:
        return False
    key_path = keyfile_path(ws.path)
    try:
        keyfile = read_keyfile(key_path)
        legacy = keyfile.slot(PASSPHRASE_SLOT)
        if legacy is None:
            return False
        slot = ws.user_slot(ws.user, passphrase, slot_params(legacy))
        with ws.writing() as writer:
            writer.log("keyfile_upgrade", user=ws.user.login)
            write_keyfile(key_path, keyfile.with_user_slot(slot, replaces_legacy=True))
    except (OSError, DBAPIError, XunchaError):
        return False
    ws.slot_owner = ws.user.id
    return True


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
            if sync_state.this_replica(conn).workspace_id != workspace_id:
                raise DamagedWorkspace("密钥文件与工作库不匹配")
            writer = RevisionWriter(conn, actor or "system", migrations.SCHEMA_VERSION)
            writer.log(action, slot=PASSPHRASE_SLOT)
            writer.finish()
            change()
    finally:
        engine.dispose()


def change_passphrase(
    path: Path, old: str, new: str, *, actor: str = "", owner: str = "", kdf: KdfParams | None = None
) -> None:
    """Re-wrap one slot under `new` (the database is not re-encrypted); atomic, audited. `owner` (the
    signed-in workspace's slot_owner) names the slot; without it, the slot `old` opens."""
    path = Path(path).absolute()
    check_passphrase(new)
    if new == old:
        raise WorkspaceError("新口令不能与原口令相同")
    key_path = keyfile_path(path)
    keyfile = read_keyfile(key_path)
    if owner:
        dek, slot = keyfile.open_owner(owner, old), keyfile.owner_slot(owner)
    else:
        dek, slot = keyfile.accepting(old)
    assert slot is not None  # open_owner found it
    rewrapped = keyfile.with_slot(rewrapped_slot(slot, new, dek, keyfile.workspace_id, kdf or KdfParams()))
    _audited(path, dek, keyfile.workspace_id, actor, "passphrase", lambda: write_keyfile(key_path, rewrapped))


# -- office recovery -----------------------------------------------------------------------------------
def ensure_office_recovery(ws: Workspace) -> bool:
    """Add the office recovery slot once the laptop knows the office's age recipient (from its
    provisioning package); True when a slot was added now."""
    if ws.info.is_office:
        return False
    with ws.engine.connect() as conn:
        office = sync_state.office_key(conn)
    if office is None or not ws.add_recovery_slot(office.recipient, office.scope_id):
        return False
    with ws.writing() as writer:
        writer.log("recovery_slot", office_replica=office.scope_id)
    return True


def has_office_recovery(db_path: Path) -> bool:
    return read_keyfile(keyfile_path(Path(db_path))).slot(RECOVERY_SLOT) is not None


def _recovered_slot(keyfile: KeyFile, login: str) -> dict[str, Any]:
    """The slot recovery gives a new passphrase: `login`'s, or else the first user's (the version-1 slot,
    or the first user slot, which `init` writes first and every change keeps in place)."""
    slots = keyfile.passphrase_slots()
    if login:
        tag = login_tag(keyfile.workspace_id, login)
        own = next((s for s in slots if s.get("kind") == USER_SLOT and s.get("login_tag") == tag), None)
        if own is None:
            raise WorkspaceError(f"该密钥文件中没有登录名“{login.strip()}”的口令，请核对登录名")
        return own
    first = keyfile.slot(PASSPHRASE_SLOT) or next((s for s in slots if s.get("kind") == USER_SLOT), None)
    return first or {"kind": PASSPHRASE_SLOT}


def recover_with_office(
    office_ws: Workspace,
    key_path: Path,
    new_passphrase: str,
    *,
    login: str = "",
    kdf: KdfParams | None = None,
) -> None:
    """At the office: open a field key file's recovery slot with the office's own age identity and give a
    user a new passphrase, so a forgotten field passphrase is not data loss. `login` names a user whose
    slot is in the file; without it the new passphrase is the workspace's first user's. The old passphrase
    of that slot stops working."""
    if not office_ws.info.is_office:
        raise WorkspaceError("只有巡察办工作库可以恢复现场工作库的口令")
    check_passphrase(new_passphrase)
    key_path = Path(key_path)
    keyfile = read_keyfile(key_path)
    with office_ws.engine.connect() as conn:
        identity = sync_state.this_replica(conn).box_key.decode("ascii")
    slot = keyfile.slot(RECOVERY_SLOT)
    mine = str(pyrage.x25519.Identity.from_str(identity).to_public())
    if slot is not None and slot.get("recipient") != mine:
        raise WorkspaceError("该密钥文件的恢复密钥属于另一个巡察办，本巡察办无法恢复")
    dek = open_recovery_slot(keyfile, identity)
    slot_new = rewrapped_slot(
        _recovered_slot(keyfile, login), new_passphrase, dek, keyfile.workspace_id, kdf or KdfParams()
    )
    with office_ws.writing() as writer:
        whom = {"user": login.strip()} if login else {}
        writer.log("key_recovery", workspace_id=keyfile.workspace_id, file=key_path.name, **whom)
        write_keyfile(key_path, keyfile.with_slot(slot_new))  # inside the transaction: no audit, no change
