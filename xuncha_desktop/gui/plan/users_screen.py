"""用户: every user of the office workspace with role, linked member and whether a passphrase is set
(services.security.user_slots); office users are added here, members' logins on the member form, and
passphrases are set in the existing 安全 → 用户口令 dialog, opened from here with the user selected."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from xuncha_desktop.domain import vocab
from xuncha_desktop.domain.organization import User
from xuncha_desktop.domain.record_types import USER
from xuncha_desktop.gui import messages
from xuncha_desktop.gui.pages.field_bindings import FieldBinding
from xuncha_desktop.gui.pages.record_table_model import Column
from xuncha_desktop.gui.plan.plan_editor import EditorSpec, PlanEditor, RowQuery
from xuncha_desktop.gui.plan.rounds_screen import retired_rows
from xuncha_desktop.services.plan.plan_service import PlanService
from xuncha_desktop.services.security import user_slots
from xuncha_desktop.services.workspace import Workspace

B = FieldBinding


def user_spec(ws: Workspace, plan: PlanService) -> EditorSpec:
    def rows(q: RowQuery) -> list[tuple[User, str]]:
        if q.retired:
            return [(u, "已撤销") for u in retired_rows(ws, USER)]
        slots = {s.user.id: s for s in user_slots.list_user_slots(ws)}
        return [(u, slots[u.id].status if u.id in slots else "已停用") for u in plan.users()]

    return EditorSpec(
        key="user",
        label="用户",
        form_file="plan_user_form.ui",
        bindings=(
            B("login", "loginEdit"),
            B("display_name", "displayNameEdit"),
            B("role", "roleCombo", vocab.USER_ROLES),
            B("active", "activeCheck"),
        ),
        columns=(
            Column("登录名", lambda r: r[0].login, 7),
            Column("姓名", lambda r: r[0].display_name, 5),
            Column("角色", lambda r: r[0].role, 6),
            Column("口令", lambda r: r[1], 10),
        ),
        heading=lambda u: f"{u.display_name}（{u.login}）",
        new_record=lambda _parent: User(role=vocab.OFFICE_ADMIN),
        rows=rows,
        save=lambda record, override: plan.save(record, override=override),
        retire=lambda record_id: plan.retire(USER.key, record_id),
        restore=lambda record_id: plan.restore(USER.key, record_id),
        record_of=lambda row: row[0],
    )


class UsersScreen(QWidget):
    """用户."""

    def __init__(self, workspace: Workspace, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("planUsers")
        self._ws = workspace
        self.plan = PlanService(workspace)
        self.editor = PlanEditor(user_spec(workspace, self.plan), self)
        self.editor.set_orientation(Qt.Orientation.Horizontal)
        self.editor.set_sizes([600, 760])  # four short fields: the list gets the width
        self.editor.new_button.setText("新增巡察办用户")
        self.passphrase_button = self.editor.add_action(
            "setPassphraseButton",
            "设置口令…",
            self.set_passphrase,
            "打开“安全 → 用户口令”，为选中的用户设置或重设口令",
        )
        note = QLabel(
            "巡察组成员的登录名在“轮次与巡察组 → 组成人员”中开通；这里新增的是巡察办自己的用户"
            f"（角色一般为“{vocab.OFFICE_ADMIN}”）。新用户须设置口令后才能登录。",
            self,
        )
        note.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(note)
        layout.addWidget(self.editor, 1)
        self._member_label = self.editor.form.find(QLabel, "memberLabel")
        self.editor.current_changed.connect(self._show_member)
        self._loaded = False

    def load(self) -> None:
        if not self._loaded:
            self._loaded = True
            self.editor.reload()

    def refresh(self) -> None:
        if self._loaded:
            self.editor.reload()

    def _show_member(self, user: User | None) -> None:
        if user is None or not user.member_id:
            self._member_label.setText("（巡察办用户，不属于巡察组）")
            return
        member = self.plan.member(user.member_id)
        self._member_label.setText(f"{member.name}（{member.role}）" if member else "（成员已撤销）")

    def set_passphrase(self, user: Any) -> None:
        """The existing 用户口令 dialog, with this user selected."""
        from xuncha_desktop.gui.dialogs import user_passphrase_dialog as dialog_module

        if not user_slots.may_manage(self._ws):
            title = dialog_module.TITLE
            messages.show_info(self, title, f"只有{user_slots.manager_role(self._ws)}可以设置用户的口令。")
            return
        dialog = dialog_module.UserPassphraseDialog(self._ws, self)
        if user.active:
            dialog.select_login(user.login)
        dialog_module.exec_dialog(dialog)
        dialog.deleteLater()
        self.editor.reload(keep=user.id)
