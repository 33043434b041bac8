"""安全 → 修改口令…: the signed-in user's old passphrase and the new one twice; that user's own key slot is
re-wrapped (Argon2id, about half a second) off the UI thread. The database itself is not re-encrypted and
the other users' passphrases stay as they are."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtWidgets import QCheckBox, QDialog, QDialogButtonBox, QLabel, QLineEdit, QWidget

from xuncha_desktop.domain.errors import WrongPassphrase, XunchaError
from xuncha_desktop.gui import messages
from xuncha_desktop.gui.background import error_text, run_and_wait
from xuncha_desktop.gui.forms import child, load_form
from xuncha_desktop.services.progress import Cancelled
from xuncha_desktop.services.security import keys
from xuncha_desktop.services.workspace import MIN_PASSPHRASE, Workspace, check_passphrase

if TYPE_CHECKING:
    from xuncha_desktop.gui.main_window import MainWindow

TITLE = "修改口令"
DONE = "口令已修改。今后登录或解锁本工作库时请使用新口令；其他用户的口令和巡察办恢复密钥不受影响。"
KDF: Any = None  # key-derivation parameters; None: the real ones (tests make them cheap)


def exec_dialog(dialog: QDialog) -> bool:
    """Monkeypatch target in tests."""
    return dialog.exec() == QDialog.DialogCode.Accepted


class PassphraseChangeDialog(QDialog):
    def __init__(self, workspace: Workspace, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(TITLE)
        self.setMinimumWidth(480)
        form = load_form("passphrase_change_dialog.ui", self)
        self._ws = workspace
        self.old_edit = child(form, QLineEdit, "oldEdit")
        self.new_edit = child(form, QLineEdit, "newEdit")
        self.confirm_edit = child(form, QLineEdit, "confirmEdit")
        self._show_check = child(form, QCheckBox, "showPassphraseCheck")
        self._hint = child(form, QLabel, "hintLabel")
        self._error = child(form, QLabel, "errorLabel")
        self._buttons = child(form, QDialogButtonBox, "buttonBox")
        child(form, QLabel, "promptLabel").setText(
            f"修改您（{workspace.user.display_name}，登录名“{workspace.user.login}”）在工作库"
            f"“{workspace.path.name}”的口令。口令不保存在任何地方，本软件无法查看；"
            "忘记后请组长（巡察办工作库请巡察办管理员）重设，组长忘记时请巡察办用恢复密钥重新设置。"
        )
        self._on_new_edited("")
        self._show_error("")
        self._buttons.accepted.connect(self._check_and_accept)
        self._buttons.rejected.connect(self.reject)
        self.new_edit.textChanged.connect(self._on_new_edited)
        self._show_check.toggled.connect(self._on_show_toggled)

    @property
    def ok_button(self) -> Any:
        return self._buttons.button(QDialogButtonBox.StandardButton.Ok)

    def error_text(self) -> str:
        return self._error.text() if self._error.isVisibleTo(self) else ""

    def hint_text(self) -> str:
        return self._hint.text()

    def _show_error(self, message: str) -> None:
        self._error.setText(message)
        self._error.setVisible(bool(message))

    def _on_new_edited(self, text: str) -> None:
        try:
            check_passphrase(text)
        except XunchaError as exc:
            self._hint.setText(f"{exc}；建议使用字母、数字和符号的组合，或一句容易记住的话。")
        else:
            self._hint.setText(f"新口令长度符合要求（至少{MIN_PASSPHRASE}个字符）。")

    def _on_show_toggled(self, shown: bool) -> None:
        mode = QLineEdit.EchoMode.Normal if shown else QLineEdit.EchoMode.Password
        for edit in (self.old_edit, self.new_edit, self.confirm_edit):
            edit.setEchoMode(mode)

    def _problem(self, old: str, new: str) -> str:
        if not old:
            return "请输入原口令"
        try:
            check_passphrase(new)
        except XunchaError as exc:
            return f"新口令不符合要求：{exc}"
        if new != self.confirm_edit.text():
            self.confirm_edit.clear()
            self.confirm_edit.setFocus()
            return "两次输入的新口令不一致，请重新输入"
        return "新口令不能与原口令相同" if new == old else ""

    def _check_and_accept(self) -> None:
        old, new = self.old_edit.text(), self.new_edit.text()
        problem = self._problem(old, new)
        if problem:
            self._show_error(problem)
            return
        ws = self._ws
        try:
            run_and_wait(
                self,
                "正在修改口令",
                lambda _p: keys.change_passphrase(
                    ws.path, old, new, actor=ws.user.login, owner=ws.slot_owner, kdf=KDF
                ),
            )
        except WrongPassphrase:
            self._show_error("原口令不正确，请重新输入")
            self.old_edit.clear()
            self.old_edit.setFocus()
            return
        except Cancelled:
            return
        except Exception as exc:
            self._show_error(error_text(exc))
            return
        self.accept()


def change_passphrase(window: MainWindow) -> bool:
    """安全 → 修改口令…; True when the passphrase was changed."""
    if not exec_dialog(PassphraseChangeDialog(window.workspace, window)):
        return False
    messages.show_info(window, TITLE, DONE)
    return True
