"""The cycle collector pauses for start-up and resumes, start-up's objects frozen, after the first paint."""

from __future__ import annotations

import gc
from collections.abc import Iterator

import pytest
from PySide6.QtCore import QSettings
from pytestqt.qtbot import QtBot

from xuncha_desktop.gui import startup_collector
from xuncha_desktop.gui.main_window import MainWindow
from xuncha_desktop.services.workspace import Workspace


@pytest.fixture(autouse=True)
def collector_as_before() -> Iterator[None]:
    """Each test leaves the collector running and nothing frozen, as the rest of the suite expects."""
    yield
    startup_collector.resume()
    gc.unfreeze()
    gc.enable()


def test_pause_stops_the_collector_and_resume_restarts_it_with_start_ups_objects_frozen() -> None:
    made_during_start_up: list[list[int]] = [[]]  # a container the collector tracks
    assert gc.get_freeze_count() == 0
    startup_collector.pause()
    assert not gc.isenabled() and startup_collector.is_paused()
    startup_collector.resume()
    assert gc.isenabled() and not startup_collector.is_paused()
    assert gc.get_freeze_count() > 0  # start-up's objects are left out of later passes
    assert not any(obj is made_during_start_up for obj in gc.get_objects())


def test_a_collector_paused_by_someone_else_is_theirs_to_resume() -> None:
    gc.disable()
    startup_collector.pause()
    assert not startup_collector.is_paused()
    startup_collector.resume()
    assert not gc.isenabled() and gc.get_freeze_count() == 0


def test_resume_without_pause_changes_nothing() -> None:
    startup_collector.resume()
    assert gc.isenabled() and gc.get_freeze_count() == 0


def test_the_main_windows_first_paint_resumes_the_collector(
    qtbot: QtBot, filled_workspace: Workspace, ui_settings: QSettings
) -> None:
    startup_collector.pause()
    window = MainWindow(filled_workspace, settings=ui_settings, recover=False)
    qtbot.addWidget(window)
    assert not gc.isenabled()  # building the window is part of start-up
    window.show()
    qtbot.waitUntil(gc.isenabled, timeout=900)  # before the one-second fallback of the counts


def test_the_collector_resumes_anyway_when_no_window_is_painted(
    qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(startup_collector, "RESUME_ANYWAY_MS", 50)
    startup_collector.pause()
    qtbot.waitUntil(gc.isenabled, timeout=2000)
