"""One field's value typed outside its record form (冲突处理): a widget fit for the field, filled and read
through the same adapters and choices as the record forms, so a value is typed as it would be there."""

from __future__ import annotations

import functools
import typing
from collections.abc import Callable
from datetime import date
from decimal import Decimal
from typing import Any

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDoubleSpinBox,
    QLineEdit,
    QPlainTextEdit,
    QSpinBox,
    QWidget,
)

from xuncha_desktop.domain.codec import from_body
from xuncha_desktop.domain.record_types import BY_KEY
from xuncha_desktop.gui.pages.field_bindings import FieldBinding, adapter_for

# Identity and workflow state are chosen from a side, never typed (a 底稿's sign-offs, its number …).
NOT_TYPED = frozenset({"number", "status", "signoffs", "edited_after_signoff", "closed"})
TEXT_HEIGHT = (56, 110)


@functools.cache
def _bindings(record_type: str) -> dict[str, FieldBinding]:
    from xuncha_desktop.gui.pages.registry import BY_TYPE  # the page specs import this module's users

    spec = BY_TYPE.get(record_type)
    return {b.field: b for b in spec.bindings} if spec is not None else {}


def _hint(record_type: str, name: str) -> Any:
    hint = typing.get_type_hints(BY_KEY[record_type].cls).get(name)
    args = [a for a in typing.get_args(hint) if a is not type(None)]
    return args[0] if typing.get_origin(hint) is not list and len(args) == 1 else hint


def _plain_text() -> QPlainTextEdit:
    edit = QPlainTextEdit()
    edit.setMinimumHeight(TEXT_HEIGHT[0])
    edit.setMaximumHeight(TEXT_HEIGHT[1])
    return edit


Plan = tuple[Callable[[], QWidget], FieldBinding]  # how to make the widget, and how to fill and read it
MAKERS: dict[Any, Callable[[], QWidget]] = {
    bool: QCheckBox,
    int: QSpinBox,
    Decimal: QDoubleSpinBox,
    date: QDateEdit,
}


def _plan(record_type: str, name: str) -> Plan | None:
    """The kind of widget the form uses for `name` (the forms name a multi-line text box "…Text"), or
    None when the field is not typed here (references, tables, workflow state)."""
    if record_type not in BY_KEY or name in NOT_TYPED or name.endswith("_id"):
        return None
    binding = _bindings(record_type).get(name) or FieldBinding(name, name)
    hint = _hint(record_type, name)
    if binding.read_only or binding.dynamic or binding.parts or binding.columns:
        return None
    if binding.kind == "lines" or (hint == list[str] and not binding.choices):
        return _plain_text, FieldBinding(name, name, kind="lines")
    if hint == list[str]:
        return QWidget, FieldBinding(name, name, binding.choices, kind="checks")
    if binding.choices:
        return QComboBox, binding
    if hint in MAKERS:
        return MAKERS[hint], binding
    if hint is str:
        return (_plain_text if binding.widget.endswith("Text") else QLineEdit), binding
    return None


class ValueEditor:
    """Edits one field's value; reads it back as the record holds it (a date, an amount, a list …)."""

    def __init__(self, record_type: str, widget: QWidget, binding: FieldBinding) -> None:
        self.widget = widget
        self._cls = BY_KEY[record_type].cls
        self._binding = binding
        self._adapter = adapter_for(widget, binding)
        widget.setObjectName(f"{binding.field}Editor")
        self._adapter.prepare(widget, binding)

    def value(self) -> Any:
        return self._adapter.read(self.widget, self._binding)

    def set_body_value(self, value: Any) -> None:
        """Show a value as a record body stores it (a date as ISO text, an amount as a string …)."""
        name = self._binding.field
        try:
            decoded = getattr(from_body(self._cls, {name: value}, id=""), name)
        except (TypeError, ValueError):
            decoded = value
        self._adapter.write(self.widget, self._binding, decoded)

    def connect(self, slot: Callable[[], None]) -> None:
        self._adapter.connect(self.widget, slot)


def can_edit(record_type: str, name: str) -> bool:
    return _plan(record_type, name) is not None


def editor_for(record_type: str, name: str) -> ValueEditor | None:
    """An editor for `name` on records of `record_type`, or None for a reference, a table or workflow
    state (those are chosen from a side)."""
    plan = _plan(record_type, name)
    return ValueEditor(record_type, plan[0](), plan[1]) if plan is not None else None
