"""Opening a workspace interactively: 登录名 and 口令 (with a growing wait after wrong ones; the last login
is remembered in the UI settings), creating a missing file, restoring a damaged one from a backup, and the
checks that run after a start."""

from __future__ import annotations

import contextlib
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QSettings, QThreadPool, Signal
from PySide6.QtWidgets import QDialog, QMessageBox, QWidget

from xuncha_desktop.domain.errors import NoPassphraseYet, WrongPassphrase, XunchaError
from xuncha_desktop.gui import messages
from xuncha_desktop.gui.dialogs import passphrase_dialog
from xuncha_desktop.gui.dialogs.passphrase_dialog import Credentials, PassphraseDialog
from xuncha_desktop.services.security import keys, sign_in_attempts
from xuncha_desktop.services.workspace import Workspace, check_passphrase
from xuncha_desktop.services.workspace import exists as workspace_exists

if TYPE_CHECKING:
    from xuncha_desktop.gui.main_window import MainWindow
    from xuncha_desktop.services.security.health import StartupReport

OPEN_FAILED = "无法打开工作库"
WRONG = "口令不正确，请重新输入。"
BACKUP_FAILED = "自动备份未完成"
LAST_LOGIN_KEY = "signIn/lastLogin"  # a login, never record text


# -- dialogs (monkeypatch targets in tests) --------------------------------------------------------------
def exec_dialog(dialog: QDialog) -> bool:
    return dialog.exec() == QDialog.DialogCode.Accepted


def ask_unlock(
    parent: QWidget | None, path: Path, *, login: str = "", error: str = "", wait: float = 0.0
) -> Credentials | None:
    """登录名 and 口令, or None when the user cancels; while a wait is in force 解锁 counts down first."""
    if wait <= 0:
        return passphrase_dialog.ask_passphrase(parent, path, error=error, login=login)
    dialog = PassphraseDialog(
        f"请输入您的登录名和口令，登录工作库“{path.name}”：",
        error=error,
        parent=parent,
        wait_seconds=wait,
        key_file_name=f"{path.name}.key",
        login=login,
    )
    return dialog.credentials() if exec_dialog(dialog) else None


def default_settings() -> QSettings:
    """The application's UI settings, where the last login is kept (tests point this elsewhere)."""
    return QSettings()


def last_login(settings: QSettings) -> str:
    value = settings.value(LAST_LOGIN_KEY, "")
    return value if isinstance(value, str) else ""


def remember_login(settings: QSettings, login: str) -> None:
    settings.setValue(LAST_LOGIN_KEY, login)
    settings.sync()


def ask_restore_damaged(parent: QWidget | None, text: str) -> bool:
    answer = QMessageBox.warning(
        parent,
        "工作库文件可能已损坏",
        f"{text}\n\n建议立即从备份恢复（当前文件会改名保留，不会删除）。是否现在打开“备份与恢复”？",
        QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
        QMessageBox.StandardButton.Yes,
    )
    return answer == QMessageBox.StandardButton.Yes


# -- opening ---------------------------------------------------------------------------------------------
def open_workspace(
    parent: QWidget | None,
    path: Path,
    passphrase: str | None = None,
    *,
    user: str | None = None,
    guard: sign_in_attempts.AttemptGuard | None = None,
    settings: QSettings | None = None,
) -> Workspace | None:
    """The opened workspace, or None when the user gave up (every failure has been shown to them).

    A given passphrase (XUNCHA_PASSPHRASE) is tried once, for `user` (else XUNCHA_USER, else whoever's slot
    it opens); after that the user is asked for 登录名 and 口令, the login prefilled with `user` or the last
    one used. Wrong pairs make the next attempt wait (AttemptGuard); a damaged or foreign file offers
    its backups."""
    path = Path(path)
    settings = settings if settings is not None else default_settings()
    if not workspace_exists(path):  # an interrupted restore is finished by opening, not replaced
        if not messages.ask_create_workspace(parent, path):
            return None
        created = create_workspace(parent, path, user)
        if created is not None:
            remember_login(settings, created.user.login)
        return created
    try:
        Workspace.check_not_in_use(path)  # before asking for the passphrase
    except XunchaError as exc:
        messages.show_error(parent, OPEN_FAILED, str(exc))
        return None
    guard = guard or sign_in_attempts.AttemptGuard()
    error, login = "", user if user is not None else last_login(settings)
    who: str | None
    while True:
        if passphrase is None:
            answer = ask_unlock(parent, path, login=login, error=error, wait=guard.remaining(path))
            if answer is None:
                return None
            login = answer.login
            secret, who = answer.passphrase, answer.login
        else:
            secret, passphrase, who = passphrase, None, user
        try:
            opened = keys.open_workspace(path, secret, user_login=who, guard=guard)
        except sign_in_attempts.TooManyAttempts as exc:
            error = f"{exc}。"
            continue
        except WrongPassphrase as exc:
            error = WRONG if str(exc) == "口令不正确" else f"{exc}。"
            continue
        except NoPassphraseYet as exc:
            error = f"{exc}。"
            continue
        except keys.NeedsRestore as exc:
            return _offer_backups(parent, path, exc, secret, who)
        except XunchaError as exc:
            messages.show_error(parent, OPEN_FAILED, str(exc))
            return None
        remember_login(settings, opened.user.login)
        return opened


