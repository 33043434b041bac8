"""A workspace: one encrypted database file plus its key file, opened for one user.

This is the services' entry point: it creates and opens workspaces, and hands out the record services
that share its engine and identity.
"""

from __future__ import annotations

import math
import os
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pyrage
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sqlalchemy import Engine, select

from xuncha_desktop.domain import vocab
from xuncha_desktop.domain.errors import DamagedWorkspace, NoPassphraseYet, StorageFault, WorkspaceError
from xuncha_desktop.domain.organization import User
from xuncha_desktop.domain.record_types import USER
from xuncha_desktop.services.changes import Changes, Listener
from xuncha_desktop.services.identity import former_identities
from xuncha_desktop.services.security.sign_in_attempts import (
    AttemptGuard,
    TooManyAttempts,
    log_failed_unlocks,
)
from xuncha_desktop.storage import files, migrations, page_size, restore_plan, sync_state
from xuncha_desktop.storage.backup import backup_target, export_copy
from xuncha_desktop.storage.database import open_engine, write_transaction
from xuncha_desktop.storage.keyfile import (
    PASSPHRASE_SLOT,
    RECOVERY_SLOT,
    KdfParams,
    PassphraseRejected,
    create_keyfile,
    keyfile_path,
    make_recovery_slot,
    make_user_slot,
    new_dek,
    normal_login,
    read_keyfile,
    slot_owner,
    write_keyfile,
)
from xuncha_desktop.storage.revisions import RevisionWriter, format_hlc
from xuncha_desktop.storage.tables import BUSINESS_TABLES
from xuncha_desktop.storage.workspace_lock import WorkspaceLock as WorkspaceLock  # re-exported to the GUI

SQLITE_MAGIC = b"SQLite format 3\x00"
PASSPHRASE_ENV = "XUNCHA_PASSPHRASE"
USER_ENV = "XUNCHA_USER"
MIN_PASSPHRASE = 8


def new_id() -> str:
    return str(uuid.uuid4())


def _raw(key: Ed25519PrivateKey) -> bytes:
    return key.private_bytes(
        serialization.Encoding.Raw, serialization.PrivateFormat.Raw, serialization.NoEncryption()
    )


def _public(key: Ed25519PrivateKey) -> bytes:
    return key.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


@dataclass(frozen=True)
class WorkspaceInfo:
    path: Path
    workspace_id: str
    replica_id: str
    role: str  # "field" | "office"
    incarnation: int
    schema_version: int

    @property
    def is_office(self) -> bool:
        return self.role == "office"

    @property
    def role_label(self) -> str:
        return "巡察办工作库" if self.is_office else "巡察组现场工作库"


def _remove_staging(staging: Path) -> None:
    """Delete what an unfinished create left; a file still held is left under its working name, which no
    workspace list shows and the next create removes first."""
    for leftover in (staging, keyfile_path(staging), Path(f"{staging}-wal"), Path(f"{staging}-shm")):
        try:
            files.unlink(leftover)
        except files.FileHeld:
            continue


def exists(path: Path) -> bool:
    """A workspace is at `path`: its file, or a restore of it that was interrupted (the next open ends it)."""
    return Path(path).is_file() or restore_plan.pending(Path(path))


def _finish_restore(path: Path, lock: WorkspaceLock | None) -> None:
    """Finish the renames of a restore killed half-way, holding the workspace's lock while doing it."""
    held = lock.retain(path) if lock is not None else WorkspaceLock.acquire(path)
    try:
        restore_plan.finish(path)
    finally:
        held.release()


def _convert_legacy_pages(path: Path, key: bytes) -> None:
    """A workspace written with 4 KB pages is rewritten with today's larger ones once, when first opened
    (storage.page_size). Where that cannot be done now (a full disk, a read-only folder) the workspace
    opens as it is: it works the same, only larger, and the next opening tries again."""
    if not page_size.needs_conversion(path, key):
        return
    try:
        page_size.convert(path, key)
    except (StorageFault, DamagedWorkspace):
        return


