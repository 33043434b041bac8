"""sync.export: an unprovisioned laptop cannot export, and a delta leaves out what the office acknowledged."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.builders import PASSPHRASE, draft
from tests.sync_helpers import World
from xuncha_desktop.domain.record_types import DRAFT
from xuncha_desktop.services import sync
from xuncha_desktop.services.packages import open_package
from xuncha_desktop.services.records.record_service import RecordService
from xuncha_desktop.services.workspace import Workspace
from xuncha_desktop.storage.keyfile import KdfParams


def drafts(ws: Workspace) -> RecordService:
    return RecordService(ws, DRAFT)


def test_unprovisioned_laptop_cannot_export(tmp_path: Path) -> None:
    with (
        Workspace.create(tmp_path / "x.xcdb", PASSPHRASE, kdf=KdfParams.cheap()) as ws,
        pytest.raises(sync.SyncError, match="尚未由巡察办配置"),
    ):
        sync.export_package(ws, tmp_path / "x.xcpkg")


def test_delta_export_skips_what_the_office_acknowledged(world: World) -> None:
    a = world.fields[0]
    drafts(a).save(draft(world.ctx))
    sync.import_packages(world.office, [world.export(a)])
    update = world.package_path("office-update")
    sync.provision_package(world.office, update)  # carries the office's knowledge back
    sync.import_packages(a, [update])
    drafts(a).save(draft(world.ctx, title="第二个问题"))
    path = world.export(a)
    contents = open_package(path, sync.identities(world.office))
    assert contents.manifest["kind"] == "delta"
    assert {r["record_type"] for r in contents.revisions} == {"draft"}
    assert len(contents.revisions) == 1
