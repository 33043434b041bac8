"""A field workspace copied to a second laptop: the office refuses the copy that comes second, and the
steps in its message bring every record of both copies in, with a person's confirmation."""

from __future__ import annotations

import dataclasses
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import func, select

from tests.builders import PASSPHRASE, draft
from tests.sync_helpers import World
from xuncha_desktop.domain.issue_drafts import IssueDraft
from xuncha_desktop.domain.record_types import DRAFT
from xuncha_desktop.services import identity, sync
from xuncha_desktop.services.records.record_service import RecordService
from xuncha_desktop.services.security.audit_log import AuditLog, AuditQuery
from xuncha_desktop.services.security.integrity import check_workspace
from xuncha_desktop.services.sync import reidentify
from xuncha_desktop.services.workspace import Workspace
from xuncha_desktop.storage.tables import sync_retired_revision, sync_revision


@dataclass
class Copies:
    world: World
    original: Workspace
    clone: Workspace
    ours: IssueDraft  # made on the original after the copy
    theirs: IssueDraft  # made on the copy


def drafts(ws: Workspace) -> RecordService[IssueDraft]:
    return RecordService[IssueDraft](ws, DRAFT)


@pytest.fixture
def copies(world: World, tmp_path: Path) -> Iterator[Copies]:
    """Laptop 1 copied to a second laptop; each copy then writes a draft; the original's package is in."""
    a = world.fields[0]
    shared = drafts(a).save(draft(world.ctx, title="复制前的问题"))
    a.close()
    clone_path = tmp_path / "复制机.xcdb"
    shutil.copy(a.path, clone_path)
    shutil.copy(Path(f"{a.path}.key"), Path(f"{clone_path}.key"))
    original, clone = Workspace.open(a.path, PASSPHRASE), Workspace.open(clone_path, PASSPHRASE)
    world.fields[0] = original
    ours = drafts(original).save(draft(world.ctx, title="原机新增"))
    theirs = drafts(clone).save(dataclasses.replace(drafts(clone).get(shared.id), basis="复制机补充的依据"))
    theirs = drafts(clone).save(draft(world.ctx, title="复制机新增"))
    [first] = sync.import_packages(world.office, [world.export(original)])
    assert first.status == "imported"
    yield Copies(world, original, clone, ours, theirs)
    clone.close()


def office_titles(world: World) -> set[str]:
    return {d.title for d in drafts(world.office).list()}


def test_the_second_copy_is_refused_with_the_steps_that_work(copies: Copies) -> None:
    world = copies.world
    [second] = sync.import_packages(world.office, [world.export(copies.clone)])
    assert second.status == "rejected"
    assert second.error == identity.fork_at_office("组员1的工作库", relayed=False)
    assert "xuncha-desktop reidentify --db 工作库 --package 配置包" in second.error
    assert "--accept-identity" in second.error
    # The copy cannot take the office's packages either, and is told why and what to do.
    update = world.package_path("office-update")
    sync.provision_package(world.office, update)
    [refused] = sync.import_packages(copies.clone, [update])
    assert refused.status == "rejected" and refused.error == identity.fork_at_laptop(from_office=True)


def _follow_the_steps(copies: Copies, *, with_package: bool = True) -> reidentify.ReidentifyReport:
    world = copies.world
    update = world.package_path("office-update")
    sync.provision_package(world.office, update)  # ① the office's latest package for the group
    report = reidentify.reidentify(copies.clone, package=update if with_package else None)  # ②
    [taken] = sync.import_packages(copies.clone, [update])  # the copy now takes the office's data
    assert taken.status == "imported", taken.error
    package = world.export(copies.clone)  # ③
    [unconfirmed] = sync.import_packages(world.office, [package])  # ④ not without a person
    assert unconfirmed.status == "rejected" and unconfirmed.needs_confirmation
    assert unconfirmed.error.startswith("此工作包来自一台重新确定过身份的电脑（原身份“组员1的工作库”")
    [accepted] = sync.import_packages(world.office, [package], accept_identity=True)
    assert accepted.status == "imported", accepted.error
    return report


