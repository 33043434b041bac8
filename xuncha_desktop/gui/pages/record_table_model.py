"""Generic Qt table model over any record type, fetching the rows of a service query page by page."""

from __future__ import annotations

import dataclasses
import functools
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Generic, Protocol, TypeVar

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt, Signal

from xuncha_desktop.gui.pages.formatting import display_text
from xuncha_desktop.services.records.record_service import ListQuery

if TYPE_CHECKING:
    from PySide6.QtGui import QBrush

R = TypeVar("R")

DEFAULT_PAGE_SIZE = 200
HIGHLIGHT_COLOUR = "#fde2e1"  # rows that need attention, e.g. a lead overdue for feedback
_Index = QModelIndex | QPersistentModelIndex
_TOP = QModelIndex()  # the invisible root: a flat table has no other parent


@functools.cache
def highlight_brush() -> QBrush:
    """The background of a row that needs attention, made when first painted: QBrush's first use sets up
    QGradient's 169 presets in Python, a few milliseconds the window's start need not wait for."""
    from PySide6.QtGui import QBrush, QColor

    return QBrush(QColor(HIGHLIGHT_COLOUR))


@dataclass(frozen=True)
class Column(Generic[R]):
    """One column of a list (or one line of a detail pane): a Chinese header and how to get the value."""

    header: str
    value: Callable[[R], Any]
    width: int = 0  # initial width in Chinese characters (scales with the font and DPI); 0: the view decides
    align_right: bool = False  # numbers and amounts
    sort: str = ""  # the table column to sort by (ListQuery.order_by); "" when the column cannot be sorted


class RecordSource(Protocol[R]):
    """What the model needs from a service; services.records.RecordService satisfies it."""

    def count(self, query: ListQuery | None = None) -> int: ...

    def list(self, query: ListQuery | None = None) -> list[R]: ...


# Starts a count and later calls back with the result (on the GUI thread); see gui/background_reads.py.
CountLater = Callable[[Callable[[], int], Callable[[int], None]], None]


class RecordTableModel(QAbstractTableModel, Generic[R]):
    """Rows of `source` matching a ListQuery; only the pages a view scrolls to are ever loaded.

    A result that fits on the first page is counted for free. A longer one is counted at once, or, given
    `count_later`, in the background: until then `total()` is a lower bound and `total_known()` is False.
    """

    RecordRole = Qt.ItemDataRole.UserRole + 1
    total_changed = Signal()  # the total became known: a background count arrived, or the end was read

    def __init__(
        self,
        columns: Sequence[Column[R]],
        source: RecordSource[R],
        *,
        page_size: int = DEFAULT_PAGE_SIZE,
        highlight: Callable[[R], str] | None = None,
        count_later: CountLater | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._count_later = count_later
        self._generation = 0  # a count that arrives for an older query is dropped
        self._highlight = highlight  # a non-empty reason marks the row
        self._columns = tuple(columns)
        self._source = source
        self._page_size = page_size
        self._query = ListQuery(limit=page_size)
        self._rows: list[R] = []
        self._total: int | None = 0

    # -- our API ---------------------------------------------------------------------------------------
    @property
    def query(self) -> ListQuery:
        return self._query

    def set_query(self, query: ListQuery) -> None:
        """Show the records matching `query` (its offset and limit are ignored): load page one, count them."""
        self.beginResetModel()
        self._query = dataclasses.replace(query, offset=0, limit=self._page_size)
        self._generation += 1
        self._rows = self._source.list(self._query)
        if len(self._rows) < self._page_size:
            self._total = len(self._rows)
        elif self._count_later is None:
            self._total = max(self._source.count(self._query), len(self._rows))
        else:
            self._total = None
            self._start_count()
        self.endResetModel()

    def _start_count(self) -> None:
        assert self._count_later is not None
        generation, query, source = self._generation, self._query, self._source

        def counted(total: int) -> None:
            if generation == self._generation and self._total is None:
                self._total = max(total, len(self._rows))
                self.total_changed.emit()

        self._count_later(lambda: source.count(query), counted)

    def reload(self) -> None:
        self.set_query(self._query)

    def columns(self) -> tuple[Column[R], ...]:
        return self._columns

    def total(self) -> int:
        """How many records match, loaded or not (while still being counted: how many are loaded)."""
        return len(self._rows) if self._total is None else self._total

    def total_known(self) -> bool:
        return self._total is not None

    def record(self, row: int) -> R:
        return self._rows[row]

    def row_of(self, record_id: str) -> int | None:
        """The loaded row showing the record with this id, if any."""
        for row, record in enumerate(self._rows):
            if getattr(record, "id", None) == record_id:
                return row
        return None

    # -- Qt overrides ----------------------------------------------------------------------------------
    def rowCount(self, parent: _Index = _TOP) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: _Index = _TOP) -> int:
        return 0 if parent.isValid() else len(self._columns)

    def canFetchMore(self, parent: _Index = _TOP) -> bool:
        return not parent.isValid() and (self._total is None or len(self._rows) < self._total)

    def fetchMore(self, parent: _Index = _TOP) -> None:
        if not self.canFetchMore(parent):
            return
        start = len(self._rows)
        page = self._source.list(dataclasses.replace(self._query, offset=start, limit=self._page_size))
        if not page:  # records were deleted since counting: stop asking
            self._total = start
            return
        self.beginInsertRows(QModelIndex(), start, start + len(page) - 1)
        self._rows.extend(page)
        self.endInsertRows()
        if len(page) < self._page_size:
            counting = self._total is None
            self._total = len(self._rows)
            if counting:  # read to the end before the background count arrived: the total is known now
                self.total_changed.emit()

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self._rows) or index.column() >= len(self._columns):
            return None
        column = self._columns[index.column()]
        record = self._rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return display_text(column.value(record))
        if role == Qt.ItemDataRole.BackgroundRole and self._highlight is not None:
            return highlight_brush() if self._highlight(record) else None
        if role == Qt.ItemDataRole.ToolTipRole:  # cells are elided; the tooltip shows the whole text
            reason = self._highlight(record) if self._highlight is not None else ""
            text = display_text(column.value(record))
            return "\n".join(t for t in (reason, text) if t) or None
        if role == Qt.ItemDataRole.TextAlignmentRole and column.align_right:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == self.RecordRole:
            return record
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal and 0 <= section < len(self._columns):
            return self._columns[section].header
        if orientation == Qt.Orientation.Vertical:
            return section + 1
        return None

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Sort in the database (the model never holds all rows); columns without a sort key are ignored."""
        if not 0 <= column < len(self._columns) or not self._columns[column].sort:
            return
        descending = order == Qt.SortOrder.DescendingOrder
        key = self._columns[column].sort
        if (self._query.order_by, self._query.descending) != (key, descending):
            self.set_query(dataclasses.replace(self._query, order_by=key, descending=descending))

    def sort_column(self) -> int:
        """The column the rows are sorted by, or -1."""
        for i, column in enumerate(self._columns):
            if column.sort and column.sort == self._query.order_by:
                return i
        return -1

    def flags(self, index: _Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemNeverHasChildren
