"""回避: the warning shown when a cadre would inspect a unit they work or worked in. It names every conflict
and stores nothing unless the user types the reason for an exception (PlanService audits it)."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QListWidget,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from xuncha_desktop.gui import messages
from xuncha_desktop.services.plan.plan_service import AvoidanceConflict

__all__ = ["AvoidanceConflict", "AvoidanceDialog", "ask_override"]

TITLE = "回避提醒"


class AvoidanceDialog(QDialog):
    """Lists the conflicts; 仍然安排 is enabled only once a reason is typed."""

    def __init__(self, conflicts: list[str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("avoidanceDialog")
        self.setWindowTitle(TITLE)
        self.setMinimumWidth(520)
        layout = QVBoxLayout(self)
        intro = QLabel(f"按照回避规定，以下 {len(conflicts)} 处情形一般应当回避：", self)
        intro.setWordWrap(True)
        layout.addWidget(intro)
        self.conflict_list = QListWidget(self)
        self.conflict_list.setObjectName("conflictList")
        self.conflict_list.addItems(conflicts)
        self.conflict_list.setMaximumHeight(24 * min(max(len(conflicts), 2), 6) + 8)
        self.conflict_list.setWordWrap(True)
        layout.addWidget(self.conflict_list)
        ask = QLabel("如确需安排，请写明理由（记入审计日志）；不填写理由则不作任何安排。", self)
        ask.setWordWrap(True)
        layout.addWidget(ask)
        self.reason_edit = QPlainTextEdit(self)
        self.reason_edit.setObjectName("reasonEdit")
        self.reason_edit.setPlaceholderText("例：经巡察工作领导小组研究同意，该同志调离原单位已满五年")
        self.reason_edit.setMaximumHeight(90)
        layout.addWidget(self.reason_edit)
        buttons = QDialogButtonBox(self)
        self.override_button = QPushButton("仍然安排", self)
        self.override_button.setObjectName("overrideButton")
        buttons.addButton(self.override_button, QDialogButtonBox.ButtonRole.AcceptRole)
        cancel = buttons.addButton("不安排", QDialogButtonBox.ButtonRole.RejectRole)
        cancel.setObjectName("cancelButton")
        cancel.setDefault(True)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.reason_edit.textChanged.connect(self._update)
        self._update()

    def conflicts(self) -> list[str]:
        return [self.conflict_list.item(i).text() for i in range(self.conflict_list.count())]

    def reason(self) -> str:
        return self.reason_edit.toPlainText().strip()

    def _update(self) -> None:
        self.override_button.setEnabled(bool(self.reason()))


def ask_override(parent: QWidget | None, conflicts: list[str]) -> str | None:
    """The reason typed for overriding the conflicts, or None when the user declined (nothing is saved)."""
    dialog = AvoidanceDialog(conflicts, parent)
    accepted = messages.exec_dialog(dialog)
    reason = dialog.reason()
    dialog.deleteLater()
    return reason if accepted and reason else None
