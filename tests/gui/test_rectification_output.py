"""整改监督's outputs through the window: the 打印 and 导出台账 menu buttons in the corner of its tabs and the
File menu's 打印 / 导出台账 on each screen — the 整改情况 of the selected record's unit or of a whole round,
the 整改质效评估 (PDF and xlsx), the 整改台账 and the 移交线索对账表 — previewed or saved, and read back."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import shiboken6
from openpyxl import load_workbook
from pypdf import PdfReader
from pytestqt.qtbot import QtBot

from tests.builders import Context
from tests.gui.rect_helpers import office, office_window, open_area
from tests.output_helpers import pdf_text
from tests.rectification_output_builders import (
    DUE_ON,
    ISSUES,
    OTHER_UNIT,
    TODAY,
    UNIT,
    RectificationRound,
    rectification_round,
)
from xuncha_desktop.gui import messages, output_actions
from xuncha_desktop.gui.dialogs.pdf_preview_dialog import PdfPreviewDialog
from xuncha_desktop.gui.main_window import MainWindow
from xuncha_desktop.services.workspace import Workspace

__all__ = ["office", "office_window"]  # fixtures

STAMP = f"{date.today():%Y%m%d}"
ROUND = "2025年第3轮巡察"


# -- shared with test_rectification_tasks -----------------------------------------------------------------
@pytest.fixture
def previews(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[PdfPreviewDialog]]:
    """Preview dialogs shown (non-modally) instead of exec'd, for the test to drive; closed afterwards."""
    shown: list[PdfPreviewDialog] = []

    def show(dialog: PdfPreviewDialog) -> None:
        dialog.show()
        shown.append(dialog)

    monkeypatch.setattr(output_actions, "show_preview", show)
    yield shown
    for dialog in shown:
        if shiboken6.isValid(dialog):
            dialog.close()


