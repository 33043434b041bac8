"""Replacing and deleting files the Windows way: another program may hold them for a moment or for good.

On Windows a file that WPS, Excel or a viewer has open, or that antivirus is scanning right after it was
written, cannot be replaced or deleted (PermissionError, WinError 32 or 5). A short hold passes, so each step
is retried briefly; a lasting one becomes a Chinese message naming the file, and a sequence of steps that must
happen together (a database and its key file) is undone so that no half-done state is left behind.
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TypeVar

from xuncha_desktop.domain.errors import WorkspaceError

T = TypeVar("T")
# Windows error codes for a file in use: 32 sharing violation, 33 lock violation, 5 access denied (a file
# being deleted or scanned also answers 5).
HELD_WINERRORS = frozenset({5, 32, 33})
RETRY_DELAYS = (0.05, 0.1, 0.2, 0.4, 0.8)  # about 1.5 s in all: enough for an antivirus scan of a new file
_sleep: Callable[[float], None] = time.sleep  # tests replace it so they need not wait


class FileHeld(WorkspaceError):
    """A file stays held by another program."""

    def __init__(self, path: Path, action: str) -> None:
        self.path = Path(path)
        super().__init__(
            f"无法{action}文件“{self.path.name}”：它正被其他程序占用（可能在 WPS、Excel 或其他程序中打开，"
            f"或正被杀毒软件扫描）。请关闭该文件后重试；所在文件夹：{self.path.parent}"
        )


def is_held(exc: OSError) -> bool:
    """True for the errors a file held by another program gives (only Windows reports such holds)."""
    winerror = getattr(exc, "winerror", None)
    if winerror is not None:
        return winerror in HELD_WINERRORS
    return sys.platform == "win32" and isinstance(exc, PermissionError)


def _retrying(step: Callable[[], T], path: Path, action: str) -> T:
    for delay in (*RETRY_DELAYS, None):
        try:
            return step()
        except OSError as exc:
            if not is_held(exc):
                raise
            if delay is None:
                # Windows names the file it could not open; of a rename's two files that is the held one.
                raise FileHeld(Path(exc.filename) if exc.filename else path, action) from exc
            _sleep(delay)
    raise AssertionError("unreachable")  # pragma: no cover


def replace(source: Path, target: Path) -> None:
    """os.replace, waiting out a short hold on either file; FileHeld names `target` when the hold lasts."""
    _retrying(lambda: os.replace(source, target), Path(target), "替换")


def unlink(path: Path, *, missing_ok: bool = True) -> None:
    """Path.unlink, waiting out a short hold; FileHeld when it lasts."""
    _retrying(lambda: Path(path).unlink(missing_ok=missing_ok), Path(path), "删除")


def move_together(moves: Sequence[tuple[Path, Path]]) -> None:
    """Rename several files as one step (a database with its key file and journals): sources that do not
    exist are skipped; when one rename fails, those already done are moved back before the error is raised,
    so either every file moved or none did."""
    done: list[tuple[Path, Path]] = []
    try:
        for source, target in moves:
            if Path(source).exists():
                replace(source, target)
                done.append((Path(source), Path(target)))
    except BaseException:
        for source, target in reversed(done):
            replace(target, source)
        raise


def delete_together(paths: Sequence[Path], aside_suffix: str = ".删除中") -> None:
    """Delete several files that belong together (a backup and its key file): each is first renamed aside,
    which fails as a whole if one is held, and only then are the renamed copies removed."""
    present = [Path(p) for p in paths if Path(p).exists()]
    aside = [p.with_name(p.name + aside_suffix) for p in present]
    move_together(list(zip(present, aside, strict=True)))
    for path in aside:
        # Renamed aside, the pair is already gone from where it was; a file still held here stays as an
        # orphan with a name no workspace or backup list looks at, and is removed on the next attempt.
        try:
            unlink(path)
        except FileHeld:
            continue
