"""The dialog asking for a workspace passphrase, or for a new one typed twice."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QWidget,
)

from xuncha_desktop.gui.forms import child, load_form


class PassphraseDialog(QDialog):
    """`confirm=True` asks twice and accepts only two equal entries (a new workspace)."""

    def __init__(
        self, prompt: str, *, confirm: bool = False, error: str = "", parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("设置工作库口令" if confirm else "输入工作库口令")
        form = load_form("passphrase_dialog.ui", self)
        self._confirm = confirm
        self._passphrase_edit = child(form, QLineEdit, "passphraseEdit")
        self._confirm_edit = child(form, QLineEdit, "confirmEdit")
        self._show_check = child(form, QCheckBox, "showPassphraseCheck")
        self._error_label = child(form, QLabel, "errorLabel")
        self._buttons = child(form, QDialogButtonBox, "buttonBox")
        child(form, QLabel, "promptLabel").setText(prompt)
        child(form, QLabel, "confirmLabel").setVisible(confirm)
        self._confirm_edit.setVisible(confirm)
        self._show_error(error)
        self.setMinimumWidth(440)
        self._connect_signals()

    def _connect_signals(self) -> None:
        self._buttons.accepted.connect(self._check_and_accept)
        self._buttons.rejected.connect(self.reject)
        self._show_check.toggled.connect(self._on_show_toggled)

    def passphrase(self) -> str:
        return self._passphrase_edit.text()

    def _show_error(self, message: str) -> None:
        self._error_label.setText(message)
        self._error_label.setVisible(bool(message))

    def _on_show_toggled(self, shown: bool) -> None:
        # Password fields switch input methods off; showing the text lets a Chinese IME type into them.
        mode = QLineEdit.EchoMode.Normal if shown else QLineEdit.EchoMode.Password
        self._passphrase_edit.setEchoMode(mode)
        self._confirm_edit.setEchoMode(mode)

    def _check_and_accept(self) -> None:
        if not self.passphrase():
            self._show_error("请输入口令")
            return
        if self._confirm and self._confirm_edit.text() != self.passphrase():
            self._show_error("两次输入的口令不一致，请重新输入")
            self._confirm_edit.clear()
            self._confirm_edit.setFocus()
            return
        self.accept()
