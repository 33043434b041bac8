"""services.failures: one Chinese line for any failure; an unexpected one named by class and place only."""

from __future__ import annotations

import errno
from pathlib import Path

from xuncha_desktop.domain.errors import WorkspaceError
from xuncha_desktop.services.failures import is_unexpected, unexpected_message, user_message, where


def _raised(exc: BaseException) -> BaseException:
    try:
        raise exc
    except BaseException as caught:
        return caught


def test_a_known_failure_says_its_own_message() -> None:
    exc = _raised(WorkspaceError("工作库已被锁定"))
    assert user_message(exc) == "工作库已被锁定"
    assert not is_unexpected(exc)


def test_a_disk_failure_is_translated_not_unexpected(tmp_path: Path) -> None:
    exc = _raised(OSError(errno.ENOSPC, "No space left on device"))
    assert not is_unexpected(exc, tmp_path / "a.xcdb")
    assert "磁盘" in user_message(exc, tmp_path / "a.xcdb")


def test_an_unexpected_failure_hides_its_text_and_names_the_place() -> None:
    exc = _raised(ValueError("张三 举报 李四"))
    message = user_message(exc)
    assert is_unexpected(exc)
    assert message == unexpected_message(exc)
    assert "张三" not in message and "ValueError" in message
    assert f"位于 {where(exc)}" in message and where(exc).startswith("test_failures.py:")


def test_without_a_traceback_the_place_is_unknown() -> None:
    assert where(ValueError("x")) == "位置未知"
