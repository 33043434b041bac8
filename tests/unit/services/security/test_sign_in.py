"""Signing in: each user has their own passphrase (key slot), the role comes from the slot that opened the
workspace, the manager sets and resets passphrases (audited), old single-passphrase key files keep opening,
and wrong passphrases reach the audit log at the next sign-in."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pytest
from sqlalchemy import select

from tests.builders import MEMBER_PASSPHRASE, PASSPHRASE, Context, give_passphrase, lead
from tests.sync_helpers import World
from xuncha_desktop.domain.errors import NoPassphraseYet, WorkspaceError
from xuncha_desktop.domain.lead_registrations import LeadRegistration
from xuncha_desktop.domain.organization import User
from xuncha_desktop.domain.record_types import LEAD, USER
from xuncha_desktop.services.records.record_service import RecordService
from xuncha_desktop.services.security import keys, sign_in_attempts, user_slots
from xuncha_desktop.services.security.audit_log import AuditLog, AuditQuery
from xuncha_desktop.services.security.sign_in_attempts import AttemptGuard
from xuncha_desktop.services.workspace import USER_ENV, Workspace
from xuncha_desktop.storage.keyfile import (
    PASSPHRASE_SLOT,
    RECOVERY_SLOT,
    USER_SLOT,
    KdfParams,
    KeyFile,
    PassphraseRejected,
    keyfile_path,
    make_slot,
    read_keyfile,
)
from xuncha_desktop.storage.tables import audit_log

CHEAP = KdfParams.cheap()
LEADER = "管理员"  # the `workspace` fixture's first user, its 组长
OTHER = "另一个口令-2025"
NO_WAIT = AttemptGuard(schedule=lambda n: 0.0)


@pytest.fixture
def member(workspace: Workspace) -> User:
    """李明, a 组员, with a passphrase of his own."""
    saved = RecordService[User](workspace, USER).save(User(login="liming", display_name="李明", role="组员"))
    give_passphrase(workspace, "liming")
    return saved


def _entries(ws: Workspace, action: str) -> list[dict[str, object]]:
    with ws.engine.connect() as conn:
        rows = conn.execute(select(audit_log).where(audit_log.c.action == action).order_by(audit_log.c.seq))
        return [{"user": r.user_login, **json.loads(r.changes)} for r in rows]


# -- one passphrase per user -----------------------------------------------------------------------------
def test_a_user_cannot_open_with_another_users_passphrase(workspace: Workspace, member: User) -> None:
    path = workspace.path
    with pytest.raises(PassphraseRejected, match=r"^口令不正确$"):
        Workspace.open(
            path, PASSPHRASE, user_login="liming", lock=workspace.file_lock
        )  # the 组长's passphrase
    with pytest.raises(PassphraseRejected, match=r"^口令不正确$"):
        Workspace.open(path, MEMBER_PASSPHRASE, user_login=LEADER, lock=workspace.file_lock)
    with Workspace.open(path, MEMBER_PASSPHRASE, user_login="liming", lock=workspace.file_lock) as mine:
        assert (mine.user.id, mine.user.role) == (member.id, "组员")
    with Workspace.open(
        path, MEMBER_PASSPHRASE, lock=workspace.file_lock
    ) as by_passphrase:  # no login: the slot says who
        assert by_passphrase.user.login == "liming"


def test_the_role_comes_from_the_slot_not_from_the_login_claimed(
    workspace: Workspace, ctx: Context, member: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    RecordService[LeadRegistration](workspace, LEAD).save(
        lead(ctx, registered_by="别人", reporter_name="钱举报")
    )
    monkeypatch.setenv(USER_ENV, LEADER)
    with pytest.raises(PassphraseRejected):
        keys.open_workspace(workspace.path, MEMBER_PASSPHRASE, guard=NO_WAIT, lock=workspace.file_lock)
    monkeypatch.delenv(USER_ENV)
    with keys.open_workspace(
        workspace.path, MEMBER_PASSPHRASE, guard=NO_WAIT, lock=workspace.file_lock
    ) as opened:
        assert opened.user.role == "组员"
        [shown] = RecordService[LeadRegistration](opened, LEAD).list()
        assert shown.reporter_name == "已隐藏"


def test_a_user_without_a_passphrase_is_told_whom_to_ask(workspace: Workspace) -> None:
    RecordService[User](workspace, USER).save(User(login="wangfang", display_name="王芳", role="组员"))
    with pytest.raises(NoPassphraseYet) as refused:
        Workspace.open(workspace.path, PASSPHRASE, user_login="wangfang", lock=workspace.file_lock)
    assert str(refused.value) == (
        "登录名“wangfang”在本工作库中还没有口令，暂不能登录（请先核对登录名）。"
        "请巡察组组长（巡察办工作库请巡察办管理员）在“安全 → 用户口令”中为您设置口令"
    )
    [slot] = [s for s in user_slots.list_user_slots(workspace) if s.user.login == "wangfang"]
    assert slot.status == "未设置口令（不能登录）"


def test_a_deactivated_user_cannot_sign_in(workspace: Workspace, member: User) -> None:
    users = RecordService[User](workspace, USER)
    users.save(dataclasses.replace(users.get(member.id), active=False))
    with pytest.raises(WorkspaceError, match=r"^用户“liming”已停用，不能登录本工作库$"):
        Workspace.open(workspace.path, MEMBER_PASSPHRASE, user_login="liming", lock=workspace.file_lock)


def test_unlocking_after_a_lock_takes_only_the_signed_in_users_passphrase(
    workspace: Workspace, member: User
) -> None:
    workspace.lock()
    with pytest.raises(PassphraseRejected):
        workspace.unlock(MEMBER_PASSPHRASE, guard=NO_WAIT)  # 李明's passphrase does not unlock the 组长's
    workspace.unlock(PASSPHRASE, guard=NO_WAIT)
    assert not workspace.is_locked and workspace.user.login == LEADER


def test_changing_ones_own_passphrase_leaves_the_others(workspace: Workspace, member: User) -> None:
    with Workspace.open(
        workspace.path, MEMBER_PASSPHRASE, user_login="liming", lock=workspace.file_lock
    ) as mine:
        keys.change_passphrase(
            mine.path, MEMBER_PASSPHRASE, OTHER, actor="liming", owner=mine.slot_owner, kdf=CHEAP
        )
    with Workspace.open(workspace.path, OTHER, user_login="liming", lock=workspace.file_lock) as again:
        assert again.user.login == "liming"
    with Workspace.open(workspace.path, PASSPHRASE, user_login=LEADER, lock=workspace.file_lock) as leader:
        assert leader.user.login == LEADER
    with pytest.raises(PassphraseRejected):  # the 组长's passphrase is not 李明's "old" one
        keys.change_passphrase(workspace.path, PASSPHRASE, "第三个口令-2025", owner=member.id, kdf=CHEAP)


# -- version-1 key files ---------------------------------------------------------------------------------
def _as_version_1(path: Path) -> None:
    """The key file as `init` wrote it before users had passphrases of their own: one passphrase slot."""
    key = keyfile_path(path)
    current = read_keyfile(key)
    dek = current.unlock(PASSPHRASE)
    kept = tuple(s for s in current.slots if s["kind"] == RECOVERY_SLOT)
    old = KeyFile(
        current.workspace_id,
        (make_slot(PASSPHRASE_SLOT, PASSPHRASE, dek, current.workspace_id, CHEAP), *kept),
    )
    data = json.loads(old.to_json())
    assert data["version"] == 1
    key.write_text(json.dumps(data), encoding="utf-8")


def test_an_old_key_file_opens_as_its_first_user_and_is_upgraded_once(world: World) -> None:
    laptop = world.fields[0]
    path, first = laptop.path, laptop.user
    laptop.close()
    _as_version_1(path)
    with Workspace.open(path, PASSPHRASE) as plain:  # read only: still the version-1 slot
        assert (plain.user.id, plain.slot_owner) == (first.id, PASSPHRASE_SLOT)
    world.fields[0] = keys.open_workspace(path, PASSPHRASE, user_login=first.login)
    upgraded = read_keyfile(keyfile_path(path))
    assert [s["kind"] for s in upgraded.slots] == [USER_SLOT, RECOVERY_SLOT]
    assert json.loads(keyfile_path(path).read_text(encoding="utf-8"))["version"] == 2
    assert world.fields[0].slot_owner == first.id
    [entry] = AuditLog(world.fields[0]).list(AuditQuery(action="keyfile_upgrade"))
    assert entry.summary == f"密钥文件升级为每位用户单独设置口令，原工作库口令归用户“{first.login}”"
    world.fields[0].close()
    world.fields[0] = Workspace.open(path, PASSPHRASE, user_login=first.login)
    assert world.fields[0].user.id == first.id


def test_the_office_recovers_a_named_users_passphrase(world: World) -> None:
    laptop = world.fields[0]
    path, login = laptop.path, laptop.user.login
    laptop.close()
    with pytest.raises(WorkspaceError, match="没有登录名“无此人”的口令"):
        keys.recover_with_office(world.office, keyfile_path(path), OTHER, login="无此人", kdf=CHEAP)
    keys.recover_with_office(world.office, keyfile_path(path), OTHER, login=login, kdf=CHEAP)
    with pytest.raises(PassphraseRejected):
        Workspace.open(path, PASSPHRASE, user_login=login)
    world.fields[0] = Workspace.open(path, OTHER, user_login=login)
    [entry] = AuditLog(world.office).list(AuditQuery(action="key_recovery"))
    assert entry.summary == f"为现场工作库的密钥文件“{path.name}.key”中用户“{login}”重新设置口令"


# -- wrong passphrases in the audit log ------------------------------------------------------------------
def test_wrong_passphrases_appear_in_the_audit_log_after_the_next_sign_in(
    workspace: Workspace, member: User
) -> None:
    path = workspace.path
    workspace.close()
    for _ in range(2):
        with pytest.raises(PassphraseRejected):
            keys.open_workspace(path, "猜的口令-1234", user_login="liming", guard=NO_WAIT)
    with pytest.raises(PassphraseRejected):
        keys.open_workspace(path, "猜的口令-5678", guard=NO_WAIT)
    side = sign_in_attempts.attempts_path(path).read_text(encoding="utf-8")
    assert "猜的口令" not in side and "liming" not in side  # only counts, times and user ids
    with keys.open_workspace(path, PASSPHRASE, guard=NO_WAIT) as opened:
        entries = AuditLog(opened).list(AuditQuery(action="unlock_failed"))
    assert not sign_in_attempts.attempts_path(path).exists()
    assert [(e.user, e.action_label) for e in entries] == [("system", "口令错误（登录失败）")] * 2
    unnamed, liming = entries  # newest first
    assert ("登录名", "liming") in liming.details and ("次数", "2") in liming.details
    assert ("场合", "登录时") in liming.details
    assert liming.summary.startswith("登录名“liming”登录时口令错误 2 次（")
    assert unnamed.summary.startswith("登录名“（未填写）”登录时口令错误 1 次（")


def test_wrong_passphrases_on_the_lock_screen_are_logged_once_unlocked(workspace: Workspace) -> None:
    workspace.lock()
    for wrong in ("错的口令-aaaa", "错的口令-bbbb"):
        with pytest.raises(PassphraseRejected):
            workspace.unlock(wrong, guard=NO_WAIT)
    workspace.unlock(PASSPHRASE, guard=NO_WAIT)
    [entry] = _entries(workspace, "unlock_failed")
    assert (entry["user"], entry["login"], entry["count"], entry["where"]) == ("system", LEADER, 2, "unlock")
    assert not sign_in_attempts.attempts_path(workspace.path).exists()
