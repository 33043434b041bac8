"""Application-wide look: the bundled CJK font, Chinese texts for Qt's own buttons, and the window icon."""

from __future__ import annotations

import sys
from collections.abc import MutableMapping
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


# Texts that newer Qt writes with a mnemonic while its zh_CN catalogue still has them without, so they
# stayed English ("Look in:" in the file dialog): given here, looked up after the catalogues had no answer.
QT_GAPS = {
    ("QFileDialog", "&Look in:"): "查找范围(&L)：",
    ("QFileDialog", "Files of &type:"): "文件类型(&T)：",
}
CHINESE_DATES = "zh_CN.UTF-8"


class _GapTranslator(QTranslator):
    """Answers only QT_GAPS; None (no answer) for everything else, so the catalogues are asked."""

    def translate(
        self, context: str, source: str, disambiguation: str | None = None, n: int = -1
    ) -> str | None:
        return QT_GAPS.get((context, source))

    def isEmpty(self) -> bool:
        return False


def prefer_chinese_system_dates(environ: MutableMapping[str, str]) -> bool:
    """Dates Qt formats in the system's way (the file dialog's 修改日期) in Chinese order on Linux too, where
    the desktop may run in the C or an English locale; True when LC_TIME was set. Call before the
    QApplication exists. Windows takes them from the user's regional settings; LC_ALL is left alone."""
    if sys.platform == "win32" or environ.get("LC_ALL"):
        return False
    current = environ.get("LC_TIME") or environ.get("LANG") or ""
    if current.startswith("zh_"):
        return False
    environ["LC_TIME"] = CHINESE_DATES
    return True


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
    app.installTranslator(_GapTranslator(app))  # asked after the catalogues installed below
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
