"""安全 → 用户口令: who has a passphrase (a key slot) on this workspace, and setting or resetting one.

At the office the 巡察办管理员 manages them, on a field laptop the 组长: users the office provisions arrive
without a slot and cannot sign in until one of them sets their passphrase. Each change is audited in the
same transaction as the key file is written."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from xuncha_desktop.domain import vocab
from xuncha_desktop.domain.errors import WorkspaceError
from xuncha_desktop.domain.organization import User
from xuncha_desktop.domain.record_types import USER
from xuncha_desktop.services.workspace import Workspace, check_passphrase
from xuncha_desktop.storage.keyfile import (
    PASSPHRASE_SLOT,
    KdfParams,
    keyfile_path,
    read_keyfile,
    write_keyfile,
)
from xuncha_desktop.storage.tables import BUSINESS_TABLES

FIELD_MANAGER = "组长"


@dataclass(frozen=True)
class UserSlot:
    """One active user and whether they can sign in on this workspace."""

    user: User
    has_passphrase: bool

    @property
    def status(self) -> str:
        return "已设置口令" if self.has_passphrase else "未设置口令（不能登录）"


def manager_role(ws: Workspace) -> str:
    return vocab.OFFICE_ADMIN if ws.info.is_office else FIELD_MANAGER


def may_manage(ws: Workspace) -> bool:
    """The office administrator at the office, the 组长 on a field laptop."""
    return ws.user.role == manager_role(ws)


def _users(ws: Workspace) -> list[User]:
    """Every user, the workspace's first local user first (the owner of a version-1 slot)."""
    t = BUSINESS_TABLES[USER.key]
    with ws.engine.connect() as conn:
        rows = conn.execute(
            select(t).order_by((t.c.created_replica != ws.info.replica_id), t.c.created_hlc)
        ).all()
    return [
        User(
            id=r.id,
            login=r.login,
            display_name=r.display_name,
            role=r.role,
            member_id=r.member_id,
            active=r.active and not r.deleted,
        )
        for r in rows
    ]


def list_user_slots(ws: Workspace) -> list[UserSlot]:
    """The active users, ordered by login, each with whether a passphrase is set."""
    owners = read_keyfile(keyfile_path(ws.path)).owners()
    users = _users(ws)
    first = users[0].id if users else ""
    shown = [
        UserSlot(u, u.id in owners or (u.id == first and PASSPHRASE_SLOT in owners))
        for u in users
        if u.active
    ]
    return sorted(shown, key=lambda s: s.user.login)


def set_user_passphrase(
    ws: Workspace, user_id: str, passphrase: str, *, kdf: KdfParams | None = None
) -> bool:
    """Give `user_id` a new passphrase (a new slot, or the old one replaced); True when the user had none.
    Only the manager (may_manage) may; the change and its audit entry commit together."""
    if not may_manage(ws):
        raise WorkspaceError(f"只有{manager_role(ws)}可以设置用户的口令")
    check_passphrase(passphrase)
    users = _users(ws)
    user = next((u for u in users if u.id == user_id), None)
    if user is None:
        raise WorkspaceError("找不到要设置口令的用户")
    if not user.active:
        raise WorkspaceError(f"用户“{user.login}”已停用，不能为其设置口令")
    key_path = keyfile_path(ws.path)
    keyfile = read_keyfile(key_path)
    owns_legacy = user.id == users[0].id and keyfile.slot(PASSPHRASE_SLOT) is not None
    had = user.id in keyfile.owners() or owns_legacy
    slot = ws.user_slot(user, passphrase, kdf or KdfParams())
    with ws.writing() as writer:
        writer.log("user_passphrase", user=user.login, how="reset" if had else "set")
        write_keyfile(key_path, keyfile.with_user_slot(slot, replaces_legacy=owns_legacy))
    if user.id == ws.user.id and ws.slot_owner == PASSPHRASE_SLOT:
        ws.slot_owner = user.id  # unlocking now takes the new slot
    return not had
