"""Where exported files go by default, and which folders a cloud client copies off the machine.

Exports (PDFs, ledgers, packages, reports) start in the user's Documents folder, or the folder last used,
never in the hidden per-user data folder that holds the workspace: a user would not find them there, and a
file dialog that reads the workspace's folder is what let other processes take the workspace's locks.
A PDF or a ledger is not encrypted; saved into a folder OneDrive (or a similar client) synchronises, it
leaves the machine, so the GUI warns once per such folder.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

import platformdirs

# Environment variables the OneDrive client sets to its roots (personal, work or school).
ONEDRIVE_VARIABLES = ("OneDrive", "OneDriveConsumer", "OneDriveCommercial")
# Folder names of sync clients common on Chinese office machines, as they appear in a path.
SYNCED_FOLDER_NAMES = {
    "onedrive": "OneDrive",
    "坚果云": "坚果云",
    "nutstore": "坚果云",
    "百度网盘": "百度网盘",
    "baidunetdisk": "百度网盘",
    "wps云文档": "WPS 云文档",
    "wpsdrive": "WPS 云文档",
    "icloud drive": "iCloud",
    "iclouddrive": "iCloud",
    "dropbox": "Dropbox",
}


def documents_dir() -> Path:
    """The user's Documents folder as the system knows it (a redirected one on Windows included)."""
    return Path(platformdirs.user_documents_dir())


def _inside(path: Path, folder: Path) -> bool:
    try:
        path.resolve().relative_to(folder.resolve())
    except (ValueError, OSError):
        return False
    return True


def default_export_dir(last: Path | None, hidden: Path) -> Path:
    """The folder last used when it still exists and is not inside `hidden` (the data folder), else
    Documents, else the home folder."""
    if last is not None and last.is_dir() and not _inside(last, hidden):
        return last
    documents = documents_dir()
    if documents.is_dir() and not _inside(documents, hidden):
        return documents
    return Path.home()


def cloud_service(folder: Path, environ: Mapping[str, str] | None = None) -> str | None:
    """The name of the sync client that copies `folder` off the machine, or None."""
    environ = os.environ if environ is None else environ
    for variable in ONEDRIVE_VARIABLES:
        root = environ.get(variable)
        if root and _inside(folder, Path(root)):
            return "OneDrive"
    for part in Path(folder).parts:
        name = part.lower()
        for marker, service in SYNCED_FOLDER_NAMES.items():
            if name == marker or name.startswith(f"{marker} -") or name.startswith(f"{marker}-"):
                return service
    return None
