"""The filter bar of a page: one drop-down per FilterSpec, the inspected unit and a date range."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QComboBox, QDateEdit, QHBoxLayout, QLabel, QWidget

from xuncha_desktop.gui.pages import date_edits
from xuncha_desktop.gui.pages.field_bindings import Choice, combo_value, select_value, set_combo_choices
from xuncha_desktop.gui.pages.page_types import FilterSpec

ALL = "全部"


def _combo(name: str, parent: QWidget | None) -> QComboBox:
    combo = QComboBox(parent)
    combo.setObjectName(name)
    combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
    combo.setMinimumContentsLength(5)
    return combo


def _with_all(choices: Sequence[Choice]) -> list[Choice]:
    return [("", ALL), *choices]


class FilterBar(QObject):
    """Builds its widgets into `layout` (before its trailing spacer) and reports any change."""

    changed = Signal()

    def __init__(self, specs: Sequence[FilterSpec], *, unit: bool, dates: bool, layout: QHBoxLayout) -> None:
        super().__init__(layout.parentWidget())
        parent = layout.parentWidget()
        self._layout = layout
        self._combos: dict[str, QComboBox] = {}
        self._unit: QComboBox | None = None
        self._dates: tuple[QDateEdit, QDateEdit] | None = None
        for spec in specs:
            combo = _combo(f"filter_{spec.field}", parent)
            set_combo_choices(combo, _with_all(spec.choices), optional=False)
            self._add(f"{spec.label}：", combo)
            self._combos[spec.field] = combo
        if unit:
            self._unit = _combo("filter_target_id", parent)
            self._unit.setMinimumContentsLength(9)
            set_combo_choices(self._unit, _with_all([]), optional=False)
            self._add("单位：", self._unit)
        if dates:
            start, end = QDateEdit(parent), QDateEdit(parent)
            for edit, name in ((start, "filterFromDate"), (end, "filterToDate")):
                edit.setObjectName(name)
                date_edits.prepare(edit)
                edit.setSpecialValueText("不限")
            self._add("日期：", start)
            self._add("至", end)
            self._dates = (start, end)
        self._connect_signals()

    def _add(self, caption: str, widget: QWidget) -> None:
        label = QLabel(caption, widget.parentWidget())
        label.setBuddy(widget)
        at = max(self._layout.count() - 1, 0)  # before the spacer that closes the row
        self._layout.insertWidget(at, label)
        self._layout.insertWidget(at + 1, widget)

    def _connect_signals(self) -> None:
        for combo in self.combos():
            combo.currentIndexChanged.connect(self.changed)
        if self._dates is not None:
            for edit in self._dates:
                edit.dateChanged.connect(self.changed)

    def combos(self) -> list[QComboBox]:
        return [*self._combos.values(), *([self._unit] if self._unit is not None else [])]

    def combo(self, field: str) -> QComboBox:
        return self._unit if field == "target_id" and self._unit is not None else self._combos[field]

    @property
    def date_edits(self) -> tuple[QDateEdit, QDateEdit] | None:
        return self._dates

    # -- state -----------------------------------------------------------------------------------------
    def set_units(self, choices: Sequence[Choice], fixed: str = "") -> None:
        """Offer these units; a unit fixed by the working context is shown and cannot be changed here."""
        if self._unit is None:
            return
        set_combo_choices(self._unit, _with_all(choices), optional=False, keep=fixed or None)
        if fixed:
            select_value(self._unit, fixed)
        self._unit.setEnabled(not fixed)

    def filters(self) -> dict[str, Any]:
        values = {field: combo_value(combo) for field, combo in self._combos.items()}
        if self._unit is not None and self._unit.isEnabled():
            values["target_id"] = combo_value(self._unit)
        return {k: v for k, v in values.items() if v}

    def date_range(self) -> tuple[date | None, date | None]:
        if self._dates is None:
            return None, None
        return date_edits.value(self._dates[0]), date_edits.value(self._dates[1])

    def is_active(self) -> bool:
        return bool(self.filters()) or self.date_range() != (None, None)

    def clear(self) -> None:
        blocked = self.blockSignals(True)
        try:
            for combo in self.combos():
                if combo.isEnabled():
                    combo.setCurrentIndex(0)
            if self._dates is not None:
                for edit in self._dates:
                    date_edits.clear(edit)
        finally:
            self.blockSignals(blocked)
        self.changed.emit()
