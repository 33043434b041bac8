"""The dialog asking for a workspace passphrase, with the 登录名 it belongs to when signing in (with a wait
after repeated wrong ones and a 忘记口令？ explanation), or for a new one typed twice."""

from __future__ import annotations

import math
import time
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QPushButton,
    QWidget,
)

from xuncha_desktop.gui import messages
from xuncha_desktop.gui.forms import child, load_form
from xuncha_desktop.services.workspace import MIN_PASSPHRASE

FORGOT_TITLE = "忘记口令怎么办"
UNLOCK_TEXT = "解锁"
TICK_MS = 250


@dataclass(frozen=True)
class Credentials:
    """What a user signs in with: whose key slot, and its passphrase."""

    login: str
    passphrase: str


def forgot_text(key_file_name: str = "") -> str:
    """How a forgotten field passphrase is recovered: only the office can, with the key file."""
    key_file = f"“{key_file_name}”" if key_file_name else "（与工作库同名、以 .key 结尾）"
    return (
        "口令无法找回。组员忘记口令时，请本组组长在“安全 → 用户口令”中为您重设"
        "（巡察办工作库请巡察办管理员）。\n\n"
        "组长忘记口令时：工作库导入过巡察办的配置包后，其密钥文件中带有巡察办恢复密钥，"
        "巡察办可以为它重新设置口令，数据不会丢失：\n\n"
        f"1. 关闭本软件，把工作库旁的密钥文件{key_file}复制到U盘（只需密钥文件，它不含任何记录内容）；\n"
        "2. 交巡察办管理员，在巡察办工作库中选择“安全 → 恢复现场工作库口令…”，为该密钥文件设置新口令；\n"
        "3. 把巡察办交回的密钥文件放回原位置（替换原文件），再用新口令打开工作库。\n\n"
        "从未导入过配置包的工作库没有恢复密钥，忘记口令后无法打开，只能请巡察办重新配置。"
    )


