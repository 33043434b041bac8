"""Passphrase change, the office recovery slot, throttled unlocking and restore offers for damaged files."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select

from tests.builders import PASSPHRASE, make_context
from tests.sync_helpers import World
from xuncha_desktop.domain.errors import WorkspaceError, WrongPassphrase
from xuncha_desktop.services.security import backups, keys, sign_in_attempts
from xuncha_desktop.services.security.keys import NeedsRestore
from xuncha_desktop.services.workspace import Workspace
from xuncha_desktop.storage.keyfile import (
    RECOVERY_SLOT,
    USER_SLOT,
    KdfParams,
    keyfile_path,
    read_keyfile,
)
from xuncha_desktop.storage.tables import audit_log

NEW = "新的口令-2025-abc"
CHEAP = KdfParams.cheap()


def actions(ws: Workspace) -> list[str]:
    with ws.engine.connect() as conn:
        return [r.action for r in conn.execute(select(audit_log).order_by(audit_log.c.seq))]


# -- change passphrase -----------------------------------------------------------------------------------
def test_change_passphrase_rewraps_and_audits(workspace: Workspace, workspace_path: Path) -> None:
    keys.change_passphrase(workspace_path, PASSPHRASE, NEW, actor=workspace.user.login, kdf=CHEAP)
    assert "passphrase" in actions(workspace)
    workspace.close()
    with pytest.raises(WrongPassphrase):
        Workspace.open(workspace_path, PASSPHRASE)
    with Workspace.open(workspace_path, NEW) as again:
        assert again.info.workspace_id == workspace.info.workspace_id
    assert not keyfile_path(workspace_path).with_name(keyfile_path(workspace_path).name + ".tmp").exists()


def test_short_or_same_new_passphrase_is_refused(workspace: Workspace, workspace_path: Path) -> None:
    before = keyfile_path(workspace_path).read_bytes()
    with pytest.raises(WorkspaceError, match="至少"):
        keys.change_passphrase(workspace_path, PASSPHRASE, "短", kdf=CHEAP)
    with pytest.raises(WorkspaceError, match="相同"):
        keys.change_passphrase(workspace_path, PASSPHRASE, PASSPHRASE, kdf=CHEAP)
    assert keyfile_path(workspace_path).read_bytes() == before


def test_wrong_old_passphrase_changes_nothing(workspace: Workspace, workspace_path: Path) -> None:
    before = keyfile_path(workspace_path).read_bytes()
    with pytest.raises(WrongPassphrase, match="口令不正确"):
        keys.change_passphrase(workspace_path, PASSPHRASE + "x", NEW, kdf=CHEAP)
    assert keyfile_path(workspace_path).read_bytes() == before
    assert "passphrase" not in actions(workspace)


def test_unwritable_database_leaves_the_old_passphrase(workspace: Workspace, workspace_path: Path) -> None:
    workspace.close()
    stranger = workspace_path.with_name("别的.xcdb")
    Workspace.create(stranger, PASSPHRASE, kdf=CHEAP).close()
    stranger.replace(workspace_path)  # this key file, another workspace's database
    before = keyfile_path(workspace_path).read_bytes()
    with pytest.raises(WrongPassphrase):
        keys.change_passphrase(workspace_path, PASSPHRASE, NEW, kdf=CHEAP)
    assert keyfile_path(workspace_path).read_bytes() == before


# -- office recovery ---------------------------------------------------------------------------------
def test_provisioning_adds_the_office_recovery_slot(world: World) -> None:
    laptop = world.fields[0]
    slot = read_keyfile(keyfile_path(laptop.path)).slot(RECOVERY_SLOT)
    assert slot is not None and slot["office_replica"] == world.office.info.replica_id
    assert keys.has_office_recovery(laptop.path)
    assert keys.ensure_office_recovery(laptop) is False  # already there
    assert not keys.has_office_recovery(world.office.path)


def test_changing_the_passphrase_keeps_the_recovery_slot(world: World) -> None:
    laptop = world.fields[0]
    keys.change_passphrase(laptop.path, PASSPHRASE, NEW, kdf=CHEAP)
    kinds = [s["kind"] for s in read_keyfile(keyfile_path(laptop.path)).slots]
    assert kinds == [USER_SLOT, RECOVERY_SLOT]  # the user's slot stays first


def test_slot_added_on_demand_is_audited(world: World) -> None:
    laptop = world.fields[0]
    key = keyfile_path(laptop.path)
    bare = read_keyfile(key)
    key.write_text(bare.__class__(bare.workspace_id, (bare.slot(USER_SLOT),)).to_json(), encoding="utf-8")
    assert not keys.has_office_recovery(laptop.path)
    assert keys.ensure_office_recovery(laptop) is True
    assert keys.has_office_recovery(laptop.path)
    assert actions(laptop)[-1] == "recovery_slot"


def test_office_recovers_a_forgotten_passphrase(world: World) -> None:
    laptop = world.fields[0]
    path = laptop.path
    laptop.close()
    keys.recover_with_office(world.office, keyfile_path(path), NEW, kdf=CHEAP)
    assert actions(world.office)[-1] == "key_recovery"
    with pytest.raises(WrongPassphrase):
        Workspace.open(path, PASSPHRASE)
    world.fields[0] = Workspace.open(path, NEW)
    assert keys.has_office_recovery(path)  # the slot survives for the next time


def test_recovery_needs_the_right_office(world: World, tmp_path: Path) -> None:
    laptop_key = keyfile_path(world.fields[0].path)
    other = Workspace.create(tmp_path / "另一巡察办.xcdb", PASSPHRASE, office=True, kdf=CHEAP)
    try:
        with pytest.raises(WorkspaceError, match="另一个巡察办"):
            keys.recover_with_office(other, laptop_key, NEW, kdf=CHEAP)
    finally:
        other.close()
    with pytest.raises(WorkspaceError, match="只有巡察办"):
        keys.recover_with_office(world.fields[1], laptop_key, NEW, kdf=CHEAP)
    with pytest.raises(WorkspaceError, match="至少"):
        keys.recover_with_office(world.office, laptop_key, "短", kdf=CHEAP)


def test_recovery_without_a_slot_is_explained(world: World, workspace_path: Path) -> None:
    Workspace.create(workspace_path, PASSPHRASE, kdf=CHEAP).close()
    with pytest.raises(WorkspaceError, match="没有巡察办恢复密钥"):
        keys.recover_with_office(world.office, keyfile_path(workspace_path), NEW, kdf=CHEAP)


# -- damaged and foreign files ---------------------------------------------------------------------------
def _with_backup(workspace: Workspace) -> Path:
    make_context(workspace)
    target = backups.take_backup(workspace)
    workspace.close()
    return target


def _truncate(path: Path) -> None:
    for leftover in (Path(f"{path}-wal"), Path(f"{path}-shm")):
        leftover.unlink(missing_ok=True)
    path.write_bytes(path.read_bytes()[:4096])


def test_damaged_database_offers_the_newest_backup(workspace: Workspace, workspace_path: Path) -> None:
    taken = _with_backup(workspace)
    _truncate(workspace_path)
    with pytest.raises(NeedsRestore, match="可以从最新的备份恢复") as offer:
        keys.open_workspace(workspace_path, PASSPHRASE)
    assert offer.value.newest is not None and offer.value.newest.path == taken
    assert taken.name in str(offer.value)
    assert not sign_in_attempts.attempts_path(workspace_path).exists()  # damage is not a wrong passphrase
    backups.restore(offer.value.newest.path, workspace_path, PASSPHRASE)
    with keys.open_workspace(workspace_path, PASSPHRASE) as restored:
        assert restored.info.incarnation == 2


def test_foreign_database_and_missing_key_file_offer_backups(
    workspace: Workspace, workspace_path: Path, tmp_path: Path
) -> None:
    _with_backup(workspace)
    stranger = tmp_path / "别处" / "b.xcdb"
    stranger.parent.mkdir()
    Workspace.create(stranger, PASSPHRASE, kdf=CHEAP).close()
    keyfile_path(stranger).replace(keyfile_path(workspace_path))  # this workspace with a stranger's key
    with pytest.raises(NeedsRestore, match="备份"):
        keys.open_workspace(workspace_path, PASSPHRASE)
    keyfile_path(workspace_path).unlink()
    with pytest.raises(NeedsRestore, match="找不到密钥文件"):
        keys.open_workspace(workspace_path, PASSPHRASE)


def test_damage_without_backups_says_so(workspace: Workspace, workspace_path: Path) -> None:
    workspace.close()
    keyfile_path(workspace_path).write_text("{damaged", encoding="utf-8")
    with pytest.raises(NeedsRestore, match="没有找到该工作库的备份") as offer:
        keys.open_workspace(workspace_path, PASSPHRASE)
    assert offer.value.backups == []
