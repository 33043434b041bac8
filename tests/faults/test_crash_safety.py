"""kill -9 at random points of saving, import, export, backup and restore; a disk filling up under a
stream of saves; concurrent writers. Each run ends with the workspace passing `check` and every record
committed before the kill still there.

The kill points come from a seeded random generator (XUNCHA_FAULT_SEED, else a fresh seed); the seed and
what was tried are printed at the end of the session. XUNCHA_FAULT_KILLS sets the kills per operation.
"""

from __future__ import annotations

import multiprocessing
import os
import random
import shutil
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from tests.builders import PASSPHRASE
from tests.faults import crash_ops, injection, report
from tests.faults.world import LAPTOP, OFFICE, PACKAGE, copy_world, field_work
from tests.sync_helpers import dump
from xuncha_desktop.domain.errors import DiskFull
from xuncha_desktop.domain.issue_drafts import IssueDraft
from xuncha_desktop.domain.record_types import DRAFT
from xuncha_desktop.services import sync
from xuncha_desktop.services.records.record_service import RecordService
from xuncha_desktop.services.security import backups
from xuncha_desktop.services.security.integrity import check_workspace
from xuncha_desktop.services.workspace import Workspace
from xuncha_desktop.storage.backup import list_backups
from xuncha_desktop.storage.database import check_pages, connect_raw
from xuncha_desktop.storage.keyfile import keyfile_path, read_keyfile
from xuncha_desktop.storage.tables import sync_self

pytestmark = [
    pytest.mark.faults,
    pytest.mark.skipif(os.name != "posix", reason="kill -9 and a fork server are POSIX"),
]

SEED = int(os.environ.get("XUNCHA_FAULT_SEED") or random.SystemRandom().randrange(1, 10**9))
KILLS = int(os.environ.get("XUNCHA_FAULT_KILLS") or 4)
WINDOW = 0.8  # seconds after the operation has started within which the kill falls
PACKAGES = ("批次1.xcpkg", "批次2.xcpkg", "批次3.xcpkg")


@pytest.fixture(scope="module")
def forks() -> Iterator[Any]:
    """Children forked from a server that has imported the operations: each starts in milliseconds."""
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(["tests.faults.crash_ops"])
    report.note(f"crash safety: seed {SEED}（XUNCHA_FAULT_SEED={SEED} 可复现），每种操作 {KILLS} 个 kill 点")
    yield context


