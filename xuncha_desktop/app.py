"""Composition root of the GUI: paths → workspace → QApplication → MainWindow (and the --smoke-test check)."""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication, QWidget

from xuncha_desktop import APP_DISPLAY_NAME, APP_NAME, __version__
from xuncha_desktop.gui.appearance import app_icon, install_font, install_translations
from xuncha_desktop.gui.forms import load_form
from xuncha_desktop.gui.main_window import MainWindow
from xuncha_desktop.gui.workspace_opener import open_workspace
from xuncha_desktop.paths import AppPaths, default_workspace_path, resource_path
from xuncha_desktop.services.workspace import PASSPHRASE_ENV, Workspace
from xuncha_desktop.storage.keyfile import KdfParams

SMOKE_PASSPHRASE = "smoke-test-冒烟口令"


def application() -> QApplication:
    """The one QApplication, set up as the real program has it (names, bundled font, translations, icon)."""
    existing = QApplication.instance()
    if isinstance(existing, QApplication):
        return existing
    QApplication.setOrganizationName(APP_NAME)
    QApplication.setApplicationName(APP_NAME)
    QApplication.setApplicationDisplayName(APP_DISPLAY_NAME)
    QApplication.setApplicationVersion(__version__)
    app = QApplication(sys.argv[:1])
    install_font(app)
    install_translations(app)
    app.setWindowIcon(app_icon())
    return app


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
    app = application()
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
    window.show()
    return app.exec()


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
        workspace = Workspace.create(folder / "冒烟测试.xcdb", SMOKE_PASSPHRASE, kdf=KdfParams.cheap())
        settings = QSettings(str(folder / "界面.ini"), QSettings.Format.IniFormat)
        window = MainWindow(workspace, settings=settings)
        window.show()
        app.processEvents()
        for form in forms:
            host = QWidget()
            load_form(form.name, host)
            host.deleteLater()
        window.close()
        window.deleteLater()
        app.processEvents()
    print(f"SMOKE OK {app.platformName()} {len(forms)} forms, font {app.font().family()}")
    return 0
