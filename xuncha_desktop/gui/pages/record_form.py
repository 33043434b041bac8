"""RecordForm: a Designer form bound to a record type — writes a record in, reads edits out, marks errors."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from functools import partial
from typing import Any

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import (
    QAbstractSpinBox,
    QComboBox,
    QDateTimeEdit,
    QLineEdit,
    QListWidget,
    QPlainTextEdit,
    QSizePolicy,
    QWidget,
)

from xuncha_desktop.domain.errors import FieldError
from xuncha_desktop.gui.forms import FormError, child, load_form
from xuncha_desktop.gui.pages.choices import Choices
from xuncha_desktop.gui.pages.field_bindings import (
    FieldBinding,
    adapter_for,
    set_check_choices,
    set_combo_choices,
)
from xuncha_desktop.gui.pages.field_errors import FORM_STYLE, FieldErrorMarks, TabErrorCounts, show_tab_of

SPIN_CHARS = 12  # a number box (页数, 涉及金额, 得分) is at most this many digits wide, not the row's width


def limit_number_width(widget: QWidget) -> None:
    """Numbers are short: a spin box that stretched across a wide form would look like a text field."""
    if not isinstance(widget, QAbstractSpinBox) or isinstance(widget, QDateTimeEdit):
        return
    if widget.sizePolicy().horizontalPolicy() in (QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Maximum):
        return  # the .ui already keeps it at its own size
    wide = widget.fontMetrics().horizontalAdvance("0" * SPIN_CHARS) + 40
    widget.setMaximumWidth(min(widget.maximumWidth(), wide))


class RecordForm(QObject):
    """Knows nothing about any particular record type: everything comes from the bindings."""

    edited = Signal()  # the user changed a bound widget
    field_changed = Signal(str)  # a bound widget changed (by the user, a behaviour or a dependency)
    loaded = Signal()  # a record was written into the form

    def __init__(
        self,
        form_file: str,
        host: QWidget,
        bindings: Sequence[FieldBinding],
        choices: Choices,
        *,
        styled: bool = True,
    ) -> None:
        """`styled=False`: the caller adds widgets into the form first, then calls apply_style()."""
        super().__init__(host)
        self.widget = load_form(form_file, host)
        if styled:
            self.apply_style()
        self._bindings = {b.field: b for b in bindings}
        self._choices = choices
        self._targets: dict[str, QWidget] = {}
        self._parts: dict[str, dict[str, QWidget]] = {}
        self._marks = FieldErrorMarks()
        self._tab_counts = TabErrorCounts(self.widget)
        self._loading = False
        self._record: Any = None
        self._baseline: dict[str, Any] = {}
        seen: set[str] = set()
        for b in bindings:
            if not set(b.depends_on) <= seen:
                raise FormError(f"{form_file}: {b.field} depends on fields bound after it")
            seen.add(b.field)
            self._targets[b.field] = child(self.widget, QWidget, b.widget)
            if b.parts:
                self._parts[b.field] = {key: child(self.widget, QWidget, name) for key, name in b.parts}
            for w in self._widgets(b):
                adapter = adapter_for(w, b)
                adapter.prepare(w, b)
                limit_number_width(w)
                adapter.connect(w, partial(self._on_widget_changed, b.field))  # called with no arguments
                if b.read_only:
                    w.setProperty("readOnlyField", True)

    # -- lookup ----------------------------------------------------------------------------------------
    def _widgets(self, b: FieldBinding) -> list[QWidget]:
        return list(self._parts[b.field].values()) if b.parts else [self._targets[b.field]]

    @property
    def bindings(self) -> tuple[FieldBinding, ...]:
        return tuple(self._bindings.values())

    def widget_of(self, field: str) -> QWidget:
        """The widget (or container, for dict fields) showing `field`."""
        return self._targets[field]

    def selected_text(self, field: str) -> str:
        """The text selected in `field`'s text box ("" for other widgets)."""
        widget = self._targets[field]
        if isinstance(widget, QPlainTextEdit):
            return widget.textCursor().selectedText().replace("\u2029", "\n")
        if isinstance(widget, QLineEdit):
            return widget.selectedText()
        return ""

    def part(self, field: str, key: str) -> QWidget:
        return self._parts[field][key]

    def find(self, kind: type[Any], name: str) -> Any:
        """Any named widget of the form (for behaviours); fails fast when the .ui lacks it."""
        return child(self.widget, kind, name)

    @property
    def choices(self) -> Choices:
        return self._choices

    def apply_style(self) -> None:
        """The frame of fields with errors, as a style sheet on the whole form. Widgets moved into an
        already styled form are styled again on arrival (a record page's 关联记录 and 附件 tabs: ~2 ms)."""
        self.widget.setStyleSheet(FORM_STYLE)

    def set_choices(self, choices: Choices) -> None:
        """New context entries (after rounds or units changed); every field keeps its value."""
        self._choices = choices
        values = self._all_values()
        for b in self._bindings.values():
            if b.dynamic:
                self._fill(b, values, keep=values[b.field])

    # -- reading and writing ---------------------------------------------------------------------------
    def _read(self, b: FieldBinding) -> Any:
        if b.parts:
            out = {}
            for key, w in self._parts[b.field].items():
                value = adapter_for(w, b).read(w, b)
                if value not in ("", None):
                    out[key] = value
            return out
        w = self._targets[b.field]
        return adapter_for(w, b).read(w, b)

    def _write(self, b: FieldBinding, value: Any) -> None:
        if b.parts:
            for key, w in self._parts[b.field].items():
                adapter_for(w, b).write(w, b, (value or {}).get(key, ""))
            return
        w = self._targets[b.field]
        adapter_for(w, b).write(w, b, value)

    def _all_values(self) -> dict[str, Any]:
        return {f: self._read(b) for f, b in self._bindings.items()}

    def _fill(self, b: FieldBinding, values: dict[str, Any], keep: Any = None) -> None:
        """Recompute the entries of a dynamic combo or check list from the current form values."""
        if not b.dynamic:
            return
        assert callable(b.choices)
        offered = list(b.choices(self._choices, values))
        w = self._targets[b.field]
        if isinstance(w, QComboBox):
            set_combo_choices(w, offered, optional=b.optional, keep=keep)
        elif isinstance(w, QListWidget):
            set_check_choices(w, offered)

    def write(self, record: Any) -> None:
        """Show `record`; the form is clean afterwards."""
        self._loading = True
        try:
            self.clear_errors()
            values: dict[str, Any] = {}
            for b in self._bindings.values():
                value = getattr(record, b.field)
                values[b.field] = value
                self._fill(b, values, keep=value)
                self._write(b, value)
        finally:
            self._loading = False
        self._record = record
        self._baseline = self.values()
        self.loaded.emit()

    def values(self) -> dict[str, Any]:
        """What the editable fields hold now."""
        return {f: self._read(b) for f, b in self._bindings.items() if not b.read_only}

    def value(self, field: str) -> Any:
        return self._read(self._bindings[field])

    def set_value(self, field: str, value: Any) -> None:
        """Change one field as if the user did (behaviours: prefill, pick from a list)."""
        self._write(self._bindings[field], value)

    def record(self) -> Any:
        """The shown record with the edits applied (not validated)."""
        return dataclasses.replace(self._record, **self.values())

    @property
    def original(self) -> Any:
        return self._record

    @property
    def loading(self) -> bool:
        """True while a record is being written in (behaviours must not treat that as a user edit)."""
        return self._loading

    def is_dirty(self) -> bool:
        return self._record is not None and self.values() != self._baseline

    def mark_clean(self) -> None:
        self._baseline = self.values()

    def mark_dirty(self) -> None:
        """Treat the shown values as unsaved (a prefilled or recovered form)."""
        self._baseline = {}

    def focus_first(self) -> None:
        """Put the cursor in the first editable text field."""
        for b in self._bindings.values():
            w = self._targets[b.field]
            if b.read_only or b.parts or not w.isEnabled():
                continue
            if (isinstance(w, QLineEdit) and not w.isReadOnly()) or isinstance(w, QPlainTextEdit):
                show_tab_of(w)
                w.setFocus()
                return

    # -- change propagation ----------------------------------------------------------------------------
    def _on_widget_changed(self, field: str) -> None:
        if not self._loading:
            self._refresh_dependents(field)
            self._unmark(field)
        self.field_changed.emit(field)
        if not self._loading:
            self.edited.emit()

    def _refresh_dependents(self, field: str) -> None:
        values = self._all_values()
        for b in self._bindings.values():
            if field in b.depends_on:
                before = values[b.field]
                self._fill(b, values)  # a value no longer offered is dropped
                after = self._read(b)
                if after != before:
                    values[b.field] = after
                    self._refresh_dependents(b.field)
                    self.field_changed.emit(b.field)

    # -- errors ----------------------------------------------------------------------------------------
    def show_errors(self, errors: Sequence[FieldError]) -> list[FieldError]:
        """Mark each field with its messages, count them in the tab headers and put the cursor in the first
        (in the form's order); returns the unplaced errors."""
        self.clear_errors()
        by_field: dict[str, list[str]] = {}
        for error in errors:
            by_field.setdefault(error.field, []).append(error.message)
        unplaced: list[FieldError] = []
        for field, messages in by_field.items():
            widget = self._targets.get(field)
            if widget is None or not self._marks.mark(widget, messages):
                unplaced.extend(FieldError(field, m) for m in messages)
        self._tab_counts.show(self._marks.marked())
        first = next((self._targets[f] for f in self._bindings if f in by_field), None)
        if first is not None:
            show_tab_of(first)
            first.setFocus()
        return unplaced

    def _unmark(self, field: str) -> None:
        """An edit to a marked field takes its mark and its count in the tab header away."""
        widget = self._targets.get(field)
        if widget is not None and widget in self._marks.marked():
            self._marks.unmark(widget)
            self._tab_counts.show(self._marks.marked())

    def count_errors_on_tabs_of(self, scope: QWidget) -> None:
        """Wrong fields are counted in the headers of the tabs within `scope` (default: the form's own)."""
        self._tab_counts.scope = scope

    def clear_errors(self) -> None:
        self._marks.clear()
        self._tab_counts.clear()

    def wrong_fields(self) -> list[str]:
        """The fields marked wrong now, in the form's order."""
        marked = self._marks.marked()
        return [f for f, w in self._targets.items() if w in marked]

    def error_text(self, field: str) -> str:
        """The message shown under `field` ("" when it has none)."""
        widget = self._targets.get(field)
        return self._marks.message(widget) if widget is not None else ""