@pytest.fixture(scope="module")
def crash_template(fault_template: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The fault world, plus three packages of new laptop records not yet at the office."""
    root = tmp_path_factory.mktemp("crash-world")
    copy_world(fault_template, root)
    (root / PACKAGE).unlink()
    with Workspace.open(root / LAPTOP, PASSPHRASE) as laptop:
        ctx = crash_ops.context_of(laptop)
        for n, name in enumerate(PACKAGES, start=10):
            field_work(laptop, ctx, n)
            sync.export_package(laptop, root / name)
    return root


@dataclass
class Kill:
    """One operation run in a child and killed after `delay` seconds."""

    folder: Path
    journal: Path
    delay: float


def _kill_points(rng: random.Random, name: str) -> list[float]:
    return [round(rng.uniform(0, WINDOW), 3) for _ in range(KILLS)]


def _run_and_kill(forks: Any, target: Callable[..., None], args: tuple[Any, ...], delay: float) -> None:
    ready = forks.Event()
    child = forks.Process(target=target, args=(*args, ready), daemon=True)
    child.start()
    assert ready.wait(60), "the operation did not start"
    threading.Event().wait(delay)  # the random kill point: the injected fault itself, not a wait for state
    child.kill()
    child.join(10)
    assert child.exitcode is not None


def _sound(db: Path) -> Workspace:
    """The workspace after the kill opens and passes `check`; the caller closes it."""
    ws = Workspace.open(db, PASSPHRASE)
    problems = check_workspace(ws)
    if problems:
        ws.close()
    assert [p.message for p in problems] == []
    return ws


def _drafts(ws: Workspace) -> dict[str, str]:
    return {d.id: d.description for d in RecordService[IssueDraft](ws, DRAFT).list()}


@pytest.fixture
def runs(tmp_path: Path, crash_template: Path) -> Iterator[Callable[[int], Kill]]:
    def make(n: int) -> Kill:
        folder = tmp_path / f"第{n}次"
        folder.mkdir()
        copy_world(crash_template, folder)
        return Kill(folder, folder / "journal.txt", 0.0)

    yield make


# -- kill -9 ---------------------------------------------------------------------------------------------
def test_kill_while_saving(forks: Any, runs: Callable[[int], Kill]) -> None:
    rng = random.Random(f"{SEED}-save")
    for n, delay in enumerate(_kill_points(rng, "save")):
        run = runs(n)
        _run_and_kill(forks, crash_ops.save_loop, (run.folder / LAPTOP, run.journal), delay)
        report.tried("kill -9", f"save@{delay}s")
        journal = crash_ops.read_journal(run.journal)
        with _sound(run.folder / LAPTOP) as ws:
            found = _drafts(ws)
        last_done = {record_id: i for i, (kind, record_id, _t) in enumerate(journal) if kind == "done"}
        for record_id, i in last_done.items():
            assert record_id in found, f"a committed draft is lost after a kill at {delay}s"
            # the committed text, or a later edit that committed just before the kill
            later = [text for j, (_k, r, text) in enumerate(journal) if r == record_id and j >= i]
            assert found[record_id] in later, f"a committed edit is lost after a kill at {delay}s"


def test_kill_while_importing(forks: Any, runs: Callable[[int], Kill]) -> None:
    rng = random.Random(f"{SEED}-import")
    for n, delay in enumerate(_kill_points(rng, "import")):
        run = runs(n)
        packages = [run.folder / p for p in PACKAGES]
        with Workspace.open(run.folder / OFFICE, PASSPHRASE) as office:
            before = set(_drafts(office))
        _run_and_kill(forks, crash_ops.import_loop, (run.folder / OFFICE, packages, run.journal), delay)
        report.tried("kill -9", f"import@{delay}s")
        imported = [name for _k, name, _s in crash_ops.read_journal(run.journal)]
        with _sound(run.folder / OFFICE) as office:
            after = set(_drafts(office))
            assert before <= after
            # Each package went in whole or not at all: importing them all again completes the set.
            reports = sync.import_packages(office, packages)
            again = {Path(r.file).name: r.status for r in reports}
            assert all(again[name] == "already_imported" for name in imported), again
            assert all(r.status in ("imported", "already_imported") for r in reports), reports
            assert check_workspace(office) == []


def test_kill_while_exporting(forks: Any, runs: Callable[[int], Kill]) -> None:
    rng = random.Random(f"{SEED}-export")
    for n, delay in enumerate(_kill_points(rng, "export")):
        run = runs(n)
        out = run.folder / "导出"
        out.mkdir()
        with Workspace.open(run.folder / LAPTOP, PASSPHRASE) as laptop:
            before = dump(laptop, with_revisions=True)
        _run_and_kill(forks, crash_ops.export_loop, (run.folder / LAPTOP, out, run.journal), delay)
        report.tried("kill -9", f"export@{delay}s")
        with _sound(run.folder / LAPTOP) as laptop:
            assert dump(laptop) == before  # exporting changes no record
        finished = sorted(out.glob("*.xcpkg"))
        if finished:  # the newest complete package is whole: the office takes it
            with Workspace.open(run.folder / OFFICE, PASSPHRASE) as office:
                [result] = sync.import_packages(office, finished[-1:], dry_run=True)
                assert result.status == "imported", result.error


def _backup_sound(path: Path) -> None:
    key = read_keyfile(keyfile_path(path)).unlock(PASSPHRASE)
    con = connect_raw(path, key)
    try:
        assert check_pages(con) == []
    finally:
        con.close()


def test_kill_while_backing_up(forks: Any, runs: Callable[[int], Kill]) -> None:
    rng = random.Random(f"{SEED}-backup")
    for n, delay in enumerate(_kill_points(rng, "backup")):
        run = runs(n)
        with Workspace.open(run.folder / LAPTOP, PASSPHRASE) as laptop:
            before = dump(laptop)
        _run_and_kill(forks, crash_ops.backup_loop, (run.folder / LAPTOP, run.journal), delay)
        report.tried("kill -9", f"backup@{delay}s")
        with _sound(run.folder / LAPTOP) as laptop:
            assert dump(laptop) == before
        taken = {name for _k, name, _d in crash_ops.read_journal(run.journal)}
        listed = list_backups(run.folder / LAPTOP)
        assert taken <= {b.path.name for b in listed}
        for backup in listed:  # every backup offered for a restore is whole
            _backup_sound(backup.path)


def _incarnation(db: Path) -> int:
    key = read_keyfile(keyfile_path(db)).unlock(PASSPHRASE)
    con = connect_raw(db, key)
    try:
        return int(con.execute(f"SELECT incarnation FROM {sync_self.name}").fetchone()[0])
    finally:
        con.close()


def test_kill_while_restoring(forks: Any, runs: Callable[[int], Kill]) -> None:
    rng = random.Random(f"{SEED}-restore")
    for n, delay in enumerate(_kill_points(rng, "restore")):
        run = runs(n)
        db = run.folder / LAPTOP
        with Workspace.open(db, PASSPHRASE) as laptop:
            backup = backups.take_backup(laptop)
            in_backup = set(_drafts(laptop))
            ctx = crash_ops.context_of(laptop)
            later = RecordService[IssueDraft](laptop, DRAFT).save(crash_ops.draft(ctx, title="备份之后")).id
        for path in (backup, keyfile_path(backup)):  # beside the workspace, out of the thinning's way
            shutil.move(path, run.folder / path.name)
        backup = run.folder / backup.name
        backup_incarnation = _incarnation(backup)
        _run_and_kill(forks, crash_ops.restore_loop, (backup, db, run.journal), delay)
        report.tried("kill -9", f"restore@{delay}s")
        with _sound(db) as ws:
            found = set(_drafts(ws))
        assert in_backup <= found
        if later not in found:  # restored: never with the backup's own incarnation (counters would repeat)
            assert _incarnation(db) > backup_incarnation
            aside = [p for p in run.folder.glob(f"{LAPTOP}.恢复前-*") if not p.name.endswith(".key")]
            assert aside, "the workspace replaced by the restore was not kept"


# -- a disk filling up, writers at once ------------------------------------------------------------------
def test_disk_filling_up_under_saves(tmp_path: Path, crash_template: Path) -> None:
    """Saves until the small disk is full: the failing save is refused in Chinese, every earlier one is
    kept, and once there is room again the workspace is sound and takes the next save."""
    folder = tmp_path / "小盘"
    with injection.tmpfs(folder, 16384):
        copy_world(crash_template, folder)
        filler = injection.fill(folder, leave=2048 * 1024)
        saved: dict[str, str] = {}
        with Workspace.open(folder / LAPTOP, PASSPHRASE) as ws:
            drafts, ctx = RecordService[IssueDraft](ws, DRAFT), crash_ops.context_of(ws)
            with pytest.raises(DiskFull) as caught:
                for n in range(10_000):
                    text = f"{crash_ops.CRASH_MARKER}{n}" * 40
                    saved[drafts.save(crash_ops.draft(ctx, title=f"满盘{n}", description=text)).id] = text
        report.tried("full disk", f"save×{len(saved)}")
        assert str(caught.value) == (
            f"磁盘空间不足，无法写入“{folder}”：请清理该磁盘，或换一个空间足够的位置后重试"
        )
        assert saved
        filler.unlink()
        with _sound(folder / LAPTOP) as ws:
            found = _drafts(ws)
            assert all(found.get(i) == t for i, t in saved.items())
            drafts, ctx = RecordService[IssueDraft](ws, DRAFT), crash_ops.context_of(ws)
            drafts.save(crash_ops.draft(ctx, title="有空间后再保存"))


def test_concurrent_writers(forks: Any, runs: Callable[[int], Kill]) -> None:
    """Two processes saving and one importing into the same workspaces at once: each either works or is
    refused with a clear message; afterwards every committed record is there and `check` passes."""
    run = runs(0)
    journals = [run.folder / f"journal{i}.txt" for i in range(2)]
    children = [
        forks.Process(target=crash_ops.bounded_saves, args=(run.folder / LAPTOP, journal, 15), daemon=True)
        for journal in journals
    ]
    packages = [run.folder / p for p in PACKAGES]
    children.append(
        forks.Process(target=crash_ops.bounded_import, args=(run.folder / LAPTOP, packages, run.journal))
    )
    for child in children:
        child.start()
    for child in children:
        child.join(120)
    report.tried("concurrent writers", "save+save+import")
    outcomes = [row for path in (*journals, run.journal) for row in crash_ops.read_journal(path)]
    refused = [detail for kind, _what, detail in outcomes if kind == "refused"]
    assert all(not line.startswith("发生了意外错误") for line in refused), refused
    with _sound(run.folder / LAPTOP) as ws:
        found = _drafts(ws)
    saved = [(r, t) for k, r, t in outcomes if k == "done"]
    assert saved and all(found.get(r) == t for r, t in saved)
