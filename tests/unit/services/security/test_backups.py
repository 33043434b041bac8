"""Automatic backups: where they go, daily and thinned, and restore as a new incarnation."""

from __future__ import annotations

import shutil
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from tests.builders import PASSPHRASE, draft, interview, make_context
from tests.sync_helpers import World
from xuncha_desktop.domain.errors import DamagedWorkspace, WorkspaceError, WrongPassphrase
from xuncha_desktop.domain.record_types import DRAFT, INTERVIEW
from xuncha_desktop.services import sync
from xuncha_desktop.services.records.record_service import RecordService
from xuncha_desktop.services.security import backups
from xuncha_desktop.services.workspace import Workspace
from xuncha_desktop.storage.backup import BackupInfo, backup_dir, backup_target, list_backups
from xuncha_desktop.storage.keyfile import keyfile_path
from xuncha_desktop.storage.tables import audit_log, sync_knowledge, sync_revision, sync_self

NOW = datetime(2025, 6, 30, 12, 0, 0)


def _fake(db: Path, when: datetime, label: str = "每日") -> Path:
    target = backup_target(db, label, when)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(b"x")
    keyfile_path(target).write_text("{}", encoding="utf-8")
    return target


def test_backup_goes_to_the_backup_folder_and_is_listed(workspace: Workspace) -> None:
    make_context(workspace)
    first = backups.take_backup(workspace, now=NOW - timedelta(hours=2))
    second = backups.take_backup(workspace, "导入前", now=NOW)
    assert first.parent == backup_dir(workspace.path) and keyfile_path(first).is_file()
    listed = list_backups(workspace.path)
    assert [b.path for b in listed] == [second, first]
    assert listed[0].kind == "导入前" and listed[0].taken_at == NOW
    assert listed[1].description == "2025-06-30 10:00（手动）"
    with Workspace.open(first, PASSPHRASE) as copy:
        assert copy.info.workspace_id == workspace.info.workspace_id


def test_listing_reads_names_and_ignores_strangers(tmp_path: Path) -> None:
    db = tmp_path / "现场工作库.xcdb"
    upgrade = _fake(db, NOW, "升级前-v3")
    old_style = tmp_path / "现场工作库.升级前备份-v2-20250101-080000.xcdb"
    old_style.write_bytes(b"x")
    keyfile_path(old_style).write_text("{}", encoding="utf-8")
    (backup_dir(db) / "现场工作库.每日-20250101-080000.xcdb").write_bytes(b"no key file")
    (backup_dir(db) / "别的工作库.每日-20250101-080000.xcdb").write_bytes(b"x")
    (backup_dir(db) / "现场工作库.副本.每日-20250101-080000.xcdb").write_bytes(b"x")
    listed = list_backups(db)
    assert [b.path for b in listed] == [upgrade, old_style]
    assert listed[0].label == "升级前-v3" and listed[0].kind == "升级前"
    assert listed[1].taken_at == datetime(2025, 1, 1, 8, 0)


def test_daily_backup_only_when_the_newest_is_a_day_old(workspace: Workspace) -> None:
    made = backups.daily_backup(workspace, now=NOW)
    assert made is not None and "每日" in made.name
    assert backups.daily_backup(workspace, now=NOW + timedelta(hours=23)) is None
    later = backups.daily_backup(workspace, now=NOW + timedelta(days=1, minutes=1))
    assert later is not None and len(list_backups(workspace.path)) == 2


def _infos(ages: list[timedelta]) -> list[BackupInfo]:
    return [BackupInfo(Path(f"b{i}.xcdb"), NOW - age, "每日") for i, age in enumerate(ages)]


def test_thinning_keeps_a_week_then_weekly_then_monthly() -> None:
    days = [0, 1, 2, 6, 7.5, 8, 9, 15, 16, 40, 62, 64, 65, 80, 95, 400, 401]
    infos = _infos([timedelta(days=d) for d in days])
    doomed = {NOW - b.taken_at for b in backups.thin_plan(infos, NOW)}
    kept = sorted((NOW - b.taken_at).days for b in infos if NOW - b.taken_at not in doomed)
    # the week [7, 14): keeps 7.5 days; [14, 21): 15; [35, 42): 40; [56, 63): 62;
    # then one a month: 64, 65 and 80 days are all April 2025 (64 stays), 95 March, 400/401 May 2024.
    assert kept == [0, 1, 2, 6, 7, 15, 40, 62, 64, 95, 400]


def test_thinning_never_deletes_the_newest() -> None:
    infos = _infos([timedelta(days=400), timedelta(days=401)])
    assert [b.path.name for b in backups.thin_plan(infos, NOW)] == ["b1.xcdb"]
    assert backups.thin_plan(infos[:1], NOW) == []


def test_thin_deletes_files_with_their_key_files(tmp_path: Path) -> None:
    db = tmp_path / "现场工作库.xcdb"
    keep = _fake(db, NOW - timedelta(days=100))
    drop = _fake(db, NOW - timedelta(days=101))
    newest = _fake(db, NOW - timedelta(hours=1))
    assert backups.thin(db, now=NOW) == [drop]
    assert not drop.exists() and not keyfile_path(drop).exists()
    assert keep.exists() and newest.exists()


# -- restore ---------------------------------------------------------------------------------------------
def _identity(ws: Workspace) -> tuple[int, int, dict[int, int]]:
    with ws.engine.connect() as conn:
        me = conn.execute(select(sync_self)).one()
        known = {
            r.incarnation: r.max_contiguous
            for r in conn.execute(select(sync_knowledge).where(sync_knowledge.c.replica_id == me.replica_id))
        }
    return me.incarnation, me.next_counter, known


