"""Auto-lock on the real main window: Ctrl+L and idleness hide every record text, drop the key, clear the
clipboard; the passphrase brings back the same page with the unsaved typing."""

from __future__ import annotations

import gc
import threading
import weakref
from typing import Any

import pytest
from PySide6.QtCore import QSettings, Qt, QTimer
from PySide6.QtGui import QAction
from PySide6.QtTest import QTest
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QGroupBox,
    QLabel,
    QLineEdit,
    QMenuBar,
    QMessageBox,
    QPlainTextEdit,
    QStatusBar,
    QTabBar,
    QTextEdit,
    QToolBar,
    QWidget,
)
from pytestqt.qtbot import QtBot

from tests.builders import PASSPHRASE
from tests.gui.conftest import Filled
from tests.gui.keys import ime_commit, type_text
from xuncha_desktop.domain.errors import WorkspaceError
from xuncha_desktop.gui import auto_lock, background, messages
from xuncha_desktop.gui.auto_lock import AutoLock, AutoLockDialog, controller_of
from xuncha_desktop.gui.dialogs.image_preview import ImagePreviewDialog
from xuncha_desktop.gui.forms import child
from xuncha_desktop.gui.main_window import MainWindow
from xuncha_desktop.gui.menus import security_menu
from xuncha_desktop.services.records.record_service import ListQuery
from xuncha_desktop.services.security.sign_in_attempts import AttemptGuard

UNSAVED = "（锁定前未保存的补充）"
CTRL = Qt.KeyboardModifier.ControlModifier


class FakeClock:
    def __init__(self) -> None:
        self.now = 5_000.0

    def __call__(self) -> float:
        return self.now


def record_texts(filled: Filled) -> list[str]:
    """Texts that only records hold: titles, numbers, names, the lead's summary, the unsaved typing."""
    texts = [UNSAVED, filled.lead.number, filled.lead.subject_name, filled.lead.summary[:12]]
    for talk in filled.interviews:
        texts += [talk.number, talk.interviewee_name]
    for issue in filled.drafts:
        texts += [issue.number, issue.title]
    return [t for t in texts if t]


def _widget_texts(widget: QWidget) -> list[str]:
    texts = [widget.toolTip()]
    if isinstance(widget, QLabel | QAbstractButton | QLineEdit | QAbstractSpinBox):
        texts.append(widget.text())
    elif isinstance(widget, QTextEdit | QPlainTextEdit):
        texts.append(widget.toPlainText())
    elif isinstance(widget, QComboBox):
        texts += [widget.itemText(i) for i in range(widget.count())]
    elif isinstance(widget, QTabBar):
        texts += [widget.tabText(i) for i in range(widget.count())]
    elif isinstance(widget, QGroupBox):
        texts.append(widget.title())
    elif isinstance(widget, QStatusBar):
        texts.append(widget.currentMessage())
    elif isinstance(widget, QMenuBar | QToolBar):
        texts += [a.text() for a in widget.actions()]
    elif isinstance(widget, QAbstractItemView) and widget.model() is not None:
        model = widget.model()
        rows, columns = min(model.rowCount(), 500), model.columnCount()
        texts += [str(model.index(r, c).data() or "") for r in range(rows) for c in range(columns)]
    return texts


def visible_texts() -> str:
    """Every text the user can see: window titles and every visible widget of every visible window."""
    texts: list[str] = []
    for top in QApplication.topLevelWidgets():
        if not top.isVisible():
            continue
        texts.append(top.windowTitle())
        for widget in (top, *top.findChildren(QWidget)):
            if widget.isVisible():
                texts += _widget_texts(widget)
    return "\n".join(texts)


def front_draft(window: MainWindow) -> Any:
    page = window.page("问题底稿")
    window.show_page(page)
    return page


def type_unsaved(page: Any) -> QLineEdit:
    widget = page.form.widget_of("title")
    assert isinstance(widget, QLineEdit)
    widget.setFocus()
    widget.setCursorPosition(len(widget.text()))
    ime_commit(widget, UNSAVED)
    assert page.is_dirty()
    return widget


def unlock_with(window: MainWindow, qtbot: QtBot, passphrase: str) -> None:
    screen = controller_of(window).screen
    assert screen is not None and screen.isVisible()
    type_text(screen.passphrase_edit, passphrase)
    qtbot.mouseClick(screen.unlock_button, Qt.MouseButton.LeftButton)


def active_timers(window: MainWindow, lock: AutoLock) -> list[QTimer]:
    own = set(lock.findChildren(QTimer))
    if lock.screen is not None:
        own |= set(lock.screen.findChildren(QTimer))
    return [t for t in window.findChildren(QTimer) if t.isActive() and t not in own]


