"""Records in conflict: an ordinary save decides nothing the person did not change, and 冲突处理 lets a
person correct a merge that breaks a rule of its record type."""

from __future__ import annotations

import dataclasses
from datetime import date
from typing import Any

import pytest

from tests.builders import draft, interview
from tests.sync_helpers import World
from xuncha_desktop.domain.errors import FieldError, ValidationError
from xuncha_desktop.domain.record_types import DRAFT, INTERVIEW
from xuncha_desktop.services import sync
from xuncha_desktop.services.records.conflicts import ConflictService
from xuncha_desktop.services.records.record_service import RecordService
from xuncha_desktop.services.security.integrity import check_workspace
from xuncha_desktop.services.workspace import Workspace


def drafts(ws: Workspace) -> RecordService[Any]:
    return RecordService(ws, DRAFT)


def talks(ws: Workspace) -> RecordService[Any]:
    return RecordService(ws, INTERVIEW)


def edited_apart(
    world: World, service: Any, record: Any, edit_a: dict[str, Any], edit_b: dict[str, Any]
) -> Any:
    """`record` made on laptop A, copied to B, edited on both, both packages imported at the office."""
    a, b = world.fields[:2]
    base = service(a).save(record)
    sync.import_packages(b, [world.export(a)])
    service(a).save(dataclasses.replace(service(a).get(base.id), **edit_a))
    service(b).save(dataclasses.replace(service(b).get(base.id), **edit_b))
    reports = sync.import_packages(world.office, [world.export(a), world.export(b)])
    assert all(r.status == "imported" for r in reports), reports
    return base


def side_titles(service: ConflictService, conflict_id: str) -> set[str]:
    return {s.body["title"] for s in service.detail(conflict_id).sides}


# -- a save keeps the conflict open ---------------------------------------------------------------------
def test_a_save_of_a_record_in_hard_conflict_leaves_the_conflict_open(world: World) -> None:
    base = edited_apart(
        world, drafts, draft(world.ctx), {"title": "标题甲", "suggestion": "建议甲"}, {"title": "标题乙"}
    )
    conflicts = ConflictService(world.office)
    [conflict] = conflicts.list_open()
    shown = drafts(world.office).get(base.id)
    provisional = shown.title
    assert conflict.kind == "hard" and provisional in ("标题甲", "标题乙")

    drafts(world.office).save(dataclasses.replace(shown, basis="办里补充的依据"))

    [still] = conflicts.list_open()
    assert (still.id, still.kind, still.fields) == (conflict.id, "hard", ("suggestion", "title"))
    assert side_titles(conflicts, still.id) == {"标题甲", "标题乙"}  # the untouched field is undecided
    detail = conflicts.detail(still.id)
    assert [s.body["basis"] for s in detail.sides] == ["办里补充的依据"] * 2  # the change is on every side
    saved = drafts(world.office).get(base.id)
    assert (saved.title, saved.basis, saved.suggestion) == (provisional, "办里补充的依据", "建议甲")
    assert conflicts.for_record(DRAFT.key, base.id) is not None
    assert conflicts.for_record(DRAFT.key, base.id).fields == ("title",)

    conflicts.resolve(still.id, {"title": "标题乙"})  # only 冲突处理 decides it
    resolved = drafts(world.office).get(base.id)
    assert (resolved.title, resolved.basis, resolved.suggestion) == ("标题乙", "办里补充的依据", "建议甲")
    assert conflicts.list_open() == [] and conflicts.for_record(DRAFT.key, base.id) is None
    assert check_workspace(world.office) == []


def test_a_save_in_conflict_travels_and_every_workspace_shows_the_same_open_conflict(world: World) -> None:
    base = edited_apart(world, drafts, draft(world.ctx), {"title": "标题甲"}, {"title": "标题乙"})
    shown = drafts(world.office).get(base.id)
    drafts(world.office).save(dataclasses.replace(shown, basis="办里补充的依据"))
    update = world.package_path("office-update")
    sync.provision_package(world.office, update)
    a = world.fields[0]
    sync.import_packages(a, [update])
    [there] = ConflictService(a).list_open()
    assert there.kind == "hard" and "title" in there.fields
    assert side_titles(ConflictService(a), there.id) == {"标题甲", "标题乙"}
    assert drafts(a).get(base.id).basis == "办里补充的依据"
    assert check_workspace(a) == []


def test_typing_in_the_conflicting_field_is_kept_and_the_conflict_still_listed(world: World) -> None:
    base = edited_apart(world, drafts, draft(world.ctx), {"title": "标题甲"}, {"title": "标题乙"})
    shown = drafts(world.office).get(base.id)
    drafts(world.office).save(dataclasses.replace(shown, title="组长改定的标题"))
    assert drafts(world.office).get(base.id).title == "组长改定的标题"
    [still] = ConflictService(world.office).list_open()  # confirmed in 冲突处理, never by a save
    assert side_titles(ConflictService(world.office), still.id) == {"组长改定的标题"}


def test_deleting_a_record_in_conflict_and_restoring_it_brings_the_conflict_back(world: World) -> None:
    base = edited_apart(world, drafts, draft(world.ctx), {"title": "标题甲"}, {"title": "标题乙"})
    office = drafts(world.office)
    office.delete(base.id)
    assert office.get(base.id).meta.deleted and ConflictService(world.office).list_open() == []
    office.restore(base.id)
    [back] = ConflictService(world.office).list_open()
    assert back.kind == "hard" and side_titles(ConflictService(world.office), back.id) == {"标题甲", "标题乙"}


# -- a merge that breaks a rule is corrected in 冲突处理 -------------------------------------------------
def test_two_valid_edits_merge_into_an_invalid_talk_and_a_corrected_value_resolves_it(world: World) -> None:
    talk = interview(world.ctx, interviewer="张建国", recorder="李明")
    base = edited_apart(world, talks, talk, {"interviewer": "王强"}, {"recorder": "王强"})
    conflicts = ConflictService(world.office)
    [conflict] = conflicts.list_open()
    assert conflict.kind == "soft" and conflict.fields == ("interviewer", "recorder")
    rule = FieldError("recorder", "记录人不能与主谈人为同一人（谈话应不少于两人）")
    assert conflicts.problems(conflict.id) == [rule]
    with pytest.raises(ValidationError) as refused:
        conflicts.resolve(conflict.id)
    assert refused.value.errors == [rule]
    assert conflicts.count_open() == 1

    assert conflicts.problems(conflict.id, {"recorder": "李明"}) == []
    conflicts.resolve(conflict.id, {"recorder": "李明"})
    fixed = talks(world.office).get(base.id)
    assert (fixed.interviewer, fixed.recorder) == ("王强", "李明")
    assert conflicts.list_open() == []
    assert talks(world.office).rt.validate(fixed, fixed.held_on) == []


def test_end_before_start_from_two_edits_is_fixed_with_a_typed_time(world: World) -> None:
    talk = interview(world.ctx, start_time="09:00", end_time="10:30")
    base = edited_apart(world, talks, talk, {"start_time": "10:00"}, {"end_time": "09:30"})
    conflicts = ConflictService(world.office)
    [conflict] = conflicts.list_open()
    assert conflicts.problems(conflict.id) == [FieldError("end_time", "结束时间应晚于开始时间")]
    conflicts.resolve(conflict.id, {"end_time": "11:00", "held_on": date(2025, 3, 6)})  # typed values
    fixed = talks(world.office).get(base.id)
    assert (fixed.start_time, fixed.end_time, fixed.held_on) == ("10:00", "11:00", date(2025, 3, 6))
    assert conflicts.count_open() == 0