def test_after_the_steps_the_office_holds_every_record_of_both_copies(copies: Copies) -> None:
    world = copies.world
    sync.import_packages(world.office, [world.export(copies.clone)])  # refused
    report = _follow_the_steps(copies)
    assert report.precise and report.new_replica == copies.clone.info.replica_id
    assert report.reminted == 2  # its edit of the shared draft and its new draft; shared history kept
    assert office_titles(world) == {"复制前的问题", "原机新增", "复制机新增"}
    [shared] = [d for d in drafts(world.office).list() if d.title == "复制前的问题"]
    assert shared.basis == "复制机补充的依据" and shared.meta.conflict is None
    assert drafts(world.office).get(copies.theirs.id).number == copies.theirs.number  # ids and numbers kept
    for ws in (world.office, copies.original, copies.clone):
        assert check_workspace(ws) == [], ws.path.name
    # Both copies go on working; nothing more to confirm.
    later = dataclasses.replace(drafts(copies.clone).get(copies.theirs.id), basis="后续修改")
    drafts(copies.clone).save(later)
    drafts(copies.original).save(draft(world.ctx, title="原机再新增"))
    reports = sync.import_packages(world.office, [world.export(copies.clone), world.export(copies.original)])
    assert [r.status for r in reports] == ["imported", "imported"]
    assert drafts(world.office).get(copies.theirs.id).basis == "后续修改"
    assert check_workspace(world.office) == []


def test_the_office_records_who_accepted_the_new_identity(copies: Copies) -> None:
    _follow_the_steps(copies)
    [entry] = AuditLog(copies.world.office).list(AuditQuery(action="accept_identity"))
    assert entry.action_label == "接受重新确定身份的电脑"
    assert "组员1的工作库（新身份）" in entry.summary and "组员1的工作库" in entry.summary
    log = AuditLog(copies.clone)
    [own] = log.list(AuditQuery(action="reidentify"))
    assert own.action_label == "重新确定身份"
    [remade] = log.list(AuditQuery(action="remint", record_type="draft"))[:1]
    assert remade.summary == "以本工作库的新身份重新签发（内容未变）"
    # The creation logged before the change still shows what was written (its revision was made again).
    created = [e for e in log.list(AuditQuery(action="create")) if e.record_id == copies.theirs.id]
    assert "复制机新增" in {c.new for c in log.field_changes(created[0])}


def test_without_the_office_package_nothing_is_lost_either(copies: Copies) -> None:
    report = _follow_the_steps(copies, with_package=False)
    assert not report.precise and report.reminted > 2  # shared history made again as well
    assert {"复制前的问题", "原机新增", "复制机新增"} <= office_titles(copies.world)
    assert check_workspace(copies.world.office) == []


def test_relayed_copies_of_retired_revisions_are_skipped(copies: Copies) -> None:
    """The group leader took the copy's package before the copy changed identity and relays it."""
    world = copies.world
    leader = world.fields[1]
    [relayed] = sync.import_packages(leader, [world.export(copies.clone)])
    assert relayed.status == "imported"
    leader_package = world.export(leader)
    [refused] = sync.import_packages(world.office, [leader_package])
    assert refused.error == identity.fork_at_office("组员1的工作库", relayed=True)
    _follow_the_steps(copies)
    [again] = sync.import_packages(world.office, [leader_package])
    assert again.status == "imported", again.error
    with world.office.engine.connect() as conn:
        retired = conn.execute(select(func.count()).select_from(sync_retired_revision)).scalar_one()
        stored = conn.execute(
            select(func.count())
            .select_from(sync_revision)
            .where(sync_revision.c.rev_id.in_(select(sync_retired_revision.c.rev_id)))
        ).scalar_one()
    assert retired == 2 and stored == 0
    assert check_workspace(world.office) == []


