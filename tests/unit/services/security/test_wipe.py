"""清理: refused until the office confirms every revision, then the files go and the office records it."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from sqlalchemy import select

from tests.builders import PASSPHRASE, draft
from tests.sync_helpers import World
from xuncha_desktop.domain.errors import WorkspaceError
from xuncha_desktop.domain.record_types import DRAFT
from xuncha_desktop.services import sync
from xuncha_desktop.services.records.record_service import RecordService
from xuncha_desktop.services.security import backups, sign_in_attempts, wipe
from xuncha_desktop.services.workspace import Workspace
from xuncha_desktop.storage.backup import backup_dir, list_backups
from xuncha_desktop.storage.keyfile import KdfParams, keyfile_path
from xuncha_desktop.storage.tables import audit_log, sync_replica
from xuncha_desktop.storage.workspace_lock import lock_path, owner_path


def _confirm(world: World, laptop: Workspace) -> None:
    """The office imports the laptop's package and sends back an update carrying its knowledge."""
    assert sync.import_packages(world.office, [world.export(laptop)])[0].status == "imported"
    update = world.package_path("update")
    sync.provision_package(world.office, update, group_id=world.ctx.group.id)
    [report] = sync.import_packages(laptop, [update])
    assert report.status == "imported", report.error


def test_wipe_is_refused_until_the_office_confirms(world: World, tmp_path: Path) -> None:
    laptop = world.fields[0]
    RecordService(laptop, DRAFT).save(draft(world.ctx))
    RecordService(laptop, DRAFT).save(draft(world.ctx, title="第二条问题"))
    n = wipe.unconfirmed(laptop)
    assert n == 3  # the laptop's user and two drafts, none handed in yet
    assert f"{n} 条修订" in wipe.wipe_refusal(laptop)
    sync.import_packages(world.office, [world.export(laptop)])  # imported, but not yet acknowledged
    assert wipe.unconfirmed(laptop) == n
    with pytest.raises(WorkspaceError, match=f"巡察办尚未确认本机的 {n} 条修订"):
        wipe.wipe_workspace(laptop, tmp_path / "清理通知.xcpkg")
    assert laptop.path.is_file() and not (tmp_path / "清理通知.xcpkg").exists()


def test_office_and_unprovisioned_workspaces_cannot_wipe(world: World, workspace: Workspace) -> None:
    assert "巡察办工作库不能清理" in wipe.wipe_refusal(world.office)
    assert "尚未由巡察办配置" in wipe.wipe_refusal(workspace)


def test_wipe_deletes_everything_and_the_office_records_it(world: World, tmp_path: Path) -> None:
    laptop, office = world.fields[0], world.office
    RecordService(laptop, DRAFT).save(draft(world.ctx))
    _confirm(world, laptop)
    assert wipe.wipe_refusal(laptop) == ""
    backups.take_backup(laptop)
    backups.take_backup(office)  # another workspace's backup in the same 备份 folder
    journal = backup_dir(laptop.path) / f"{laptop.path.stem}.导入撤销-1-1.xcundo"  # an import's undo journal
    journal.write_bytes(b"encrypted before-images")
    journals = [journal]
    sign_in_attempts.attempts_path(laptop.path).write_text(
        '{"failures": 1, "last_failure": 0}', encoding="utf-8"
    )
    path, replica = laptop.path, laptop.info.replica_id
    own_backups = [b.path for b in list_backups(path)]
    office_backups = [b.path for b in list_backups(office.path)]
    assert own_backups and office_backups
    notice = tmp_path / "清理通知.xcpkg"
    report = wipe.wipe_workspace(laptop, notice)
    assert report.notice == notice and notice.is_file()
    gone = [path, keyfile_path(path), sign_in_attempts.attempts_path(path), *own_backups, *journals]
    assert not any(p.exists() for p in gone)
    assert not Path(f"{path}-wal").exists() and not Path(f"{path}-shm").exists()
    assert not lock_path(path).exists() and not owner_path(path).exists()
    assert set(report.deleted) >= {path, keyfile_path(path), *own_backups}
    assert all(p.exists() for p in office_backups)  # the shared 备份 folder keeps other workspaces' files
    world.fields.pop(0)

    [imported] = sync.import_packages(office, [notice])
    assert (imported.status, imported.kind) == ("imported", "wipe"), imported.error
    with office.engine.connect() as conn:
        revoked = conn.execute(
            select(sync_replica.c.revoked_at).where(sync_replica.c.replica_id == replica)
        ).scalar_one()
        entry = conn.execute(select(audit_log).where(audit_log.c.action == "wipe")).one()
    assert revoked
    assert replica in entry.changes and "组员1" in entry.changes and revoked in entry.changes


def test_wipe_notice_is_for_the_office_only(world: World, tmp_path: Path) -> None:
    laptop, other = world.fields[0], world.fields[1]
    _confirm(world, laptop)
    notice = tmp_path / "清理通知.xcpkg"
    wipe.wipe_workspace(laptop, notice)
    world.fields.pop(0)
    [report] = sync.import_packages(other, [notice])
    assert report.status == "rejected" and report.error is not None and "不是发给本工作库" in report.error


def test_wipe_notice_cannot_overwrite_the_workspace(world: World) -> None:
    laptop = world.fields[0]
    _confirm(world, laptop)
    with pytest.raises(WorkspaceError, match="另选保存位置"):
        wipe.wipe_workspace(laptop, keyfile_path(laptop.path))
    assert laptop.path.is_file()


def test_shred_overwrites_before_unlinking(tmp_path: Path) -> None:
    secret = tmp_path / "secret.bin"
    secret.write_bytes(b"confidential" * 1000)
    witness = tmp_path / "witness.bin"
    os.link(secret, witness)  # a second name for the same blocks shows what was written
    wipe.shred(secret)
    assert not secret.exists()
    assert witness.read_bytes() == bytes(12000)


def test_workspace_files_lists_only_its_own(tmp_path: Path) -> None:
    ws = Workspace.create(tmp_path / "甲.xcdb", PASSPHRASE, kdf=KdfParams.cheap())
    other = Workspace.create(tmp_path / "甲乙.xcdb", PASSPHRASE, kdf=KdfParams.cheap())
    try:
        mine, theirs = backups.take_backup(ws), backups.take_backup(other)
        files = wipe.workspace_files(ws.path)
        assert ws.path in files and keyfile_path(ws.path) in files and mine in files
        assert theirs not in files and other.path not in files
    finally:
        ws.close()
        other.close()
