"""sync.provision: a provisioned laptop has its group's context, and provisioning needs the one-time code."""

from __future__ import annotations

from pathlib import Path

from tests.builders import PASSPHRASE, interview
from tests.sync_helpers import CODE, World
from xuncha_desktop.domain.record_types import INTERVIEW
from xuncha_desktop.services import sync
from xuncha_desktop.services.records.record_service import RecordService
from xuncha_desktop.services.workspace import Workspace
from xuncha_desktop.storage.keyfile import KdfParams


def test_provisioned_laptop_has_the_group_context(world: World) -> None:
    a = world.fields[0]
    assert RecordService(a, INTERVIEW).count() == 0
    saved = RecordService(a, INTERVIEW).save(interview(world.ctx))
    assert saved.number == "2025-3轮-2组-谈话-001"


def test_provision_needs_the_code(world: World, tmp_path: Path) -> None:
    path = tmp_path / "p2.xcpkg"
    sync.provision_package(world.office, path, code=CODE)
    with Workspace.create(tmp_path / "new.xcdb", PASSPHRASE, kdf=KdfParams.cheap()) as ws:
        [missing] = sync.import_packages(ws, [path])
        [wrong] = sync.import_packages(ws, [path], code="错误的配置码")
    assert missing.status == "rejected" and "配置码" in missing.error
    assert wrong.status == "rejected" and "配置码不正确" in wrong.error
