"""services/keys.py at its edges: the side file of wrong passphrases, waits of under a second, the slot a
change or a recovery writes, the audit entries they make, and what a restore offer names."""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

import pytest
from sqlalchemy import select

from tests.builders import MEMBER_PASSPHRASE, PASSPHRASE
from tests.sync_helpers import World
from xuncha_desktop.domain.errors import DamagedWorkspace, WorkspaceError
from xuncha_desktop.services.security import backups, keys, sign_in_attempts
from xuncha_desktop.services.security.keys import NeedsRestore
from xuncha_desktop.services.security.sign_in_attempts import AttemptGuard, FailedSignIn, TooManyAttempts
from xuncha_desktop.services.workspace import Workspace
from xuncha_desktop.storage.keyfile import (
    PASSPHRASE_SLOT,
    RECOVERY_SLOT,
    USER_SLOT,
    KdfParams,
    KeyFile,
    PassphraseRejected,
    create_keyfile,
    keyfile_path,
    make_slot,
    make_user_slot,
    read_keyfile,
    slot_params,
    write_keyfile,
)
from xuncha_desktop.storage.tables import audit_log

CHEAP = KdfParams.cheap()
NEW = "新的口令-2025-abc"
T0 = 1_750_000_000.0


class Clock:
    def __init__(self) -> None:
        self.now = T0

    def __call__(self) -> float:
        return self.now


def _logged(ws: Workspace, action: str) -> list[tuple[str, dict[str, object]]]:
    with ws.engine.connect() as conn:
        rows = conn.execute(select(audit_log).where(audit_log.c.action == action).order_by(audit_log.c.seq))
        return [(r.user_login, json.loads(r.changes)) for r in rows]


# -- the side file of wrong passphrases ------------------------------------------------------------------
def test_failures_are_counted_per_slot_and_occasion_with_first_and_last_time(tmp_path: Path) -> None:
    db, clock = tmp_path / "a.xcdb", Clock()
    guard = AttemptGuard(schedule=lambda n: 10.0 * n, clock=clock)
    assert guard.failed(db, tried="u-1") == (1, 10.0)
    clock.now += 5
    assert guard.failed(db, tried="u-1") == (2, 20.0)
    assert guard.failed(db, tried="u-1", where="unlock") == (3, 30.0)
    assert guard.unaudited(db) == [
        FailedSignIn("u-1", "open", 2, T0, T0 + 5),
        FailedSignIn("u-1", "unlock", 1, T0 + 5, T0 + 5),
    ]
    assert sign_in_attempts.attempts_path(db) == tmp_path / "a.xcdb.attempts"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.xcdb.attempts"]  # written beside, then moved
    guard.succeeded(db)
    assert guard.read(db) == (0, 0.0) and len(guard.unaudited(db)) == 2  # still to be audited
    guard.audited(db)
    assert not sign_in_attempts.attempts_path(db).exists()


def test_the_wait_never_exceeds_the_delay_even_when_the_clock_goes_back(tmp_path: Path) -> None:
    db, clock = tmp_path / "a.xcdb", Clock()
    guard = AttemptGuard(schedule=lambda n: 60.0, clock=clock)
    guard.failed(db)
    clock.now += 20
    assert guard.remaining(db) == 40.0
    clock.now = T0 - 3600  # the laptop's clock set back an hour
    assert guard.remaining(db) == 60.0


def test_a_damaged_side_file_counts_as_no_failures(tmp_path: Path) -> None:
    db = tmp_path / "a.xcdb"
    guard = AttemptGuard(clock=Clock())
    for damaged in ("{", '{"failures": "很多", "last_failure": 1}', '{"failures": 3}', "[1, 2]"):
        sign_in_attempts.attempts_path(db).write_text(damaged, encoding="utf-8")
        assert (guard.read(db), guard.remaining(db), guard.unaudited(db)) == ((0, 0.0), 0.0, [])


