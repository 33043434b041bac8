"""The lock screen that replaces the main window's content while the workspace is locked."""

from __future__ import annotations

import math
from collections.abc import Callable

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QLabel, QLineEdit, QPushButton, QWidget

from xuncha_desktop.gui.forms import child, load_form

TICK_MS = 1000  # the countdown after repeated wrong passphrases counts whole seconds


class LockScreen(QWidget):
    """工作库已锁定, the workspace and user, a passphrase field and 解锁; shows no record text at all."""

    unlock_requested = Signal(str)  # the passphrase typed

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.setObjectName("lockScreen")
        form = load_form("lock_screen.ui", self)
        self.title_label = child(form, QLabel, "titleLabel")
        self.info_label = child(form, QLabel, "infoLabel")
        self.passphrase_edit = child(form, QLineEdit, "passphraseEdit")
        self.unlock_button = child(form, QPushButton, "unlockButton")
        self.message_label = child(form, QLabel, "messageLabel")
        font = QFont(self.title_label.font())
        font.setBold(True)
        if font.pointSizeF() > 0:  # -1 when the font is sized in pixels
            font.setPointSizeF(font.pointSizeF() * 1.6)
        self.title_label.setFont(font)
        self.message_label.hide()
        self._remaining: Callable[[], float] = lambda: 0.0
        self._failures = 0
        self._countdown = QTimer(self)
        self._countdown.setInterval(TICK_MS)
        self._countdown.timeout.connect(self._tick)
        self.unlock_button.clicked.connect(self._submit)
        self.passphrase_edit.returnPressed.connect(self._submit)

    def show_for(self, workspace_name: str, user: str) -> None:
        """Empty field, no message, the workspace and who may unlock it."""
        self.info_label.setText(f"工作库：{workspace_name}\n用户：{user}")
        self.passphrase_edit.clear()
        self.show_message("")
        self.show()
        self.focus()

    def focus(self) -> None:
        if self.passphrase_edit.isEnabled():
            self.passphrase_edit.setFocus(Qt.FocusReason.OtherFocusReason)

    def show_message(self, text: str) -> None:
        self.message_label.setText(text)
        self.message_label.setVisible(bool(text))

    def message(self) -> str:
        return self.message_label.text() if not self.message_label.isHidden() else ""

    def wait(self, failures: int, remaining: Callable[[], float]) -> None:
        """No attempts until `remaining()` reaches zero, counted down in the message."""
        self._failures, self._remaining = failures, remaining
        self._tick()
        if self._countdown_running():
            self._countdown.start()

    def is_waiting(self) -> bool:
        return self._countdown.isActive()

    def stop(self) -> None:
        """Unlocked: forget the typed passphrase and any countdown."""
        self._countdown.stop()
        self._set_enabled(True)
        self.passphrase_edit.clear()
        self.show_message("")

    def _countdown_running(self) -> bool:
        return self._remaining() > 0

    def _tick(self) -> None:
        left = self._remaining()
        if left > 0:
            self._set_enabled(False)
            self.show_message(f"口令不正确：已连续输错 {self._failures} 次，请 {math.ceil(left)} 秒后再试")
            return
        self._countdown.stop()
        self._set_enabled(True)
        self.show_message("现在可以再次输入口令")
        self.focus()

    def _set_enabled(self, enabled: bool) -> None:
        self.passphrase_edit.setEnabled(enabled)
        self.unlock_button.setEnabled(enabled)

    def _submit(self) -> None:
        if not self.unlock_button.isEnabled():
            return
        passphrase = self.passphrase_edit.text()
        if not passphrase:
            self.show_message("请输入工作库口令")
            self.focus()
            return
        self.passphrase_edit.clear()  # the typed passphrase does not stay in the field
        self.unlock_requested.emit(passphrase)
