"""Application-wide look: the bundled CJK font, Chinese texts for Qt's own buttons, and the window icon."""

from __future__ import annotations

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


def install_translations(app: QApplication) -> None:
    """Qt's own texts (OK/Cancel, Yes/No, context menus) in Chinese."""
    translator = QTranslator(app)  # parented to the app: it must outlive this call
    folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    if translator.load(QLocale(QLocale.Language.Chinese, QLocale.Country.China), "qtbase", "_", folder):
        app.installTranslator(translator)


def app_icon() -> QIcon:
    return QIcon(str(resource_path("resources", "icons", "app.png")))
