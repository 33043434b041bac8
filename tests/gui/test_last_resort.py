"""The GUI's last resort for uncaught exceptions and failed background jobs: one Chinese line with the
exception's class and place, on stderr and in a message box; never its text or a traceback."""

from __future__ import annotations

import logging
import re
import sys
import threading

import pytest
from pytestqt.qtbot import QtBot

from xuncha_desktop.gui import background, last_resort, messages
from xuncha_desktop.gui.background import run_with_progress
from xuncha_desktop.services.progress import Progress

MARKER = "界面测试记录正文龙井茶"
LINE = (
    r"发生了意外错误（ValueError，位于 [\w/]+\.py:\d+），操作未完成；"
    r"请记下这一行告知技术支持，然后重新打开程序再试"
)


def _fail(*_: object) -> None:
    raise ValueError(f"无法保存“{MARKER}”")


@pytest.fixture
def shown(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, str]]:
    boxes: list[tuple[str, str]] = []
    monkeypatch.setattr(messages, "show_error", lambda parent, title, text: boxes.append((title, text)))
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)  # restored after the test
    monkeypatch.setattr(threading, "excepthook", threading.excepthook)
    last_resort.install()
    return boxes


def test_an_uncaught_exception_is_one_line_and_a_box(
    qapp: object, shown: list[tuple[str, str]], capfd: pytest.CaptureFixture[str]
) -> None:
    try:
        _fail()
    except ValueError as exc:
        sys.excepthook(type(exc), exc, exc.__traceback__)
    err = capfd.readouterr().err
    assert re.fullmatch(f"错误：{LINE}\n", err), err
    [(title, text)] = shown
    assert title == "发生错误" and re.fullmatch(LINE, text)


def test_an_uncaught_exception_on_another_thread_is_one_line(
    qapp: object, shown: list[tuple[str, str]], capfd: pytest.CaptureFixture[str]
) -> None:
    worker = threading.Thread(target=_fail)
    worker.start()
    worker.join()
    err = capfd.readouterr().err
    assert re.fullmatch(f"错误：{LINE}\n", err), err
    assert shown == []  # no message box from a thread that is not the GUI's


def test_a_failed_background_job_logs_no_exception_text(
    qtbot: QtBot, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    boxes: list[tuple[str, str]] = []
    monkeypatch.setattr(messages, "show_error", lambda parent, title, text: boxes.append((title, text)))

    def job(progress: Progress) -> None:
        _fail()

    with caplog.at_level(logging.DEBUG, logger=background.log.name):
        run_with_progress(None, "导出台账", job, print)
        qtbot.waitUntil(lambda: bool(boxes), timeout=5000)
    [(title, text)] = boxes
    assert title == "导出台账" and re.fullmatch(LINE, text)
    assert MARKER not in caplog.text and "Traceback" not in caplog.text
    assert [r.getMessage() for r in caplog.records] == [f"后台任务未完成：{text}"]
