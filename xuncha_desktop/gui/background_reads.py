"""Short read-only queries (counts, workload) off the GUI thread, so a huge list never blocks typing.

Unlike gui/background.py's jobs these take no lock and show no dialog: a read that fails is dropped. Each
read opens its own connection through the service it calls.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QThreadPool, Signal


class Reader(QObject):
    """Runs reads for one owner (a Qt child of it) and hands each result back on the GUI thread.

    The jobs are plain callables: Qt owns the runnables it makes of them, so nothing Python holds is ever
    deleted while a pool thread still uses it. Close the workspace only after wait_for_reads().
    """

    _finished = Signal(int, object)  # ticket, result (None when the read failed)

    def __init__(self, parent: QObject) -> None:
        super().__init__(parent)
        self._callbacks: dict[int, Callable[[Any], None]] = {}
        self._next = 0
        self._finished.connect(self._deliver)  # emitted on a pool thread → queued to this (GUI) thread

    def read(self, job: Callable[[], Any], done: Callable[[Any], None]) -> None:
        self._next += 1
        ticket = self._next
        self._callbacks[ticket] = done
        finished = self._finished

        def run() -> None:
            try:
                result = job()
            except Exception:  # e.g. the workspace was closed meanwhile: nobody needs the answer any more
                result = None
            with contextlib.suppress(RuntimeError):  # the owner is gone
                finished.emit(ticket, result)

        QThreadPool.globalInstance().start(run)

    def _deliver(self, ticket: int, result: Any) -> None:
        done = self._callbacks.pop(ticket, None)
        if done is not None and result is not None:
            done(result)


def wait_for_reads(timeout_ms: int = 3000) -> None:
    """Let running reads finish (before the workspace they read is closed, or their owners deleted)."""
    QThreadPool.globalInstance().waitForDone(timeout_ms)
