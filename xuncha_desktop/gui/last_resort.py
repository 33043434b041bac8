"""The GUI's last resort for an exception nobody caught (in a slot, a timer, a thread): one Chinese line
on stderr and in a message box, naming only the exception's class and where it happened. Python's own
hook would print the traceback and the exception's text, and a driver error's text can hold record text.
"""

from __future__ import annotations

import contextlib
import sys
import threading
from types import TracebackType

from PySide6.QtWidgets import QApplication

from xuncha_desktop.diagnostics import log_unexpected
from xuncha_desktop.gui import messages
from xuncha_desktop.services.failures import is_unexpected, user_message

TITLE = "发生错误"
_showing = threading.Lock()  # a failure inside the message box must not open another one


def report(exc: BaseException) -> str:
    """Print the line for `exc` on stderr and, on the GUI thread, show it; returns the line."""
    line = user_message(exc)
    if is_unexpected(exc):
        log_unexpected(type(exc), exc, exc.__traceback__)  # class and place only (diagnostics)
    with contextlib.suppress(OSError, ValueError, AttributeError):  # no console (a Windows GUI build)
        print(f"错误：{line}", file=sys.stderr, flush=True)
    # The GUI runs on Python's main thread; a message box from another thread would crash Qt.
    on_gui_thread = (
        QApplication.instance() is not None and threading.current_thread() is threading.main_thread()
    )
    if on_gui_thread and _showing.acquire(blocking=False):
        try:
            messages.show_error(None, TITLE, line)
        finally:
            _showing.release()
    return line


def _excepthook(kind: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
    if issubclass(kind, KeyboardInterrupt):
        sys.__excepthook__(kind, exc, tb)
        return
    report(exc.with_traceback(tb))


def _thread_excepthook(args: threading.ExceptHookArgs) -> None:
    if args.exc_value is not None:
        report(args.exc_value.with_traceback(args.exc_traceback))


def install() -> None:
    """Replace Python's hooks for uncaught exceptions, on every thread, for the life of the process."""
    sys.excepthook = _excepthook
    threading.excepthook = _thread_excepthook
