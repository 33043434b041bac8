"""A page's column widths and pane sizes: the initial layout, and the one remembered in QSettings."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QByteArray, QSettings
from PySide6.QtWidgets import QHeaderView, QSplitter, QTableView

from xuncha_desktop.gui.pages.record_table_model import Column

LIST_SHARE = 2 / 5  # of the page's width, for the list
FORM_SHARE = 4 / 5  # of the right pane's height, for the form (the rest: links and attachments)


class PageLayout:
    """Column widths are given in Chinese characters, so they follow the font and the screen's DPI."""

    def __init__(
        self,
        table: QTableView,
        columns: Sequence[Column[Any]],
        panes: QSplitter,
        detail: QSplitter,
        settings: QSettings | None,
        key: str,
    ) -> None:
        self._table, self._columns = table, tuple(columns)
        self._panes, self._detail = panes, detail
        self._settings, self._key = settings, key
        header = table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        table.verticalHeader().setDefaultSectionSize(table.fontMetrics().height() + 10)
        panes.setStretchFactor(0, 2)
        panes.setStretchFactor(1, 3)
        detail.setStretchFactor(0, 4)
        detail.setStretchFactor(1, 1)
        self.reset(total_width=1100, total_height=710)

    def reset(self, *, total_width: int = 0, total_height: int = 0) -> None:
        """The initial column widths and pane sizes (also 视图 → 恢复默认布局)."""
        header = self._table.horizontalHeader()
        char = self._table.fontMetrics().horizontalAdvance("中")
        for section, column in enumerate(self._columns):
            header.moveSection(header.visualIndex(section), section)
            if column.width:
                header.resizeSection(section, max(column.width, len(column.header) + 1) * char + 12)
        width = total_width or sum(self._panes.sizes())
        height = total_height or sum(self._detail.sizes())
        self._panes.setSizes([int(width * LIST_SHARE), width - int(width * LIST_SHARE)])
        self._detail.setSizes([int(height * FORM_SHARE), height - int(height * FORM_SHARE)])

    def _parts(self) -> tuple[tuple[str, Any], ...]:
        return (
            ("header", self._table.horizontalHeader()),
            ("splitter", self._panes),
            ("detail_splitter", self._detail),
        )

    def restore(self) -> None:
        if self._settings is None:
            return
        for name, part in self._parts():
            value = self._settings.value(f"{self._key}/{name}")
            if isinstance(value, QByteArray) and not value.isEmpty():
                part.restoreState(value)

    def save(self) -> None:
        if self._settings is None:
            return
        for name, part in self._parts():
            self._settings.setValue(f"{self._key}/{name}", part.saveState())
