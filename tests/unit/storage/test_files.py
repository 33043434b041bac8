"""Files held by another program, the Windows way: `os.replace` and `os.unlink` raise PermissionError with
WinError 32 for as long as WPS, Excel or an antivirus scan holds the file. Short holds are waited out; a
lasting one is a Chinese message naming the file, and sequences that move a database with its key file leave
the folder exactly as it was."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests.builders import PASSPHRASE, interview, make_context
from xuncha_desktop.domain.record_types import INTERVIEW
from xuncha_desktop.services.output.output_files import atomic_output, save_output
from xuncha_desktop.services.records.record_service import RecordService
from xuncha_desktop.services.security import backups
from xuncha_desktop.services.workspace import Workspace
from xuncha_desktop.storage import files
from xuncha_desktop.storage.backup import list_backups
from xuncha_desktop.storage.keyfile import KdfParams, keyfile_path, read_keyfile, write_keyfile

HELD = r"^无法(替换|删除)文件“{}”：它正被其他程序占用"


def sharing_violation(path: object) -> PermissionError:
    error = PermissionError(13, "另一个程序正在使用此文件，进程无法访问。", str(path))
    error.winerror = 32  # type: ignore[attr-defined]  # what Windows sets; POSIX has no such attribute
    return error


class Holds:
    """Makes os.replace / os.unlink fail for chosen file names: `times` failures, or for good (None)."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.held: dict[str, int | None] = {}
        self.sleeps: list[float] = []
        real_replace, real_unlink = os.replace, os.unlink
        monkeypatch.setattr(files, "_sleep", self.sleeps.append)
        monkeypatch.setattr(os, "replace", self._wrap(real_replace, lambda a: a[1], lambda a: a[0]))
        monkeypatch.setattr(os, "unlink", self._wrap(real_unlink, lambda a: a[0]))

    def hold(self, name: str, times: int | None = None) -> None:
        self.held[name] = times

    def _wrap(self, real: Callable[..., None], *which: Callable[[tuple[object, ...]], object]) -> Callable:
        def fake(*args: object, **kwargs: object) -> None:
            for pick in which:
                name = Path(str(pick(args))).name
                if name in self.held:
                    left = self.held[name]
                    if left is None or left > 0:
                        if left is not None:
                            self.held[name] = left - 1
                        raise sharing_violation(pick(args))
            real(*args, **kwargs)

        return fake


@pytest.fixture
def holds(monkeypatch: pytest.MonkeyPatch) -> Iterator[Holds]:
    yield Holds(monkeypatch)


def _folder(path: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(path.parent.iterdir()) if p.is_file()}


# -- the mechanism -----------------------------------------------------------------------------------------


def test_a_short_hold_is_waited_out(tmp_path: Path, holds: Holds) -> None:
    source, target = tmp_path / "新.xlsx", tmp_path / "台账.xlsx"
    source.write_text("新")
    target.write_text("旧")
    holds.hold("台账.xlsx", times=2)  # an antivirus scan of the new file
    files.replace(source, target)
    assert target.read_text() == "新" and not source.exists()
    assert holds.sleeps == [0.05, 0.1]


def test_a_lasting_hold_names_the_file_and_changes_nothing(tmp_path: Path, holds: Holds) -> None:
    source, target = tmp_path / "新.xlsx", tmp_path / "台账.xlsx"
    source.write_text("新")
    target.write_text("旧")
    holds.hold("台账.xlsx")
    with pytest.raises(files.FileHeld, match=HELD.format("台账.xlsx")) as caught:
        files.replace(source, target)
    assert "WPS、Excel" in str(caught.value) and str(tmp_path) in str(caught.value)
    assert target.read_text() == "旧" and source.read_text() == "新"
    assert holds.sleeps == list(files.RETRY_DELAYS)


def test_other_errors_are_not_retried(tmp_path: Path, holds: Holds) -> None:
    with pytest.raises(FileNotFoundError):
        files.replace(tmp_path / "无.txt", tmp_path / "目标.txt")
    assert holds.sleeps == []
    denied = PermissionError(13, "Permission denied")  # POSIX: a real permission problem, not a hold
    assert not files.is_held(denied) or os.name == "nt"


def test_moving_together_undoes_the_first_move_when_the_second_fails(tmp_path: Path, holds: Holds) -> None:
    for name in ("a.xcdb", "a.xcdb.key"):
        (tmp_path / name).write_text(name)
    holds.hold("b.xcdb")
    with pytest.raises(files.FileHeld):
        files.move_together(
            [(tmp_path / "a.xcdb.key", tmp_path / "b.xcdb.key"), (tmp_path / "a.xcdb", tmp_path / "b.xcdb")]
        )
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.xcdb", "a.xcdb.key"]


