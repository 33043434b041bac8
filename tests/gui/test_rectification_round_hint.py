"""整改监督 on a round still on site (no 巡察反馈 yet) points to the newest round that has rectification work,
and one click makes it the working round: a new office opened on its newest round never shows only blanks."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from PySide6.QtCore import QSettings
from pytestqt.qtbot import QtBot

from tests.builders import Context, make_context
from tests.gui.rect_helpers import octx, office, open_area
from tests.rectification_output_builders import _feedback
from xuncha_desktop.gui.main_window import MainWindow
from xuncha_desktop.gui.pages.page_types import WorkContext
from xuncha_desktop.services.workspace import Workspace

__all__ = ["octx", "office"]  # fixtures


@pytest.fixture
def window(qtbot: QtBot, office: Workspace, octx: Context, ui_settings: QSettings) -> Iterator[MainWindow]:
    _feedback(office, octx, octx.target.id, ("公务接待超标准",))
    make_context(office, year=2026, ordinal=1, group=1)  # a newer round, on site: nothing to rectify yet
    shown = MainWindow(office, settings=ui_settings, recover=False)
    shown.resize(1366, 768)
    shown.show()
    qtbot.waitExposed(shown)
    yield shown
    shown.close()
    shown.deleteLater()


def test_a_round_without_feedback_points_to_one_with_it(window: MainWindow, octx: Context) -> None:
    assert window.context_bar.round_combo.currentText() == "2026年第1轮巡察"  # the newest, as on first start
    open_area(window, "巡察反馈")
    area: Any = window.rectification_area
    assert area.feedback_page.model.rowCount() == 0
    assert area.round_hint.isVisible()
    assert area.round_hint.text() == "本轮尚无巡察反馈和整改任务 · 转到“2025年第3轮巡察”"

    area.round_hint.click()
    assert window.context_bar.context().round_id == octx.round.id
    assert area.feedback_page.model.rowCount() == 1 and not area.round_hint.isVisible()


def test_no_hint_on_a_round_with_feedback_or_for_all_rounds(window: MainWindow, octx: Context) -> None:
    open_area(window, "巡察反馈")
    area: Any = window.rectification_area
    for round_id in (octx.round.id, ""):
        window.context_bar.set_context(WorkContext(round_id))
        assert not area.round_hint.isVisible()
