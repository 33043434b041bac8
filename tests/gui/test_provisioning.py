"""生成配置包 at the office (round and group by name, members and logins, the code shown once, the 配置单
printed) and 导入配置包 on a laptop (a wrong code asked again, the roster member's laptop afterwards)."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QDialog, QWidget
from pytestqt.qtbot import QtBot

from tests.builders import PASSPHRASE
from tests.output_helpers import pdf_text
from tests.roster_helpers import GROUP_A, GROUP_B, ROUND_NAME, Plan, new_laptop, new_office
from xuncha_desktop.gui import sync_actions
from xuncha_desktop.gui.dialogs import provision_dialog
from xuncha_desktop.gui.dialogs.import_dialog import ImportDialog
from xuncha_desktop.gui.dialogs.provision_dialog import CodeDialog, ProvisionDialog
from xuncha_desktop.services import packages, sync
from xuncha_desktop.services.sync.roster import CODE_ALPHABET
from xuncha_desktop.services.workspace import Workspace

CODE = "K7MX-3FRA-9TCH-WE4P"


@pytest.fixture
def parent(qtbot: QtBot) -> QWidget:
    widget = QWidget()
    qtbot.addWidget(widget)
    return widget


@pytest.fixture
def office(tmp_path: Path) -> Iterator[tuple[Workspace, Plan]]:
    ws, plan = new_office(tmp_path / "巡察办.xcdb")
    yield ws, plan
    ws.close()


def test_provisioning_a_group_shows_the_code_once_and_prints_the_sheet(
    office: tuple[Workspace, Plan],
    parent: QWidget,
    qtbot: QtBot,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    ws, _plan = office
    seen: dict[str, Any] = {}

    def drive_provision(parent_: QWidget | None, choices: Any, roster_of: Any) -> Any:
        dialog = ProvisionDialog(choices, roster_of, tmp_path, parent_)
        qtbot.addWidget(dialog)
        assert [dialog.round_combo.itemText(i) for i in range(dialog.round_combo.count())] == [ROUND_NAME]
        dialog.group_combo.setCurrentIndex(dialog.group_combo.findText(GROUP_B))
        assert [row[0] for row in dialog.member_rows()] == ["赵强", "孙丽"]
        dialog.group_combo.setCurrentIndex(dialog.group_combo.findText(GROUP_A))
        seen["rows"] = dialog.member_rows()
        seen["file"] = dialog.file_edit.text()
        assert dialog.first_check.isChecked()
        dialog.ok_button.click()
        assert dialog.result() == QDialog.DialogCode.Accepted
        return dialog.choice()

    def drive_code(dialog: CodeDialog) -> None:
        qtbot.addWidget(dialog)
        seen["code"] = dialog.code_text
        dialog.copy_button.click()
        assert QGuiApplication.clipboard().text() == dialog.code_text
        monkeypatch.setattr(provision_dialog, "ask_sheet_path", lambda _p, start: tmp_path / start.name)
        dialog.print_button.click()
        assert "配置单已保存" in dialog.status_text
        seen["sheet"] = next(tmp_path.glob("*.pdf"))
        dialog.close_button.click()

    monkeypatch.setattr(sync_actions, "ask_provision", drive_provision)
    monkeypatch.setattr(sync_actions, "show_code", drive_code)
    sync_actions.provision_group(parent, ws)
    qtbot.waitUntil(lambda: "sheet" in seen, timeout=30_000)

    assert seen["rows"] == [
        ["张建国", "组长", "zhangjg"],
        ["李明", "组员", "liming"],
        ["王芳", "联络员", "（未设置）"],
    ]
    package = Path(seen["file"])
    assert package.parent == tmp_path and package.name.startswith(f"{GROUP_A}-配置包-")
    assert package.is_file() and packages.needs_code(package)
    code = seen["code"]
    assert len(code) == 19 and set(code.replace("-", "")) <= set(CODE_ALPHABET)
    text = "".join(pdf_text(seen["sheet"]).split())
    for expected in (code, GROUP_A, ROUND_NAME, package.name, "张建国", "zhangjg", "李明", "liming", "王芳"):
        assert expected in text, expected
    # The code shown is the one that opens the package, typed loosely on the laptop.
    laptop = new_laptop(tmp_path / "李明.xcdb", "liming")
    [report] = sync.import_packages(
        laptop, [package], code=code.lower().replace("-", " "), passphrase=PASSPHRASE
    )
    assert report.status == "imported", report.error
    assert (laptop.user.display_name, laptop.user.role) == ("李明", "组员")
    laptop.close()


def test_laptop_import_asks_again_on_a_wrong_code_then_becomes_the_members(
    office: tuple[Workspace, Plan], parent: QWidget, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    ws, plan = office
    package = tmp_path / "A.xcpkg"
    sync.provision_package(ws, package, group_id=plan.groups[GROUP_A].id, code=CODE)
    before = hashlib.sha256(package.read_bytes()).hexdigest()
    laptop = new_laptop(tmp_path / "张建国.xcdb", "zhangjg", role="组长")
    typed = iter(["WRONG-CODE-0000", CODE])
    errors: list[str] = []

    def ask_code(_parent: Any, names: list[str], error: str = "") -> str:
        errors.append(error)
        return next(typed)

    shown: list[ImportDialog] = []

    def show_import(dialog: ImportDialog) -> bool:
        shown.append(dialog)
        if dialog.import_button is not None:
            dialog.import_button.click()
        return True

    asked: list[str] = []

    def ask_passphrase(_parent: Any, text: str, error: str = "") -> str:
        asked.append(text)
        return PASSPHRASE

    monkeypatch.setattr(sync_actions, "ask_open_packages", lambda _p, _d: [package])
    monkeypatch.setattr(sync_actions, "ask_code", ask_code)
    monkeypatch.setattr(sync_actions, "show_import_dialog", show_import)
    monkeypatch.setattr(sync_actions, "ask_roster_passphrase", ask_passphrase)
    assert sync_actions.import_packages(parent, laptop) is True

    assert errors[0] == ""
    assert "配置码“WRONG-CODE-0000”不正确" in errors[1] and "配置包未被改动" in errors[1]
    assert hashlib.sha256(package.read_bytes()).hexdigest() == before
    assert "张建国（组长）" in asked[0]
    assert (laptop.user.display_name, laptop.user.role) == ("张建国", "组长") and laptop.user.member_id
    summary = shown[-1]
    assert summary.import_button is None
    assert (
        "本机已成为巡察组“县委第一巡察组”名册中张建国（组长）的电脑"
        in summary.findChild(QWidget, "headerLabel").text()
    )
    laptop.close()


def test_a_login_outside_the_roster_is_told_so(
    office: tuple[Workspace, Plan], parent: QWidget, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    ws, plan = office
    package = tmp_path / "A.xcpkg"
    sync.provision_package(ws, package, group_id=plan.groups[GROUP_A].id, code=CODE)
    laptop = new_laptop(tmp_path / "外人.xcdb", "wangwu")
    shown: list[ImportDialog] = []

    def show_import(dialog: ImportDialog) -> bool:
        shown.append(dialog)
        if dialog.import_button is not None:
            dialog.import_button.click()
        return True

    monkeypatch.setattr(sync_actions, "ask_open_packages", lambda _p, _d: [package])
    monkeypatch.setattr(sync_actions, "ask_code", lambda _p, _n, _e="": CODE)
    monkeypatch.setattr(sync_actions, "show_import_dialog", show_import)
    assert sync_actions.import_packages(parent, laptop) is True
    header = shown[-1].findChild(QWidget, "headerLabel").text()
    assert "登录名“wangwu”不在巡察组“县委第一巡察组”的名册中" in header
    assert laptop.user.login == "wangwu" and not laptop.user.member_id
    laptop.close()