def test_the_leader_holding_retired_revisions_still_takes_the_office_packages(copies: Copies) -> None:
    """Without the office's list of retired revisions the leader's copies of them would collide with the
    original's revisions in every later provisioning package, and the leader would be told it is a copy."""
    world = copies.world
    leader = world.fields[1]
    sync.import_packages(leader, [world.export(copies.clone)])
    _follow_the_steps(copies)
    update = world.package_path("office-update")
    sync.provision_package(world.office, update)
    [report] = sync.import_packages(leader, [update])
    assert report.status == "imported", report.error
    titles = {d.title for d in drafts(leader).list()}
    assert {"复制前的问题", "原机新增", "复制机新增"} <= titles
    assert drafts(leader).get(copies.theirs.id).meta.conflict is None
    assert check_workspace(leader) == []


def test_a_forged_identity_statement_is_refused(copies: Copies) -> None:
    world = copies.world
    _follow_the_steps_until_export = reidentify.reidentify(copies.clone)
    assert _follow_the_steps_until_export.new_replica
    with copies.clone.engine.begin() as conn:
        from xuncha_desktop.storage.tables import sync_identity_change

        conn.execute(sync_identity_change.update().values(proof=b"\0" * 64))
    [report] = sync.import_packages(world.office, [world.export(copies.clone)], accept_identity=True)
    assert report.status == "rejected"
    assert report.error == "工作包所附的身份变更说明签名无效（不是由原工作库签署），已拒绝"


def test_the_copy_opens_as_the_same_user_after_taking_a_new_identity(copies: Copies) -> None:
    before = copies.clone.user
    _follow_the_steps(copies)
    path = copies.clone.path
    copies.clone.close()
    copies.clone = Workspace.open(path, PASSPHRASE)
    assert copies.clone.user == before


def test_the_leader_is_told_it_holds_another_laptops_copy_not_that_it_is_one(copies: Copies) -> None:
    world = copies.world
    leader = world.fields[1]
    first, second = world.export(copies.clone), world.export(copies.original)
    reports = sync.import_packages(leader, [first, second])
    assert [r.status for r in reports] == ["imported", "rejected"]
    assert reports[1].error == identity.fork_of_another("组员1的工作库")


def test_a_copy_that_wrote_nothing_yet_learns_it_is_a_copy_before_its_counters_collide(
    world: World, tmp_path: Path
) -> None:
    """Taking the original's newer revisions under its own identity would make the copy's next save reuse
    a counter (a database error at the worst moment): the package is refused as a copy instead."""
    a = world.fields[0]
    a.close()
    path = tmp_path / "复制机.xcdb"
    shutil.copy(a.path, path)
    shutil.copy(Path(f"{a.path}.key"), Path(f"{path}.key"))
    world.fields[0] = original = Workspace.open(a.path, PASSPHRASE)
    drafts(original).save(draft(world.ctx, title="原机新增"))
    sync.import_packages(world.office, [world.export(original)])
    update = world.package_path("office-update")
    sync.provision_package(world.office, update)
    with Workspace.open(path, PASSPHRASE) as clone:
        [report] = sync.import_packages(clone, [update])
        assert report.status == "rejected"
        assert report.error == identity.fork_at_laptop(from_office=True)
        drafts(clone).save(draft(world.ctx, title="复制机新增"))  # saving still works


def test_a_list_of_retired_revisions_never_removes_the_workspaces_own(world: World) -> None:
    a = world.fields[0]
    mine = drafts(a).save(draft(world.ctx))
    with a.engine.begin() as conn:
        row = conn.execute(select(sync_revision).where(sync_revision.c.rev_id == mine.meta.head_rev)).one()
        entry = {c: getattr(row, c) for c in identity.RETIRED_COLUMNS if c != "replaced_by"}
        listed = [{**entry, "replaced_by": "0" * 64}]
        assert identity.retire_listed(conn, listed, "now", a.info.replica_id) == {}
    assert drafts(a).get(mine.id).meta.head_rev == mine.meta.head_rev
    assert check_workspace(a) == []
