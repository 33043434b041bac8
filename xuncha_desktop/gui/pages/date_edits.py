"""Date edits that may be empty: the minimum date stands for "未填写", with actions to clear or take today."""

from __future__ import annotations

from datetime import date
from typing import cast

from PySide6.QtCore import QDate, QEvent, QObject, Qt
from PySide6.QtGui import QAction, QKeyEvent, QKeySequence
from PySide6.QtWidgets import QDateEdit

EMPTY = QDate(1900, 1, 1)
LATEST = QDate(2100, 12, 31)
EMPTY_TEXT = "未填写"
DISPLAY_FORMAT = "yyyy-MM-dd"


class _EmptyDateHelper(QObject):
    """Clears the date on Ctrl+Delete and opens the calendar on this month when the date is empty."""

    def __init__(self, edit: QDateEdit) -> None:
        super().__init__(edit)
        self._edit = edit
        self._calendar = edit.calendarWidget()  # made now, before the filter watches the edit
        self._calendar.installEventFilter(self)
        edit.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self._edit and event.type() == QEvent.Type.KeyPress:
            key = event if isinstance(event, QKeyEvent) else None
            if key is not None and key.matches(QKeySequence.StandardKey.DeleteEndOfWord):
                clear(self._edit)
                return True
        showing = event.type() == QEvent.Type.Show
        if watched is self._calendar and showing and is_empty(self._edit):
            today = QDate.currentDate()
            self._calendar.setCurrentPage(today.year(), today.month())
        return False


def prepare(edit: QDateEdit) -> None:
    """Calendar popup, ISO display, an empty state and a context menu to clear it or take today."""
    edit.setCalendarPopup(True)
    edit.setDisplayFormat(DISPLAY_FORMAT)
    edit.setDateRange(EMPTY, LATEST)
    edit.setSpecialValueText(EMPTY_TEXT)
    edit.setDate(EMPTY)
    edit.setToolTip("点击右侧箭头从日历中选择；右键可清除日期或填入今天")
    edit.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)
    today = QAction("填入今天", edit)
    today.triggered.connect(lambda: edit.setDate(QDate.currentDate()))
    cleared = QAction("清除日期", edit)
    cleared.triggered.connect(lambda: clear(edit))
    edit.addActions([today, cleared])
    _EmptyDateHelper(edit)


def is_empty(edit: QDateEdit) -> bool:
    return edit.date() == edit.minimumDate()


def clear(edit: QDateEdit) -> None:
    edit.setDate(edit.minimumDate())


def value(edit: QDateEdit) -> date | None:
    return None if is_empty(edit) else cast(date, edit.date().toPython())


def set_value(edit: QDateEdit, value: date | None) -> None:
    edit.setDate(EMPTY if value is None else QDate(value.year, value.month, value.day))
