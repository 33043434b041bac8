"""巡察计划 → 用户: every user with role and passphrase status, adding an office user, and 设置口令… opening
the existing 用户口令 dialog with that user selected."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QComboBox, QLabel, QLineEdit
from pytestqt.qtbot import QtBot

from tests.gui import plan_helpers
from tests.gui.dialogs import DialogScript
from tests.gui.plan_helpers import fill, open_screen
from xuncha_desktop.domain.organization import GroupMember, InspectionGroup, InspectionRound
from xuncha_desktop.gui.dialogs import user_passphrase_dialog
from xuncha_desktop.gui.dialogs.user_passphrase_dialog import UserPassphraseDialog
from xuncha_desktop.gui.main_window import MainWindow
from xuncha_desktop.services.plan.plan_service import PlanService
from xuncha_desktop.storage.keyfile import KdfParams

office = plan_helpers.office  # the fixtures every plan test uses
office_window = plan_helpers.office_window
NEW = "新口令ABC12345"


def _member_with_login(window: MainWindow) -> GroupMember:
    plan = PlanService(window.workspace)
    rnd = plan.save(InspectionRound(name="2025年第一轮巡察", year=2025, ordinal=1))
    group = plan.save(InspectionGroup(round_id=rnd.id, ordinal=1, name="第一巡察组"))
    member = plan.save(GroupMember(group_id=group.id, name="张建国", role="组长", staffing="专职"))
    plan.give_login(member.id, "zhangjg")
    return member


def test_users_list_roles_and_passphrases_and_an_office_user_is_added(
    qtbot: QtBot, office_window: MainWindow
) -> None:
    _member_with_login(office_window)
    screen = open_screen(office_window, "用户")
    editor = screen.editor
    assert editor.row_texts() == [
        ["巡察办管理员", "巡察办管理员", "巡察办管理员", "已设置口令"],
        ["zhangjg", "张建国", "组长", "未设置口令（不能登录）"],
    ]
    member_label = editor.form.find(QLabel, "memberLabel")
    assert member_label.text() == "（巡察办用户，不属于巡察组）"
    editor.select_row(1)
    assert editor.heading_text() == "张建国（zhangjg）"
    assert member_label.text() == "张建国（组长）"

    editor.new_button.click()
    assert editor.heading_text() == "新建用户"
    form = editor.form
    fill(form.find(QLineEdit, "loginEdit"), "wangfang")
    editor.save_button.click()
    assert form.error_text("display_name") != ""
    fill(form.find(QLineEdit, "displayNameEdit"), "王芳")
    assert form.find(QComboBox, "roleCombo").currentText() == "巡察办管理员"
    editor.save_button.click()
    assert editor.error_text() == ""
    assert editor.heading_text() == "王芳（wangfang）"
    assert editor.row_texts()[0] == ["wangfang", "王芳", "巡察办管理员", "未设置口令（不能登录）"]
    assert editor.count_text() == "（共 3 项）"

    # a login taken by another active user is refused at the field
    editor.new_button.click()
    fill(form.find(QLineEdit, "loginEdit"), "zhangjg")
    fill(form.find(QLineEdit, "displayNameEdit"), "另一个张建国")
    editor.save_button.click()
    assert form.error_text("login") != ""
    assert editor.count_text() == "（共 3 项）"
    editor.discard_changes()


def test_set_passphrase_opens_the_user_passphrase_dialog_with_the_user_selected(
    qtbot: QtBot, office_window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(user_passphrase_dialog, "KDF", KdfParams.cheap())
    _member_with_login(office_window)
    screen = open_screen(office_window, "用户")
    editor = screen.editor
    editor.select_row(1)
    assert editor.heading_text() == "张建国（zhangjg）"

    def set_it(dialog: UserPassphraseDialog) -> bool:
        chosen = dialog.selected()
        assert chosen is not None and chosen.user.login == "zhangjg"
        dialog.new_edit.setText(NEW)
        dialog.confirm_edit.setText(NEW)
        dialog.set_button.click()
        assert dialog.error_text() == ""
        assert dialog.status_text() == "已为用户“张建国”（登录名“zhangjg”）设置了口令。"
        return True

    script = DialogScript(set_it)
    monkeypatch.setattr(user_passphrase_dialog, "exec_dialog", script)
    screen.passphrase_button.click()
    assert [type(d) for d in script.dialogs] == [UserPassphraseDialog]
    # back on the screen the list shows the passphrase set, the same user still selected
    assert editor.row_texts()[1] == ["zhangjg", "张建国", "组长", "已设置口令"]
    assert editor.heading_text() == "张建国（zhangjg）"


def test_the_user_list_and_a_users_member_are_read_without_the_whole_plan(
    qtbot: QtBot, office_window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    _member_with_login(office_window)

    def no_snapshot(self: PlanService) -> None:
        raise AssertionError("the users screen read the whole plan")

    monkeypatch.setattr(PlanService, "snapshot", no_snapshot)
    screen = open_screen(office_window, "用户")
    editor = screen.editor
    assert [row[0] for row in editor.row_texts()] == ["巡察办管理员", "zhangjg"]
    editor.select_row(1)
    assert editor.form.find(QLabel, "memberLabel").text() == "张建国（组长）"
