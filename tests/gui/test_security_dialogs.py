"""The 安全 menu on real widgets: 修改口令, 巡察办恢复密钥, 备份与恢复 and 清理工作库 (dialogs' exec and file
dialogs replaced; services and background jobs real)."""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QSettings, QThreadPool
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QDialog
from pytestqt.qtbot import QtBot

from tests.builders import PASSPHRASE, draft
from tests.gui.conftest import Filled
from tests.gui.dialogs import DialogScript
from tests.gui.keys import ime_commit, type_text
from tests.sync_helpers import World
from xuncha_desktop.domain.errors import WrongPassphrase
from xuncha_desktop.domain.organization import User
from xuncha_desktop.domain.record_types import DRAFT, USER
from xuncha_desktop.gui import messages
from xuncha_desktop.gui.dialogs import (
    backup_dialog,
    passphrase_change_dialog,
    passphrase_dialog,
    recovery_dialog,
    wipe_dialog,
)
from xuncha_desktop.gui.dialogs.passphrase_dialog import Credentials
from xuncha_desktop.gui.main_window import MainWindow
from xuncha_desktop.services import sync
from xuncha_desktop.services.records.record_service import RecordService
from xuncha_desktop.services.security.audit_log import AuditLog, AuditQuery
from xuncha_desktop.services.workspace import Workspace
from xuncha_desktop.storage.backup import list_backups
from xuncha_desktop.storage.keyfile import KdfParams, keyfile_path

NEW = "new-pass-2025"


@pytest.fixture(autouse=True)
def cheap_keys(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setattr(passphrase_change_dialog, "KDF", KdfParams.cheap())
    monkeypatch.setattr(recovery_dialog, "KDF", KdfParams.cheap())
    for module in (passphrase_change_dialog, backup_dialog, wipe_dialog):
        monkeypatch.setattr(module, "exec_dialog", DialogScript())  # fails on an unexpected dialog
    yield
    assert QThreadPool.globalInstance().waitForDone(10_000)


@pytest.fixture
def infos(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, str]]:
    shown: list[tuple[str, str]] = []
    monkeypatch.setattr(messages, "show_info", lambda _parent, title, text: shown.append((title, text)))
    return shown


@pytest.fixture
def make_window(qtbot: QtBot, ui_settings: QSettings) -> Iterator[Callable[[Workspace], MainWindow]]:
    made: list[MainWindow] = []

    def make(ws: Workspace) -> MainWindow:
        window = MainWindow(ws, settings=ui_settings, recover=False)
        window.show()
        made.append(window)
        return window

    yield make
    for window in made:
        if window.isVisible():
            window.close()
        window.deleteLater()


def trigger(window: MainWindow, name: str) -> None:
    action = window.findChild(QAction, name)
    assert action is not None and action.isVisible(), name
    action.trigger()


def script(monkeypatch: pytest.MonkeyPatch, module: Any, *answers: Callable[[Any], bool]) -> DialogScript:
    done = DialogScript(*answers)
    monkeypatch.setattr(module, "exec_dialog", done)
    return done


# -- 修改口令 ---------------------------------------------------------------------------------------------
def test_change_passphrase_checks_the_old_one_and_the_new_one_opens(
    main_window: MainWindow, monkeypatch: pytest.MonkeyPatch, qtbot: QtBot, infos: list[tuple[str, str]]
) -> None:
    def change(dialog: passphrase_change_dialog.PassphraseChangeDialog) -> bool:
        qtbot.keyClicks(dialog.new_edit, "short")
        assert dialog.hint_text().startswith("口令至少需要8个字符")
        type_text(dialog.old_edit, "错误的旧口令")
        qtbot.keyClicks(dialog.confirm_edit, "short")
        dialog.ok_button.click()
        assert dialog.error_text() == "新口令不符合要求：口令至少需要8个字符"
        dialog.new_edit.clear()
        qtbot.keyClicks(dialog.new_edit, NEW)
        assert dialog.hint_text() == "新口令长度符合要求（至少8个字符）。"
        qtbot.keyClicks(dialog.confirm_edit, NEW)
        dialog.ok_button.click()
        assert dialog.error_text() == "两次输入的新口令不一致，请重新输入"
        qtbot.keyClicks(dialog.confirm_edit, NEW)
        dialog.ok_button.click()  # the old passphrase is wrong: checked in the background
        assert dialog.error_text() == "原口令不正确，请重新输入" and dialog.old_edit.text() == ""
        assert dialog.result() != QDialog.DialogCode.Accepted
        type_text(dialog.old_edit, PASSPHRASE)
        dialog.ok_button.click()
        return dialog.result() == QDialog.DialogCode.Accepted

    script(monkeypatch, passphrase_change_dialog, change)
    trigger(main_window, "changePassphraseAction")
    assert infos == [("修改口令", passphrase_change_dialog.DONE)]
    path = main_window.workspace.path
    [entry] = AuditLog(main_window.workspace).list(AuditQuery(action="passphrase"))
    assert entry.user == main_window.workspace.user.login
    held = main_window.workspace.file_lock  # the window keeps the workspace: a second open shares its hold
    with pytest.raises(WrongPassphrase):
        Workspace.open(path, PASSPHRASE, lock=held)
    with Workspace.open(path, NEW, lock=held) as reopened:
        assert reopened.info.workspace_id == main_window.workspace.info.workspace_id


