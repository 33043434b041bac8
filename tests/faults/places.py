"""Places with a fault in them, for a command or the GUI to meet: a full disk (the workspace's folder,
the output's folder and backups, or room to open but not to write), a read-only medium, a read-only
folder, SQLite's write lock held by another connection, a key file of another workspace, a zero-byte key
file, and a closed output pipe. Each is a context manager: leaving it removes the fault (the mounts stay
until `mounts` closes) so that the workspaces can be checked afterwards."""

from __future__ import annotations

import contextlib
import io
import sys
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.builders import PASSPHRASE
from tests.faults import injection
from tests.faults.world import LAPTOP, OFFICE, OTHER_LAPTOP, copy_world
from xuncha_desktop.storage import database
from xuncha_desktop.storage.keyfile import keyfile_path


@dataclass
class Place:
    """Where one run keeps its workspaces (`folder`) and writes outputs and new workspaces (`out`)."""

    folder: Path
    out: Path

    @property
    def office(self) -> Path:
        return self.folder / OFFICE


# -- the faults ------------------------------------------------------------------------------------------
FaultMaker = Callable[[Path, Path, ExitStack], "contextlib.AbstractContextManager[Place]"]


def _roomy(tmp_path: Path, name: str) -> Path:
    folder = tmp_path / name
    folder.mkdir()
    return folder


@contextmanager
def disk_full(tmp_path: Path, template: Path, mounts: ExitStack) -> Iterator[Place]:
    """The workspaces' folder on a full disk; outputs and new workspaces go there too."""
    folder = mounts.enter_context(injection.tmpfs(tmp_path / "满盘", 16384))
    copy_world(template, folder)
    filler = injection.fill(folder)
    yield Place(folder, folder)
    filler.unlink()


@contextmanager
def disk_full_output(tmp_path: Path, template: Path, mounts: ExitStack) -> Iterator[Place]:
    """Outputs, new workspaces and the backup folder on a full disk (a full USB stick); the workspaces
    themselves have room."""
    folder = _roomy(tmp_path, "工作库")
    copy_world(template, folder)
    out = mounts.enter_context(injection.tmpfs(tmp_path / "满U盘", 256))
    (out / "备份").mkdir()
    (folder / "备份").symlink_to(out / "备份", target_is_directory=True)
    filler = injection.fill(out)
    yield Place(folder, out)
    filler.unlink()


@contextmanager
def disk_full_midway(tmp_path: Path, template: Path, mounts: ExitStack) -> Iterator[Place]:
    """Room to open the workspaces but not to write a transaction; backups and outputs have room, so
    a write fails in the middle (where a full disk once printed the SQL parameters: record text)."""
    folder = mounts.enter_context(injection.tmpfs(tmp_path / "将满", 16384))
    copy_world(template, folder)
    out = _roomy(tmp_path, "输出")
    (out / "备份").mkdir()
    (folder / "备份").symlink_to(out / "备份", target_is_directory=True)
    filler = injection.fill(folder, leave=MIDWAY_ROOM)
    yield Place(folder, out)
    filler.unlink()


@contextmanager
def read_only_medium(tmp_path: Path, template: Path, mounts: ExitStack) -> Iterator[Place]:
    """Everything on a write-protected medium."""
    folder = mounts.enter_context(injection.tmpfs(tmp_path / "只读盘", 16384))
    copy_world(template, folder)
    injection.remount(folder, "ro")
    yield Place(folder, folder)
    injection.remount(folder, "rw")


@contextmanager
def read_only_folder(tmp_path: Path, template: Path, mounts: ExitStack) -> Iterator[Place]:
    """A folder (and its files) without write permission; outputs go there too."""
    folder = _roomy(tmp_path, "只读文件夹")
    copy_world(template, folder)
    with injection.unwritable_folder(folder):
        yield Place(folder, folder)


@contextmanager
def locked(tmp_path: Path, template: Path, mounts: ExitStack) -> Iterator[Place]:
    """Another connection holds SQLite's write lock on both workspaces (waits cut to a fifth of a
    second)."""
    folder = _roomy(tmp_path, "工作库")
    copy_world(template, folder)
    out = _roomy(tmp_path, "输出")
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(database, "BUSY_TIMEOUT_MS", 200)
        with (
            injection.write_locked(folder / OFFICE, PASSPHRASE),
            injection.write_locked(folder / LAPTOP, PASSPHRASE),
        ):
            yield Place(folder, out)


@contextmanager
def _replaced_key_files(folder: Path, content: Callable[[], bytes]) -> Iterator[None]:
    originals = {name: keyfile_path(folder / name).read_bytes() for name in (OFFICE, LAPTOP)}
    for name in originals:
        keyfile_path(folder / name).write_bytes(content())
    yield
    for name, data in originals.items():
        keyfile_path(folder / name).write_bytes(data)


@contextmanager
def foreign_key_file(tmp_path: Path, template: Path, mounts: ExitStack) -> Iterator[Place]:
    """Each workspace's key file replaced by another laptop's (same passphrase: it opens, the database
    refuses its key)."""
    folder = _roomy(tmp_path, "工作库")
    copy_world(template, folder)
    out = _roomy(tmp_path, "输出")
    with _replaced_key_files(folder, keyfile_path(folder / OTHER_LAPTOP).read_bytes):
        yield Place(folder, out)


@contextmanager
def empty_key_file(tmp_path: Path, template: Path, mounts: ExitStack) -> Iterator[Place]:
    folder = _roomy(tmp_path, "工作库")
    copy_world(template, folder)
    out = _roomy(tmp_path, "输出")
    with _replaced_key_files(folder, bytes):
        yield Place(folder, out)


class _ClosedPipe(io.TextIOBase):
    """stdout whose reader has gone away (`… | head -c1`)."""

    def write(self, text: str) -> int:
        raise BrokenPipeError(32, "Broken pipe")

    def flush(self) -> None:
        raise BrokenPipeError(32, "Broken pipe")

    def fileno(self) -> int:
        raise io.UnsupportedOperation("no file descriptor")


@contextmanager
def broken_pipe(tmp_path: Path, template: Path, mounts: ExitStack) -> Iterator[Place]:
    folder = _roomy(tmp_path, "工作库")
    copy_world(template, folder)
    out = _roomy(tmp_path, "输出")
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(sys, "stdout", _ClosedPipe())
        yield Place(folder, out)


FAULTS: dict[str, FaultMaker] = {
    "disk_full": disk_full,
    "disk_full_output": disk_full_output,
    "disk_full_midway": disk_full_midway,
    "read_only_medium": read_only_medium,
    "read_only_folder": read_only_folder,
    "locked": locked,
    "foreign_key_file": foreign_key_file,
    "empty_key_file": empty_key_file,
    "broken_pipe": broken_pipe,
}
MIDWAY_ROOM = 384 * 1024  # a few 16 KB pages: an audit entry fits, an import does not
