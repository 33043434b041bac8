"""A revision whose parent has not arrived yet is waiting, not damage: `check` says so and exits 0."""

from __future__ import annotations

import dataclasses
import shutil
from pathlib import Path

import pytest
from sqlalchemy import delete

from tests.builders import PASSPHRASE, draft
from tests.sync_helpers import World
from xuncha_desktop.cli import main
from xuncha_desktop.domain.issue_drafts import IssueDraft
from xuncha_desktop.domain.record_types import DRAFT
from xuncha_desktop.services import sync
from xuncha_desktop.services.records.record_service import RecordService
from xuncha_desktop.services.security.integrity import Problem, check_workspace
from xuncha_desktop.services.workspace import Workspace
from xuncha_desktop.storage.database import write_transaction
from xuncha_desktop.storage.tables import sync_revision


def _edit_sent_as_delta(world: World) -> tuple[IssueDraft, str, Path, Path]:
    """A draft made on laptop 1 (first package), then edited after the office acknowledged it: the second
    package carries only the edit, whose parent is in the first."""
    a = world.fields[0]
    drafts = RecordService[IssueDraft](a, DRAFT)
    first_rev = drafts.save(draft(world.ctx))
    first = world.export(a)
    sync.import_packages(world.office, [first])
    ack = world.package_path("office-ack")
    sync.provision_package(world.office, ack)
    sync.import_packages(a, [ack])
    edited = drafts.save(dataclasses.replace(drafts.get(first_rev.id), title="补充后的标题"))
    second = world.export(a)
    assert edited.meta is not None and first_rev.meta is not None
    return edited, first_rev.meta.head_rev, first, second


def _fresh_office(world_template: Path, folder: Path) -> Path:
    """The office as it was before it saw any package."""
    folder.mkdir()
    for name in ("巡察办.xcdb", "巡察办.xcdb.key"):
        shutil.copy(world_template / name, folder / name)
    return folder / "巡察办.xcdb"


def test_a_revision_whose_parent_has_not_arrived_is_waiting_not_broken(
    world: World, world_template: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch
) -> None:
    edited, parent, first, second = _edit_sent_as_delta(world)
    office_path = _fresh_office(world_template, tmp_path / "office")
    with Workspace.open(office_path, PASSPHRASE) as office:
        [report] = sync.import_packages(office, [second])
        assert report.status == "imported"
        [problem] = check_workspace(office)
    assert problem == Problem(
        "revisions",
        f"问题底稿 {edited.number} 的修订 {edited.meta.head_rev[:12]} 正在等待上一版本 {parent[:12]} 到达"
        "（尚未收到，不是损坏；导入含有该版本的工作包后自动补齐）",
        waiting=True,
    )
    monkeypatch.setenv("XUNCHA_PASSPHRASE", PASSPHRASE)
    assert main(["check", "--db", str(office_path)]) == 0
    out = capsys.readouterr()
    assert f"[修订记录] {problem.message}" in out.out
    assert "检查通过" in out.out and "另有 1 条修订正在等待其上一版本到达（不是损坏）" in out.out
    assert out.err == ""
    with Workspace.open(office_path, PASSPHRASE) as office:  # the parent arrives: nothing left to report
        [late] = sync.import_packages(office, [first])
        assert late.status == "imported"
        assert check_workspace(office) == []


def test_a_missing_parent_of_a_local_revision_is_damage(world: World, capsys, monkeypatch) -> None:
    a = world.fields[0]
    drafts = RecordService[IssueDraft](a, DRAFT)
    made = drafts.save(draft(world.ctx))
    edited = drafts.save(dataclasses.replace(made, title="改过的标题"))
    assert made.meta is not None and edited.meta is not None
    with write_transaction(a.engine) as conn:
        conn.execute(delete(sync_revision).where(sync_revision.c.rev_id == made.meta.head_rev))
    problems = check_workspace(a)
    message = (
        f"问题底稿 {edited.number} 的修订 {edited.meta.head_rev[:12]} 的上一版本 "
        f"{made.meta.head_rev[:12]} 不存在（修订记录被删除）"
    )
    assert Problem("revisions", message) in problems
    assert not any(p.waiting for p in problems)
    a.close()
    monkeypatch.setenv("XUNCHA_PASSPHRASE", PASSPHRASE)
    assert main(["check", "--db", str(a.path)]) == 1
    assert "检查未通过" in capsys.readouterr().err
    world.fields[0] = Workspace.open(a.path, PASSPHRASE)
