"""统计分析 (gui/statistics) on the office demo: the figures shown for a round, a year, the term and a date
range are the service's; a breakdown lists its rows and 合计; a number drills down to as many records as it
says, each opened on its tab; the charts hold the scope's values; a field laptop has no such tab."""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QApplication, QTableWidget
from pytestqt.qtbot import QtBot

from tests.builders import PASSPHRASE
from xuncha_desktop import cli
from xuncha_desktop.domain.issue_drafts import IssueDraft
from xuncha_desktop.domain.record_types import DRAFT, PETITION
from xuncha_desktop.gui.main_window import STATS_TITLE, MainWindow
from xuncha_desktop.gui.statistics import charts
from xuncha_desktop.gui.statistics.area import StatisticsArea
from xuncha_desktop.gui.statistics.overview import CHARTS_TAB, OverviewScreen
from xuncha_desktop.gui.statistics.scope_bar import RANGE, ROUND, TERM, YEAR
from xuncha_desktop.gui.statistics.tables import shown
from xuncha_desktop.services.demo.office import build_office_demo
from xuncha_desktop.services.office_statistics.breakdowns import breakdown
from xuncha_desktop.services.office_statistics.drilldown import count_behind, leads_without_outcome
from xuncha_desktop.services.office_statistics.figures import FIGURE_LABELS, summary
from xuncha_desktop.services.office_statistics.scope import Scope
from xuncha_desktop.services.records.context_names import load_context_names
from xuncha_desktop.services.records.record_service import ListQuery, RecordService
from xuncha_desktop.services.workspace import PASSPHRASE_ENV, Workspace
from xuncha_desktop.storage.keyfile import KdfParams

DEMO_DAY = date(2026, 6, 15)