@pytest.fixture
def infos(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    shown: list[str] = []
    monkeypatch.setattr(messages, "show_info", lambda _parent, _title, text: shown.append(text))
    return shown


class SaveAs:
    """Answers the save dialog with a file under `folder`; remembers the default name it offered."""

    def __init__(self, folder: Path, name: str) -> None:
        self.target = folder / name
        self.offered: list[Path] = []

    def __call__(self, _parent: object, _title: str, default: Path, _filter: str) -> Path:
        self.offered.append(default)
        return self.target


def saved_preview(
    qtbot: QtBot, previews: list[PdfPreviewDialog], monkeypatch: pytest.MonkeyPatch, answer: SaveAs
) -> PdfPreviewDialog:
    """Wait for the preview the last action opened and save it as the user would (另存为 PDF…)."""
    qtbot.waitUntil(lambda: bool(previews), timeout=30_000)
    dialog = previews[-1]
    qtbot.waitUntil(lambda: dialog.page_count() > 0, timeout=10_000)
    monkeypatch.setattr(messages, "choose_save_file", answer)
    dialog.save_button.click()
    assert answer.target.read_bytes().startswith(b"%PDF")
    return dialog


def exported(
    qtbot: QtBot, infos: list[str], monkeypatch: pytest.MonkeyPatch, answer: SaveAs, run: Any
) -> list[list[Any]]:
    """Run an export with the save dialog answered; the first sheet's rows once the job has finished."""
    monkeypatch.setattr(messages, "choose_save_file", answer)
    before = len(infos)
    run()
    qtbot.waitUntil(lambda: len(infos) > before, timeout=30_000)
    assert infos[-1].startswith("已导出") and str(answer.target) in infos[-1]
    book = load_workbook(answer.target, read_only=True)
    rows = [list(r) for r in book.worksheets[0].iter_rows(values_only=True)]
    book.close()
    return rows


def file_menu(window: MainWindow, name: str) -> None:
    """文件 → 打印 (printAction) or 导出台账 (exportLedgerAction)."""
    window.actions_by_name[name].trigger()


# -- this module's round ---------------------------------------------------------------------------------
@pytest.fixture
def done(office: Workspace) -> RectificationRound:
    return rectification_round(office)


@pytest.fixture
def octx(done: RectificationRound) -> Context:
    """office_window's context: the round in rectification of tests/rectification_output_builders."""
    return done.ctx


@pytest.fixture
def area(office_window: MainWindow) -> Any:
    open_area(office_window, "巡察反馈")
    found = office_window.rectification_area
    found.rc.today = lambda: TODAY  # the builder's day: one open task is overdue
    return found


def _entries(area: Any, button: str) -> dict[str, tuple[str, bool]]:
    """A menu button's entries as its menu shows them when opened: name → (text, enabled)."""
    menu = area.findChild(type(area.outputs.print_button), button).menu()
    menu.aboutToShow.emit()
    return {a.objectName(): (a.text(), a.isEnabled()) for a in menu.actions()}


def _select_task(page: Any, issue: str) -> None:
    rows = [page.table.model().record(r) for r in range(page.table.model().rowCount())]
    page.select_row(next(i for i, t in enumerate(rows) if t.issue == issue))


def test_the_selected_tasks_unit_is_printed_from_the_print_menu(
    qtbot: QtBot,
    office_window: MainWindow,
    area: Any,
    previews: list[PdfPreviewDialog],
    monkeypatch: pytest.MonkeyPatch,
    documents_folder: Path,
    tmp_path: Path,
) -> None:
    page = open_area(office_window, "整改任务")
    _select_task(page, ISSUES[1])
    entries = _entries(area, "printMenuButton")
    assert entries["printUnitAction"] == (f"打印本单位整改情况（{UNIT}）", True)
    assert entries["printRoundAction"] == (f"打印本轮整改情况（每单位一份，{ROUND}）", True)  # the toolbar's

    area.outputs.action("printUnitAction").trigger()
    answer = SaveAs(tmp_path, "整改情况.pdf")
    dialog = saved_preview(qtbot, previews, monkeypatch, answer)
    assert answer.offered == [documents_folder / f"{UNIT}整改情况-{STAMP}.pdf"]
    assert dialog.windowTitle() == "打印预览 — 巡察整改情况"
    text = pdf_text(answer.target)
    assert UNIT in text and OTHER_UNIT not in text
    assert all(issue in text for issue in ISSUES)
    assert f"{DUE_ON.year}年{DUE_ON.month}月{DUE_ON.day}日" in text  # the tasks' 整改时限
    assert "采购手续尚在补办" in text  # the open task's latest 督导 note


def test_file_print_on_the_feedback_page_prints_the_shown_feedbacks_unit(
    qtbot: QtBot,
    office_window: MainWindow,
    area: Any,
    done: RectificationRound,
    previews: list[PdfPreviewDialog],
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    page = open_area(office_window, "巡察反馈")
    assert page.show_record(done.other_feedback.id)
    file_menu(office_window, "printAction")
    answer = SaveAs(tmp_path, "教育局.pdf")
    saved_preview(qtbot, previews, monkeypatch, answer)
    text = pdf_text(answer.target)
    assert OTHER_UNIT in text and "食堂管理混乱" in text and UNIT not in text


def test_a_whole_round_one_unit_after_another(
    qtbot: QtBot,
    office_window: MainWindow,
    area: Any,
    done: RectificationRound,
    previews: list[PdfPreviewDialog],
    monkeypatch: pytest.MonkeyPatch,
    documents_folder: Path,
    tmp_path: Path,
) -> None:
    screen = open_area(office_window, "到期提醒")
    screen.select_round(done.ctx.round.id)
    entries = _entries(area, "printMenuButton")
    assert entries["printRoundAction"] == (f"打印本轮整改情况（每单位一份，{ROUND}）", True)
    area.outputs.action("printRoundAction").trigger()
    answer = SaveAs(tmp_path, "本轮整改情况.pdf")
    dialog = saved_preview(qtbot, previews, monkeypatch, answer)
    assert answer.offered == [documents_folder / f"{ROUND}整改情况-{STAMP}.pdf"]
    pages = len(PdfReader(str(answer.target)).pages)
    assert pages == dialog.page_count() >= 2
    first = next(p for p in range(1, pages + 1) if OTHER_UNIT in pdf_text(answer.target, p))
    assert UNIT in pdf_text(answer.target, 1) and first > 1  # each unit starts on its own page


def test_task_ledger_of_the_shown_round_and_of_the_whole_workspace(
    qtbot: QtBot,
    office_window: MainWindow,
    area: Any,
    infos: list[str],
    monkeypatch: pytest.MonkeyPatch,
    documents_folder: Path,
    tmp_path: Path,
) -> None:
    open_area(office_window, "整改任务")  # the toolbar's round
    answer = SaveAs(tmp_path, "整改台账.xlsx")
    rows = exported(qtbot, infos, monkeypatch, answer, lambda: file_menu(office_window, "exportLedgerAction"))
    assert answer.offered == [documents_folder / f"{ROUND}整改台账-{STAMP}.xlsx"]
    header, *body, total = rows
    assert header[:4] == ["序号", "任务编号", "反馈问题", "巡察轮次"]
    assert "整改时限" in header and "状态" in header
    by_issue = {row[header.index("反馈问题")]: dict(zip(header, row, strict=True)) for row in body}
    assert set(by_issue) == {*ISSUES, "食堂管理混乱"}
    closed = by_issue[ISSUES[0]]
    assert closed["被巡察单位"] == UNIT and closed["状态"] == "已完成" and closed["销号人"] == "王晓东"
    assert by_issue[ISSUES[1]]["是否逾期"] == "是"
    assert total[0] == "合计" and total[1] == "共 4 项"
    assert total[header.index("是否逾期")] == "逾期 2 项"
    assert infos[-1].endswith("整改台账：4 行")

    everything = SaveAs(tmp_path, "全部整改台账.xlsx")
    action = area.outputs.action("exportTasksAllAction")
    assert exported(qtbot, infos, monkeypatch, everything, action.trigger) == rows
    assert everything.offered == [tmp_path / f"整改台账-{STAMP}.xlsx"]


def test_reconciliation_of_the_shown_round_and_no_print_format(
    qtbot: QtBot,
    office_window: MainWindow,
    area: Any,
    done: RectificationRound,
    infos: list[str],
    monkeypatch: pytest.MonkeyPatch,
    documents_folder: Path,
    tmp_path: Path,
) -> None:
    screen = open_area(office_window, "线索对账")
    screen.select_round(done.ctx.round.id)
    file_menu(office_window, "printAction")
    assert infos == ["线索对账没有打印格式，移交线索对账表请用“导出台账”导出为 Excel。"]
    answer = SaveAs(tmp_path, "对账表.xlsx")
    rows = exported(qtbot, infos, monkeypatch, answer, lambda: file_menu(office_window, "exportLedgerAction"))
    assert answer.offered == [documents_folder / f"{ROUND}移交线索对账表-{STAMP}.xlsx"]
    header, *body, total = rows
    assert header[:4] == ["序号", "巡察轮次", "接收机关", "移交线索（件）"]
    organs = {row[2]: row for row in body}
    assert organs["纪委监委"][3] == 2 and organs["组织部"][3] == 1
    assert total[0] == "合计" and total[3] == 3


def test_evaluation_printed_and_exported_from_its_screen(
    qtbot: QtBot,
    office_window: MainWindow,
    area: Any,
    done: RectificationRound,
    previews: list[PdfPreviewDialog],
    infos: list[str],
    monkeypatch: pytest.MonkeyPatch,
    documents_folder: Path,
    tmp_path: Path,
) -> None:
    screen = open_area(office_window, "整改质效评估")
    screen.select_round(done.ctx.round.id)
    qtbot.waitUntil(lambda: screen.editor.total() == 2, timeout=10_000)
    file_menu(office_window, "printAction")
    answer = SaveAs(tmp_path, "评估.pdf")
    dialog = saved_preview(qtbot, previews, monkeypatch, answer)
    assert answer.offered == [documents_folder / f"{ROUND}整改质效评估结果-{STAMP}.pdf"]
    assert dialog.windowTitle() == "打印预览 — 整改质效评估结果"
    text = pdf_text(answer.target)
    assert UNIT in text and OTHER_UNIT in text and "整改完成率" in text

    entries = _entries(area, "exportMenuButton")
    assert entries["exportEvaluationAction"] == (f"导出整改质效评估（{ROUND}）", True)
    sheet = SaveAs(tmp_path, "评估.xlsx")
    rows = exported(qtbot, infos, monkeypatch, sheet, area.outputs.action("exportEvaluationAction").trigger)
    assert sheet.offered == [tmp_path / f"{ROUND}整改质效评估-{STAMP}.xlsx"]  # the folder last saved to
    assert rows[0][:3] == ["名次", "被巡察单位", "总分"] or "被巡察单位" in rows[0]
    units = [row[rows[0].index("被巡察单位")] for row in rows[1:]]
    assert sorted(u for u in units if u in (UNIT, OTHER_UNIT)) == sorted([UNIT, OTHER_UNIT])


def test_without_a_round_or_a_selection_the_menus_say_what_is_missing(
    office_window: MainWindow, area: Any, infos: list[str]
) -> None:
    screen = open_area(office_window, "到期提醒")
    screen.select_round("")  # 全部轮次
    screen.editor.table.clearSelection()
    prints = _entries(area, "printMenuButton")
    assert prints["printUnitAction"] == ("打印本单位整改情况（请先在列表中选择记录）", False)
    assert prints["printEvaluationAction"] == ("打印整改质效评估结果（请先选择巡察轮次）", False)
    exports = _entries(area, "exportMenuButton")
    assert exports["exportTasksAllAction"] == ("导出整改台账（全部轮次）", True)
    assert exports["exportTasksRoundAction"][1] is False
    file_menu(office_window, "printAction")
    assert infos == ["请先在列表中选择一条记录：打印的是它所属被巡察单位的整改情况。"]
