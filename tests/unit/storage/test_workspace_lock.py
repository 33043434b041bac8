"""One process at a time has a workspace open (storage.workspace_lock): within this process, the owner
record, the auto-lock keeping the hold, closing releasing it, and restore keeping other openers out."""

from __future__ import annotations

import os
import platform
from datetime import datetime
from pathlib import Path

import pytest

from tests.builders import PASSPHRASE, interview, make_context
from tests.sync_helpers import World
from xuncha_desktop import cli
from xuncha_desktop.domain.errors import WorkspaceError
from xuncha_desktop.domain.record_types import INTERVIEW
from xuncha_desktop.services import sync
from xuncha_desktop.services.packages import PackageError
from xuncha_desktop.services.records.record_service import RecordService
from xuncha_desktop.services.security import backups
from xuncha_desktop.services.workspace import PASSPHRASE_ENV, Workspace
from xuncha_desktop.storage import workspace_lock
from xuncha_desktop.storage.keyfile import KdfParams, keyfile_path
from xuncha_desktop.storage.workspace_lock import LockOwner, WorkspaceInUse, lock_path, owner_path

SAME_PROCESS = "工作库“现场工作库.xcdb”已在本程序中打开，不能同时再打开一次。"


def test_a_second_open_in_the_same_process_is_refused(workspace: Workspace, workspace_path: Path) -> None:
    with pytest.raises(WorkspaceInUse) as refused:
        Workspace.open(workspace_path, PASSPHRASE)
    assert str(refused.value) == SAME_PROCESS
    with pytest.raises(WorkspaceInUse, match="已在本程序中打开"):
        Workspace.check_not_in_use(workspace_path)
    assert RecordService(workspace, INTERVIEW).count() == 0  # the first open is untouched
    workspace.close()
    with Workspace.open(workspace_path, PASSPHRASE) as again:
        assert again.info.workspace_id == workspace.info.workspace_id


def test_the_owner_record_names_user_machine_process_and_time(tmp_path: Path) -> None:
    path = tmp_path / "组长的工作库.xcdb"
    before = datetime.now().astimezone().replace(microsecond=0)
    ws = Workspace.create(path, PASSPHRASE, kdf=KdfParams.cheap(), user_name="张三")
    owner = LockOwner.read(path)
    assert owner is not None
    assert (owner.user, owner.machine, owner.pid) == ("张三", platform.node(), os.getpid())
    assert before <= owner.since <= datetime.now().astimezone()
    ws.close()
    assert not owner_path(path).exists()  # removed before the lock is freed
    assert lock_path(path).exists()  # the lock file stays: waiters share one file


def test_message_for_another_program_names_user_machine_and_since() -> None:
    owner = LockOwner("张三", "LAPTOP-01", os.getpid() + 1, datetime(2026, 12, 7, 9, 12, 40))
    assert str(WorkspaceInUse(Path("现场.xcdb"), owner)) == (
        "工作库“现场.xcdb”正由 张三（电脑 LAPTOP-01）自 2026-12-07 09:12 起使用，请先关闭那边的程序再打开。"
    )


