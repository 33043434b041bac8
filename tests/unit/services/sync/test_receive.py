"""sync.receive: of a package's revisions only those new here are taken, each as received; the ones held
already are skipped but still counted as seen, and a counter used again under one identity is refused."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.builders import PASSPHRASE, draft
from tests.sync_helpers import World
from xuncha_desktop.domain.record_types import DRAFT
from xuncha_desktop.services import sync
from xuncha_desktop.services.packages import PackageError, open_package
from xuncha_desktop.services.progress import NullProgress
from xuncha_desktop.services.records.record_service import RecordService
from xuncha_desktop.services.sync.checks import admit
from xuncha_desktop.services.sync.receive import receive
from xuncha_desktop.services.sync.reports import identities
from xuncha_desktop.services.workspace import Workspace
from xuncha_desktop.storage import sync_state
from xuncha_desktop.storage.keyfile import keyfile_path

AT = "2025-03-01T10:00:00+08:00"


def _receive(world: World, package, lines=None):  # type: ignore[no-untyped-def]
    """What the office would take from `package` (on a transaction rolled back afterwards)."""
    contents = open_package(package, identities(world.office), None)
    with world.office.engine.connect() as conn, conn.begin() as tx:
        me = sync_state.this_replica(conn)
        keys, _ = admit(conn, me, contents, accept_identity=False, user="office", at=AT)
        try:
            return contents, receive(
                conn, me, contents.manifest, lines or contents.revisions, keys, AT, NullProgress()
            )
        finally:
            tx.rollback()


def test_new_revisions_are_taken_as_received_and_held_ones_skipped(world: World) -> None:
    laptop = world.fields[0]
    saved = RecordService(laptop, DRAFT).save(draft(world.ctx, title="新底稿"))
    package = world.export(laptop)
    contents, got = _receive(world, package)
    mine = [r for r in got.revs if r["record_id"] == saved.id]
    assert len(mine) == 1 and mine[0]["received_package"] == contents.manifest["package_id"]
    assert (DRAFT.key, saved.id) in got.touched
    assert mine[0]["rev_id"] == saved.meta.head_rev and mine[0]["received_at"] == AT
    sync.import_packages(world.office, [package])
    _, again = _receive(world, world.export(laptop, full=True))
    assert again.revs == [] and again.touched == {}
    assert again.seen  # held revisions still count as known


def test_a_counter_used_again_under_the_same_identity_is_refused(world: World, tmp_path: Path) -> None:
    """A laptop's workspace copied to a second one: both use the same next counter for different revisions."""
    original = world.fields[0]
    original.close()
    clone = tmp_path / "复制机.xcdb"
    shutil.copy(original.path, clone)
    shutil.copy(keyfile_path(original.path), keyfile_path(clone))
    packages = []
    for path, title in ((original.path, "原机新增"), (clone, "复制机新增")):
        with Workspace.open(path, PASSPHRASE) as ws:
            RecordService(ws, DRAFT).save(draft(world.ctx, title=title))
            packages.append(world.export(ws))
    sync.import_packages(world.office, [packages[0]])
    with pytest.raises(PackageError, match="检测到复制的工作库"):
        _receive(world, packages[1])


def test_a_held_revision_sent_again_is_not_checked_again(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A laptop's packages repeat what the office has not acknowledged yet: a line whose origin counter the
    office holds under the same rev_id (which commits to origin, header and body) is a revision checked when
    it came. It is not verified or read again, and nothing of it is stored a second time."""
    import base64

    from xuncha_desktop.services.sync import checks

    laptop = world.fields[0]
    saved = RecordService(laptop, DRAFT).save(draft(world.ctx, title="再次发送"))
    sync.import_packages(world.office, [world.export(laptop)])
    package = world.export(laptop, full=True)
    verified: list[bytes] = []
    real = checks.verify_signature
    monkeypatch.setattr(checks, "verify_signature", lambda k, s, m: verified.append(m) or real(k, s, m))
    contents, got = _receive(world, package)
    revisions_checked = lambda: [m for m in verified if not m.startswith(b"{")]  # not the manifest's  # noqa: E731
    assert got.revs == [] and got.seen and revisions_checked() == []
    lines = [dict(line) for line in contents.revisions]
    mine = next(line for line in lines if line["rev_id"] == saved.meta.head_rev)
    mine["origin_sig"] = base64.b64encode(b"\0" * 64).decode("ascii")  # whatever it carries: not used
    _, again = _receive(world, package, lines)
    assert again.revs == [] and again.seen == got.seen and revisions_checked() == []


def test_a_held_line_with_another_counter_is_checked_and_refused(world: World) -> None:
    """Held means: this counter of this origin is held here under this very rev_id. A line whose counter was
    altered is no longer that, so it is checked in full, and its rev_id no longer matches its header."""
    laptop = world.fields[0]
    saved = RecordService(laptop, DRAFT).save(draft(world.ctx, title="计数"))
    sync.import_packages(world.office, [world.export(laptop)])
    package = world.export(laptop, full=True)
    contents, _ = _receive(world, package)
    lines = [dict(line) for line in contents.revisions]
    mine = next(line for line in lines if line["rev_id"] == saved.meta.head_rev)
    mine["origin_counter"] = int(mine["origin_counter"]) + 1000
    with pytest.raises(PackageError, match="校验值不符"):
        _receive(world, package, lines)
