"""Typing Chinese in tests: qtbot.keyClicks aborts the process on non-ASCII text (toolchain.md §3)."""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QInputMethodEvent, QKeyEvent
from PySide6.QtWidgets import QApplication, QWidget


def type_text(widget: QWidget, text: str) -> None:
    """Key events carrying the text, one character at a time. Built by hand, not with QTest.sendKeyEvent,
    whose text argument PySide6 6.8 converts as Latin-1 (口令 arrived as 'åä')."""
    for ch in text:
        for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
            QApplication.sendEvent(
                widget, QKeyEvent(kind, Qt.Key.Key_unknown, Qt.KeyboardModifier.NoModifier, ch)
            )


def ime_commit(widget: QWidget, text: str) -> None:
    """What a Chinese input method does when the user picks a candidate."""
    event = QInputMethodEvent()
    event.setCommitString(text)
    QApplication.sendEvent(widget, event)
