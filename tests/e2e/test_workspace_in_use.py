"""One process at a time has a workspace open, across real processes: the lost-commit sequence of issue 10
(a descriptor of the database closed in the holder, then a second program opening and closing the workspace),
a holder killed with SIGKILL, and two imports at once."""

from __future__ import annotations

import os
import platform
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest

from tests.builders import PASSPHRASE, draft
from tests.sync_helpers import World, open_world
from xuncha_desktop.domain.record_types import DRAFT, USER
from xuncha_desktop.services import sync
from xuncha_desktop.services.records.record_service import RecordService
from xuncha_desktop.services.workspace import PASSPHRASE_ENV, Workspace
from xuncha_desktop.storage.keyfile import KdfParams
from xuncha_desktop.storage.workspace_lock import LockOwner, WorkspaceInUse, login_name, owner_path

pytestmark = pytest.mark.e2e

REPO = Path(__file__).resolve().parents[2]
NAME = "现场工作库.xcdb"


def _env() -> dict[str, str]:
    return {**os.environ, PASSPHRASE_ENV: PASSPHRASE, "PYTHONIOENCODING": "utf-8", "XUNCHA_USER": ""}


class Holder:
    """tests.workspace_holder in a child process."""

    def __init__(self, db: Path) -> None:
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "tests.workspace_holder", str(db), PASSPHRASE],
            cwd=REPO,
            env=_env(),
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            encoding="utf-8",
        )

    def ask(self, command: str) -> str:
        assert self.proc.stdin is not None and self.proc.stdout is not None
        self.proc.stdin.write(command + "\n")
        self.proc.stdin.flush()
        return self.proc.stdout.readline().strip()

    def kill(self) -> None:
        """SIGKILL (TerminateProcess on Windows): no checkpoint, no clean-up, as in a crash."""
        self.proc.kill()
        self.proc.wait()
        for stream in (self.proc.stdin, self.proc.stdout):
            if stream is not None:
                stream.close()


@pytest.fixture
def holders() -> Iterator[list[Holder]]:
    started: list[Holder] = []
    yield started
    for holder in started:
        holder.kill()


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / NAME
    Workspace.create(path, PASSPHRASE, kdf=KdfParams.cheap(), user_name="张三").close()
    return path


def _cli(*argv: str | Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "xuncha_desktop", *map(str, argv)],
        cwd=REPO,
        env=_env(),
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=120,
        check=False,
    )


def _in_use(owner: LockOwner | None, name: str = NAME) -> str:
    assert owner is not None
    who = f"{owner.user}（电脑 {platform.node()}）自 {owner.since:%Y-%m-%d %H:%M} 起"
    return f"工作库“{name}”正由 {who}使用，请先关闭那边的程序再打开。"


def test_a_commit_survives_a_closed_descriptor_a_second_opener_and_a_crash(
    db: Path, holders: list[Holder]
) -> None:
    holder = Holder(db)
    holders.append(holder)
    assert holder.ask("open") == "opened"
    assert holder.ask("write 第一条") == "written"
    # A file dialog in the holder sniffs the database: on Linux this drops every SQLite lock it holds.
    assert holder.ask("sniff") == "sniffed"
    owner = LockOwner.read(db)
    # Another program opens and closes the workspace: formerly it found no other user, checkpointed and
    # deleted the -wal the holder still wrote to.
    second = _cli("stats", "--db", db)
    assert holder.ask("write 第二条") == "written"
    holder.kill()
    with Workspace.open(db, PASSPHRASE) as ws:
        logins = {u.login for u in RecordService(ws, USER).list()}
    assert {"第一条", "第二条"} <= logins  # every committed record is there
    assert (second.returncode, second.stdout) == (1, "")
    assert second.stderr.splitlines() == [f"错误：{_in_use(owner)}"]


def test_the_next_opener_learns_who_holds_it_and_a_killed_holder_leaves_no_lock(
    db: Path, holders: list[Holder]
) -> None:
    before = datetime.now().astimezone().replace(microsecond=0)
    holder = Holder(db)
    holders.append(holder)
    assert holder.ask("open") == "opened"
    with pytest.raises(WorkspaceInUse) as refused:
        Workspace.open(db, PASSPHRASE)
    owner = refused.value.owner
    assert owner is not None
    assert (owner.user, owner.machine, owner.pid) == ("张三", platform.node(), holder.proc.pid)
    assert before <= owner.since <= datetime.now().astimezone()
    assert str(refused.value) == _in_use(owner)
    holder.kill()
    with Workspace.open(db, PASSPHRASE) as ws:  # no stale lock: the kernel freed it with the process
        mine = LockOwner.read(db)
        assert mine is not None and mine.pid == os.getpid() and ws.user.display_name == "张三"
    assert not owner_path(db).exists()


# -- two imports at once ---------------------------------------------------------------------------------
@pytest.fixture
def packages(world_template: Path, tmp_path: Path) -> tuple[Path, Path, Path]:
    """The office file (closed) and one package from each of two laptops, each with a new draft."""
    w: World = open_world(world_template, tmp_path / "world")
    made = []
    for index, laptop in enumerate(w.fields[:2]):
        RecordService(laptop, DRAFT).save(draft(w.ctx, title=f"组员{index + 1}的问题"))
        made.append(w.export(laptop))
    w.close()
    return w.office.path, made[0], made[1]


def _wait_for_holder(db: Path, pid: int) -> LockOwner:
    """The owner record once process `pid` has opened the workspace (it names the workspace's user then,
    the account name before)."""
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        owner = LockOwner.read(db)
        if owner is not None and owner.pid == pid and owner.user != login_name():
            return owner
        time.sleep(0.05)
    raise AssertionError("the first import never took the workspace")


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="a named pipe holds the first import mid-way")
def test_a_second_import_while_one_runs_is_refused_cleanly(
    packages: tuple[Path, Path, Path], tmp_path: Path
) -> None:
    office, first, second = packages
    # The first import reads its package from a named pipe: it has opened the workspace and waits there
    # until the test writes the package, so the two imports certainly overlap.
    pipe = tmp_path / "组员1-管道.xcpkg"
    os.mkfifo(pipe)
    running = subprocess.Popen(
        [sys.executable, "-m", "xuncha_desktop", "import", "--db", str(office), "--json", str(pipe)],
        cwd=REPO,
        env=_env(),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        encoding="utf-8",
    )
    try:
        owner = _wait_for_holder(office, running.pid)
        assert owner.user == "巡察办管理员"
        refused = _cli("import", "--db", office, second)
        with open(pipe, "wb") as feed:
            feed.write(first.read_bytes())
        out, err = running.communicate(timeout=120)
    finally:
        if running.poll() is None:
            running.kill()
            running.wait()
    assert running.returncode == 0, err
    assert '"status": "imported"' in out
    assert (refused.returncode, refused.stdout) == (1, "")
    assert refused.stderr.splitlines() == [f"错误：{_in_use(owner, office.name)}"]
    checked = _cli("check", "--db", office)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    again = _cli("import", "--db", office, second)  # refused before: nothing of it was written
    assert again.returncode == 0 and "已导入，新增" in again.stdout
    with Workspace.open(office, PASSPHRASE) as ws:
        assert sorted(d.title for d in RecordService(ws, DRAFT).list()) == ["组员1的问题", "组员2的问题"]
        assert [r.status for r in sync.import_packages(ws, [first, second], dry_run=True)] == [
            "already_imported",
            "already_imported",
        ]