class PassphraseDialog(QDialog):
    """`confirm=True` asks twice and accepts only two equal entries (a new workspace). Otherwise it unlocks:
    `wait_seconds` keeps 解锁 disabled with a countdown (after repeated wrong passphrases). With `login`
    (not None) it also asks for the 登录名, prefilled with it."""

    def __init__(
        self,
        prompt: str,
        *,
        confirm: bool = False,
        error: str = "",
        parent: QWidget | None = None,
        wait_seconds: float = 0.0,
        key_file_name: str = "",
        login: str | None = None,
    ) -> None:
        super().__init__(parent)
        signing_in = login is not None and not confirm
        self.setWindowTitle("设置工作库口令" if confirm else "登录工作库" if signing_in else "输入工作库口令")
        form = load_form("passphrase_dialog.ui", self)
        self._confirm = confirm
        self._key_file_name = key_file_name
        self._asks_login = login is not None
        self._login_edit = child(form, QLineEdit, "loginEdit")
        self._passphrase_edit = child(form, QLineEdit, "passphraseEdit")
        self._confirm_edit = child(form, QLineEdit, "confirmEdit")
        self._show_check = child(form, QCheckBox, "showPassphraseCheck")
        self._error_label = child(form, QLabel, "errorLabel")
        self._countdown_label = child(form, QLabel, "countdownLabel")
        self._forgot_button = child(form, QPushButton, "forgotButton")
        self._buttons = child(form, QDialogButtonBox, "buttonBox")
        child(form, QLabel, "promptLabel").setText(prompt)
        child(form, QLabel, "loginLabel").setVisible(self._asks_login)
        self._login_edit.setVisible(self._asks_login)
        self._login_edit.setText(login or "")
        child(form, QLabel, "confirmLabel").setVisible(confirm)
        self._confirm_edit.setVisible(confirm)
        self._forgot_button.setVisible(not confirm)
        if not confirm:
            self.ok_button.setText(UNLOCK_TEXT)
        self._show_error(error)
        self.setMinimumWidth(440)
        self._deadline = time.monotonic() + max(0.0, wait_seconds)
        self._timer = QTimer(self)
        self._timer.setInterval(TICK_MS)
        self._timer.timeout.connect(self._tick)
        self._countdown_label.setVisible(False)
        if wait_seconds > 0:
            self._timer.start()
            self._tick()
        (self._login_edit if self._asks_login and not login else self._passphrase_edit).setFocus()
        self._connect_signals()

    def _connect_signals(self) -> None:
        self._buttons.accepted.connect(self._check_and_accept)
        self._buttons.rejected.connect(self.reject)
        self._show_check.toggled.connect(self._on_show_toggled)
        self._forgot_button.clicked.connect(self._explain_forgotten)

    @property
    def ok_button(self) -> QPushButton:
        button = self._buttons.button(QDialogButtonBox.StandardButton.Ok)
        assert button is not None
        return button

    @property
    def passphrase_edit(self) -> QLineEdit:
        return self._passphrase_edit

    @property
    def login_edit(self) -> QLineEdit:
        return self._login_edit

    def credentials(self) -> Credentials:
        return Credentials(self._login_edit.text().strip(), self.passphrase())

    @property
    def forgot_button(self) -> QPushButton:
        return self._forgot_button

    def passphrase(self) -> str:
        return self._passphrase_edit.text()

    def error_text(self) -> str:
        return self._error_label.text() if self._error_label.isVisibleTo(self) else ""

    def countdown_text(self) -> str:
        return self._countdown_label.text() if self._countdown_label.isVisibleTo(self) else ""

    def waiting(self) -> bool:
        return self._timer.isActive()

    def _show_error(self, message: str) -> None:
        self._error_label.setText(message)
        self._error_label.setVisible(bool(message))

    def _tick(self) -> None:
        left = math.ceil(self._deadline - time.monotonic())
        if left > 0:
            self._countdown_label.setText(f"为防止他人猜测口令，请等待 {left} 秒后再输入。")
            self._countdown_label.setVisible(True)
            self.ok_button.setEnabled(False)
            return
        self._timer.stop()
        self._countdown_label.setText("现在可以重新输入口令。")
        self.ok_button.setEnabled(True)
        self._passphrase_edit.setFocus()

    def _on_show_toggled(self, shown: bool) -> None:
        # Password fields switch input methods off; showing the text lets a Chinese IME type into them.
        mode = QLineEdit.EchoMode.Normal if shown else QLineEdit.EchoMode.Password
        self._passphrase_edit.setEchoMode(mode)
        self._confirm_edit.setEchoMode(mode)

    def _explain_forgotten(self) -> None:
        messages.show_info(self, FORGOT_TITLE, forgot_text(self._key_file_name))

    def _check_and_accept(self) -> None:
        if self.waiting():
            return
        if self._asks_login and not self._login_edit.text().strip():
            self._show_error("请输入登录名")
            self._login_edit.setFocus()
            return
        if not self.passphrase():
            self._show_error("请输入口令")
            return
        if self._confirm and self._confirm_edit.text() != self.passphrase():
            self._show_error("两次输入的口令不一致，请重新输入")
            self._confirm_edit.clear()
            self._confirm_edit.setFocus()
            return
        self.accept()


# -- the two questions the opener asks (here, not in messages, which this dialog uses) --------------------
def ask_passphrase(
    parent: QWidget | None, path: Path, *, error: str = "", login: str = ""
) -> Credentials | None:
    """登录名 (prefilled with `login`) and 口令 for an existing workspace, or None when the user cancels."""
    dialog = PassphraseDialog(
        f"请输入您的登录名和口令，登录工作库“{path.name}”：",
        error=error,
        parent=parent,
        key_file_name=f"{path.name}.key",
        login=login,
    )
    return dialog.credentials() if dialog.exec() == QDialog.DialogCode.Accepted else None


def ask_new_passphrase(parent: QWidget | None, path: Path, *, error: str = "") -> str | None:
    """A new passphrase typed twice, or None when the user cancels."""
    dialog = PassphraseDialog(
        f"为新工作库“{path.name}”设置口令（至少{MIN_PASSPHRASE}个字符）。口令用于加密全部数据，请务必牢记。",
        confirm=True,
        error=error,
        parent=parent,
    )
    return dialog.passphrase() if dialog.exec() == QDialog.DialogCode.Accepted else None
