"""撤销本次导入: the import's undo journal puts back every row the import wrote, and nothing else."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from tests.builders import PASSPHRASE, draft, interview, lead
from tests.sync_helpers import World
from tests.undo_helpers import comparable, dump_everything, without_undo_entry
from xuncha_desktop.domain.errors import WorkspaceError
from xuncha_desktop.domain.record_types import DRAFT, INTERVIEW, LEAD
from xuncha_desktop.services import sync
from xuncha_desktop.services.records.attachments import AttachmentService
from xuncha_desktop.services.records.record_service import RecordService
from xuncha_desktop.services.security.audit_log import AuditLog
from xuncha_desktop.services.security.integrity import check_workspace
from xuncha_desktop.services.sync import import_undo
from xuncha_desktop.services.workspace import Workspace
from xuncha_desktop.storage import undo_journal
from xuncha_desktop.storage.backup import backup_dir, list_backups


def _journals(ws: Workspace) -> list[Path]:
    return sorted(backup_dir(ws.path).glob(f"{ws.path.stem}.*{undo_journal.SUFFIX}"))


def _shared_then_changed(world: World) -> tuple[Path, list[Path]]:
    """Records the office already holds (one edited on both sides), then two packages that add, change,
    delete, attach and conflict; returns the office's first package and the two to regret."""
    a, b = world.fields[:2]
    kept = RecordService(a, DRAFT).save(draft(world.ctx, title="原有底稿"))
    talk = RecordService(a, INTERVIEW).save(interview(world.ctx))
    first = world.export(a)
    sync.import_packages(world.office, [first])
    sync.import_packages(b, [first])
    RecordService(world.office, DRAFT).save(dataclasses.replace(kept, title="巡察办修改后的底稿"))
    RecordService(a, DRAFT).save(dataclasses.replace(kept, title="组员修改后的底稿"))  # a hard conflict
    RecordService(a, INTERVIEW).delete(talk.id)
    new_lead = RecordService(a, LEAD).save(lead(world.ctx))
    AttachmentService(a).add("lead", new_lead.id, "附件.txt", "附件内容".encode())
    RecordService(b, DRAFT).save(draft(world.ctx, title="第二台电脑的新底稿"))
    return first, [world.export(a), world.export(b)]


def test_undo_puts_back_every_table_search_index_and_audit(world: World) -> None:
    _first, packages = _shared_then_changed(world)
    before = dump_everything(world.office)
    reports = sync.import_packages(world.office, packages)
    assert [r.status for r in reports] == ["imported", "imported"] and reports[0].conflicts == 1
    assert not [b for b in list_backups(world.office.path) if b.kind == "导入前"]  # no whole copy any more
    last = import_undo.last_import(world.office)
    assert last is not None and last.files == [p.name for p in packages]
    assert dump_everything(world.office) != before

    report = import_undo.undo_last_import(world.office)

    assert report.undone.files == [p.name for p in packages] and report.rows > 0
    after = dump_everything(world.office)
    assert without_undo_entry(after, before) == comparable(before)
    assert check_workspace(world.office) == []
    [entry] = [e for e in AuditLog(world.office).list() if e.action == "undo_import"]
    assert packages[0].name in entry.summary and "撤销" in entry.action_label
    assert not list(_journals(world.office))  # the journals are gone
    assert import_undo.last_import(world.office) is None
    # Importing the same packages again gives the same result as the first time.
    again = sync.import_packages(world.office, packages)
    assert [r.status for r in again] == ["imported", "imported"] and again[0].conflicts == 1


def test_undo_after_the_program_restarted(world: World) -> None:
    _first, packages = _shared_then_changed(world)
    before = dump_everything(world.office)
    sync.import_packages(world.office, packages)
    path = world.office.path
    world.office.close()
    world.office = Workspace.open(path, PASSPHRASE)
    import_undo.undo_last_import(world.office)
    assert without_undo_entry(dump_everything(world.office), before) == comparable(before)
    assert check_workspace(world.office) == []


def test_undo_is_refused_once_the_workspace_changed_after_the_import(world: World) -> None:
    _first, packages = _shared_then_changed(world)
    sync.import_packages(world.office, packages[:1])
    [imported] = [d for d in RecordService(world.office, LEAD).list()]
    RecordService(world.office, LEAD).save(dataclasses.replace(imported, registered_by="导入后又改"))
    changed = dump_everything(world.office)
    with pytest.raises(import_undo.UndoRefused, match=r"不能撤销导入.*又被修改"):
        import_undo.undo_last_import(world.office)
    assert dump_everything(world.office) == changed  # refused: nothing written


def test_a_later_import_replaces_the_earlier_undo(world: World) -> None:
    _first, packages = _shared_then_changed(world)
    sync.import_packages(world.office, packages[:1])
    middle = dump_everything(world.office)
    sync.import_packages(world.office, packages[1:])
    last = import_undo.last_import(world.office)
    assert last is not None and last.files == [packages[1].name]
    assert len(list(_journals(world.office))) == 1
    import_undo.undo_last_import(world.office)
    assert without_undo_entry(dump_everything(world.office), middle) == comparable(middle)
    with pytest.raises(WorkspaceError, match="没有可以撤销的导入"):
        import_undo.undo_last_import(world.office)


def test_a_rejected_or_dry_run_import_leaves_no_journal(world: World) -> None:
    a = world.fields[0]
    RecordService(a, DRAFT).save(draft(world.ctx))
    package = world.export(a)
    [preview] = sync.import_packages(world.office, [package], dry_run=True)
    assert preview.status == "imported"
    broken = package.with_name("损坏.xcpkg")
    broken.write_bytes(package.read_bytes()[:-20])
    [rejected] = sync.import_packages(world.office, [broken])
    assert rejected.status == "rejected"
    assert import_undo.last_import(world.office) is None


def test_a_journal_whose_import_never_committed_is_stale(world: World) -> None:
    """A kill between writing the journal and the commit: the journal names an audit entry that is not
    there, so it is never applied and is removed at the next look."""
    a = world.fields[0]
    RecordService(a, DRAFT).save(draft(world.ctx))
    package = world.export(a)
    sync.import_packages(world.office, [package])
    [journal] = _journals(world.office)
    kept = journal.read_bytes()
    import_undo.undo_last_import(world.office)
    journal.write_bytes(kept)  # as if the undo's commit had happened but the kill came before the cleanup
    (journal.parent / (journal.name + ".part")).write_bytes(b"cut short")
    assert import_undo.last_import(world.office) is None
    assert not list(journal.parent.glob(f"{world.office.path.stem}.*{undo_journal.SUFFIX}*"))


def test_a_provisioning_package_is_still_copied_whole(world: World, tmp_path: Path) -> None:
    laptop = Workspace.create(tmp_path / "新电脑.xcdb", PASSPHRASE, user_name="新组员", role="组员")
    provision = world.root / "provision.xcpkg"
    [report] = sync.import_packages(laptop, [provision], code="配置码-2025-0301")
    assert report.status == "imported"
    assert [b.kind for b in list_backups(laptop.path)] == ["导入前"]
    assert import_undo.last_import(laptop) is None
    laptop.close()
