"""A rotating log in the per-user log folder, for the windowed program that has no console.

What goes in: the time, the level, the logger's name, the constant message our code writes and, for an
error, the exception's type and where in the code it happened (file, line, function). What never goes in:
an exception's own text or a message's arguments, because driver errors quote SQL parameters and those
are record contents (issue text, names); nothing here can tell them apart, so neither is written.
"""

from __future__ import annotations

import logging
import logging.handlers
import threading
import traceback
from pathlib import Path
from types import TracebackType

import platformdirs

from xuncha_desktop import APP_NAME

LOG_NAME = f"{APP_NAME}.log"
MAX_BYTES = 1_000_000
BACKUPS = 5
_current: Path | None = None


def default_log_dir() -> Path:
    """%LOCALAPPDATA%\\xuncha-desktop\\Logs on Windows, ~/.local/state/xuncha-desktop/log on Linux."""
    return Path(platformdirs.user_log_dir(APP_NAME, appauthor=False))


def log_file() -> Path | None:
    """The file this process logs to, or None when logging to a file could not be set up."""
    return _current


def where(tb: TracebackType | None) -> str:
    """The frames of a traceback as 'file:line in function', innermost last; no source lines, no values."""
    frames = traceback.extract_tb(tb)
    return " <- ".join(f"{Path(f.filename).name}:{f.lineno} in {f.name}" for f in reversed(frames))


class _LazyRotatingFile(logging.handlers.RotatingFileHandler):
    """Creates its folder and file with the first entry (a run with nothing to report leaves no trace) and
    stays silent when it cannot write: a read-only profile must not turn a logged error into another."""

    def _open(self):  # typeshed: returns the stream
        Path(self.baseFilename).parent.mkdir(parents=True, exist_ok=True)
        return super()._open()

    def handleError(self, record: logging.LogRecord) -> None:  # noqa: N802 - logging's name
        """Nothing: printing logging's own traceback would show a console user a message's context."""


class SafeFormatter(logging.Formatter):
    """Formats without the exception's text and without the message's arguments (see the module doc)."""

    def format(self, record: logging.LogRecord) -> str:
        when = self.formatTime(record, "%Y-%m-%d %H:%M:%S")
        omitted = "（参数已略去）" if record.args else ""
        line = f"{when} {record.levelname} {record.name}: {record.msg}{omitted}"
        if record.exc_info and record.exc_info[0] is not None:
            kind, _value, tb = record.exc_info
            line += f" | {kind.__module__}.{kind.__qualname__} at {where(tb)}"
        return line


def setup_logging(folder: Path | None = None, *, max_bytes: int = MAX_BYTES) -> Path:
    """Log warnings and errors of the whole process to a rotating file in `folder` (default: the per-user
    log folder) and return its path. Nothing is written until there is something to log; a folder that
    cannot be written (a read-only profile) means no log, never a failure to start."""
    global _current
    folder = Path(folder) if folder is not None else default_log_dir()
    target = folder / LOG_NAME
    handler = _LazyRotatingFile(target, maxBytes=max_bytes, backupCount=BACKUPS, encoding="utf-8", delay=True)
    handler.setFormatter(SafeFormatter())
    handler.setLevel(logging.WARNING)
    root = logging.getLogger()
    for old in [h for h in root.handlers if getattr(h, "_xuncha", False)]:
        root.removeHandler(old)
        old.close()
    handler._xuncha = True  # type: ignore[attr-defined]  # ours, replaced on a second call
    root.addHandler(handler)
    root.setLevel(min(root.level or logging.WARNING, logging.WARNING))
    _current = target
    threading.excepthook = _log_thread_exception
    return target


def log_unexpected(kind: type[BaseException], value: BaseException, tb: TracebackType | None) -> None:
    """An exception nobody handled, logged safely (the caller shows the user a Chinese message). The entry
    is made as a plain message, without exc_info, so no handler anywhere (a test's log capture, a console
    handler someone adds) can format the exception's text or traceback from it."""
    del value  # its text is exactly what must not be logged
    logging.getLogger(APP_NAME).error(f"未处理的异常 | {kind.__module__}.{kind.__qualname__} at {where(tb)}")


def _log_thread_exception(args: threading.ExceptHookArgs) -> None:
    if args.exc_type is SystemExit:
        return
    value = args.exc_value if args.exc_value is not None else args.exc_type()
    log_unexpected(args.exc_type, value, args.exc_traceback)


def close_logging() -> None:
    """Detach and close the file handler (tests; a program exits without calling it)."""
    global _current
    root = logging.getLogger()
    for old in [h for h in root.handlers if getattr(h, "_xuncha", False)]:
        root.removeHandler(old)
        old.close()
    _current = None
    threading.excepthook = threading.__excepthook__
