"""Application-wide look: the bundled CJK font, Chinese texts for Qt's own buttons, and the window icon."""

from __future__ import annotations

import sys
from pathlib import Path

import PySide6
from PySide6.QtCore import QLibraryInfo, QLocale, QTranslator
from PySide6.QtGui import QFont, QFontDatabase, QIcon
from PySide6.QtWidgets import QApplication

from xuncha_desktop.paths import resource_path

BUNDLED_FONT = resource_path("resources", "fonts", "wqy-microhei.ttc")
# Preferred when installed: the usual Chinese UI fonts of Windows, macOS and Linux, then the bundled one.
PREFERRED_FAMILIES = (
    "Microsoft YaHei UI",
    "Microsoft YaHei",
    "PingFang SC",
    "Noto Sans CJK SC",
    "Source Han Sans SC",
    "WenQuanYi Micro Hei",
)


def _writes_chinese(family: str) -> bool:
    return QFontDatabase.WritingSystem.SimplifiedChinese in QFontDatabase.writingSystems(family)


def register_bundled_font() -> list[str]:
    """Make the shipped font available to Qt, so Chinese renders on machines without any CJK font."""
    if not BUNDLED_FONT.is_file():
        return []
    font_id = QFontDatabase.addApplicationFont(str(BUNDLED_FONT))
    return QFontDatabase.applicationFontFamilies(font_id) if font_id >= 0 else []


def install_font(app: QApplication) -> str:
    """Register the bundled font and make sure the default font writes Chinese; returns the family used."""
    bundled = register_bundled_font()
    font = QFont(app.font())
    if _writes_chinese(font.family()):
        return font.family()
    installed = set(QFontDatabase.families())
    for family in (*PREFERRED_FAMILIES, *bundled):
        if family in installed and _writes_chinese(family):
            font.setFamily(family)
            app.setFont(font)
            return family
    return font.family()


CHINA = QLocale(QLocale.Language.Chinese, QLocale.Country.China)
# Qt's own catalogues: qtbase holds the file dialogs ("查找范围"), standard buttons and the text boxes'
# context menus; the frozen build ships these files (build_installer.spec).
QT_CATALOGUES = ("qtbase",)


def translation_folders() -> list[Path]:
    """Where Qt's .qm files may be: Qt's own folder, then PySide6's (a frozen build lays them out there)."""
    folders = [Path(QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath))]
    frozen = getattr(sys, "_MEIPASS", None)
    if frozen:
        folders.append(Path(frozen) / "PySide6" / "Qt" / "translations")
    folders.append(Path(PySide6.__file__).parent / "Qt" / "translations")
    return folders


def install_translations(app: QApplication) -> list[str]:
    """Qt's own texts (OK/Cancel, file dialogs, context menus) in Chinese, and Chinese as the default locale
    (dates in Chinese order even where a date edit keeps Qt's format); returns the catalogues loaded."""
    QLocale.setDefault(CHINA)
    loaded = []
    for catalogue in QT_CATALOGUES:
        translator = QTranslator(app)  # parented to the app: it must outlive this call
        for folder in translation_folders():
            if translator.load(CHINA, catalogue, "_", str(folder)):
                app.installTranslator(translator)
                loaded.append(catalogue)
                break
    return loaded


def app_icon() -> QIcon:
    return QIcon(str(resource_path("resources", "icons", "app.png")))
