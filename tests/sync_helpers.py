"""A small world of one office and field laptops, and a logical dump to compare workspaces."""

from __future__ import annotations

import json
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import select

from tests.builders import PASSPHRASE, Context, make_context
from xuncha_desktop.domain.organization import InspectionGroup, InspectionRound, TargetUnit
from xuncha_desktop.domain.record_types import GROUP, ROUND, TARGET
from xuncha_desktop.services import sync
from xuncha_desktop.services.records.record_service import RecordService
from xuncha_desktop.services.workspace import Workspace
from xuncha_desktop.storage.keyfile import KdfParams
from xuncha_desktop.storage.tables import BUSINESS_TABLES, sync_conflict, sync_revision

CODE = "配置码-2025-0301"
# Columns that legitimately differ between workspaces holding the same revisions (local bookkeeping).
LOCAL_COLUMNS = {
    "detected_at",
    "detected_package",
    "resolved_at",
    "resolved_by",
    "received_package",
    "received_at",
}


@dataclass
class World:
    root: Path
    office: Workspace
    ctx: Context
    fields: list[Workspace]
    counter: int = 0

    def package_path(self, stem: str) -> Path:
        self.counter += 1
        return self.root / f"{self.counter:03d}-{stem}.xcpkg"

    def export(self, ws: Workspace, *, full: bool = False) -> Path:
        path = self.package_path(ws.path.stem)
        sync.export_package(ws, path, full=full)
        return path

    def close(self) -> None:
        for ws in (self.office, *self.fields):
            ws.close()


def build_world_files(root: Path, n_fields: int = 2) -> None:
    """An office with one round, group and unit, and laptops provisioned from it, saved as closed files.

    Provisioning uses age's scrypt-protected code, which is deliberately slow (seconds), so tests build
    this once and copy the files.
    """
    root.mkdir(parents=True, exist_ok=True)
    office = Workspace.create(root / "巡察办.xcdb", PASSPHRASE, office=True, kdf=KdfParams.cheap())
    make_context(office)
    provision = root / "provision.xcpkg"
    sync.provision_package(office, provision, code=CODE)
    office.close()
    for i in range(n_fields):
        ws = Workspace.create(
            root / f"组员{i + 1}.xcdb",
            PASSPHRASE,
            user_name=f"组员{i + 1}",
            role="组员",
            kdf=KdfParams.cheap(),
        )
        [report] = sync.import_packages(ws, [provision], code=CODE)
        assert report.status == "imported", report.error
        ws.close()
    for leftover in root.glob("**/备份"):
        shutil.rmtree(leftover)


def open_world(template: Path, root: Path) -> World:
    """A private copy of the template world, opened."""
    shutil.copytree(template, root, dirs_exist_ok=True)
    office = Workspace.open(root / "巡察办.xcdb", PASSPHRASE)
    rnd = RecordService[InspectionRound](office, ROUND).list()[0]
    grp = RecordService[InspectionGroup](office, GROUP).list()[0]
    tgt = RecordService[TargetUnit](office, TARGET).list()[0]
    fields = [Workspace.open(p, PASSPHRASE) for p in sorted(root.glob("组员*.xcdb"))]
    return World(root, office, Context(rnd, grp, tgt), fields)


def dump(ws: Workspace, *, with_revisions: bool = True) -> dict[str, Any]:
    """Business tables, open conflicts and revisions as plain data, without local bookkeeping columns."""
    out: dict[str, Any] = {}
    with ws.engine.connect() as conn:
        for key, table in sorted(BUSINESS_TABLES.items()):
            rows = conn.execute(select(table).order_by(table.c.id)).all()
            out[key] = [
                json.dumps(r._asdict(), default=str, sort_keys=True, ensure_ascii=False) for r in rows
            ]
        conflicts = conn.execute(select(sync_conflict).order_by(sync_conflict.c.id)).all()
        out["conflicts"] = [
            {k: v for k, v in r._asdict().items() if k not in LOCAL_COLUMNS} for r in conflicts
        ]
        if with_revisions:
            out["revisions"] = sorted(r.rev_id for r in conn.execute(select(sync_revision.c.rev_id)))
    return out
