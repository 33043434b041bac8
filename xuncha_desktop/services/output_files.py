"""Atomic output files: write beside the target, then replace it; nothing left on cancel or error."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from xuncha_desktop.domain.errors import XunchaError
from xuncha_desktop.storage import faults


@contextmanager
def atomic_output(target: Path) -> Iterator[Path]:
    """Yields the `.part` path to write; it becomes `target` only when the block finishes without an error."""
    target = Path(target)
    if not target.parent.is_dir():
        raise XunchaError(f"文件夹“{target.parent}”不存在")
    part = target.with_suffix(".part")
    try:
        yield part
        os.replace(part, target)
    except OSError as exc:  # a full or read-only folder, said in Chinese and naming the file
        part.unlink(missing_ok=True)
        raise faults.writing(exc, target) from exc
    except BaseException:
        part.unlink(missing_ok=True)
        raise
