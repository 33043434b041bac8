"""A page's column widths and pane sizes: the initial layout, and the one remembered in QSettings."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import QByteArray, QEvent, QObject, QSettings
from PySide6.QtWidgets import QHeaderView, QSplitter, QTableView

from xuncha_desktop.gui.pages.record_table_model import Column

LIST_SHARE = 2 / 5  # of the page's width, for the list (before the page knows its width)
FORM_SHARE = 4 / 5  # of the right pane's height, for the form (the rest: links and attachments)
FORM_MIN_SHARE = 0.55  # the form never gets less of a wide page than this …
FORM_MAX_SHARE = 0.62  # … and never more than this of a narrow one (the list keeps its key columns)


class _OnResize(QObject):
    """Calls back whenever the watched widget was resized (the splitter has its new width then)."""

    def __init__(self, watched: QObject, call: Callable[[], None]) -> None:
        super().__init__(watched)
        self._call = call
        watched.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Resize:
            self._call()
        return False


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
        self._fitted = False  # True once the user moved the divider or a remembered layout came back
        panes.splitterMoved.connect(self._on_moved)
        _OnResize(panes, self.fit)  # list and form share the width the window now has
        self.reset(total_width=1100, total_height=710)

    def _on_moved(self) -> None:
        self._fitted = True

    @staticmethod
    def list_width(total: int, form_wants: int) -> int:
        """The list's share of a page `total` wide: the form gets what its two columns want, within
        FORM_MIN_SHARE..FORM_MAX_SHARE of the page; the list the rest (on a wide screen, more columns)."""
        form = max(min(form_wants, int(total * FORM_MAX_SHARE)), int(total * FORM_MIN_SHARE))
        return total - form

    def fit(self) -> None:
        """Share the page's width between list and form, until the user sets the divider himself."""
        if self._fitted:
            return
        # The width now (a resize is seen before the splitter itself shares it out), less the handle.
        total = self._panes.width() - self._panes.handleWidth()
        if total <= 0:
            return
        form = self._panes.widget(1)
        form_wants = form.sizeHint().width() if form is not None else 0
        listed = self.list_width(total, form_wants)
        blocked = self._panes.blockSignals(True)
        try:
            self._panes.setSizes([listed, total - listed])
        finally:
            self._panes.blockSignals(blocked)

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
        if not total_width:  # 恢复默认布局: the share follows the page's width again
            self._fitted = False
            self.fit()

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
                self._fitted = self._fitted or part is self._panes

    def save(self) -> None:
        if self._settings is None:
            return
        for name, part in self._parts():
            self._settings.setValue(f"{self._key}/{name}", part.saveState())
