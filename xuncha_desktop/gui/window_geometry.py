"""The main window's place on the screen, kept in the per-user UI settings (QSettings, not the workspace):
maximised on first start, afterwards where, how large and whether maximised the person last left it."""

from __future__ import annotations

from PySide6.QtCore import QByteArray, QSettings
from PySide6.QtWidgets import QMainWindow

GEOMETRY_KEY = "main_window/geometry"
STATE_KEY = "main_window/state"


def restore(window: QMainWindow, settings: QSettings) -> bool:
    """Put `window` where it was left (its maximised state too); True on first start (nothing kept)."""
    geometry = settings.value(GEOMETRY_KEY)
    first_start = not isinstance(geometry, QByteArray) or geometry.isEmpty()
    if isinstance(geometry, QByteArray) and not first_start:
        window.restoreGeometry(geometry)
    else:
        fit_to_screen(window)  # what 还原 (un-maximise) gives after a maximised first start
    state = settings.value(STATE_KEY)
    if isinstance(state, QByteArray) and not state.isEmpty():
        window.restoreState(state)
    return first_start


def fit_to_screen(window: QMainWindow) -> None:
    """Most of the screen, centred (field laptops are often only 1366×768)."""
    screen = window.screen().availableGeometry()
    width = min(max(window.width(), 1280), int(screen.width() * 0.94))
    height = min(max(window.height(), 800), int(screen.height() * 0.92))
    window.resize(width, height)
    window.move(screen.center().x() - width // 2, screen.center().y() - height // 2)


def save(window: QMainWindow, settings: QSettings) -> None:
    settings.setValue(GEOMETRY_KEY, window.saveGeometry())
    settings.setValue(STATE_KEY, window.saveState())