@pytest.fixture(scope="module")
def office_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The office demo, built once for this module; each test works on a copy."""
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
    for page in win.built_pages():
        if page.is_dirty():
            page.discard_changes()
    win.close()
    win.deleteLater()


def open_overview(qtbot: QtBot, win: MainWindow) -> OverviewScreen:
    tabs = win.tabs
    titles = [tabs.tabText(i) for i in range(tabs.count())]
    assert titles.index(STATS_TITLE) == titles.index("整改监督") + 1
    tabs.setCurrentIndex(titles.index(STATS_TITLE))
    QApplication.processEvents()
    area = win.statistics_area
    assert isinstance(area, StatisticsArea)
    assert area.tabText(0) == "统计概览"
    screen = area.overview
    wait_read(qtbot, screen)
    return screen


def wait_read(qtbot: QtBot, screen: OverviewScreen) -> None:
    qtbot.waitUntil(lambda: not screen.loading, timeout=20000)


def rounds_newest_first(ws: Workspace) -> list[tuple[str, int]]:
    rounds = sorted(load_context_names(ws).rounds.values(), key=lambda r: (r.year, r.ordinal), reverse=True)
    return [(r.id, r.year) for r in rounds]


def assert_figures_shown(screen: OverviewScreen, ws: Workspace, scope: Scope) -> None:
    expected = summary(ws, scope, date.today())
    assert screen.heading.text() == scope.label(ws)
    shown_texts = {f: screen.figure_panel.value_text(f) for f in FIGURE_LABELS}
    assert shown_texts == {f: shown(f, expected.value(f)) for f in FIGURE_LABELS}
    assert expected.issues_found > 0 or scope.start is not None  # the demo has findings in every round


def double_click(qtbot: QtBot, table: QTableWidget, row: int, column: int) -> None:
    item = table.item(row, column)
    assert item is not None
    table.scrollToItem(item)
    rect = table.visualItemRect(item)
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.mouseDClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())


def test_the_figures_follow_the_scope_round_year_term_and_range(
    qtbot: QtBot, window: MainWindow, office: Workspace
) -> None:
    screen = open_overview(qtbot, window)
    rounds = rounds_newest_first(office)
    assert screen.scope_bar.kind() == ROUND  # the newest round first
    assert_figures_shown(screen, office, Scope(round_id=rounds[0][0]))

    bar = screen.scope_bar
    bar.kind_combo.setCurrentIndex(bar.kind_combo.findData(YEAR))
    wait_read(qtbot, screen)
    first_year = rounds[-1][1]
    assert_figures_shown(screen, office, Scope(year=rounds[0][1]))
    bar.year_combo.setCurrentIndex(bar.year_combo.findData(first_year))
    wait_read(qtbot, screen)
    assert_figures_shown(screen, office, Scope(year=first_year))

    bar.kind_combo.setCurrentIndex(bar.kind_combo.findData(TERM))
    wait_read(qtbot, screen)
    assert_figures_shown(screen, office, Scope())
    assert screen.heading.text() == "全部（本届）"

    bar.choose(RANGE, (date(first_year, 1, 1), date(first_year, 12, 31)))
    wait_read(qtbot, screen)
    assert_figures_shown(screen, office, Scope(start=date(first_year, 1, 1), end=date(first_year, 12, 31)))
    bar.choose(RANGE, (date(first_year, 12, 31), date(first_year, 1, 1)))
    assert bar.problem_label.text() == "起始日期晚于截止日期，请调整时间段"


def test_a_breakdown_lists_its_rows_and_the_total(
    qtbot: QtBot, window: MainWindow, office: Workspace
) -> None:
    screen = open_overview(qtbot, window)
    screen.scope_bar.choose(TERM)
    screen.by_combo.setCurrentIndex(screen.by_combo.findData("group"))
    wait_read(qtbot, screen)
    rows = breakdown(office, Scope(), "group", date.today())
    table = screen.breakdown_table
    assert table.rowCount() == len(rows)
    first, total = rows[0], rows[-1]
    row = table.row_of(first.label)
    for figure in ("issues_found", "leads_transferred", "interviews"):
        cell = table.item(row, table.column_of(figure))
        assert cell is not None and cell.text() == shown(figure, first.figures.value(figure))
    last = table.rowCount() - 1
    assert table.item(last, 0).text() == "合计"  # type: ignore[union-attr]
    issues = table.item(last, table.column_of("issues_found"))
    assert issues is not None and issues.text() == shown("issues_found", total.figures.issues_found)

    screen.by_combo.setCurrentIndex(screen.by_combo.findData("unit_kind"))
    wait_read(qtbot, screen)
    kinds = breakdown(office, Scope(), "unit_kind", date.today())
    assert [table.item(r, 0).text() for r in range(table.rowCount())] == [k.label for k in kinds]  # type: ignore[union-attr]


def test_a_figure_drills_down_to_its_records_and_opens_one(
    qtbot: QtBot, window: MainWindow, office: Workspace
) -> None:
    screen = open_overview(qtbot, window)
    panel = screen.figure_panel
    item = panel.item_of("issues_found")
    assert item is not None
    double_click(qtbot, panel, item.row(), item.column())
    dialog = screen.drilldown
    assert dialog is not None and dialog.isVisible()
    qtbot.waitUntil(lambda: not dialog.loading, timeout=20000)
    figure = int(item.text().replace(",", ""))
    assert figure == count_behind(office, screen.scope, "issues_found", today=date.today())
    assert dialog.table.rowCount() == min(figure, 200)
    assert f"共 {figure} 条记录" in dialog.count_label.text()
    assert [dialog.table.horizontalHeaderItem(c).text() for c in range(2)] == ["编号", "标题"]  # type: ignore[union-attr]

    ref = dialog.refs()[1]
    double_click(qtbot, dialog.table, 1, 1)
    page = window.page_for(DRAFT.key)
    qtbot.waitUntil(lambda: window.current_page() is page)
    assert page.current_record() is not None and page.current_record().id == ref.record_id  # type: ignore[union-attr]
    assert dialog.isVisible()  # the list stays for the next record
    dialog.close()


def test_a_breakdown_cell_drills_down_to_as_many_records_as_it_shows(
    qtbot: QtBot, window: MainWindow, office: Workspace
) -> None:
    screen = open_overview(qtbot, window)
    screen.by_combo.setCurrentIndex(screen.by_combo.findData("group"))
    wait_read(qtbot, screen)
    table = screen.breakdown_table
    column = table.column_of("leads_transferred")
    row = next(r for r in range(table.rowCount() - 1) if int(table.item(r, column).text()) > 0)  # type: ignore[union-attr]
    table.setCurrentCell(row, column)
    qtbot.mouseClick(screen.table_drill_button, Qt.MouseButton.LeftButton)
    dialog = screen.drilldown
    assert dialog is not None
    qtbot.waitUntil(lambda: not dialog.loading, timeout=20000)
    shown_number = int(table.item(row, column).text())  # type: ignore[union-attr]
    assert dialog.table.rowCount() == shown_number
    assert {r.type_key for r in dialog.refs()} == {"lead"}
    assert table.item(row, 0).text() in dialog.windowTitle()  # type: ignore[union-attr]
    dialog.close()


def bar_values(chart: object) -> dict[str, list[float]]:
    series = chart.series()[0]  # type: ignore[attr-defined]
    return {s.label(): [s.at(i) for i in range(s.count())] for s in series.barSets()}


def axis_labels(chart: object, orientation: Qt.Orientation) -> list[str]:
    axis = next(a for a in chart.axes(orientation) if hasattr(a, "categories"))  # type: ignore[attr-defined]
    return list(axis.categories())


def test_the_charts_hold_the_scopes_values(qtbot: QtBot, window: MainWindow, office: Workspace) -> None:
    screen = open_overview(qtbot, window)
    screen.scope_bar.choose(TERM)
    screen.tabs.setCurrentIndex(1)
    assert screen.tabs.tabText(1) == CHARTS_TAB
    wait_read(qtbot, screen)
    panel, today = screen.chart_panel, date.today()
    total = summary(office, Scope(), today)

    categories = [r for r in breakdown(office, Scope(), "category_l1", today)[:-1] if r.figures.issues_found]
    chart = panel.chart(charts.CATEGORY)
    assert bar_values(chart) == {charts.ISSUES: [r.figures.issues_found for r in categories]}
    assert axis_labels(chart, Qt.Orientation.Vertical) == [charts.cut(r.label) for r in categories]
    assert sum(bar_values(chart)[charts.ISSUES]) == total.issues_found  # every issue has a category

    outcome = bar_values(panel.chart(charts.OUTCOME))["线索（件）"]
    expected = [total.cases_opened, total.sanctions, total.org_handlings, total.judicial_transfers]
    assert outcome == [*expected, leads_without_outcome(office, Scope(), today=today)]

    groups = breakdown(office, Scope(), "group", today)[:-1]
    assert bar_values(panel.chart(charts.GROUPS)) == {
        charts.ISSUES: [g.figures.issues_found for g in groups],
        charts.LEADS: [g.figures.leads_transferred for g in groups],
    }
    rounds = breakdown(office, Scope(), "round", today)[:-1]
    trend = panel.chart(charts.TREND)
    assert len(rounds) == 3
    assert bar_values(trend)[charts.ISSUES] == [r.figures.issues_found for r in rounds]
    assert axis_labels(trend, Qt.Orientation.Horizontal) == [charts.cut(r.label) for r in rounds]

    # The charts follow the scope: one round has one point in the trend.
    newest = rounds_newest_first(office)[0][0]
    screen.scope_bar.choose(ROUND, newest)
    wait_read(qtbot, screen)
    assert bar_values(panel.chart(charts.TREND))[charts.LEADS] == [
        summary(office, Scope(round_id=newest), today).leads_transferred
    ]


def test_a_saved_finding_is_counted_at_once(qtbot: QtBot, window: MainWindow, office: Workspace) -> None:
    screen = open_overview(qtbot, window)
    before = summary(office, screen.scope, date.today()).issues_found
    some = RecordService[IssueDraft](office, DRAFT).list(
        ListQuery(filters={"round_id": screen.scope.round_id}, limit=1)
    )[0]
    RecordService[IssueDraft](office, DRAFT).save(
        IssueDraft(
            round_id=some.round_id,
            group_id=some.group_id,
            target_id=some.target_id,
            prepared_on=some.prepared_on,
            title="专项资金拨付滞后",
            description="2025年度专项资金拨付平均滞后四个月。",
            preparer="李明",
            category_l1="A2",
            status="已审签",
        )
    )
    qtbot.waitUntil(
        lambda: screen.figure_panel.value_text("issues_found") == f"{before + 1:,}", timeout=20000
    )


def test_a_field_workspace_has_no_statistics_tab(main_window: MainWindow) -> None:
    tabs = main_window.tabs
    assert STATS_TITLE not in [tabs.tabText(i) for i in range(tabs.count())]
    assert main_window.statistics_area is None


def test_petitions_agree_with_stats_json_and_drill_down_to_their_tab(
    qtbot: QtBot,
    window: MainWindow,
    office: Workspace,
    office_template: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """受理信访件次 of the term on screen is `stats --json`'s "petitions" (run on a copy: the window holds
    the workspace), split by round in the breakdown, and its records are 信访件 opened on their tab."""
    copy = tmp_path / "命令行"
    shutil.copytree(office_template.parent, copy)
    monkeypatch.setenv(PASSPHRASE_ENV, PASSPHRASE)
    assert cli.main(["stats", "--db", str(copy / office_template.name), "--json"]) == 0
    counted = json.loads(capsys.readouterr().out)["petitions"]
    assert counted == summary(office, Scope(), date.today()).petitions > 0

    screen = open_overview(qtbot, window)
    screen.scope_bar.choose(TERM)
    wait_read(qtbot, screen)
    assert screen.figure_panel.value_text("petitions") == str(counted)
    screen.by_combo.setCurrentIndex(screen.by_combo.findData("round"))
    wait_read(qtbot, screen)
    table = screen.breakdown_table
    column = table.column_of("petitions")
    per_round = [table.item(r, column).text() for r in range(table.rowCount())]  # type: ignore[union-attr]
    rounds = breakdown(office, Scope(), "round", date.today())
    assert per_round == [str(r.figures.petitions) for r in rounds] and per_round[-1] == str(counted)
    assert all(r.figures.petitions > 0 for r in rounds)  # every round received some

    item = screen.figure_panel.item_of("petitions")
    assert item is not None
    double_click(qtbot, screen.figure_panel, item.row(), item.column())
    dialog = screen.drilldown
    assert dialog is not None
    qtbot.waitUntil(lambda: not dialog.loading, timeout=20000)
    assert dialog.table.rowCount() == counted and {r.type_key for r in dialog.refs()} == {PETITION.key}
    ref = dialog.refs()[0]
    double_click(qtbot, dialog.table, 0, 1)
    page = window.page_for(PETITION.key)
    qtbot.waitUntil(lambda: window.current_page() is page)
    assert page.current_record() is not None and page.current_record().id == ref.record_id  # type: ignore[union-attr]
    dialog.close()
