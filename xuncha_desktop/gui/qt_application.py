"""The one QApplication, set up as the real program has it; light to import (nothing of the window)."""

from __future__ import annotations

import os
import sys
from pathlib import Path

from PySide6.QtCore import QLibraryInfo
from PySide6.QtWidgets import QApplication

from xuncha_desktop import APP_DISPLAY_NAME, APP_NAME, __version__
from xuncha_desktop.gui import startup_collector
from xuncha_desktop.gui.appearance import (
    app_icon,
    install_font,
    install_translations,
    prefer_chinese_system_dates,
)
from xuncha_desktop.gui.input_method import prefer_working_input_method


def application() -> QApplication:
    """The one QApplication, set up as the real program has it (names, bundled font, translations, icon)."""
    existing = QApplication.instance()
    if isinstance(existing, QApplication):
        return existing
    prefer_chinese_system_dates(os.environ)  # first: Qt reads the locale once (QLibraryInfo already does)
    QApplication.setOrganizationName(APP_NAME)
    QApplication.setApplicationName(APP_NAME)
    QApplication.setApplicationDisplayName(APP_DISPLAY_NAME)
    QApplication.setApplicationVersion(__version__)
    if sys.platform.startswith("linux"):
        plugins = Path(QLibraryInfo.path(QLibraryInfo.LibraryPath.PluginsPath)) / "platforminputcontexts"
        prefer_working_input_method(plugins)
    app = QApplication(sys.argv[:1])
    install_font(app)
    install_translations(app)
    app.setWindowIcon(app_icon())
    startup_collector.pause()  # until the main window's first paint
    return app