def _offer_backups(
    parent: QWidget | None, path: Path, problem: keys.NeedsRestore, secret: str, user: str | None
) -> Workspace | None:
    if not problem.backups:
        messages.show_error(parent, OPEN_FAILED, str(problem))
        return None
    from xuncha_desktop.gui.dialogs import backup_dialog

    return backup_dialog.offer_restore(parent, path, str(problem), problem.backups, secret, user=user)


def create_workspace(parent: QWidget | None, path: Path, user: str | None = None) -> Workspace | None:
    """A new workspace at `path` with a passphrase typed twice; None when the user gave up."""
    error = ""
    while True:
        secret = passphrase_dialog.ask_new_passphrase(parent, path, error=error)
        if secret is None:
            return None
        try:
            check_passphrase(secret)
        except XunchaError as exc:
            error = str(exc)
            continue
        try:
            return Workspace.create(path, secret, user_name=user or "")
        except XunchaError as exc:
            messages.show_error(parent, "无法新建工作库", str(exc))
            return None


# -- after a start ---------------------------------------------------------------------------------------
class StartupChecker(QObject):
    """Runs services.health.StartupCheck for the window's workspace on a thread of its own (not the shared
    pool the lists count with: on a large office workspace it takes half a minute) and shows the result."""

    _done = Signal(object)  # emitted on the worker thread → queued to the GUI thread

    def __init__(self, window: MainWindow) -> None:
        from xuncha_desktop.services.security.health import StartupCheck

        super().__init__(window)
        self._window = window
        self._workspace = window.workspace
        self._check = StartupCheck(self._workspace)
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(1)
        self._done.connect(self._show)

    def start(self) -> None:
        check, done = self._check, self._done

        def run() -> None:
            try:
                report = check.run()
            except Exception:  # e.g. the workspace was closed meanwhile: nobody needs the answer
                return
            with contextlib.suppress(RuntimeError):  # the window is gone
                done.emit(report)

        self._pool.start(run)

    def stop(self) -> None:
        """Interrupt a check still running and wait for the thread (before the program exits)."""
        self._check.stop()
        with contextlib.suppress(RuntimeError):  # the window, and this with it, was deleted: nothing runs
            self._pool.waitForDone()

    def _show(self, report: StartupReport) -> None:
        show_check_result(self._window, self._workspace, report)


def check_after_start(window: MainWindow) -> StartupChecker:
    """In the background: SQLite's quick_check of the window's workspace, then the daily backup. Damage is
    reported with an offer to restore; call stop() before the program exits."""
    checker = StartupChecker(window)
    checker.start()
    return checker


def show_check_result(window: MainWindow, workspace: Workspace, report: StartupReport) -> None:
    if report.interrupted or window.workspace is not workspace:
        return  # closing, or another workspace is shown by now
    if report.damaged:
        if ask_restore_damaged(window, report.damage_text(workspace.path.name)):
            from xuncha_desktop.gui.dialogs import backup_dialog

            backup_dialog.open_dialog(window)
    elif report.backup_error:
        messages.show_error(window, BACKUP_FAILED, report.backup_error)
    elif report.backup is not None:
        window.statusBar().showMessage(f"已完成今天的自动备份：{report.backup.name}", 8000)
