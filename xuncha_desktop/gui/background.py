"""Long-running service calls on a worker thread, with a progress dialog and Cancel (architecture §2.9).

Jobs are plain functions that take a `Progress`; they never touch a widget. Every outcome reaches the GUI
thread through queued signals. Jobs run one at a time (SQLite has a single writer).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Any, Generic, TypeVar, cast

from PySide6.QtCore import QEventLoop, QObject, QRunnable, Qt, QThreadPool, Signal
from PySide6.QtWidgets import QProgressDialog, QWidget

from xuncha_desktop.gui import messages
from xuncha_desktop.services.failures import user_message
from xuncha_desktop.services.progress import Cancelled, Progress

T = TypeVar("T")
log = logging.getLogger(__name__)

# One job at a time: a second job waits here until the first one has finished.
_JOB_LOCK = threading.Lock()
# Tasks in flight, kept alive until their last signal has been delivered (Anki's background-ops list).
_RUNNING: set[BackgroundTask[Any]] = set()


def job_running() -> bool:
    """A job (merge, export, printing) is under way: auto-lock waits for it to end."""
    return bool(_RUNNING)


class _Signals(QObject):
    progressed = Signal(int, int, str)
    succeeded = Signal(object)
    failed = Signal(object)
    cancelled = Signal()


class BackgroundTask(QRunnable, Generic[T]):
    """One job on the thread pool; it is its own `Progress`, and reports through `signals`."""

    def __init__(self, job: Callable[[Progress], T]) -> None:
        super().__init__()
        self.setAutoDelete(False)
        self.signals = _Signals()  # created on the GUI thread → queued delivery
        self._job = job
        self._cancel = threading.Event()

    def cancel(self) -> None:
        self._cancel.set()

    def is_cancelled(self) -> bool:
        return self._cancel.is_set()

    def report(self, done: int, total: int, message: str = "") -> None:
        self.signals.progressed.emit(done, total, message)

    def check_cancelled(self) -> None:
        if self._cancel.is_set():
            raise Cancelled

    def run(self) -> None:
        try:
            with _JOB_LOCK:
                self.check_cancelled()
                result = self._job(self)
        except Cancelled:
            self.signals.cancelled.emit()
        except Exception as error:
            # Never the exception's text or traceback: a driver error's text can hold record text.
            log.error("后台任务未完成：%s", user_message(error))
            self.signals.failed.emit(error)
        else:
            self.signals.succeeded.emit(result)


def error_text(error: BaseException) -> str:
    """The Chinese message of a XunchaError or of a disk, lock or file failure; for anything else only
    its class and where it happened (services.failures)."""
    return user_message(error)


def _progress_dialog(parent: QWidget | None, title: str) -> QProgressDialog:
    dialog = QProgressDialog(title, "取消", 0, 0, parent)
    dialog.setWindowTitle(title)
    modality = Qt.WindowModality.WindowModal if parent is not None else Qt.WindowModality.ApplicationModal
    dialog.setWindowModality(modality)
    dialog.setMinimumDuration(400)
    dialog.setAutoReset(False)
    dialog.setAutoClose(False)
    dialog.setMinimumWidth(420)
    return dialog


def start_task(
    parent: QWidget | None,
    title: str,
    job: Callable[[Progress], T],
    *,
    on_success: Callable[[T], None],
    on_failure: Callable[[BaseException], None],
    on_cancelled: Callable[[], None],
) -> BackgroundTask[T]:
    """Start `job` behind a progress dialog; exactly one of the three callbacks runs on the GUI thread."""
    task: BackgroundTask[T] = BackgroundTask(job)
    dialog = _progress_dialog(parent, title)

    def show_progress(done: int, total: int, message: str) -> None:
        if task.is_cancelled():
            return
        dialog.setMaximum(max(total, 0))
        dialog.setValue(max(0, min(done, total)) if total > 0 else 0)
        if message:
            dialog.setLabelText(message)

    def cancel() -> None:
        if task in _RUNNING:
            task.cancel()

    def finish() -> None:
        _RUNNING.discard(task)  # first: closing the dialog emits `canceled`
        dialog.close()
        dialog.deleteLater()

    def succeeded(result: T) -> None:
        finish()
        on_success(result)

    def failed(error: BaseException) -> None:
        finish()
        on_failure(error)

    def cancelled() -> None:
        finish()
        on_cancelled()

    task.signals.progressed.connect(show_progress)
    task.signals.succeeded.connect(succeeded)
    task.signals.failed.connect(failed)
    task.signals.cancelled.connect(cancelled)
    dialog.canceled.connect(cancel)
    _RUNNING.add(task)
    QThreadPool.globalInstance().start(task)
    return task


def run_with_progress(
    parent: QWidget | None,
    title: str,
    job: Callable[[Progress], T],
    on_success: Callable[[T], None],
    on_failure: Callable[[BaseException], None] | None = None,
) -> BackgroundTask[T]:
    """Run `job` in the background; errors are shown in Chinese unless `on_failure` is given, a cancel is
    quiet."""

    def show_failure(error: BaseException) -> None:
        messages.show_error(parent, title, error_text(error))

    return start_task(
        parent,
        title,
        job,
        on_success=on_success,
        on_failure=on_failure or show_failure,
        on_cancelled=lambda: None,
    )


def run_and_wait(parent: QWidget | None, title: str, job: Callable[[Progress], T]) -> T:
    """Run `job` in the background while the GUI stays responsive, and return its result here; raises
    Cancelled, or the job's own exception, on the GUI thread."""
    outcome: dict[str, Any] = {}
    loop = QEventLoop()

    def done(key: str, value: Any) -> None:
        outcome[key] = value
        loop.quit()

    start_task(
        parent,
        title,
        job,
        on_success=lambda result: done("result", result),
        on_failure=lambda error: done("error", error),
        on_cancelled=lambda: done("error", Cancelled()),
    )
    if not outcome:
        loop.exec()
    if "error" in outcome:
        raise outcome["error"]
    return cast(T, outcome["result"])
