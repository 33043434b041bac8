"""文件 → 生成报告初稿…: the dialog offers the kinds, the rounds, the units (or all of a round) and the drafts
of a 审批单; one document is written in the background and offered to open; a round gives one per unit
(units without a 一把手 画像 named); nothing is chosen when the folder does not exist."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMenu
from pytestqt.qtbot import QtBot

from tests.docx_helpers import headings, open_docx, pdf_text
from tests.report_builders import SIGNED, report_world
from xuncha_desktop.domain.organization import TargetUnit
from xuncha_desktop.domain.record_types import TARGET
from xuncha_desktop.gui import report_actions
from xuncha_desktop.gui.dialogs import report_dialog
from xuncha_desktop.gui.dialogs.report_dialog import ALL_UNITS, ReportChoice, ReportDialog
from xuncha_desktop.gui.forms import child
from xuncha_desktop.gui.main_window import MainWindow
from xuncha_desktop.services.records.context_names import load_context_names
from xuncha_desktop.services.records.record_service import RecordService
from xuncha_desktop.services.workspace import Workspace


@pytest.fixture
def window(qtbot: QtBot, workspace: Workspace, ui_settings: QSettings) -> Iterator[MainWindow]:
    report_world(workspace)
    RecordService[TargetUnit](workspace, TARGET).save(
        TargetUnit(round_id=_round(workspace), group_id=_group(workspace), name="清河县水利局党组")
    )
    win = MainWindow(workspace, settings=ui_settings, recover=False)
    qtbot.addWidget(win)
    yield win


def _round(ws: Workspace) -> str:
    return next(iter(load_context_names(ws).rounds))


def _group(ws: Workspace) -> str:
    return next(iter(load_context_names(ws).groups))


@pytest.fixture
def opened(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, Path]]:
    """What was offered to open (the announcement's text) and opened, instead of the desktop's viewer."""
    seen: list[tuple[str, Path]] = []
    texts: list[str] = []
    monkeypatch.setattr(report_actions, "ask_open", lambda _parent, text, _what: texts.append(text) or True)
    monkeypatch.setattr(report_actions, "open_path", lambda path: seen.append((texts[-1], path)))
    return seen


def _fill(
    monkeypatch: pytest.MonkeyPatch, kind: str, unit: str, suffix: str, folder: Path
) -> list[ReportDialog]:
    """Answer the dialog as a person would: pick by the texts shown."""
    shown: list[ReportDialog] = []

    def answer(dialog: ReportDialog) -> ReportChoice | None:
        shown.append(dialog)
        dialog.kind_box.setCurrentIndex(dialog.kind_box.findData(kind))
        dialog.unit_box.setCurrentIndex(
            dialog.unit_box.findText(unit) if unit else dialog.unit_box.findData(ALL_UNITS)
        )
        dialog.format_box.setCurrentIndex(dialog.format_box.findData(suffix))
        dialog.folder_edit.setText(str(folder))
        return dialog.choice()

    monkeypatch.setattr(report_actions, "show_report_dialog", answer)
    return shown


def test_the_file_menu_offers_it(window: MainWindow):
    menu = child(window, QMenu, "fileMenu")
    names = [a.objectName() for a in menu.actions()]
    assert names.index("reportAction") == names.index("exportLedgerAction") + 1
    assert window.actions_by_name["reportAction"].text() == "生成报告初稿(&R)…"


def test_one_units_report_is_written_in_the_background_and_offered_to_open(
    window: MainWindow, qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, opened
):
    _fill(monkeypatch, "inspection", "清河县财政局党组", ".docx", tmp_path)
    action: QAction = window.actions_by_name["reportAction"]
    action.trigger()
    qtbot.waitUntil(lambda: bool(opened), timeout=20000)
    [(text, path)] = opened
    assert path == tmp_path / "清河县财政局党组-巡察报告初稿.docx" and f"已生成巡察报告初稿：\n{path}" in text
    doc = open_docx(path)
    assert doc.paragraphs[1].text == "关于巡察清河县财政局党组的情况报告"
    assert headings(doc)[0] == (1, "一、巡察发现的主要问题")
    assert len(doc.tables[-1].rows) == 1 + len(SIGNED)


def test_a_rounds_top_leader_material_is_one_per_unit_with_those_skipped_named(
    window: MainWindow, qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, opened
):
    _fill(monkeypatch, "top-leader", "", ".pdf", tmp_path)
    report_actions.generate_reports(window, window.workspace)
    qtbot.waitUntil(lambda: bool(opened), timeout=30000)
    [(text, path)] = opened
    assert path == tmp_path
    assert "已生成一把手专题材料 1 份" in text and "清河县水利局党组：" in text
    [pdf] = tmp_path.glob("*.pdf")
    assert pdf.name == "清河县财政局党组-一把手专题材料.pdf" and "孙志强同志的专题材料" in pdf_text(pdf)


def test_the_dialog_lists_units_and_a_units_drafts_for_an_approval_sheet(
    window: MainWindow, qtbot: QtBot, tmp_path: Path
):
    rounds, units = report_actions.report_choices(window.workspace)
    dialog = ReportDialog(
        rounds,
        lambda r: units.get(r, []),
        lambda u: report_actions.drafts_of(window.workspace, u),
        tmp_path,
        window,
    )
    qtbot.addWidget(dialog)
    texts = [dialog.unit_box.itemText(i) for i in range(dialog.unit_box.count())]
    assert texts == ["（本轮全部 2 个单位，各生成一份）", "清河县水利局党组", "清河县财政局党组"]
    assert not dialog.draft_box.isEnabled()
    dialog.kind_box.setCurrentIndex(dialog.kind_box.findData("approval"))
    assert dialog.unit_box.currentText() == "清河县水利局党组"  # not 全部: a 审批单 is of one draft
    assert dialog.draft_box.isEnabled() and dialog.draft_box.count() == 0
    assert dialog.choice() is None and "请选择一份问题底稿" in dialog.error.text()
    dialog.unit_box.setCurrentIndex(dialog.unit_box.findText("清河县财政局党组"))
    assert dialog.draft_box.count() == len(SIGNED) + 1  # every draft of the unit, signed or not
    choice = dialog.choice()
    assert choice is not None and choice.kind == "approval" and choice.draft_id and not choice.batch
    dialog.folder_edit.setText(str(tmp_path / "不存在"))
    assert dialog.choice() is None and "已有的文件夹" in dialog.error.text()


def test_browse_sets_the_folder(
    window: MainWindow, qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    rounds, units = report_actions.report_choices(window.workspace)
    dialog = ReportDialog(rounds, lambda r: units.get(r, []), lambda u: [], Path("/"), window)
    qtbot.addWidget(dialog)
    monkeypatch.setattr(report_dialog, "ask_folder", lambda _parent, _start: tmp_path)
    dialog._browse()
    assert dialog.folder_edit.text() == str(tmp_path)
