"""Date fields that may be empty (未填写): typed into with the keyboard, cleared, picked from the calendar."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import pytest
from PySide6.QtCore import QDate, QPoint, Qt
from PySide6.QtWidgets import QApplication, QCalendarWidget, QDateEdit, QLineEdit, QVBoxLayout, QWidget
from pytestqt.qtbot import QtBot

from tests.gui import plan_helpers
from tests.gui.keys import ime_commit, type_text
from tests.gui.plan_helpers import fill, open_screen
from xuncha_desktop.gui.main_window import MainWindow
from xuncha_desktop.gui.pages import date_edits
from xuncha_desktop.services.plan.plan_service import PlanService

office = plan_helpers.office
office_window = plan_helpers.office_window


class Fields:
    """A window with two empty date fields and a text field after them, the first date field focused."""

    def __init__(self, qtbot: QtBot) -> None:
        self.window = QWidget()
        qtbot.addWidget(self.window)
        layout = QVBoxLayout(self.window)
        self.first, self.second, self.after = QDateEdit(), QDateEdit(), QLineEdit()
        for widget in (self.first, self.second, self.after):
            layout.addWidget(widget)
        date_edits.prepare(self.first)
        date_edits.prepare(self.second)
        self.window.show()
        qtbot.waitExposed(self.window)
        self.window.activateWindow()
        self.first.setFocus()
        QApplication.processEvents()

    def text(self) -> str:
        return self.first.text()


@pytest.fixture
def fields(qtbot: QtBot) -> Iterator[Fields]:
    yield Fields(qtbot)


def select_all(edit: QDateEdit) -> None:
    edit.setFocus()
    edit.selectAll()


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("2026-09-01", date(2026, 9, 1)),
        ("2026/9/1", date(2026, 9, 1)),
        ("2026.9.1", date(2026, 9, 1)),
        ("20260901", date(2026, 9, 1)),
        ("2026-9-30", date(2026, 9, 30)),
    ],
)
def test_a_date_typed_into_the_empty_field_is_taken(
    qtbot: QtBot, fields: Fields, typed: str, expected: date
) -> None:
    assert fields.text() == "未填写" and date_edits.value(fields.first) is None
    qtbot.keyClicks(fields.first, typed)
    assert fields.text() == typed  # the text stays as typed while the field has the focus …
    assert date_edits.value(fields.first) == expected  # … and the value follows it at once
    qtbot.keyClick(fields.first, Qt.Key.Key_Tab)
    assert fields.text() == expected.isoformat()
    assert QApplication.focusWidget() is fields.second  # Tab leaves for the next field
    assert date_edits.problem(fields.first) == ""


def test_the_empty_field_is_typed_into_after_select_all(qtbot: QtBot, fields: Fields) -> None:
    select_all(fields.first)
    qtbot.keyClicks(fields.first, "2026-09-01")
    assert date_edits.value(fields.first) == date(2026, 9, 1)


def test_a_date_typed_over_a_date_replaces_it(qtbot: QtBot, fields: Fields) -> None:
    date_edits.set_value(fields.first, date(2025, 3, 5))
    select_all(fields.first)
    qtbot.keyClicks(fields.first, "2026/10/31")
    qtbot.keyClick(fields.first, Qt.Key.Key_Return)
    assert date_edits.value(fields.first) == date(2026, 10, 31)
    assert fields.text() == "2026-10-31"


def test_a_partly_typed_date_is_not_the_value(qtbot: QtBot, fields: Fields) -> None:
    """On the way to 2026-09-15 the field passes 2026-09-1: the value follows, and goes back when the
    text names no date."""
    qtbot.keyClicks(fields.first, "2026-09-1")
    assert date_edits.value(fields.first) == date(2026, 9, 1)
    qtbot.keyClicks(fields.first, "5")
    assert date_edits.value(fields.first) == date(2026, 9, 15)
    qtbot.keyClick(fields.first, Qt.Key.Key_Backspace)
    qtbot.keyClick(fields.first, Qt.Key.Key_Backspace)
    assert fields.text() == "2026-09-"
    assert date_edits.value(fields.first) is None


@pytest.mark.parametrize("typed", ["2026-13-01", "2026-02-30", "2026-09", "abc", "1899-12-31"])
def test_text_that_is_no_date_leaves_the_field_as_it_was_and_says_so(
    qtbot: QtBot, fields: Fields, typed: str
) -> None:
    qtbot.keyClicks(fields.first, typed)
    assert date_edits.value(fields.first) is None
    qtbot.keyClick(fields.first, Qt.Key.Key_Tab)
    assert date_edits.value(fields.first) is None and fields.text() == "未填写"
    problem = date_edits.problem(fields.first)
    assert problem == f"“{typed}”不是有效的日期，日期未改动（仍为未填写）。请按 2026-09-01 的格式输入。"
    assert fields.first.toolTip() == problem and "c62828" in fields.first.styleSheet()
    # a date typed next clears the mark
    fields.first.setFocus()
    qtbot.keyClicks(fields.first, "2026-09-01")
    qtbot.keyClick(fields.first, Qt.Key.Key_Tab)
    assert date_edits.value(fields.first) == date(2026, 9, 1)
    assert date_edits.problem(fields.first) == "" and fields.first.styleSheet() == ""
    assert fields.first.toolTip() == date_edits.HINT


def test_no_date_typed_over_a_date_keeps_that_date(qtbot: QtBot, fields: Fields) -> None:
    date_edits.set_value(fields.first, date(2025, 3, 5))
    select_all(fields.first)
    qtbot.keyClicks(fields.first, "2025-3-")
    assert date_edits.value(fields.first) == date(2025, 3, 5)
    fields.after.setFocus()  # leaving by the mouse settles the text too
    assert fields.text() == "2025-03-05"
    assert "“2025-3-”不是有效的日期，日期未改动（仍为2025-03-05）" in date_edits.problem(fields.first)


def test_a_field_is_cleared_back_to_empty(qtbot: QtBot, fields: Fields) -> None:
    date_edits.set_value(fields.first, date(2025, 3, 5))
    fields.first.setFocus()
    qtbot.keyClick(fields.first, Qt.Key.Key_Delete, Qt.KeyboardModifier.ControlModifier)
    assert date_edits.value(fields.first) is None and fields.text() == "未填写"
    date_edits.set_value(fields.first, date(2025, 3, 5))
    clear_action = next(a for a in fields.first.actions() if a.text() == "清除日期")
    clear_action.trigger()
    assert date_edits.value(fields.first) is None
    # all of a date selected and deleted: the field is empty when left
    date_edits.set_value(fields.first, date(2025, 3, 5))
    select_all(fields.first)
    qtbot.keyClick(fields.first, Qt.Key.Key_Backspace)
    assert date_edits.value(fields.first) is None
    qtbot.keyClick(fields.first, Qt.Key.Key_Tab)
    assert fields.text() == "未填写" and date_edits.problem(fields.first) == ""


def test_escape_gives_back_the_date_before_the_typing(qtbot: QtBot, fields: Fields) -> None:
    date_edits.set_value(fields.first, date(2025, 3, 5))
    select_all(fields.first)
    qtbot.keyClicks(fields.first, "2026-01-02")
    qtbot.keyClick(fields.first, Qt.Key.Key_Escape)
    assert date_edits.value(fields.first) == date(2025, 3, 5) and fields.text() == "2025-03-05"


def test_tab_leaves_an_empty_field_empty(qtbot: QtBot, fields: Fields) -> None:
    qtbot.keyClick(fields.first, Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is fields.second
    qtbot.keyClick(fields.second, Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is fields.after
    assert date_edits.value(fields.first) is None and fields.text() == "未填写"


def test_the_calendar_picks_a_date_after_typing(qtbot: QtBot, fields: Fields) -> None:
    qtbot.keyClicks(fields.first, "2026-09")
    arrow = QPoint(fields.first.width() - 4, fields.first.height() // 2)
    qtbot.mouseClick(fields.first, Qt.MouseButton.LeftButton, pos=arrow)
    calendar = fields.first.calendarWidget()
    assert calendar.isVisible()  # the popup opening settled the typed text first
    assert fields.text() == "未填写" and date_edits.problem(fields.first) != ""
    today = QDate.currentDate()
    assert (calendar.yearShown(), calendar.monthShown()) == (today.year(), today.month())
    calendar.clicked.emit(QDate(2026, 9, 3))  # what a click on the 3rd does
    assert not calendar.isVisible()
    assert date_edits.value(fields.first) == date(2026, 9, 3) and fields.text() == "2026-09-03"
    assert date_edits.problem(fields.first) == ""


def test_the_calendar_is_made_when_first_clicked_and_opens_on_this_month(
    qtbot: QtBot, fields: Fields
) -> None:
    # Not made with the form (start-up): made by the click that opens it, then shown on this month.
    assert fields.first.findChild(QCalendarWidget) is None
    arrow = QPoint(fields.first.width() - 4, fields.first.height() // 2)
    qtbot.mouseClick(fields.first, Qt.MouseButton.LeftButton, pos=arrow)
    calendar = fields.first.findChild(QCalendarWidget)
    assert calendar is not None and calendar.isVisible()
    today = QDate.currentDate()
    assert (calendar.yearShown(), calendar.monthShown()) == (today.year(), today.month())
    calendar.clicked.emit(QDate(2026, 9, 3))
    assert date_edits.value(fields.first) == date(2026, 9, 3)


def test_a_chinese_input_method_types_a_date(qtbot: QtBot, fields: Fields) -> None:
    ime_commit(fields.first, "２０２６年９月１日")
    assert date_edits.value(fields.first) == date(2026, 9, 1)
    fields.after.setFocus()
    assert fields.text() == "2026-09-01"
    type_text(fields.second, "2026-10-01")  # keys carrying text, as in the other GUI tests
    assert date_edits.value(fields.second) == date(2026, 10, 1)


def test_a_program_setting_the_date_ends_the_typing(qtbot: QtBot, fields: Fields) -> None:
    qtbot.keyClicks(fields.first, "2026-0")
    date_edits.set_value(fields.first, date(2024, 1, 2))
    assert fields.text() == "2024-01-02"
    fields.after.setFocus()
    assert date_edits.value(fields.first) == date(2024, 1, 2) and date_edits.problem(fields.first) == ""


def test_parse_reads_the_usual_ways_of_writing_a_date() -> None:
    assert date_edits.parse(" 2026年9月1日 ") == date(2026, 9, 1)
    assert date_edits.parse("２０２６－０９－０１") == date(2026, 9, 1)
    assert date_edits.parse("2100-12-31") == date(2100, 12, 31)
    for no_date in ("", "2026", "2026091", "2026-9-1-1", "2026/09/31", "1900-01-01", "2101-01-01"):
        assert date_edits.parse(no_date) is None, no_date


def test_the_saved_round_holds_the_dates_typed(qtbot: QtBot, office_window: MainWindow) -> None:
    """The dates typed into a fresh form's empty fields are the ones saved."""
    screen = open_screen(office_window, "轮次与巡察组")
    screen.rounds.new_button.click()
    form = screen.rounds.form
    fill(form.find(QLineEdit, "nameEdit"), "2026年第三轮巡察")
    start, end = form.find(QDateEdit, "startOnDate"), form.find(QDateEdit, "endOnDate")
    assert start.text() == "未填写" and end.text() == "未填写"
    start.setFocus()
    qtbot.keyClicks(start, "2026/9/1")
    qtbot.keyClick(start, Qt.Key.Key_Tab)
    end.setFocus()
    qtbot.keyClicks(end, "20261031")
    screen.rounds.save_button.click()  # straight from the field, as a toolbar button or Ctrl+S would
    assert screen.rounds.error_text() == ""
    [stored] = PlanService(office_window.workspace).rounds()
    assert (stored.start_on, stored.end_on) == (date(2026, 9, 1), date(2026, 10, 31))
