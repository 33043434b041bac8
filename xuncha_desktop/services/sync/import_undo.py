"""撤销本次导入: the safety copy of an import is an undo journal of what the import changed
(storage.undo_journal), not a copy of the whole workspace, so it costs what the package costs.

Each imported package writes its journal in the 备份 folder before its transaction commits. The packages
of the newest import (one `batch`, however many files) can be undone together, in one transaction,
newest first, while nothing has changed the workspace since: no record edited, no other import, nothing
written to the audit log. The undo puts back every row the import wrote (records, revisions, conflicts,
sync state, attachments, search index, the import's audit entries) and writes one audit entry of its own.
"""

from __future__ import annotations

import contextlib
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Connection

from xuncha_desktop.domain.errors import WorkspaceError
from xuncha_desktop.services.changes import EVERYTHING
from xuncha_desktop.services.sync.reports import ImportReport
from xuncha_desktop.services.workspace import Workspace
from xuncha_desktop.storage import migrations, undo_journal
from xuncha_desktop.storage.backup import backup_dir
from xuncha_desktop.storage.change_capture import ChangeCapture
from xuncha_desktop.storage.database import write_transaction
from xuncha_desktop.storage.revisions import RevisionWriter
from xuncha_desktop.storage.undo_journal import JournalInfo, UndoRefused

__all__ = ["ImportBatch", "LastImport", "UndoRefused", "UndoReport", "last_import", "undo_last_import"]


@dataclass(frozen=True)
class LastImport:
    """The import that 撤销本次导入 would undo."""

    files: list[str]
    at: str
    new: int
    updated: int
    conflicts: int

    def describe(self) -> str:
        names = "、".join(f"“{f}”" for f in self.files)
        counts = f"新增 {self.new} 条，更新 {self.updated} 条，冲突 {self.conflicts} 处"
        return f"{self.at} 导入的 {names}（{counts}）"


@dataclass(frozen=True)
class UndoReport:
    undone: LastImport
    rows: int


def _folder(ws: Workspace, folder: Path | None = None) -> Path:
    return folder or backup_dir(ws.path)


def _pattern(ws: Workspace) -> str:
    return f"{ws.path.stem}.{undo_journal.LABEL}-*{undo_journal.SUFFIX}"


def _pending(ws: Workspace, folder: Path | None = None) -> list[JournalInfo]:
    """The journals of the newest import still in the workspace, newest package first. Journals of imports
    that never committed, were undone or were followed by another import are removed on the way."""
    where = _folder(ws, folder)
    if not where.is_dir():
        return []
    for partial in where.glob(_pattern(ws) + ".part"):
        undo_journal.remove(partial)  # a journal cut short by a kill: its import never committed
    key = ws.side_file_key()
    found: list[JournalInfo] = []
    with ws.engine.connect() as conn:
        for path in sorted(where.glob(_pattern(ws))):
            info = undo_journal.read_info(path, key)
            if info is None or info.meta.get("workspace_id") != ws.info.workspace_id:
                continue  # not this workspace's (a copy's, or damaged): left alone
            if undo_journal.marked(conn, info.marker):
                found.append(info)
            else:
                with contextlib.suppress(OSError):
                    undo_journal.remove(path)
    if not found:
        return []
    newest = max(j.batch for j in found)
    for old in (j for j in found if j.batch != newest):
        with contextlib.suppress(OSError):
            undo_journal.remove(old.path)
    return sorted((j for j in found if j.batch == newest), key=lambda j: j.order, reverse=True)


def _summary(journals: list[JournalInfo]) -> LastImport:
    oldest = min(journals, key=lambda j: j.order)
    return LastImport(
        files=[str(j.meta["file"]) for j in sorted(journals, key=lambda j: j.order)],
        at=str(oldest.meta["imported_at"]),
        new=sum(int(j.meta["new"]) for j in journals),
        updated=sum(int(j.meta["updated"]) for j in journals),
        conflicts=sum(int(j.meta["conflicts"]) for j in journals),
    )


def last_import(ws: Workspace, folder: Path | None = None) -> LastImport | None:
    """The newest import, if it can still be undone (its journals are there); else None."""
    journals = _pending(ws, folder)
    return _summary(journals) if journals else None


