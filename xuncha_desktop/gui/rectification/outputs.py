"""打印 and 导出台账 of the 整改监督 area. Two menu buttons in the corner of its tabs offer every output
from any of its screens (the unit of the selected record, the shown round, the whole workspace); the File
menu's 打印 and 导出台账 do what the screen in front suggests. All of it goes through gui/output_actions
(rendered in the background, previewed, saved to the export folder under a Chinese name)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import partial
from types import ModuleType
from typing import TYPE_CHECKING, Any

from PySide6.QtWidgets import QHBoxLayout, QMenu, QToolButton, QWidget

from xuncha_desktop.domain.errors import RecordNotFound
from xuncha_desktop.domain.record_types import TASK, record_type
from xuncha_desktop.gui import messages
from xuncha_desktop.gui.pages.record_page import RecordPage
from xuncha_desktop.services.records.context_names import load_context_names
from xuncha_desktop.services.records.record_service import RecordService

if TYPE_CHECKING:
    from xuncha_desktop.gui.rectification.area import RectificationArea

RECONCILIATION_SCREEN = "线索对账"
EVALUATION_SCREEN = "整改质效评估"
NO_ROUND = "请先选择巡察轮次"
# (object name, text, what it needs: "unit" | "round" | "")
PRINT_ITEMS = (
    ("printUnitAction", "打印本单位整改情况", "unit"),
    ("printRoundAction", "打印本轮整改情况（每单位一份）", "round"),
    ("printEvaluationAction", "打印整改质效评估结果", "round"),
)
EXPORT_ITEMS = (
    ("exportTasksRoundAction", "导出整改台账", "round"),
    ("exportTasksAllAction", "导出整改台账（全部轮次）", ""),
    ("exportReconciliationRoundAction", "导出移交线索对账表", "round"),
    ("exportReconciliationAllAction", "导出移交线索对账表（全部轮次）", ""),
    ("exportEvaluationAction", "导出整改质效评估", "round"),
)


@dataclass(frozen=True)
class Unit:
    """The unit of the selected record, and the round its rectification belongs to."""

    target_id: str
    round_id: str


class AreaOutputs:
    """The 打印 / 导出台账 menu buttons of the area, and the File menu's defaults per screen."""

    def __init__(self, area: RectificationArea) -> None:
        self.area = area
        corner = QWidget(area)
        corner.setObjectName("rectOutputBar")
        layout = QHBoxLayout(corner)
        layout.setContentsMargins(0, 0, 4, 0)
        self.print_button = self._menu_button(corner, "printMenuButton", "打印", PRINT_ITEMS)
        self.export_button = self._menu_button(corner, "exportMenuButton", "导出台账", EXPORT_ITEMS)
        layout.addWidget(self.print_button)
        layout.addWidget(self.export_button)
        area.setCornerWidget(corner)
        self.runs = {
            "printUnitAction": self.print_unit,
            "printRoundAction": self.print_round,
            "printEvaluationAction": self.print_evaluation,
            "exportTasksRoundAction": lambda: self.export("rectification", self.shown_round()),
            "exportTasksAllAction": lambda: self.export("rectification", ""),
            "exportReconciliationRoundAction": lambda: self.export("reconciliation", self.shown_round()),
            "exportReconciliationAllAction": lambda: self.export("reconciliation", ""),
            "exportEvaluationAction": lambda: self.export("rectification-evaluation", self.shown_round()),
        }

    def _menu_button(
        self, parent: QWidget, name: str, text: str, items: tuple[tuple[str, str, str], ...]
    ) -> QToolButton:
        button = QToolButton(parent)
        button.setObjectName(name)
        button.setText(f"{text} ▾")  # the arrow says a menu opens (the style's own mark crowds the text)
        button.setStyleSheet("QToolButton::menu-indicator { image: none; }")
        button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        menu = QMenu(button)
        for action_name, label, _needs in items:
            action = menu.addAction(label)
            action.setObjectName(action_name)
            action.triggered.connect(partial(self._run, action_name))
        menu.aboutToShow.connect(lambda m=menu, i=items: self._update(m, i))
        button.setMenu(menu)
        return button

    def _run(self, name: str, _checked: bool = False) -> None:
        self.runs[name]()

    def action(self, name: str) -> Any:
        """A menu entry by object name (printUnitAction …), its text and state as the menu last showed."""
        for button in (self.print_button, self.export_button):
            menu = button.menu()
            assert menu is not None
            for action in menu.actions():
                if action.objectName() == name:
                    return action
        raise KeyError(name)

    def update_menus(self) -> None:
        """Name the unit and the round in the entries, and disable those without one (as each menu opens)."""
        for button, items in ((self.print_button, PRINT_ITEMS), (self.export_button, EXPORT_ITEMS)):
            menu = button.menu()
            assert menu is not None
            self._update(menu, items)

    def _update(self, menu: QMenu, items: tuple[tuple[str, str, str], ...]) -> None:
        names = load_context_names(self.area.rc.ws)
        unit, round_id = self.selected_unit(), self.shown_round()
        unit_text = f"（{names.target(unit.target_id)}）" if unit else "（请先在列表中选择记录）"
        round_text = f"（{names.round(round_id)}）" if round_id else f"（{NO_ROUND}）"
        for action, (_name, label, needs) in zip(menu.actions(), items, strict=True):
            suffix = {"unit": unit_text, "round": round_text}.get(needs, "")
            if needs == "round" and label.endswith("）"):  # 打印本轮整改情况（每单位一份）
                label = label[:-1] + "，" + suffix[1:]
            else:
                label += suffix
            action.setText(label)
            action.setEnabled(needs == "" or (needs == "unit" and unit is not None) or bool(round_id))

    # -- what is shown --------------------------------------------------------------------------------
    def screen_title(self) -> str:
        return self.area.tabText(self.area.currentIndex())

    def shown_round(self) -> str:
        """The round the screen in front lists: its round chooser, or the toolbar's round on the pages."""
        screen = self.area.current_screen()
        return screen.round_id() if screen is not None else self.area.context.round_id

    def selected_unit(self) -> Unit | None:
        """The unit of the record selected on the screen in front (None on 线索对账 or with nothing)."""
        widget = self.area.currentWidget()
        if isinstance(widget, RecordPage):
            shown = widget.current_record()
            return Unit(shown.target_id, shown.round_id) if shown is not None else None
        screen = self.area.current_screen()
        row = screen.editor.record if screen is not None else None
        if row is None or self.screen_title() == RECONCILIATION_SCREEN:
            return None
        if self.screen_title() == EVALUATION_SCREEN:
            return Unit(row.id, screen.round_id() if screen is not None else "")
        key, record_id = (TASK.key, row.task_id) if hasattr(row, "task_id") else (row.type_key, row.id)
        try:
            record = RecordService[Any](self.area.rc.ws, record_type(key)).get(record_id)
        except RecordNotFound:
            return None
        return Unit(record.target_id, record.round_id)

    # -- doing it -------------------------------------------------------------------------------------
    def print_unit(self) -> None:
        unit = self.selected_unit()
        if unit is None:
            messages.show_info(
                self.area, "打印", "请先在列表中选择一条记录：打印的是它所属被巡察单位的整改情况。"
            )
            return
        if self.area.confirm_leave_current():
            output_actions().print_rectification(
                self.area,
                self.area.rc.ws,
                target_id=unit.target_id,
                round_id=unit.round_id,
                today=self._today(),
            )

    def print_round(self) -> None:
        round_id = self.shown_round()
        if not round_id:
            messages.show_info(self.area, "打印", f"{NO_ROUND}。")
        elif self.area.confirm_leave_current():
            output_actions().print_rectification(
                self.area, self.area.rc.ws, round_id=round_id, today=self._today()
            )

    def print_evaluation(self) -> None:
        round_id = self.shown_round()
        if round_id:
            output_actions().print_rectification_evaluation(
                self.area, self.area.rc.ws, round_id, today=self._today()
            )
        else:
            messages.show_info(self.area, "打印", f"{NO_ROUND}。")

    def export(self, kind: str, round_id: str) -> None:
        if self.area.confirm_leave_current():
            output_actions().export_rectification_ledger(
                self.area, self.area.rc.ws, kind, round_id=round_id, today=self._today()
            )

    def print_current(self) -> None:
        """文件 → 打印: the 整改质效评估 of the round on its screen, else the selected record's unit."""
        title = self.screen_title()
        if title == EVALUATION_SCREEN:
            self.print_evaluation()
        elif title == RECONCILIATION_SCREEN:
            messages.show_info(
                self.area, "打印", "线索对账没有打印格式，移交线索对账表请用“导出台账”导出为 Excel。"
            )
        else:
            self.print_unit()

    def export_current(self) -> None:
        """文件 → 导出台账: what the screen shows, of the round it shows (all rounds when none is chosen)."""
        kind = {RECONCILIATION_SCREEN: "reconciliation", EVALUATION_SCREEN: "rectification-evaluation"}
        self.export(kind.get(self.screen_title(), "rectification"), self.shown_round())

    def _today(self) -> date:
        return self.area.rc.today()


def output_actions() -> ModuleType:
    """gui/output_actions, imported on first use: it loads reportlab and openpyxl."""
    from xuncha_desktop.gui import output_actions as actions

    return actions
