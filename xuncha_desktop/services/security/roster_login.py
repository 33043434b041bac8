"""A laptop initialised for a login of its group's roster becomes that member's laptop (issue 12).

`init --user 张三` makes a local user 张三 with its own id; the first provisioning package brings the
roster's user 张三 (member_id, role, name) under the office's id. Two users with one login must not reach
the office, so once the package is in, the signed-in local user gives way to the roster's:

1. the roster user gets a key slot with the same passphrase, put first in the key file (every sign-in with
   that login now finds it first);
2. the local user, made on this laptop and never exported, goes to the recycle bin (a tombstone revision)
   with an audit entry, in one transaction;
3. the local user's slot is dropped.

Each step leaves a workspace that opens for the same passphrase: after 1 as the roster user, after 2 the
same, and a step that failed is finished by the next call (at the next sign-in, services.security.keys).
Records made before the switch keep their author: revisions name the login, which does not change.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

from sqlalchemy import Connection, select

from xuncha_desktop.domain.errors import WorkspaceError
from xuncha_desktop.domain.organization import User
from xuncha_desktop.domain.record_types import GROUP, MEMBER, USER
from xuncha_desktop.services.identity import former_identities
from xuncha_desktop.services.records.record_service import RecordService
from xuncha_desktop.services.workspace import Workspace
from xuncha_desktop.storage import faults, sync_state
from xuncha_desktop.storage.keyfile import (
    KeyFile,
    keyfile_path,
    normal_login,
    read_keyfile,
    slot_owner,
    slot_params,
    write_keyfile,
)
from xuncha_desktop.storage.tables import BUSINESS_TABLES

NONE, MEMBER_LAPTOP, PENDING, OUTSIDE, EXPORTED = "", "member", "pending", "outside", "exported"


@dataclass(frozen=True)
class RosterStatus:
    """Where the signed-in user stands against the roster of the group(s) this laptop was provisioned for.

    kind: NONE (an office, or not provisioned), MEMBER_LAPTOP (signed in as the roster's user, nothing left
    to do), PENDING (a local user to switch, or leftovers of a switch to finish), OUTSIDE (the login is not
    in the roster), EXPORTED (the login is in the roster but this laptop's own user already left it)."""

    kind: str
    login: str = ""
    group: str = ""
    roster: User | None = None
    leftovers: tuple[str, ...] = ()  # ids of local users with the roster's login, still to retire
    signed_in: bool = False  # already signed in as the roster's user (only leftovers to finish)

    @property
    def needs_passphrase(self) -> bool:
        """The switch itself is to do: the roster user's key slot is made with the passphrase."""
        return self.kind == PENDING and self.roster is not None and not self.signed_in

    def message(self) -> str:
        """What the user is told after a provisioning import, in Chinese ("" when there is nothing to say)."""
        who = f"{self.roster.display_name}（{self.roster.role}）" if self.roster else ""
        if self.kind == MEMBER_LAPTOP and self.roster is not None:
            return (
                f"本机已成为巡察组“{self.group}”名册中{who}的电脑：登录名“{self.login}”和口令不变，"
                "此前的记录全部保留。"
            )
        if self.kind == PENDING:
            return (
                f"登录名“{self.login}”在巡察组“{self.group}”的名册中（{who}）：请再次输入口令，"
                "本机即成为该组员的电脑（口令不变）；若此时不输入，下次登录时自动完成。"
            )
        if self.kind == OUTSIDE:
            return (
                f"登录名“{self.login}”不在巡察组“{self.group}”的名册中：导入已完成，本机仍以本地用户"
                f"“{self.login}”使用，已有记录全部保留。若本机属于名册中的组员，请巡察办在名册中为其设置"
                "此登录名后重新生成配置包，或以名册中的登录名新建工作库后导入。"
            )
        if self.kind == EXPORTED:
            return (
                f"登录名“{self.login}”与巡察组“{self.group}”名册中的用户相同，但本机此前已向巡察办导出过"
                "数据，不能自动切换为名册用户：请联系巡察办处理重复的登录名。"
            )
        return ""


def _provisioned_groups(conn: Connection) -> dict[str, str]:
    """{group id: name} of the groups whose keys this laptop holds."""
    ids = {k.scope_id for k in sync_state.keyring(conn) if k.kind == "group"}
    t = BUSINESS_TABLES[GROUP.key]
    return {r.id: r.name for r in conn.execute(select(t.c.id, t.c.name).where(t.c.id.in_(ids)))}


def _roster_user(conn: Connection, groups: dict[str, str], login: str) -> tuple[User, str] | None:
    """The active user with `login` linked to a live member of one of `groups`, and that group's name."""
    members, users = BUSINESS_TABLES[MEMBER.key], BUSINESS_TABLES[USER.key]
    member_group = {
        r.id: r.group_id
        for r in conn.execute(
            select(members.c.id, members.c.group_id).where(
                members.c.group_id.in_(list(groups)), members.c.deleted.is_(False)
            )
        )
    }
    rows = conn.execute(
        select(users).where(users.c.login == login, users.c.deleted.is_(False), users.c.active.is_(True))
    ).all()
    for r in rows:
        if r.member_id in member_group:
            user = User(r.id, login=r.login, display_name=r.display_name, role=r.role, member_id=r.member_id)
            return user, groups[member_group[r.member_id]]
    return None


def _local_users(conn: Connection, replica_id: str, login: str, besides: str) -> list[str]:
    """Live users with `login` made on this laptop (under any of its identities), other than `besides`."""
    users = BUSINESS_TABLES[USER.key]
    own = [replica_id, *former_identities(conn, replica_id)]
    rows = conn.execute(
        select(users.c.id).where(
            users.c.login == login,
            users.c.deleted.is_(False),
            users.c.created_replica.in_(own),
            users.c.id != besides,
        )
    )
    return [r.id for r in rows]


def roster_status(ws: Workspace) -> RosterStatus:
    """Whether the signed-in user is, or should become, a roster user of this laptop's group."""
    login = normal_login(ws.user.login)
    if ws.info.is_office:
        return RosterStatus(NONE, login)
    with ws.engine.connect() as conn:
        groups = _provisioned_groups(conn)
        if not groups:
            return RosterStatus(NONE, login)
        found = _roster_user(conn, groups, login)
        names = "、".join(sorted(groups.values()))
        if found is None:
            return RosterStatus(OUTSIDE, login, names)
        roster, group = found
        leftovers = tuple(_local_users(conn, ws.info.replica_id, login, roster.id))
        signed_in = ws.user.id == roster.id and ws.slot_owner == roster.id
        if signed_in and not leftovers:
            return RosterStatus(MEMBER_LAPTOP, login, group, roster)
        if not signed_in and sync_state.exported_any(conn):
            return RosterStatus(EXPORTED, login, group, roster)
    return RosterStatus(PENDING, login, group, roster, leftovers, signed_in)


def _key_file(ws: Workspace) -> KeyFile:
    return read_keyfile(keyfile_path(ws.path))


def _slot_first(ws: Workspace, roster: User, passphrase: str) -> str:
    """Step 1: the roster user's slot, same passphrase and cost, first in the key file; returns the owner
    of the slot the passphrase opened before (the local user's)."""
    keyfile = _key_file(ws)
    old_owner = ws.slot_owner
    keyfile.open_owner(old_owner, passphrase)  # PassphraseRejected: 口令不正确
    old = keyfile.owner_slot(old_owner)
    if old is None:  # open_owner found it a moment ago: the key file changed meanwhile
        raise WorkspaceError("密钥文件在切换名册用户时被改动，请重新登录后再试")
    slot = ws.user_slot(roster, passphrase, slot_params(old))
    rest = tuple(s for s in keyfile.slots if slot_owner(s) != roster.id or s.get("kind") != "user")
    _write(ws, KeyFile(keyfile.workspace_id, (slot, *rest)))
    return old_owner


def _write(ws: Workspace, keyfile: KeyFile) -> None:
    path = keyfile_path(ws.path)
    try:
        write_keyfile(path, keyfile)
    except OSError as exc:  # a read-only folder or a full disk: said in Chinese, the key file unchanged
        raise faults.writing(exc, path) from exc


def _retire(ws: Workspace, status: RosterStatus) -> None:
    """Step 2: the local users with the roster's login go to the recycle bin, audited."""
    roster = status.roster
    assert roster is not None
    users = RecordService[User](ws, USER)
    with ws.writing() as writer:
        for user_id in status.leftovers:
            local = users.stored(user_id)
            writer.write(USER, dataclasses.replace(local, active=False), deleted=True, action="delete")
        writer.log(
            "roster_login",
            login=status.login,
            name=roster.display_name,
            role=roster.role,
            group=status.group,
            retired=len(status.leftovers),
        )


def adopt_roster_user(ws: Workspace, passphrase: str | None) -> RosterStatus:
    """Make this laptop the roster member's (steps above); returns the status afterwards. Without a
    passphrase only what needs none is finished (the signed-in user is the roster's already)."""
    status = roster_status(ws)
    if status.kind != PENDING or status.roster is None:
        return status
    roster = status.roster
    retired = {*status.leftovers}
    if status.needs_passphrase:
        if not passphrase:
            return status
        retired.add(_slot_first(ws, roster, passphrase))
        ws.user, ws.slot_owner = roster, roster.id
    if status.leftovers:
        _retire(ws, status)
    keyfile = _key_file(ws)
    kept = tuple(
        s for s in keyfile.slots if s.get("kdf", "argon2id") != "argon2id" or slot_owner(s) not in retired
    )
    if len(kept) != len(keyfile.slots):
        if not any(slot_owner(s) == roster.id for s in kept):
            raise WorkspaceError("密钥文件中没有名册用户的口令，未删除原口令")  # never lock the user out
        _write(ws, KeyFile(keyfile.workspace_id, kept))
    return roster_status(ws)
