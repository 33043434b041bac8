"""The one guard against modal dialogs (tests/conftest.py): a dialog no test answers fails the test, it never
hangs the run (a test's own answer taking its place: test_main_window.test_about_goes_through_messages)."""

from __future__ import annotations

import importlib

import pytest
from pytestqt.qtbot import QtBot

from tests.conftest import UNANSWERED_DIALOGS, unexpected_dialog
from xuncha_desktop.gui import messages
from xuncha_desktop.gui.main_window import MainWindow

EVERY_DIALOG = [(module, name) for module, names in UNANSWERED_DIALOGS.items() for name in names]


@pytest.mark.parametrize(
    ("module", "name"), EVERY_DIALOG, ids=[f"{m.rpartition('.')[2]}.{n}" for m, n in EVERY_DIALOG]
)
def test_every_listed_dialog_fails_the_test_when_nobody_answers(module: str, name: str) -> None:
    replaced = getattr(importlib.import_module(module), name)
    assert replaced is unexpected_dialog  # checked first: the real dialog would hang the run
    with pytest.raises(AssertionError, match=r"^unexpected dialog: "):
        replaced(None)


def test_a_dialog_opened_by_the_window_fails_the_test(qtbot: QtBot, main_window: MainWindow) -> None:
    assert messages.show_about is unexpected_dialog
    with qtbot.captureExceptions() as raised:
        main_window.actions_by_name["aboutAction"].trigger()
    [(kind, error, _trace)] = raised
    assert kind is AssertionError and str(error).startswith("unexpected dialog: ")