def test_ctrl_l_hides_every_record_text_and_drops_the_key(
    main_window: MainWindow, filled: Filled, qtbot: QtBot
) -> None:
    page = front_draft(main_window)
    page.select_row(0)
    title = type_unsaved(page)
    title.selectAll()
    qtbot.keyClick(title, Qt.Key.Key_C, CTRL)  # the user copies record text out of the program
    clipboard = QApplication.clipboard()
    assert UNSAVED in clipboard.text()
    before = visible_texts()
    assert UNSAVED in before and all(d.title in before and d.number in before for d in filled.drafts)
    engine = weakref.ref(main_window.workspace.engine)

    qtbot.keyClick(main_window, Qt.Key.Key_L, CTRL)

    lock = controller_of(main_window)
    qtbot.waitUntil(lambda: main_window.workspace.is_locked)
    assert lock.is_locked and lock.screen is not None and lock.screen.isVisible()
    shown = visible_texts()
    assert "工作库已锁定" in shown and "管理员（组长）" in shown
    assert [text for text in record_texts(filled) if text in shown] == []
    assert "现场工作库" not in main_window.windowTitle()
    assert not main_window.statusBar().isVisible() and not main_window.tabs.isVisible()
    assert clipboard.text() == ""
    gc.collect()
    assert engine() is None  # the engine, whose connect function held the key, is gone
    with pytest.raises(WorkspaceError, match=r"^工作库已锁定"):
        page.spec.service(main_window.workspace).count(ListQuery(limit=None))
    assert active_timers(main_window, lock) == []  # no search, count or recovery timer reads the workspace
    page.keep_for_recovery()  # what the recovery timer does: quietly nothing while locked
    qtbot.keyClick(main_window, Qt.Key.Key_S, CTRL)  # shortcuts of hidden pages do nothing
    qtbot.keyClick(lock.screen.passphrase_edit, Qt.Key.Key_S, CTRL)
    assert page.is_dirty() and main_window.workspace.is_locked
    unlock_with(main_window, qtbot, PASSPHRASE)  # the fixture's teardown discards the edits: needs the key
    assert not main_window.workspace.is_locked


def test_wrong_passphrase_stays_locked_right_one_restores_the_same_page(
    main_window: MainWindow, filled: Filled, qtbot: QtBot
) -> None:
    page = front_draft(main_window)
    page.select_row(1)
    shown_id = page.current_record().id
    title = type_unsaved(page)
    tab = main_window.tabs.currentIndex()
    title_before = main_window.windowTitle()
    status_before = main_window.status_texts()
    enabled_before = [a.isEnabled() for a in main_window.findChildren(QAction)]
    controller_of(main_window).lock_action.trigger()
    qtbot.waitUntil(lambda: main_window.workspace.is_locked)

    screen = controller_of(main_window).screen
    assert screen is not None
    qtbot.keyClicks(screen.passphrase_edit, "wrong-passphrase")
    qtbot.keyClick(screen.passphrase_edit, Qt.Key.Key_Return)
    assert screen.message() == "口令不正确"
    assert main_window.workspace.is_locked and screen.isVisible()
    assert screen.passphrase_edit.text() == ""  # a typed passphrase does not stay in the field
    assert screen.passphrase_edit.echoMode() == QLineEdit.EchoMode.Password

    unlock_with(main_window, qtbot, PASSPHRASE)
    assert not main_window.workspace.is_locked and not screen.isVisible()
    assert main_window.tabs.currentIndex() == tab and main_window.current_page() is page
    assert page.current_record().id == shown_id
    assert title.text().endswith(UNSAVED) and page.is_dirty()
    assert QApplication.focusWidget() is title  # the cursor is back where it was
    assert main_window.windowTitle() == title_before and main_window.status_texts() == status_before
    assert main_window.statusBar().isVisible() and main_window.tabs.isVisible()
    assert [a.isEnabled() for a in main_window.findChildren(QAction)] == enabled_before
    assert child(main_window, QToolBar, "contextToolBar").isVisible()
    assert filled.drafts[1].title in visible_texts()
    assert active_timers(main_window, controller_of(main_window))  # the page's timers run again
    with qtbot.waitSignal(page.record_saved):
        qtbot.keyClick(main_window, Qt.Key.Key_S, CTRL)  # and the workspace works: the edit is saved
    assert page.spec.service(main_window.workspace).get(shown_id).title.endswith(UNSAVED)


