"""The folder an export dialog opens in, remembered between sessions, and the once-per-folder warning before
an unencrypted file goes into a folder a cloud client synchronises (services/export_folders.py says why)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QWidget

from xuncha_desktop.gui import messages
from xuncha_desktop.paths import AppPaths
from xuncha_desktop.services.output.export_folders import cloud_service, default_export_dir

LAST_FOLDER_KEY = "export/last_folder"
WARNED_KEY = "export/cloud_warned"


def _settings(parent: QWidget | None) -> QSettings:
    """The main window's settings (tests give it its own file); QSettings() when there is no window."""
    widget = parent
    while widget is not None:
        settings = getattr(widget, "settings", None)
        if isinstance(settings, QSettings):
            return settings
        widget = widget.parentWidget()
    return QSettings()


def start_folder(parent: QWidget | None) -> Path:
    """Where a save or open dialog for exports and imports starts."""
    last = str(_settings(parent).value(LAST_FOLDER_KEY, "", str) or "")
    return default_export_dir(Path(last) if last else None, AppPaths.create().data_dir)


def remember(parent: QWidget | None, chosen: Path) -> None:
    _settings(parent).setValue(LAST_FOLDER_KEY, str(chosen.parent if chosen.suffix else chosen))


def accept(parent: QWidget | None, chosen: Path, *, encrypted: bool) -> bool:
    """Remember the folder of a chosen file; for an unencrypted file in a synchronised folder ask once per
    folder. False when the user would rather not save there."""
    remember(parent, chosen)
    if encrypted:
        return True
    folder = chosen.parent
    service = cloud_service(folder)
    if service is None:
        return True
    settings = _settings(parent)
    stored = settings.value(WARNED_KEY, [], list)
    warned = {str(folder) for folder in stored} if isinstance(stored, list) else set()
    if str(folder) in warned:
        return True
    if not messages.confirm_cloud_folder(parent, folder, service):
        return False
    settings.setValue(WARNED_KEY, sorted(warned | {str(folder)}))
    return True
