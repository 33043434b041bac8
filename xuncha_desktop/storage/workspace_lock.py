"""One process at a time has a workspace open.

SQLite's own locks are POSIX record locks, and on Linux closing *any* descriptor of the database file (a file
dialog sniffing it, a copy) drops every one of them in the process; the next process to open and close the
workspace then takes itself for the last user and deletes the -wal the first process still writes to. So a
workspace is also guarded by an OS lock on a file of its own beside it (`<name>.xcdb.lock`, flock on Unix,
LockFileEx on Windows, through `filelock`): nothing ever opens that file but this lock, and the kernel frees
it when the holding process dies, so a crash leaves no stale lock behind.

Who holds the lock (for the message the next opener gets) is written to a small side file
(`<name>.xcdb.lock.info`) after acquiring and removed before releasing: the lock file itself is locked on
Windows and must never be read by an opener.
"""

from __future__ import annotations

import contextlib
import getpass
import json
import os
import platform
import threading
import time
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from filelock import FileLock, Timeout

from xuncha_desktop.domain.errors import WorkspaceError
from xuncha_desktop.storage import faults
from xuncha_desktop.storage.keyfile import keyfile_path

LOCK_SUFFIX = ".lock"
OWNER_SUFFIX = ".lock.info"
# The holder writes who it is right after taking the lock: an opener that finds no owner yet waits this long.
OWNER_WAIT = 1.0


def lock_path(db_path: Path) -> Path:
    return Path(db_path).with_name(Path(db_path).name + LOCK_SUFFIX)


def owner_path(db_path: Path) -> Path:
    return Path(db_path).with_name(Path(db_path).name + OWNER_SUFFIX)


def belongs_to_a_workspace(path: Path) -> bool:
    """The database, key, WAL/SHM, lock or owner file of a workspace (or of a backup): never an export's
    target nor read as a package. Replacing one breaks the workspace; opening it by path while the
    workspace is open drops this process's SQLite locks on it."""
    path = Path(path)
    for tail in ("", ".key", "-wal", "-shm", "-journal", LOCK_SUFFIX, OWNER_SUFFIX):
        if path.name.endswith(tail) and len(path.name) > len(tail):
            database = path.with_name(path.name[: len(path.name) - len(tail)])
            if keyfile_path(database).is_file():
                return True
    return False


def machine_name() -> str:
    return platform.node()


def login_name() -> str:
    """The operating-system account, for the owner record until the workspace's own user is known."""
    try:
        return getpass.getuser()
    except (OSError, KeyError, ImportError):  # no account name in the environment or password database
        return ""


@dataclass(frozen=True)
class LockOwner:
    """Who holds a workspace: shown to the next opener."""

    user: str
    machine: str
    pid: int
    since: datetime

    def to_json(self) -> str:
        record = {"user": self.user, "machine": self.machine, "pid": self.pid}
        return json.dumps({**record, "since": self.since.isoformat(timespec="seconds")}, ensure_ascii=False)

    @classmethod
    def read(cls, db_path: Path) -> LockOwner | None:
        """The recorded holder, or None when the side file is missing or unreadable."""
        try:
            data = json.loads(owner_path(db_path).read_text(encoding="utf-8"))
            return cls(str(data["user"]), str(data["machine"]), int(data["pid"]), _since(data["since"]))
        except (OSError, ValueError, KeyError, TypeError):
            return None

    @property
    def is_this_process(self) -> bool:
        return self.pid == os.getpid() and self.machine == machine_name()


def _since(text: object) -> datetime:
    if not isinstance(text, str):
        raise TypeError("since")
    return datetime.fromisoformat(text)


def in_use_message(db_path: Path, owner: LockOwner | None) -> str:
    name = Path(db_path).name
    if owner is None:
        return f"工作库“{name}”正由另一个程序使用（未能读取使用者信息），请先关闭那边的程序再打开。"
    if owner.is_this_process:
        return f"工作库“{name}”已在本程序中打开，不能同时再打开一次。"
    who = owner.user or "另一位用户"
    where = f"（电脑 {owner.machine}）" if owner.machine else ""
    since = f"{owner.since:%Y-%m-%d %H:%M}"
    return f"工作库“{name}”正由 {who}{where}自 {since} 起使用，请先关闭那边的程序再打开。"


