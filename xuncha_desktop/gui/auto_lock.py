"""Auto-lock: after a spell without input (5 minutes unless 安全 → 自动锁定时间… says otherwise) or on Ctrl+L.

Locked, the main window shows only the lock screen (no record text anywhere, other windows of the program
closed or hidden), the workspace has forgotten its key, and text the user copied from the program is gone
from the clipboard. The right passphrase brings back exactly what was there, unsaved typing included: the
content is only hidden, never rebuilt.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import shiboken6
from PySide6.QtCore import QEvent, QObject, QSettings, Qt, QTimer
from PySide6.QtGui import QAction, QClipboard, QGuiApplication, QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QMainWindow,
    QSpinBox,
    QToolBar,
    QToolTip,
    QVBoxLayout,
    QWidget,
)

from xuncha_desktop import APP_DISPLAY_NAME
from xuncha_desktop.domain.errors import XunchaError
from xuncha_desktop.gui import background
from xuncha_desktop.gui.background_reads import wait_for_reads
from xuncha_desktop.gui.menus import security_menu
from xuncha_desktop.services.security.sign_in_attempts import AttemptGuard

if TYPE_CHECKING:
    from xuncha_desktop.gui.main_window import MainWindow
    from xuncha_desktop.gui.views.lock_screen import LockScreen

SETTINGS_KEY = "security/auto_lock_minutes"
DEFAULT_MINUTES = 5
MIN_MINUTES, MAX_MINUTES = 1, 60  # never "0 = off": an unattended laptop must lock
MINUTE_MS = 60_000  # tests shorten the minute instead of waiting for one
POSTPONE_MS = 1000  # how often a postponed lock looks whether the background job has ended
WATCH_ANYWAY_MS = 2000  # watch input application-wide by now even if the window's first paint went unseen
MAX_MODAL_ROUNDS = 20  # a caller that keeps opening dialogs after each one closed cannot hold the lock off
LOCK_SHORTCUT = "Ctrl+L"
LOCKED_TITLE = f"工作库已锁定 — {APP_DISPLAY_NAME}"
# Platforms whose clipboard lives inside this process: whatever is on it was copied from us.
PROCESS_LOCAL_CLIPBOARDS = ("offscreen", "minimal")
INPUT_EVENTS = frozenset(
    {
        QEvent.Type.KeyPress,
        QEvent.Type.MouseButtonPress,
        QEvent.Type.MouseMove,
        QEvent.Type.Wheel,
        QEvent.Type.InputMethod,
        QEvent.Type.TouchBegin,
        QEvent.Type.TabletPress,
    }
)


def read_minutes(settings: QSettings) -> int:
    """The configured idle minutes, clamped to 1–60 (a damaged or hand-edited value gives the default)."""
    try:
        minutes = int(str(settings.value(SETTINGS_KEY, DEFAULT_MINUTES)))
    except ValueError:
        return DEFAULT_MINUTES
    return max(MIN_MINUTES, min(MAX_MINUTES, minutes))


def clear_own_clipboard() -> bool:
    """Empty the clipboard (and the X11 selection) when the program put what is there; True if it did."""
    clipboard = QGuiApplication.clipboard()
    local = QGuiApplication.platformName() in PROCESS_LOCAL_CLIPBOARDS
    cleared, held = False, clipboard.mimeData()
    if clipboard.ownsClipboard() or (local and held is not None and held.formats()):
        clipboard.clear(QClipboard.Mode.Clipboard)
        cleared = True
    if clipboard.supportsSelection() and clipboard.ownsSelection():
        clipboard.clear(QClipboard.Mode.Selection)
        cleared = True
    return cleared


def close_window(widget: QWidget) -> None:
    """Close a dialog as Cancel would (a modal one's exec() returns), anything else as its close box."""
    if isinstance(widget, QDialog):
        widget.reject()
    else:
        widget.close()


def job_running() -> bool:
    """A gui/background.py job (merge, export, printing) is under way."""
    return background.job_running()


class AutoLockDialog(QDialog):
    """安全 → 自动锁定时间…: the idle minutes, 1 to 60."""

    def __init__(self, minutes: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("自动锁定时间")
        label = QLabel("无操作多长时间后自动锁定工作库（锁定后需输入口令才能继续）：", self)
        label.setWordWrap(True)
        self.minutes_spin = QSpinBox(self)
        self.minutes_spin.setRange(MIN_MINUTES, MAX_MINUTES)
        self.minutes_spin.setSuffix(" 分钟")
        self.minutes_spin.setValue(minutes)
        ok, cancel = QDialogButtonBox.StandardButton.Ok, QDialogButtonBox.StandardButton.Cancel
        buttons = QDialogButtonBox(ok | cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        for widget in (label, self.minutes_spin, buttons):
            layout.addWidget(widget)
        self.setMinimumWidth(380)

    def minutes(self) -> int:
        return self.minutes_spin.value()


def show_dialog(dialog: QDialog) -> bool:
    """Run the settings dialog modally (tests replace this to drive it themselves)."""
    return dialog.exec() == QDialog.DialogCode.Accepted


@dataclass
class Hidden:
    """What locking hid or switched off, put back exactly on unlock."""

    title: str
    focus: QWidget | None
    menu_bar: bool
    status_bar: bool = False
    content: list[QWidget] = field(default_factory=list)
    toolbars: list[QToolBar] = field(default_factory=list)
    windows: list[QWidget] = field(default_factory=list)
    actions: list[tuple[QAction, bool]] = field(default_factory=list)
    timers: list[QTimer] = field(default_factory=list)


def _alive(obj: QObject | None) -> bool:
    return obj is not None and shiboken6.isValid(obj)


class AutoLock(QObject):
    """Watches input application-wide and locks the main window it belongs to."""

    def __init__(self, window: MainWindow, *, clock: Callable[[], float] = time.monotonic) -> None:
        super().__init__(window)
        self.setObjectName("autoLock")
        self._window = window
        self.clock = clock
        self._last_input = clock()
        self._interval_ms = DEFAULT_MINUTES * MINUTE_MS
        self._hidden: Hidden | None = None  # the content is hidden (the key may still be held briefly)
        self._locked = False  # the workspace has forgotten its key
        self._pending: bool | None = None  # a lock waiting for a background job: True when from idleness
        self._screen: LockScreen | None = None
        self.guard = AttemptGuard()
        self._idle = QTimer(self)
        self._idle.setSingleShot(True)
        self._idle.timeout.connect(self.check_idle)
        self._postponed = QTimer(self)
        self._postponed.setSingleShot(True)
        self._postponed.setInterval(POSTPONE_MS)
        self._postponed.timeout.connect(self._retry_postponed)
        self.lock_action = QAction("立即锁定(&L)", window)  # parented to the window: listed on 快捷键
        self.lock_action.setShortcut(QKeySequence(LOCK_SHORTCUT))
        self.lock_action.setStatusTip("隐藏全部内容并清除内存中的密钥，输入口令后继续")
        self.lock_action.triggered.connect(lambda _checked=False: self.lock())
        self.minutes_action = QAction("自动锁定时间(&T)…", window)
        self.minutes_action.setStatusTip("设置无操作多长时间后自动锁定")
        self.minutes_action.triggered.connect(lambda _checked=False: self.choose_minutes())
        menu = security_menu(window)
        if menu.actions():
            menu.addSeparator()
        menu.addAction(self.lock_action)
        menu.addAction(self.minutes_action)
        # Application-wide only once the window has painted for the first time: building and first
        # painting it send thousands of events, none of them input, and a Python filter on each would slow
        # the start-up. Until then the window's own events are watched, to see that first paint coming.
        self._app_wide = False
        window.installEventFilter(self)
        QTimer.singleShot(WATCH_ANYWAY_MS, self, self._watch_application)  # should no paint be seen
        self.apply_settings()

    # -- state -----------------------------------------------------------------------------------------
    @property
    def is_locked(self) -> bool:
        """The lock screen is up (the workspace forgets its key as soon as no dialog is still closing)."""
        return self._hidden is not None

    @property
    def screen(self) -> LockScreen | None:
        return self._screen

    def interval_ms(self) -> int:
        return self._interval_ms

    def apply_settings(self) -> None:
        """Read the idle minutes again (after the dialog, or a test changing the settings)."""
        self._interval_ms = read_minutes(self._window.settings) * MINUTE_MS
        self._last_input = self.clock()
        if self._hidden is None:
            self._idle.start(self._interval_ms)

    def choose_minutes(self) -> None:
        """安全 → 自动锁定时间…"""
        dialog = AutoLockDialog(read_minutes(self._window.settings), self._window)
        if show_dialog(dialog):
            self._window.settings.setValue(SETTINGS_KEY, dialog.minutes())
            self.apply_settings()
            self._window.statusBar().showMessage(f"已设置：无操作 {dialog.minutes()} 分钟后自动锁定", 6000)
        dialog.deleteLater()

    # -- idleness --------------------------------------------------------------------------------------
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        # Runs for every event of the program: a time stamp only, the timer looks at it when it fires.
        kind = event.type()
        if kind == QEvent.Type.UpdateRequest and not self._app_wide:
            QTimer.singleShot(0, self, self._watch_application)  # once the paint it asks for is done
        if kind in INPUT_EVENTS:
            self._last_input = self.clock()
        elif kind == QEvent.Type.Close and watched is self._window:
            return self._refuse_close(event)
        return False

    def _watch_application(self) -> None:
        app = QApplication.instance()
        if self._app_wide or app is None:
            return
        self._app_wide = True
        self._window.removeEventFilter(self)  # its events come through the application's filter now
        app.installEventFilter(self)

    def check_idle(self) -> None:
        """Lock when the last input is older than the configured minutes, else look again then."""
        if self._hidden is not None:
            return
        left_ms = self._interval_ms - (self.clock() - self._last_input) * 1000
        if left_ms > 0:
            if self._pending:
                self._pending = None  # the user came back while a job was running (Ctrl+L still stands)
            self._idle.start(int(left_ms) + 1)
        else:
            self.lock(idle=True)

    # -- locking ---------------------------------------------------------------------------------------
    def lock(self, *, idle: bool = False) -> None:
        """Ctrl+L or idleness: hide every record text, close other windows, clear the clipboard, then
        forget the key."""
        if self._hidden is not None:
            return
        if job_running():
            # Not while a gui/background.py job (a merge, an export) works on the workspace behind its own
            # progress dialog: locking would pull the workspace from under it. Lock once it has ended.
            self._pending = idle if self._pending is None else self._pending and idle  # Ctrl+L stands
            self._window.statusBar().showMessage("后台任务完成后将锁定工作库", POSTPONE_MS * 3)
            self._postponed.start()
            return
        self._pending = None
        self._idle.stop()
        self._hide_everything()
        self._finish_lock(0)

    def _retry_postponed(self) -> None:
        if self._pending is None:
            return
        if job_running():
            self._postponed.start()
        elif self._pending:
            self.check_idle()  # locks unless the user has been working meanwhile
        else:
            self.lock()

    def _lock_screen(self, central: QWidget) -> LockScreen:
        if self._screen is None:  # made on first use: nothing to load at start-up
            from xuncha_desktop.gui.views.lock_screen import LockScreen

            self._screen = LockScreen(central)
            layout = central.layout()
            if layout is not None:
                layout.addWidget(self._screen)
            self._screen.unlock_requested.connect(self._on_unlock_requested)
        return self._screen

    def _hide_everything(self) -> None:
        window = self._window
        wait_for_reads()
        window.keep_all_for_recovery()  # unsaved typing also survives a power cut while locked
        QToolTip.hideText()
        hidden = Hidden(window.windowTitle(), QApplication.focusWidget(), window.menuBar().isEnabled())
        central = window.centralWidget()
        assert central is not None, "the main window's .ui gives it a central widget"
        screen = self._lock_screen(central)
        for widget in central.findChildren(QWidget, options=Qt.FindChildOption.FindDirectChildrenOnly):
            if widget is not screen and not widget.isHidden():
                widget.hide()
                hidden.content.append(widget)
        for bar in window.findChildren(QToolBar):
            if not bar.isHidden():
                bar.hide()
                hidden.toolbars.append(bar)
        status = window.statusBar()
        status.clearMessage()
        hidden.status_bar = not status.isHidden()
        status.hide()
        # Actions first: disabling the menu bar disables each menu's own action along with it.
        hidden.actions = [(action, action.isEnabled()) for action in window.findChildren(QAction)]
        for action, _enabled in hidden.actions:
            action.setEnabled(False)  # shortcuts too: Ctrl+S, Ctrl+1 … must not reach hidden pages
        window.menuBar().setEnabled(False)
        window.setWindowTitle(LOCKED_TITLE)
        self._hidden = hidden
        clear_own_clipboard()
        user = window.workspace.user
        screen.show_for(window.workspace.path.name, f"{user.display_name}（{user.role}）")
        screen.setEnabled(False)  # no unlocking before the key is actually gone

    def _hide_other_windows(self) -> bool:
        """Close dialogs, popups and previews (a modal one's exec() returns as if cancelled) and hide other
        modeless windows of the program until unlocked; True when something was closed."""
        assert self._hidden is not None
        closed = False
        for _ in range(MAX_MODAL_ROUNDS):
            popup = QApplication.activePopupWidget()
            if popup is None:
                break
            popup.close()
            closed = True
        for widget in QApplication.topLevelWidgets():
            if widget is self._window or not widget.isVisible():
                continue
            if widget.windowModality() != Qt.WindowModality.NonModal or widget.windowType() in (
                Qt.WindowType.Popup,
                Qt.WindowType.ToolTip,
            ):
                close_window(widget)
                closed = True
            else:
                widget.hide()
                self._hidden.windows.append(widget)
        return closed

    def _finish_lock(self, rounds: int) -> None:
        """Forget the key once every dialog closed for the lock has returned from its exec(): the code after
        it runs first and may still read the workspace (on Cancel), or open another dialog."""
        if self._hidden is None or self._locked:
            return
        if self._hide_other_windows() and rounds < MAX_MODAL_ROUNDS:
            QTimer.singleShot(0, self, lambda: self._finish_lock(rounds + 1))
            return
        self._hidden.timers = self._stop_timers()
        wait_for_reads()
        self._window.workspace.lock()
        self._locked = True
        if self._screen is not None:
            self._screen.setEnabled(True)
            self._screen.focus()
        self._show_wait()

    def _stop_timers(self) -> list[QTimer]:
        """The pages' timers (search delay, counts, crash-recovery snapshots) would read the locked
        workspace; they start again on unlock."""
        own = set(self.findChildren(QTimer))
        if self._screen is not None:
            own |= set(self._screen.findChildren(QTimer))
        running = [t for t in self._window.findChildren(QTimer) if t.isActive() and t not in own]
        for timer in running:
            timer.stop()
        return running

    # -- unlocking -------------------------------------------------------------------------------------
    def _on_unlock_requested(self, passphrase: str) -> None:
        if not self._locked or self._screen is None:
            return
        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)  # deriving the key takes about 0.5 s
        try:
            self._window.workspace.unlock(passphrase, guard=self.guard)
        except XunchaError as error:
            self._screen.show_message(str(error))
            self._show_wait()
            self._screen.focus()
            return
        finally:
            QApplication.restoreOverrideCursor()
        self._restore()

    def _show_wait(self) -> None:
        """After repeated wrong passphrases: a countdown until the next attempt is allowed."""
        path, guard = self._window.workspace.path, self.guard
        if self._screen is not None and guard.remaining(path) > 0:
            self._screen.wait(guard.read(path)[0], lambda: guard.remaining(path))

    def _restore(self) -> None:
        hidden, window = self._hidden, self._window
        if hidden is None:
            return
        self._hidden, self._locked = None, False
        if self._screen is not None:
            self._screen.stop()
            self._screen.hide()
        for widget in hidden.content:
            widget.show()
        for bar in hidden.toolbars:
            bar.show()
        window.statusBar().setVisible(hidden.status_bar)
        window.menuBar().setEnabled(hidden.menu_bar)
        for action, enabled in hidden.actions:
            if _alive(action):
                action.setEnabled(enabled)
        window.setWindowTitle(hidden.title)
        for timer in hidden.timers:
            if _alive(timer):
                timer.start()
        for other in hidden.windows:
            if _alive(other):
                other.show()
        if _alive(hidden.focus) and hidden.focus is not None and hidden.focus.isVisible():
            hidden.focus.setFocus(Qt.FocusReason.OtherFocusReason)
        self._last_input = self.clock()
        self._idle.start(self._interval_ms)

    def _refuse_close(self, event: QEvent) -> bool:
        """Seen before MainWindow.closeEvent, whose unsaved-changes question could not save while locked."""
        if self._hidden is None or self._may_close():
            return False
        event.ignore()
        return True

    def _may_close(self) -> bool:
        """Closing while locked: only without unsaved edits (saving or discarding them needs the key)."""
        if any(page.is_dirty() for page in self._window.built_pages()):
            if self._screen is not None:
                self._screen.show_message("有尚未保存的修改：请先解锁，保存或放弃这些修改后再关闭窗口")
            return False
        if self._hidden is not None:
            for bar in self._hidden.toolbars:
                bar.show()  # the window state saved on closing keeps its toolbars
        return True


def install(window: Any) -> AutoLock:
    """Ctrl+L and the idle timer for `window`, and their entries in the 安全 menu."""
    return AutoLock(window)


def controller_of(window: QMainWindow) -> AutoLock:
    found = window.findChild(AutoLock, "autoLock")
    if found is None:
        raise LookupError("auto-lock is not installed on this window")
    return found
