"""Date edits that may be empty: the minimum date stands for "未填写", with actions to clear or take today.

Typing: QDateEdit's own editing works section by section on a date it already shows, so it cannot take a
date typed into the empty field (the "未填写" text has no sections). When the field is empty, or its whole
text is selected, the first typed character starts free typing: the text belongs to the user, any of
2026-09-01, 2026/9/1, 2026.9.1, 20260901 or 2026年9月1日 (full-width digits too) is read as that date as
soon as it is complete, and Tab, Enter, leaving the field or opening the calendar settle it. Text that is
not a date leaves the field as it was before the typing, framed red, with a message saying what was typed.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date
from typing import TYPE_CHECKING, cast

from PySide6.QtCore import QDate, QEvent, QObject, QPoint, Qt
from PySide6.QtGui import QAction, QInputMethodEvent, QKeyEvent, QKeySequence
from PySide6.QtWidgets import QApplication, QDateEdit, QLineEdit, QToolTip

if TYPE_CHECKING:  # made when first needed (see _DateTyping), its class set up then
    from PySide6.QtWidgets import QCalendarWidget

EMPTY = QDate(1900, 1, 1)
LATEST = QDate(2100, 12, 31)
EMPTY_TEXT = "未填写"
DISPLAY_FORMAT = "yyyy-MM-dd"
HINT = (
    "可直接输入日期，如 2026-09-01、2026/9/1 或 20260901；点击右侧箭头从日历中选择；右键可清除日期或填入今天"
)
INVALID_STYLE = "QDateEdit { border: 1px solid #c62828; border-radius: 2px; }"

_SEPARATED = re.compile(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?")
_COMPACT = re.compile(r"(\d{4})(\d{2})(\d{2})")
# Keys that leave the typed text to Qt after it is settled; every other key edits the typed text.
_SETTLING_KEYS = {
    Qt.Key.Key_Tab,
    Qt.Key.Key_Backtab,
    Qt.Key.Key_Return,
    Qt.Key.Key_Enter,
    Qt.Key.Key_Up,
    Qt.Key.Key_Down,
    Qt.Key.Key_PageUp,
    Qt.Key.Key_PageDown,
}


def parse(text: str) -> date | None:
    """The date `text` names (2026-09-01, 2026/9/1, 2026.9.1, 20260901, 2026年9月1日), or None when it
    names none the field can hold."""
    plain = unicodedata.normalize("NFKC", text).strip()
    found = _SEPARATED.fullmatch(plain) or _COMPACT.fullmatch(plain)
    if found is None:
        return None
    try:
        day = date(*(int(part) for part in found.groups()))
    except ValueError:
        return None
    earliest: date = EMPTY.addDays(1).toPython()  # type: ignore[assignment]
    latest: date = LATEST.toPython()  # type: ignore[assignment]
    return day if earliest <= day <= latest else None


def _typed_text(event: QKeyEvent) -> bool:
    """True for a key that types a character (not a shortcut)."""
    text = event.text()
    held = event.modifiers() & (Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier)
    return bool(text) and text.isprintable() and not held


class _DateTyping(QObject):
    """Free typing into the edit (see the module text), Ctrl+Delete to clear, Tab out of an empty field,
    and the calendar opened on this month when the date is empty."""

    def __init__(self, edit: QDateEdit) -> None:
        super().__init__(edit)
        self._edit = edit
        self._line = cast(QLineEdit, edit.findChild(QLineEdit))
        self._validator = self._line.validator()
        self._typing = False
        self._typed = ""  # the text last put in the line edit while typing
        self._before = EMPTY  # the date before the typing began
        self._applying = False
        self._tip = edit.toolTip()
        self._problem = ""
        # The calendar is made when the edit is first pressed (or typed into), just before the edit could
        # open it (a click on its arrow does): a form's date fields cost start-up nothing for it (~0.8 ms
        # each).
        self._calendar: QCalendarWidget | None = None
        edit.installEventFilter(self)
        edit.dateChanged.connect(self._date_changed)

    # -- events ----------------------------------------------------------------------------------------
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if watched is self._calendar:
            if kind == QEvent.Type.Show:
                self._calendar_shown()
            return False
        if self._calendar is None and kind in (QEvent.Type.MouseButtonPress, QEvent.Type.KeyPress):
            self._watch_calendar()
        if kind in (QEvent.Type.KeyPress, QEvent.Type.InputMethod, QEvent.Type.FocusOut):
            self._check_still_typing()
        if kind == QEvent.Type.KeyPress and isinstance(event, QKeyEvent):
            return self._key(event)
        if kind == QEvent.Type.InputMethod and isinstance(event, QInputMethodEvent):
            return self._input_method(event)
        if kind == QEvent.Type.FocusOut and self._typing:
            self.settle()
        return False

    def _key(self, event: QKeyEvent) -> bool:
        if event.matches(QKeySequence.StandardKey.DeleteEndOfWord):
            self._stop()
            clear(self._edit)
            return True
        key = event.key()
        if key in (Qt.Key.Key_Tab, Qt.Key.Key_Backtab) and (self._typing or is_empty(self._edit)):
            self.settle()
            self._tab_out(event)  # Qt would keep the focus in an empty date edit, or go to the month
            return True
        if key == Qt.Key.Key_Escape and self._typing:
            self._stop()
            self._set(self._before)
            return False
        if key in _SETTLING_KEYS:
            self.settle()
            return False
        if not self._typing:
            if not self._starts_typing(event):
                return False
            self._start()
        self._edit_text(event)
        return True

    def _starts_typing(self, event: QKeyEvent) -> bool:
        """A character (or a paste) into the empty field, or over the whole of its text; Backspace and
        Delete over the whole text too."""
        typed = _typed_text(event) or event.matches(QKeySequence.StandardKey.Paste)
        if is_empty(self._edit):
            return typed
        erased = event.key() in (Qt.Key.Key_Backspace, Qt.Key.Key_Delete)
        return self._line.selectedText() == self._line.text() and (typed or erased)

    def _input_method(self, event: QInputMethodEvent) -> bool:
        """A Chinese input method's text (full-width digits, 年月日) is typed like keys."""
        if not self._typing:
            if not (event.commitString() or event.preeditString()):
                return False
            if not (is_empty(self._edit) or self._line.selectedText() == self._line.text()):
                return False
            self._start()
        self._edit_text(event)
        return True

    def _check_still_typing(self) -> None:
        if self._typing and self._line.text() != self._typed:
            self._stop()  # Qt showed the date again (a step, the wheel …): the typing is over

    def _watch_calendar(self) -> None:
        self._calendar = self._edit.calendarWidget()  # made here; the edit then shows this one
        self._calendar.installEventFilter(self)

    def _calendar_shown(self) -> None:
        self._check_still_typing()
        if self._typing:
            self.settle()
        if is_empty(self._edit) and self._calendar is not None:
            today = QDate.currentDate()
            self._calendar.setCurrentPage(today.year(), today.month())

    # -- typing ----------------------------------------------------------------------------------------
    def _start(self) -> None:
        self._typing = True
        self._before = self._edit.date()
        self._line.setValidator(None)  # type: ignore[arg-type]  # the typed text is checked here, not by section
        self._show_text("")

    def _stop(self) -> None:
        if self._typing:
            self._typing = False
            self._line.setValidator(self._validator)

    def _show_text(self, text: str, cursor: int | None = None) -> None:
        blocked = self._line.blockSignals(True)  # the date edit must not read the text as it goes
        try:
            self._line.setText(text)
            self._line.setCursorPosition(len(text) if cursor is None else cursor)
        finally:
            self._line.blockSignals(blocked)
        self._typed = text

    def _edit_text(self, event: QEvent) -> None:
        """The line edit edits the typed text; the date follows it whenever it names a date."""
        blocked = self._line.blockSignals(True)
        try:
            QApplication.sendEvent(self._line, event)
        finally:
            self._line.blockSignals(blocked)
        text, cursor = self._line.text(), self._line.cursorPosition()
        self._typed = text
        typed = parse(text)
        if typed is None:
            self._set(EMPTY if not text.strip() else self._before)
        else:
            self._set(_qdate(typed))
        self._show_text(text, cursor)  # setting the date showed it in the edit's own format

    def settle(self) -> None:
        """End the typing: a date typed is kept, no text empties the field, anything else leaves the field
        as it was and says so."""
        if not self._typing:
            return
        text = self._typed.strip()
        typed = parse(text)
        self._stop()
        if typed is None and text:
            self._set(self._before)  # setting the date also shows it in the edit's own format again
            self._mark(text)
            return
        self._set(EMPTY if typed is None else _qdate(typed))
        self._unmark()

    def _set(self, day: QDate) -> None:
        self._applying = True
        try:
            self._edit.setDate(day)
        finally:
            self._applying = False

    def _date_changed(self) -> None:
        if not self._applying:
            self._stop()  # a date chosen in the calendar, set by the program, stepped …
            self._unmark()

    def _tab_out(self, event: QKeyEvent) -> None:
        """The window moves the focus on, as it does for any other field."""
        QApplication.sendEvent(self._edit.window(), QKeyEvent(event.type(), event.key(), event.modifiers()))

    # -- the mark for text that is no date -------------------------------------------------------------
    def _mark(self, text: str) -> None:
        shown = EMPTY_TEXT if is_empty(self._edit) else self._edit.date().toString(DISPLAY_FORMAT)
        self._problem = f"“{text}”不是有效的日期，日期未改动（仍为{shown}）。请按 2026-09-01 的格式输入。"
        self._edit.setStyleSheet(INVALID_STYLE)
        self._edit.setToolTip(self._problem)
        QToolTip.showText(self._edit.mapToGlobal(QPoint(0, self._edit.height())), self._problem, self._edit)

    def _unmark(self) -> None:
        if self._problem:
            self._problem = ""
            self._edit.setStyleSheet("")
            self._edit.setToolTip(self._tip)

    @property
    def problem(self) -> str:
        return self._problem


