"""统计概览: choose a scope; see its figures, a breakdown table (with its 合计 row) and four charts;
double-click a number for the records behind it. Every read runs on a pool thread (gui/background_reads):
at 100,000 records a summary or a breakdown takes up to a second. Only the tab in front (分类统计 or
统计图表) is read; the other one when it is shown."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from xuncha_desktop.domain.record_types import (
    DRAFT,
    GROUP,
    INTERVIEW,
    LEAD,
    PARTY_ORGANIZATION,
    ROUND,
    TARGET,
    TASK,
)
from xuncha_desktop.gui.background_reads import Reader
from xuncha_desktop.gui.pages.page_types import WorkContext
from xuncha_desktop.gui.statistics import outputs
from xuncha_desktop.gui.statistics.charts import ChartData, ChartPanel
from xuncha_desktop.gui.statistics.drilldown_dialog import DrilldownDialog
from xuncha_desktop.gui.statistics.host import ScreenHost
from xuncha_desktop.gui.statistics.scope_bar import ROUND as ROUND_SCOPE
from xuncha_desktop.gui.statistics.scope_bar import TERM, ScopeBar
from xuncha_desktop.gui.statistics.tables import BreakdownTable, Cell, FigurePanel, drillable
from xuncha_desktop.services.failures import user_message
from xuncha_desktop.services.office_statistics.breakdowns import BREAKDOWN_LABELS, BreakdownRow, breakdown
from xuncha_desktop.services.office_statistics.drilldown import leads_without_outcome
from xuncha_desktop.services.office_statistics.figures import FIGURE_LABELS, Summary, summary
from xuncha_desktop.services.office_statistics.scope import Scope

BREAKDOWN_TAB, CHARTS_TAB = "分类统计", "统计图表"
# What the figures are counted from: a change to any of these re-reads the screen.
READS = frozenset(
    {DRAFT.key, LEAD.key, INTERVIEW.key, TARGET.key, ROUND.key, GROUP.key, TASK.key, PARTY_ORGANIZATION.key}
)


@dataclass(frozen=True)
class Failed:
    """A read that did not succeed, with its Chinese message."""

    message: str


@dataclass(frozen=True)
class Figures:
    label: str
    summary: Summary


def _guarded(job: Callable[[], Any]) -> Callable[[], Any]:
    """A read that returns Failed(message) rather than raising (a raised read would never report back)."""

    def run() -> Any:
        try:
            return job()
        except Exception as error:
            return Failed(user_message(error))

    return run


def _without_total(rows: list[BreakdownRow]) -> list[BreakdownRow]:
    return [r for r in rows if r.key != ""]


class OverviewScreen(QWidget):
    """统计概览 (the first sub-screen of 统计分析)."""

    reads = READS

    def __init__(self, host: ScreenHost, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("statisticsOverview")
        self.host = host
        self._reader = Reader(self)
        self._generation = 0
        self._pending = 0
        self._table_shown: tuple[int, str] | None = None  # (generation, breakdown) the table shows
        self._charts_generation = -1
        self.scope: Scope = Scope()  # the scope shown
        self.scope_label = ""
        self.drilldown: DrilldownDialog | None = None
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        self.scope_bar = ScopeBar(host.workspace, host.today(), self)
        self.status_label = QLabel(self)
        self.status_label.setObjectName("statusLabel")
        bar = QHBoxLayout()
        bar.addWidget(self.scope_bar)
        bar.addStretch(1)
        bar.addWidget(self.status_label)
        for button in self._build_output_buttons():
            bar.addWidget(button)
        layout.addLayout(bar)
        splitter = QSplitter(Qt.Orientation.Horizontal, self)
        splitter.setObjectName("overviewSplitter")
        splitter.addWidget(self._build_figures(splitter))
        splitter.addWidget(self._build_tabs(splitter))
        splitter.setStretchFactor(0, 0)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([300, 1000])
        layout.addWidget(splitter, 1)
        self._choose_first_scope()
        self.scope_bar.changed.connect(lambda _scope: self.refresh())
        self.by_combo.currentIndexChanged.connect(lambda _i: self._load_tab())
        self.tabs.currentChanged.connect(lambda _i: self._load_tab())
        self.figure_panel.drill.connect(self.drill)
        self.breakdown_table.drill.connect(self.drill)

    def _build_output_buttons(self) -> tuple[QPushButton, QPushButton]:
        """导出统计表… and 打印统计简报… of the scope chosen (gui/statistics/outputs)."""
        self.export_button = QPushButton(outputs.EXPORT_TEXT, self)
        self.export_button.setObjectName("exportStatisticsButton")
        self.export_button.setToolTip(outputs.EXPORT_TIP)
        self.export_button.clicked.connect(lambda: outputs.export_workbook(self))
        self.print_button = QPushButton(outputs.PRINT_TEXT, self)
        self.print_button.setObjectName("printBriefButton")
        self.print_button.setToolTip(outputs.PRINT_TIP)
        self.print_button.clicked.connect(lambda: outputs.print_brief(self))
        return self.export_button, self.print_button

    def _build_figures(self, parent: QWidget) -> QWidget:
        box = QWidget(parent)
        column = QVBoxLayout(box)
        column.setContentsMargins(0, 0, 0, 0)
        self.heading = QLabel(box)
        self.heading.setObjectName("scopeHeading")
        heading_font = QFont(self.heading.font())
        heading_font.setPointSizeF(heading_font.pointSizeF() * 1.25)
        heading_font.setBold(True)
        self.heading.setFont(heading_font)
        self.figure_panel = FigurePanel(box)
        self.figure_drill_button = QPushButton("查看明细…", box)
        self.figure_drill_button.setObjectName("figureDrillButton")
        self.figure_drill_button.setToolTip("列出所选数字背后的记录（也可双击数字）")
        self.figure_drill_button.clicked.connect(
            lambda: self._drill_current(self.figure_panel.current_cell())
        )
        top = QHBoxLayout()
        top.addWidget(self.heading, 1)
        top.addWidget(self.figure_drill_button)
        column.addLayout(top)
        column.addWidget(self.figure_panel, 1)
        return box

    def _build_tabs(self, parent: QWidget) -> QTabWidget:
        self.tabs = QTabWidget(parent)
        self.tabs.setObjectName("overviewTabs")
        self.tabs.setDocumentMode(True)
        page = QWidget(self.tabs)
        column = QVBoxLayout(page)
        column.setContentsMargins(0, 4, 0, 0)
        row = QHBoxLayout()
        caption = QLabel("分类方式：", page)
        self.by_combo = QComboBox(page)
        self.by_combo.setObjectName("breakdownCombo")
        for key, text in BREAKDOWN_LABELS.items():
            self.by_combo.addItem(text, key)
        caption.setBuddy(self.by_combo)
        self.breakdown_table: BreakdownTable = BreakdownTable(page)
        self.table_drill_button = QPushButton("查看明细…", page)
        self.table_drill_button.setObjectName("tableDrillButton")
        self.table_drill_button.setToolTip("列出所选数字背后的记录（也可双击数字）")
        self.table_drill_button.clicked.connect(
            lambda: self._drill_current(self.breakdown_table.current_cell())
        )
        for widget in (caption, self.by_combo, self.table_drill_button):
            row.addWidget(widget)
        row.addStretch(1)
        column.addLayout(row)
        column.addWidget(self.breakdown_table, 1)
        self.chart_panel = ChartPanel(self.tabs)
        self.tabs.addTab(page, BREAKDOWN_TAB)
        self.tabs.addTab(self.chart_panel, CHARTS_TAB)
        return self.tabs

    def _choose_first_scope(self) -> None:
        """The newest round when there is one, else the whole term."""
        bar = self.scope_bar
        bar.blockSignals(True)
        bar.kind_combo.setCurrentIndex(
            bar.kind_combo.findData(ROUND_SCOPE if bar.round_combo.count() else TERM)
        )
        bar.blockSignals(False)

    # -- public ----------------------------------------------------------------------------------------
    @property
    def loading(self) -> bool:
        """Reads are under way (tests wait for this to turn False)."""
        return self._pending > 0

    def by(self) -> str:
        return str(self.by_combo.currentData())

    def refresh(self) -> None:
        """Read the chosen scope again: its figures, and the breakdown or the charts (the one in front)."""
        self.scope_bar.load_rounds()
        problem = self.scope_bar.problem()
        if problem:
            self.status_label.setText(problem)
            return
        self._generation += 1
        self.scope = self.scope_bar.scope()
        self.figure_panel.show_summary(None)
        ws, scope, today = self.host.workspace, self.scope, self.host.today()
        self._read(lambda: Figures(scope.label(ws), summary(ws, scope, today)), self._show_figures)
        self._load_tab()

    def follow(self, context: WorkContext) -> None:
        """The toolbar's round, when the scope is a round."""
        self.scope_bar.follow_round(context.round_id)

    def drill(self, cell: Cell) -> None:
        """The records behind `cell` in a list next to the window."""
        if self.drilldown is not None:
            self.drilldown.close()
        self.drilldown = DrilldownDialog(self.host, self.scope, self.scope_label, cell, self)
        self.drilldown.destroyed.connect(lambda *_: setattr(self, "drilldown", None))
        self.drilldown.show()

    # -- reading ---------------------------------------------------------------------------------------
    def _read(self, job: Callable[[], Any], show: Callable[[Any], None]) -> None:
        generation = self._generation
        self._pending += 1
        self._update_status()

        def done(result: Any) -> None:
            self._pending -= 1
            if generation == self._generation:  # else the scope changed meanwhile: a newer read follows
                if isinstance(result, Failed):
                    self.status_label.setText(f"统计未完成：{result.message}")
                    return
                show(result)
            self._update_status()

        self._reader.read(_guarded(job), done)

    def _update_status(self) -> None:
        if self._pending:
            self.status_label.setText("正在统计…")
        elif self.status_label.text() == "正在统计…":
            self.status_label.setText("")

    def _load_tab(self) -> None:
        """Read what the tab in front shows, when it does not show the current scope yet."""
        ws, scope, today, generation = self.host.workspace, self.scope, self.host.today(), self._generation
        if self.tabs.currentWidget() is self.chart_panel:
            if self._charts_generation != generation:
                self._charts_generation = generation
                self._read(lambda: self._chart_data(scope, today), self.chart_panel.show_data)
            return
        by = self.by()
        if self._table_shown != (generation, by):
            self._table_shown = (generation, by)
            self._read(lambda: breakdown(ws, scope, by, today), lambda rows: self._show_rows(by, rows))

    def _chart_data(self, scope: Scope, today: Any) -> ChartData:
        ws = self.host.workspace
        groups = breakdown(ws, scope, "group", today)
        total = next((r.figures for r in groups if r.key == ""), Summary())
        return ChartData(
            total,
            _without_total(breakdown(ws, scope, "category_l1", today)),
            _without_total(groups),
            _without_total(breakdown(ws, scope, "round", today)),
            leads_without_outcome(ws, scope, today=today),
        )

    def _show_figures(self, figures: Figures) -> None:
        self.scope_label = figures.label
        self.heading.setText(figures.label)
        self.figure_panel.show_summary(figures.summary)

    def _show_rows(self, by: str, rows: list[BreakdownRow]) -> None:
        if by == self.by():
            self.breakdown_table.show_rows(by, BREAKDOWN_LABELS[by].removeprefix("按"), rows)

    def _drill_current(self, cell: Cell | None) -> None:
        if cell is None:
            self.status_label.setText("请先选中一个数字")
        elif not drillable(cell.figure):
            self.status_label.setText(f"“{FIGURE_LABELS[cell.figure]}”没有对应的记录可列出")
        else:
            self.drill(cell)
