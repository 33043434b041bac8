"""user_slots: the manager (office administrator or field leader) sets and resets other users'
passphrases, each change audited."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import select

from tests.builders import MEMBER_PASSPHRASE, PASSPHRASE, give_passphrase
from tests.sync_helpers import World
from xuncha_desktop.domain.errors import WorkspaceError
from xuncha_desktop.domain.organization import User
from xuncha_desktop.domain.record_types import USER
from xuncha_desktop.services.records.record_service import RecordService
from xuncha_desktop.services.security import user_slots
from xuncha_desktop.services.security.audit_log import AuditLog, AuditQuery
from xuncha_desktop.services.workspace import Workspace
from xuncha_desktop.storage.keyfile import (
    PASSPHRASE_SLOT,
    RECOVERY_SLOT,
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


@pytest.fixture
def member(workspace: Workspace) -> User:
    """李明, a 组员, with a passphrase of his own."""
    saved = RecordService[User](workspace, USER).save(User(login="liming", display_name="李明", role="组员"))
    give_passphrase(workspace, "liming")
    return saved


def test_the_manager_sets_and_resets_a_passphrase_and_each_change_is_audited(workspace: Workspace) -> None:
    user = RecordService[User](workspace, USER).save(User(login="liming", display_name="李明", role="组员"))
    assert user_slots.set_user_passphrase(workspace, user.id, MEMBER_PASSPHRASE, kdf=CHEAP) is True
    assert user_slots.set_user_passphrase(workspace, user.id, OTHER, kdf=CHEAP) is False
    with pytest.raises(PassphraseRejected):
        Workspace.open(
            workspace.path, MEMBER_PASSPHRASE, user_login="liming", lock=workspace.file_lock
        )  # the reset replaced it
    with Workspace.open(workspace.path, OTHER, user_login="liming", lock=workspace.file_lock) as member:
        assert member.user.id == user.id
        with pytest.raises(WorkspaceError, match=r"^只有组长可以设置用户的口令$"):
            user_slots.set_user_passphrase(member, member.user.id, "自己改的口令-123", kdf=CHEAP)
    with workspace.engine.connect() as conn:
        rows = conn.execute(select(audit_log).where(audit_log.c.action == "user_passphrase")).all()
    assert [(r.user_login, json.loads(r.changes)) for r in rows] == [
        (LEADER, {"how": "set", "user": "liming"}),
        (LEADER, {"how": "reset", "user": "liming"}),
    ]
    summaries = [e.summary for e in AuditLog(workspace).list(AuditQuery(action="user_passphrase"))]
    assert summaries == ["重设用户“liming”的口令", "设置用户“liming”的口令"]


def test_only_the_office_administrator_and_a_field_leader_manage_passphrases(world: World) -> None:
    assert world.office.user.role == "巡察办管理员" and user_slots.may_manage(world.office)
    laptop = world.fields[0]
    assert laptop.user.role == "组员" and not user_slots.may_manage(laptop)


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
