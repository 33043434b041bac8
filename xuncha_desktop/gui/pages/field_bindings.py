"""FieldBinding: which named form widget shows which record field, and a read/write adapter per widget."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Protocol

from PySide6.QtCore import QLocale, Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDoubleSpinBox,
    QGridLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QSpinBox,
    QTableWidget,
    QWidget,
)

from xuncha_desktop.gui.pages import date_edits, table_rows
from xuncha_desktop.gui.pages.formatting import display_text
from xuncha_desktop.gui.pages.table_rows import TableColumn

Choice = tuple[str, str]  # (stored value, shown label)
# Choices computed from the context (rounds, groups …) and the values currently in the form.
ChoiceFn = Callable[[Any, Mapping[str, Any]], Sequence[Choice]]
MAX_AMOUNT = 999_999_999_999.99
VALUE_ROLE = Qt.ItemDataRole.UserRole
CHINA = QLocale(QLocale.Language.Chinese, QLocale.Country.China)

__all__ = ["Choice", "ChoiceFn", "FieldBinding", "TableColumn", "adapter_for"]


@dataclass(frozen=True)
class FieldBinding:
    """Field `field` of a record is shown and edited in the form widget named `widget`.

    `choices` fill a combo box or a check list (fixed values, or a function of the context and the form);
    `depends_on` names fields whose change recomputes them. A dict field spreads over `parts` (key → widget
    name) inside the `widget` container; a list of dicts fills a table with `columns`. `read_only` fields are
    shown but never read back (the workflow changes them).
    """

    field: str
    widget: str
    choices: Sequence[str] | ChoiceFn = ()
    depends_on: tuple[str, ...] = ()
    optional: bool = False  # combos and check lists get a blank entry
    kind: str = ""  # "lines": list[str] one per line; "amount": 元; "tallies": poll counts; "checks": tags
    read_only: bool = False
    parts: tuple[tuple[str, str], ...] = ()
    columns: tuple[TableColumn, ...] = ()

    @property
    def dynamic(self) -> bool:
        return callable(self.choices)

    def static_choices(self) -> list[Choice]:
        if callable(self.choices):
            return []
        return [(c, c) for c in self.choices]


class Adapter(Protocol):
    def prepare(self, widget: Any, binding: FieldBinding) -> None: ...

    def read(self, widget: Any, binding: FieldBinding) -> Any: ...

    def write(self, widget: Any, binding: FieldBinding, value: Any) -> None: ...

    def connect(self, widget: Any, slot: Callable[[], None]) -> None: ...


class _LineEdit:
    def prepare(self, widget: QLineEdit, binding: FieldBinding) -> None:
        pass

    def read(self, widget: QLineEdit, binding: FieldBinding) -> str:
        return widget.text().strip()

    def write(self, widget: QLineEdit, binding: FieldBinding, value: Any) -> None:
        widget.setText(display_text(value))
        widget.setCursorPosition(0)

    def connect(self, widget: QLineEdit, slot: Callable[[], None]) -> None:
        widget.textChanged.connect(lambda *_args: slot())


class _PlainText:
    def prepare(self, widget: QPlainTextEdit, binding: FieldBinding) -> None:
        pass

    def read(self, widget: QPlainTextEdit, binding: FieldBinding) -> Any:
        return widget.toPlainText()

    def write(self, widget: QPlainTextEdit, binding: FieldBinding, value: Any) -> None:
        widget.setPlainText(value or "")

    def connect(self, widget: QPlainTextEdit, slot: Callable[[], None]) -> None:
        widget.textChanged.connect(lambda *_args: slot())


class _Lines(_PlainText):
    """A list of short texts, one per line (反映问题摘要, 涉及人员)."""

    def read(self, widget: QPlainTextEdit, binding: FieldBinding) -> list[str]:
        return [line.strip() for line in widget.toPlainText().splitlines() if line.strip()]

    def write(self, widget: QPlainTextEdit, binding: FieldBinding, value: Any) -> None:
        widget.setPlainText("\n".join(value or []))


class _CheckBox:
    def prepare(self, widget: QCheckBox, binding: FieldBinding) -> None:
        pass

    def read(self, widget: QCheckBox, binding: FieldBinding) -> bool:
        return widget.isChecked()

    def write(self, widget: QCheckBox, binding: FieldBinding, value: Any) -> None:
        widget.setChecked(bool(value))

    def connect(self, widget: QCheckBox, slot: Callable[[], None]) -> None:
        widget.toggled.connect(lambda *_args: slot())


class _SpinBox:
    def prepare(self, widget: QSpinBox, binding: FieldBinding) -> None:
        widget.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)

    def read(self, widget: QSpinBox, binding: FieldBinding) -> int:
        return widget.value()

    def write(self, widget: QSpinBox, binding: FieldBinding, value: Any) -> None:
        widget.setValue(int(value or 0))

    def connect(self, widget: QSpinBox, slot: Callable[[], None]) -> None:
        widget.valueChanged.connect(lambda *_args: slot())


class _DecimalSpinBox:
    """Amounts in 元 with thousands separators (and other two-decimal numbers), read back as Decimal."""

    def prepare(self, widget: QDoubleSpinBox, binding: FieldBinding) -> None:
        widget.setLocale(CHINA)
        widget.setDecimals(2)
        widget.setGroupSeparatorShown(True)
        widget.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        widget.setAccelerated(True)
        if binding.kind == "amount":
            widget.setRange(0, MAX_AMOUNT)
            widget.setSuffix(" 元")
        else:
            widget.setRange(0, 999)

    def read(self, widget: QDoubleSpinBox, binding: FieldBinding) -> Decimal:
        return Decimal(f"{widget.value():.2f}")

    def write(self, widget: QDoubleSpinBox, binding: FieldBinding, value: Any) -> None:
        widget.setValue(float(value or 0))

    def connect(self, widget: QDoubleSpinBox, slot: Callable[[], None]) -> None:
        widget.valueChanged.connect(lambda *_args: slot())


class _Date:
    def prepare(self, widget: QDateEdit, binding: FieldBinding) -> None:
        date_edits.prepare(widget)

    def read(self, widget: QDateEdit, binding: FieldBinding) -> Any:
        return date_edits.value(widget)

    def write(self, widget: QDateEdit, binding: FieldBinding, value: Any) -> None:
        date_edits.set_value(widget, value)

    def connect(self, widget: QDateEdit, slot: Callable[[], None]) -> None:
        widget.dateChanged.connect(lambda *_args: slot())


class _Label:
    """Read-only display (状态, 已销号 …): written, never read."""

    def prepare(self, widget: QLabel, binding: FieldBinding) -> None:
        pass

    def read(self, widget: QLabel, binding: FieldBinding) -> Any:
        return None

    def write(self, widget: QLabel, binding: FieldBinding, value: Any) -> None:
        widget.setText(display_text(value) or "—")

    def connect(self, widget: QLabel, slot: Callable[[], None]) -> None:
        pass


def combo_value(widget: QComboBox) -> str:
    if widget.isEditable():
        return widget.currentText().strip()
    data = widget.currentData(VALUE_ROLE)
    return "" if data is None else str(data)


def select_value(widget: QComboBox, value: str) -> None:
    """Select `value`; a stored value missing from the list is added rather than lost."""
    index = widget.findData(value, VALUE_ROLE)
    if index < 0 and value:
        widget.addItem(value, value)
        index = widget.count() - 1
    if widget.isEditable():
        widget.setCurrentIndex(index)
        widget.setEditText(value)
    else:
        widget.setCurrentIndex(index)


def set_combo_choices(
    widget: QComboBox, choices: Sequence[Choice], *, optional: bool, keep: str | None = None
) -> None:
    """Replace the entries; `keep` stays selected (added if missing); None keeps the current if offered."""
    current = combo_value(widget) if keep is None else keep
    blocked = widget.blockSignals(True)
    try:
        widget.clear()
        if optional:
            widget.addItem("", "")
        for value, label in choices:
            widget.addItem(label, value)
            widget.setItemData(widget.count() - 1, label, Qt.ItemDataRole.ToolTipRole)
        if keep is not None or widget.findData(current, VALUE_ROLE) >= 0 or widget.isEditable():
            select_value(widget, current)
        else:
            widget.setCurrentIndex(0 if widget.count() else -1)
    finally:
        widget.blockSignals(blocked)


class _Combo:
    def prepare(self, widget: QComboBox, binding: FieldBinding) -> None:
        # Long dictionary labels must not widen the whole form: the popup shows them in full.
        widget.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        widget.setMinimumContentsLength(10)
        widget.view().setTextElideMode(Qt.TextElideMode.ElideNone)
        if not binding.dynamic:
            set_combo_choices(widget, binding.static_choices(), optional=binding.optional)

    def read(self, widget: QComboBox, binding: FieldBinding) -> str:
        return combo_value(widget)

    def write(self, widget: QComboBox, binding: FieldBinding, value: Any) -> None:
        select_value(widget, value or "")

    def connect(self, widget: QComboBox, slot: Callable[[], None]) -> None:
        widget.currentIndexChanged.connect(lambda *_args: slot())
        if widget.isEditable():
            widget.editTextChanged.connect(lambda *_args: slot())


def set_check_choices(widget: QListWidget, choices: Sequence[Choice]) -> None:
    checked = _checked(widget)
    blocked = widget.blockSignals(True)
    try:
        widget.clear()
        for value, label in choices:
            _add_check_item(widget, value, label, value in checked)
    finally:
        widget.blockSignals(blocked)


def _add_check_item(widget: QListWidget, value: str, label: str, checked: bool) -> None:
    item = QListWidgetItem(label, widget)
    item.setData(VALUE_ROLE, value)
    item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsUserCheckable)
    item.setCheckState(Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked)


def _checked(widget: QListWidget) -> list[str]:
    return [
        str(widget.item(i).data(VALUE_ROLE))
        for i in range(widget.count())
        if widget.item(i).checkState() == Qt.CheckState.Checked
    ]


class _CheckList:
    """A multi-select list of check items (for long or dynamic choice lists)."""

    def prepare(self, widget: QListWidget, binding: FieldBinding) -> None:
        if not binding.dynamic:
            set_check_choices(widget, binding.static_choices())

    def read(self, widget: QListWidget, binding: FieldBinding) -> list[str]:
        return _checked(widget)

    def write(self, widget: QListWidget, binding: FieldBinding, value: Any) -> None:
        wanted = list(value or [])
        offered = {str(widget.item(i).data(VALUE_ROLE)) for i in range(widget.count())}
        for extra in (v for v in wanted if v not in offered):
            _add_check_item(widget, extra, extra, True)
        for i in range(widget.count()):
            item = widget.item(i)
            on = item.data(VALUE_ROLE) in wanted
            item.setCheckState(Qt.CheckState.Checked if on else Qt.CheckState.Unchecked)

    def connect(self, widget: QListWidget, slot: Callable[[], None]) -> None:
        widget.itemChanged.connect(lambda _item: slot())


CHECK_COLUMNS = 3
VALUE_PROPERTY = "choiceValue"
SLOT_PROPERTY = "changedSlot"


class _CheckGrid:
    """Multi-select tags (六大纪律, 专项类型, 责任主体) as a grid of check boxes inside a container."""

    def prepare(self, widget: QWidget, binding: FieldBinding) -> None:
        layout = QGridLayout(widget)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setHorizontalSpacing(14)
        layout.setVerticalSpacing(2)
        for value, label in binding.static_choices():
            self._add(widget, value, label)

    def _add(self, widget: QWidget, value: str, label: str) -> QCheckBox:
        boxes = self._boxes(widget)
        box = QCheckBox(label, widget)
        box.setObjectName(f"{widget.objectName()}_{len(boxes)}")
        box.setProperty(VALUE_PROPERTY, value)
        layout = widget.layout()
        assert isinstance(layout, QGridLayout)
        layout.addWidget(box, len(boxes) // CHECK_COLUMNS, len(boxes) % CHECK_COLUMNS)
        slot = widget.property(SLOT_PROPERTY)
        if callable(slot):
            box.toggled.connect(lambda *_args: slot())
        return box

    @staticmethod
    def _boxes(widget: QWidget) -> list[QCheckBox]:
        return [b for b in widget.findChildren(QCheckBox) if b.property(VALUE_PROPERTY) is not None]

    def read(self, widget: QWidget, binding: FieldBinding) -> list[str]:
        return [str(b.property(VALUE_PROPERTY)) for b in self._boxes(widget) if b.isChecked()]

    def write(self, widget: QWidget, binding: FieldBinding, value: Any) -> None:
        wanted = [str(v) for v in value or []]
        offered = {str(b.property(VALUE_PROPERTY)) for b in self._boxes(widget)}
        for extra in (v for v in wanted if v not in offered):
            self._add(widget, extra, extra)
        for box in self._boxes(widget):
            box.setChecked(str(box.property(VALUE_PROPERTY)) in wanted)

    def connect(self, widget: QWidget, slot: Callable[[], None]) -> None:
        # Kept on the widget, so it lives and dies with it (a registry here would keep dead forms alive).
        widget.setProperty(SLOT_PROPERTY, slot)
        for box in self._boxes(widget):
            box.toggled.connect(lambda *_args: slot())


class _Rows:
    """A list of dicts (佐证材料目录, 审签记录) as table rows; unshown keys travel with their row."""

    def prepare(self, widget: QTableWidget, binding: FieldBinding) -> None:
        table_rows.prepare(widget, binding.columns, read_only=binding.read_only)

    def read(self, widget: QTableWidget, binding: FieldBinding) -> list[dict[str, Any]]:
        return table_rows.rows(widget, binding.columns)

    def write(self, widget: QTableWidget, binding: FieldBinding, value: Any) -> None:
        table_rows.set_rows(widget, binding.columns, value or [])

    def connect(self, widget: QTableWidget, slot: Callable[[], None]) -> None:
        widget.itemChanged.connect(lambda _item: slot())
        widget.model().rowsInserted.connect(lambda *_: slot())
        widget.model().rowsRemoved.connect(lambda *_: slot())


class _Tallies:
    """民主测评 votes per option: option, votes (editable), share of the votes (filled by the page)."""

    def prepare(self, widget: QTableWidget, binding: FieldBinding) -> None:
        table_rows.prepare_tallies(widget)

    def read(self, widget: QTableWidget, binding: FieldBinding) -> dict[str, int]:
        return table_rows.tallies(widget)

    def write(self, widget: QTableWidget, binding: FieldBinding, value: Any) -> None:
        table_rows.set_tallies(widget, dict(value or {}))

    def connect(self, widget: QTableWidget, slot: Callable[[], None]) -> None:
        widget.itemChanged.connect(lambda item: slot() if item.column() == table_rows.VOTES else None)


_BY_KIND: dict[str, Adapter] = {"lines": _Lines(), "tallies": _Tallies(), "checks": _CheckGrid()}
# Checked in order: subclasses first (QDateEdit before any other spin box, QDoubleSpinBox before QSpinBox).
_BY_TYPE: tuple[tuple[type[QWidget], Adapter], ...] = (
    (QDateEdit, _Date()),
    (QDoubleSpinBox, _DecimalSpinBox()),
    (QSpinBox, _SpinBox()),
    (QComboBox, _Combo()),
    (QCheckBox, _CheckBox()),
    (QLineEdit, _LineEdit()),
    (QPlainTextEdit, _PlainText()),
    (QListWidget, _CheckList()),
    (QTableWidget, _Rows()),
    (QLabel, _Label()),
)
SUPPORTED_TYPES = tuple(t for t, _ in _BY_TYPE)


def adapter_for(widget: QWidget, binding: FieldBinding) -> Adapter:
    """The adapter moving `binding`'s value in and out of `widget`; TypeError for an unsupported widget."""
    if binding.kind in _BY_KIND:
        return _BY_KIND[binding.kind]
    for kind, adapter in _BY_TYPE:
        if isinstance(widget, kind):
            return adapter
    raise TypeError(f"{binding.field}: no adapter for {type(widget).__name__} {binding.widget!r}")
