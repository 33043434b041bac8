"""Opening a workspace from the GUI: passphrase retries, creating a missing file, Chinese error messages."""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QSettings, QThreadPool
from PySide6.QtWidgets import QDialog, QLabel
from pytestqt.qtbot import QtBot

from tests.builders import PASSPHRASE, make_context
from tests.gui.dialogs import DialogScript
from xuncha_desktop.domain.record_types import INTERVIEW
from xuncha_desktop.gui import messages, workspace_opener
from xuncha_desktop.gui.dialogs import backup_dialog, passphrase_dialog
from xuncha_desktop.gui.dialogs.backup_dialog import BackupDialog
from xuncha_desktop.gui.dialogs.passphrase_dialog import FORGOT_TITLE, Credentials, PassphraseDialog
from xuncha_desktop.gui.main_window import MainWindow
from xuncha_desktop.gui.workspace_opener import open_workspace
from xuncha_desktop.services.records.record_service import RecordService
from xuncha_desktop.services.security import backups, keys
from xuncha_desktop.services.security.health import StartupCheck, StartupReport
from xuncha_desktop.services.security.sign_in_attempts import AttemptGuard, attempts_path
from xuncha_desktop.services.workspace import Workspace
from xuncha_desktop.storage.backup import list_backups
from xuncha_desktop.storage.keyfile import KdfParams
from xuncha_desktop.storage.workspace_lock import LockOwner, owner_path

LEADER = "管理员"  # the login of the `workspace` fixture's first user


def _answers(*values: str | None, who: str = LEADER) -> tuple[list[str], object]:
    """A stand-in for the sign-in dialog: gives `who` with each passphrase of `values` in turn (None:
    cancel) and keeps the error shown each time."""
    errors: list[str] = []
    queue: Iterator[str | None] = iter(values)

    def ask(parent: object, path: Path, error: str = "", login: str = "") -> Credentials | None:
        errors.append(error)
        secret = next(queue)
        return None if secret is None else Credentials(who, secret)

    return errors, ask


@pytest.fixture
def existing(workspace: Workspace) -> Path:
    workspace.close()
    return workspace.path


def test_a_given_passphrase_opens_without_asking(existing: Path) -> None:
    with open_workspace(None, existing, PASSPHRASE) as opened:  # type: ignore[union-attr]
        assert opened.path == existing


