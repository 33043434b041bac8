"""冲突处理: the open conflicts on the left; on the right, for one record, the common version, each side and
the result, field by field, with a choice per conflicting field (sync.md §3.8). Any field's result can be
typed (修改); the result is checked against its record type's rules as it changes, each problem shown at
its field, and it is applied only when valid (two valid edits can merge into an invalid record)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QRadioButton,
    QScrollArea,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from xuncha_desktop.domain.errors import FieldError, ValidationError, XunchaError
from xuncha_desktop.domain.record_types import BY_KEY
from xuncha_desktop.gui.forms import child, load_form
from xuncha_desktop.gui.pages.field_labels import field_label
from xuncha_desktop.gui.views.conflict_fields import (
    BASE_STYLE,
    DIFFERS_STYLE,
    HEADER_STYLE,
    PLAIN_STYLE,
    FieldChoice,
    cell,
    is_text_field,
    other_fields,
    shown_fields,
    side_header,
    value_text,
)
from xuncha_desktop.gui.views.value_editors import can_edit, editor_for
from xuncha_desktop.services.records.conflicts import (
    KIND_LABELS,
    ConflictDetail,
    ConflictService,
    ConflictSummary,
)
from xuncha_desktop.services.workspace import Workspace

LIST_HEADERS = ("编号", "记录类型", "冲突类型", "涉及字段", "发现时间")
EXPLANATIONS = {
    "hard": "同一字段在不同电脑上被改成了不同内容。请为每个标红的字段选择保留哪个版本；"
    "文本字段也可以选择“两者都保留”，或直接修改结果。未标红的字段已自动合并；"
    "任何字段都可以点击“修改”直接填写结果。",
    "soft": "不同电脑修改了不同的字段，已自动合并。请核对“结果”一列，确认无误后点击“确认合并结果”。",
    "delete_edit": "一台电脑删除了这条记录，另一台电脑修改了它。"
    "请选择确认删除，或保留记录并恢复修改后的内容。",
    "identity": "这条记录与另一条同类记录的编号相同（两台电脑各自新建时取到了同一编号）。"
    "点击“重新编号”为这条记录分配下一个空闲编号。",
    "dangling_ref": "这条记录引用的另一条记录不存在。请核对后点击“确认”。",
}


def time_text(iso: str) -> str:
    """'2025-04-03 10:21' in local time, from an ISO timestamp."""
    try:
        return datetime.fromisoformat(iso).astimezone().strftime("%Y-%m-%d %H:%M")
    except ValueError:
        return iso


class ConflictsView(QWidget):
    """The 冲突处理 tab: choose a conflict, decide field by field, 应用 writes the resolution."""

    conflicts_changed = Signal(int)  # the number of open conflicts, after every reload
    record_resolved = Signal(str, str)  # record type key, record id: pages showing it should reload

    def __init__(self, workspace: Workspace, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        form = load_form("conflict_resolution.ui", self)
        self._service = ConflictService(workspace)
        self._kind_combo = child(form, QComboBox, "kindFilterCombo")
        self._table = child(form, QTableWidget, "conflictTable")
        self._count_label = child(form, QLabel, "countLabel")
        self._accept_soft_button = child(form, QPushButton, "acceptAllSoftButton")
        self._title_label = child(form, QLabel, "titleLabel")
        self._explanation_label = child(form, QLabel, "explanationLabel")
        self._scroll = child(form, QScrollArea, "detailScroll")
        self._error_label = child(form, QLabel, "errorLabel")
        self._status_label = child(form, QLabel, "statusLabel")
        self._renumber_button = child(form, QPushButton, "renumberButton")
        self._apply_button = child(form, QPushButton, "applyButton")
        splitter = child(form, QSplitter, "conflictSplitter")
        splitter.setStretchFactor(0, 1)
        splitter.setStretchFactor(1, 2)
        splitter.setSizes([500, 900])
        self._all_fields_box = QCheckBox(self)
        self._all_fields_box.hide()
        self._checking = False  # a check in progress (opening an editor there must not start another)
        self._summaries: list[ConflictSummary] = []
        self._detail: ConflictDetail | None = None
        self._choices: dict[str, FieldChoice] = {}
        self._last_done = ""
        self._delete_group = QButtonGroup(self)
        self._delete_button: QRadioButton | None = None
        self._restore_button: QRadioButton | None = None
        self._setup_table()
        self._connect_signals()
        self.reload()

    def _setup_table(self) -> None:
        table = self._table
        table.setColumnCount(len(LIST_HEADERS))
        table.setHorizontalHeaderLabels(list(LIST_HEADERS))
        table.verticalHeader().setVisible(False)
        header = table.horizontalHeader()
        for column in range(len(LIST_HEADERS)):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        table.setMinimumWidth(360)

    def _connect_signals(self) -> None:
        self._kind_combo.currentIndexChanged.connect(lambda _index: self._fill_table())
        self._table.itemSelectionChanged.connect(self._on_selection_changed)
        self._apply_button.clicked.connect(self.apply)
        self._renumber_button.clicked.connect(self.renumber)
        self._accept_soft_button.clicked.connect(self.accept_all_soft)

    # -- public ----------------------------------------------------------------------------------------
    @property
    def table(self) -> QTableWidget:
        return self._table

    @property
    def kind_filter(self) -> QComboBox:
        return self._kind_combo

    @property
    def apply_button(self) -> QPushButton:
        return self._apply_button

    @property
    def renumber_button(self) -> QPushButton:
        return self._renumber_button

    @property
    def delete_buttons(self) -> tuple[QRadioButton | None, QRadioButton | None]:
        """确认删除 and 保留并恢复, shown for delete/edit conflicts."""
        return self._delete_button, self._restore_button

    def field_choices(self) -> dict[str, FieldChoice]:
        """The field rows shown: those that differ, those with a problem (and all, when asked for)."""
        return {name: choice for name, choice in self._choices.items() if choice.shown}

    def all_field_choices(self) -> dict[str, FieldChoice]:
        return dict(self._choices)

    @property
    def all_fields_box(self) -> QCheckBox:
        return self._all_fields_box

    def current_detail(self) -> ConflictDetail | None:
        return self._detail

    def current_conflict(self) -> ConflictSummary | None:
        return self._detail.summary if self._detail is not None else None

    def error_text(self) -> str:
        return self._error_label.text()

    def status_text(self) -> str:
        return self._status_label.text()

    def open_count(self) -> int:
        return len(self._summaries)

    def reload(self) -> None:
        """Read the open conflicts again, keeping the selection when it is still open."""
        keep = self._detail.summary.id if self._detail is not None else None
        self._detail = None  # rebuilt: an import may have changed the sides
        self._summaries = self._service.list_open()
        self._fill_kind_combo()
        self._fill_table(select=keep)
        self.conflicts_changed.emit(len(self._summaries))

    def show_conflict(self, conflict_id: str) -> bool:
        """Show one conflict, whatever kind the list is filtered to (from a record's form)."""
        self.reload()
        if not self.select_conflict(conflict_id):
            self._kind_combo.setCurrentIndex(0)  # all kinds
            return self.select_conflict(conflict_id)
        return True

    def select_conflict(self, conflict_id: str) -> bool:
        for row in range(self._table.rowCount()):
            item = self._table.item(row, 0)
            if item is not None and item.data(Qt.ItemDataRole.UserRole) == conflict_id:
                self._select_row(row)
                return True
        return False

    # -- the list --------------------------------------------------------------------------------------
    def _fill_kind_combo(self) -> None:
        combo = self._kind_combo
        current = combo.currentData() or ""
        combo.blockSignals(True)
        combo.clear()
        combo.addItem(f"全部类型（{len(self._summaries)}）", "")
        for kind, label in KIND_LABELS.items():
            count = sum(s.kind == kind for s in self._summaries)
            if count or kind == current:
                combo.addItem(f"{label}（{count}）", kind)
        index = combo.findData(current)
        combo.setCurrentIndex(max(index, 0))
        combo.blockSignals(False)

    def _visible(self) -> list[ConflictSummary]:
        kind = self._kind_combo.currentData() or ""
        return [s for s in self._summaries if not kind or s.kind == kind]

    def _fill_table(self, select: str | None = None) -> None:
        """Show the conflicts of the chosen kind; select `select`, else the current one, else the first."""
        target = select or (self._detail.summary.id if self._detail is not None else None)
        shown = self._visible()
        table = self._table
        table.blockSignals(True)
        table.clearContents()
        table.setRowCount(len(shown))
        for row, summary in enumerate(shown):
            rt = BY_KEY.get(summary.record_type)
            fields = "、".join(field_label(summary.record_type, f) for f in summary.fields)
            texts = (
                summary.number or "（无编号）",
                rt.label if rt else summary.record_type,
                summary.kind_label,
                fields,
                time_text(summary.detected_at),
            )
            for column, text in enumerate(texts):
                item = QTableWidgetItem(text)
                item.setToolTip(text)
                if column == 0:
                    item.setData(Qt.ItemDataRole.UserRole, summary.id)
                table.setItem(row, column, item)
        table.blockSignals(False)
        total = len(self._summaries)
        counted = f"待处理冲突 {total} 条" if total else "没有待处理的冲突"
        self._count_label.setText(f"{counted}；{self._last_done}" if self._last_done else counted)
        self._accept_soft_button.setEnabled(any(s.kind == "soft" for s in self._summaries))
        if target is None or not self.select_conflict(target):
            self._select_row(0)

    def _select_row(self, row: int) -> None:
        if 0 <= row < self._table.rowCount():
            self._table.selectRow(row)
            self._on_selection_changed()
        else:
            self._table.clearSelection()
            self._show_detail(None)

    def _on_selection_changed(self) -> None:
        rows = {index.row() for index in self._table.selectionModel().selectedRows()}
        item = self._table.item(min(rows), 0) if rows else None
        conflict_id = item.data(Qt.ItemDataRole.UserRole) if item is not None else None
        if conflict_id is None:
            self._show_detail(None)
        elif self._detail is None or self._detail.summary.id != conflict_id:
            try:
                self._show_detail(self._service.detail(conflict_id))
            except XunchaError as error:  # resolved meanwhile, e.g. by the other identity twin
                self._show_detail(None)
                self._error_label.setText(str(error))

    # -- the detail ------------------------------------------------------------------------------------
    def _show_detail(self, detail: ConflictDetail | None) -> None:
        self._detail = detail
        self._choices = {}
        self._delete_button = self._restore_button = None
        self._error_label.clear()
        host = QWidget()
        self._scroll.setWidget(host)  # the previous grid is deleted with its widget
        if detail is None:
            self._title_label.setText("请在左侧选择一条冲突" if self._summaries else "没有待处理的冲突")
            self._explanation_label.clear()
            self._apply_button.setVisible(False)
            self._renumber_button.setVisible(False)
            return
        summary = detail.summary
        rt = BY_KEY.get(summary.record_type)
        self._title_label.setText(
            f"{rt.label if rt else summary.record_type} {summary.number or ''} — {summary.kind_label}"
        )
        self._explanation_label.setText(EXPLANATIONS.get(summary.kind, ""))
        layout = QVBoxLayout(host)
        layout.setContentsMargins(4, 4, 4, 4)
        if summary.kind == "delete_edit":
            layout.addLayout(self._delete_choice())
        if summary.kind != "identity":
            self._all_fields_box = QCheckBox("显示全部字段（任何字段都可以修改）")
            self._all_fields_box.toggled.connect(self._show_all_fields)
            layout.addWidget(self._all_fields_box)
            layout.addLayout(self._grid(detail))
        layout.addStretch(1)
        self._renumber_button.setVisible(summary.kind == "identity")
        self._apply_button.setVisible(summary.kind != "identity")
        self._apply_button.setText("确认合并结果" if summary.kind == "soft" else "应用")
        if summary.kind == "dangling_ref":
            self._apply_button.setText("确认")
        self._update_apply()

    def _delete_choice(self) -> QHBoxLayout:
        row = QHBoxLayout()
        self._delete_group.deleteLater()
        self._delete_group = QButtonGroup(self)
        self._delete_button = QRadioButton("确认删除")
        self._restore_button = QRadioButton("保留并恢复（采用修改后的内容）")
        for button in (self._delete_button, self._restore_button):
            self._delete_group.addButton(button)
            row.addWidget(button)
            button.toggled.connect(lambda _checked: self._update_apply())
        row.addStretch(1)
        return row

    def _grid(self, detail: ConflictDetail) -> QGridLayout:
        """Side by side: the fields that differ, then the record's other fields (hidden until asked for,
        or until one has a problem)."""
        grid = QGridLayout()
        grid.setHorizontalSpacing(6)
        grid.setVerticalSpacing(6)
        sides = detail.sides
        result_column = 2 + len(sides)
        headers = ["字段", "共同版本", *(side_header(i, s) for i, s in enumerate(sides)), "结果"]
        for column, text in enumerate(headers):
            grid.addWidget(cell(text, HEADER_STYLE), 0, column)
        for column in range(1, result_column + 1):
            grid.setColumnStretch(column, 1)
        rtype = detail.summary.record_type
        names = shown_fields(rtype, detail)
        if not names:
            grid.addWidget(cell("各版本内容相同，无需逐字段选择。", PLAIN_STYLE), 1, 0, 1, result_column + 1)
        for row, name in enumerate(names, start=1):
            self._add_row(grid, row, detail, name, differs=True)
        first_other = max(len(names), 1) + 1
        for row, name in enumerate(other_fields(rtype, names), start=first_other):
            self._add_row(grid, row, detail, name, differs=False).set_shown(False)
        return grid

    def _add_row(
        self, grid: QGridLayout, row: int, detail: ConflictDetail, name: str, *, differs: bool
    ) -> FieldChoice:
        rtype = detail.summary.record_type
        hard = name in detail.conflicting
        typed = name not in detail.hidden  # a masked reporter is neither chosen nor typed
        choice = FieldChoice(
            name,
            detail.sides,
            detail.result.get(name),
            hard=hard,
            text=is_text_field(rtype, name) and typed,
            on_change=self._update_apply,
            editor=(lambda: editor_for(rtype, name)) if typed and can_edit(rtype, name) else None,
            merged=differs,
        )
        self._choices[name] = choice
        label = field_label(rtype, name) + ("\n（需选择）" if hard else "")
        style = "font-weight: bold; padding: 3px;" + (" color: #b00020;" if hard else "")
        grid.addWidget(choice.add_cell(cell(label, style)), row, 0)
        base = detail.base or {}
        common = value_text(base.get(name)) if detail.base else "（无）"
        grid.addWidget(choice.add_cell(cell(common, BASE_STYLE)), row, 1)
        for index, side in enumerate(detail.sides):
            value = side.body.get(name)
            changed = detail.base is not None and not side.deleted and value != base.get(name)
            style = DIFFERS_STYLE if changed else PLAIN_STYLE
            grid.addWidget(choice.side_widget(index, value, style), row, 2 + index)
        grid.addWidget(choice.result_widget, row, 2 + len(detail.sides))
        return choice

    def _show_all_fields(self, shown: bool) -> None:
        """显示全部字段: any field of the record can be corrected here, not only those that differ."""
        detail = self._detail
        differing = set(shown_fields(detail.summary.record_type, detail)) if detail else set()
        for name, choice in self._choices.items():
            typed = choice.value_editor is not None  # a typed value stays in view: it will be applied
            if name not in differing and not choice.problem_text() and not typed:
                choice.set_shown(shown)

    def _missing(self) -> list[str]:
        return [name for name, choice in self._choices.items() if choice.hard and choice.choice() is None]

    def _current_choices(self) -> dict[str, Any]:
        """Every chosen or typed value (a field left alone keeps its merged value)."""
        return {n: c.choice() for n, c in self._choices.items() if c.choice() is not None}

    def _deleting(self) -> bool:
        return self._delete_button is not None and self._delete_button.isChecked()

    def _check(self) -> list[FieldError]:
        """What is wrong with the result as chosen and typed so far, shown next to each field."""
        detail = self._detail
        problems: list[FieldError] = []
        if detail is not None and detail.summary.kind != "identity" and not self._deleting():
            try:
                problems = self._service.problems(detail.summary.id, self._current_choices())
            except XunchaError as error:
                self._error_label.setText(str(error))
        self._show_problems(problems)
        return problems

    def _show_problems(self, problems: list[FieldError]) -> None:
        by_field: dict[str, list[str]] = {}
        for problem in problems:
            by_field.setdefault(problem.field, []).append(problem.message)
        for name, choice in self._choices.items():
            choice.show_problems(by_field.pop(name, []))
        self._error_label.setText("；".join(m for ms in by_field.values() for m in ms))

    def _update_apply(self) -> None:
        detail = self._detail
        if detail is None or self._checking:
            return
        self._checking = True
        try:
            problems = self._check()
        finally:
            self._checking = False
        missing = self._missing()
        if detail.summary.kind == "delete_edit":
            restoring = self._restore_button is not None and self._restore_button.isChecked()
            ready = self._deleting() or (restoring and not missing and not problems)
        else:
            ready = not missing and not problems
        self._apply_button.setEnabled(ready)
        labels = [field_label(detail.summary.record_type, n) for n in missing]
        if labels and not ready:
            self._status_label.setText(f"待选择：{'、'.join(labels)}")
        elif problems and not ready:
            self._status_label.setText(f"有 {len(problems)} 处不符合填写要求，已在字段下标出，请修改后再应用")
        else:
            self._status_label.setText("")

    # -- actions ---------------------------------------------------------------------------------------
    def apply(self) -> bool:
        """Write the resolution of the shown conflict; problems are shown at their fields or above the
        buttons, and nothing is written while the result breaks a rule of its record type."""
        detail = self._detail
        if detail is None:
            return False
        summary = detail.summary
        deleting = summary.kind == "delete_edit" and self._deleting()
        try:
            self._service.resolve(summary.id, self._current_choices(), delete=deleting)
        except ValidationError as error:
            self._show_problems(error.errors)
            self._apply_button.setEnabled(False)
            return False
        except XunchaError as error:
            self._error_label.setText(str(error))
            return False
        self._done(summary, "已确认删除" if deleting else "已处理")
        return True

    def renumber(self) -> str | None:
        """Give the record of an identity conflict the next free number."""
        detail = self._detail
        if detail is None:
            return None
        try:
            number = self._service.renumber(detail.summary.id)
        except XunchaError as error:
            self._error_label.setText(str(error))
            return None
        self._done(detail.summary, f"已重新编号为 {number}")
        return number

    def accept_all_soft(self) -> int:
        """Confirm every automatic merge at once (only soft conflicts; hard ones always need a person)."""
        done = 0
        for summary in [s for s in self._summaries if s.kind == "soft"]:
            try:
                self._service.resolve(summary.id, {})
            except XunchaError as error:
                self._error_label.setText(f"{summary.number}：{error}")
                continue
            done += 1
            self.record_resolved.emit(summary.record_type, summary.record_id)
        self._last_done = f"已确认 {done} 条自动合并"
        self.reload()
        return done

    def _done(self, summary: ConflictSummary, what: str) -> None:
        self._last_done = f"{summary.number or summary.kind_label}：{what}"
        self.record_resolved.emit(summary.record_type, summary.record_id)
        self.reload()
