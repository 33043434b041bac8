"""PlanEditor: the one list-and-form widget every plan screen is made of (rounds, groups, members, units,
the 党组织名录, the 人才库, users). An EditorSpec says what it lists and how it saves; the form is the record
pages' RecordForm (Designer form + field bindings), so validation messages appear at the field as on the
record tabs, and a 回避 conflict asks for an override reason before anything is saved.

A list of thousands (the 人才库, the 党组织名录) is paged as the record tabs are: its spec gives a count,
RecordTableModel loads a page at a time as the view scrolls, and the rows are light (the listed columns
only); the whole record is read for the selected row alone (EditorSpec.record_of)."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from PySide6.QtCore import QItemSelection, Qt, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QScrollArea,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from xuncha_desktop.domain.errors import FieldError, ValidationError, XunchaError
from xuncha_desktop.gui import messages
from xuncha_desktop.gui.background_reads import Reader
from xuncha_desktop.gui.forms import child, load_form
from xuncha_desktop.gui.pages.choices import Choices
from xuncha_desktop.gui.pages.field_bindings import FieldBinding
from xuncha_desktop.gui.pages.record_form import RecordForm
from xuncha_desktop.gui.pages.record_table_model import DEFAULT_PAGE_SIZE, Column, RecordTableModel
from xuncha_desktop.gui.plan import avoidance_dialog
from xuncha_desktop.services.records.record_service import ListQuery


@dataclass(frozen=True)
class RowQuery:
    """What a list shows: the parent record (a round for groups …), retired rows or live ones, filters,
    and for a paged list (EditorSpec.count) the page: offset and limit (None: to the end)."""

    parent_id: str = ""
    retired: bool = False
    filters: Mapping[str, Any] = field(default_factory=dict)
    offset: int = 0
    limit: int | None = None


PAGE_SIZE = DEFAULT_PAGE_SIZE  # rows a paged list reads at a time


def _same(item: Any) -> Any:
    return item


def _filtered(query: RowQuery) -> bool:
    """Whether the list is narrowed by a filter (a record may then be stored yet not listed)."""
    return any(value not in ("", None) for value in query.filters.values())


@dataclass(frozen=True)
class EditorSpec:
    """One plan list: its rows, its form and how a record is stored, retired and restored."""

    key: str  # object names: "round" → editor:round
    label: str  # 轮次
    form_file: str
    bindings: tuple[FieldBinding, ...]
    columns: tuple[Column[Any], ...]
    heading: Callable[[Any], str]
    new_record: Callable[[str], Any]  # an empty record under the parent id
    rows: Callable[[RowQuery], Sequence[Any]]
    save: Callable[[Any, str], Any]  # record, 回避 override reason ("" = none) → the stored record
    retire: Callable[[str], None] | None = None
    restore: Callable[[str], None] | None = None
    record_of: Callable[[Any], Any] = _same  # the record a row shows (a light pool row → its cadre, read)
    parent_label: str = ""  # "轮次": without a selected parent the editor asks to choose one first
    background: bool = False  # read the rows off the GUI thread (thousands of cadres)
    count: Callable[[RowQuery], int] | None = None  # given: the list is paged (rows honour offset/limit)
    row_id: Callable[[Any], str] | None = None  # the id of a row's record without reading it

    def id_of(self, row: Any) -> str:
        return self.row_id(row) if self.row_id is not None else str(self.record_of(row).id)


class _RowSource:
    """The paged table model's source: a page of spec.rows for the query shown, or (an unpaged spec) the
    rows read for it. A background read hands over the first page and the count it read (prime)."""

    def __init__(self, spec: EditorSpec) -> None:
        self._spec = spec
        self.query = RowQuery()
        self.rows: list[Any] = []  # unpaged: every row
        self._primed: tuple[list[Any], int] | None = None

    def prime(self, query: RowQuery, first: list[Any], total: int) -> None:
        self.query, self._primed = query, (first, total)

    def read_first(self, query: RowQuery) -> tuple[list[Any], int]:
        """The first page and the count (off the GUI thread: touches the services only)."""
        if self._spec.count is None:
            rows = list(self._spec.rows(query))
            return rows, len(rows)
        first = list(self._spec.rows(dataclasses.replace(query, offset=0, limit=PAGE_SIZE)))
        return first, len(first) if len(first) < PAGE_SIZE else self._spec.count(query)

    def count(self, query: ListQuery | None = None) -> int:
        if self._primed is not None:
            return self._primed[1]
        if self._spec.count is None:
            return len(self.rows)
        return self._spec.count(self.query)

    def list(self, query: ListQuery | None = None) -> list[Any]:
        q = query or ListQuery(limit=None)
        if self._primed is not None and q.offset == 0:
            first, _total = self._primed
            if self._spec.count is None:
                self.rows = first
            return first[: q.limit] if q.limit is not None else first
        self._primed = None
        if self._spec.count is None:
            end = None if q.limit is None else q.offset + q.limit
            return self.rows[q.offset : end]
        return list(self._spec.rows(dataclasses.replace(self.query, offset=q.offset, limit=q.limit)))


class PlanEditor(QWidget):
    current_changed = Signal(object)  # the stored record now shown (None: a new one, or none)
    saved = Signal(object)  # a record was stored (added or edited)
    changed = Signal()  # anything was written: saved, retired or restored

    def __init__(
        self, spec: EditorSpec, parent: QWidget | None = None, *, choices: Choices | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName(f"editor:{spec.key}")
        self.spec = spec
        chrome = load_form("plan_editor.ui", self)
        self._find_widgets(chrome)
        self.form = RecordForm(spec.form_file, self._form_slot, spec.bindings, choices or Choices())
        self._source = _RowSource(spec)
        self.model: RecordTableModel[Any] = RecordTableModel(
            list(spec.columns), self._source, page_size=PAGE_SIZE, parent=self
        )
        self._table.setModel(self.model)
        self._reader = Reader(self)
        self._ticket = 0
        self._query = RowQuery()
        self._needs_reload = True
        self._refiltered = False  # the next fill follows a change of the filters
        self._keep = ""  # the record a pending reload is to select (just saved)
        self._hidden = ""  # the record shown though the filter leaves it out of the list
        self._record: Any = None
        self._actions: list[tuple[QPushButton, Callable[[Any], None]]] = []
        # Editors showing what belongs to this one's record (a round's groups): leaving this record asks
        # about their unsaved edits too.
        self.dependents: list[PlanEditor] = []
        self._setup()
        self._show(None)

    def _find_widgets(self, chrome: QWidget) -> None:
        self._splitter = child(chrome, QSplitter, "editorSplitter")
        self._list_title = child(chrome, QLabel, "listTitleLabel")
        self._count_label = child(chrome, QLabel, "countLabel")
        self._retired_check = child(chrome, QCheckBox, "showRetiredCheck")
        self.filter_layout = child(chrome, QHBoxLayout, "filterLayout")
        self._table = child(chrome, QTableView, "recordTable")
        self._hint = child(chrome, QLabel, "hintLabel")
        self._title = child(chrome, QLabel, "detailTitleLabel")
        self._dirty = child(chrome, QLabel, "dirtyLabel")
        self._error = child(chrome, QLabel, "formErrorLabel")
        self._form_area = child(chrome, QScrollArea, "formArea")
        self._form_slot = child(chrome, QWidget, "formSlot")
        self.extra_layout = child(chrome, QVBoxLayout, "extraLayout")
        self.new_button = child(chrome, QPushButton, "newButton")
        self.save_button = child(chrome, QPushButton, "saveButton")
        self.retire_button = child(chrome, QPushButton, "retireButton")
        self.restore_button = child(chrome, QPushButton, "restoreButton")
        self._action_layout = child(chrome, QHBoxLayout, "actionLayout")

    def _setup(self) -> None:
        spec = self.spec
        self._list_title.setText(f"<b>{spec.label}</b>")
        self.new_button.setText(f"新建{spec.label}")
        font = QFont(self._title.font())
        font.setBold(True)
        self._title.setFont(font)
        self._error.hide()
        self._dirty.hide()
        self._hint.hide()
        header = self._table.horizontalHeader()
        header.setStretchLastSection(True)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self._table.verticalHeader().hide()
        self._table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        metrics = self._table.fontMetrics()
        for i, column in enumerate(spec.columns):
            if column.width:
                self._table.setColumnWidth(i, metrics.horizontalAdvance("中") * column.width + 16)
        self._retired_check.setVisible(spec.restore is not None)
        self.retire_button.setVisible(spec.retire is not None)
        self.restore_button.hide()
        self._splitter.setStretchFactor(0, 2)
        self._splitter.setStretchFactor(1, 3)
        self._table.selectionModel().selectionChanged.connect(self._on_selection_changed)
        self.new_button.clicked.connect(self.new_record)
        self.save_button.clicked.connect(self.save)
        self.retire_button.clicked.connect(self.retire_current)
        self.restore_button.clicked.connect(self.restore_selected)
        self._retired_check.toggled.connect(self._on_retired_toggled)
        self.form.edited.connect(self._update_dirty)

    # -- public ----------------------------------------------------------------------------------------
    @property
    def table(self) -> QTableView:
        return self._table

    @property
    def record(self) -> Any:
        """The stored record shown in the form, or None (a new one, or nothing to edit)."""
        return self._record if self._record is not None and self._record.id else None

    @property
    def parent_id(self) -> str:
        return self._query.parent_id

    @property
    def showing_retired(self) -> bool:
        return self._query.retired

    def set_orientation(self, orientation: Qt.Orientation) -> None:
        self._splitter.setOrientation(orientation)

    def set_sizes(self, sizes: list[int]) -> None:
        self._splitter.setSizes(sizes)

    def set_choices(self, choices: Choices) -> None:
        self.form.set_choices(choices)

    def add_action(self, name: str, label: str, run: Callable[[Any], None], tooltip: str = "") -> QPushButton:
        """A button next to 保存 that runs with the shown (stored) record; pending edits are saved first."""
        button = QPushButton(label, self)
        button.setObjectName(name)
        button.setToolTip(tooltip)
        button.clicked.connect(lambda _checked=False, r=run: self._run_action(r))
        self._action_layout.addWidget(button)
        self._actions.append((button, run))
        self._update_buttons()
        return button

    def rows(self) -> list[Any]:
        """Every row the list holds (read so far)."""
        return [self.model.record(i) for i in range(self.model.rowCount())]

    def total(self) -> int:
        """How many rows the list has, read or not."""
        return self.model.total()

    def row_texts(self) -> list[list[str]]:
        """The table as the user sees it, row by row."""
        m = self.model
        return [
            [str(m.index(r, c).data() or "") for c in range(m.columnCount())] for r in range(m.rowCount())
        ]

    def heading_text(self) -> str:
        return self._title.text()

    def error_text(self) -> str:
        return self._error.text() if not self._error.isHidden() else ""

    def count_text(self) -> str:
        return self._count_label.text()

    def select_row(self, row: int) -> None:
        self._table.selectRow(row)

    def select_id(self, record_id: str) -> bool:
        for row, item in enumerate(self.rows()):
            if self.spec.id_of(item) == record_id:
                self._table.selectRow(row)
                return True
        return False

    def is_dirty(self) -> bool:
        return self.form.is_dirty()

    # -- reading ---------------------------------------------------------------------------------------
    def set_parent(self, parent_id: str) -> None:
        """Show the rows under another parent (the selected round, group …)."""
        if parent_id == self._query.parent_id and not self._needs_reload:
            return
        self._query = RowQuery(parent_id, self._query.retired, self._query.filters)
        self.reload()

    def set_filters(self, filters: Mapping[str, Any]) -> None:
        """Filter the list; when the record shown is not among the rows the first row is shown."""
        self._query = RowQuery(self._query.parent_id, self._query.retired, dict(filters))
        self._refiltered = True
        self.reload()

    def reload(self, keep: str = "") -> None:
        """Read the rows again; the shown record stays selected (or `keep`, a record just stored)."""
        self._needs_reload = False
        self._keep = keep or self._keep
        waiting = bool(self.spec.parent_label) and not self._query.parent_id
        query = self._query
        self._ticket += 1
        if waiting:
            self._fill(query, [], 0, keep)
            return
        source = self._source
        if self.spec.background:
            ticket = self._ticket
            self._count_label.setText("（正在读取…）")
            # the worker touches the query and the services only, no widget
            self._reader.read(
                lambda: source.read_first(query), lambda read: self._arrived(ticket, query, read, keep)
            )
            return
        self._fill(query, *source.read_first(query), keep)

    def mark_stale(self) -> None:
        """The data changed elsewhere: read again when next asked (set_parent) or now if shown."""
        self._needs_reload = True
        if self.isVisible():
            self.reload()

    def _arrived(self, ticket: int, query: RowQuery, read: tuple[list[Any], int], keep: str) -> None:
        if ticket == self._ticket:
            self._fill(query, *read, keep)

    def _fill(self, query: RowQuery, first: list[Any], total: int, keep: str) -> None:
        refiltered, self._refiltered = self._refiltered, False
        keep, self._keep = keep or self._keep, ""  # a later reload does not forget a record just saved
        self._source.prime(query, first, total)
        self.model.reload()
        rows = self.rows()
        retired = "已撤销的" if self._query.retired else ""
        self._count_label.setText(f"（{retired}共 {self.model.total()} 项）")
        waiting = bool(self.spec.parent_label) and not self._query.parent_id
        self._hint.setVisible(waiting)
        self._hint.setText(f"请先选择{self.spec.parent_label}。" if waiting else "")
        self.new_button.setEnabled(not waiting and not self._query.retired)
        wanted = keep or (self.record.id if self.record is not None else "")
        # a record just saved (keep) is looked for on the pages not read yet too
        if self.is_dirty() or (wanted and self._select_reading(wanted, further=bool(keep))):
            return
        if wanted and not refiltered and self.record is not None and self.record.id == wanted:
            if wanted == self._hidden and _filtered(query):
                self._say_hidden()
                return
            if not keep and self.model.canFetchMore():
                return  # on a page not read yet: the form stays as it is
            if _filtered(query):
                self._say_hidden()  # kept in the form, said plainly: never another record's form silently
                return
        if rows and not waiting:
            self._table.selectRow(0)
            self._show(self.spec.record_of(rows[0]))
        else:
            self._show(
                None if waiting or self._query.retired else self.spec.new_record(self._query.parent_id)
            )

    def _select_reading(self, record_id: str, *, further: bool) -> bool:
        """Select the record's row among those read, or (`further`) reading the pages up to it (a record
        just saved may sort onto a page not read yet). False when not found."""
        checked = 0
        while True:
            for row in range(checked, self.model.rowCount()):
                if self.spec.id_of(self.model.record(row)) == record_id:
                    self._table.selectRow(row)
                    self._table.scrollTo(self.model.index(row, 0))
                    return True
            checked = self.model.rowCount()
            if not further or not self.model.canFetchMore():
                return False
            self.model.fetchMore()
            if self.model.rowCount() == checked:
                return False

    def _say_hidden(self) -> None:
        """The record shown is not in the filtered list: say so above the list."""
        self._table.clearSelection()
        self._hidden = self._record.id
        heading = self.spec.heading(self._record)
        self._hint.setText(
            f"{self.spec.label}“{heading}”不符合当前筛选条件，列表中未显示（右侧仍是其内容）；"
            "清除筛选条件即可在列表中看到。"
        )
        self._hint.setVisible(True)

    # -- showing ---------------------------------------------------------------------------------------
    def _show(self, record: Any) -> None:
        self._record = record
        editable = record is not None and not self._query.retired
        self._form_area.setEnabled(editable)
        if record is not None:
            self.form.write(record)
        self.form.clear_errors()
        self._error.hide()
        self._title.setText(
            self.spec.heading(record) if record is not None and record.id else f"新建{self.spec.label}"
        )
        if record is None:
            self._title.setText("")
        self._update_buttons()
        self._update_dirty()
        self.current_changed.emit(self.record)

    def _update_buttons(self) -> None:
        stored = self.record is not None
        retired = self._query.retired
        self.save_button.setEnabled(self._record is not None and not retired)
        self.retire_button.setEnabled(stored and not retired)
        self.restore_button.setVisible(retired)
        self.restore_button.setEnabled(stored and retired)
        for button, _run in self._actions:
            button.setEnabled(stored and not retired)

    def _update_dirty(self) -> None:
        self._dirty.setVisible(self.is_dirty())

    def _on_selection_changed(self, _selected: QItemSelection, _deselected: QItemSelection) -> None:
        rows = self._table.selectionModel().selectedRows()
        if not rows:
            return
        item = self.model.record(rows[0].row())
        if self._query.parent_id or not self.spec.parent_label:
            self._hidden = ""
            self._hint.hide()  # a note about a record hidden by the filter no longer applies
        if self._record is not None and self._record.id and self._record.id == self.spec.id_of(item):
            chosen = self.spec.record_of(item)
            if chosen != self._record and not self.is_dirty():
                self._show(chosen)  # re-read after a change elsewhere
            return
        if not self.confirm_leave():
            self._reselect()
            return
        self._show(self.spec.record_of(item))

    def _reselect(self) -> None:
        blocked = self._table.selectionModel().blockSignals(True)
        try:
            self._table.clearSelection()
            if self.record is not None:
                self.select_id(self.record.id)
        finally:
            self._table.selectionModel().blockSignals(blocked)

    def _on_retired_toggled(self, on: bool) -> None:
        if not self.confirm_leave():
            blocked = self._retired_check.blockSignals(True)
            self._retired_check.setChecked(not on)
            self._retired_check.blockSignals(blocked)
            return
        self._query = RowQuery(self._query.parent_id, on, self._query.filters)
        self._record = None
        self.reload()

    # -- editing ---------------------------------------------------------------------------------------
    def new_record(self) -> None:
        if self.confirm_leave():
            self._table.clearSelection()
            self._show(self.spec.new_record(self._query.parent_id))
            self.form.focus_first()

    def save(self) -> bool:
        """Validate and store the form; errors appear at their fields. True when stored."""
        if self._record is None:
            return False
        edited = self.form.record()
        stored = self.store(lambda override: self.spec.save(edited, override))
        if stored is None:
            return False
        self._record = stored
        self.form.write(stored)
        self.reload(keep=stored.id)
        self._show(stored)
        self.saved.emit(stored)
        self.changed.emit()
        return True

    def store(self, write: Callable[[str], Any]) -> Any:
        """Run a write; a 回避 conflict asks for the reason first (nothing is stored without one), field
        errors are shown at their fields. Returns what `write` returned, or None when nothing was stored."""
        override = ""
        while True:
            try:
                return write(override)
            except avoidance_dialog.AvoidanceConflict as conflict:
                reason = avoidance_dialog.ask_override(self, list(conflict.conflicts))
                if reason is None:
                    return None
                override = reason
            except ValidationError as error:
                self.show_errors(error.errors)
                return None
            except XunchaError as error:
                messages.show_error(self, f"无法保存{self.spec.label}", str(error))
                return None

    def show_errors(self, errors: Sequence[FieldError]) -> None:
        unplaced = self.form.show_errors(errors)
        lines = [f"有 {len(errors)} 处填写有误，已在对应栏目下标出，请修改后再保存。"]
        lines += [e.message for e in unplaced]
        self._error.setText("\n".join(lines))
        self._error.show()
        focused = self.focusWidget()
        if focused is not None and self._form_area.isAncestorOf(focused):
            self._form_area.ensureWidgetVisible(focused)

    def retire_current(self) -> None:
        shown = self.record
        if shown is None or self.spec.retire is None:
            return
        what = f"{self.spec.label}“{self.spec.heading(shown)}”"
        if not messages.confirm_delete(self, what):
            return
        try:
            self.spec.retire(shown.id)
        except XunchaError as error:
            messages.show_error(self, f"无法撤销{self.spec.label}", str(error))
            return
        self._record = None
        self.reload()
        self.changed.emit()

    def restore_selected(self) -> None:
        shown = self.record
        if shown is None or self.spec.restore is None:
            return
        try:
            self.spec.restore(shown.id)
        except XunchaError as error:
            messages.show_error(self, f"无法恢复{self.spec.label}", str(error))
            return
        self._record = None
        self.reload()
        self.changed.emit()

    def _run_action(self, run: Callable[[Any], None]) -> None:
        if self.is_dirty() and not self.save():
            return
        if self.record is not None:
            run(self.record)

    def discard_changes(self) -> None:
        self._show(self._record)

    def confirm_leave(self) -> bool:
        """The unsaved-changes guard: True when the form (and those of its dependents) may be left."""
        if not all(d.confirm_leave() for d in self.dependents):
            return False
        if not self.is_dirty():
            return True
        shown = self._record
        what = f"{self.spec.label}“{self.spec.heading(shown)}”" if shown.id else f"新的{self.spec.label}"
        answer = messages.ask_unsaved_changes(self, what)
        if answer == "save":
            return self.save()
        if answer == "discard":
            self.discard_changes()
            return True
        return False
