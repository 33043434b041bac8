"""One Chinese line for any failure, for the command line and the GUI alike.

A known failure (XunchaError) says its own message; a disk, lock or file failure is translated
(storage.faults); anything else is a programming error, named only by its class and the line of our code
where it happened. The text of an unexpected exception is never shown or logged: a driver error's text
can hold the SQL parameters it was writing, which are record text.
"""

from __future__ import annotations

import traceback
from pathlib import Path

from xuncha_desktop.domain.errors import XunchaError
from xuncha_desktop.storage import faults

_PACKAGE_ROOT = Path(__file__).resolve().parents[1]


def where(exc: BaseException) -> str:
    """`services/sync/import_.py:181`: the innermost frame of our own code in the traceback (else the
    innermost)."""
    frames = traceback.extract_tb(exc.__traceback__) if exc.__traceback__ else []
    if not frames:
        return "位置未知"
    ours = [f for f in frames if Path(f.filename).resolve().is_relative_to(_PACKAGE_ROOT)]
    frame = (ours or frames)[-1]
    path = Path(frame.filename).resolve()
    shown = path.relative_to(_PACKAGE_ROOT).as_posix() if path.is_relative_to(_PACKAGE_ROOT) else path.name
    return f"{shown}:{frame.lineno}"


def unexpected_message(exc: BaseException) -> str:
    return (
        f"发生了意外错误（{type(exc).__name__}，位于 {where(exc)}），操作未完成；"
        "请记下这一行告知技术支持，然后重新打开程序再试"
    )


def user_message(exc: BaseException, db: Path | None = None) -> str:
    """The line to show for `exc`; `db` is the workspace file it happened on, when known."""
    known = faults.translate(exc, db)
    return str(known) if known is not None else unexpected_message(exc)


def is_unexpected(exc: BaseException, db: Path | None = None) -> bool:
    """A programming error rather than a failure with a known cause (what the log is for)."""
    return not isinstance(exc, XunchaError) and faults.translate(exc, db) is None
