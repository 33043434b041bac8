"""One field row of 冲突处理: the common version, each side with a radio when the field conflicts, and the
result — chosen, combined (两者都保留) or typed (修改), with what is wrong with it shown beneath."""

from __future__ import annotations

import dataclasses
import functools
import typing
from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QButtonGroup,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from xuncha_desktop.domain.common import NON_BODY_FIELDS
from xuncha_desktop.domain.record_types import BY_KEY
from xuncha_desktop.gui.pages.formatting import display_text
from xuncha_desktop.gui.views.value_editors import ValueEditor
from xuncha_desktop.services.records.conflicts import KEEP_BOTH, ConflictDetail, Side

LETTERS = "ABCDEFGHIJ"
EMPTY_VALUE = "（空）"
DIFFERS_STYLE = "background: #fff3cd; padding: 3px;"
PLAIN_STYLE = "padding: 3px;"
BASE_STYLE = "color: #555555; padding: 3px;"
HEADER_STYLE = "font-weight: bold; background: #e8eef7; padding: 4px;"
PROBLEM_STYLE = "color: #b00020;"
MERGED_BADGE = "✓ 已自动合并"
EDIT_LABEL = "修改"


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


def _form_order(record_type: str) -> list[str]:
    rt = BY_KEY.get(record_type)
    return [f.name for f in dataclasses.fields(rt.cls)] if rt else []


def shown_fields(record_type: str, detail: ConflictDetail) -> list[str]:
    """Fields with differences, in form order: conflicting and merged ones, and a live side's edits
    against the common version (delete against edit)."""
    names = set(detail.conflicting) | set(detail.merged)
    if detail.base is not None:
        for side in detail.sides:
            if not side.deleted:
                names |= {k for k, v in side.body.items() if detail.base.get(k) != v}
    order = _form_order(record_type)
    return sorted(names, key=lambda n: (order.index(n) if n in order else len(order), n))


def other_fields(record_type: str, shown: Sequence[str]) -> list[str]:
    """The record's other fields, in form order (rows shown on request, or when they have a problem)."""
    return [n for n in _form_order(record_type) if n not in NON_BODY_FIELDS and n not in shown]


def cell(text: str, style: str) -> QLabel:
    label = QLabel(text)
    label.setWordWrap(True)
    label.setStyleSheet(style)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    label.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
    return label


