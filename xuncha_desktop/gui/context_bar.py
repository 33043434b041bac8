"""The working context in the toolbar: current round, group and inspected unit, remembered per workspace."""

from __future__ import annotations

from PySide6.QtCore import QObject, QSettings, Signal
from PySide6.QtWidgets import QComboBox, QLabel, QToolBar

from xuncha_desktop.gui.pages.choices import Choices
from xuncha_desktop.gui.pages.field_bindings import combo_value, set_combo_choices
from xuncha_desktop.gui.pages.page_types import WorkContext


def _combo(name: str, width: int, toolbar: QToolBar) -> QComboBox:
    combo = QComboBox(toolbar)
    combo.setObjectName(name)
    combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
    combo.setMinimumContentsLength(width)
    return combo


class ContextBar(QObject):
    """Three cascading drop-downs; `changed` carries the new WorkContext."""

    changed = Signal(object)  # WorkContext

    def __init__(self, toolbar: QToolBar, settings: QSettings) -> None:
        super().__init__(toolbar)
        self._settings = settings
        self._key = ""
        self._choices = Choices()
        self.round_combo = _combo("contextRoundCombo", 12, toolbar)
        self.group_combo = _combo("contextGroupCombo", 8, toolbar)
        self.target_combo = _combo("contextTargetCombo", 14, toolbar)
        for caption, combo in (
            ("巡察轮次：", self.round_combo),
            ("  巡察组：", self.group_combo),
            ("  被巡察单位：", self.target_combo),
        ):
            label = QLabel(caption, toolbar)
            label.setBuddy(combo)
            toolbar.addWidget(label)
            toolbar.addWidget(combo)
        self.round_combo.currentIndexChanged.connect(self._on_round_changed)
        self.group_combo.currentIndexChanged.connect(self._on_group_changed)
        self.target_combo.currentIndexChanged.connect(self._emit)

    def context(self) -> WorkContext:
        return WorkContext(
            combo_value(self.round_combo), combo_value(self.group_combo), combo_value(self.target_combo)
        )

    def load(self, choices: Choices, workspace_id: str) -> None:
        """Fill from the workspace; the context last used with it comes back (else its latest round)."""
        self._choices = choices
        self._key = f"context/{workspace_id}"
        saved = str(self._settings.value(self._key, "") or "").split("|")
        round_id, group_id, target_id = [*saved, "", "", ""][:3]
        rounds = choices.rounds()
        if not self._settings.contains(self._key) and rounds:
            round_id = rounds[0][0]
            groups = choices.groups(round_id)
            group_id = groups[0][0] if len(groups) == 1 else ""
        self._fill(self.round_combo, [("", "全部轮次"), *rounds], round_id)
        self._fill(self.group_combo, [("", "全部巡察组"), *choices.groups(self.context().round_id)], group_id)
        self._fill_targets(target_id)

    def set_context(self, context: WorkContext) -> None:
        self._fill(self.round_combo, [("", "全部轮次"), *self._choices.rounds()], context.round_id)
        self._fill(
            self.group_combo, [("", "全部巡察组"), *self._choices.groups(context.round_id)], context.group_id
        )
        self._fill_targets(context.target_id)
        self._emit()

    @staticmethod
    def _fill(combo: QComboBox, choices: list[tuple[str, str]], wanted: str) -> None:
        offered = {value for value, _ in choices}
        set_combo_choices(combo, choices, optional=False, keep=wanted if wanted in offered else "")

    def _fill_targets(self, wanted: str) -> None:
        c = self.context()
        self._fill(
            self.target_combo, [("", "全部单位"), *self._choices.targets(c.round_id, c.group_id)], wanted
        )

    def _on_round_changed(self) -> None:
        self._fill(self.group_combo, [("", "全部巡察组"), *self._choices.groups(self.context().round_id)], "")
        self._fill_targets("")
        self._emit()

    def _on_group_changed(self) -> None:
        self._fill_targets("")
        self._emit()

    def _emit(self) -> None:
        context = self.context()
        if self._key:
            self._settings.setValue(self._key, f"{context.round_id}|{context.group_id}|{context.target_id}")
        self.changed.emit(context)
