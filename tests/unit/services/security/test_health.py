"""health: after opening, quick_check then the daily backup; damage and backup failures are reported, and
stopping gives an interrupted report."""

from __future__ import annotations

from xuncha_desktop.domain.errors import DiskFull
from xuncha_desktop.services.security import backups, health
from xuncha_desktop.services.security.health import StartupCheck, StartupReport
from xuncha_desktop.services.workspace import Workspace


def test_a_sound_workspace_gets_its_daily_backup_once(workspace: Workspace) -> None:
    first = StartupCheck(workspace).run()
    assert not first.damaged and first.backup is not None and first.backup.exists()
    assert StartupCheck(workspace).run().backup is None  # one from today exists


def test_a_damaged_workspace_is_not_backed_up(workspace: Workspace, monkeypatch) -> None:
    monkeypatch.setattr(StartupCheck, "quick_check", lambda self: ["page 3 corrupt"])
    report = StartupCheck(workspace).run()
    assert report.damaged and report.backup is None


def test_a_failed_backup_is_said_in_chinese(workspace: Workspace, monkeypatch) -> None:
    def full(ws: Workspace) -> None:
        raise DiskFull("磁盘空间不足")

    monkeypatch.setattr(backups, "daily_backup", full)
    assert StartupCheck(workspace).run().backup_error == "今天的自动备份未能完成：磁盘空间不足"


def test_a_stopped_check_is_interrupted(workspace: Workspace, monkeypatch) -> None:
    monkeypatch.setattr(health.QuickCheck, "run", lambda self, engine: None)
    assert StartupCheck(workspace).run() == StartupReport(interrupted=True)


def test_damage_text_shows_five_problems_and_counts_the_rest() -> None:
    report = StartupReport(problems=[f"问题{i}" for i in range(7)])
    assert report.damage_text("库") == (
        "工作库“库”的数据库文件检查未通过（问题0；问题1；问题2；问题3；问题4等 7 处），文件可能已损坏。"
    )
