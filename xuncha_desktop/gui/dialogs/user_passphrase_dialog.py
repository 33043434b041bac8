"""安全 → 用户口令…: the office administrator (or a field laptop's 组长) sees who can sign in and sets or
resets a user's passphrase; the key slot is made (Argon2id) off the UI thread, and the change is audited."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QWidget,
)

from xuncha_desktop.domain.errors import XunchaError
from xuncha_desktop.gui import messages
from xuncha_desktop.gui.background import error_text, run_and_wait
from xuncha_desktop.gui.forms import child, load_form
from xuncha_desktop.services.progress import Cancelled
from xuncha_desktop.services.security import user_slots
from xuncha_desktop.services.security.user_slots import UserSlot
from xuncha_desktop.services.workspace import MIN_PASSPHRASE, Workspace, check_passphrase

if TYPE_CHECKING:
    from xuncha_desktop.gui.main_window import MainWindow

TITLE = "用户口令"
HEADERS = ("登录名", "姓名", "角色", "口令")
KDF: Any = None  # key-derivation parameters; None: the real ones (tests make them cheap)


def exec_dialog(dialog: QDialog) -> bool:
    """Monkeypatch target in tests."""
    return dialog.exec() == QDialog.DialogCode.Accepted


def prompt_text(ws: Workspace) -> str:
    return (
        f"每位用户用自己的登录名和口令登录工作库“{ws.path.name}”，能看到的内容由其角色决定。"
        f"巡察办下发的新用户在{user_slots.manager_role(ws)}为其设置口令之前不能登录。"
        f"选择用户，输入新口令（至少{MIN_PASSPHRASE}个字符）两次后点击“设置口令”，"
        "再把口令当面告诉该用户；原口令随即失效。"
    )


class UserPassphraseDialog(QDialog):
    def __init__(self, workspace: Workspace, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(TITLE)
        self.setMinimumSize(620, 420)
        form = load_form("user_passphrase_dialog.ui", self)
        self._ws = workspace
        self._slots: list[UserSlot] = []
        self.table = child(form, QTableWidget, "userTable")
        self.new_edit = child(form, QLineEdit, "newEdit")
        self.confirm_edit = child(form, QLineEdit, "confirmEdit")
        self._show_check = child(form, QCheckBox, "showPassphraseCheck")
        self._error = child(form, QLabel, "errorLabel")
        self._status = child(form, QLabel, "statusLabel")
        self.set_button = child(form, QPushButton, "setButton")
        close_button = child(form, QPushButton, "closeButton")
        child(form, QLabel, "promptLabel").setText(prompt_text(workspace))
        self.table.setColumnCount(len(HEADERS))
        self.table.setHorizontalHeaderLabels(list(HEADERS))
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self._show_error("")
        self.table.itemSelectionChanged.connect(self._on_selection_changed)
        self.set_button.clicked.connect(self.set_selected)
        close_button.clicked.connect(self.accept)
        self._show_check.toggled.connect(self._on_show_toggled)
        self.reload()

    # -- reading -----------------------------------------------------------------------------------------
    def reload(self, keep: str = "") -> None:
        self._slots = user_slots.list_user_slots(self._ws)
        self.table.setRowCount(len(self._slots))
        for row, slot in enumerate(self._slots):
            user = slot.user
            for column, text in enumerate((user.login, user.display_name, user.role, slot.status)):
                self.table.setItem(row, column, QTableWidgetItem(text))
        chosen = next((i for i, s in enumerate(self._slots) if s.user.id == keep), 0)
        if self._slots:
            self.table.selectRow(chosen)
        self._on_selection_changed()

    def selected(self) -> UserSlot | None:
        rows = {i.row() for i in self.table.selectedIndexes()}
        return self._slots[min(rows)] if rows else None

    def select_login(self, login: str) -> None:
        row = next(i for i, s in enumerate(self._slots) if s.user.login == login)
        self.table.selectRow(row)

    def rows(self) -> list[tuple[str, ...]]:
        """The table as shown: 登录名, 姓名, 角色, 口令 per user."""
        return [
            tuple(self._cell(r, c) for c in range(self.table.columnCount()))
            for r in range(self.table.rowCount())
        ]

    def _cell(self, row: int, column: int) -> str:
        item = self.table.item(row, column)
        return item.text() if item is not None else ""

    def error_text(self) -> str:
        return self._error.text() if self._error.isVisibleTo(self) else ""

    def status_text(self) -> str:
        return self._status.text()

    # -- setting -----------------------------------------------------------------------------------------
    def _on_selection_changed(self) -> None:
        self.set_button.setEnabled(self.selected() is not None)

    def _on_show_toggled(self, shown: bool) -> None:
        mode = QLineEdit.EchoMode.Normal if shown else QLineEdit.EchoMode.Password
        for edit in (self.new_edit, self.confirm_edit):
            edit.setEchoMode(mode)

    def _show_error(self, message: str) -> None:
        self._error.setText(message)
        self._error.setVisible(bool(message))

    def _problem(self, new: str) -> str:
        try:
            check_passphrase(new)
        except XunchaError as exc:
            return f"新口令不符合要求：{exc}"
        if new != self.confirm_edit.text():
            self.confirm_edit.clear()
            self.confirm_edit.setFocus()
            return "两次输入的新口令不一致，请重新输入"
        return ""

    def set_selected(self) -> None:
        """Set the selected user's passphrase to what was typed (twice)."""
        slot, new = self.selected(), self.new_edit.text()
        if slot is None:
            return
        problem = self._problem(new)
        if problem:
            self._show_error(problem)
            return
        ws, user = self._ws, slot.user
        try:
            first = run_and_wait(
                self,
                "正在设置口令",
                lambda _p: user_slots.set_user_passphrase(ws, user.id, new, kdf=KDF),
            )
        except Cancelled:
            return
        except Exception as exc:
            self._show_error(error_text(exc))
            return
        self._show_error("")
        self.new_edit.clear()
        self.confirm_edit.clear()
        done = "设置了" if first else "重设了"
        self._status.setText(f"已为用户“{user.display_name}”（登录名“{user.login}”）{done}口令。")
        self.reload(keep=user.id)


def open_dialog(window: MainWindow) -> None:
    """安全 → 用户口令…; only the manager of this workspace may (the menu shows it to no one else)."""
    ws = window.workspace
    if not user_slots.may_manage(ws):
        messages.show_info(window, TITLE, f"只有{user_slots.manager_role(ws)}可以设置用户的口令。")
        return
    exec_dialog(UserPassphraseDialog(ws, window))
