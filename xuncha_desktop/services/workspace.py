"""A workspace: one encrypted database file plus its key file, opened for one user.

This is the services' entry point: it creates and opens workspaces, and hands out the record services
that share its engine and identity.
"""

from __future__ import annotations

import math
import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pyrage
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sqlalchemy import Engine, insert, select

from xuncha_desktop.domain import vocab
from xuncha_desktop.domain.errors import DamagedWorkspace, WorkspaceError
from xuncha_desktop.domain.organization import User
from xuncha_desktop.domain.record_types import USER
from xuncha_desktop.services.identity import former_identities
from xuncha_desktop.storage import migrations
from xuncha_desktop.storage.backup import backup_target, export_copy
from xuncha_desktop.storage.database import open_engine, write_transaction
from xuncha_desktop.storage.keyfile import (
    RECOVERY_SLOT,
    KdfParams,
    PassphraseRejected,
    create_keyfile,
    keyfile_path,
    make_recovery_slot,
    new_dek,
    read_keyfile,
    write_keyfile,
)
from xuncha_desktop.storage.revisions import RevisionWriter, format_hlc
from xuncha_desktop.storage.tables import BUSINESS_TABLES, sync_replica, sync_self

if TYPE_CHECKING:
    from xuncha_desktop.services.keys import AttemptGuard

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
    ) -> None:
        self.path = path
        self.engine = engine
        self._key = key
        self.info = info
        self.user = user
        self.migration_backup = migration_backup

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
        if path.exists() or keyfile_path(path).exists():
            raise WorkspaceError(f"工作库“{path}”已存在，不会覆盖")
        if not path.parent.is_dir():
            raise WorkspaceError(f"文件夹“{path.parent}”不存在")
        workspace_id, dek = new_id(), new_dek()
        try:
            write_keyfile(
                keyfile_path(path), create_keyfile(workspace_id, passphrase, dek, kdf or KdfParams())
            )
            engine = open_engine(path, dek)
            migrations.create_schema(engine)
            cls._initialise(
                engine, workspace_id, office, user_name or ("巡察办管理员" if office else "管理员"), role
            )
        except BaseException:
            for leftover in (path, keyfile_path(path), Path(f"{path}-wal"), Path(f"{path}-shm")):
                leftover.unlink(missing_ok=True)
            raise
        engine.dispose()
        return cls.open(path, passphrase)

    @staticmethod
    def _initialise(engine: Engine, workspace_id: str, office: bool, user_name: str, role: str) -> None:
        replica_id = new_id()
        # Ed25519 signs revisions and manifests; an age X25519 identity receives work packages.
        sign, box = Ed25519PrivateKey.generate(), pyrage.x25519.Identity.generate()
        now = datetime.now(UTC).isoformat(timespec="seconds")
        with write_transaction(engine) as conn:
            conn.execute(
                insert(sync_self).values(
                    id=1,
                    workspace_id=workspace_id,
                    replica_id=replica_id,
                    role="office" if office else "field",
                    incarnation=1,
                    next_counter=1,
                    hlc_last=format_hlc(0, 0, replica_id),
                    sign_key=_raw(sign),
                    box_key=str(box).encode("ascii"),
                    created_at=now,
                    provisioned_by=None,
                )
            )
            conn.execute(
                insert(sync_replica).values(
                    replica_id=replica_id,
                    label="巡察办" if office else f"{user_name}的工作库",
                    role="office" if office else "field",
                    sign_pubkey=_public(sign),
                    box_pubkey=str(box.to_public()).encode("ascii"),
                    is_self=True,
                    revoked_at=None,
                )
            )
            writer = RevisionWriter(conn, "system", migrations.SCHEMA_VERSION)
            # Built-in dictionaries ship with the application (domain.classification); the table holds only
            # versions the office provisions, so every laptop does not mint its own copies.
            writer.write(USER, User(id=new_id(), login=user_name, display_name=user_name, role=role))
            writer.log("init", role="office" if office else "field")
            writer.finish()

    @classmethod
    def open(cls, path: Path, passphrase: str, *, user_login: str | None = None) -> Workspace:
        path = Path(path).absolute()
        if not path.is_file():
            raise WorkspaceError(f"找不到工作库文件“{path}”")
        with open(path, "rb") as f:
            head = f.read(16)
        if head == SQLITE_MAGIC:
            raise DamagedWorkspace(f"“{path.name}”是未加密的 SQLite 文件，不是本系统的工作库")
        if len(head) < 16:
            raise DamagedWorkspace(f"“{path.name}”不是本系统的工作库（文件过短或已损坏）")
        keyfile = read_keyfile(keyfile_path(path))
        key = keyfile.unlock(passphrase)
        engine = open_engine(path, key)
        try:
            # No quick_check here: it reads the whole file (half a minute for a large office workspace).
            # The key check in connect_raw has read the schema; `check` and every backup verify the pages.
            taken = migrations.upgrade(
                engine,
                backup=lambda v: export_copy(engine, key, backup_target(path, f"升级前-v{v}")),
            )
            with engine.connect() as conn:
                me = conn.execute(select(sync_self)).one()
            if me.workspace_id != keyfile.workspace_id:
                raise DamagedWorkspace("密钥文件与工作库不匹配")
            info = WorkspaceInfo(
                path, me.workspace_id, me.replica_id, me.role, me.incarnation, migrations.SCHEMA_VERSION
            )
            login = user_login if user_login is not None else os.environ.get(USER_ENV)
            user = cls._pick_user(engine, me.replica_id, login)
        except BaseException:
            engine.dispose()
            raise
        return cls(path, engine, key, info, user, taken)

    @staticmethod
    def _pick_user(engine: Engine, replica_id: str, login: str | None) -> User:
        """The named user, or by default the first user created on this workspace (not one provisioned)."""
        users = BUSINESS_TABLES[USER.key]
        with engine.connect() as conn:
            own = [replica_id, *former_identities(conn, replica_id)]  # a copy that took a new identity
            rows = conn.execute(
                select(users)
                .where(users.c.deleted.is_(False), users.c.active.is_(True))
                .order_by(users.c.created_replica.not_in(own), users.c.created_hlc)
            ).all()
        if not rows:
            raise DamagedWorkspace("工作库中没有可用的用户")
        chosen = rows[0] if not login else next((r for r in rows if login in (r.login, r.display_name)), None)
        if chosen is None:
            raise WorkspaceError(f"工作库中没有用户“{login}”")
        return User(
            id=chosen.id,
            login=chosen.login,
            display_name=chosen.display_name,
            role=chosen.role,
            member_id=chosen.member_id,
            active=chosen.active,
        )

    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> Workspace:
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

    # -- locking ---------------------------------------------------------------------------------------
    @property
    def is_locked(self) -> bool:
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
        """Derive the key from the key file again (as `open` does) and reconnect this same object, so every
        service and page holding it works again. Wrong passphrases make the next attempt wait longer
        (TooManyAttempts while waiting, PassphraseRejected naming the wait)."""
        from xuncha_desktop.services.keys import AttemptGuard, TooManyAttempts  # keys imports this module

        if not self.is_locked:
            return
        guard = guard or AttemptGuard()
        wait = guard.remaining(self.path)
        if wait > 0:
            raise TooManyAttempts(guard.read(self.path)[0], wait)
        keyfile = read_keyfile(keyfile_path(self.path))
        try:
            key = keyfile.unlock(passphrase)
        except PassphraseRejected as exc:
            failures, delay = guard.failed(self.path)
            if delay <= 0:
                raise
            raise PassphraseRejected(
                f"口令不正确（已连续输错 {failures} 次，请 {math.ceil(delay)} 秒后再试）"
            ) from exc
        engine = open_engine(self.path, key)
        try:
            with engine.connect() as conn:
                me = conn.execute(select(sync_self)).one()
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
        guard.succeeded(self.path)
        self.engine, self._key = engine, key

    # -- writing ---------------------------------------------------------------------------------------
    @contextmanager
    def writing(self) -> Iterator[RevisionWriter]:
        """One atomic change: everything written through the writer commits together or not at all."""
        with write_transaction(self.engine) as conn:
            writer = RevisionWriter(conn, self.user.login, migrations.SCHEMA_VERSION)
            yield writer
            writer.finish()

    def backup(self, target: Path) -> Path:
        return export_copy(self.engine, self._key, target)

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
