"""Background jobs: progress, success, failure and cancel reach the GUI thread; jobs run one at a time."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from typing import Any

import pytest
from PySide6.QtCore import QThread, QThreadPool
from PySide6.QtWidgets import QApplication, QProgressDialog, QPushButton, QWidget
from pytestqt.qtbot import QtBot

from xuncha_desktop.domain.errors import XunchaError
from xuncha_desktop.gui import background
from xuncha_desktop.gui.background import BackgroundTask, run_and_wait, run_with_progress
from xuncha_desktop.services.progress import Cancelled, Progress


@pytest.fixture(autouse=True)
def no_leftover_threads() -> Iterator[None]:
    yield
    assert QThreadPool.globalInstance().waitForDone(5000)


@pytest.fixture
def parent(qtbot: QtBot) -> QWidget:
    widget = QWidget()
    qtbot.addWidget(widget)
    return widget


def on_gui_thread() -> bool:
    app = QApplication.instance()
    return app is not None and QThread.currentThread() is app.thread()


def wait_until_cancelled(progress: Progress) -> str:
    """A job that runs until the user presses 取消."""
    for _ in range(500):
        progress.check_cancelled()
        threading.Event().wait(0.01)
    return "never cancelled"


def test_task_reports_progress_then_result_on_the_gui_thread(qtbot: QtBot) -> None:
    def job(progress: Progress) -> int:
        assert not on_gui_thread()
        progress.report(1, 2, "第一步")
        progress.report(2, 2, "第二步")
        return 42

    task: BackgroundTask[int] = BackgroundTask(job)
    seen: list[tuple[int, int, str, bool]] = []
    task.signals.progressed.connect(lambda d, t, m: seen.append((d, t, m, on_gui_thread())))
    with qtbot.waitSignal(task.signals.succeeded, timeout=5000) as blocker:
        QThreadPool.globalInstance().start(task)
    assert blocker.args == [42]
    assert seen == [(1, 2, "第一步", True), (2, 2, "第二步", True)]


def test_task_failure_arrives_as_the_failed_signal(qtbot: QtBot) -> None:
    def job(progress: Progress) -> None:
        raise XunchaError("工作包已损坏")

    task: BackgroundTask[None] = BackgroundTask(job)
    with qtbot.waitSignal(task.signals.failed, timeout=5000) as blocker:
        QThreadPool.globalInstance().start(task)
    [error] = blocker.args
    assert isinstance(error, XunchaError) and str(error) == "工作包已损坏"


def test_cancelled_task_emits_cancelled(qtbot: QtBot) -> None:
    task: BackgroundTask[str] = BackgroundTask(wait_until_cancelled)
    with qtbot.waitSignal(task.signals.cancelled, timeout=5000):
        QThreadPool.globalInstance().start(task)
        task.cancel()


def test_run_with_progress_hands_the_result_to_on_success(
    qtbot: QtBot, parent: QWidget, errors: list[tuple[str, str]]
) -> None:
    results: list[str] = []
    run_with_progress(parent, "导出工作包", lambda progress: "完成", results.append)
    qtbot.waitUntil(lambda: results == ["完成"], timeout=5000)
    assert errors == []
    assert parent.findChild(QProgressDialog) is None or not parent.findChild(QProgressDialog).isVisible()


def test_run_with_progress_shows_the_chinese_message_of_a_failure(
    qtbot: QtBot, parent: QWidget, errors: list[tuple[str, str]]
) -> None:
    def job(progress: Progress) -> None:
        raise XunchaError("本工作库尚未由巡察办配置")

    results: list[Any] = []
    run_with_progress(parent, "导出工作包", job, results.append)
    qtbot.waitUntil(lambda: bool(errors), timeout=5000)
    assert errors == [("导出工作包", "本工作库尚未由巡察办配置")]
    assert results == []


def test_run_with_progress_passes_failures_to_on_failure_when_given(
    qtbot: QtBot, parent: QWidget, errors: list[tuple[str, str]]
) -> None:
    failures: list[BaseException] = []
    run_with_progress(parent, "导入", lambda progress: 1 / 0, print, failures.append)
    qtbot.waitUntil(lambda: bool(failures), timeout=5000)
    assert isinstance(failures[0], ZeroDivisionError) and errors == []
    assert "意外错误" in background.error_text(failures[0])


def test_cancel_button_closes_quietly(qtbot: QtBot, parent: QWidget, errors: list[tuple[str, str]]) -> None:
    results: list[str] = []
    task = run_with_progress(parent, "导入工作包", wait_until_cancelled, results.append)
    dialog = parent.findChild(QProgressDialog)
    assert dialog is not None and dialog.labelText() == "导入工作包"
    with qtbot.waitSignal(task.signals.cancelled, timeout=5000):
        [button] = [b for b in dialog.findChildren(QPushButton) if b.text() == "取消"]
        button.click()
    assert results == [] and errors == []


def test_jobs_run_one_at_a_time(qtbot: QtBot, parent: QWidget, errors: list[tuple[str, str]]) -> None:
    running, most = [0], [0]
    guard = threading.Lock()
    finished: list[int] = []

    def job(n: int) -> Any:
        def run(progress: Progress) -> int:
            with guard:
                running[0] += 1
                most[0] = max(most[0], running[0])
            threading.Event().wait(0.05)
            with guard:
                running[0] -= 1
            return n

        return run

    for n in range(3):
        run_with_progress(parent, "写入", job(n), finished.append)
    qtbot.waitUntil(lambda: len(finished) == 3, timeout=5000)
    assert most[0] == 1 and sorted(finished) == [0, 1, 2]


def test_run_and_wait_returns_the_result_on_the_gui_thread(qtbot: QtBot, parent: QWidget) -> None:
    def job(progress: Progress) -> bool:
        progress.report(1, 1, "完成")
        return on_gui_thread()

    assert run_and_wait(parent, "预览", job) is False


def test_run_and_wait_raises_the_jobs_error_here(qtbot: QtBot, parent: QWidget) -> None:
    def job(progress: Progress) -> None:
        raise XunchaError("配置码不正确")

    with pytest.raises(XunchaError, match="配置码不正确"):
        run_and_wait(parent, "预览", job)


def test_run_and_wait_raises_cancelled(qtbot: QtBot, parent: QWidget) -> None:
    def job(progress: Progress) -> None:
        raise Cancelled

    with pytest.raises(Cancelled):
        run_and_wait(parent, "预览", job)
