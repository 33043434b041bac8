"""RecordPage: the one page shared by every tab — full-text search, the paged record list and its details."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Generic, TypeVar

from PySide6.QtCore import QItemSelection, Qt, QTimer, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QFormLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QSplitter,
    QTableView,
    QWidget,
)

from xuncha_desktop.domain.common import Record
from xuncha_desktop.gui.formatting import EMPTY, display_text
from xuncha_desktop.gui.forms import child, load_form
from xuncha_desktop.gui.page_specs import PageSpec
from xuncha_desktop.gui.record_table_model import Column, RecordSource, RecordTableModel
from xuncha_desktop.services.context_names import ContextNames
from xuncha_desktop.services.records import ListQuery

R = TypeVar("R", bound=Record)

SEARCH_DELAY_MS = 250  # wait for a pause in typing (or an IME commit) before querying
NO_SELECTION = "请在左侧列表中选择一条记录"


class RecordPage(QWidget, Generic[R]):
    """Lists the records of one PageSpec from a RecordSource and shows the selected one read-only."""

    record_selected = Signal(object)  # the selected record, or None

    def __init__(
        self,
        spec: PageSpec[R],
        source: RecordSource[R],
        names: ContextNames,
        parent: QWidget | None = None,
        *,
        page_size: int = 200,
        search_delay_ms: int = SEARCH_DELAY_MS,
    ) -> None:
        super().__init__(parent)
        self.setObjectName(f"page:{spec.title}")
        self._spec = spec
        chrome = load_form("record_page.ui", self)
        self._search_edit = child(chrome, QLineEdit, "searchEdit")
        self._count_label = child(chrome, QLabel, "countLabel")
        self._table = child(chrome, QTableView, "recordTable")
        self._splitter = child(chrome, QSplitter, "pageSplitter")
        self._title_label = child(chrome, QLabel, "detailTitleLabel")
        self._detail_panel = child(chrome, QWidget, "detailPanel")
        self._detail_layout = child(chrome, QFormLayout, "detailLayout")
        # The editable record form goes here in issue 3; until then the page is read-only.
        child(chrome, QWidget, "formSlot").hide()

        columns = spec.columns(names)
        self._model: RecordTableModel[R] = RecordTableModel(columns, source, page_size=page_size, parent=self)
        self._details = tuple(spec.details(names))
        self._detail_values = self._build_detail_rows()
        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(search_delay_ms)
        self._setup_widgets(spec, columns)
        self._connect_signals()
        self.reload()

    # -- set-up ----------------------------------------------------------------------------------------
    def _setup_widgets(self, spec: PageSpec[R], columns: Sequence[Column[R]]) -> None:
        self._search_edit.setPlaceholderText(spec.search_placeholder)
        self._table.setModel(self._model)
        header = self._table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        char = self._table.fontMetrics().horizontalAdvance("中")
        for section, column in enumerate(columns):
            if column.width:
                header.resizeSection(section, max(column.width, len(column.header) + 1) * char + 12)
        self._table.verticalHeader().setDefaultSectionSize(self._table.fontMetrics().height() + 10)
        title_font = QFont(self._title_label.font())
        title_font.setBold(True)
        if title_font.pointSizeF() > 0:  # -1 when the font is sized in pixels
            title_font.setPointSizeF(title_font.pointSizeF() * 1.15)
        self._title_label.setFont(title_font)
        self._splitter.setStretchFactor(0, 3)
        self._splitter.setStretchFactor(1, 2)
        self._splitter.setSizes([620, 380])  # proportions; the splitter scales them to its width

    def _build_detail_rows(self) -> list[QLabel]:
        values = []
        for column in self._details:
            label = QLabel(f"{column.header}：")
            label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
            value = QLabel(EMPTY)
            value.setObjectName(f"detail:{column.header}")
            value.setWordWrap(True)
            value.setTextFormat(Qt.TextFormat.PlainText)
            value.setTextInteractionFlags(
                Qt.TextInteractionFlag.TextSelectableByMouse | Qt.TextInteractionFlag.TextSelectableByKeyboard
            )
            value.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
            self._detail_layout.addRow(label, value)
            values.append(value)
        return values

    def _connect_signals(self) -> None:
        self._search_edit.textChanged.connect(self._on_search_text_changed)
        self._search_edit.returnPressed.connect(self._apply_search)
        self._search_timer.timeout.connect(self._apply_search)
        self._table.selectionModel().selectionChanged.connect(self._on_selection_changed)
        self._model.modelReset.connect(self._on_model_reset)

    # -- public ----------------------------------------------------------------------------------------
    @property
    def spec(self) -> PageSpec[R]:
        return self._spec

    @property
    def model(self) -> RecordTableModel[R]:
        return self._model

    @property
    def search_edit(self) -> QLineEdit:
        return self._search_edit

    @property
    def table(self) -> QTableView:
        return self._table

    def reload(self) -> None:
        """Query again with the current search text (after the data changed elsewhere)."""
        self._model.set_query(ListQuery(search=self._search_edit.text().strip()))

    def total(self) -> int:
        return self._model.total()

    def current_record(self) -> R | None:
        rows = self._table.selectionModel().selectedRows()
        return self._model.record(rows[0].row()) if rows else None

    def select_row(self, row: int) -> None:
        self._table.selectRow(row)

    def detail_text(self, header: str) -> str:
        """The text shown next to `header` in the detail pane."""
        for column, value in zip(self._details, self._detail_values, strict=True):
            if column.header == header:
                return value.text()
        raise KeyError(header)

    def heading_text(self) -> str:
        return self._title_label.text()

    # -- slots -----------------------------------------------------------------------------------------
    def _on_search_text_changed(self, _text: str) -> None:
        self._search_timer.start()

    def _apply_search(self) -> None:
        self._search_timer.stop()
        search = self._search_edit.text().strip()
        if search != self._model.query.search:
            self._model.set_query(ListQuery(search=search))

    def _on_model_reset(self) -> None:
        prefix = "找到" if self._model.query.search else "共"
        self._count_label.setText(f"{prefix} {self._model.total()} 条")
        if self._model.rowCount():
            self._table.selectRow(0)  # details at once, with no empty pane to puzzle over
        else:
            self._show_record(None)

    def _on_selection_changed(self, _selected: QItemSelection, _deselected: QItemSelection) -> None:
        record = self.current_record()
        self._show_record(record)
        self.record_selected.emit(record)

    def _show_record(self, record: Any) -> None:
        self._detail_panel.setVisible(record is not None)
        if record is None:
            self._title_label.setText(NO_SELECTION)
            for value in self._detail_values:
                value.setText(EMPTY)
            return
        self._title_label.setText(self._spec.heading(record))
        for column, value in zip(self._details, self._detail_values, strict=True):
            value.setText(display_text(column.value(record)) or EMPTY)