def test_a_side_file_that_cannot_be_written_is_no_crash(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def refused(*_args: object) -> None:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(os, "replace", refused)
    assert AttemptGuard(clock=Clock()).failed(tmp_path / "a.xcdb") == (1, 0.0)


def test_a_wait_of_under_a_second_is_still_a_wait(workspace: Workspace, workspace_path: Path) -> None:
    workspace.close()
    guard = AttemptGuard(schedule=lambda n: 0.5, clock=Clock())
    with pytest.raises(PassphraseRejected, match=r"^口令不正确（已连续输错 1 次，请 1 秒后再试）$") as wrong:
        keys.open_workspace(workspace_path, "错误的口令-1", user_login="管理员", guard=guard)
    first_user = read_keyfile(keyfile_path(workspace_path)).slots[0]["user_id"]
    assert wrong.value.tried == first_user
    assert [f.tried for f in guard.unaudited(workspace_path)] == [first_user]
    with pytest.raises(TooManyAttempts, match=r"^口令已连续输错 1 次，请 1 秒后再试$"):
        keys.open_workspace(workspace_path, PASSPHRASE, guard=guard)


# -- restore offers --------------------------------------------------------------------------------------
def test_a_missing_or_foreign_key_file_names_the_file_and_offers_the_backup(
    workspace: Workspace, workspace_path: Path, tmp_path: Path
) -> None:
    taken = backups.take_backup(workspace)
    workspace.close()
    key = keyfile_path(workspace_path)
    held = key.read_bytes()
    key.unlink()
    with pytest.raises(NeedsRestore) as missing:
        keys.open_workspace(workspace_path, PASSPHRASE)
    assert [b.path for b in missing.value.backups] == [taken]
    assert str(missing.value).startswith(
        f"无法打开工作库“{workspace_path.name}”：找不到密钥文件“{key.name}”。可以从最新的备份恢复："
    )
    other = tmp_path / "别处.xcdb"
    Workspace.create(other, PASSPHRASE, kdf=CHEAP).close()
    keyfile_path(other).replace(key)
    with pytest.raises(NeedsRestore) as foreign:
        keys.open_workspace(workspace_path, PASSPHRASE)
    assert (
        f"密钥文件“{key.name}”打不开这个工作库（它可能是另一个工作库的密钥文件，或工作库文件已损坏）"
        in str(foreign.value)
    )
    assert foreign.value.newest is not None and foreign.value.newest.path == taken
    key.write_text('{"format": "其他"}', encoding="utf-8")
    with pytest.raises(NeedsRestore, match=f"“{key.name}”不是本系统的密钥文件。可以从最新的备份恢复"):
        keys.open_workspace(workspace_path, PASSPHRASE)
    key.write_bytes(held)


# -- changing a passphrase -------------------------------------------------------------------------------
def test_a_change_is_made_with_the_cost_given_and_audited_with_its_author(
    workspace: Workspace, workspace_path: Path
) -> None:
    keys.change_passphrase(workspace_path, PASSPHRASE, NEW, actor="管理员", kdf=KdfParams(2, 1, 16))
    [slot] = read_keyfile(keyfile_path(workspace_path)).slots
    assert (slot["kind"], slot_params(slot)) == (USER_SLOT, KdfParams(2, 1, 16))
    keys.change_passphrase(workspace_path, NEW, PASSPHRASE, kdf=CHEAP)  # nobody named: the system
    assert _logged(workspace, "passphrase") == [
        ("管理员", {"slot": PASSPHRASE_SLOT}),
        ("system", {"slot": PASSPHRASE_SLOT}),
    ]
    with pytest.raises(WorkspaceError, match=r"^新口令不能与原口令相同$"):
        keys.change_passphrase(workspace_path, PASSPHRASE, PASSPHRASE, kdf=CHEAP)


def test_a_key_file_of_another_workspace_with_this_key_changes_nothing(
    workspace: Workspace, workspace_path: Path
) -> None:
    workspace.close()
    key = keyfile_path(workspace_path)
    dek = read_keyfile(key).unlock(PASSPHRASE)
    write_keyfile(key, create_keyfile("另一个工作库", "u-1", "管理员", PASSPHRASE, dek, CHEAP))
    before = key.read_bytes()
    with pytest.raises(DamagedWorkspace, match=r"^密钥文件与工作库不匹配$"):
        keys.change_passphrase(workspace_path, PASSPHRASE, NEW, kdf=CHEAP)
    assert key.read_bytes() == before


# -- the office recovery slot ----------------------------------------------------------------------------
def test_the_office_adds_no_recovery_slot_to_itself(world: World) -> None:
    before = keyfile_path(world.office.path).read_bytes()
    assert keys.ensure_office_recovery(world.office) is False
    assert keyfile_path(world.office.path).read_bytes() == before


def test_a_recovery_slot_added_later_names_the_office(world: World) -> None:
    laptop = world.fields[0]
    key = keyfile_path(laptop.path)
    bare = read_keyfile(key)
    write_keyfile(key, KeyFile(bare.workspace_id, tuple(s for s in bare.slots if s["kind"] != RECOVERY_SLOT)))
    assert keys.ensure_office_recovery(laptop) is True
    office = world.office.info.replica_id
    assert read_keyfile(key).slot(RECOVERY_SLOT)["office_replica"] == office  # type: ignore[index]
    assert _logged(laptop, "recovery_slot")[-1][1] == {"office_replica": office}


def test_recovering_a_version_1_key_file_gives_its_slot_the_new_passphrase(world: World) -> None:
    laptop = world.fields[0]
    path = laptop.path
    laptop.close()
    key = keyfile_path(path)
    current = read_keyfile(key)
    dek = current.unlock(PASSPHRASE)
    legacy = make_slot(PASSPHRASE_SLOT, PASSPHRASE, dek, current.workspace_id, CHEAP)
    member = make_user_slot("u-member", "liming", MEMBER_PASSPHRASE, dek, current.workspace_id, CHEAP)
    slots = (member, legacy, current.slot(RECOVERY_SLOT))
    write_keyfile(key, KeyFile(current.workspace_id, slots))  # type: ignore[arg-type]
    keys.recover_with_office(world.office, key, NEW, kdf=KdfParams(2, 1, 16))
    recovered = read_keyfile(key)
    assert [s["kind"] for s in recovered.slots] == [USER_SLOT, PASSPHRASE_SLOT, RECOVERY_SLOT]
    assert slot_params(recovered.slots[1]) == KdfParams(2, 1, 16)
    assert recovered.sign_in(NEW, None)[1]["kind"] == PASSPHRASE_SLOT  # the first user's, not 李明's
    assert recovered.open_owner("u-member", MEMBER_PASSPHRASE) == dek
    [(_who, changes)] = _logged(world.office, "key_recovery")
    assert changes == {"workspace_id": current.workspace_id, "file": key.name}  # no user named
    world.fields[0] = Workspace.open(path, NEW)


def test_recovering_a_key_file_without_a_passphrase_slot_adds_the_first_users(world: World) -> None:
    laptop = world.fields[0]
    path = laptop.path
    laptop.close()
    key = keyfile_path(path)
    current = read_keyfile(key)
    write_keyfile(key, KeyFile(current.workspace_id, (current.slot(RECOVERY_SLOT),)))  # type: ignore[arg-type]
    keys.recover_with_office(world.office, key, NEW, login="", kdf=CHEAP)
    assert [s["kind"] for s in read_keyfile(key).slots] == [RECOVERY_SLOT, PASSPHRASE_SLOT]
    world.fields[0] = Workspace.open(path, NEW)


def test_refusals_of_recovery_say_why(world: World, tmp_path: Path) -> None:
    laptop_key = keyfile_path(world.fields[0].path)
    with pytest.raises(WorkspaceError, match=r"^只有巡察办工作库可以恢复现场工作库的口令$"):
        keys.recover_with_office(world.fields[1], laptop_key, NEW, kdf=CHEAP)
    other = Workspace.create(tmp_path / "另一巡察办.xcdb", PASSPHRASE, office=True, kdf=CHEAP)
    try:
        with pytest.raises(WorkspaceError, match=r"^该密钥文件的恢复密钥属于另一个巡察办，本巡察办无法恢复$"):
            keys.recover_with_office(other, laptop_key, NEW, kdf=CHEAP)
    finally:
        other.close()


# -- wrong passphrases in the audit log ------------------------------------------------------------------
def test_the_times_of_wrong_passphrases_are_local_and_to_the_second(workspace: Workspace) -> None:
    path = workspace.path
    workspace.close()
    clock = Clock()
    guard = AttemptGuard(schedule=lambda n: 0.0, clock=clock)
    with pytest.raises(PassphraseRejected):
        keys.open_workspace(path, "错误的口令-1", guard=guard)
    clock.now += 61
    with pytest.raises(PassphraseRejected):
        keys.open_workspace(path, "错误的口令-2", guard=guard)
    with keys.open_workspace(path, PASSPHRASE, guard=guard) as opened:
        [(who, changes)] = _logged(opened, "unlock_failed")
    local = time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(T0))
    later = time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(T0 + 61))
    assert (who, changes) == (
        "system",
        {"login": "", "count": 2, "first": local, "last": later, "where": "open"},
    )


