"""The operations the crash tests kill with SIGKILL, run in a child process forked from a server that
has imported everything already (so a child starts in milliseconds). Each logs what it has committed to
a journal file, one line after each commit, so that the parent knows what must survive the kill.

Journal lines: `done<TAB>what<TAB>detail`; a line is written only after its commit returned.
"""

from __future__ import annotations

import dataclasses
import itertools
from datetime import datetime, timedelta
from multiprocessing.synchronize import Event
from pathlib import Path

from tests.builders import PASSPHRASE, Context, draft
from xuncha_desktop.domain.issue_drafts import IssueDraft
from xuncha_desktop.domain.organization import InspectionGroup, InspectionRound, TargetUnit
from xuncha_desktop.domain.record_types import DRAFT, GROUP, ROUND, TARGET
from xuncha_desktop.services import sync
from xuncha_desktop.services.failures import user_message
from xuncha_desktop.services.records.record_service import RecordService
from xuncha_desktop.services.security import backups
from xuncha_desktop.services.workspace import Workspace

CRASH_MARKER = "崩溃测试底稿"


def _journal(path: Path, *fields: str) -> None:
    with open(path, "a", encoding="utf-8") as f:
        f.write("\t".join(fields) + "\n")


def context_of(ws: Workspace) -> Context:
    rnd = RecordService[InspectionRound](ws, ROUND).list()[0]
    grp = RecordService[InspectionGroup](ws, GROUP).list()[0]
    tgt = RecordService[TargetUnit](ws, TARGET).list()[0]
    return Context(rnd, grp, tgt)


def save_loop(db: Path, journal: Path, ready: Event) -> None:
    """Save new drafts and edit earlier ones, for ever."""
    ws = Workspace.open(db, PASSPHRASE)
    drafts, ctx = RecordService[IssueDraft](ws, DRAFT), context_of(ws)
    saved: list[IssueDraft] = []
    ready.set()
    for n in itertools.count():
        if n % 3 == 2:
            edited = dataclasses.replace(saved[n // 3], description=f"{CRASH_MARKER}修改{n}")
            _journal(journal, "attempt", edited.id, edited.description)
            saved[n // 3] = drafts.save(edited)
            _journal(journal, "done", edited.id, edited.description)
        else:
            record = drafts.save(draft(ctx, title=f"{CRASH_MARKER}{n}", description=f"{CRASH_MARKER}{n}"))
            saved.append(record)
            _journal(journal, "done", record.id, record.description)


def import_loop(db: Path, packages: list[Path], journal: Path, ready: Event) -> None:
    """Import the packages one after the other (each in its own transaction)."""
    ws = Workspace.open(db, PASSPHRASE)
    ready.set()
    for package in packages:
        [report] = sync.import_packages(ws, [package])
        _journal(journal, "done", package.name, report.status)


def export_loop(db: Path, out: Path, journal: Path, ready: Event) -> None:
    """Export complete packages, one file after another, for ever."""
    ws = Workspace.open(db, PASSPHRASE)
    ready.set()
    for n in itertools.count():
        target = out / f"导出{n:04d}.xcpkg"
        sync.export_package(ws, target, full=True)
        _journal(journal, "done", target.name, "")


def backup_loop(db: Path, journal: Path, ready: Event) -> None:
    """Take backups (each with its own time stamp), for ever."""
    ws = Workspace.open(db, PASSPHRASE)
    start = datetime(2025, 3, 1, 8, 0, 0)
    ready.set()
    for n in itertools.count():
        taken = backups.take_backup(ws, "手动", now=start + timedelta(seconds=n))
        _journal(journal, "done", taken.name, "")


def restore_loop(backup: Path, target: Path, journal: Path, ready: Event) -> None:
    """Restore the same backup over the target, for ever."""
    ready.set()
    while True:
        done = backups.restore(backup, target, PASSPHRASE)
        _journal(journal, "done", str(done.incarnation), "")


def read_journal(path: Path) -> list[tuple[str, str, str]]:
    if not path.exists():
        return []
    rows = []
    for line in path.read_text(encoding="utf-8").splitlines():
        parts = line.split("\t")
        if len(parts) == 3:  # a line cut off by the kill is not a commit
            rows.append((parts[0], parts[1], parts[2]))
    return rows


def bounded_saves(db: Path, journal: Path, count: int) -> None:
    """`count` new drafts, then stop; a refusal (a lock held elsewhere) is journalled as such."""
    try:
        ws = Workspace.open(db, PASSPHRASE)
        drafts, ctx = RecordService[IssueDraft](ws, DRAFT), context_of(ws)
        for n in range(count):
            record = drafts.save(draft(ctx, title=f"{CRASH_MARKER}并发{n}", description=f"并发{n}"))
            _journal(journal, "done", record.id, record.description)
        ws.close()
    except Exception as exc:
        _journal(journal, "refused", "", user_message(exc))


def bounded_import(db: Path, packages: list[Path], journal: Path) -> None:
    """Import the packages into a laptop's workspace (they are its own: already there, nothing new)."""
    try:
        ws = Workspace.open(db, PASSPHRASE)
        for report in sync.import_packages(ws, packages):
            _journal(journal, "imported", Path(report.file).name, report.status)
        ws.close()
    except Exception as exc:
        _journal(journal, "refused", "", user_message(exc))