class WorkspaceInUse(WorkspaceError):
    """Another process (or another open of this process) holds the workspace."""

    def __init__(self, db_path: Path, owner: LockOwner | None) -> None:
        self.owner = owner
        super().__init__(in_use_message(db_path, owner))


def _refused(db_path: Path) -> WorkspaceInUse:
    deadline = time.monotonic() + OWNER_WAIT
    owner = LockOwner.read(db_path)
    while owner is None and time.monotonic() < deadline:  # the holder has the lock but not yet said who
        time.sleep(0.05)
        owner = LockOwner.read(db_path)
    return WorkspaceInUse(db_path, owner)


def _take(db_path: Path) -> FileLock:
    # Not thread-local: the GUI opens a workspace on a worker thread (restoring a backup) and closes it on
    # the GUI thread.
    lock = FileLock(str(lock_path(db_path)), thread_local=False, blocking=False)
    try:
        lock.acquire(blocking=False)
    except Timeout:
        raise _refused(db_path) from None
    except OSError as exc:  # a read-only or full folder: said in Chinese, never the system's text
        raise faults.writing(exc, lock_path(db_path)) from exc
    return lock


class WorkspaceLock:
    """The held lock of one workspace. Counted: the holder may lend it to a second open of the same file (a
    restore re-opening the workspace it replaces); the OS lock goes when the last holder releases it."""

    def __init__(self, db_path: Path, lock: FileLock) -> None:
        self.db_path = Path(db_path)
        self._lock = lock
        self._count = 1
        self._guard = threading.Lock()
        self._since = datetime.now().astimezone()

    @classmethod
    def acquire(cls, db_path: Path) -> WorkspaceLock:
        """Take the lock without waiting, or WorkspaceInUse naming who holds it."""
        db_path = Path(db_path).absolute()
        held = cls(db_path, _take(db_path))
        held.describe(login_name())
        return held

    @staticmethod
    def probe(db_path: Path) -> None:
        """WorkspaceInUse now if someone holds the workspace (before asking for a passphrase in vain)."""
        _take(Path(db_path).absolute()).release()

    @property
    def held(self) -> bool:
        return self._count > 0

    def describe(self, user: str) -> None:
        """Record who holds the workspace (best effort: a read-only side file must not stop the work)."""
        owner = LockOwner(user, machine_name(), os.getpid(), self._since)
        target = owner_path(self.db_path)
        partial = target.with_name(target.name + ".tmp")
        try:
            partial.write_text(owner.to_json(), encoding="utf-8")
            os.replace(partial, target)
        except OSError:
            with contextlib.suppress(OSError):
                partial.unlink(missing_ok=True)

    def retain(self, db_path: Path) -> WorkspaceLock:
        """One more holder of this lock, for `db_path` (which must be the file it guards)."""
        if Path(db_path).absolute() != self.db_path:
            raise ValueError(f"lock of {self.db_path.name} lent for another file")
        with self._guard:
            if self._count <= 0:
                raise WorkspaceError(f"工作库“{self.db_path.name}”已关闭")
            self._count += 1
        return self

    def release(self) -> None:
        """One holder fewer; the last one removes the owner record and frees the OS lock."""
        with self._guard:
            if self._count <= 0:
                return
            self._count -= 1
            if self._count:
                return
            with contextlib.suppress(OSError):
                owner_path(self.db_path).unlink(missing_ok=True)
            self._lock.release()

    def remove_files(self) -> None:
        """After the last release, when the workspace itself is gone (wiped): the lock and owner files."""
        if self.held:
            raise RuntimeError("lock still held")
        for path in (lock_path(self.db_path), owner_path(self.db_path)):
            with contextlib.suppress(OSError):
                path.unlink(missing_ok=True)
