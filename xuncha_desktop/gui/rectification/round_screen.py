"""RoundScreen: a round chooser above a PlanEditor (gui/plan), the one widget 到期提醒, 线索对账, 回头看 and
整改质效评估 are made of. It reads its rows when first shown and again after a change that touches them."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QVBoxLayout,
    QWidget,
)

from xuncha_desktop.gui.pages.field_bindings import Choice, combo_value, select_value, set_combo_choices
from xuncha_desktop.gui.pages.record_table_model import RecordTableModel
from xuncha_desktop.gui.plan.plan_editor import EditorSpec, PlanEditor
from xuncha_desktop.services.records.context_names import load_context_names
from xuncha_desktop.services.workspace import Workspace

ALERT = QBrush(QColor("#fde2e1"))
SOON = QBrush(QColor("#fff1c2"))
ALL_ROUNDS = "全部轮次"


class MarkDelegate(QStyledItemDelegate):
    """Colours a row by what `mark(row)` says ("overdue", "soon" or ""); the row's text says it too."""

    def __init__(self, mark: Callable[[Any], str], parent: QWidget) -> None:
        super().__init__(parent)
        self._mark = mark

    def initStyleOption(
        self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> None:
        super().initStyleOption(option, index)
        row = index.data(RecordTableModel.RecordRole)
        kind = self._mark(row) if row is not None else ""
        if kind:
            option.backgroundBrush = ALERT if kind == "overdue" else SOON


def round_choices(ws: Workspace, kind: str = "") -> list[Choice]:
    """The rounds, newest first; only those of `kind` when given (回头看)."""
    rounds = sorted(load_context_names(ws).rounds.values(), key=lambda r: (r.year, r.ordinal), reverse=True)
    return [(r.id, r.name) for r in rounds if not kind or r.kind == kind]


class RoundScreen(QWidget):
    """Choose a round; the editor lists its rows (the round is the editor's parent)."""

    def __init__(
        self,
        ws: Workspace,
        spec: EditorSpec,
        parent: QWidget | None = None,
        *,
        round_kind: str = "",
        all_rounds: bool = False,
        read_only: bool = True,
        save_text: str = "",
        mark: Callable[[Any], str] | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName(f"screen:{spec.key}")
        self._ws = ws
        self._kind = round_kind
        self._all = all_rounds
        self._loaded = False
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        self.bar = QHBoxLayout()
        caption = QLabel("回头看轮次：" if round_kind else "巡察轮次：", self)
        self.round_combo = QComboBox(self)
        self.round_combo.setObjectName("roundCombo")
        self.round_combo.setMinimumContentsLength(20)
        self.round_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        caption.setBuddy(self.round_combo)
        self.info_label = QLabel(self)
        self.info_label.setObjectName("infoLabel")
        self.bar.addWidget(caption)
        self.bar.addWidget(self.round_combo)
        self.bar.addWidget(self.info_label, 1)
        layout.addLayout(self.bar)
        self.editor = PlanEditor(spec, self)
        layout.addWidget(self.editor, 1)
        self.editor.new_button.hide()
        for check in self.editor.findChildren(QCheckBox, "showRetiredCheck"):
            check.hide()
        if read_only:
            self.editor.save_button.hide()
        elif save_text:
            self.editor.save_button.setText(save_text)
        if mark is not None:
            self.editor.table.setItemDelegate(MarkDelegate(mark, self.editor.table))
        self.round_combo.currentIndexChanged.connect(self._on_round_changed)

    def add_button(self, name: str, text: str, run: Callable[[], None]) -> QPushButton:
        button = QPushButton(text, self)
        button.setObjectName(name)
        button.clicked.connect(run)
        self.bar.addWidget(button)
        return button

    def follow(self, round_id: str) -> None:
        """The toolbar's round, when this screen offers it (the 回头看 screen offers 回头看 rounds only)."""
        if round_id and self.round_combo.findData(round_id) >= 0 and round_id != self.round_id():
            self.round_combo.setCurrentIndex(self.round_combo.findData(round_id))

    def round_id(self) -> str:
        return combo_value(self.round_combo)

    def select_round(self, round_id: str) -> None:
        self.load()
        select_value(self.round_combo, round_id)

    def load(self) -> None:
        """Read the rounds and the rows (the first time the screen is shown)."""
        if self._loaded:
            return
        self._loaded = True
        self._fill_rounds()
        self.editor.set_parent(self.round_id())

    def refresh(self) -> None:
        """The data changed: the rounds and the rows are read again (the shown row stays selected)."""
        if not self._loaded:
            return
        self._fill_rounds()
        self.editor.mark_stale()
        self.editor.set_parent(self.round_id())

    def _fill_rounds(self) -> None:
        current = self.round_id()
        choices = round_choices(self._ws, self._kind)
        blocked = self.round_combo.blockSignals(True)
        try:
            set_combo_choices(
                self.round_combo, [("", ALL_ROUNDS), *choices] if self._all else choices, optional=False
            )
            if current:
                select_value(self.round_combo, current)
        finally:
            self.round_combo.blockSignals(blocked)

    def _on_round_changed(self, _index: int) -> None:
        if not self.editor.confirm_leave():
            return
        self.editor.set_parent(self.round_id())
