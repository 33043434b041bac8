"""The field demo's sync story: conflicts of each kind made by a real import, and a second group's package
waiting beside the workspace that imports cleanly."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.builders import PASSPHRASE
from xuncha_desktop.domain.record_types import INTERVIEW, LEAD
from xuncha_desktop.services import sync
from xuncha_desktop.services.demo.field_sync import WAITING_FOLDER, FieldDemo, build_field_demo
from xuncha_desktop.services.records.conflicts import ConflictService
from xuncha_desktop.services.records.record_service import ListQuery, RecordService
from xuncha_desktop.services.workspace import Workspace
from xuncha_desktop.storage.conflict_store import MERGE_KINDS
from xuncha_desktop.storage.keyfile import KdfParams


@pytest.fixture(scope="module")
def field_demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Workspace, FieldDemo]]:
    """One field demo (slow: the throw-away office's one-time code costs seconds per package)."""
    path = tmp_path_factory.mktemp("field-demo") / "演示工作库.xcdb"
    ws = Workspace.create(path, PASSPHRASE, kdf=KdfParams.cheap())
    made = build_field_demo(ws, seed=1, records=60)
    yield ws, made
    ws.close()


def test_the_demo_has_open_conflicts_of_every_merge_kind(field_demo: tuple[Workspace, FieldDemo]) -> None:
    ws, made = field_demo
    open_ = ConflictService(ws).list_open()
    assert {c.kind for c in open_} == set(MERGE_KINDS)
    assert made.conflicts == {"soft": 1, "hard": 2, "delete_edit": 1}
    assert {c.record_type for c in open_} == {"interview", "draft", "lead"}


def test_the_conflicts_came_through_an_imported_package_from_another_laptop(
    field_demo: tuple[Workspace, FieldDemo],
) -> None:
    ws, _ = field_demo
    for conflict in ConflictService(ws).list_open():
        sides = ConflictService(ws).detail(conflict.id).sides
        assert len(sides) == 2  # this laptop's version and the member's, each with its own author
        assert conflict.detected_at


def test_the_demo_still_holds_both_groups_records(field_demo: tuple[Workspace, FieldDemo]) -> None:
    ws, made = field_demo
    talks = RecordService[Any](ws, INTERVIEW)
    assert {t.group_id for t in talks.list(ListQuery(limit=None))} and made.summary.groups == 2
    shown = talks.count(ListQuery(limit=None)) + talks.count(ListQuery(deleted=True, limit=None))
    assert shown == made.summary.interviews + 1  # and the duplicate in the recycle bin


def test_the_second_groups_package_waits_and_imports(
    field_demo: tuple[Workspace, FieldDemo], tmp_path: Path
) -> None:
    ws, made = field_demo
    assert made.waiting is not None and made.waiting.parent == ws.path.parent / WAITING_FOLDER
    copy = tmp_path / "副本"
    copy.mkdir()
    for file in ws.path.parent.glob(ws.path.name + "*"):  # with its write-ahead log: ws is open
        if not file.name.endswith((".lock", ".lock.info")):
            shutil.copy(file, copy / file.name)
    other = Workspace.open(copy / ws.path.name, PASSPHRASE)
    try:
        before = RecordService[Any](other, LEAD).count(ListQuery(limit=None))
        [report] = sync.import_packages(other, [made.waiting], backup_dir=tmp_path / "备份")
        assert (report.status, report.error) == ("imported", None)
        assert report.by_type["interview"]["new"] == 2 and report.by_type["lead"]["new"] == 1, report.by_type
        assert report.conflicts == 0
        assert RecordService[Any](other, LEAD).count(ListQuery(limit=None)) == before + 1
    finally:
        other.close()


def test_the_readme_says_what_to_try_and_where(field_demo: tuple[Workspace, FieldDemo]) -> None:
    ws, made = field_demo
    text = made.readme.read_text(encoding="utf-8")
    assert made.readme.parent == made.waiting.parent  # type: ignore[union-attr]
    assert "待处理的冲突" in text and "冲突处理" in text
    assert made.waiting.name in text and "文件 → 导入工作包" in text  # type: ignore[union-attr]
    assert f"登录名：{ws.user.login}" in text


def test_a_demo_without_records_has_no_story_to_tell(tmp_path: Path) -> None:
    ws = Workspace.create(tmp_path / "空.xcdb", PASSPHRASE, kdf=KdfParams.cheap())
    try:
        made = build_field_demo(ws, seed=1, records=0)
    finally:
        ws.close()
    assert made.conflicts == {} and made.waiting is None
    assert "没有冲突" in made.readme.read_text(encoding="utf-8")


def test_the_recycle_bin_holds_a_discarded_duplicate(field_demo: tuple[Workspace, FieldDemo]) -> None:
    ws, made = field_demo
    talks = RecordService[Any](ws, INTERVIEW)
    binned = talks.list(ListQuery(deleted=True, limit=None))
    duplicates = [t for t in binned if not ConflictService(ws).for_record("interview", t.id)]
    assert len(duplicates) == 1
    assert "回收站" in made.readme.read_text(encoding="utf-8")
