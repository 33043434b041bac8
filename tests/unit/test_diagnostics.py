"""The rotating log: where an error happened and what kind it was, never what the records say."""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from xuncha_desktop import diagnostics

SECRET = "王某某违规发放津贴十二万元"  # stands in for record text inside a driver's error message


@pytest.fixture
def log_folder(tmp_path: Path) -> Iterator[Path]:
    folder = tmp_path / "日志"
    yield folder
    diagnostics.close_logging()


def _fail_deep() -> None:
    raise RuntimeError(f"(sqlite3.OperationalError) database or disk is full [parameters: ('{SECRET}',)]")


def test_an_error_is_logged_with_its_place_in_the_code_and_without_its_text(log_folder: Path) -> None:
    target = diagnostics.setup_logging(log_folder)
    assert not log_folder.exists()  # nothing logged yet: nothing written
    try:
        _fail_deep()
    except RuntimeError:
        logging.getLogger("xuncha_desktop.test").exception("保存失败")
    logging.getLogger("xuncha_desktop.test").warning("导入 %s 失败", SECRET)
    text = target.read_text("utf-8")
    assert "保存失败 | builtins.RuntimeError at test_diagnostics.py:" in text
    assert "in _fail_deep <- test_diagnostics.py:" in text
    assert "导入 %s 失败（参数已略去）" in text
    assert SECRET not in text and "parameters" not in text
    assert diagnostics.log_file() == target


def test_an_exception_in_a_thread_is_logged(log_folder: Path) -> None:
    target = diagnostics.setup_logging(log_folder)
    worker = threading.Thread(target=_fail_deep)
    worker.start()
    worker.join()
    text = target.read_text("utf-8")
    assert "未处理的异常 | builtins.RuntimeError at test_diagnostics.py:" in text and SECRET not in text


def test_the_log_rotates(log_folder: Path) -> None:
    target = diagnostics.setup_logging(log_folder, max_bytes=400)
    for n in range(40):
        logging.getLogger("xuncha_desktop.test").error(f"第 {n} 次")
    names = sorted(p.name for p in log_folder.iterdir())
    assert names[0] == target.name and f"{target.name}.1" in names
    assert len(names) == diagnostics.BACKUPS + 1


def test_an_unwritable_log_folder_is_not_an_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    blocker = tmp_path / "不是文件夹"
    blocker.write_text("a file where the folder should be")
    diagnostics.setup_logging(blocker / "日志")
    try:
        logging.getLogger("xuncha_desktop.test").error("写不进去")
    finally:
        diagnostics.close_logging()
    assert capsys.readouterr().err == ""