def test_a_wrong_passphrase_is_explained_and_asked_again(
    existing: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    errors, ask = _answers("还是不对的口令", PASSPHRASE)
    monkeypatch.setattr(passphrase_dialog, "ask_passphrase", ask)
    opened = open_workspace(None, existing, "错误的口令")
    assert opened is not None
    opened.close()
    assert errors == ["口令不正确，请重新输入。", "口令不正确，请重新输入。"]


def test_cancelling_the_passphrase_gives_up(existing: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    errors, ask = _answers(None)
    monkeypatch.setattr(passphrase_dialog, "ask_passphrase", ask)
    assert open_workspace(None, existing) is None
    assert errors == [""]


def test_a_file_that_is_not_a_workspace_shows_a_chinese_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    plain = tmp_path / "普通文件.xcdb"
    plain.write_bytes(b"SQLite format 3\x00" + bytes(100))
    shown: list[tuple[str, str]] = []
    monkeypatch.setattr(messages, "show_error", lambda parent, title, text: shown.append((title, text)))
    assert open_workspace(None, plain, PASSPHRASE) is None
    assert shown == [
        (
            "无法打开工作库",
            "无法打开工作库“普通文件.xcdb”：找不到密钥文件“普通文件.xcdb.key”。"
            "没有找到该工作库的备份，请联系巡察办。",
        )
    ]


def test_a_workspace_open_elsewhere_is_named_without_asking_for_a_passphrase(
    workspace: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The lock is held (here by this process); the owner record is the one another program wrote.
    owner = LockOwner("张三", "LAPTOP-01", os.getpid() + 1, datetime(2026, 12, 7, 9, 12, 40))
    owner_path(workspace.path).write_text(owner.to_json(), encoding="utf-8")
    shown: list[tuple[str, str]] = []
    monkeypatch.setattr(messages, "show_error", lambda parent, title, text: shown.append((title, text)))
    monkeypatch.setattr(
        passphrase_dialog, "ask_passphrase", lambda *a, **kw: pytest.fail("asked for a passphrase")
    )
    assert open_workspace(None, workspace.path) is None
    assert open_workspace(None, workspace.path, PASSPHRASE) is None
    text = (
        "工作库“现场工作库.xcdb”正由 张三（电脑 LAPTOP-01）自 2026-12-07 09:12 起使用，"
        "请先关闭那边的程序再打开。"
    )
    assert shown == [("无法打开工作库", text)] * 2
    assert RecordService(workspace, INTERVIEW).count() == 0  # the holder is untouched


def test_a_missing_file_is_created_after_asking(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, opener_settings: QSettings
) -> None:
    path = tmp_path / "新工作库.xcdb"
    create = Workspace.create.__func__  # type: ignore[attr-defined]
    monkeypatch.setattr(  # the real key derivation takes seconds: cheap parameters for the test
        Workspace, "create", classmethod(lambda cls, *a, **kw: create(cls, *a, kdf=KdfParams.cheap(), **kw))
    )
    monkeypatch.setattr(messages, "ask_create_workspace", lambda parent, p: p == path)
    errors: list[str] = []
    typed = iter(["短口令", PASSPHRASE])

    def ask(parent: object, p: Path, error: str = "") -> str:
        errors.append(error)
        return next(typed)

    monkeypatch.setattr(passphrase_dialog, "ask_new_passphrase", ask)
    created = open_workspace(None, path, user="李明", settings=opener_settings)
    assert created is not None
    with created:
        assert created.user.display_name == "李明"
    assert errors == ["", "口令至少需要8个字符"]
    assert workspace_opener.last_login(opener_settings) == "李明"  # prefilled at the next start
    with Workspace.open(path, PASSPHRASE) as reopened:
        assert reopened.path == path


def test_declining_to_create_leaves_no_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "新工作库.xcdb"
    monkeypatch.setattr(messages, "ask_create_workspace", lambda parent, p: False)
    assert open_workspace(None, path) is None
    assert not path.exists()


# -- wrong passphrases, waits and damaged files ------------------------------------------------------------
@pytest.fixture(autouse=True)
def no_background_left() -> Iterator[None]:
    yield
    assert QThreadPool.globalInstance().waitForDone(10_000)


def test_a_second_wrong_passphrase_makes_the_next_attempt_count_down(
    existing: Path, monkeypatch: pytest.MonkeyPatch, qtbot: QtBot
) -> None:
    errors, ask = _answers("错误的口令-1", "错误的口令-2")
    monkeypatch.setattr(passphrase_dialog, "ask_passphrase", ask)
    seen: dict[str, Any] = {}

    def look(dialog: PassphraseDialog) -> bool:
        seen.update(
            error=dialog.error_text(),
            countdown=dialog.countdown_text(),
            unlock=dialog.ok_button.isEnabled(),
            label=dialog.ok_button.text(),
        )
        return False  # the user gives up

    script = DialogScript(look)
    monkeypatch.setattr(workspace_opener, "exec_dialog", script)
    guard = AttemptGuard(schedule=lambda n: 0.0 if n < 2 else 30.0)
    assert open_workspace(None, existing, guard=guard) is None
    assert errors == ["", "口令不正确，请重新输入。"]
    assert seen["error"] == "口令不正确（已连续输错 2 次，请 30 秒后再试）。"
    assert seen["countdown"] in (
        "为防止他人猜测口令，请等待 30 秒后再输入。",
        "为防止他人猜测口令，请等待 29 秒后再输入。",
    )
    assert seen["unlock"] is False and seen["label"] == "解锁"
    assert attempts_path(existing).is_file()


def test_after_the_wait_the_right_passphrase_opens(
    existing: Path, monkeypatch: pytest.MonkeyPatch, qtbot: QtBot
) -> None:
    wrong = Credentials(LEADER, "错误的口令")
    monkeypatch.setattr(passphrase_dialog, "ask_passphrase", lambda parent, path, error="", login="": wrong)

    def wait_then_unlock(dialog: PassphraseDialog) -> bool:
        assert dialog.waiting() and not dialog.ok_button.isEnabled()
        qtbot.waitUntil(lambda: dialog.ok_button.isEnabled(), timeout=5000)
        assert dialog.countdown_text() == "现在可以重新输入口令。"
        qtbot.keyClicks(dialog.passphrase_edit, "secret-1")
        dialog.passphrase_edit.clear()
        dialog.passphrase_edit.setText(PASSPHRASE)  # Chinese text cannot be typed by keyClicks
        dialog.ok_button.click()
        return dialog.result() == QDialog.DialogCode.Accepted

    monkeypatch.setattr(workspace_opener, "exec_dialog", DialogScript(wait_then_unlock))
    guard = AttemptGuard(schedule=lambda n: 1.0)
    opened = open_workspace(None, existing, guard=guard)
    assert opened is not None
    opened.close()
    assert not attempts_path(existing).exists()  # a success resets the count


def test_forgotten_passphrase_is_explained(qtbot: QtBot, monkeypatch: pytest.MonkeyPatch) -> None:
    shown: list[tuple[str, str]] = []
    monkeypatch.setattr(messages, "show_info", lambda parent, title, text: shown.append((title, text)))
    dialog = PassphraseDialog("请输入口令：", key_file_name="现场.xcdb.key")
    qtbot.addWidget(dialog)
    dialog.forgot_button.click()
    [(title, text)] = shown
    assert title == FORGOT_TITLE
    assert "“现场.xcdb.key”" in text and "安全 → 恢复现场工作库口令" in text
    new = PassphraseDialog("新口令：", confirm=True)
    qtbot.addWidget(new)
    assert not new.forgot_button.isVisibleTo(new)


def _damaged_with_backup(workspace: Workspace) -> Path:
    """A workspace with one backup, then cut short as a failing disk or an interrupted copy would."""
    make_context(workspace)
    taken = backups.take_backup(workspace)
    _cut_short(workspace)
    return taken


def _cut_short(workspace: Workspace) -> None:
    workspace.close()
    for leftover in (Path(f"{workspace.path}-wal"), Path(f"{workspace.path}-shm")):
        leftover.unlink(missing_ok=True)
    workspace.path.write_bytes(workspace.path.read_bytes()[:4096])


def test_a_damaged_file_offers_its_backups_and_restoring_opens_it(
    workspace: Workspace, monkeypatch: pytest.MonkeyPatch, qtbot: QtBot
) -> None:
    taken = _damaged_with_backup(workspace)
    infos: list[tuple[str, str]] = []
    monkeypatch.setattr(messages, "show_info", lambda parent, title, text: infos.append((title, text)))

    def pick_newest(dialog: BackupDialog) -> bool:
        assert "可以从最新的备份恢复" in dialog.findChild(QLabel, "messageLabel").text()
        assert [b.path for b in dialog.backups()] == [taken] and dialog.selected() is not None
        assert not dialog.backup_button.isVisibleTo(dialog)
        dialog.restore_button.click()
        return dialog.result() == QDialog.DialogCode.Accepted

    monkeypatch.setattr(backup_dialog, "exec_dialog", DialogScript(pick_newest))
    opened = open_workspace(None, workspace.path, PASSPHRASE)
    assert opened is not None
    with opened:
        assert opened.info.incarnation == 2
    [(title, text)] = infos
    assert title == "已从备份恢复" and "由第 1 代变为第 2 代" in text and taken.name in text
    assert any(p.name.startswith(f"{workspace.path.name}.恢复前-") for p in workspace.path.parent.iterdir())


def test_restoring_asks_again_when_the_backup_had_another_passphrase(
    workspace: Workspace, monkeypatch: pytest.MonkeyPatch, qtbot: QtBot
) -> None:
    make_context(workspace)
    backups.take_backup(workspace)
    newer = "改过的口令-2025"
    keys.change_passphrase(workspace.path, PASSPHRASE, newer, kdf=KdfParams.cheap())
    _cut_short(workspace)
    monkeypatch.setattr(messages, "show_info", lambda parent, title, text: None)
    monkeypatch.setattr(backup_dialog, "exec_dialog", DialogScript(lambda d: True))
    asked: list[str] = []

    def ask(parent: object, backup: object, error: str = "") -> str:
        asked.append(error)
        return PASSPHRASE

    monkeypatch.setattr(backup_dialog, "ask_backup_passphrase", ask)
    opened = open_workspace(None, workspace.path, newer)  # opens the key file, then finds the damage
    assert opened is not None
    opened.close()
    assert asked == [backup_dialog.WRONG_BACKUP_PASSPHRASE]


def test_the_start_checks_the_file_and_takes_the_daily_backup(main_window: MainWindow, qtbot: QtBot) -> None:
    assert list_backups(main_window.workspace.path) == []
    workspace_opener.check_after_start(main_window)
    qtbot.waitUntil(
        lambda: "已完成今天的自动备份" in main_window.statusBar().currentMessage(), timeout=10_000
    )
    assert len(list_backups(main_window.workspace.path)) == 1


def test_damage_found_after_the_start_offers_the_backups(
    main_window: MainWindow, monkeypatch: pytest.MonkeyPatch, qtbot: QtBot
) -> None:
    backups.take_backup(main_window.workspace)
    asked: list[str] = []
    monkeypatch.setattr(
        workspace_opener, "ask_restore_damaged", lambda parent, text: asked.append(text) or True
    )
    script = DialogScript(lambda dialog: False)
    monkeypatch.setattr(backup_dialog, "exec_dialog", script)
    report = StartupReport(
        problems=["*** in database main ***", "Page 7: btreeInitPage() returns error code 11"]
    )
    workspace_opener.show_check_result(main_window, main_window.workspace, report)
    assert asked and "数据库文件检查未通过" in asked[0] and "Page 7" in asked[0]
    [shown] = script.dialogs
    assert shown.windowTitle() == "备份与恢复" and len(shown.backups()) == 1


def test_the_quick_check_finds_a_damaged_page(workspace: Workspace) -> None:
    make_context(workspace)
    assert StartupCheck(workspace).quick_check() == []
    with workspace.engine.connect() as conn:  # a page of data, not of the schema (which opening reads)
        page = conn.exec_driver_sql("SELECT rootpage FROM sqlite_master WHERE name = 'target_units'").scalar()
    path = workspace.path
    workspace.close()
    data = bytearray(path.read_bytes())
    start = (page - 1) * 4096
    data[start + 100 : start + 200] = bytes(100)
    path.write_bytes(bytes(data))
    with Workspace.open(path, PASSPHRASE) as reopened:
        report = StartupCheck(reopened).run()
    assert report.damaged and report.backup is None
    assert "数据库文件检查未通过" in report.damage_text(path.name)


def test_a_stopped_check_reports_nothing(workspace: Workspace) -> None:
    check = StartupCheck(workspace)
    check.stop()
    assert check.run().interrupted
