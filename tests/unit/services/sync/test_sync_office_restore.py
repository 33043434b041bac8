"""The office restores a backup from before an import: every laptop sends again what the office lost."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select, update

from tests.builders import PASSPHRASE, draft
from tests.sync_helpers import World
from xuncha_desktop.domain.record_types import DRAFT
from xuncha_desktop.services import sync
from xuncha_desktop.services.records.record_service import RecordService
from xuncha_desktop.services.security import backups
from xuncha_desktop.services.security.integrity import check_workspace
from xuncha_desktop.services.workspace import Workspace
from xuncha_desktop.storage.backup import list_backups
from xuncha_desktop.storage.tables import sync_peer_ack


def _provision(world: World) -> Path:
    path = world.package_path("office-update")
    sync.provision_package(world.office, path)
    return path


def _backup_office(world: World) -> None:
    """A backup before the office's first import (imports keep an undo journal, not a whole copy)."""
    backups.take_backup(world.office, "手动")


def _restore_office(world: World) -> None:
    """Restore the backup the office took before its first import (the state before it saw the laptop)."""
    path = world.office.path
    [before_import] = list_backups(path)
    world.office.close()
    report = backups.restore(before_import.path, path, PASSPHRASE)
    assert report.incarnation == report.incarnation_before + 1
    world.office = Workspace.open(path, PASSPHRASE)


def _office_holds(world: World, record_id: str) -> bool:
    return any(d.id == record_id for d in RecordService(world.office, DRAFT).list())


def test_a_record_the_restored_office_lost_is_sent_again(world: World) -> None:
    a = world.fields[0]
    made = RecordService(a, DRAFT).save(draft(world.ctx, title="只在恢复前到过巡察办的问题"))
    _backup_office(world)
    [first] = sync.import_packages(world.office, [world.export(a)])
    assert first.status == "imported" and _office_holds(world, made.id)
    [ack] = sync.import_packages(a, [_provision(world)])  # the laptop learns the office holds it
    assert ack.status == "imported"
    _restore_office(world)
    assert not _office_holds(world, made.id)
    [after_restore] = sync.import_packages(a, [_provision(world)])
    assert after_restore.status == "imported"
    [delta] = sync.import_packages(world.office, [world.export(a)])
    assert delta.status == "imported"
    assert _office_holds(world, made.id)
    assert check_workspace(world.office) == []


def test_a_late_package_from_before_the_restore_does_not_hide_what_was_lost(world: World) -> None:
    a = world.fields[0]
    made = RecordService(a, DRAFT).save(draft(world.ctx))
    _backup_office(world)
    sync.import_packages(world.office, [world.export(a)])
    old_update = _provision(world)  # says the office holds the draft; imported only at the end
    _restore_office(world)
    new_update = _provision(world)
    assert [r.status for r in sync.import_packages(a, [new_update, old_update])] == ["imported"] * 2
    sync.import_packages(world.office, [world.export(a)])
    assert _office_holds(world, made.id)
    with a.engine.connect() as conn:
        stored = conn.execute(select(sync_peer_ack.c.peer_incarnation)).scalars().all()
    assert stored == [world.office.info.incarnation]


def test_an_acknowledgement_stored_before_incarnations_were_tagged_is_replaced(world: World) -> None:
    """A workspace upgraded from schema 2 has acknowledgements without the office's incarnation."""
    a = world.fields[0]
    made = RecordService(a, DRAFT).save(draft(world.ctx))
    _backup_office(world)
    sync.import_packages(world.office, [world.export(a)])
    sync.import_packages(a, [_provision(world)])
    with a.engine.begin() as conn:
        conn.execute(update(sync_peer_ack).values(peer_incarnation=None))
    _restore_office(world)
    sync.import_packages(a, [_provision(world)])
    sync.import_packages(world.office, [world.export(a)])
    assert _office_holds(world, made.id)
