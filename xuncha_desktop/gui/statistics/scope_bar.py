"""The scope chooser of 统计概览: a round, a year, the whole term (全部) or a date range."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QComboBox, QDateEdit, QHBoxLayout, QLabel, QStackedWidget, QWidget

from xuncha_desktop.gui.pages import date_edits
from xuncha_desktop.services.office_statistics.scope import Scope
from xuncha_desktop.services.records.context_names import load_context_names
from xuncha_desktop.services.workspace import Workspace

ROUND, YEAR, TERM, RANGE = "round", "year", "term", "range"
KINDS = ((ROUND, "按轮次"), (YEAR, "按年度"), (TERM, "全部（本届）"), (RANGE, "按时间段"))


class ScopeBar(QWidget):
    """Emits `changed(Scope)` whenever the chosen scope changes; `scope()` is the one chosen now."""

    changed = Signal(object)

    def __init__(self, ws: Workspace, today: date, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ws = ws
        self._today = today
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        caption = QLabel("统计范围：", self)
        self.kind_combo = QComboBox(self)
        self.kind_combo.setObjectName("scopeKindCombo")
        for key, text in KINDS:
            self.kind_combo.addItem(text, key)
        caption.setBuddy(self.kind_combo)
        self.round_combo = QComboBox(self)
        self.round_combo.setObjectName("scopeRoundCombo")
        self.round_combo.setMinimumContentsLength(16)
        self.round_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.year_combo = QComboBox(self)
        self.year_combo.setObjectName("scopeYearCombo")
        self.range_box = QWidget(self)
        self.start_edit = QDateEdit(self.range_box)
        self.start_edit.setObjectName("scopeStartEdit")
        self.end_edit = QDateEdit(self.range_box)
        self.end_edit.setObjectName("scopeEndEdit")
        self._build_range()
        self.stack = QStackedWidget(self)
        for widget in (self.round_combo, self.year_combo, QWidget(self), self.range_box):
            self.stack.addWidget(widget)
        self.problem_label = QLabel(self)
        self.problem_label.setObjectName("scopeProblemLabel")
        self.problem_label.setStyleSheet("color: #c62828;")
        for widget in (caption, self.kind_combo, self.stack, self.problem_label):
            layout.addWidget(widget)
        self.load_rounds()
        self.kind_combo.currentIndexChanged.connect(self._on_kind)
        self.round_combo.currentIndexChanged.connect(self._emit)
        self.year_combo.currentIndexChanged.connect(self._emit)
        self.start_edit.dateChanged.connect(self._emit)
        self.end_edit.dateChanged.connect(self._emit)

    def _build_range(self) -> None:
        row = QHBoxLayout(self.range_box)
        row.setContentsMargins(0, 0, 0, 0)
        for edit in (self.start_edit, self.end_edit):
            date_edits.prepare(edit)
        date_edits.set_value(self.start_edit, date(self._today.year, 1, 1))
        date_edits.set_value(self.end_edit, self._today)
        row.addWidget(self.start_edit)
        row.addWidget(QLabel("至", self.range_box))
        row.addWidget(self.end_edit)

    # -- public ----------------------------------------------------------------------------------------
    def kind(self) -> str:
        return str(self.kind_combo.currentData())

    def scope(self) -> Scope:
        kind = self.kind()
        if kind == ROUND and self.round_combo.currentData():
            return Scope(round_id=str(self.round_combo.currentData()))
        if kind == YEAR and self.year_combo.currentData():
            return Scope(year=int(self.year_combo.currentData()))
        if kind == RANGE:
            return Scope(start=date_edits.value(self.start_edit), end=date_edits.value(self.end_edit))
        return Scope()

    def problem(self) -> str:
        """Why the chosen scope cannot be counted ("" when it can)."""
        scope = self.scope()
        if scope.start and scope.end and scope.start > scope.end:
            return "起始日期晚于截止日期，请调整时间段"
        if self.kind() == ROUND and not scope.round_id:
            return "还没有巡察轮次"
        if self.kind() == YEAR and not scope.year:
            return "还没有巡察轮次，无法按年度统计"
        return ""

    def choose(self, kind: str, value: object = None) -> None:
        """Choose a scope as the person would: its kind, then the round id, the year or (start, end)."""
        blocked = self.blockSignals(True)
        try:
            self.kind_combo.setCurrentIndex(self.kind_combo.findData(kind))
            if kind == ROUND and value:
                self.round_combo.setCurrentIndex(self.round_combo.findData(value))
            elif kind == YEAR and value:
                self.year_combo.setCurrentIndex(self.year_combo.findData(value))
            elif kind == RANGE and isinstance(value, tuple):
                date_edits.set_value(self.start_edit, value[0])
                date_edits.set_value(self.end_edit, value[1])
        finally:
            self.blockSignals(blocked)
        self._emit()

    def load_rounds(self) -> None:
        """The rounds (newest first) and their years, keeping what was chosen when it is still there."""
        rounds = sorted(
            load_context_names(self._ws).rounds.values(), key=lambda r: (r.year, r.ordinal), reverse=True
        )
        years = sorted({r.year for r in rounds if r.year}, reverse=True)
        was_round, was_year = self.round_combo.currentData(), self.year_combo.currentData()
        for combo, items in (
            (self.round_combo, [(r.name, r.id) for r in rounds]),
            (self.year_combo, [(f"{y}年", y) for y in years]),
        ):
            blocked = combo.blockSignals(True)
            combo.clear()
            for text, data in items:
                combo.addItem(text, data)
            combo.blockSignals(blocked)
        self.round_combo.setCurrentIndex(max(0, self.round_combo.findData(was_round)))
        self.year_combo.setCurrentIndex(max(0, self.year_combo.findData(was_year)))

    def follow_round(self, round_id: str) -> None:
        """The toolbar's round, when the scope is a round."""
        index = self.round_combo.findData(round_id)
        if round_id and self.kind() == ROUND and index >= 0 and index != self.round_combo.currentIndex():
            self.round_combo.setCurrentIndex(index)

    # -- inside ----------------------------------------------------------------------------------------
    def _on_kind(self, index: int) -> None:
        self.stack.setCurrentIndex(index)
        self._emit()

    def _emit(self, *_args: object) -> None:
        problem = self.problem()
        self.problem_label.setText(problem)
        if not problem:
            self.changed.emit(self.scope())
