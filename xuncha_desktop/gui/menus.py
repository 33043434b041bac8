"""Menus that several features add entries to (安全): found by object name, created on first use."""

from __future__ import annotations

from PySide6.QtWidgets import QMainWindow, QMenu

SECURITY_MENU = "securityMenu"
SECURITY_TITLE = "安全(&S)"


def security_menu(window: QMainWindow) -> QMenu:
    """The 安全 menu, placed before 帮助 (created the first time a feature asks for it)."""
    existing = window.menuBar().findChild(QMenu, SECURITY_MENU)
    if existing is not None:
        return existing
    menu = QMenu(SECURITY_TITLE, window.menuBar())
    menu.setObjectName(SECURITY_MENU)
    help_menu = window.menuBar().findChild(QMenu, "helpMenu")
    if help_menu is not None:
        window.menuBar().insertMenu(help_menu.menuAction(), menu)
    else:
        window.menuBar().addMenu(menu)
    return menu
