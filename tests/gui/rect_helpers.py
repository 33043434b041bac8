"""Shared by the 整改监督 GUI tests: an office workspace with signed 底稿, the real main window, the area."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication, QComboBox, QDateEdit, QWidget
from pytestqt.qtbot import QtBot

from tests.builders import PASSPHRASE, Context, draft, make_context
from tests.gui.keys import type_text
from xuncha_desktop.domain.issue_drafts import IssueDraft
from xuncha_desktop.domain.record_types import DRAFT
from xuncha_desktop.gui.main_window import RECT_TITLE, MainWindow
from xuncha_desktop.gui.pages import date_edits
from xuncha_desktop.gui.pages.field_bindings import select_value
from xuncha_desktop.gui.rectification.area import RectificationArea
from xuncha_desktop.services.records.record_service import RecordService
from xuncha_desktop.services.workspace import Workspace
from xuncha_desktop.storage.keyfile import KdfParams

ISSUES = ("“三重一大”事项未经集体研究决策", "公务接待超标准、无公函", "专项资金拨付滞后")


@pytest.fixture
def office(tmp_path: Path) -> Iterator[Workspace]:
    ws = Workspace.create(tmp_path / "巡察办.xcdb", PASSPHRASE, kdf=KdfParams.cheap(), office=True)
    yield ws
    ws.close()


@pytest.fixture
def octx(office: Workspace) -> Context:
    """A round, group and unit with three signed 底稿 (as an import from the group's laptop brings them)."""
    ctx = make_context(office)
    drafts = RecordService[IssueDraft](office, DRAFT)
    for title in ISSUES:
        drafts.save(draft(ctx, title=title, status="已审签"))
    return ctx


@pytest.fixture
def office_window(
    qtbot: QtBot, office: Workspace, octx: Context, ui_settings: QSettings
) -> Iterator[MainWindow]:
    window = MainWindow(office, settings=ui_settings, recover=False)
    window.resize(1366, 768)
    window.show()
    qtbot.waitExposed(window)
    yield window
    area = window.rectification_area
    for page in area.pages():
        if page.is_dirty():
            page.discard_changes()
    for screen in area.screens():
        if screen.editor.is_dirty():
            screen.editor.discard_changes()
    window.close()
    window.deleteLater()


def open_area(window: MainWindow, title: str) -> Any:
    """整改监督 forward with its page or screen `title`."""
    tabs = window.tabs
    tabs.setCurrentIndex([tabs.tabText(i) for i in range(tabs.count())].index(RECT_TITLE))
    area = window.rectification_area
    assert isinstance(area, RectificationArea)
    QApplication.processEvents()  # a tab's content built as it is first shown is shown by a queued call
    return area.show_screen(title)


def fill(widget: QWidget, text: str) -> None:
    """Select what the field holds and type `text` over it, as a user would."""
    widget.setFocus()
    if hasattr(widget, "selectAll"):
        widget.selectAll()
    type_text(widget, text)


def choose(combo: QComboBox, value: str) -> None:
    select_value(combo, value)


def set_date(edit: QDateEdit, value: date | None) -> None:
    if value is None:
        date_edits.clear(edit)
    else:
        date_edits.set_value(edit, value)
