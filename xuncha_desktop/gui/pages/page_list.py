"""The list half of a page: search box, filter bar, working context, sorting and the paged table model."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import Any, Generic, TypeVar

from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QLineEdit, QPushButton, QTableView

from xuncha_desktop.domain.common import Record
from xuncha_desktop.gui.background_reads import Reader
from xuncha_desktop.gui.pages.choices import Choices
from xuncha_desktop.gui.pages.page_filters import FilterBar
from xuncha_desktop.gui.pages.page_types import PageSpec, WorkContext
from xuncha_desktop.gui.pages.record_table_model import RecordSource, RecordTableModel
from xuncha_desktop.services.records.record_service import ListQuery

R = TypeVar("R", bound=Record)
COUNT_DELAY_MS = 400


class PageList(QObject, Generic[R]):
    """Turns what the user set (search, filters, context, column order) into the model's ListQuery."""

    reset = Signal()  # the rows were replaced (new query, reload)

    def __init__(
        self,
        spec: PageSpec[R],
        source: RecordSource[R],
        choices: Choices,
        widgets: tuple[QLineEdit, QLabel, QPushButton, QHBoxLayout, QTableView],
        *,
        page_size: int,
        search_delay_ms: int,
    ) -> None:
        search_edit, count_label, clear_button, filter_layout, table = widgets
        super().__init__(table)
        self._spec = spec
        self._context = WorkContext()
        self.search_edit, self.table, self._count_label = search_edit, table, count_label
        self.model: RecordTableModel[R] = RecordTableModel(
            spec.columns(choices.names),
            source,
            page_size=page_size,
            highlight=spec.highlight,
            count_later=self._count_later,
            parent=self,
        )
        self.filter_bar = FilterBar(
            spec.filters, unit=spec.has_field("target_id"), dates=bool(spec.date_field), layout=filter_layout
        )
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(search_delay_ms)  # wait for a pause in typing (or an IME commit)
        # Counting a long result scans it: started only once the list has stayed put for a moment.
        self._count_timer = QTimer(self)
        self._count_timer.setSingleShot(True)
        self._count_timer.setInterval(COUNT_DELAY_MS)
        self._pending_count: tuple[Callable[[], int], Callable[[int], None]] | None = None
        self._reader = Reader(self)
        self._count_timer.timeout.connect(self._start_count)
        search_edit.setPlaceholderText(spec.search_placeholder)
        table.setModel(self.model)
        header = table.horizontalHeader()
        header.setSortIndicatorShown(True)
        header.setSortIndicator(0, Qt.SortOrder.AscendingOrder)
        search_edit.textChanged.connect(lambda _text: self._timer.start())
        search_edit.returnPressed.connect(self._apply_search)
        self._timer.timeout.connect(self._apply_search)
        clear_button.clicked.connect(self.clear)
        self.filter_bar.changed.connect(self.reload)
        header.sortIndicatorChanged.connect(self._on_sort_indicator_changed)
        self.model.modelReset.connect(self._on_model_reset)
        self.model.total_changed.connect(self._show_count)

    def _count_later(self, job: Callable[[], int], done: Callable[[int], None]) -> None:
        self._pending_count = (job, done)  # a newer query replaces a count not yet started
        self._count_timer.start()

    def _start_count(self) -> None:
        if self._pending_count is not None:
            job, done = self._pending_count
            self._pending_count = None
            self._reader.read(job, done)

    @property
    def context(self) -> WorkContext:
        return self._context

    def set_context(self, context: WorkContext, units: list[tuple[str, str]]) -> None:
        self._context = context
        self.set_units(units)

    def set_units(self, units: list[tuple[str, str]]) -> None:
        blocked = self.filter_bar.blockSignals(True)
        try:
            self.filter_bar.set_units(units, fixed=self._context.target_id)
        finally:
            self.filter_bar.blockSignals(blocked)

    def query(self) -> ListQuery:
        """What the list shows now: context, filters, search and the current order."""
        filters: dict[str, Any] = {
            name: value
            for name, value in dataclasses.asdict(self._context).items()
            if value and self._spec.has_field(name)
        }
        filters.update(self.filter_bar.filters())
        start, end = self.filter_bar.date_range()
        current = self.model.query
        return ListQuery(
            search=self.search_edit.text().strip(),
            filters=filters,
            date_from=start,
            date_to=end,
            order_by=current.order_by,
            descending=current.descending,
        )

    def reload(self) -> None:
        self._timer.stop()
        self.model.set_query(self.query())

    def clear(self) -> None:
        """Empty the search box and every filter the context leaves free."""
        blocked = self.search_edit.blockSignals(True)
        self.search_edit.clear()
        self.search_edit.blockSignals(blocked)
        self.filter_bar.clear()  # emits changed → reload

    def show_number(self, number: str) -> None:
        """Narrow the list to one record's number (to bring a linked record into view)."""
        blocked = self.search_edit.blockSignals(True)
        self.search_edit.setText(number)
        self.search_edit.blockSignals(blocked)
        blocked = self.filter_bar.blockSignals(True)
        self.filter_bar.clear()
        self.filter_bar.blockSignals(blocked)
        self.reload()

    def _apply_search(self) -> None:
        self._timer.stop()
        if self.search_edit.text().strip() != self.model.query.search:
            self.reload()

    def _on_model_reset(self) -> None:
        self._show_count()
        self.reset.emit()

    def _show_count(self) -> None:
        prefix = "找到" if self.model.query.search or self.filter_bar.is_active() else "共"
        counted = self.model.total_known()
        self._count_label.setText(f"{prefix} {self.model.total()}{'' if counted else '+'} 条")
        self._count_label.setToolTip("" if counted else "正在统计总数…")

    def _on_sort_indicator_changed(self, section: int, order: Qt.SortOrder) -> None:
        if self.model.columns()[section].sort:
            return
        header = self.table.horizontalHeader()  # this column cannot be sorted: put the arrow back
        blocked = header.blockSignals(True)
        back = Qt.SortOrder.DescendingOrder if self.model.query.descending else Qt.SortOrder.AscendingOrder
        header.setSortIndicator(max(self.model.sort_column(), 0), back)
        header.blockSignals(blocked)