def _refusal(info: JournalInfo, table: str) -> str:
    if table in undo_journal.RECORD_TABLES:
        what = "导入的记录在导入后又被修改或处理过"
    elif table.startswith("工作库"):
        what = table
    else:
        what = "导入之后工作库中又有新的操作（保存、导入、导出、打印等）"
    return (
        f"不能撤销导入“{info.meta['file']}”：{what}，撤销会丢失这些改动。"
        "如确需回到导入前，请在“安全 → 备份与恢复”中选择导入前的备份恢复"
    )


def _forget(journals: list[JournalInfo]) -> None:
    """Remove applied journals (one left behind by a kill is stale: its marker is gone)."""
    for info in journals:
        with contextlib.suppress(OSError):
            undo_journal.remove(info.path)


def undo_last_import(ws: Workspace, folder: Path | None = None) -> UndoReport:
    """Undo the newest import completely, in one transaction (nothing changes when it is refused); its
    journals are removed afterwards. A kill before the commit leaves everything to be done again, a kill
    after it leaves stale journals that the next look removes."""
    journals = _pending(ws, folder)
    if not journals:
        raise WorkspaceError("没有可以撤销的导入（只能撤销最近一次导入，且导入后工作库未再改动）")
    key, rows = ws.side_file_key(), 0
    with write_transaction(ws.engine) as conn:
        for info in journals:
            try:
                counts = undo_journal.undo(conn, info.path, key)
            except UndoRefused as exc:
                raise UndoRefused(_refusal(info, str(exc))) from exc
            undo_journal.restore_sequences(conn, info.meta.get("sequences") or {})
            rows += sum(counts.values())
        undone = _summary(journals)
        writer = RevisionWriter(conn, ws.user.login, migrations.SCHEMA_VERSION)
        writer.log(
            "undo_import",
            file="、".join(undone.files),
            packages=len(journals),
            new=undone.new,
            updated=undone.updated,
            imported_at=undone.at,
        )
        writer.finish()
    _forget(journals)
    ws.report_changes(EVERYTHING)
    return UndoReport(undone, rows)


class ImportBatch:
    """The journals of one import run: `recording()` wraps each package's transaction."""

    def __init__(self, ws: Workspace, folder: Path | None = None) -> None:
        self.ws = ws
        self.folder = _folder(ws, folder)
        self.batch = f"{datetime.now():%Y%m%d-%H%M%S-%f}-{uuid.uuid4().hex[:8]}"
        self.count = 0
        self._unfinished: Path | None = None  # written, its transaction not yet committed

    @contextmanager
    def recording(self, conn: Connection) -> Iterator[ChangeCapture]:
        """Capture what the body writes on `conn`; call `commit_journal` before the transaction ends."""
        capture = ChangeCapture(conn)
        try:
            yield capture
        except BaseException:
            with contextlib.suppress(Exception):  # the rollback drops the triggers anyway
                capture.stop()
            raise
        capture.stop()

    def write_journal(self, conn: Connection, capture: ChangeCapture, report: ImportReport) -> Path:
        """The journal of the package just applied on `conn`, on disk before the commit."""
        marker = undo_journal.newest_audit_entry(conn)  # the import's own, just written
        meta: dict[str, Any] = {
            "marker": marker,
            "batch": self.batch,
            "order": self.count,
            "workspace_id": self.ws.info.workspace_id,
            "package_id": report.package_id,
            "file": Path(report.file).name,
            "kind": report.kind,
            "new": report.new,
            "updated": report.updated,
            "conflicts": report.conflicts,
            "imported_at": f"{datetime.now():%Y-%m-%d %H:%M}",
            "user": self.ws.user.login,
            "sequences": capture.sequences,
        }
        target = self.folder / (
            f"{self.ws.path.stem}.{undo_journal.LABEL}-{self.batch}-{self.count:03d}{undo_journal.SUFFIX}"
        )
        self.count += 1
        self._unfinished = target
        return undo_journal.write(target, self.ws.side_file_key(), meta, capture.shapes, capture.changes())

    def discard_unfinished(self) -> None:
        """The package's transaction failed (a kill leaves the same file stale, removed at the next look)."""
        if self._unfinished is not None:
            with contextlib.suppress(OSError):
                undo_journal.remove(self._unfinished)
            self._unfinished = None

    def committed(self) -> None:
        """After a package of this run committed: earlier imports can no longer be undone."""
        self._unfinished = None
        with contextlib.suppress(OSError, WorkspaceError):
            _pending(self.ws, self.folder)
