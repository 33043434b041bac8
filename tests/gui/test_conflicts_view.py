"""冲突处理: real conflicts from real packages, resolved by clicking in the ConflictsView."""

from __future__ import annotations

import dataclasses
from datetime import date
from decimal import Decimal
from typing import Any

from PySide6.QtWidgets import QDoubleSpinBox, QLabel, QLineEdit
from pytestqt.qtbot import QtBot

from tests.builders import draft, interview
from tests.gui.keys import type_text
from tests.sync_helpers import World
from xuncha_desktop.domain.interview_records import InterviewRecord
from xuncha_desktop.domain.issue_drafts import IssueDraft
from xuncha_desktop.domain.record_types import DRAFT, INTERVIEW
from xuncha_desktop.gui.pages.field_labels import field_label
from xuncha_desktop.gui.views.conflicts_view import ConflictsView
from xuncha_desktop.services import sync
from xuncha_desktop.services.records.conflicts import ConflictService
from xuncha_desktop.services.records.record_service import RecordService
from xuncha_desktop.services.workspace import Workspace


def drafts(ws: Workspace) -> RecordService[IssueDraft]:
    return RecordService(ws, DRAFT)


def concurrent_edit(world: World, edit_a: dict[str, Any], edit_b: dict[str, Any]) -> IssueDraft:
    """The same draft edited on two laptops, both packages imported at the office."""
    a, b = world.fields[:2]
    base = drafts(a).save(draft(world.ctx))
    sync.import_packages(b, [world.export(a)])
    drafts(a).save(dataclasses.replace(base, **edit_a))
    drafts(b).save(dataclasses.replace(drafts(b).get(base.id), **edit_b))
    reports = sync.import_packages(world.office, [world.export(a), world.export(b)])
    assert all(r.status == "imported" for r in reports), reports
    return base


def delete_against_edit(world: World) -> IssueDraft:
    a, b = world.fields[:2]
    base = drafts(a).save(draft(world.ctx))
    sync.import_packages(b, [world.export(a)])
    drafts(a).delete(base.id)
    drafts(b).save(dataclasses.replace(drafts(b).get(base.id), title="乙修改后的标题"))
    sync.import_packages(world.office, [world.export(a), world.export(b)])
    return base


def make_view(qtbot: QtBot, ws: Workspace) -> ConflictsView:
    view = ConflictsView(ws)
    qtbot.addWidget(view)
    view.resize(1300, 700)
    view.show()
    return view


def side_with(view: ConflictsView, name: str, value: Any) -> int:
    detail = view.current_detail()
    assert detail is not None
    return next(i for i, s in enumerate(detail.sides) if s.body.get(name) == value)


def row_texts(view: ConflictsView, row: int = 0) -> list[str]:
    return [view.table.item(row, c).text() for c in range(view.table.columnCount())]


def test_lists_a_hard_conflict_with_chinese_labels(world: World, qtbot: QtBot) -> None:
    base = concurrent_edit(world, {"title": "标题甲"}, {"title": "标题乙"})
    view = make_view(qtbot, world.office)
    assert view.table.rowCount() == 1
    number, kind_of_record, kind, fields, detected = row_texts(view)
    assert (number, kind_of_record, kind) == (base.number, "问题底稿", "同一字段被不同修改")
    assert fields == "问题标题" and detected[:2] == "20"
    assert view.open_count() == 1
    choices = view.field_choices()
    assert list(choices) == ["title"] and choices["title"].hard and choices["title"].text
    assert not view.apply_button.isEnabled()  # a hard conflict needs an explicit choice


def test_choosing_side_b_and_apply_resolves_the_conflict(world: World, qtbot: QtBot) -> None:
    base = concurrent_edit(world, {"title": "标题甲"}, {"title": "标题乙"})
    view = make_view(qtbot, world.office)
    choice = view.field_choices()["title"]
    choice.choose(side_with(view, "title", "标题乙"))
    assert choice.editor is not None and choice.editor.toPlainText() == "标题乙"
    assert view.apply_button.isEnabled()
    with qtbot.waitSignal(view.conflicts_changed) as changed:
        view.apply_button.click()
    assert changed.args == [0]
    assert ConflictService(world.office).list_open() == []
    assert drafts(world.office).get(base.id).title == "标题乙"
    assert view.table.rowCount() == 0 and view.error_text() == ""


def test_keep_both_keeps_each_text_with_its_author(world: World, qtbot: QtBot) -> None:
    base = concurrent_edit(world, {"description": "甲的事实"}, {"description": "乙的事实"})
    view = make_view(qtbot, world.office)
    choice = view.field_choices()["description"]
    assert choice.keep_both_button is not None
    choice.keep_both_button.click()
    assert choice.editor is not None and "甲的事实" in choice.editor.toPlainText()
    view.apply_button.click()
    text = drafts(world.office).get(base.id).description
    assert "甲的事实" in text and "乙的事实" in text and "组员1" in text and "组员2" in text
    assert ConflictService(world.office).count_open() == 0


