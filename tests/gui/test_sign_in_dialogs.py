"""The sign-in dialog (登录名 prefilled with the last one used, 口令) and 安全 → 用户口令 on real widgets;
only exec() is replaced, the services and key derivation (cheap) are real."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator

import pytest
from PySide6.QtCore import QSettings, QThreadPool
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QDialog
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from tests.builders import MEMBER_PASSPHRASE, PASSPHRASE, give_passphrase
from tests.gui.dialogs import DialogScript
from xuncha_desktop.domain.organization import User
from xuncha_desktop.domain.record_types import USER
from xuncha_desktop.gui import workspace_opener
from xuncha_desktop.gui.dialogs import passphrase_dialog, user_passphrase_dialog
from xuncha_desktop.gui.dialogs.passphrase_dialog import PassphraseDialog
from xuncha_desktop.gui.dialogs.user_passphrase_dialog import UserPassphraseDialog
from xuncha_desktop.gui.main_window import MainWindow
from xuncha_desktop.services.records.record_service import RecordService
from xuncha_desktop.services.workspace import Workspace
from xuncha_desktop.storage.keyfile import KdfParams
from xuncha_desktop.storage.tables import audit_log

REAL_ASK_PASSPHRASE = passphrase_dialog.ask_passphrase  # taken before the fixtures replace every dialog
NEW = "新设的口令-2025"


@pytest.fixture(autouse=True)
def finished_jobs() -> Iterator[None]:
    yield
    assert QThreadPool.globalInstance().waitForDone(10_000)


def _sign_in_script(
    monkeypatch: pytest.MonkeyPatch, *steps: Callable[[PassphraseDialog], None]
) -> list[tuple[str, str]]:
    """The real sign-in dialog, driven by `steps` in turn instead of exec(); returns what each showed
    (登录名 prefilled, error) when it came up."""
    shown: list[tuple[str, str]] = []
    queue = list(steps)

    def run(dialog: PassphraseDialog) -> int:
        shown.append((dialog.login_edit.text(), dialog.error_text()))
        queue.pop(0)(dialog)
        return int(dialog.result())

    monkeypatch.setattr(passphrase_dialog, "ask_passphrase", REAL_ASK_PASSPHRASE)
    monkeypatch.setattr(PassphraseDialog, "exec", run)
    return shown


def _type(passphrase: str, login: str | None = None) -> Callable[[PassphraseDialog], None]:
    def step(dialog: PassphraseDialog) -> None:
        if login is not None:
            dialog.login_edit.setText(login)
        dialog.passphrase_edit.setText(passphrase)
        dialog.ok_button.click()

    return step


def test_the_login_is_prefilled_and_the_pair_decides_who_signs_in(
    workspace: Workspace, opener_settings: QSettings, monkeypatch: pytest.MonkeyPatch, qtbot: QtBot
) -> None:
    RecordService[User](workspace, USER).save(User(login="liming", display_name="李明", role="组员"))
    give_passphrase(workspace, "liming")
    workspace.close()
    workspace_opener.remember_login(opener_settings, "liming")

    def no_login_then_the_leaders_passphrase(dialog: PassphraseDialog) -> None:
        assert dialog.windowTitle() == "登录工作库" and dialog.login_edit.isVisibleTo(dialog)
        dialog.login_edit.clear()
        dialog.passphrase_edit.setText(PASSPHRASE)
        dialog.ok_button.click()
        assert dialog.error_text() == "请输入登录名" and dialog.result() != QDialog.DialogCode.Accepted
        _type(PASSPHRASE, login="liming")(dialog)  # 李明 with the 组长's passphrase

    shown = _sign_in_script(monkeypatch, no_login_then_the_leaders_passphrase, _type(MEMBER_PASSPHRASE))
    opened = workspace_opener.open_workspace(None, workspace.path)
    assert opened is not None
    with opened:
        assert (opened.user.login, opened.user.role) == ("liming", "组员")
    assert shown == [("liming", ""), ("liming", workspace_opener.WRONG)]
    assert workspace_opener.last_login(opener_settings) == "liming"


def test_a_login_without_a_passphrase_is_told_whom_to_ask_and_may_be_corrected(
    workspace: Workspace, monkeypatch: pytest.MonkeyPatch, qtbot: QtBot
) -> None:
    workspace.close()
    shown = _sign_in_script(monkeypatch, _type(PASSPHRASE, login="李民"), _type(PASSPHRASE, login="管理员"))
    opened = workspace_opener.open_workspace(None, workspace.path)
    assert opened is not None
    opened.close()
    assert shown[1][1].startswith(
        "登录名“李民”在本工作库中还没有口令，暂不能登录（请先核对登录名）。请巡察组组长"
    )


# -- 安全 → 用户口令 ----------------------------------------------------------------------------------------
def _action(window: MainWindow, name: str) -> QAction:
    action = window.findChild(QAction, name)
    assert action is not None
    return action


def test_the_leader_sets_a_members_passphrase_in_the_reset_dialog(
    main_window: MainWindow, monkeypatch: pytest.MonkeyPatch, qtbot: QtBot, ui_settings: QSettings
) -> None:
    monkeypatch.setattr(user_passphrase_dialog, "KDF", KdfParams.cheap())

    def set_for_liming(dialog: UserPassphraseDialog) -> bool:
        assert dialog.rows() == [
            ("liming", "李明", "组员", "未设置口令（不能登录）"),
            ("zhaofu", "赵副组长", "副组长", "未设置口令（不能登录）"),
            ("管理员", "管理员", "组长", "已设置口令"),
        ]
        dialog.select_login("liming")
        dialog.new_edit.setText(NEW)
        dialog.confirm_edit.setText(NEW + "x")
        dialog.set_button.click()
        assert dialog.error_text() == "两次输入的新口令不一致，请重新输入"
        dialog.confirm_edit.setText(NEW)
        dialog.set_button.click()
        assert dialog.error_text() == ""
        assert dialog.status_text() == "已为用户“李明”（登录名“liming”）设置了口令。"
        assert dialog.rows()[0] == ("liming", "李明", "组员", "已设置口令")
        chosen = dialog.selected()
        assert chosen is not None and chosen.user.login == "liming"
        return True

    script = DialogScript(set_for_liming)
    monkeypatch.setattr(user_passphrase_dialog, "exec_dialog", script)
    action = _action(main_window, "userPassphraseAction")
    assert action.isVisible()
    action.trigger()
    assert len(script.dialogs) == 1
    path = main_window.workspace.path
    with main_window.workspace.engine.connect() as conn:
        [row] = conn.execute(select(audit_log).where(audit_log.c.action == "user_passphrase")).all()
    assert (row.user_login, json.loads(row.changes)) == ("管理员", {"how": "set", "user": "liming"})
    member = Workspace.open(path, NEW, user_login="liming", lock=main_window.workspace.file_lock)
    window = MainWindow(member, settings=ui_settings, recover=False)
    qtbot.addWidget(window)
    assert not _action(window, "userPassphraseAction").isVisible()  # a 组员 manages no one
    window.close()


def test_the_reset_dialog_says_why_a_short_passphrase_is_refused(
    main_window: MainWindow, qtbot: QtBot
) -> None:
    dialog = UserPassphraseDialog(main_window.workspace, main_window)
    qtbot.addWidget(dialog)
    dialog.select_login("zhaofu")
    dialog.new_edit.setText("短口令")
    dialog.confirm_edit.setText("短口令")
    dialog.set_button.click()
    assert dialog.error_text() == "新口令不符合要求：口令至少需要8个字符"
    assert dialog.rows()[1][3] == "未设置口令（不能登录）"
