"""Composition root of the GUI: paths → workspace → QApplication → MainWindow (and the --smoke-test check)."""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

from PySide6.QtCore import QSettings, QThreadPool
from PySide6.QtWidgets import QApplication, QTabWidget, QWidget

from xuncha_desktop.diagnostics import setup_logging
from xuncha_desktop.gui import last_resort
from xuncha_desktop.gui.forms import load_form
from xuncha_desktop.gui.main_window import MainWindow
from xuncha_desktop.gui.qt_application import application
from xuncha_desktop.gui.workspace_opener import check_after_start, open_workspace
from xuncha_desktop.paths import AppPaths, default_workspace_path, resource_path
from xuncha_desktop.services.workspace import PASSPHRASE_ENV, Workspace
from xuncha_desktop.storage.keyfile import KdfParams

SMOKE_PASSPHRASE = "smoke-test-冒烟口令"


def run_gui(
    db_path: Path | None,
    passphrase: str | None,
    *,
    smoke_test: bool = False,
    user: str | None = None,
) -> int:
    """Open the workspace at `db_path` (default: the per-user data folder) in the main window; exit code."""
    if smoke_test:
        return smoke_check()
    setup_logging()  # the windowed program has no console: errors go to the per-user log folder
    app = application()
    last_resort.install()  # an uncaught exception: one Chinese line, never its text or a traceback
    paths = AppPaths.create()
    db_path = Path(db_path or default_workspace_path(paths)).absolute()
    if db_path.parent == paths.data_dir:
        paths.ensure()  # the default folder is made on first use; a folder the user named must exist
    if passphrase is None:
        passphrase = os.environ.get(PASSPHRASE_ENV) or None
    workspace = open_workspace(None, db_path, passphrase, user=user)
    if workspace is None:
        return 1
    window = MainWindow(workspace)
    window.show_remembered()
    checker = check_after_start(window)  # quick_check and the daily backup, in the background
    code = app.exec()
    checker.stop()  # a check still running on a large workspace must not outlive the interpreter
    QThreadPool.globalInstance().waitForDone()
    return code


def _show_every_tab(tabs: QTabWidget, app: QApplication) -> None:
    for index in range(tabs.count()):
        tabs.setCurrentIndex(index)
        app.processEvents()
        inner = tabs.widget(index)
        for nested in [inner, *inner.findChildren(QTabWidget)] if inner is not None else []:
            if isinstance(nested, QTabWidget) and nested is not tabs:
                for sub in range(nested.count()):
                    nested.setCurrentIndex(sub)
                    app.processEvents()


def smoke_check() -> int:
    """Start (offscreen unless QT_QPA_PLATFORM says otherwise), open a throw-away workspace, build the main
    window and load every form; 0 when all of it works.

    Run against the frozen build: missing data files and Qt plugins only show up there.
    """
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")  # an explicit platform (xcb under Xvfb) is tested
    app = application()
    forms = sorted(resource_path("ui").glob("*.ui"))
    if not forms:
        print(f"SMOKE FAILED: no forms in {resource_path('ui')}", file=sys.stderr)
        return 1
    with tempfile.TemporaryDirectory(prefix="xuncha-smoke-", ignore_cleanup_errors=True) as tmp:
        folder = Path(tmp)
        settings = QSettings(str(folder / "界面.ini"), QSettings.Format.IniFormat)
        # A field laptop's window and the office's, every tab shown: the office's areas (计划, 整改, 统计)
        # are built only when first shown, and only a shown tab proves its modules and Qt parts shipped.
        for name, office in (("冒烟测试.xcdb", False), ("冒烟测试巡察办.xcdb", True)):
            workspace = Workspace.create(
                folder / name, SMOKE_PASSPHRASE, office=office, kdf=KdfParams.cheap()
            )
            window = MainWindow(workspace, settings=settings)
            window.show()
            _show_every_tab(window.tabs, app)
            window.close()
            window.deleteLater()
            app.processEvents()
        for form in forms:
            host = QWidget()
            load_form(form.name, host)
            host.deleteLater()
        app.processEvents()
    print(f"SMOKE OK {app.platformName()} {len(forms)} forms, font {app.font().family()}")
    return 0
