"""Editable tables in forms: a list of dicts as rows (unshown keys kept with each row), and poll tallies."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableWidget, QTableWidgetItem

HIDDEN_ROLE = Qt.ItemDataRole.UserRole + 2  # on column 0: the row's keys that have no column
OPTION, VOTES, SHARE = 0, 1, 2


@dataclass(frozen=True)
class TableColumn:
    """One key of the dicts: shown under `header` ("" keeps it with the row, unshown)."""

    key: str
    header: str = ""
    integer: bool = False
    width: int = 0  # initial width in Chinese characters; 0 stretches
    display: Callable[[Any], str] | None = None  # how a read-only value reads (e.g. a timestamp)


def _shown(columns: Sequence[TableColumn]) -> list[TableColumn]:
    return [c for c in columns if c.header]


def prepare(table: QTableWidget, columns: Sequence[TableColumn], *, read_only: bool) -> None:
    shown = _shown(columns)
    table.setColumnCount(len(shown))
    table.setHorizontalHeaderLabels([c.header for c in shown])
    table.verticalHeader().setVisible(False)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    header = table.horizontalHeader()
    char = table.fontMetrics().horizontalAdvance("中")
    for i, column in enumerate(shown):
        if column.width:
            header.setSectionResizeMode(i, QHeaderView.ResizeMode.Interactive)
            header.resizeSection(i, column.width * char + 16)
        else:
            header.setSectionResizeMode(i, QHeaderView.ResizeMode.Stretch)
    if read_only:
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    else:
        table.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
            | QAbstractItemView.EditTrigger.AnyKeyPressed
        )


def _item(value: Any, integer: bool, display: Callable[[Any], str] | None = None) -> QTableWidgetItem:
    item = QTableWidgetItem()
    if display is not None:
        item.setText(display(value))
        item.setToolTip("" if value is None else str(value))
    elif integer:
        item.setData(Qt.ItemDataRole.EditRole, int(value or 0))  # the default delegate edits with a spin box
        item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
    else:
        item.setText("" if value is None else str(value))
        item.setToolTip(item.text())
    return item


def append_row(table: QTableWidget, columns: Sequence[TableColumn], values: Mapping[str, Any]) -> int:
    """Add one row at the end; returns its index."""
    shown = _shown(columns)
    row = table.rowCount()
    blocked = table.blockSignals(True)  # rowsInserted still tells listeners; no itemChanged per cell
    try:
        table.insertRow(row)
        for i, column in enumerate(shown):
            table.setItem(row, i, _item(values.get(column.key), column.integer, column.display))
        hidden = {k: v for k, v in values.items() if k not in {c.key for c in shown}}
        first = table.item(row, 0)
        if first is not None:
            first.setData(HIDDEN_ROLE, hidden)
    finally:
        table.blockSignals(blocked)
    return row


def set_rows(
    table: QTableWidget, columns: Sequence[TableColumn], values: Sequence[Mapping[str, Any]]
) -> None:
    table.setRowCount(0)
    for row in values:
        append_row(table, columns, row)


def rows(table: QTableWidget, columns: Sequence[TableColumn]) -> list[dict[str, Any]]:
    """The rows as dicts, skipping rows left completely empty."""
    shown = _shown(columns)
    out = []
    for r in range(table.rowCount()):
        first = table.item(r, 0)
        values: dict[str, Any] = dict(first.data(HIDDEN_ROLE) or {}) if first is not None else {}
        filled = bool(values)
        for i, column in enumerate(shown):
            item = table.item(r, i)
            if column.integer:
                raw = item.data(Qt.ItemDataRole.EditRole) if item is not None else 0
                values[column.key] = int(raw or 0)
                filled = filled or bool(raw)
            else:
                text = item.text().strip() if item is not None else ""
                values[column.key] = text
                filled = filled or bool(text)
        if filled:
            out.append(values)
    return out


def prepare_tallies(table: QTableWidget) -> None:
    table.setColumnCount(3)
    table.setHorizontalHeaderLabels(["选项", "票数", "占比"])
    table.verticalHeader().setVisible(False)
    table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setEditTriggers(
        QAbstractItemView.EditTrigger.DoubleClicked
        | QAbstractItemView.EditTrigger.SelectedClicked
        | QAbstractItemView.EditTrigger.EditKeyPressed
        | QAbstractItemView.EditTrigger.AnyKeyPressed
    )


def _fixed(text: str, align_right: bool = False) -> QTableWidgetItem:
    item = QTableWidgetItem(text)
    item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable)
    if align_right:
        item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
    return item


def _add_option(table: QTableWidget, option: str, votes: int) -> None:
    row = table.rowCount()
    table.insertRow(row)
    table.setItem(row, OPTION, _fixed(option))
    table.setItem(row, VOTES, _item(votes, integer=True))
    table.setItem(row, SHARE, _fixed("", align_right=True))


def _at(table: QTableWidget, row: int, column: int) -> QTableWidgetItem:
    item = table.item(row, column)
    if item is None:  # every cell of a tally row is filled when the row is added
        raise LookupError(f"no cell at {row}, {column}")
    return item


def options(table: QTableWidget) -> list[str]:
    return [_at(table, r, OPTION).text() for r in range(table.rowCount())]


def tallies(table: QTableWidget) -> dict[str, int]:
    return {
        _at(table, r, OPTION).text(): int(_at(table, r, VOTES).data(Qt.ItemDataRole.EditRole) or 0)
        for r in range(table.rowCount())
    }


def set_tallies(table: QTableWidget, values: Mapping[str, int]) -> None:
    """Votes for the offered options (0 when absent); options not offered are added."""
    blocked = table.blockSignals(True)
    try:
        for r in range(table.rowCount()):
            _at(table, r, VOTES).setData(Qt.ItemDataRole.EditRole, int(values.get(options(table)[r], 0)))
        for option in (o for o in values if o not in options(table)):
            _add_option(table, option, int(values[option]))
    finally:
        table.blockSignals(blocked)


def set_options(table: QTableWidget, offered: Sequence[str]) -> None:
    """Offer exactly `offered` (a poll scale), keeping the votes of options that stay."""
    kept = tallies(table)
    blocked = table.blockSignals(True)
    try:
        table.setRowCount(0)
        for option in offered:
            _add_option(table, option, kept.get(option, 0))
    finally:
        table.blockSignals(blocked)


def set_shares(table: QTableWidget, shares: Mapping[str, str]) -> None:
    blocked = table.blockSignals(True)
    try:
        for r, option in enumerate(options(table)):
            _at(table, r, SHARE).setText(shares.get(option, ""))
    finally:
        table.blockSignals(blocked)
