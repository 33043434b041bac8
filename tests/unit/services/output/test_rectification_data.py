"""What the rectification outputs read: rounds and units named on the command line (Chinese errors for none
or several), feedbacks of a unit or round, the latest 督导 note per task, and values as printed."""

from __future__ import annotations

import pytest

from tests.builders import make_context
from tests.rectification_output_builders import TODAY, UNIT, RectificationRound, rectification_round
from xuncha_desktop.domain.errors import XunchaError
from xuncha_desktop.domain.organization import TargetUnit
from xuncha_desktop.domain.record_types import TARGET
from xuncha_desktop.services.output.rectification_data import (
    category_text,
    chosen_feedbacks,
    feedback_dates,
    iterate_tasks,
    latest_notes,
    note_text,
    points_text,
    resolve_round,
    resolve_unit,
    score_value_text,
    unit_report,
)
from xuncha_desktop.services.records.context_names import load_context_names
from xuncha_desktop.services.records.record_service import RecordService
from xuncha_desktop.services.rectification.evaluation import ScoreLine, load_scheme
from xuncha_desktop.services.rectification.tasks import TaskQuery
from xuncha_desktop.services.workspace import Workspace


@pytest.fixture
def done(workspace: Workspace) -> RectificationRound:
    return rectification_round(workspace)


def test_a_round_is_found_by_name_or_id_and_an_unknown_one_lists_the_rounds(
    workspace: Workspace, done: RectificationRound
) -> None:
    assert resolve_round(workspace, "2025年 第3轮巡察").id == done.ctx.round.id
    assert resolve_round(workspace, done.ctx.round.id).id == done.ctx.round.id
    with pytest.raises(XunchaError, match="找不到巡察轮次“第9轮”；现有轮次：“2025年第3轮巡察”"):
        resolve_round(workspace, "第9轮")


def test_a_unit_is_found_by_name_within_a_round_when_names_repeat(
    workspace: Workspace, done: RectificationRound
) -> None:
    later = make_context(workspace, year=2026, ordinal=1)  # the same unit inspected again
    assert later.target.name == UNIT
    with pytest.raises(XunchaError, match=f"有 2 个被巡察单位叫“{UNIT}”.*请用 --round 指定轮次名称"):
        resolve_unit(workspace, UNIT)
    assert resolve_unit(workspace, UNIT, done.ctx.round.id).id == done.ctx.target.id
    assert resolve_unit(workspace, done.ctx.target.id).id == done.ctx.target.id
    with pytest.raises(XunchaError, match="轮次“2025年第3轮巡察”中找不到被巡察单位“县档案馆”"):
        resolve_unit(workspace, "县档案馆", done.ctx.round.id)


def test_feedbacks_of_a_unit_and_of_a_round(workspace: Workspace, done: RectificationRound) -> None:
    ids = [f.id for f in chosen_feedbacks(workspace, round_id=done.ctx.round.id)]
    assert ids == [done.feedback.id, done.other_feedback.id]
    assert [f.id for f in chosen_feedbacks(workspace, target_id=done.other.id)] == [done.other_feedback.id]
    assert feedback_dates(workspace)[done.feedback.id] == done.feedback.given_on
    unit = RecordService[TargetUnit](workspace, TARGET).save(
        TargetUnit(round_id=done.ctx.round.id, group_id=done.ctx.group.id, name="县档案馆")
    )
    with pytest.raises(XunchaError, match="被巡察单位“县档案馆”还没有巡察反馈记录"):
        chosen_feedbacks(workspace, target_id=unit.id)


def test_the_latest_note_of_each_task(workspace: Workspace, done: RectificationRound) -> None:
    latest = latest_notes(workspace, done.ctx.round.id)
    _closed, open_, basic = done.tasks
    assert latest[open_.id].progress == "采购手续尚在补办"
    assert latest[basic.id].progress == "已制定整改方案"
    assert done.other_tasks[0].id not in latest
    assert note_text(latest[open_.id]) == "采购手续尚在补办（王晓东）" and note_text(None) == ""


def test_tasks_are_read_in_pages(workspace: Workspace, done: RectificationRound, monkeypatch) -> None:
    from xuncha_desktop.services.output import rectification_data

    monkeypatch.setattr(rectification_data, "PAGE_SIZE", 3)
    tasks = list(iterate_tasks(workspace, TaskQuery(today=TODAY)))
    assert len(tasks) == len({t.id for t in tasks}) == 4


def test_a_unit_report_holds_its_tasks_with_notes_oldest_first_and_its_deadlines(
    workspace: Workspace, done: RectificationRound
) -> None:
    report = unit_report(workspace, done.feedback, TODAY, load_context_names(workspace))
    assert report.unit_name == UNIT and report.round_name == done.ctx.round.name
    assert [r.task.id for r in report.tasks] == [t.id for t in done.tasks]
    assert [n.progress for n in report.tasks[1].notes] == ["已制定整改方案", "采购手续尚在补办"]
    assert [d.what for d in report.deadlines] == ["整改方案", "整改报告", "专题民主生活会"]


def test_values_as_printed(workspace: Workspace) -> None:
    assert category_text("B2").startswith("B2 ") and category_text("自定义类别") == "自定义类别"
    assert category_text("") == ""
    assert (points_text(12.5), points_text(10.0), points_text(-2.25), points_text(-0.0)) == (
        "12.5",
        "10",
        "-2.25",
        "0",
    )
    scheme = load_scheme(workspace)
    rate_label = next(i.label for i in scheme.items if i.metric == "completion_rate")
    assert score_value_text(ScoreLine(rate_label, 2 / 3, -13.33, ""), scheme) == "66.7%"
    assert score_value_text(ScoreLine("基础分", 100.0, 100.0, ""), scheme) == "100"
