"""文件 → 导出工作包 / 生成配置包 / 导入工作包: dialogs replaced, services and background jobs real."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QDialog, QWidget
from pytestqt.qtbot import QtBot

from tests.builders import PASSPHRASE, draft
from tests.gui.dialogs import DialogScript
from tests.sync_helpers import CODE, World, dump
from xuncha_desktop.domain.record_types import DRAFT, GROUP
from xuncha_desktop.gui import sync_actions
from xuncha_desktop.gui.dialogs import import_dialog
from xuncha_desktop.gui.dialogs.import_dialog import HEADERS, REJECTED_COLOR, ImportDialog
from xuncha_desktop.gui.dialogs.provision_dialog import ProvisionChoice
from xuncha_desktop.services import packages, sync
from xuncha_desktop.services.progress import Cancelled
from xuncha_desktop.services.records.record_service import RecordService
from xuncha_desktop.services.workspace import Workspace
from xuncha_desktop.storage.keyfile import KdfParams


@pytest.fixture
def parent(qtbot: QtBot) -> QWidget:
    widget = QWidget()
    qtbot.addWidget(widget)
    return widget


@pytest.fixture
def infos(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, str]]:
    shown: list[tuple[str, str]] = []
    monkeypatch.setattr(sync_actions, "show_info", lambda _parent, title, text: shown.append((title, text)))
    return shown


def press_import(dialog: ImportDialog) -> bool:
    assert dialog.import_button is not None
    dialog.import_button.click()
    return dialog.result() == QDialog.DialogCode.Accepted


def close(dialog: ImportDialog) -> bool:
    return True


def cancel(dialog: ImportDialog) -> bool:
    return False


def cells(dialog: ImportDialog, row: int) -> list[str]:
    table = dialog.table
    return [table.item(row, column).text() for column in range(table.columnCount())]


def laptop_package(world: World, title: str = "公务接待超标准") -> Path:
    RecordService(world.fields[0], DRAFT).save(draft(world.ctx, title=title))
    return world.export(world.fields[0])


def bad_package(world: World) -> Path:
    path = world.root / "坏包.xcpkg"
    path.write_bytes(b"not a package at all")
    return path


def choose(monkeypatch: pytest.MonkeyPatch, paths: list[Path]) -> None:
    monkeypatch.setattr(sync_actions, "ask_open_packages", lambda _parent, _start: list(paths))


# -- import ------------------------------------------------------------------------------------------------
def test_import_preview_shows_counts_and_a_rejected_package_with_its_reason(
    world: World, parent: QWidget, monkeypatch: pytest.MonkeyPatch
) -> None:
    good, bad = laptop_package(world), bad_package(world)
    [expected] = sync.import_packages(world.office, [good], dry_run=True)
    before = dump(world.office)
    choose(monkeypatch, [good, bad])
    script = DialogScript(cancel)
    monkeypatch.setattr(sync_actions, "show_import_dialog", script)

    assert sync_actions.import_packages(parent, world.office) is False

    [preview] = script.dialogs
    assert [preview.table.horizontalHeaderItem(c).text() for c in range(8)] == list(HEADERS)
    assert cells(preview, 0) == [
        good.name,
        "增量工作包",
        "可导入",
        str(expected.new),
        str(expected.updated),
        str(expected.unchanged),
        "0",
        "将导入",
    ]
    assert expected.new == 2  # the laptop's user and its draft
    rejected = cells(preview, 1)
    assert rejected[:3] == [bad.name, "—", "已拒绝"]
    assert "不是本系统的工作包" in rejected[7]
    assert preview.table.item(1, 7).foreground().color() == REJECTED_COLOR
    assert "拒绝 1 个" in preview.totals_text() and f"新增 {expected.new}" in preview.totals_text()
    assert preview.import_button is not None and preview.import_button.isEnabled()
    assert dump(world.office) == before  # a preview writes nothing


def test_import_after_preview_writes_and_the_summary_saves_as_csv(
    world: World, parent: QWidget, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    good, bad = laptop_package(world, "“三重一大”事项未经集体研究"), bad_package(world)
    choose(monkeypatch, [good, bad])
    script = DialogScript(press_import, close)
    monkeypatch.setattr(sync_actions, "show_import_dialog", script)

    assert sync_actions.import_packages(parent, world.office) is True

    titles = [d.title for d in RecordService(world.office, DRAFT).list()]
    assert titles == ["“三重一大”事项未经集体研究"]
    preview, summary = script.dialogs
    assert summary.import_button is None and summary.save_button is not None
    assert cells(summary, 0)[2] == "已导入" and cells(summary, 0)[3] == cells(preview, 0)[3]
    assert cells(summary, 1)[2] == "已拒绝"
    target = tmp_path / "导入报告.csv"
    monkeypatch.setattr(import_dialog, "ask_report_path", lambda _parent, _default: target)
    summary.save_button.click()
    with open(target, encoding="utf-8-sig", newline="") as f:
        rows = list(csv.reader(f))
    assert rows[0] == list(HEADERS)
    assert rows[1][:3] == [good.name, "增量工作包", "已导入"]
    assert rows[2][2] == "已拒绝" and "不是本系统的工作包" in rows[2][7]


def test_summary_report_saves_as_text(world: World, tmp_path: Path, qtbot: QtBot) -> None:
    reports = sync.import_packages(world.office, [laptop_package(world), bad_package(world)])
    target = import_dialog.write_report(tmp_path / "报告.txt", reports)
    text = target.read_text(encoding="utf-8")
    assert "已导入" in text and "已拒绝" in text and "问题底稿：新增 1" in text and "合计：2 个工作包" in text


def test_already_imported_package_is_skipped_and_cannot_be_imported_again(
    world: World, parent: QWidget, monkeypatch: pytest.MonkeyPatch
) -> None:
    good = laptop_package(world)
    sync.import_packages(world.office, [good])
    choose(monkeypatch, [good])
    script = DialogScript(cancel)
    monkeypatch.setattr(sync_actions, "show_import_dialog", script)

    assert sync_actions.import_packages(parent, world.office) is False
    [preview] = script.dialogs
    assert cells(preview, 0)[2] == "已导入过"
    assert preview.import_button is not None and not preview.import_button.isEnabled()


def test_first_provisioning_asks_for_the_code(
    world: World, parent: QWidget, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    provision = world.root / "provision.xcpkg"
    assert packages.needs_code(provision)
    asked: list[list[str]] = []

    def ask_code(_parent: Any, names: list[str], _error: str = "") -> str:
        asked.append(names)
        return CODE

    monkeypatch.setattr(sync_actions, "ask_code", ask_code)
    choose(monkeypatch, [provision])
    script = DialogScript(press_import, close)
    monkeypatch.setattr(sync_actions, "show_import_dialog", script)
    with Workspace.create(tmp_path / "新电脑.xcdb", PASSPHRASE, kdf=KdfParams.cheap()) as laptop:
        assert sync_actions.import_packages(parent, laptop) is True
        assert asked == [["provision.xcpkg"]]
        assert cells(script.dialogs[0], 0)[1:3] == ["配置包", "可导入"]
        assert len(RecordService(laptop, GROUP).list()) == 1


def test_cancelling_the_code_question_imports_nothing(
    world: World, parent: QWidget, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sync_actions, "ask_code", lambda _parent, _names, _error="": None)
    choose(monkeypatch, [world.root / "provision.xcpkg"])
    assert sync_actions.import_packages(parent, world.fields[0]) is False


def test_cancel_during_import_keeps_the_packages_finished_before(world: World) -> None:
    first = laptop_package(world, "第一个问题")
    RecordService(world.fields[1], DRAFT).save(draft(world.ctx, title="第二个问题"))
    second = world.export(world.fields[1])

    class CancelOnSecondPackage:
        """The user presses 取消 while the second package is being imported."""

        def __init__(self) -> None:
            self.pressed = False

        def report(self, done: int, total: int, message: str = "") -> None:
            self.pressed = self.pressed or second.name in message

        def check_cancelled(self) -> None:
            if self.pressed:
                raise Cancelled

    previews = sync.import_packages(world.office, [first, second], dry_run=True)
    run = sync_actions.run_import(world.office, [first, second], None, CancelOnSecondPackage())
    assert run.cancelled
    assert [r.status for r in run.reports] == ["imported", "cancelled"]
    assert [d.title for d in RecordService(world.office, DRAFT).list()] == ["第一个问题"]
    summary = sync_actions.merge_reports(previews, run)
    assert summary[0].new == previews[0].new and summary[1].status == "cancelled"


# -- export and provision -------------------------------------------------------------------------------
def test_export_writes_the_package_and_shows_what_it_holds(
    world: World, parent: QWidget, monkeypatch: pytest.MonkeyPatch, qtbot: QtBot, infos: list[Any]
) -> None:
    laptop = world.fields[0]
    RecordService(laptop, DRAFT).save(draft(world.ctx))
    target = world.root / "导出.xcpkg"
    defaults: list[Path] = []
    monkeypatch.setattr(sync_actions, "ask_export_mode", lambda _parent: False)

    def ask_save(_parent: Any, title: str, default: Path) -> Path:
        defaults.append(default)
        return target

    monkeypatch.setattr(sync_actions, "ask_save_package", ask_save)
    sync_actions.export_workspace(parent, laptop)
    qtbot.waitUntil(lambda: bool(infos), timeout=10_000)
    [(title, text)] = infos
    assert title == "导出工作包" and str(target) in text
    assert "修订记录：" in text and "附件：0 个" in text and "文件大小：" in text
    assert defaults[0].suffix == ".xcpkg" and "组员1" in defaults[0].name
    [report] = sync.import_packages(world.office, [target])
    assert (report.status, report.new) == ("imported", 2)  # the laptop's user and its draft


def test_export_from_an_unprovisioned_laptop_says_so(
    parent: QWidget,
    monkeypatch: pytest.MonkeyPatch,
    qtbot: QtBot,
    tmp_path: Path,
    errors: list[tuple[str, str]],
) -> None:
    monkeypatch.setattr(sync_actions, "ask_export_mode", lambda _parent: True)
    monkeypatch.setattr(sync_actions, "ask_save_package", lambda _p, _t, _d: tmp_path / "x.xcpkg")
    with Workspace.create(tmp_path / "新电脑.xcdb", PASSPHRASE, kdf=KdfParams.cheap()) as laptop:
        sync_actions.export_workspace(parent, laptop)
        qtbot.waitUntil(lambda: bool(errors), timeout=10_000)
    [(title, text)] = errors
    assert title == "导出工作包" and "尚未由巡察办配置" in text
    assert not (tmp_path / "x.xcpkg").exists()


def test_export_from_the_office_points_to_provisioning(
    world: World, parent: QWidget, errors: list[tuple[str, str]]
) -> None:
    sync_actions.export_workspace(parent, world.office)
    assert "生成配置包" in errors[0][1]


def test_provision_group_update_needs_no_code(
    world: World, parent: QWidget, monkeypatch: pytest.MonkeyPatch, qtbot: QtBot, infos: list[Any]
) -> None:
    target = world.root / "更新配置包.xcpkg"
    monkeypatch.setattr(
        sync_actions,
        "ask_provision",
        lambda _parent, choices, _roster: ProvisionChoice(choices[0].group_id, target, False),
    )
    sync_actions.provision_group(parent, world.office)
    qtbot.waitUntil(lambda: bool(infos), timeout=20_000)
    assert "最新数据" in infos[0][1]
    assert target.is_file() and not packages.needs_code(target)


def test_provision_group_is_for_the_office_only(
    world: World, parent: QWidget, errors: list[tuple[str, str]]
) -> None:
    sync_actions.provision_group(parent, world.fields[0])
    assert errors == [("生成配置包", "只有巡察办工作库可以生成配置包")]


def test_the_summary_undoes_the_import_it_shows(
    world: World, parent: QWidget, monkeypatch: pytest.MonkeyPatch, infos: list[tuple[str, str]]
) -> None:
    before = dump(world.office)
    choose(monkeypatch, [laptop_package(world, "撤销导入测试底稿")])
    asked: list[str] = []
    monkeypatch.setattr(sync_actions.messages, "confirm_undo_import", lambda _p, q: asked.append(q) or True)
    monkeypatch.setattr(
        sync_actions.messages, "show_info", lambda _p, title, text: infos.append((title, text))
    )

    def press_undo(dialog: ImportDialog) -> bool:
        assert dialog.undo_button is not None and "撤销本次导入" in dialog.undo_button.text()
        dialog.undo_button.click()
        return True

    script = DialogScript(press_import, press_undo)
    monkeypatch.setattr(sync_actions, "show_import_dialog", script)
    assert sync_actions.import_packages(parent, world.office) is True
    assert "撤销导入测试底稿" not in str(before)
    assert dump(world.office) == before
    assert asked and "新增 " in asked[0] and infos[-1] == ("撤销导入", "已撤销本次导入，工作库已回到导入前。")
    assert script.dialogs[1].result() == QDialog.DialogCode.Accepted
