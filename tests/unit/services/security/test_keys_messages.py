"""What a person is told when a workspace cannot be opened, with and without a backup to offer."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from xuncha_desktop.services.security.keys import damaged_message
from xuncha_desktop.storage.backup import BackupInfo


def test_a_damaged_workspace_without_backups_says_whom_to_ask() -> None:
    message = damaged_message(Path("甲/现场工作库.xcdb"), "文件头损坏。", [])
    assert message == "无法打开工作库“现场工作库.xcdb”：文件头损坏。没有找到该工作库的备份，请联系巡察办。"


def test_a_damaged_workspace_offers_the_newest_backup() -> None:
    newest = BackupInfo(
        Path("备份/现场工作库.每日-20250630-080000.xcdb"), datetime(2025, 6, 30, 8, 0), "每日"
    )
    older = BackupInfo(Path("备份/现场工作库.手动-20250629-080000.xcdb"), datetime(2025, 6, 29, 8, 0), "手动")
    message = damaged_message(Path("现场工作库.xcdb"), ValueError("不是数据库"), [newest, older])
    assert message == (
        "无法打开工作库“现场工作库.xcdb”：不是数据库。可以从最新的备份恢复："
        f"{newest.description}，文件“现场工作库.每日-20250630-080000.xcdb”（共 2 份备份）。"
        "恢复时请输入备份当时使用的口令。"
    )
    assert newest.description == "2025-06-30 08:00（每日）"