def test_restore_gives_a_new_incarnation(workspace: Workspace, tmp_path: Path) -> None:
    ctx = make_context(workspace)
    interviews = RecordService(workspace, INTERVIEW)
    interviews.save(interview(ctx))
    taken = backups.take_backup(workspace)
    interviews.save(interview(ctx, interviewee_name="备份之后"))
    workspace.close()
    target = tmp_path / "恢复" / "现场工作库.xcdb"
    target.parent.mkdir()
    report = backups.restore(taken, target, PASSPHRASE)
    assert (report.incarnation_before, report.incarnation) == (1, 2) and report.set_aside == []
    with Workspace.open(target, PASSPHRASE) as restored:
        assert RecordService(restored, INTERVIEW).count() == 1
        assert _identity(restored) == (2, 1, {1: _identity_counter(restored, 1), 2: 0})
        with restored.engine.connect() as conn:
            last = conn.execute(select(audit_log).order_by(audit_log.c.seq.desc()).limit(1)).one()
        assert last.action == "restore_backup" and taken.name in last.changes
        RecordService(restored, INTERVIEW).save(interview(ctx, interviewee_name="恢复之后"))
        with restored.engine.connect() as conn:
            newest = conn.execute(select(sync_revision).order_by(sync_revision.c.hlc.desc()).limit(1)).one()
        assert (newest.origin_incarnation, newest.origin_counter) == (2, 1)
    assert taken.is_file() and not Path(f"{taken}-wal").exists()  # the backup itself is untouched


def _identity_counter(ws: Workspace, incarnation: int) -> int:
    with ws.engine.connect() as conn:
        return int(
            conn.execute(
                select(sync_knowledge.c.max_contiguous).where(
                    sync_knowledge.c.replica_id == ws.info.replica_id,
                    sync_knowledge.c.incarnation == incarnation,
                )
            ).scalar_one()
        )


def test_restore_over_a_workspace_sets_it_aside(workspace: Workspace, workspace_path: Path) -> None:
    ctx = make_context(workspace)
    taken = backups.take_backup(workspace)
    RecordService(workspace, INTERVIEW).save(interview(ctx))
    workspace.close()
    report = backups.restore(taken, workspace_path, PASSPHRASE)
    assert report.set_aside and all(p.is_file() for p in report.set_aside)
    assert any(p.name.startswith(f"{workspace_path.name}.恢复前-") for p in report.set_aside)
    with Workspace.open(workspace_path, PASSPHRASE) as restored:
        assert RecordService(restored, INTERVIEW).count() == 0
    assert not list(workspace_path.parent.glob("*.恢复中*"))


def test_restore_refuses_a_wrong_passphrase_and_a_missing_backup(
    workspace: Workspace, workspace_path: Path, tmp_path: Path
) -> None:
    taken = backups.take_backup(workspace)
    workspace.close()
    before = workspace_path.read_bytes()
    with pytest.raises(WrongPassphrase):
        backups.restore(taken, workspace_path, PASSPHRASE + "x")
    assert workspace_path.read_bytes() == before
    with pytest.raises(WorkspaceError, match="找不到备份文件"):
        backups.restore(tmp_path / "无.xcdb", workspace_path, PASSPHRASE)


def test_damaged_backup_is_refused(workspace: Workspace, workspace_path: Path, tmp_path: Path) -> None:
    make_context(workspace)
    taken = backups.take_backup(workspace)
    workspace.close()
    data = bytearray(taken.read_bytes())
    data[len(data) // 2 : len(data) // 2 + 64] = bytes(64)
    taken.write_bytes(bytes(data))
    before = workspace_path.read_bytes()
    with pytest.raises(DamagedWorkspace, match="不能用于恢复"):
        backups.restore(taken, workspace_path, PASSPHRASE)
    assert workspace_path.read_bytes() == before
    assert sorted(p.name for p in workspace_path.parent.iterdir() if "恢复" in p.name) == []


def test_restored_laptop_syncs_while_a_copy_is_still_a_fork(world: World, tmp_path: Path) -> None:
    laptop, office = world.fields[0], world.office
    drafts = RecordService(laptop, DRAFT)
    drafts.save(draft(world.ctx, title="备份前的问题"))
    assert sync.import_packages(office, [world.export(laptop)])[0].status == "imported"
    taken = backups.take_backup(laptop)
    drafts.save(draft(world.ctx, title="备份后丢失的问题"))
    assert sync.import_packages(office, [world.export(laptop)])[0].status == "imported"
    path = laptop.path
    laptop.close()
    backups.restore(taken, path, PASSPHRASE)
    restored = world.fields[0] = Workspace.open(path, PASSPHRASE)
    RecordService(restored, DRAFT).save(draft(world.ctx, title="恢复后的新问题"))
    [report] = sync.import_packages(office, [world.export(restored)])
    assert report.status == "imported", report.error
    titles = {d.title for d in RecordService(office, DRAFT).list()}
    assert {"备份前的问题", "备份后丢失的问题", "恢复后的新问题"} <= titles
    # A plain copy of the restored workspace is still a clone: the office refuses the second package.
    restored.close()
    copy = tmp_path / "复制.xcdb"
    shutil.copy(path, copy)
    shutil.copy(keyfile_path(path), keyfile_path(copy))
    original, clone = Workspace.open(path, PASSPHRASE), Workspace.open(copy, PASSPHRASE)
    world.fields[0] = original
    try:
        RecordService(original, DRAFT).save(draft(world.ctx, title="原机再新增"))
        RecordService(clone, DRAFT).save(draft(world.ctx, title="复制机新增"))
        first, second = sync.import_packages(office, [world.export(original), world.export(clone)])
        assert first.status == "imported"
        assert second.status == "rejected" and "检测到复制的工作库" in (second.error or "")
    finally:
        clone.close()
