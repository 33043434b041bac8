"""加入巡察组…: where a cadre of the pool goes: a round, one of its groups, the role and 专职/抽调."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtWidgets import QComboBox, QDialog, QDialogButtonBox, QFormLayout, QLabel, QWidget

from xuncha_desktop.domain import vocab
from xuncha_desktop.domain.cadre_pool import Cadre
from xuncha_desktop.gui import messages
from xuncha_desktop.services.plan.plan_service import PlanService

TITLE = "加入巡察组"


@dataclass(frozen=True)
class Placement:
    round_id: str
    round_name: str
    group_id: str
    group_name: str
    role: str
    staffing: str


class JoinDialog(QDialog):
    def __init__(self, plan: PlanService, cadre: Cadre, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("joinDialog")
        self.setWindowTitle(TITLE)
        self.setMinimumWidth(420)
        self._plan = plan
        layout = QFormLayout(self)
        intro = QLabel(f"把{cadre.name}（{cadre.home_unit or '未填单位'}）选入巡察组：", self)
        intro.setWordWrap(True)
        layout.addRow(intro)
        self.round_combo = QComboBox(self)
        self.round_combo.setObjectName("roundCombo")
        self.group_combo = QComboBox(self)
        self.group_combo.setObjectName("groupCombo")
        self.role_combo = QComboBox(self)
        self.role_combo.setObjectName("roleCombo")
        self.role_combo.addItems(list(vocab.MEMBER_ROLES))
        self.role_combo.setCurrentText("组员")
        self.staffing_combo = QComboBox(self)
        self.staffing_combo.setObjectName("staffingCombo")
        self.staffing_combo.addItems(list(vocab.STAFFING_KINDS))
        self.staffing_combo.setCurrentText("抽调")
        layout.addRow("轮次：", self.round_combo)
        layout.addRow("巡察组：", self.group_combo)
        layout.addRow("组内职务：", self.role_combo)
        layout.addRow("人员类别：", self.staffing_combo)
        self.hint = QLabel(self)
        self.hint.setWordWrap(True)
        layout.addRow(self.hint)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText("加入")
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("取消")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout.addRow(self.buttons)
        for r in plan.rounds():
            self.round_combo.addItem(r.name, r.id)
        self.round_combo.currentIndexChanged.connect(self._fill_groups)
        self.group_combo.currentIndexChanged.connect(self._update)
        self._fill_groups()

    def _fill_groups(self) -> None:
        self.group_combo.clear()
        round_id = self.round_combo.currentData()
        for g in self._plan.groups(round_id) if round_id else []:
            self.group_combo.addItem(g.name, g.id)
        self._update()

    def _update(self) -> None:
        ok = self.group_combo.currentData() is not None
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(ok)
        if self.round_combo.count() == 0:
            self.hint.setText("还没有轮次：请先在“轮次与巡察组”中新建轮次和巡察组。")
        elif not ok:
            self.hint.setText("该轮次还没有巡察组。")
        else:
            self.hint.setText("")

    def choose(self, round_name: str, group_name: str, role: str = "组员", staffing: str = "抽调") -> None:
        """Pick by the names shown (as a user would)."""
        self.round_combo.setCurrentText(round_name)
        self.group_combo.setCurrentText(group_name)
        self.role_combo.setCurrentText(role)
        self.staffing_combo.setCurrentText(staffing)

    def placement(self) -> Placement:
        return Placement(
            self.round_combo.currentData(),
            self.round_combo.currentText(),
            self.group_combo.currentData(),
            self.group_combo.currentText(),
            self.role_combo.currentText(),
            self.staffing_combo.currentText(),
        )


def ask_placement(parent: QWidget | None, plan: PlanService, cadre: Cadre) -> Placement | None:
    dialog = JoinDialog(plan, cadre, parent)
    accepted = messages.exec_dialog(dialog)
    chosen = dialog.placement() if accepted and dialog.group_combo.currentData() else None
    dialog.deleteLater()
    return chosen