def _qdate(day: date) -> QDate:
    return QDate(day.year, day.month, day.day)


def _typing(edit: QDateEdit) -> _DateTyping | None:
    return edit.findChild(_DateTyping)


def prepare(edit: QDateEdit) -> None:
    """Calendar popup, ISO display, an empty state, free typing and a context menu to clear or take today."""
    edit.setCalendarPopup(True)
    edit.setDisplayFormat(DISPLAY_FORMAT)
    edit.setDateRange(EMPTY, LATEST)
    edit.setSpecialValueText(EMPTY_TEXT)
    edit.setDate(EMPTY)
    edit.setToolTip(HINT)
    edit.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)
    today = QAction("填入今天", edit)
    today.triggered.connect(lambda: edit.setDate(QDate.currentDate()))
    cleared = QAction("清除日期", edit)
    cleared.triggered.connect(lambda: clear(edit))
    edit.addActions([today, cleared])
    _DateTyping(edit)


def problem(edit: QDateEdit) -> str:
    """Why the text last typed into `edit` was not taken as a date ("" when it was, or nothing was typed)."""
    typing = _typing(edit)
    return typing.problem if typing is not None else ""


def is_empty(edit: QDateEdit) -> bool:
    return edit.date() == edit.minimumDate()


def clear(edit: QDateEdit) -> None:
    edit.setDate(edit.minimumDate())


def value(edit: QDateEdit) -> date | None:
    return None if is_empty(edit) else cast(date, edit.date().toPython())


def set_value(edit: QDateEdit, value: date | None) -> None:
    edit.setDate(EMPTY if value is None else QDate(value.year, value.month, value.day))