def test_failures_stay_listed_when_the_audit_log_cannot_be_written(
    workspace: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    guard = AttemptGuard(schedule=lambda n: 0.0, clock=Clock())
    guard.failed(workspace.path, tried=PASSPHRASE_SLOT)

    def broken(*_args: object, **_kwargs: object) -> None:
        raise DamagedWorkspace("写入失败")

    monkeypatch.setattr(sign_in_attempts, "write_transaction", broken)
    assert sign_in_attempts.log_failed_unlocks(workspace, guard) == 0
    assert [f.tried for f in guard.unaudited(workspace.path)] == [PASSPHRASE_SLOT]
    monkeypatch.undo()
    assert sign_in_attempts.log_failed_unlocks(workspace, guard) == 1
    [(_who, changes)] = _logged(workspace, "unlock_failed")
    assert changes["login"] == "管理员"  # the version-1 slot is the first local user's


def test_clearing_the_audited_list_keeps_the_wait(tmp_path: Path) -> None:
    db = tmp_path / "a.xcdb"
    guard = AttemptGuard(schedule=lambda n: 60.0, clock=Clock())
    guard.failed(db)
    guard.failed(db)
    guard.audited(db)
    assert (guard.read(db), guard.unaudited(db), guard.remaining(db)) == ((2, T0), [], 60.0)


def test_the_version_1_slot_belongs_to_the_first_user_made_on_this_laptop(world: World) -> None:
    laptop = world.fields[0]
    guard = AttemptGuard(schedule=lambda n: 0.0, clock=Clock())
    guard.failed(laptop.path, tried=PASSPHRASE_SLOT)
    assert keys.log_failed_unlocks(laptop, guard) == 1
    [(_who, changes)] = _logged(laptop, "unlock_failed")
    assert changes["login"] == laptop.user.login  # not a user the office made earlier


def test_only_a_version_1_key_file_is_upgraded_and_only_once(
    workspace: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = workspace.path
    assert keys.upgrade_keyfile(workspace, PASSPHRASE) is False  # already version 2
    workspace.close()
    key = keyfile_path(path)
    current = read_keyfile(key)
    dek = current.unlock(PASSPHRASE)
    write_keyfile(
        key,
        KeyFile(
            current.workspace_id, (make_slot(PASSPHRASE_SLOT, PASSPHRASE, dek, current.workspace_id, CHEAP),)
        ),
    )
    with Workspace.open(path, PASSPHRASE) as plain:

        def full(*_args: object) -> None:
            raise OSError(28, "No space left on device")

        monkeypatch.setattr(keys, "write_keyfile", full)
        assert keys.upgrade_keyfile(plain, PASSPHRASE) is False  # still opens with the old slot
        assert plain.slot_owner == PASSPHRASE_SLOT
        monkeypatch.undo()
        assert keys.upgrade_keyfile(plain, PASSPHRASE) is True
        assert keys.upgrade_keyfile(plain, PASSPHRASE) is False
    with Workspace.open(path, PASSPHRASE) as again:
        write_keyfile(key, current)  # upgraded meanwhile by another program: nothing left to upgrade
        again.slot_owner = PASSPHRASE_SLOT
        assert keys.upgrade_keyfile(again, PASSPHRASE) is False
