"""回头看: the round must name the round it revisits; per revisited unit the earlier round's tasks with
their state; one result per task and round; results only for tasks of the revisited round."""

from __future__ import annotations

import dataclasses
from datetime import date
from typing import Any

import pytest

from tests.builders import Context, make_context
from tests.unit.services.rectification.conftest import feedback_for, other_unit, signed
from xuncha_desktop.domain.errors import ValidationError
from xuncha_desktop.domain.organization import InspectionRound, TargetUnit
from xuncha_desktop.domain.record_types import RECHECK, ROUND, TARGET
from xuncha_desktop.domain.rectification import RecheckResult
from xuncha_desktop.services.records.record_service import ListQuery, RecordService
from xuncha_desktop.services.rectification.feedback import give_feedback
from xuncha_desktop.services.rectification.recheck import earlier_round, recheck_items, record_recheck
from xuncha_desktop.services.workspace import Workspace
from xuncha_desktop.storage import revision_body
from xuncha_desktop.storage.database import write_transaction
from xuncha_desktop.storage.tables import BUSINESS_TABLES


def recheck_round(ws: Workspace, earlier: Context, *units: str) -> InspectionRound:
    """A 回头看 round of the year after, revisiting `units` by name (all units when none are named)."""
    rnd = RecordService[InspectionRound](ws, ROUND).save(
        InspectionRound(
            name="2026年第1轮巡察（回头看）",
            year=2026,
            ordinal=1,
            kind="回头看",
            start_on=date(2026, 3, 1),
            earlier_round_id=earlier.round.id,
        )
    )
    for name in units:
        RecordService[TargetUnit](ws, TARGET).save(TargetUnit(round_id=rnd.id, name=name, kind="县直部门"))
    return rnd


def _two_units(office: Workspace, octx: Context) -> tuple[Context, list[Any], list[Any]]:
    other = other_unit(office, octx)
    for ctx, titles in ((octx, ("甲问题", "乙问题")), (other, ("丙问题",))):
        for title in titles:
            signed(office, ctx, title)
    mine = give_feedback(office, feedback_for(octx))[1]
    theirs = give_feedback(office, feedback_for(other))[1]
    return other, mine, theirs


def test_a_recheck_round_lists_the_earlier_tasks_of_the_units_it_revisits(
    office: Workspace, octx: Context
) -> None:
    _other, mine, _theirs = _two_units(office, octx)
    rnd = recheck_round(office, octx, "清河县财政局党组")
    items = recheck_items(office, rnd.id)
    assert [(i.unit_name, i.task.issue, i.result) for i in items] == [
        ("清河县财政局党组", "甲问题", None),
        ("清河县财政局党组", "乙问题", None),
    ]
    assert {i.earlier_round for i in items} == {"2025年第3轮巡察"}
    result = record_recheck(
        office,
        RecheckResult(round_id=rnd.id, task_id=mine[0].id, checked_on=date(2026, 3, 10), result="反弹回潮"),
    )
    assert result.target_id == octx.target.id
    items = recheck_items(office, rnd.id)
    assert [(i.task.id, i.result.result if i.result else None) for i in items] == [
        (mine[0].id, "反弹回潮"),
        (mine[1].id, None),
    ]


def test_without_units_of_its_own_a_recheck_round_revisits_every_unit(
    office: Workspace, octx: Context
) -> None:
    _two_units(office, octx)
    rnd = recheck_round(office, octx)
    assert [i.unit_name for i in recheck_items(office, rnd.id)] == [
        "清河县教育局党组",
        "清河县财政局党组",
        "清河县财政局党组",
    ] or [i.task.issue for i in recheck_items(office, rnd.id)] == ["甲问题", "乙问题", "丙问题"]


def test_a_second_result_for_the_same_task_replaces_the_first(office: Workspace, octx: Context) -> None:
    _other, mine, _ = _two_units(office, octx)
    rnd = recheck_round(office, octx)
    first = RecheckResult(
        round_id=rnd.id, task_id=mine[0].id, checked_on=date(2026, 3, 10), result="整改不到位"
    )
    record_recheck(office, first)
    record_recheck(office, dataclasses.replace(first, checked_on=date(2026, 3, 20), result="属实整改"))
    stored = RecordService[Any](office, RECHECK).list(ListQuery(limit=None))
    assert [(r.result, r.checked_on) for r in stored] == [("属实整改", date(2026, 3, 20))]


def test_a_recheck_round_naming_no_earlier_round_is_refused_at_that_field(
    office: Workspace, octx: Context
) -> None:
    with pytest.raises(ValidationError) as caught:  # the round itself cannot be saved so
        RecordService[InspectionRound](office, ROUND).save(
            InspectionRound(name="回头看", year=2026, ordinal=1, kind="回头看")
        )
    assert [e.field for e in caught.value.errors] == ["earlier_round_id"]
    rnd = recheck_round(office, octx)
    rounds = BUSINESS_TABLES[ROUND.key]
    with write_transaction(office.engine) as conn:  # as an old or damaged record might hold it
        revision_body.spill(conn, ROUND.key, [rnd.id])  # the row stops being its head's body
        conn.execute(rounds.update().where(rounds.c.id == rnd.id).values(earlier_round_id=""))
    for call in (lambda: recheck_items(office, rnd.id), lambda: earlier_round(office, rnd.id)):
        with pytest.raises(ValidationError) as caught:
            call()
        assert [(e.field, e.message) for e in caught.value.errors] == [
            ("earlier_round_id", "“2026年第1轮巡察（回头看）”：回头看轮次须指明所针对的前一轮巡察")
        ]
    with write_transaction(office.engine) as conn:
        conn.execute(rounds.update().where(rounds.c.id == rnd.id).values(earlier_round_id="不存在的轮次"))
    with pytest.raises(ValidationError) as caught:
        recheck_items(office, rnd.id)
    assert caught.value.errors[0].message.endswith("回头看所针对的轮次不存在")


def test_a_result_in_a_round_that_is_not_a_recheck_or_for_a_task_of_another_round_is_refused(
    office: Workspace, octx: Context
) -> None:
    _other, mine, _ = _two_units(office, octx)
    later = make_context(office, year=2026, ordinal=2)
    signed(office, later, "新一轮的问题")
    [foreign_task] = give_feedback(office, feedback_for(later))[1]
    rnd = recheck_round(office, octx)
    result = RecheckResult(
        round_id=octx.round.id, task_id=mine[0].id, checked_on=date(2026, 3, 10), result="属实整改"
    )
    with pytest.raises(ValidationError) as caught:
        record_recheck(office, result)
    assert [(e.field, e.message) for e in caught.value.errors] == [
        ("round_id", "“2025年第3轮巡察”不是回头看轮次")
    ]
    with pytest.raises(ValidationError) as caught:
        record_recheck(office, dataclasses.replace(result, round_id=rnd.id, task_id=foreign_task.id))
    assert caught.value.errors[0].field == "task_id"
    with pytest.raises(ValidationError) as caught:
        record_recheck(office, dataclasses.replace(result, round_id=rnd.id, result="基本属实"))
    assert caught.value.errors[0].field == "result"
    assert RecordService[Any](office, RECHECK).count(ListQuery(limit=None)) == 0
