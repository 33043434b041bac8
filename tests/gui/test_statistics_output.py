"""统计概览's outputs of the scope shown: 导出统计表… writes the statistics workbook (its 统计概览 sheet names
the scope and holds the service's figures), 打印统计简报… previews the one-page 统计简报 (saved as PDF: the
scope and its figures in the text), both under Chinese default names; File → 打印 / 导出台账 do the same
while 统计概览 is in front; a scope that cannot be counted is refused in words."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
import shiboken6
from openpyxl import load_workbook
from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from tests.builders import PASSPHRASE
from tests.output_helpers import pdf_text
from xuncha_desktop.gui import messages, output_actions
from xuncha_desktop.gui.dialogs.pdf_preview_dialog import PdfPreviewDialog
from xuncha_desktop.gui.main_window import STATS_TITLE, MainWindow
from xuncha_desktop.gui.statistics.overview import OverviewScreen
from xuncha_desktop.gui.statistics.scope_bar import RANGE, YEAR
from xuncha_desktop.services.demo.office import build_office_demo
from xuncha_desktop.services.office_statistics.figures import FIGURE_LABELS, summary
from xuncha_desktop.services.office_statistics.scope import Scope
from xuncha_desktop.services.output.statistics_workbook import OVERVIEW, TITLE
from xuncha_desktop.services.workspace import Workspace
from xuncha_desktop.storage.keyfile import KdfParams

DEMO_DAY = date(2026, 6, 15)
YEAR_SHOWN = 2025


@pytest.fixture(scope="module")
def office_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("office-demo")
    ws = Workspace.create(folder / "巡察办.xcdb", PASSPHRASE, kdf=KdfParams.cheap(), office=True)
    try:
        build_office_demo(ws, seed=1, records=240, today=DEMO_DAY)
    finally:
        ws.close()
    return folder / "巡察办.xcdb"


@pytest.fixture
def office(tmp_path: Path, office_template: Path) -> Iterator[Workspace]:
    folder = tmp_path / "巡察办"
    shutil.copytree(office_template.parent, folder)
    ws = Workspace.open(folder / office_template.name, PASSPHRASE)
    yield ws
    ws.close()


@pytest.fixture
def window(qtbot: QtBot, office: Workspace, ui_settings: QSettings) -> Iterator[MainWindow]:
    win = MainWindow(office, settings=ui_settings, recover=False)
    win.resize(1366, 768)
    win.show()
    qtbot.waitExposed(win)
    yield win
    win.close()
    win.deleteLater()


@pytest.fixture
def previews(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[PdfPreviewDialog]]:
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
    """Answers the save dialog with `target`; remembers the default it offered."""

    def __init__(self, target: Path) -> None:
        self.target = target
        self.offered: list[Path] = []

    def __call__(self, _parent: object, _title: str, default: Path, _filter: str) -> Path:
        self.offered.append(default)
        return self.target


def year_overview(qtbot: QtBot, win: MainWindow) -> OverviewScreen:
    """统计分析 → 统计概览 with 按年度 · 2025年 chosen, its figures read."""
    titles = [win.tabs.tabText(i) for i in range(win.tabs.count())]
    win.tabs.setCurrentIndex(titles.index(STATS_TITLE))
    QApplication.processEvents()
    screen = win.statistics_area.overview
    screen.scope_bar.choose(YEAR, YEAR_SHOWN)
    qtbot.waitUntil(lambda: not screen.loading, timeout=20_000)
    assert screen.heading.text() == f"{YEAR_SHOWN}年度"
    return screen


def overview_rows(path: Path) -> list[list[object]]:
    book = load_workbook(path, read_only=True)
    try:
        return [list(r) for r in book[OVERVIEW].iter_rows(values_only=True)]
    finally:
        book.close()


def exported(
    qtbot: QtBot, infos: list[str], click: object, answer: SaveAs, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(messages, "choose_save_file", answer)
    before = len(infos)
    click()  # type: ignore[operator]
    qtbot.waitUntil(lambda: len(infos) > before, timeout=60_000)
    assert infos[-1].startswith("已导出统计表") and str(answer.target) in infos[-1]


def test_export_the_workbook_of_the_year_shown(
    qtbot: QtBot,
    window: MainWindow,
    office: Workspace,
    infos: list[str],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    screen = year_overview(qtbot, window)
    assert screen.export_button.text() == "导出统计表…" and screen.export_button.isEnabled()
    answer = SaveAs(tmp_path / "out" / "年度统计")  # no suffix: .xlsx is added
    answer.target.parent.mkdir()
    exported(
        qtbot,
        infos,
        lambda: qtbot.mouseClick(screen.export_button, Qt.MouseButton.LeftButton),
        answer,
        monkeypatch,
    )

    today = screen.host.today()
    assert answer.offered[-1].name == f"{YEAR_SHOWN}年度统计表-{today:%Y%m%d}.xlsx"
    written = answer.target.with_name("年度统计.xlsx")
    rows = overview_rows(written)
    assert rows[0][0] == f"{TITLE}（{YEAR_SHOWN}年度）"
    assert str(rows[1][0]).startswith(f"统计范围：{YEAR_SHOWN}年度")
    values = {row[1]: row[2] for row in rows[3:] if row[1]}
    expected = summary(office, Scope(year=YEAR_SHOWN), today)
    for figure in ("issues_found", "leads_transferred", "interviews", "units_inspected"):
        assert values[FIGURE_LABELS[figure]] == getattr(expected, figure), figure
    assert expected.issues_found > 0
    whole = summary(office, Scope(), today)
    assert whole.issues_found != expected.issues_found  # the year's, not the term's

    # 文件 → 导出台账 with 统计概览 in front: the same workbook of the same scope.
    again = SaveAs(tmp_path / "out" / "菜单导出.xlsx")
    exported(qtbot, infos, window.actions_by_name["exportLedgerAction"].trigger, again, monkeypatch)
    assert again.offered[-1].name == answer.offered[-1].name
    assert overview_rows(again.target)[0][0] == f"{TITLE}（{YEAR_SHOWN}年度）"


def test_print_the_brief_of_the_year_shown(
    qtbot: QtBot,
    window: MainWindow,
    office: Workspace,
    previews: list[PdfPreviewDialog],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    screen = year_overview(qtbot, window)
    assert screen.print_button.text() == "打印统计简报…"
    qtbot.mouseClick(screen.print_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(previews), timeout=60_000)
    dialog = previews[-1]
    qtbot.waitUntil(lambda: dialog.page_count() > 0, timeout=10_000)
    assert dialog.page_count() == 1
    answer = SaveAs(tmp_path / "简报.pdf")
    monkeypatch.setattr(messages, "choose_save_file", answer)
    dialog.save_button.click()
    today = screen.host.today()
    assert answer.offered[-1].name == f"{YEAR_SHOWN}年度统计简报-{today:%Y%m%d}.pdf"
    text = pdf_text(answer.target)
    expected = summary(office, Scope(year=YEAR_SHOWN), today)
    flat = "".join(text.split())  # the paragraph wraps wherever its figures make it
    assert f"{YEAR_SHOWN}年度" in text
    assert f"受理信访件{expected.petitions}件次" in flat and expected.petitions > 0
    assert f"发现问题{expected.issues_found}个" in flat
    assert f"移交问题线索{expected.leads_transferred}件" in flat

    # 文件 → 打印 with 统计概览 in front: the brief of the same scope, previewed.
    title = dialog.windowTitle()
    dialog.close()
    window.actions_by_name["printAction"].trigger()
    qtbot.waitUntil(lambda: len(previews) == 2, timeout=60_000)
    second = previews[-1]
    qtbot.waitUntil(lambda: second.page_count() > 0, timeout=10_000)
    assert second.windowTitle() == title and "统计简报" in title


def test_a_scope_that_cannot_be_counted_is_refused(
    qtbot: QtBot, window: MainWindow, infos: list[str]
) -> None:
    screen = year_overview(qtbot, window)
    screen.scope_bar.choose(RANGE, (date(2026, 6, 1), date(2026, 1, 1)))
    qtbot.mouseClick(screen.export_button, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(screen.print_button, Qt.MouseButton.LeftButton)
    assert infos == ["起始日期晚于截止日期，请调整时间段。"] * 2
