"""The two tables of 统计概览: the figure panel (指标 | 数值, twice side by side) and a breakdown (one row per
group, unit kind … and the 合计 row, one column per figure). A cell that holds a number knows which figure
and which breakdown row it is, so a double-click can list the records behind it."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QColor, QFont
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableWidget, QTableWidgetItem, QWidget

from xuncha_desktop.services.office_statistics.breakdowns import BreakdownRow, applies
from xuncha_desktop.services.office_statistics.figures import FIGURE_LABELS, Summary

PERCENT_OF_ONE = frozenset({"case_rate", "rectification_rate"})  # 0–1, shown as 93.75%
NOTHING_BEHIND = frozenset({"coverage_percent"})  # read from the 党组织名录, not from records
TOTAL_BRUSH = QBrush(QColor("#eef3fa"))
CellRole = Qt.ItemDataRole.UserRole + 1
PANEL_COLUMNS = 1  # pairs of 指标 | 数值 side by side


@dataclass(frozen=True)
class Cell:
    """What a number stands for: `figure` of the breakdown row `key` ("" with by="": the scope's total)."""

    figure: str
    by: str = ""
    key: str = ""
    row_label: str = ""


def shown(figure: str, value: Any) -> str:
    """A figure as it is shown: counts with thousands separators, rates as percentages, money in 元."""
    if value is None:
        return "—"  # 整改完成率 without any 整改任务
    if figure in PERCENT_OF_ONE:
        return f"{float(value) * 100:.2f}%"
    if isinstance(value, Decimal):
        return f"{value:,.2f}"
    if isinstance(value, float):
        return f"{value:.1f}"
    return f"{int(value):,}"


def drillable(figure: str) -> bool:
    return figure not in NOTHING_BEHIND


def header_label(figure: str) -> str:
    """The label on two lines for a column header: 发现问题（个） → 发现问题 / （个）."""
    return FIGURE_LABELS[figure].replace("（", "\n（")


def _item(text: str, cell: Cell | None = None, *, number: bool = False) -> QTableWidgetItem:
    item = QTableWidgetItem(text)
    item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable)
    if number:
        item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
    if cell is not None:
        item.setData(CellRole, cell)
        if drillable(cell.figure):
            item.setToolTip("双击查看这个数字背后的记录")
    return item


class _NumberTable(QTableWidget):
    """Read-only, compact rows; `drill(Cell)` on a double-click or Enter on a number."""

    drill = Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectItems)
        self.setAlternatingRowColors(True)
        self.setWordWrap(False)
        vertical = self.verticalHeader()
        vertical.setVisible(False)
        vertical.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        vertical.setDefaultSectionSize(self.fontMetrics().height() + 8)
        self.itemDoubleClicked.connect(self._on_double_click)
        self.itemActivated.connect(self._on_double_click)

    def current_cell(self) -> Cell | None:
        item = self.currentItem()
        cell = item.data(CellRole) if item is not None else None
        return cell if isinstance(cell, Cell) else None

    def cell_at(self, row: int, column: int) -> Cell | None:
        item = self.item(row, column)
        cell = item.data(CellRole) if item is not None else None
        return cell if isinstance(cell, Cell) else None

    def _on_double_click(self, item: QTableWidgetItem) -> None:
        cell = item.data(CellRole)
        if isinstance(cell, Cell) and drillable(cell.figure):
            self.drill.emit(cell)


class FigurePanel(_NumberTable):
    """Every figure of the scope: 指标 | 数值 pairs, PANEL_COLUMNS pairs side by side."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("figurePanel")
        self.figures = list(FIGURE_LABELS)
        rows = -(-len(self.figures) // PANEL_COLUMNS)
        self.setRowCount(rows)
        self.setColumnCount(2 * PANEL_COLUMNS)
        self.setHorizontalHeaderLabels(["指标", "数值"] * PANEL_COLUMNS)
        header = self.horizontalHeader()
        for pair in range(PANEL_COLUMNS):
            header.setSectionResizeMode(2 * pair, QHeaderView.ResizeMode.Stretch)
            header.setSectionResizeMode(2 * pair + 1, QHeaderView.ResizeMode.ResizeToContents)
        for index, figure in enumerate(self.figures):
            row, pair = index % rows, index // rows
            self.setItem(row, 2 * pair, _item(FIGURE_LABELS[figure]))
            self.setItem(row, 2 * pair + 1, _item("…", Cell(figure), number=True))

    def show_summary(self, summary: Summary | None) -> None:
        """The scope's figures (None: being counted)."""
        bold = QFont(self.font())
        bold.setBold(True)
        for row in range(self.rowCount()):
            for pair in range(PANEL_COLUMNS):
                item = self.item(row, 2 * pair + 1)
                cell = self.cell_at(row, 2 * pair + 1)
                if item is None or cell is None:
                    continue
                item.setText("…" if summary is None else shown(cell.figure, summary.value(cell.figure)))
                item.setFont(bold)

    def value_text(self, figure: str) -> str:
        """The text shown for `figure`."""
        item = self.item_of(figure)
        return item.text() if item is not None else ""

    def item_of(self, figure: str) -> QTableWidgetItem | None:
        for row in range(self.rowCount()):
            for pair in range(PANEL_COLUMNS):
                cell = self.cell_at(row, 2 * pair + 1)
                if cell is not None and cell.figure == figure:
                    return self.item(row, 2 * pair + 1)
        return None


class BreakdownTable(_NumberTable):
    """One row per breakdown row (合计 last, shaded), one column per figure."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("breakdownTable")
        self.figures = list(FIGURE_LABELS)
        self.setColumnCount(1 + len(self.figures))
        self.setHorizontalHeaderLabels(["", *(header_label(f) for f in self.figures)])
        for column, figure in enumerate(self.figures, start=1):
            header_item = self.horizontalHeaderItem(column)
            if header_item is not None:
                header_item.setToolTip(FIGURE_LABELS[figure])
        self.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.horizontalHeader().setStretchLastSection(False)

    def show_rows(self, by: str, by_label: str, rows: list[BreakdownRow]) -> None:
        self.setRowCount(0)
        header = self.horizontalHeaderItem(0)
        if header is not None:
            header.setText(by_label)
        self.setRowCount(len(rows))
        bold = QFont(self.font())
        bold.setBold(True)
        for r, row in enumerate(rows):
            total = row.key == ""
            label = _item(row.label)
            self.setItem(r, 0, label)
            for column, figure in enumerate(self.figures, start=1):
                if not total and not applies(by, figure):
                    unsplit = _item("—", number=True)
                    unsplit.setToolTip("这个指标不按此方式细分，见合计行")
                    self.setItem(r, column, unsplit)
                    continue
                cell = Cell(figure, "" if total else by, row.key, row.label)
                self.setItem(r, column, _item(shown(figure, row.figures.value(figure)), cell, number=True))
            if total:
                for column in range(self.columnCount()):
                    shaded = self.item(r, column)
                    if shaded is not None:
                        shaded.setBackground(TOTAL_BRUSH)
                        shaded.setFont(bold)

    def row_of(self, label: str) -> int:
        for row in range(self.rowCount()):
            item = self.item(row, 0)
            if item is not None and item.text() == label:
                return row
        raise KeyError(label)

    def column_of(self, figure: str) -> int:
        return 1 + self.figures.index(figure)
