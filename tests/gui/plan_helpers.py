"""Shared by the 巡察计划 GUI tests: an office workspace in the real main window, and its plan screens."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from tests.builders import PASSPHRASE
from tests.gui.keys import type_text
from xuncha_desktop.gui.main_window import PLAN_TITLE, MainWindow
from xuncha_desktop.gui.plan.plan_editor import PlanEditor
from xuncha_desktop.services.workspace import Workspace
from xuncha_desktop.storage.keyfile import KdfParams


@pytest.fixture
def office(tmp_path: Path) -> Iterator[Workspace]:
    ws = Workspace.create(tmp_path / "巡察办.xcdb", PASSPHRASE, kdf=KdfParams.cheap(), office=True)
    yield ws
    ws.close()


@pytest.fixture
def office_window(qtbot: QtBot, office: Workspace, ui_settings: QSettings) -> Iterator[MainWindow]:
    window = MainWindow(office, settings=ui_settings, recover=False)
    window.resize(1366, 768)
    window.show()
    qtbot.waitExposed(window)
    yield window
    area = window.plan_area
    for editor in area.editors():
        if editor.is_dirty():
            editor.discard_changes()
    window.close()
    window.deleteLater()


def open_screen(window: MainWindow, title: str) -> Any:
    tabs = window.tabs
    tabs.setCurrentIndex([tabs.tabText(i) for i in range(tabs.count())].index(PLAN_TITLE))
    return window.plan_area.show_screen(title)


def settle(qtbot: QtBot, editor: PlanEditor) -> None:
    """Let a background read of the editor's list arrive."""
    qtbot.waitUntil(lambda: "正在读取" not in editor.count_text(), timeout=5000)


def fill(widget: QWidget, text: str) -> None:
    """Select what the field holds and type `text` over it, as a user would."""
    widget.setFocus()
    if hasattr(widget, "selectAll"):
        widget.selectAll()
    type_text(widget, text)
    QApplication.processEvents()