def test_repeated_wrong_passphrases_count_down(main_window: MainWindow, qtbot: QtBot) -> None:
    clock = FakeClock()
    lock = controller_of(main_window)
    lock.guard = AttemptGuard(schedule=lambda n: 0.0 if n < 2 else 30.0, clock=clock)
    lock.lock()
    screen = lock.screen
    assert screen is not None
    for attempt in ("wrong-one", "wrong-two"):
        qtbot.keyClicks(screen.passphrase_edit, attempt)
        qtbot.keyClick(screen.passphrase_edit, Qt.Key.Key_Return)
    assert screen.message() == "口令不正确：已连续输错 2 次，请 30 秒后再试"
    assert not screen.unlock_button.isEnabled() and not screen.passphrase_edit.isEnabled()
    clock.now += 31
    qtbot.waitUntil(screen.unlock_button.isEnabled, timeout=3000)  # the countdown ticks each second
    assert screen.message() == "现在可以再次输入口令"
    unlock_with(main_window, qtbot, PASSPHRASE)
    assert not main_window.workspace.is_locked


def test_an_idle_window_locks_by_itself(
    main_window: MainWindow, ui_settings: QSettings, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(auto_lock, "MINUTE_MS", 300)  # a "minute" of 0.3 s
    ui_settings.setValue(auto_lock.SETTINGS_KEY, 1)
    lock = controller_of(main_window)
    lock.apply_settings()
    assert lock.interval_ms() == 300 and not lock.is_locked
    qtbot.waitUntil(lambda: main_window.workspace.is_locked, timeout=5000)
    assert lock.screen is not None and lock.screen.isVisible() and not main_window.tabs.isVisible()


def test_input_resets_the_idle_time(main_window: MainWindow, qtbot: QtBot) -> None:
    lock = controller_of(main_window)
    lock.clock = clock = FakeClock()
    lock.apply_settings()  # the default: 5 minutes from now
    assert lock.interval_ms() == 5 * 60_000
    page = front_draft(main_window)
    clock.now += 290
    qtbot.keyClick(page.search_edit, Qt.Key.Key_Right)  # any key counts as work
    clock.now += 100
    lock.check_idle()  # what the timer does when it fires
    assert not lock.is_locked
    qtbot.mouseClick(page.table.viewport(), Qt.MouseButton.LeftButton)
    clock.now += 299
    lock.check_idle()
    assert not lock.is_locked
    clock.now += 2
    lock.check_idle()
    assert lock.is_locked and main_window.workspace.is_locked


def test_the_idle_lock_comes_exactly_when_the_minutes_have_passed(
    main_window: MainWindow, qtbot: QtBot
) -> None:
    lock = controller_of(main_window)
    lock.clock = clock = FakeClock()
    lock.apply_settings()  # 5 minutes
    qtbot.keyClick(front_draft(main_window).search_edit, Qt.Key.Key_Right)
    last_input = clock.now
    clock.now = last_input + 299.5
    lock.check_idle()
    assert not lock.is_locked
    clock.now = last_input + 300
    lock.check_idle()
    assert lock.is_locked and main_window.workspace.is_locked


def test_the_idle_minutes_are_set_in_the_security_menu(
    main_window: MainWindow, ui_settings: QSettings, monkeypatch: pytest.MonkeyPatch
) -> None:
    def drive(dialog: QDialog) -> bool:
        assert isinstance(dialog, AutoLockDialog) and dialog.minutes() == 5
        spin = dialog.minutes_spin
        spin.selectAll()
        QTest.keyClicks(spin, "0")  # 0 = never is not offered
        spin.interpretText()
        assert spin.value() >= 1
        spin.selectAll()
        QTest.keyClicks(spin, "12")
        spin.interpretText()
        dialog.findChildren(QDialogButtonBox)[0].button(QDialogButtonBox.StandardButton.Ok).click()
        return dialog.result() == QDialog.DialogCode.Accepted

    monkeypatch.setattr(auto_lock, "show_dialog", drive)
    menu = security_menu(main_window)
    entries = {a.text(): a for a in menu.actions()}
    assert {"立即锁定(&L)", "自动锁定时间(&T)…"} <= set(entries)
    entries["自动锁定时间(&T)…"].trigger()
    assert int(ui_settings.value(auto_lock.SETTINGS_KEY)) == 12
    assert controller_of(main_window).interval_ms() == 12 * 60_000
    assert "12 分钟" in main_window.statusBar().currentMessage()


@pytest.mark.parametrize(("stored", "minutes"), [("0", 1), ("-3", 1), ("999", 60), ("七", 5), ("30", 30)])
def test_stored_minutes_stay_within_one_to_sixty(ui_settings: QSettings, stored: str, minutes: int) -> None:
    ui_settings.setValue(auto_lock.SETTINGS_KEY, stored)
    assert auto_lock.read_minutes(ui_settings) == minutes


def test_ctrl_l_is_on_the_shortcuts_page(main_window: MainWindow, monkeypatch: pytest.MonkeyPatch) -> None:
    shown: list[list[tuple[str, str]]] = []
    monkeypatch.setattr(messages, "show_shortcuts", lambda parent, rows: shown.append(list(rows)))
    main_window.actions_by_name["shortcutsAction"].trigger()
    keys = [k for k, _what in shown[0]]
    assert dict(shown[0])["Ctrl+L"] == "立即锁定" and keys.count("Ctrl+L") == 1
    assert dict(shown[0])["Ctrl+Shift+L"] == "导出台账"  # 导出台账 gave its old key to locking


def test_locking_closes_dialogs_and_hides_other_windows(
    main_window: MainWindow, filled: Filled, qtbot: QtBot
) -> None:
    title = filled.drafts[0].title
    notes = QDialog(main_window)  # a modeless window showing record text
    notes.setWindowTitle(title)
    QLabel(title, notes)
    notes.show()
    lock = controller_of(main_window)
    preview = ImagePreviewDialog(title, b"no picture", main_window)
    QTimer.singleShot(0, lock.lock)  # the idle timer fires while a modal preview is open
    assert preview.exec() == QDialog.DialogCode.Rejected
    qtbot.waitUntil(lambda: main_window.workspace.is_locked)
    assert not preview.isVisible() and not notes.isVisible()
    assert title not in visible_texts()
    unlock_with(main_window, qtbot, PASSPHRASE)
    assert notes.isVisible() and notes.windowTitle() == title  # a modeless window comes back


def test_a_question_open_when_locking_is_answered_as_cancel(
    main_window: MainWindow, filled: Filled, qtbot: QtBot
) -> None:
    lock = controller_of(main_window)
    QTimer.singleShot(0, lock.lock)
    answer = QMessageBox.question(main_window, "移入回收站", f"确定要删除{filled.drafts[0].title}吗？")
    assert answer != QMessageBox.StandardButton.Yes
    assert lock.is_locked and not main_window.tabs.isVisible()  # the content is hidden at once …
    drafts = main_window.page("问题底稿").spec.service(main_window.workspace)
    assert drafts.count(ListQuery(limit=None)) == 2  # … but code after a cancelled question still runs
    qtbot.waitUntil(lambda: main_window.workspace.is_locked)
    assert filled.drafts[0].title not in visible_texts()
    unlock_with(main_window, qtbot, PASSPHRASE)


def test_a_running_background_job_postpones_the_lock(main_window: MainWindow, qtbot: QtBot) -> None:
    release, done = threading.Event(), list[object]()
    background.run_with_progress(main_window, "正在导出工作包", lambda _p: release.wait(20), done.append)
    qtbot.keyClick(main_window, Qt.Key.Key_L, CTRL)
    lock = controller_of(main_window)
    assert not lock.is_locked and not main_window.workspace.is_locked
    assert main_window.statusBar().currentMessage() == "后台任务完成后将锁定工作库"
    assert main_window.tabs.isVisible()
    release.set()
    qtbot.waitUntil(lambda: done == [True])
    qtbot.waitUntil(lambda: main_window.workspace.is_locked, timeout=5000)
    assert lock.is_locked and not main_window.tabs.isVisible()


def test_closing_while_locked_keeps_unsaved_typing(main_window: MainWindow, qtbot: QtBot) -> None:
    page = front_draft(main_window)
    type_unsaved(page)
    lock = controller_of(main_window)
    lock.lock()
    assert not main_window.close()
    assert main_window.isVisible() and lock.screen is not None
    assert lock.screen.message() == "有尚未保存的修改：请先解锁，保存或放弃这些修改后再关闭窗口"
    unlock_with(main_window, qtbot, PASSPHRASE)
    assert page.is_dirty() and page.form.value("title").endswith(UNSAVED)


def test_closing_while_locked_without_edits_needs_no_key(main_window: MainWindow) -> None:
    lock = controller_of(main_window)
    lock.lock()
    assert main_window.close()
    assert not main_window.isVisible() and main_window.workspace.is_locked
    assert child(main_window, QToolBar, "contextToolBar").isVisibleTo(main_window)  # saved as shown
