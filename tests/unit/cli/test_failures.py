"""cli.failures: a failure ends the command with one Chinese line and exit code 1, never a traceback, and a
closed output pipe is said as such."""

from __future__ import annotations

import pytest

from xuncha_desktop.cli import failures
from xuncha_desktop.cli.failures import EXIT_DATA_ERROR, EXIT_INTERRUPTED, fail, finish_output, guarded
from xuncha_desktop.domain.errors import WorkspaceError


def _raise(exc: BaseException):
    def command() -> int:
        raise exc

    return command


def test_success_passes_the_exit_code_through() -> None:
    assert guarded(lambda: 3, None) == 3


def test_a_known_failure_is_one_line_in_its_own_words(capsys) -> None:
    assert guarded(_raise(WorkspaceError("找不到工作库\n文件")), None) == EXIT_DATA_ERROR
    assert capsys.readouterr().err == "错误：找不到工作库 文件\n"


def test_an_unexpected_failure_is_logged_and_never_shows_its_text(capsys, monkeypatch) -> None:
    logged = []
    monkeypatch.setattr(failures, "log_unexpected", lambda *a: logged.append(a[0]))
    assert guarded(_raise(KeyError("张三的电话")), None) == EXIT_DATA_ERROR
    err = capsys.readouterr().err
    assert "张三" not in err and "KeyError" in err and logged == [KeyError]


def test_ctrl_c_is_a_cancel_with_its_own_code(capsys) -> None:
    assert guarded(_raise(KeyboardInterrupt()), None) == EXIT_INTERRUPTED
    assert capsys.readouterr().err == "错误：操作已取消\n"


def test_a_broken_pipe_is_left_for_finish_output() -> None:
    with pytest.raises(BrokenPipeError):
        guarded(_raise(BrokenPipeError()), None)


def test_finish_output_says_the_pipe_was_closed(capsys, monkeypatch) -> None:
    monkeypatch.setattr(failures.os, "dup2", lambda *a: None)
    assert finish_output(_raise(BrokenPipeError())) == EXIT_DATA_ERROR
    assert capsys.readouterr().err == f"错误：{failures.OUTPUT_CLOSED}\n"
    assert finish_output(lambda: 0) == 0


def test_fail_survives_a_closed_stderr(monkeypatch) -> None:
    class Closed:
        def write(self, text: str) -> int:
            raise ValueError("I/O operation on closed file")

    monkeypatch.setattr(failures.sys, "stderr", Closed())
    fail("仍然不抛出")