def test_an_edited_result_is_what_gets_saved(world: World, qtbot: QtBot) -> None:
    base = concurrent_edit(world, {"description": "甲的事实"}, {"description": "乙的事实"})
    view = make_view(qtbot, world.office)
    choice = view.field_choices()["description"]
    assert choice.editor is not None
    choice.editor.setPlainText("组长核实后的事实")
    assert view.apply_button.isEnabled()
    view.apply_button.click()
    assert drafts(world.office).get(base.id).description == "组长核实后的事实"


def test_soft_fields_are_shown_merged_beside_the_hard_one(world: World, qtbot: QtBot) -> None:
    base = concurrent_edit(
        world, {"title": "标题甲", "suggestion": "建议甲"}, {"title": "标题乙", "basis": "依据乙"}
    )
    view = make_view(qtbot, world.office)
    choices = view.field_choices()
    assert set(choices) == {"title", "basis", "suggestion"}
    merged = choices["suggestion"]
    assert not merged.hard and not merged.side_buttons[0]
    labels = [w.text() for w in merged.result_widget.findChildren(QLabel)]
    assert "建议甲" in labels and "✓ 已自动合并" in labels
    choices["title"].choose(side_with(view, "title", "标题甲"))
    view.apply_button.click()
    saved = drafts(world.office).get(base.id)
    assert (saved.title, saved.suggestion, saved.basis) == ("标题甲", "建议甲", "依据乙")


def test_soft_conflict_is_confirmed_with_one_click(world: World, qtbot: QtBot) -> None:
    concurrent_edit(world, {"suggestion": "建议甲"}, {"basis": "依据乙"})
    view = make_view(qtbot, world.office)
    assert view.apply_button.text() == "确认合并结果" and view.apply_button.isEnabled()
    assert view.accept_all_soft() == 1
    assert ConflictService(world.office).count_open() == 0 and view.table.rowCount() == 0


def test_delete_edit_confirm_delete(world: World, qtbot: QtBot) -> None:
    base = delete_against_edit(world)
    view = make_view(qtbot, world.office)
    assert row_texts(view)[2] == "一方删除、一方修改"
    delete, restore = view.delete_buttons
    assert delete is not None and restore is not None
    assert not view.apply_button.isEnabled()
    delete.click()
    view.apply_button.click()
    assert drafts(world.office).get(base.id).meta.deleted
    assert ConflictService(world.office).count_open() == 0


def test_delete_edit_restore_keeps_the_edit(world: World, qtbot: QtBot) -> None:
    base = delete_against_edit(world)
    view = make_view(qtbot, world.office)
    assert "title" in view.field_choices()  # the edit made on the other laptop is shown
    view.delete_buttons[1].click()
    view.apply_button.click()
    kept = drafts(world.office).get(base.id)
    assert not kept.meta.deleted and kept.title == "乙修改后的标题"
    assert ConflictService(world.office).count_open() == 0


def test_identity_conflict_is_renumbered(world: World, qtbot: QtBot) -> None:
    a, b = world.fields[:2]
    drafts(a).save(draft(world.ctx, title="甲的问题"))
    drafts(b).save(draft(world.ctx, title="乙的问题"))
    sync.import_packages(world.office, [world.export(a), world.export(b)])
    view = make_view(qtbot, world.office)
    assert view.table.rowCount() == 2 and row_texts(view)[2] == "编号重复"
    assert view.renumber_button.isVisible() and not view.apply_button.isVisible()
    number = view.renumber()
    assert number is not None and number.endswith("-002")
    assert view.table.rowCount() == 0


def test_filter_by_kind(world: World, qtbot: QtBot) -> None:
    concurrent_edit(world, {"title": "标题甲"}, {"title": "标题乙"})
    concurrent_edit(world, {"suggestion": "建议甲"}, {"basis": "依据乙"})
    view = make_view(qtbot, world.office)
    assert view.table.rowCount() == 2
    combo = view.kind_filter
    combo.setCurrentIndex(combo.findData("hard"))
    assert view.table.rowCount() == 1 and row_texts(view)[2] == "同一字段被不同修改"
    assert view.current_conflict() is not None and view.current_conflict().kind == "hard"
    combo.setCurrentIndex(combo.findData("soft"))
    assert view.table.rowCount() == 1 and view.current_conflict().kind == "soft"


def test_every_main_record_field_has_a_chinese_label() -> None:
    from xuncha_desktop.domain.common import NON_BODY_FIELDS
    from xuncha_desktop.domain.record_types import MAIN_RECORD_TYPES

    for rt in MAIN_RECORD_TYPES:
        for f in dataclasses.fields(rt.cls):
            if f.name not in NON_BODY_FIELDS:
                assert field_label(rt.key, f.name) != f.name, (rt.key, f.name)