def check_passphrase(passphrase: str) -> None:
    if len(passphrase) < MIN_PASSPHRASE:
        raise WorkspaceError(f"口令至少需要{MIN_PASSPHRASE}个字符")


class _LockedEngine:
    """Stands in for the engine while the workspace is locked: any use fails with a Chinese message
    instead of an SQL error, and nothing here holds the key."""

    def __init__(self, name: str) -> None:
        self._message = f"工作库已锁定（{name}），请先输入口令解锁后再操作"

    def dispose(self, close: bool = True) -> None:
        """Nothing is open: closing a locked workspace (the window closing) needs no key."""

    def __getattr__(self, name: str) -> Any:
        raise WorkspaceError(self._message)


class _ClosedEngine(_LockedEngine):
    """Stands in for the engine once the workspace is closed: its lock is gone, so nothing may reconnect."""

    def __init__(self, name: str) -> None:
        self._message = f"工作库“{name}”已关闭"


class Workspace:
    """An open workspace. Every public service call runs in its own transaction."""

    def __init__(
        self,
        path: Path,
        engine: Engine,
        key: bytes,
        info: WorkspaceInfo,
        user: User,
        migration_backup: Path | None = None,
        file_lock: WorkspaceLock | None = None,
        slot_owner: str = PASSPHRASE_SLOT,
    ) -> None:
        self.path = path
        self.engine = engine
        self._key = key
        self.info = info
        self.user = user
        self.migration_backup = migration_backup
        self._file_lock = file_lock
        # Whose key slot opened the workspace (the user's id, or the version-1 slot): unlocking after a
        # lock accepts that slot's passphrase only.
        self.slot_owner = slot_owner
        self._listeners: list[Listener] = []

    # -- lifecycle -------------------------------------------------------------------------------------
    @classmethod
    def create(
        cls,
        path: Path,
        passphrase: str,
        *,
        office: bool = False,
        user_name: str = "",
        role: str = "",
        kdf: KdfParams | None = None,
    ) -> Workspace:
        """A new, empty workspace file (and key file) with one user."""
        path = Path(path).absolute()
        check_passphrase(passphrase)
        role = role or (vocab.OFFICE_ADMIN if office else "组长")
        if role not in vocab.USER_ROLES:
            raise WorkspaceError(f"角色“{role}”无效，可选：{'、'.join(vocab.USER_ROLES)}")
        existing = WorkspaceError(f"工作库“{path}”已存在，不会覆盖")
        if path.exists() or keyfile_path(path).exists():
            raise existing
        if not path.parent.is_dir():
            raise WorkspaceError(f"文件夹“{path.parent}”不存在")
        held = WorkspaceLock.acquire(path)  # a second `init` of the same path at the same moment is refused
        if path.exists() or keyfile_path(path).exists():  # made by another process meanwhile
            held.release()
            raise existing
        workspace_id, dek, user_id = new_id(), new_dek(), new_id()
        login = normal_login(user_name) or ("巡察办管理员" if office else "管理员")
        # Built under a working name and moved into place, database and key file together, only when
        # complete: a failure (a full disk, a file an antivirus holds) never leaves half a workspace that
        # the next attempt would take for an existing one.
        staging = path.with_name(path.name + ".创建中")
        _remove_staging(staging)  # left by an earlier attempt that was killed
        engine: Engine | None = None
        try:
            keyfile = create_keyfile(workspace_id, user_id, login, passphrase, dek, kdf or KdfParams())
            write_keyfile(keyfile_path(staging), keyfile)
            engine = open_engine(staging, dek)
            migrations.create_schema(engine)
            cls._initialise(
                engine, workspace_id, office, User(user_id, login=login, display_name=login, role=role)
            )
            engine.dispose()  # the pool lets go of the file before it is renamed (Windows needs that)
            engine = None
            files.move_together([(keyfile_path(staging), keyfile_path(path)), (staging, path)])
        except BaseException:
            if engine is not None:
                engine.dispose()
            _remove_staging(staging)
            held.release()
            held.remove_files()
            raise
        try:
            return cls.open(path, passphrase, user_login=login, lock=held)
        finally:
            held.release()  # the open workspace holds it now

    @staticmethod
    def _initialise(engine: Engine, workspace_id: str, office: bool, user: User) -> None:
        replica_id = new_id()
        # Ed25519 signs revisions and manifests; an age X25519 identity receives work packages.
        sign, box = Ed25519PrivateKey.generate(), pyrage.x25519.Identity.generate()
        now = datetime.now(UTC).isoformat(timespec="seconds")
        with write_transaction(engine) as conn:
            sync_state.create_self(
                conn,
                workspace_id=workspace_id,
                replica_id=replica_id,
                role="office" if office else "field",
                hlc=format_hlc(0, 0, replica_id),
                sign_key=_raw(sign),
                box_key=str(box),
                sign_pubkey=_public(sign),
                box_pubkey=str(box.to_public()),
                label="巡察办" if office else f"{user.display_name}的工作库",
                at=now,
            )
            writer = RevisionWriter(conn, "system", migrations.SCHEMA_VERSION)
            # Built-in dictionaries ship with the application (domain.classification); the table holds only
            # versions the office provisions, so every laptop does not mint its own copies.
            writer.write(USER, user)
            writer.log("init", role="office" if office else "field")
            writer.finish()

    @classmethod
    def open(
        cls,
        path: Path,
        passphrase: str,
        *,
        user_login: str | None = None,
        lock: WorkspaceLock | None = None,
    ) -> Workspace:
        """Open for the user whose key slot `passphrase` opens; `user_login` (default: XUNCHA_USER) must
        name that user, and chooses which slot is tried. The workspace is held by this process until
        `close()` (WorkspaceInUse when another holds it); `lock` is the lock of this file already held here
        (by `create`, or a restore replacing the file of an open workspace), which the new object shares."""
        path = Path(path).absolute()
        if not path.is_file() and restore_plan.pending(path):
            _finish_restore(path, lock)
        if not path.is_file():
            raise WorkspaceError(f"找不到工作库文件“{path}”")
        held = lock.retain(path) if lock is not None else WorkspaceLock.acquire(path)
        try:
            ws = cls._open_held(path, passphrase, user_login)
        except BaseException:
            held.release()
            raise
        ws._file_lock = held
        held.describe(ws.user.display_name or ws.user.login)
        return ws

    @staticmethod
    def check_not_in_use(path: Path) -> None:
        """WorkspaceInUse naming who has the workspace open, before asking for a passphrase in vain (opening
        checks again: this is a courtesy, not the guard)."""
        if Path(path).is_file():
            WorkspaceLock.probe(path)

    @classmethod
    def _open_held(cls, path: Path, passphrase: str, user_login: str | None) -> Workspace:
        # Read by path before any connection of this process is open (closing it would drop SQLite's POSIX
        # locks); the workspace lock, taken already, keeps every other process out in any case.
        with open(path, "rb") as f:
            head = f.read(16)
        if head == SQLITE_MAGIC:
            raise DamagedWorkspace(f"“{path.name}”是未加密的 SQLite 文件，不是本系统的工作库")
        if len(head) < 16:
            raise DamagedWorkspace(f"“{path.name}”不是本系统的工作库（文件过短或已损坏）")
        keyfile = read_keyfile(keyfile_path(path))
        login = user_login if user_login is not None else os.environ.get(USER_ENV)
        key, slot = keyfile.sign_in(passphrase, login)
        _convert_legacy_pages(path, key)
        engine = open_engine(path, key)
        try:
            # No quick_check here: it reads the whole file (half a minute for a large office workspace).
            # The key check in connect_raw has read the schema; `check` and every backup verify the pages.
            taken = migrations.upgrade(
                engine,
                backup=lambda v: export_copy(engine, key, backup_target(path, f"升级前-v{v}")),
            )
            with engine.connect() as conn:
                me = sync_state.this_replica(conn)
            if me.workspace_id != keyfile.workspace_id:
                raise DamagedWorkspace("密钥文件与工作库不匹配")
            info = WorkspaceInfo(
                path, me.workspace_id, me.replica_id, me.role, me.incarnation, migrations.SCHEMA_VERSION
            )
            owner = slot_owner(slot)
            user = cls._slot_user(engine, me.replica_id, owner, login, keyfile.owners())
        except BaseException:
            engine.dispose()
            raise
        return cls(path, engine, key, info, user, taken, slot_owner=owner)

    @staticmethod
    def _slot_user(engine: Engine, replica_id: str, owner: str, login: str | None, owners: set[str]) -> User:
        """The user a key slot belongs to: its user's id, or for the version-1 slot the first user created
        on this workspace (not one provisioned). A login naming someone else is a wrong pair."""
        users = BUSINESS_TABLES[USER.key]
        with engine.connect() as conn:
            own = [replica_id, *former_identities(conn, replica_id)]  # a copy that took a new identity
            rows = conn.execute(
                select(users).order_by(users.c.created_replica.not_in(own), users.c.created_hlc)
            ).all()
        if not rows:
            raise DamagedWorkspace("工作库中没有可用的用户")
        chosen = rows[0] if owner == PASSPHRASE_SLOT else next((r for r in rows if r.id == owner), None)
        if chosen is None:
            raise DamagedWorkspace("密钥文件中的口令属于工作库中不存在的用户")
        if login and normal_login(login) and normal_login(login) != chosen.login:
            named = next((r for r in rows if r.login == normal_login(login)), None)
            if named is not None and named.id not in owners and not named.deleted and named.active:
                raise NoPassphraseYet(named.login)
            raise PassphraseRejected("口令不正确", owner)
        if chosen.deleted or not chosen.active:
            raise WorkspaceError(f"用户“{chosen.login}”已停用，不能登录本工作库")
        return User(
            id=chosen.id,
            login=chosen.login,
            display_name=chosen.display_name,
            role=chosen.role,
            member_id=chosen.member_id,
            active=chosen.active,
        )

    @property
    def file_lock(self) -> WorkspaceLock:
        """This process's hold on the workspace (to lend to a restore that replaces the file)."""
        if self._file_lock is None:
            raise WorkspaceError(f"工作库“{self.path.name}”已关闭")
        return self._file_lock

    @property
    def is_closed(self) -> bool:
        return isinstance(self.engine, _ClosedEngine)

    def close(self) -> None:
        """Close every connection, then let other processes open the workspace. The auto-lock (`lock`)
        keeps the hold: the window still owns the workspace while its key is forgotten."""
        engine, held = self.engine, self._file_lock
        self.engine, self._key, self._file_lock = _ClosedEngine(self.path.name), b"", None  # type: ignore[assignment]
        engine.dispose()
        if held is not None:
            held.release()

    def __enter__(self) -> Workspace:
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

    # -- locking ---------------------------------------------------------------------------------------
    @property
    def is_locked(self) -> bool:
        """No key in memory: locked by the auto-lock, or closed."""
        return isinstance(self.engine, _LockedEngine)

    def lock(self) -> None:
        """Close every connection and forget the database key until `unlock`. Callers first let running
        reads finish: a connection checked out now would keep its keyed SQLCipher handle open."""
        if self.is_locked:
            return
        engine = self.engine
        # The engine's connect function holds the key: once it is replaced nothing here refers to either.
        self.engine = _LockedEngine(self.path.name)  # type: ignore[assignment]
        self._key = b""
        engine.dispose()

    def unlock(self, passphrase: str, *, guard: AttemptGuard | None = None) -> None:
        """Derive the key from the signed-in user's own slot again and reconnect this same object, so every
        service and page holding it works again. Wrong passphrases make the next attempt wait longer
        (TooManyAttempts while waiting, PassphraseRejected naming the wait); they are written to the audit
        log once the workspace is unlocked."""
        if self.is_closed:
            raise WorkspaceError(f"工作库“{self.path.name}”已关闭")
        if not self.is_locked:
            return
        guard = guard or AttemptGuard()
        wait = guard.remaining(self.path)
        if wait > 0:
            raise TooManyAttempts(guard.read(self.path)[0], wait)
        keyfile = read_keyfile(keyfile_path(self.path))
        if keyfile.workspace_id != self.info.workspace_id:
            raise DamagedWorkspace(
                f"工作库“{self.path.name}”在锁定期间被替换或恢复过，请关闭程序后重新打开该工作库"
            )
        try:
            key = keyfile.open_owner(self.slot_owner, passphrase)
        except PassphraseRejected as exc:
            failures, delay = guard.failed(self.path, tried=self.slot_owner, where="unlock")
            if delay <= 0:
                raise
            raise PassphraseRejected(
                f"口令不正确（已连续输错 {failures} 次，请 {math.ceil(delay)} 秒后再试）", exc.tried
            ) from exc
        engine = open_engine(self.path, key)
        try:
            with engine.connect() as conn:
                me = sync_state.this_replica(conn)
        except BaseException:
            engine.dispose()
            raise
        info = self.info
        seen = (keyfile.workspace_id, me.workspace_id, me.replica_id, me.incarnation)
        if seen != (info.workspace_id, info.workspace_id, info.replica_id, info.incarnation):
            engine.dispose()
            raise DamagedWorkspace(
                f"工作库“{self.path.name}”在锁定期间被替换或恢复过，请关闭程序后重新打开该工作库"
            )
        self.engine, self._key = engine, key
        log_failed_unlocks(self, guard)

    # -- writing ---------------------------------------------------------------------------------------
    @contextmanager
    def writing(self) -> Iterator[RevisionWriter]:
        """One atomic change: everything written through the writer commits together or not at all.
        Once committed, the listeners are told which record types it changed."""
        with write_transaction(self.engine) as conn:
            writer = RevisionWriter(conn, self.user.login, migrations.SCHEMA_VERSION)
            yield writer
            writer.finish()
        self.report_changes(Changes.of_types(writer.touched))

    def on_changes(self, listener: Listener) -> Callable[[], None]:
        """Tell `listener` what each committed change changed (on the thread that made it); returns the
        call that stops it."""
        self._listeners.append(listener)
        return lambda: self._listeners.remove(listener) if listener in self._listeners else None

    def report_changes(self, changes: Changes) -> None:
        """Called by the services after a commit (writing() does it for record writes)."""
        if changes:
            for listener in list(self._listeners):
                listener(changes)

    def backup(self, target: Path) -> Path:
        return export_copy(self.engine, self._key, target)

    def side_file_key(self) -> bytes:
        """The database key, for this workspace's encrypted side files (undo journals of imports)."""
        if self.is_locked or not self._key:
            raise WorkspaceError(f"工作库已锁定（{self.path.name}），请先输入口令解锁后再操作")
        return self._key

    def user_slot(self, user: User, secret: str, kdf: KdfParams) -> dict[str, Any]:
        """A key slot with which `user` signs in with `secret` (made with this open workspace's key)."""
        if self.is_locked:  # the key is gone: never wrap an empty one
            raise WorkspaceError(f"工作库已锁定（{self.path.name}），请先输入口令解锁后再操作")
        return make_user_slot(user.id, user.login, secret, self._key, self.info.workspace_id, kdf)

    def add_recovery_slot(self, recipient: str, office_replica: str) -> bool:
        """Let the office holding `recipient`'s identity re-key this workspace; False if already there."""
        if self.is_locked:  # the key is gone: never wrap an empty one
            raise WorkspaceError(f"工作库已锁定（{self.path.name}），请先输入口令解锁后再操作")
        path = keyfile_path(self.path)
        keyfile = read_keyfile(path)
        slot = keyfile.slot(RECOVERY_SLOT)
        if slot is not None and slot.get("recipient") == recipient:
            return False
        write_keyfile(
            path,
            keyfile.with_slot(make_recovery_slot(self._key, keyfile.workspace_id, recipient, office_replica)),
        )
        return True
