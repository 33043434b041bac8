"""What the sync use cases return and raise, shared by export, provision and import."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from xuncha_desktop.domain.errors import XunchaError
from xuncha_desktop.services.workspace import Workspace
from xuncha_desktop.storage import sync_state


class SyncError(XunchaError):
    pass


@dataclass
class ImportReport:
    """The outcome of one package; field names are the public JSON interface of `import --json`."""

    file: str
    status: str = "rejected"  # imported | already_imported | rejected
    new: int = 0
    updated: int = 0
    unchanged: int = 0
    conflicts: int = 0
    error: str | None = None
    package_id: str = ""
    sender: str = ""
    kind: str = ""
    revisions: int = 0
    by_type: dict[str, dict[str, int]] = field(default_factory=dict)
    needs_confirmation: bool = False  # a copied laptop's new identity: import again with accept_identity
    roster: str = ""  # after a provisioning package: whether this laptop became a roster member's (Chinese)

    def as_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "file": self.file,
            "status": self.status,
            "new": self.new,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "conflicts": self.conflicts,
        }
        if self.error is not None:
            out["error"] = self.error
        out.update(
            package_id=self.package_id,
            sender=self.sender,
            kind=self.kind,
            revisions=self.revisions,
            by_type=self.by_type,
        )
        if self.roster:
            out["roster"] = self.roster
        return out


@dataclass(frozen=True)
class ExportReport:
    file: Path
    package_id: str
    revisions: int
    attachments: int
    size: int
    kind: str


def now() -> str:
    return datetime.now().astimezone().isoformat(timespec="seconds")


def identities(ws: Workspace) -> list[str]:
    """The age identities that open packages for this workspace."""
    with ws.engine.connect() as conn:
        return sync_state.opening_identities(conn)