# -- 巡察办恢复密钥 ---------------------------------------------------------------------------------------
def test_the_recovery_key_status_is_explained(
    world: World, workspace: Workspace, make_window: Callable[[Workspace], MainWindow], infos: list[Any]
) -> None:
    trigger(make_window(world.fields[0]), "officeRecoveryAction")
    trigger(make_window(workspace), "officeRecoveryAction")
    (_, provisioned), (_, bare) = infos
    assert provisioned.startswith("本工作库已有巡察办恢复密钥") and "组员1.xcdb.key" in provisioned
    assert bare.startswith("本工作库还没有巡察办恢复密钥")


def test_the_office_gives_a_field_key_file_a_new_passphrase(
    world: World,
    make_window: Callable[[Workspace], MainWindow],
    monkeypatch: pytest.MonkeyPatch,
    infos: list[tuple[str, str]],
) -> None:
    laptop_path = world.fields[0].path
    world.fields.pop(0).close()
    office = make_window(world.office)
    assert not office.findChild(QAction, "wipeAction").isVisible()
    assert not office.findChild(QAction, "officeRecoveryAction").isVisible()
    monkeypatch.setattr(recovery_dialog, "ask_key_file", lambda _parent, _start: keyfile_path(laptop_path))
    asked: list[str] = []
    answers = iter(["短", "新的口令-2025-现场"])
    monkeypatch.setattr(
        recovery_dialog, "ask_new_passphrase", lambda _p, _k, error="": asked.append(error) or next(answers)
    )
    trigger(office, "recoverFieldAction")
    assert asked == ["", "口令至少需要8个字符"]
    [(title, text)] = infos
    assert title == "恢复现场工作库口令" and "组员1.xcdb.key" in text
    with Workspace.open(laptop_path, "新的口令-2025-现场") as recovered:
        assert recovered.user.display_name == "组员1"
    assert AuditLog(world.office).list()[0].action_label == "恢复现场工作库口令"


# -- 备份与恢复 --------------------------------------------------------------------------------------------
def test_backup_now_then_restore_reopens_with_a_new_incarnation(
    main_window: MainWindow, filled: Filled, monkeypatch: pytest.MonkeyPatch, infos: list[tuple[str, str]]
) -> None:
    def backup_now(dialog: backup_dialog.BackupDialog) -> bool:
        assert dialog.backups() == [] and dialog.status_text().startswith("还没有备份")
        assert not dialog.restore_button.isEnabled()
        dialog.backup_button.click()
        [taken] = dialog.backups()
        assert taken.label == "手动" and dialog.selected() == taken
        assert dialog.status_text().startswith(f"已备份到“{taken.path.name}”")
        assert dialog.table.item(0, 1).text() == "手动"
        assert re.fullmatch(
            r"\d+(\.\d)? (KB|MB)", dialog.table.item(0, 2).text()
        )  # the size, in a readable unit
        return False

    script(monkeypatch, backup_dialog, backup_now)
    trigger(main_window, "backupAction")
    before = main_window.workspace
    later = RecordService(before, DRAFT).save(draft(filled.ctx, title="备份之后新增的问题"))

    confirmed: list[str] = []
    monkeypatch.setattr(
        backup_dialog, "ask_confirm_restore", lambda _p, b, name: confirmed.append(name) or True
    )
    monkeypatch.setattr(backup_dialog, "ask_backup_passphrase", lambda _p, _b, error="": PASSPHRASE)

    def restore(dialog: backup_dialog.BackupDialog) -> bool:
        dialog.select(0)
        dialog.restore_button.click()
        return dialog.result() == QDialog.DialogCode.Accepted

    script(monkeypatch, backup_dialog, restore)
    trigger(main_window, "backupAction")
    assert confirmed == ["现场工作库.xcdb"]
    restored = main_window.workspace
    assert restored is not before and restored.path == before.path
    assert restored.info.incarnation == before.info.incarnation + 1
    assert later.id not in {d.id for d in RecordService(restored, DRAFT).list()}  # made after the backup
    assert main_window.status_texts()[0] == "工作库：现场工作库.xcdb（巡察组现场工作库）"
    [(title, text)] = infos
    assert title == "已从备份恢复" and "由第 1 代变为第 2 代" in text
    assert AuditLog(restored).list()[0].action_label == "从备份恢复"


