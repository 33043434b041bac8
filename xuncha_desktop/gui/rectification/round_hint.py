"""The corner button of 整改监督 when the working round has no rectification yet (a round still on site):
it names the newest round that has, and one click makes that the working round."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QPushButton, QTabWidget

from xuncha_desktop.domain.record_types import FEEDBACK
from xuncha_desktop.gui.pages.choices import Choices
from xuncha_desktop.services.records.record_service import ListQuery, RecordService
from xuncha_desktop.services.workspace import Workspace

ChooseRound = Callable[[str], None]


class RoundHint(QPushButton):
    def __init__(
        self, area: QTabWidget, workspace: Workspace, choices: Choices, choose: ChooseRound | None
    ) -> None:
        super().__init__(area)
        self.setObjectName("rectRoundHint")
        self._ws, self._choices, self._choose = workspace, choices, choose
        self._round_id = ""
        self._target = ""
        self.clicked.connect(self._on_clicked)
        area.setCornerWidget(self, Qt.Corner.TopRightCorner)
        self.hide()

    def set_choices(self, choices: Choices) -> None:
        self._choices = choices
        self.follow(self._round_id)

    def follow(self, round_id: str) -> None:
        """Show the hint when `round_id` (the toolbar's) has no 巡察反馈 and another round has."""
        self._round_id = round_id
        with_work = self._rounds_with_feedback()
        ordered = [(rid, name) for rid, name in self._choices.rounds() if rid in with_work]
        if self._choose is None or not round_id or round_id in with_work or not ordered:
            self._target = ""
            self.hide()
            return
        self._target, name = ordered[0]
        self.setText(f"本轮尚无巡察反馈和整改任务 · 转到“{name}”")
        self.setToolTip("整改监督从巡察反馈开始；点击把工作范围切换到最近一个已有整改数据的轮次")
        self.show()

    def _rounds_with_feedback(self) -> set[str]:
        service = RecordService[Any](self._ws, FEEDBACK)
        return {f.round_id for f in service.iterate(ListQuery(limit=None))}

    def _on_clicked(self) -> None:
        if self._target and self._choose is not None:
            self._choose(self._target)
