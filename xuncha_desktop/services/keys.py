"""Passphrases and key slots: signing in (throttled, wrong passphrases audited at the next sign-in), the
version-1 slot's upgrade, change, office recovery and damaged-file messages."""

from __future__ import annotations

import json
import math
import os
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import pyrage
from sqlalchemy import select
from sqlalchemy.exc import DBAPIError

from xuncha_desktop.domain.errors import DamagedWorkspace, WorkspaceError, WrongPassphrase, XunchaError
from xuncha_desktop.domain.record_types import USER
from xuncha_desktop.services.workspace import Workspace, check_passphrase
from xuncha_desktop.storage import migrations, sync_state
from xuncha_desktop.storage.backup import BackupInfo, list_backups
from xuncha_desktop.storage.database import open_engine, write_transaction
from xuncha_desktop.storage.keyfile import (
    PASSPHRASE_SLOT,
    RECOVERY_SLOT,
    UNKNOWN,
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
from xuncha_desktop.storage.tables import BUSINESS_TABLES
from xuncha_desktop.storage.workspace_lock import WorkspaceLock

ATTEMPTS_SUFFIX = ".attempts"
SYSTEM = "system"  # the audit log's author of what nobody signed in did


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
class FailedSignIn:
    """Wrong passphrases for one slot in a row, kept until the audit log can take them: the database is
    locked while they happen. `tried` is the slot's owner (keyfile.slot_owner) or UNKNOWN; `where` is
    "open" (signing in) or "unlock" (after a lock); times are seconds since the epoch."""

    tried: str
    where: str
    count: int
    first: float
    last: float


@dataclass(frozen=True)
class AttemptGuard:
    """Consecutive failures per workspace file, kept in a side file so restarting does not reset them. The
    file holds counts, times and slot owners (user ids), never anything typed."""

    schedule: Callable[[int], float] = default_delay
    clock: Callable[[], float] = time.time

    def _state(self, db_path: Path) -> dict[str, Any]:
        try:
            data = json.loads(attempts_path(db_path).read_text(encoding="utf-8"))
            return {
                "failures": int(data["failures"]),
                "last_failure": float(data["last_failure"]),
                "unaudited": [asdict(FailedSignIn(**f)) for f in data.get("unaudited", [])],
            }
        except (OSError, ValueError, KeyError, TypeError):
            return {"failures": 0, "last_failure": 0.0, "unaudited": []}

    def _save(self, db_path: Path, state: dict[str, Any]) -> None:
        target = attempts_path(db_path)
        try:
            if not state["failures"] and not state["unaudited"]:
                target.unlink(missing_ok=True)
                return
            partial = target.with_name(target.name + ".tmp")
            partial.write_text(json.dumps(state), "utf-8")
            os.replace(partial, target)
        except OSError:
            pass  # a read-only folder must not turn a typo into a crash

    def read(self, db_path: Path) -> tuple[int, float]:
        """(consecutive failures, time of the last one)."""
        state = self._state(db_path)
        return state["failures"], state["last_failure"]

    def remaining(self, db_path: Path) -> float:
        failures, last = self.read(db_path)
        delay = self.schedule(failures) if failures else 0.0
        return max(0.0, min(delay, last + delay - self.clock()))

    def failed(self, db_path: Path, *, tried: str = UNKNOWN, where: str = "open") -> tuple[int, float]:
        """Record one more failure; returns (consecutive failures, seconds before the next attempt)."""
        state, now = self._state(db_path), self.clock()
        state["failures"] += 1
        state["last_failure"] = now
        same = next((f for f in state["unaudited"] if (f["tried"], f["where"]) == (tried, where)), None)
        if same is None:
            state["unaudited"].append(asdict(FailedSignIn(tried, where, 1, now, now)))
        else:
            same.update(count=same["count"] + 1, last=now)
        self._save(db_path, state)
        return state["failures"], self.schedule(state["failures"])

    def succeeded(self, db_path: Path) -> None:
        """No more waiting; failures not yet in the audit log stay listed."""
        state = self._state(db_path)
        state.update(failures=0, last_failure=0.0)
        self._save(db_path, state)

    def unaudited(self, db_path: Path) -> list[FailedSignIn]:
        return [FailedSignIn(**f) for f in self._state(db_path)["unaudited"]]

    def audited(self, db_path: Path) -> None:
        state = self._state(db_path)
        state["unaudited"] = []
        self._save(db_path, state)


def _local(seconds: float) -> str:
    return time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(seconds))


def _owner_logins(conn: Any, replica_id: str) -> dict[str, str]:
    """Slot owner → login: users by id, and the version-1 slot as its owner, the first local user."""
    users = BUSINESS_TABLES[USER.key]
    rows = conn.execute(
        select(users.c.id, users.c.login).order_by(
            (users.c.created_replica != replica_id), users.c.created_hlc
        )
    ).all()
    names = {r.id: r.login for r in rows}
    if rows:
        names[PASSPHRASE_SLOT] = rows[0].login
    return names


def log_failed_unlocks(ws: Workspace, guard: AttemptGuard) -> int:
    """After a successful sign-in or unlock: no more waiting, and the wrong passphrases before it go into
    the audit log (one entry per slot and occasion). A database that cannot be written keeps them listed
    for the next time. Returns how many entries were written."""
    guard.succeeded(ws.path)
    pending = guard.unaudited(ws.path)
    if not pending:
        return 0
    try:
        with write_transaction(ws.engine) as conn:
            names = _owner_logins(conn, ws.info.replica_id)
            writer = RevisionWriter(conn, SYSTEM, migrations.SCHEMA_VERSION)
            for f in pending:
                writer.log(
                    "unlock_failed",
                    login=names.get(f.tried, ""),
                    count=f.count,
                    first=_local(f.first),
                    last=_local(f.last),
                    where=f.where,
                )
            writer.finish()
    except (DBAPIError, XunchaError):
        return 0
    guard.audited(ws.path)
    return len(pending)


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
        log_failed_unlocks(ws, guard)
    except BaseException:
        ws.close()
        raise
    return ws


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