def test_a_non_text_field_is_chosen_without_an_editor(world: World, qtbot: QtBot) -> None:
    base = concurrent_edit(world, {"amount_yuan": Decimal("48600")}, {"amount_yuan": Decimal("50000")})
    view = make_view(qtbot, world.office)
    choice = view.field_choices()["amount_yuan"]
    assert choice.editor is None and choice.keep_both_button is None and choice.value_editor is None
    choice.choose(side_with(view, "amount_yuan", "48600.00"))
    assert choice.result_label is not None and choice.result_label.text() == "48600.00"
    view.apply_button.click()
    assert drafts(world.office).get(base.id).amount_yuan == Decimal("48600")


def test_a_conflicting_amount_can_be_typed_instead_of_chosen(world: World, qtbot: QtBot) -> None:
    base = concurrent_edit(world, {"amount_yuan": Decimal("48600")}, {"amount_yuan": Decimal("50000")})
    view = make_view(qtbot, world.office)
    choice = view.field_choices()["amount_yuan"]
    assert choice.edit_button is not None and not view.apply_button.isEnabled()
    choice.edit_button.click()
    spin = choice.value_editor.widget if choice.value_editor is not None else None
    assert isinstance(spin, QDoubleSpinBox)
    spin.setValue(49300)
    assert view.apply_button.isEnabled()
    view.apply_button.click()
    assert drafts(world.office).get(base.id).amount_yuan == Decimal("49300")


# -- two valid edits that merge into an invalid record are corrected here --------------------------------
def talk_edited_apart(world: World, edit_a: dict[str, Any], edit_b: dict[str, Any]) -> InterviewRecord:
    a, b = world.fields[:2]
    talks_a = RecordService[InterviewRecord](a, INTERVIEW)
    base = talks_a.save(interview(world.ctx, interviewer="张建国", recorder="李明"))
    sync.import_packages(b, [world.export(a)])
    talks_a.save(dataclasses.replace(base, **edit_a))
    talks_b = RecordService[InterviewRecord](b, INTERVIEW)
    talks_b.save(dataclasses.replace(talks_b.get(base.id), **edit_b))
    sync.import_packages(world.office, [world.export(a), world.export(b)])
    return base


def test_an_invalid_merge_is_shown_at_the_field_and_fixed_by_typing(world: World, qtbot: QtBot) -> None:
    base = talk_edited_apart(world, {"interviewer": "王强"}, {"recorder": "王强"})
    view = make_view(qtbot, world.office)
    recorder = view.field_choices()["recorder"]
    assert recorder.problem_text() == "记录人不能与主谈人为同一人（谈话应不少于两人）"
    assert not view.apply_button.isEnabled()
    assert view.status_text() == "有 1 处不符合填写要求，已在字段下标出，请修改后再应用"
    edit = recorder.value_editor.widget if recorder.value_editor is not None else None
    assert isinstance(edit, QLineEdit) and edit.text() == "王强"  # opened at the problem
    edit.clear()
    assert recorder.problem_text() == "请填写记录人"
    type_text(edit, "李明")
    assert recorder.problem_text() == "" and view.apply_button.isEnabled() and view.status_text() == ""
    with qtbot.waitSignal(view.conflicts_changed) as changed:
        view.apply_button.click()
    assert changed.args == [0] and ConflictService(world.office).list_open() == []
    fixed = RecordService[InterviewRecord](world.office, INTERVIEW).get(base.id)
    assert (fixed.interviewer, fixed.recorder) == ("王强", "李明")
    assert INTERVIEW.validate(fixed, date.today()) == []


def test_end_before_start_is_fixed_on_another_field_and_any_field_can_be_corrected(
    world: World, qtbot: QtBot
) -> None:
    base = talk_edited_apart(world, {"start_time": "10:00"}, {"end_time": "09:30"})
    view = make_view(qtbot, world.office)
    assert view.field_choices()["end_time"].problem_text() == "结束时间应晚于开始时间"
    start = view.field_choices()["start_time"]
    assert start.problem_text() == "" and start.edit_button is not None
    start.edit_button.click()  # 修改 the other field of the rule
    assert isinstance(start.value_editor.widget, QLineEdit)
    start.value_editor.widget.setText("09:00")
    assert view.field_choices()["end_time"].problem_text() == "" and view.apply_button.isEnabled()
    assert "location" not in view.field_choices()
    view.all_fields_box.setChecked(True)  # 显示全部字段
    location = view.field_choices()["location"]
    assert location.edit_button is not None
    location.edit_button.click()
    location.value_editor.widget.setText("县财政局一楼接待室")
    view.all_fields_box.setChecked(False)  # a typed field stays in view: it is part of the result
    assert "location" in view.field_choices() and "post" not in view.field_choices()
    view.apply_button.click()
    fixed = RecordService[InterviewRecord](world.office, INTERVIEW).get(base.id)
    assert (fixed.start_time, fixed.end_time, fixed.location) == ("09:00", "09:30", "县财政局一楼接待室")
    assert ConflictService(world.office).count_open() == 0