# -- 清理工作库 --------------------------------------------------------------------------------------------
def _confirm(world: World, laptop: Workspace) -> None:
    """The office imports the laptop's package and sends back an update carrying its knowledge."""
    assert sync.import_packages(world.office, [world.export(laptop)])[0].status == "imported"
    update = world.package_path("update")
    sync.provision_package(world.office, update, group_id=world.ctx.group.id)
    [report] = sync.import_packages(laptop, [update])
    assert report.status == "imported", report.error


def _as_leader(world: World) -> Workspace:
    """The first laptop's own user becomes the 组长 (a change the office has not confirmed yet)."""
    laptop = world.fields[0]
    users = RecordService[User](laptop, USER)
    users.save(dataclasses.replace(users.get(laptop.user.id), role="组长"))
    laptop.close()
    world.fields[0] = Workspace.open(laptop.path, PASSPHRASE)
    return world.fields[0]


def test_wipe_is_refused_for_other_roles_and_before_the_office_confirms(
    world: World, make_window: Callable[[Workspace], MainWindow], errors: list[tuple[str, str]]
) -> None:
    trigger(make_window(world.fields[1]), "wipeAction")
    leader = _as_leader(world)
    trigger(make_window(leader), "wipeAction")
    (title, member), (_, unconfirmed) = errors
    assert title == "不能清理工作库"
    assert "清理须由组长、联络员或巡察办管理员进行" in member and "角色是组员" in member
    assert "巡察办尚未确认本机的" in unconfirmed and "条修订，不能清理" in unconfirmed
    assert leader.path.is_file() and world.fields[1].path.is_file()


def test_wipe_after_the_office_confirmed_deletes_and_the_office_records_it(
    world: World,
    make_window: Callable[[Workspace], MainWindow],
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    infos: list[tuple[str, str]],
) -> None:
    leader = _as_leader(world)
    _confirm(world, leader)
    path = leader.path
    window = make_window(leader)

    def confirm(dialog: wipe_dialog.WipeDialog) -> bool:
        assert not dialog.wipe_button.isEnabled()
        ime_commit(dialog.confirm_edit, "组员")
        assert not dialog.wipe_button.isEnabled()
        dialog.confirm_edit.clear()
        ime_commit(dialog.confirm_edit, "清理")
        assert dialog.wipe_button.isEnabled()
        dialog.wipe_button.click()
        return dialog.result() == QDialog.DialogCode.Accepted

    script(monkeypatch, wipe_dialog, confirm)
    monkeypatch.setattr(messages, "choose_save_file", lambda _p, title, default, _f: tmp_path / "清理通知")
    monkeypatch.setattr(wipe_dialog, "ask_open_another", lambda _parent: False)
    trigger(window, "wipeAction")
    notice = tmp_path / "清理通知.xcpkg"
    assert notice.is_file() and not path.exists() and not keyfile_path(path).exists()
    assert list_backups(path) == []
    assert not window.isVisible()  # nothing left to show
    [(title, text)] = infos
    assert title == "清理完成" and "清理通知.xcpkg" in text
    world.fields.pop(0)
    [imported] = sync.import_packages(world.office, [notice])
    assert (imported.status, imported.kind) == ("imported", "wipe"), imported.error
    wiped = AuditLog(world.office).list(AuditQuery(action="wipe"))
    assert wiped and "已清理现场工作库" in wiped[0].summary


def test_after_a_wipe_another_workspace_can_be_opened(
    world: World,
    make_window: Callable[[Workspace], MainWindow],
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    infos: list[tuple[str, str]],
) -> None:
    leader = _as_leader(world)
    _confirm(world, leader)
    window = make_window(leader)

    def confirm_by_name(dialog: wipe_dialog.WipeDialog) -> bool:
        ime_commit(dialog.confirm_edit, "组员1")  # the workspace's name works as well as 清理
        dialog.wipe_button.click()
        return dialog.result() == QDialog.DialogCode.Accepted

    script(monkeypatch, wipe_dialog, confirm_by_name)
    monkeypatch.setattr(messages, "choose_save_file", lambda *_a: tmp_path / "通知.xcpkg")
    monkeypatch.setattr(wipe_dialog, "ask_open_another", lambda _parent: True)
    other = world.fields[1].path
    world.fields.pop(1).close()
    monkeypatch.setattr(messages, "choose_workspace_file", lambda _p, _start: other)
    answer = Credentials("组员2", PASSPHRASE)
    monkeypatch.setattr(passphrase_dialog, "ask_passphrase", lambda _p, _path, error="", login="": answer)
    trigger(window, "wipeAction")
    assert window.isVisible() and window.workspace.path == other and window.tabs.isEnabled()
    world.fields[0] = window.workspace
