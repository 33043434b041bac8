"""The GUI's opener (the function the window opens a workspace with) under each fault: one Chinese
message naming the cause, no traceback, no record text on stderr or in a log; and when the workspace
opens anyway, its first write or its daily backup says what stopped it."""

from __future__ import annotations

import logging
from contextlib import ExitStack
from pathlib import Path

import pytest

from tests.builders import PASSPHRASE
from tests.faults import report
from tests.faults.places import FAULTS
from tests.faults.world import OFFICE, Snapshot, leaked
from xuncha_desktop.gui import background, messages, workspace_opener
from xuncha_desktop.services.security.health import StartupCheck
from xuncha_desktop.services.workspace import Workspace

pytestmark = pytest.mark.faults

OPEN_FAILED = workspace_opener.OPEN_FAILED
NO_BACKUP = "没有找到该工作库的备份，请联系巡察办。"
# The fault → what the opener shows (title, text), or None when the workspace opens.
SHOWN = {
    "disk_full": "磁盘空间不足，无法写入“{folder}”：请清理该磁盘，或换一个空间足够的位置后重试",
    "disk_full_output": None,
    "disk_full_midway": None,
    "read_only_medium": (
        "“{folder}”所在的磁盘是只读的（如写保护的U盘或光盘），无法写入：请取消写保护，或换一个可写的位置后重试"
    ),
    "read_only_folder": (
        "文件夹“{folder}”只读或没有写入权限：请换一个可写的文件夹，或请管理员开放写入权限后重试"
    ),
    "locked": None,
    "foreign_key_file": (
        "无法打开工作库“巡察办.xcdb”：密钥文件“巡察办.xcdb.key”打不开这个工作库（它可能是另一个工作库的密钥文件，"
        "或工作库文件已损坏），请放回该工作库原来的密钥文件。" + NO_BACKUP
    ),
    "empty_key_file": (
        "无法打开工作库“巡察办.xcdb”：密钥文件“巡察办.xcdb.key”是空文件（0 字节），可能在复制或保存时被截断："
        "请放回该工作库原来的密钥文件。" + NO_BACKUP
    ),
}
# When it opens: what the daily backup reports ("" when it is taken).
BACKUP_ERROR = {
    "disk_full_output": (
        "今天的自动备份未能完成：磁盘空间不足，无法写入“{backups}”：请清理该磁盘，或换一个空间足够的位置后重试"
    ),
    "disk_full_midway": "",
    "locked": "",  # a backup only reads the workspace
}
# When it opens: what its first write shows ("" when it works).
WRITE_ERROR = {
    "disk_full_output": "",
    "disk_full_midway": "",
    "locked": (
        "工作库“巡察办.xcdb”正被另一个程序写入（数据库已锁定）：请等它完成，"
        "或关闭同时使用该工作库的其他窗口或程序后重试"
    ),
}


def _first_write(ws: Workspace) -> str:
    """What the GUI shows when a save fails (background.error_text), or "" when it works."""
    try:
        with ws.writing() as writer:
            writer.log("fault_test")
    except Exception as exc:
        return background.error_text(exc)
    return ""


@pytest.mark.parametrize("fault", sorted(SHOWN))
def test_opener_under_fault(
    fault: str,
    tmp_path: Path,
    fault_template: Path,
    fault_snapshot: Snapshot,
    qapp: object,
    capfd: pytest.CaptureFixture[str],
    caplog: pytest.LogCaptureFixture,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    caplog.set_level(logging.WARNING)
    shown: list[tuple[str, str]] = []
    monkeypatch.setattr(messages, "show_error", lambda parent, title, text: shown.append((title, text)))
    backup_error = write_error = None
    with ExitStack() as mounts:
        with FAULTS[fault](tmp_path, fault_template, mounts) as place:
            opened = workspace_opener.open_workspace(None, place.office, PASSPHRASE)
            if opened is not None:
                with opened:
                    backup_error = StartupCheck(opened).run().backup_error
                    write_error = _first_write(opened)
        report.tried(f"GUI opener: {fault}", "open_workspace")
        expected = SHOWN[fault]
        if expected is None:
            assert opened is not None and shown == []
            assert backup_error == BACKUP_ERROR[fault].format(backups=place.folder / "备份")
            assert write_error == WRITE_ERROR[fault]
        else:
            assert opened is None
            assert shown == [(OPEN_FAILED, expected.format(folder=place.folder))]
            fault_snapshot.assert_unchanged(place.folder, OFFICE)
    err = capfd.readouterr().err
    for text in (err, caplog.text, *(t for _, t in shown), backup_error or "", write_error or ""):
        assert "Traceback" not in text and leaked(text) == []
