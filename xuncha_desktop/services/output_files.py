"""Atomic output files: write beside the target, then replace it; nothing left on cancel or error."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from xuncha_desktop.domain.errors import XunchaError
from xuncha_desktop.storage import faults, files
from xuncha_desktop.storage.workspace_lock import belongs_to_a_workspace


def refuse_workspace_file(target: Path) -> None:
    """An export never replaces a file of a workspace (`ledger --out 工作库.xcdb` would destroy it)."""
    if belongs_to_a_workspace(Path(target)):
        raise XunchaError(f"“{Path(target).name}”是工作库的文件，不能用作导出文件，请另选文件名")


@contextmanager
def atomic_output(target: Path) -> Iterator[Path]:
    """Yields the `.part` path to write; it becomes `target` only when the block finishes without an error."""
    target = Path(target)
    refuse_workspace_file(target)
    if not target.parent.is_dir():
        raise XunchaError(f"文件夹“{target.parent}”不存在")
    part = target.with_suffix(".part")
    try:
        yield part
        files.replace(part, target)  # a ledger still open in WPS or Excel: a clear message, target kept
    except OSError as exc:  # a full or read-only folder, said in Chinese and naming the file
        part.unlink(missing_ok=True)
        raise faults.writing(exc, target) from exc
    except BaseException:
        part.unlink(missing_ok=True)
        raise


def write_file(target: Path, data: bytes) -> None:
    """`data` as `target`, atomically and flushed to disk (a PDF saved from the preview)."""
    with atomic_output(target) as part, open(part, "wb") as out:
        out.write(data)
        out.flush()
        os.fsync(out.fileno())