class FieldChoice:
    """One field row: a radio per side when the field conflicts; 两者都保留 and an editable result for
    conflicting text; otherwise the chosen or merged value, which 修改 turns into an editor of the
    field's kind. What is wrong with the result is shown under it."""

    def __init__(
        self,
        name: str,
        sides: Sequence[Side],
        result: Any,
        *,
        hard: bool,
        text: bool,
        on_change: Callable[[], None],
        editor: Callable[[], ValueEditor | None] | None = None,
        merged: bool = True,
    ) -> None:
        self.name = name
        self.hard = hard
        self.text = text
        self.shown = True
        self._sides = list(sides)
        self._result = result
        self._on_change = on_change
        self._make_editor = editor
        self._programmatic = ""
        self._cells: list[QWidget] = []
        self.group = QButtonGroup()
        self.side_buttons: list[QRadioButton | None] = []
        self.keep_both_button: QRadioButton | None = None
        self.editor: QPlainTextEdit | None = None  # the result of conflicting text
        self.value_editor: ValueEditor | None = None  # a typed result (修改), of the field's kind
        self.edit_button: QPushButton | None = None
        self.result_label: QLabel | None = None
        self._badge: QLabel | None = None
        self.problem_label = QLabel()
        self.result_widget = self._build_result(result, merged)
        self.group.idToggled.connect(self._on_toggled)

    # -- the row's cells -------------------------------------------------------------------------------
    def add_cell(self, widget: QWidget) -> QWidget:
        """A cell of this row other than the result (label, common version, sides): shown with it."""
        self._cells.append(widget)
        return widget

    def set_shown(self, shown: bool) -> None:
        """Show or hide the whole row (call once its cells are in the grid)."""
        self.shown = shown
        for widget in (*self._cells, self.result_widget):
            widget.setVisible(shown)

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
        layout.addWidget(cell("（已删除）" if side.deleted else value_text(value), style))
        layout.addStretch(1)
        return self.add_cell(host)

    def _build_result(self, result: Any, merged: bool) -> QWidget:
        host = QWidget()
        layout = QVBoxLayout(host)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        self._result_layout = layout
        if not self.hard:
            self.result_label = cell(value_text(result), PLAIN_STYLE)
            layout.addWidget(self.result_label)
            if merged:
                self._badge = QLabel(MERGED_BADGE)
                self._badge.setStyleSheet("color: #1b7f3b;")
                layout.addWidget(self._badge)
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
            self.result_label = cell("（请选择）", "color: #b00020; padding: 3px;")
            layout.addWidget(self.result_label)
        if self.editor is None and self._make_editor is not None:
            self.edit_button = QPushButton(EDIT_LABEL)
            self.edit_button.setToolTip("直接填写这一字段的结果")
            self.edit_button.clicked.connect(lambda _checked=False: self.open_editor())
            layout.addWidget(self.edit_button, 0, Qt.AlignmentFlag.AlignLeft)
        self.problem_label.setWordWrap(True)
        self.problem_label.setStyleSheet(PROBLEM_STYLE)
        self.problem_label.hide()
        layout.addWidget(self.problem_label)
        layout.addStretch(1)
        return host

    # -- choosing and typing ---------------------------------------------------------------------------
    def _set_editor(self, text: str) -> None:
        assert self.editor is not None
        self._programmatic = text
        self.editor.setPlainText(text)

    def _side_value(self, button_id: int) -> Any:
        return self._sides[button_id].body.get(self.name)

    def _on_toggled(self, button_id: int, checked: bool) -> None:
        if not checked:
            return
        if button_id == len(self._sides):
            shown = keep_both_text(self._sides, self.name)
        else:
            shown = display_text(self._side_value(button_id))
        if self.editor is not None:
            self._set_editor(shown)
        if self.value_editor is not None and button_id < len(self._sides):
            self.value_editor.set_body_value(self._side_value(button_id))
        if self.result_label is not None:
            self.result_label.setText(shown or EMPTY_VALUE)
            self.result_label.setStyleSheet(PLAIN_STYLE)
        self._on_change()

    def open_editor(self, *, notify: bool = True) -> bool:
        """修改: type the result, starting from the value shown now; False for a field not typed here.
        `notify` re-checks the result (not when opened because a check found a problem here)."""
        if self.value_editor is not None:
            return True
        made = self._make_editor() if self._make_editor is not None else None
        if made is None:
            return False
        checked = self.group.checkedId()
        made.set_body_value(self._side_value(checked) if checked >= 0 else self._result)
        self.value_editor = made
        for hidden in (self.result_label, self._badge, self.edit_button):
            if hidden is not None:
                hidden.hide()
        self._result_layout.insertWidget(self._result_layout.indexOf(self.problem_label), made.widget)
        made.connect(self._on_change)
        if notify:
            self._on_change()
        return True

    def edited(self) -> bool:
        return self.editor is not None and self.editor.toPlainText() != self._programmatic

    def choice(self) -> Any:
        """The value to keep (KEEP_BOTH for 两者都保留, a typed value after 修改), or None while nothing
        has been chosen (a field that does not conflict then keeps its merged value)."""
        if self.value_editor is not None:
            return self.value_editor.value()
        if self.edited():
            assert self.editor is not None
            return self.editor.toPlainText()
        checked = self.group.checkedId()
        if checked < 0:
            return None
        if checked == len(self._sides):
            return KEEP_BOTH
        return self._side_value(checked)

    def choose(self, index: int) -> None:
        """Pick side `index` as a click would (for keyboard users and tests)."""
        button = self.side_buttons[index]
        if button is not None:
            button.click()

    # -- problems --------------------------------------------------------------------------------------
    def show_problems(self, problems: Sequence[str]) -> None:
        """Show what is wrong with this field's result under it; a field with a problem is always shown,
        and one that does not conflict opens its editor so it can be corrected at once."""
        self.problem_label.setText("\n".join(problems))
        self.problem_label.setVisible(bool(problems))
        if problems:
            self.set_shown(True)
            if not self.hard:
                self.open_editor(notify=False)

    def problem_text(self) -> str:
        return self.problem_label.text() if not self.problem_label.isHidden() else ""
