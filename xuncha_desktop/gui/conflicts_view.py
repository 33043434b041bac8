"""冲突处理: the open conflicts on the left; on the right, for one record, the common version, each side and
the result, field by field, with a choice per conflicting field (sync.md §3.8)."""

from __future__ import annotations

import dataclasses
import functools
import typing
from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QRadioButton,
    QScrollArea,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from xuncha_desktop.domain.errors import XunchaError
from xuncha_desktop.domain.record_types import BY_KEY
from xuncha_desktop.gui.field_labels import field_label
from xuncha_desktop.gui.formatting import display_text
from xuncha_desktop.gui.forms import child, load_form
from xuncha_desktop.services.conflicts import (
    KEEP_BOTH,
    KIND_LABELS,
    ConflictDetail,
    ConflictService,
    ConflictSummary,
    Side,
)
from xuncha_desktop.services.workspace import Workspace

LIST_HEADERS = ("编号", "记录类型", "冲突类型", "涉及字段", "发现时间")
LETTERS = "ABCDEFGHIJ"
EMPTY_VALUE = "（空）"
DIFFERS_STYLE = "background: #fff3cd; padding: 3px;"
PLAIN_STYLE = "padding: 3px;"
BASE_STYLE = "color: #555555; padding: 3px;"
HEADER_STYLE = "font-weight: bold; background: #e8eef7; padding: 4px;"
EXPLANATIONS = {
    "hard": "同一字段在不同电脑上被改成了不同内容。请为每个标红的字段选择保留哪个版本；"
    "文本字段也可以选择“两者都保留”，或直接修改结果。未标红的字段已自动合并。",
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


def value_text(value: Any) -> str:
    return display_text(value) or EMPTY_VALUE


@functools.cache
def _string_fields(record_type: str) -> frozenset[str]:
    rt = BY_KEY[record_type]
    hints = typing.get_type_hints(rt.cls)
    return frozenset(name for name in rt.text_fields if name != "number" and hints.get(name) is str)


def is_text_field(record_type: str, name: str) -> bool:
    """Free text a person can combine or edit (两者都保留), as opposed to codes, dates and lists."""
    return record_type in BY_KEY and name in _string_fields(record_type)


def keep_both_text(sides: Sequence[Side], name: str) -> str:
    """What ConflictService writes for KEEP_BOTH: each live side's text with its author."""
    return "\n".join(
        f"【{s.author}（{s.replica_label}，{s.at}）】{s.body.get(name) or ''}" for s in sides if not s.deleted
    )


def side_header(index: int, side: Side) -> str:
    deleted = "（已删除）" if side.deleted else ""
    return f"版本{LETTERS[index % len(LETTERS)]}{deleted}\n{side.replica_label} · {side.author}\n{side.at}"


def shown_fields(record_type: str, detail: ConflictDetail) -> list[str]:
    """Fields with differences, in form order: conflicting and merged ones, and a live side's edits
    against the common version (delete against edit)."""
    names = set(detail.conflicting) | set(detail.merged)
    if detail.base is not None:
        for side in detail.sides:
            if not side.deleted:
                names |= {k for k, v in side.body.items() if detail.base.get(k) != v}
    rt = BY_KEY.get(record_type)
    order = [f.name for f in dataclasses.fields(rt.cls)] if rt else []
    return sorted(names, key=lambda n: (order.index(n) if n in order else len(order), n))


def _cell(text: str, style: str) -> QLabel:
    label = QLabel(text)
    label.setWordWrap(True)
    label.setStyleSheet(style)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    label.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
    return label


class FieldChoice:
    """One field row: a radio per side, 两者都保留 and an editable result for text, or the merged value."""

    def __init__(
        self,
        name: str,
        sides: Sequence[Side],
        result: Any,
        *,
        hard: bool,
        text: bool,
        on_change: Callable[[], None],
    ) -> None:
        self.name = name
        self.hard = hard
        self.text = text
        self._sides = list(sides)
        self._on_change = on_change
        self._programmatic = ""
        self.group = QButtonGroup()
        self.side_buttons: list[QRadioButton | None] = []
        self.keep_both_button: QRadioButton | None = None
        self.editor: QPlainTextEdit | None = None
        self.result_label: QLabel | None = None
        self.result_widget = self._build_result(result)
        self.group.idToggled.connect(self._on_toggled)

    def side_widget(self, index: int, value: Any, style: str) -> QWidget:
        """The cell of side `index`: its value, with a radio to keep it when the field conflicts."""
        side = self._sides[index]
        host = QWidget()
        layout = QVBoxLayout(host)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        button = None
        if self.hard and not side.deleted:
            button = QRadioButton(f"采用版本{LETTERS[index % len(LETTERS)]}")
            self.group.addButton(button, index)
            layout.addWidget(button)
        self.side_buttons.append(button)
        layout.addWidget(_cell("（已删除）" if side.deleted else value_text(value), style))
        layout.addStretch(1)
        return host

    def _build_result(self, result: Any) -> QWidget:
        host = QWidget()
        layout = QVBoxLayout(host)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        if not self.hard:
            layout.addWidget(_cell(value_text(result), PLAIN_STYLE))
            badge = QLabel("✓ 已自动合并")
            badge.setStyleSheet("color: #1b7f3b;")
            layout.addWidget(badge)
        elif self.text:
            self.keep_both_button = QRadioButton("两者都保留")
            self.group.addButton(self.keep_both_button, len(self._sides))
            layout.addWidget(self.keep_both_button)
            self.editor = QPlainTextEdit()
            self.editor.setPlaceholderText("选择一个版本，或在此直接填写结果")
            self.editor.setMinimumHeight(56)
            self.editor.setMaximumHeight(110)
            self._set_editor("")
            self.editor.textChanged.connect(self._on_change)
            layout.addWidget(self.editor)
        else:
            self.result_label = _cell("（请选择）", "color: #b00020; padding: 3px;")
            layout.addWidget(self.result_label)
        layout.addStretch(1)
        return host

    def _set_editor(self, text: str) -> None:
        assert self.editor is not None
        self._programmatic = text
        self.editor.setPlainText(text)

    def _on_toggled(self, button_id: int, checked: bool) -> None:
        if not checked:
            return
        if button_id == len(self._sides):
            shown = keep_both_text(self._sides, self.name)
        else:
            shown = display_text(self._sides[button_id].body.get(self.name))
        if self.editor is not None:
            self._set_editor(shown)
        if self.result_label is not None:
            self.result_label.setText(shown or EMPTY_VALUE)
            self.result_label.setStyleSheet(PLAIN_STYLE)
        self._on_change()

    def edited(self) -> bool:
        return self.editor is not None and self.editor.toPlainText() != self._programmatic

    def choice(self) -> Any:
        """The value to keep (KEEP_BOTH for 两者都保留), or None while nothing has been chosen."""
        if self.edited():
            assert self.editor is not None
            return self.editor.toPlainText()
        checked = self.group.checkedId()
        if checked < 0:
            return None
        if checked == len(self._sides):
            return KEEP_BOTH
        return self._sides[checked].body.get(self.name)

    def choose(self, index: int) -> None:
        """Pick side `index` as a click would (for keyboard users and tests)."""
        button = self.side_buttons[index]
        if button is not None:
            button.click()


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
        return dict(self._choices)

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
        grid = QGridLayout()
        grid.setHorizontalSpacing(6)
        grid.setVerticalSpacing(6)
        sides = detail.sides
        result_column = 2 + len(sides)
        headers = ["字段", "共同版本", *(side_header(i, s) for i, s in enumerate(sides)), "结果"]
        for column, text in enumerate(headers):
            grid.addWidget(_cell(text, HEADER_STYLE), 0, column)
        for column in range(1, result_column + 1):
            grid.setColumnStretch(column, 1)
        rtype = detail.summary.record_type
        base = detail.base or {}
        names = shown_fields(rtype, detail)
        for row, name in enumerate(names, start=1):
            hard = name in detail.conflicting
            choice = FieldChoice(
                name,
                sides,
                detail.result.get(name),
                hard=hard,
                text=is_text_field(rtype, name),
                on_change=self._update_apply,
            )
            self._choices[name] = choice
            label = field_label(rtype, name) + ("\n（需选择）" if hard else "")
            grid.addWidget(
                _cell(label, "font-weight: bold; padding: 3px;" + (" color: #b00020;" if hard else "")),
                row,
                0,
            )
            grid.addWidget(_cell(value_text(base.get(name)) if detail.base else "（无）", BASE_STYLE), row, 1)
            for index, side in enumerate(sides):
                value = side.body.get(name)
                differs = detail.base is not None and not side.deleted and value != base.get(name)
                style = DIFFERS_STYLE if differs else PLAIN_STYLE
                grid.addWidget(choice.side_widget(index, value, style), row, 2 + index)
            grid.addWidget(choice.result_widget, row, result_column)
        if not names:
            grid.addWidget(_cell("各版本内容相同，无需逐字段选择。", PLAIN_STYLE), 1, 0, 1, result_column + 1)
        return grid

    def _missing(self) -> list[str]:
        return [name for name, choice in self._choices.items() if choice.hard and choice.choice() is None]

    def _update_apply(self) -> None:
        detail = self._detail
        if detail is None:
            return
        if detail.summary.kind == "delete_edit":
            deleting = self._delete_button is not None and self._delete_button.isChecked()
            restoring = self._restore_button is not None and self._restore_button.isChecked()
            ready = deleting or (restoring and not self._missing())
        else:
            ready = not self._missing()
        self._apply_button.setEnabled(ready)
        missing = [field_label(detail.summary.record_type, n) for n in self._missing()]
        self._status_label.setText(f"待选择：{'、'.join(missing)}" if missing and not ready else "")

    # -- actions ---------------------------------------------------------------------------------------
    def apply(self) -> bool:
        """Write the resolution of the shown conflict; problems are shown above the buttons."""
        detail = self._detail
        if detail is None:
            return False
        summary = detail.summary
        deleting = summary.kind == "delete_edit" and (
            self._delete_button is not None and self._delete_button.isChecked()
        )
        choices = {n: c.choice() for n, c in self._choices.items() if c.hard and c.choice() is not None}
        try:
            self._service.resolve(summary.id, choices, delete=deleting)
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
