"""Work packages between laptops and the office (sync.md §3): export, provision, import with preview.

The use cases orchestrate: the package format is services.packages, the checks services.sync.checks, and
every statement on the sync tables is in storage (sync_state, revision_store, materialize, conflict_store).
"""

from __future__ import annotations

from xuncha_desktop.services.sync.export import export_package, wipe_notice
from xuncha_desktop.services.sync.import_ import import_packages
from xuncha_desktop.services.sync.provision import groups, provision_package
from xuncha_desktop.services.sync.reports import ExportReport, ImportReport, SyncError, identities

__all__ = [
    "ExportReport",
    "ImportReport",
    "SyncError",
    "export_package",
    "groups",
    "identities",
    "import_packages",
    "provision_package",
    "wipe_notice",
]