def test_an_unreadable_owner_record_still_gives_a_clear_message(
    workspace: Workspace, workspace_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(workspace_lock, "OWNER_WAIT", 0.0)
    owner_path(workspace_path).write_text("{not json", encoding="utf-8")
    with pytest.raises(WorkspaceInUse) as refused:
        Workspace.open(workspace_path, PASSPHRASE)
    assert refused.value.owner is None
    assert str(refused.value) == (
        "工作库“现场工作库.xcdb”正由另一个程序使用（未能读取使用者信息），请先关闭那边的程序再打开。"
    )
    owner_path(workspace_path).unlink()
    with pytest.raises(WorkspaceInUse, match="未能读取使用者信息"):
        Workspace.open(workspace_path, PASSPHRASE)


def test_the_auto_lock_keeps_the_hold(workspace: Workspace, workspace_path: Path) -> None:
    workspace.lock()  # the key is forgotten, the window still owns the workspace
    with pytest.raises(WorkspaceInUse, match="已在本程序中打开"):
        Workspace.open(workspace_path, PASSPHRASE)
    workspace.unlock(PASSPHRASE)
    assert RecordService(workspace, INTERVIEW).count() == 0


def test_a_closed_workspace_never_reconnects_without_its_hold(workspace: Workspace) -> None:
    workspace.close()
    assert workspace.is_locked and workspace.is_closed
    with pytest.raises(WorkspaceError) as closed:
        RecordService(workspace, INTERVIEW).count()
    assert str(closed.value) == "工作库“现场工作库.xcdb”已关闭"
    with pytest.raises(WorkspaceError, match="已关闭"):
        workspace.unlock(PASSPHRASE)
    workspace.lock()  # the window closing after its workspace: nothing to do
    workspace.close()  # closing twice is harmless


def test_a_failed_open_releases_the_lock(workspace: Workspace, workspace_path: Path) -> None:
    workspace.close()
    with pytest.raises(WorkspaceError, match="口令不正确"):
        Workspace.open(workspace_path, "完全不对的口令-wrong")
    assert not owner_path(workspace_path).exists()
    with Workspace.open(workspace_path, PASSPHRASE):
        pass


def test_lending_the_hold_to_a_second_object_of_the_same_file(
    workspace: Workspace, workspace_path: Path
) -> None:
    with Workspace.open(workspace_path, PASSPHRASE, lock=workspace.file_lock) as second:
        assert second.info.workspace_id == workspace.info.workspace_id
    with pytest.raises(WorkspaceInUse):  # the first still holds it
        Workspace.open(workspace_path, PASSPHRASE)
    with (
        Workspace.create(workspace_path.with_name("别的.xcdb"), PASSPHRASE, kdf=KdfParams.cheap()) as other,
        pytest.raises(ValueError, match="another file"),
    ):
        Workspace.open(workspace_path, PASSPHRASE, lock=other.file_lock)
    workspace.close()
    with Workspace.open(workspace_path, PASSPHRASE):
        pass


def test_creating_a_workspace_someone_holds_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "新工作库.xcdb"
    held = workspace_lock.WorkspaceLock.acquire(path)  # another `init` of the same path, half way
    with pytest.raises(WorkspaceInUse, match="已在本程序中打开"):
        Workspace.create(path, PASSPHRASE, kdf=KdfParams.cheap())
    assert not path.exists()
    held.release()


def test_restore_refuses_a_workspace_another_opener_holds(workspace: Workspace, workspace_path: Path) -> None:
    ctx = make_context(workspace)
    taken = backups.take_backup(workspace)
    RecordService(workspace, INTERVIEW).save(interview(ctx))
    with pytest.raises(WorkspaceInUse, match="已在本程序中打开"):
        backups.restore(taken, workspace_path, PASSPHRASE)
    assert not list(workspace_path.parent.glob("*.恢复前-*"))  # nothing was set aside
    assert RecordService(workspace, INTERVIEW).count() == 1


def test_restore_with_the_windows_hold_keeps_it(workspace: Workspace, workspace_path: Path) -> None:
    ctx = make_context(workspace)
    taken = backups.take_backup(workspace)
    RecordService(workspace, INTERVIEW).save(interview(ctx))
    workspace.engine.dispose()  # as the window does: connections closed, the hold kept
    report = backups.restore(taken, workspace_path, PASSPHRASE, lock=workspace.file_lock)
    assert report.incarnation == report.incarnation_before + 1
    with pytest.raises(WorkspaceInUse):  # still held by the window's workspace
        Workspace.check_not_in_use(workspace_path)
    restored = Workspace.open(workspace_path, PASSPHRASE, lock=workspace.file_lock)
    workspace.close()  # the window shows the restored workspace now
    assert RecordService(restored, INTERVIEW).count() == 0
    with pytest.raises(WorkspaceInUse):
        Workspace.check_not_in_use(workspace_path)
    restored.close()
    Workspace.check_not_in_use(workspace_path)


# -- nothing opens or replaces a workspace's files by path ---------------------------------------------------
def test_the_cli_never_writes_an_export_over_or_reads_a_package_from_workspace_files(
    workspace: Workspace,
    workspace_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv(PASSPHRASE_ENV, PASSPHRASE)
    workspace.close()
    before = workspace_path.read_bytes()
    for target in (workspace_path, lock_path(workspace_path), keyfile_path(workspace_path)):
        assert (
            cli.main(["ledger", "--db", str(workspace_path), "--kind", "interview", "--out", str(target)])
            == 1
        )
        assert (
            capsys.readouterr().err
            == f"错误：“{target.name}”是工作库的文件，不能用作导出文件，请另选文件名\n"
        )
    assert cli.main(["import", "--db", str(workspace_path), str(workspace_path)]) == 1
    assert "“现场工作库.xcdb”是工作库的文件，不是工作包，已拒绝" in capsys.readouterr().err
    assert workspace_path.read_bytes() == before and not list(workspace_path.parent.glob("*.part"))


def test_a_package_is_never_written_over_a_workspace_file(world: World) -> None:
    laptop = world.fields[0]
    with pytest.raises(PackageError, match="是工作库的文件，不能用作工作包文件"):
        sync.export_package(laptop, world.office.path)
    with pytest.raises(PackageError, match="是工作库的文件"):
        sync.export_package(laptop, lock_path(laptop.path))
    assert RecordService(world.office, INTERVIEW).count() == 0  # the office workspace is intact
