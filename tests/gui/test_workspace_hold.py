"""The window's hold on its workspace: kept through a restore from a backup (successful or not) and
through the auto-lock, released when the window closes."""

from __future__ import annotations

import pytest
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QDialog
from pytestqt.qtbot import QtBot

from tests.builders import PASSPHRASE
from tests.gui.conftest import Filled
from tests.gui.dialogs import DialogScript
from xuncha_desktop.domain.record_types import DRAFT
from xuncha_desktop.gui import messages
from xuncha_desktop.gui.auto_lock import controller_of
from xuncha_desktop.gui.dialogs import backup_dialog
from xuncha_desktop.gui.main_window import MainWindow
from xuncha_desktop.services.records.record_service import RecordService
from xuncha_desktop.services.security import backups
from xuncha_desktop.services.workspace import Workspace
from xuncha_desktop.storage.workspace_lock import WorkspaceInUse


def _restore_newest(window: MainWindow, monkeypatch: pytest.MonkeyPatch, passphrase: str | None) -> None:
    monkeypatch.setattr(backup_dialog, "ask_confirm_restore", lambda _p, _b, _name: True)
    monkeypatch.setattr(backup_dialog, "ask_backup_passphrase", lambda _p, _b, error="": passphrase)

    def restore(dialog: backup_dialog.BackupDialog) -> bool:
        dialog.select(0)
        dialog.restore_button.click()
        return dialog.result() == QDialog.DialogCode.Accepted

    monkeypatch.setattr(backup_dialog, "exec_dialog", DialogScript(restore))
    action = window.findChild(QAction, "backupAction")
    assert action is not None
    action.trigger()


def test_a_restore_keeps_others_out_and_the_restored_workspace_holds_it(
    main_window: MainWindow, filled: Filled, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = main_window.workspace
    backups.take_backup(before)
    held_during: list[str] = []
    restore = backups.restore

    def watched(*args: object, **kwargs: object) -> object:
        with pytest.raises(WorkspaceInUse) as refused:  # another program trying now is refused
            Workspace.check_not_in_use(before.path)
        held_during.append(str(refused.value))
        return restore(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(backups, "restore", watched)
    monkeypatch.setattr(messages, "show_info", lambda _p, title, _text: held_during.append(title))
    _restore_newest(main_window, monkeypatch, PASSPHRASE)
    restored = main_window.workspace
    assert restored is not before and before.is_closed
    assert held_during == ["工作库“现场工作库.xcdb”已在本程序中打开，不能同时再打开一次。", "已从备份恢复"]
    with pytest.raises(WorkspaceInUse):
        Workspace.check_not_in_use(restored.path)
    assert RecordService(restored, DRAFT).count() == len(filled.drafts)


def test_a_cancelled_restore_leaves_the_window_holding_its_workspace(
    main_window: MainWindow, filled: Filled, monkeypatch: pytest.MonkeyPatch
) -> None:
    ws = main_window.workspace
    backups.take_backup(ws)
    _restore_newest(main_window, monkeypatch, None)  # the passphrase prompt is cancelled
    assert main_window.workspace is ws and not ws.is_closed
    assert RecordService(ws, DRAFT).count() == len(filled.drafts)  # it reconnects
    with pytest.raises(WorkspaceInUse):
        Workspace.check_not_in_use(ws.path)


def test_the_auto_lock_keeps_the_hold_and_closing_the_window_releases_it(
    main_window: MainWindow, qtbot: QtBot
) -> None:
    ws = main_window.workspace
    controller_of(main_window).lock_action.trigger()
    qtbot.waitUntil(lambda: ws.is_locked)
    with pytest.raises(WorkspaceInUse):  # the key is forgotten, the window still owns the workspace
        Workspace.check_not_in_use(ws.path)
    main_window.close()  # allowed while locked: nothing unsaved
    assert ws.is_closed
    Workspace.check_not_in_use(ws.path)
    with Workspace.open(ws.path, PASSPHRASE) as again:
        assert again.info.workspace_id == ws.info.workspace_id
