"""Atomic output files: write beside the target, then replace it; nothing left on cancel or error. An
audited output (a print, a ledger) appears only together with its audit entry."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from xuncha_desktop.domain.errors import XunchaError
from xuncha_desktop.storage import faults, files
from xuncha_desktop.storage.workspace_lock import belongs_to_a_workspace

if TYPE_CHECKING:
    from xuncha_desktop.services.workspace import Workspace


@dataclass
class OutputAudit:
    """The audit entry an output file is committed with: who (the workspace's user), what `action`
    ("print", "ledger") of which `kind`, how many `records` (set once written) and the file's name only."""

    ws: Workspace
    action: str
    kind: str
    records: int = 0

    def commit(self, part: Path, target: Path) -> None:
        """Move the finished file into place inside the transaction that logs it: if the entry cannot be
        written the file does not appear, if the move fails the entry is not kept."""
        with self.ws.writing() as writer:
            writer.log(self.action, kind=self.kind, records=self.records, file=target.name)
            files.replace(part, target)


def log_output(ws: Workspace, action: str, kind: str, records: int, **where: str) -> None:
    """The audit entry of an output that is not a file written here (pages sent to a printer, a preview
    saved by the GUI): `where` is file= a file name or printer= a printer's name."""
    with ws.writing() as writer:
        writer.log(action, kind=kind, records=records, **where)


def refuse_workspace_file(target: Path) -> None:
    """An export never replaces a file of a workspace (`ledger --out 工作库.xcdb` would destroy it)."""
    if belongs_to_a_workspace(Path(target)):
        raise XunchaError(f"“{Path(target).name}”是工作库的文件，不能用作导出文件，请另选文件名")


def save_output(target: Path, data: bytes, audit: OutputAudit | None = None) -> None:
    """Bytes already made (a previewed PDF) written to `target` atomically, with their audit entry."""
    with atomic_output(target, audit) as part, open(part, "wb") as out:
        out.write(data)
        out.flush()
        os.fsync(out.fileno())


@contextmanager
def atomic_output(target: Path, audit: OutputAudit | None = None) -> Iterator[Path]:
    """Yields the `.part` path to write; it becomes `target` only when the block finishes without an error
    (and, with `audit`, in the transaction that writes its audit entry)."""
    target = Path(target)
    refuse_workspace_file(target)
    if not target.parent.is_dir():
        raise XunchaError(f"文件夹“{target.parent}”不存在")
    part = target.with_suffix(".part")
    try:
        yield part
        if audit is None:
            files.replace(part, target)  # a ledger still open in WPS or Excel: a clear message, target kept
        else:
            audit.commit(part, target)
    except OSError as exc:  # a full or read-only folder, said in Chinese and naming the file
        part.unlink(missing_ok=True)
        raise faults.writing(exc, target) from exc
    except BaseException:
        part.unlink(missing_ok=True)
        raise