# -- the sequences that use it -----------------------------------------------------------------------------


def test_an_output_file_open_in_excel_keeps_its_content(tmp_path: Path, holds: Holds) -> None:
    target = tmp_path / "谈话台账.xlsx"
    target.write_bytes(b"open in Excel")
    holds.hold(target.name)
    with pytest.raises(files.FileHeld, match=HELD.format("谈话台账.xlsx")):
        save_output(target, b"new ledger")
    assert target.read_bytes() == b"open in Excel"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["谈话台账.xlsx"]  # no .part left behind
    with pytest.raises(files.FileHeld), atomic_output(target) as part:
        part.write_bytes(b"x")
    assert target.read_bytes() == b"open in Excel"


def test_a_key_file_held_by_a_scanner_stays_whole(tmp_path: Path, holds: Holds) -> None:
    ws = Workspace.create(tmp_path / "库.xcdb", PASSPHRASE, kdf=KdfParams.cheap())
    ws.close()
    key = keyfile_path(tmp_path / "库.xcdb")
    before = key.read_bytes()
    holds.hold(key.name)
    with pytest.raises(files.FileHeld, match=HELD.format(key.name)):
        write_keyfile(key, read_keyfile(key))
    assert key.read_bytes() == before
    assert not list(tmp_path.glob("*.tmp"))


@pytest.mark.parametrize("held", ["现场工作库.xcdb", "现场工作库.xcdb.key"])
def test_restore_leaves_database_and_key_together_whichever_step_fails(
    workspace: Workspace, workspace_path: Path, holds: Holds, held: str
) -> None:
    ctx = make_context(workspace)
    taken = backups.take_backup(workspace)
    RecordService(workspace, INTERVIEW).save(interview(ctx))
    workspace.close()
    folder_before = _folder(workspace_path)
    holds.hold(held)
    with pytest.raises(files.FileHeld, match=HELD.format(held)):
        backups.restore(taken, workspace_path, PASSPHRASE)
    holds.held.clear()
    assert _folder(workspace_path) == folder_before  # nothing set aside, nothing half-restored
    with Workspace.open(workspace_path, PASSPHRASE) as still:
        assert RecordService(still, INTERVIEW).count() == 1


def test_restore_fails_on_the_new_key_after_setting_aside_and_puts_everything_back(
    workspace: Workspace, workspace_path: Path, holds: Holds
) -> None:
    taken = backups.take_backup(workspace)
    workspace.close()
    folder_before = _folder(workspace_path)
    holds.hold(f"{workspace_path.name}.恢复中.key")  # the restored key cannot be moved in
    with pytest.raises(files.FileHeld):
        backups.restore(taken, workspace_path, PASSPHRASE)
    holds.held.clear()
    assert _folder(workspace_path) == folder_before
    Workspace.open(workspace_path, PASSPHRASE).close()


def test_thinning_skips_a_held_backup_and_keeps_it_whole(workspace: Workspace, holds: Holds) -> None:
    from datetime import datetime, timedelta

    old = datetime.now() - timedelta(days=400)
    first = backups.take_backup(workspace, now=old)
    second = backups.take_backup(workspace, now=old + timedelta(hours=1))  # same month: first is thinned
    holds.hold(keyfile_path(first).name)
    backups.thin(workspace.path)
    listed = {b.path for b in list_backups(workspace.path)}
    assert first in listed and keyfile_path(first).is_file()  # both files still there
    holds.held.clear()
    assert backups.thin(workspace.path) == [first]
    assert not first.exists() and not keyfile_path(first).exists() and second.exists()


def test_a_failed_create_leaves_no_half_workspace(tmp_path: Path, holds: Holds) -> None:
    target = tmp_path / "新工作库.xcdb"
    holds.hold(target.name)  # moving the finished database into place fails
    with pytest.raises(files.FileHeld):
        Workspace.create(target, PASSPHRASE, kdf=KdfParams.cheap())
    assert list(tmp_path.iterdir()) == []
    holds.held.clear()
    Workspace.create(target, PASSPHRASE, kdf=KdfParams.cheap()).close()  # not "已存在"
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "新工作库.xcdb",
        "新工作库.xcdb.key",
        "新工作库.xcdb.lock",
    ]
