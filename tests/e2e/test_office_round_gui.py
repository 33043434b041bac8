"""Issue #12 from nothing, once through the GUI: an empty office plans a round in 巡察计划 (typed into the
real forms, a cadre of the 人才库 with a 回避 reason, logins, the 党组织名录 and its 全覆盖 figures),
provisions group A with the 生成配置包 dialog and prints the 配置单; a roster member's laptop imports the
package with the 配置码 (a wrong one first), becomes that member's, records talks and exports them; the office
imports them and lists them."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QDialog,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QSpinBox,
    QWidget,
)
from pytestqt.qtbot import QtBot

from tests.builders import PASSPHRASE
from tests.gui.dialogs import DialogScript
from tests.gui.keys import type_text
from tests.gui.plan_helpers import fill, open_screen, settle
from tests.output_helpers import pdf_text
from xuncha_desktop.gui import messages, sync_actions
from xuncha_desktop.gui.dialogs import provision_dialog
from xuncha_desktop.gui.dialogs.import_dialog import ImportDialog
from xuncha_desktop.gui.dialogs.provision_dialog import CodeDialog, ProvisionDialog
from xuncha_desktop.gui.main_window import MainWindow
from xuncha_desktop.gui.plan.avoidance_dialog import AvoidanceDialog
from xuncha_desktop.gui.plan.join_dialog import JoinDialog
from xuncha_desktop.gui.plan.plan_editor import PlanEditor
from xuncha_desktop.services import packages
from xuncha_desktop.services.statistics import workspace_figures
from xuncha_desktop.services.workspace import Workspace
from xuncha_desktop.storage.keyfile import KdfParams

pytestmark = pytest.mark.e2e

YEAR = date.today().year
ROUND = f"{YEAR}年第四轮巡察"
GROUP_A, GROUP_B = "县委第一巡察组", "县委第二巡察组"
FINANCE, EDUCATION, TOWN = "清河县财政局党组", "清河县教育局党组", "东坝镇党委"
REASON = "调离财政局已满五年，经巡察工作领导小组同意"
TALKS = (("王晓东", "清河县财政局副局长"), ("刘芳", "清河县财政局预算股股长"))


# -- windows ---------------------------------------------------------------------------------------------
class Windows:
    """Main windows opened by the test, closed at the end (edits left behind dropped first)."""

    def __init__(self, qtbot: QtBot, folder: Path) -> None:
        self._qtbot, self._folder = qtbot, folder
        self.opened: list[MainWindow] = []

    def open(self, ws: Workspace, name: str) -> MainWindow:
        settings = QSettings(str(self._folder / f"{name}-界面.ini"), QSettings.Format.IniFormat)
        window = MainWindow(ws, settings=settings, recover=False)
        window.resize(1366, 768)
        window.show()
        self._qtbot.waitExposed(window)
        self.opened.append(window)
        return window

    def close_all(self) -> None:
        for window in self.opened:
            for page in window.built_pages():
                if page.is_dirty():
                    page.discard_changes()
            area = window.plan_area
            for editor in area.editors() if area is not None else []:
                if editor.is_dirty():
                    editor.discard_changes()
            window.close()  # closes its workspace
            window.deleteLater()


@pytest.fixture
def windows(qtbot: QtBot, tmp_path: Path) -> Iterator[Windows]:
    made = Windows(qtbot, tmp_path)
    yield made
    made.close_all()


# -- typing as a user does ------------------------------------------------------------------------------
def choose(combo: QComboBox, text: str) -> None:
    index = combo.findText(text)
    assert index >= 0, f"{text!r} not offered: {[combo.itemText(i) for i in range(combo.count())]}"
    combo.setCurrentIndex(index)


def type_date(edit: QDateEdit, text: str) -> None:
    """The date typed into the empty field (未填写), then Tab to the next field."""
    assert edit.text() == "未填写"
    edit.setFocus()
    type_text(edit, text)
    QTest.keyClick(edit, Qt.Key.Key_Tab)
    assert edit.text() == text and not edit.hasFocus()


def type_number(spin: QSpinBox, value: int) -> None:
    spin.setFocus()
    spin.selectAll()
    type_text(spin, str(value))


def save(editor: PlanEditor) -> None:
    editor.save_button.click()
    assert editor.error_text() == "", editor.error_text()


def names(editor: PlanEditor) -> list[str]:
    return [row[0] for row in editor.row_texts()]


# -- the office plans the round -------------------------------------------------------------------------
def add_organizations(qtbot: QtBot, office: MainWindow) -> Any:
    screen = open_screen(office, "党组织名录")
    for name, kind in ((FINANCE, "县直部门"), (EDUCATION, "县直部门"), (TOWN, "乡镇(街道)")):
        screen.editor.new_button.click()
        fill(screen.editor.form.find(QLineEdit, "nameEdit"), name)
        choose(screen.editor.form.find(QComboBox, "kindCombo"), kind)
        save(screen.editor)
        settle(qtbot, screen.editor)
    assert sorted(names(screen.editor)) == sorted([FINANCE, EDUCATION, TOWN])
    assert screen.figure("合计", "总数") == "3"
    assert (screen.figure("合计", "已巡察"), screen.figure("合计", "覆盖率")) == ("0", "0.0%")
    return screen


def add_round_and_groups(office: MainWindow) -> Any:
    screen = open_screen(office, "轮次与巡察组")
    rounds = screen.rounds
    rounds.new_button.click()
    form = rounds.form
    fill(form.find(QLineEdit, "nameEdit"), ROUND)
    type_number(form.find(QSpinBox, "ordinalSpin"), 4)
    type_date(form.find(QDateEdit, "startOnDate"), f"{YEAR}-09-01")
    type_date(form.find(QDateEdit, "endOnDate"), f"{YEAR}-10-31")
    save(rounds)
    assert rounds.row_texts() == [[ROUND, "常规", f"{YEAR}-09-01", f"{YEAR}-10-31"]]
    assert rounds.count_text() == "（共 1 项）"
    for name in (GROUP_A, GROUP_B):
        screen.groups.new_button.click()
        fill(screen.groups.form.find(QLineEdit, "nameEdit"), name)
        save(screen.groups)
    assert screen.groups.row_texts() == [["1", GROUP_A], ["2", GROUP_B]]
    assert screen.groups.count_text() == "（共 2 项）"
    return screen


def add_member(screen: Any, name: str, role: str, unit: str, post: str, login: str) -> None:
    members = screen.members
    members.new_button.click()
    form = members.form
    fill(form.find(QLineEdit, "nameEdit"), name)
    choose(form.find(QComboBox, "roleCombo"), role)
    fill(form.find(QLineEdit, "homeUnitEdit"), unit)
    fill(form.find(QLineEdit, "homePostEdit"), post)
    save(members)
    assert members.heading_text() == f"{name}（{role}）"
    fill(screen.login_box.login_edit, login)
    screen.login_box.give_button.click()
    assert screen.login_box.error_text() == ""
    assert screen.login_box.login_edit.isReadOnly()
    assert f"已为{name}开通登录“{login}”" in screen.login_box.status_label.text()


def select_group(screen: Any, name: str) -> None:
    assert screen.groups.select_id(next(g.id for g in screen.groups.rows() if g.name == name))
    assert screen.groups.record.name == name


def add_target(screen: Any, org_label: str, expected_name: str) -> None:
    screen.detail_tabs.setCurrentWidget(screen.targets)
    screen.targets.new_button.click()
    form = screen.targets.form
    choose(form.find(QComboBox, "orgCombo"), org_label)  # the name and kind follow from the 名录
    assert form.find(QLineEdit, "nameEdit").text() == expected_name
    save(screen.targets)


def join_from_pool(qtbot: QtBot, office: MainWindow, monkeypatch: pytest.MonkeyPatch) -> None:
    """A cadre typed into the 人才库, then 加入巡察组… group A; 回避 is answered with a typed reason."""
    screen = open_screen(office, "人才库")
    editor = screen.editor
    settle(qtbot, editor)
    editor.new_button.click()
    form = editor.form
    fill(form.find(QLineEdit, "nameEdit"), "赵丽娟")
    fill(form.find(QLineEdit, "homeUnitEdit"), "清河县住建局")
    fill(form.find(QLineEdit, "homePostEdit"), "副局长")
    earlier = form.find(QPlainTextEdit, "earlierUnitsText")
    earlier.setFocus()
    type_text(earlier, "清河县财政局")
    editor.save_button.click()
    settle(qtbot, editor)
    assert editor.error_text() == "" and names(editor) == ["赵丽娟"]

    def place(dialog: JoinDialog) -> bool:
        choose(dialog.round_combo, ROUND)
        choose(dialog.group_combo, GROUP_A)
        choose(dialog.role_combo, "副组长")
        return True

    seen: list[list[str]] = []

    def give_reason(dialog: AvoidanceDialog) -> bool:
        seen.append(dialog.conflicts())
        assert not dialog.override_button.isEnabled()
        dialog.reason_edit.setFocus()
        type_text(dialog.reason_edit, REASON)
        assert dialog.override_button.isEnabled()
        return True

    script = DialogScript(place, give_reason)
    monkeypatch.setattr(messages, "exec_dialog", script)
    screen.join_button.click()
    assert [type(d) for d in script.dialogs] == [JoinDialog, AvoidanceDialog]
    assert seen == [[f"赵丽娟曾在“清河县财政局”工作，与被巡察单位“{FINANCE}”相同或隶属"]]
    assert screen.history_rows()[0][:5] == [ROUND, str(YEAR), "常规", GROUP_A, "副组长"]
    assert "已作为副组长加入" in screen.history_summary.text()


def plan_the_round(qtbot: QtBot, office: MainWindow, monkeypatch: pytest.MonkeyPatch) -> None:
    add_organizations(qtbot, office)
    screen = add_round_and_groups(office)
    select_group(screen, GROUP_A)
    add_member(screen, "张建国", "组长", "清河县委巡察办", "副主任", "zhangjg")
    add_member(screen, "李明", "组员", "清河县审计局", "科员", "liming")
    add_target(screen, f"{FINANCE}（县直部门）", FINANCE)
    add_target(screen, f"{TOWN}（乡镇(街道)）", TOWN)
    assert [r[:3] for r in screen.targets.row_texts()] == [
        [TOWN, "乡镇(街道)", "已关联"],
        [FINANCE, "县直部门", "已关联"],
    ]
    select_group(screen, GROUP_B)
    screen.detail_tabs.setCurrentWidget(screen.members)
    add_member(screen, "孙丽", "组长", "清河县纪委监委", "室主任", "sunli")
    add_target(screen, f"{EDUCATION}（县直部门）", EDUCATION)

    join_from_pool(qtbot, office, monkeypatch)

    # back in 轮次与巡察组: group A shows the cadre from the pool, with the 回避 reason on the form
    screen = open_screen(office, "轮次与巡察组")
    select_group(screen, GROUP_A)
    screen.detail_tabs.setCurrentWidget(screen.members)
    qtbot.waitUntil(lambda: len(screen.members.rows()) == 3)
    assert screen.members.row_texts() == [
        ["张建国", "组长", "抽调", "清河县委巡察办副主任"],
        ["赵丽娟", "副组长", "抽调", "清河县住建局副局长"],
        ["李明", "组员", "抽调", "清河县审计局科员"],
    ]
    assert screen.members.count_text() == "（共 3 项）"
    screen.members.select_row(1)
    assert screen.members.form.find(QLabel, "avoidanceLabel").text() == REASON
    assert screen.login_box.status_label.text() == "尚未开通登录。"

    # 全覆盖: every organization is now inspected in this round
    orgs = open_screen(office, "党组织名录")
    qtbot.waitUntil(lambda: orgs.figure("合计", "已巡察") == "3", timeout=5000)
    assert (orgs.figure("县直部门", "已巡察"), orgs.figure("县直部门", "覆盖率")) == ("2", "100.0%")
    assert (orgs.figure("合计", "未巡察"), orgs.figure("合计", "覆盖率")) == ("0", "100.0%")

    # the record tabs' context bar offers the round at once
    bar = office.context_bar.round_combo
    assert ROUND in [bar.itemText(i) for i in range(bar.count())]


# -- provisioning ---------------------------------------------------------------------------------------
def provision_group_a(
    qtbot: QtBot, office: MainWindow, monkeypatch: pytest.MonkeyPatch, folder: Path
) -> tuple[Path, str]:
    """文件 → 生成配置包: the real dialog driven, the code read from the dialog the user sees, the 配置单
    printed."""
    seen: dict[str, Any] = {}

    def drive_provision(parent: QWidget | None, choices: Any, roster_of: Any) -> Any:
        dialog = ProvisionDialog(choices, roster_of, folder, parent)
        qtbot.addWidget(dialog)
        assert [dialog.round_combo.itemText(i) for i in range(dialog.round_combo.count())] == [ROUND]
        choose(dialog.group_combo, GROUP_B)
        assert [row[0] for row in dialog.member_rows()] == ["孙丽"]
        choose(dialog.group_combo, GROUP_A)
        seen["rows"] = dialog.member_rows()
        assert dialog.first_check.isChecked()
        dialog.ok_button.click()
        assert dialog.result() == QDialog.DialogCode.Accepted
        seen["file"] = Path(dialog.file_edit.text())
        return dialog.choice()

    def drive_code(dialog: CodeDialog) -> None:
        qtbot.addWidget(dialog)
        seen["code"] = dialog.code_text
        monkeypatch.setattr(provision_dialog, "ask_sheet_path", lambda _p, start: folder / start.name)
        dialog.print_button.click()
        assert "配置单已保存" in dialog.status_text
        seen["sheet"] = next(folder.glob("*.pdf"))
        dialog.close_button.click()

    monkeypatch.setattr(sync_actions, "ask_provision", drive_provision)
    monkeypatch.setattr(sync_actions, "show_code", drive_code)
    office.actions_by_name["provisionAction"].trigger()
    qtbot.waitUntil(lambda: "sheet" in seen, timeout=30_000)

    assert sorted(seen["rows"]) == sorted(
        [["张建国", "组长", "zhangjg"], ["赵丽娟", "副组长", "（未设置）"], ["李明", "组员", "liming"]]
    )
    package, code = seen["file"], seen["code"]
    assert package.is_file() and packages.needs_code(package)
    text = "".join(pdf_text(seen["sheet"]).split())
    for expected in (code, GROUP_A, ROUND, package.name, "张建国", "zhangjg", "李明", "liming", "赵丽娟"):
        assert expected in text, expected
    return package, code


# -- the laptop -----------------------------------------------------------------------------------------
def import_with_code(
    qtbot: QtBot,
    laptop: MainWindow,
    monkeypatch: pytest.MonkeyPatch,
    package: Path,
    typed: list[str | None],
    answer_passphrase: Callable[..., str | None] | None = None,
) -> tuple[list[str], list[ImportDialog]]:
    """文件 → 导入工作包 with the codes typed in turn (None: 取消); the errors shown with each question."""
    errors: list[str] = []
    shown: list[ImportDialog] = []

    def ask_code(_parent: Any, names: list[str], error: str = "") -> str | None:
        assert names == [package.name]
        errors.append(error)
        return typed.pop(0)

    def show(dialog: ImportDialog) -> bool:
        shown.append(dialog)
        if dialog.import_button is not None:
            dialog.import_button.click()
        return True

    monkeypatch.setattr(sync_actions, "ask_open_packages", lambda _p, _d: [package])
    monkeypatch.setattr(sync_actions, "ask_code", ask_code)
    monkeypatch.setattr(sync_actions, "show_import_dialog", show)
    if answer_passphrase is not None:
        monkeypatch.setattr(sync_actions, "ask_roster_passphrase", answer_passphrase)
    laptop.actions_by_name["importPackagesAction"].trigger()
    assert typed == []
    return errors, shown


def record_talks(laptop: MainWindow) -> None:
    """The context chosen in the toolbar, two talks typed into 个别谈话记录 and saved."""
    bar = laptop.context_bar
    choose(bar.round_combo, ROUND)
    choose(bar.group_combo, GROUP_A)
    choose(bar.target_combo, FINANCE)
    talks = laptop.page("个别谈话记录")
    laptop.show_page(talks)
    for interviewee, post in TALKS:
        laptop.actions_by_name["newRecordAction"].trigger()
        form = talks.form
        assert form.value("recorder") == "李明"  # the roster member signed in
        type_text(form.widget_of("interviewee_name"), interviewee)
        fill(form.widget_of("post"), post)
        fill(form.widget_of("interviewer"), "张建国")
        content = form.widget_of("content")
        content.setFocus()
        type_text(content, f"问：请谈谈{post}岗位落实主体责任的情况。")
        laptop.actions_by_name["saveRecordAction"].trigger()
        assert talks.form_error_text() == "", talks.form_error_text()
        assert talks.current_record() is not None
    assert talks.total() == 2


def export_from_laptop(
    qtbot: QtBot, laptop: MainWindow, monkeypatch: pytest.MonkeyPatch, target: Path
) -> None:
    infos: list[str] = []
    monkeypatch.setattr(sync_actions, "ask_export_mode", lambda _parent: False)
    monkeypatch.setattr(sync_actions, "ask_save_package", lambda _parent, _title, _default: target)
    monkeypatch.setattr(sync_actions, "show_info", lambda _parent, _title, text: infos.append(text))
    laptop.actions_by_name["exportWorkspaceAction"].trigger()
    qtbot.waitUntil(lambda: bool(infos), timeout=20_000)
    assert str(target) in infos[0] and target.is_file()


def listed(page: Any, column: int) -> list[str]:
    model = page.model
    return [str(model.index(r, column).data() or "") for r in range(model.rowCount())]


# -- the round from nothing -----------------------------------------------------------------------------
def test_the_office_runs_a_round_from_nothing_through_the_gui(
    qtbot: QtBot, windows: Windows, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    usb = tmp_path / "U盘"
    usb.mkdir()
    office_ws = Workspace.create(tmp_path / "巡察办.xcdb", PASSPHRASE, kdf=KdfParams.cheap(), office=True)
    office = windows.open(office_ws, "巡察办")

    # 1. 巡察计划, typed in
    plan_the_round(qtbot, office, monkeypatch)
    figures = workspace_figures(office_ws)
    assert (figures.rounds, figures.groups, figures.members, figures.targets) == (1, 2, 4, 3)

    # 2. 生成配置包 for group A, the code from the dialog, the 配置单 printed
    package, code = provision_group_a(qtbot, office, monkeypatch, usb)
    before = hashlib.sha256(package.read_bytes()).hexdigest()

    # 3. 李明's laptop, made for his roster login
    laptop_ws = Workspace.create(
        tmp_path / "李明.xcdb", PASSPHRASE, kdf=KdfParams.cheap(), user_name="liming", role="组员"
    )
    laptop = windows.open(laptop_ws, "李明")
    assert laptop.status_texts()[1] == "用户：liming（组员）"

    # a wrong code: said so, asked again; the user gives up and nothing has changed
    errors, shown = import_with_code(qtbot, laptop, monkeypatch, package, ["WRON-GCOD-E000-0000", None])
    assert errors[0] == "" and shown == []
    assert "配置码“WRON-GCOD-E000-0000”不正确" in errors[1] and "配置包未被改动" in errors[1]
    assert hashlib.sha256(package.read_bytes()).hexdigest() == before
    assert workspace_figures(laptop_ws).rounds == 0

    # the right code, typed loosely; the passphrase once more makes the laptop 李明's
    asked: list[str] = []

    def passphrase(_parent: Any, text: str, error: str = "") -> str:
        asked.append(text)
        return PASSPHRASE

    loose = code.lower().replace("-", " ")
    errors, shown = import_with_code(qtbot, laptop, monkeypatch, package, [loose], passphrase)
    assert errors == [""]
    assert len(asked) == 1 and "李明（组员）" in asked[0]
    header = shown[-1].findChild(QWidget, "headerLabel").text()
    assert f"本机已成为巡察组“{GROUP_A}”名册中李明（组员）的电脑" in header
    assert (laptop_ws.user.display_name, laptop_ws.user.role) == ("李明", "组员")
    qtbot.waitUntil(lambda: laptop.status_texts()[1] == "用户：李明（组员）", timeout=5000)
    bar = laptop.context_bar.round_combo
    assert ROUND in [bar.itemText(i) for i in range(bar.count())]

    record_talks(laptop)
    back = usb / "李明-第1次.xcpkg"
    export_from_laptop(qtbot, laptop, monkeypatch, back)

    # 4. the office imports the laptop's package and lists its talks
    monkeypatch.setattr(sync_actions, "ask_open_packages", lambda _p, _d: [back])
    imported: list[ImportDialog] = []

    def show(dialog: ImportDialog) -> bool:
        imported.append(dialog)
        if dialog.import_button is not None:
            dialog.import_button.click()
        return True

    monkeypatch.setattr(sync_actions, "show_import_dialog", show)
    office.actions_by_name["importPackagesAction"].trigger()
    assert len(imported) == 2  # the preview, then the summary
    bar = office.context_bar
    choose(bar.round_combo, ROUND)
    choose(bar.group_combo, GROUP_A)
    talks = office.page("个别谈话记录")
    office.show_page(talks)
    qtbot.waitUntil(lambda: talks.total() == 2, timeout=5000)
    headers = [
        str(talks.model.headerData(c, Qt.Orientation.Horizontal)) for c in range(talks.model.columnCount())
    ]
    assert sorted(listed(talks, headers.index("谈话对象"))) == sorted(name for name, _ in TALKS)

    figures = workspace_figures(office_ws)
    assert (figures.rounds, figures.groups, figures.members, figures.targets) == (1, 2, 4, 3)
    assert figures.interviews == 2
