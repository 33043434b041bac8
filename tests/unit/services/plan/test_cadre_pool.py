"""The 人才库 service: finding cadres by every filter, the history read from the groups they served in with
their 鉴定 grades, and saving an entry."""

from __future__ import annotations

import dataclasses
from datetime import date, timedelta
from typing import Any

import pytest
from sqlalchemy import String, cast, literal, select, update

from tests.builders import Context, appraisal
from tests.plan_builders import Plan, make_plan
from xuncha_desktop.domain.cadre_pool import Cadre
from xuncha_desktop.domain.errors import RecordNotFound, ValidationError
from xuncha_desktop.domain.record_types import APPRAISAL, CADRE, ROUND
from xuncha_desktop.services.plan import plan_service
from xuncha_desktop.services.plan.cadre_pool import CadrePool, PoolEntry, PoolQuery, PoolRow, ServiceLine
from xuncha_desktop.services.plan.plan_service import AvoidanceConflict
from xuncha_desktop.services.records.record_service import RecordService
from xuncha_desktop.services.security.audit_log import AuditLog, AuditQuery
from xuncha_desktop.services.workspace import Workspace
from xuncha_desktop.storage import revision_body
from xuncha_desktop.storage.tables import BUSINESS_TABLES


def _grade(ws: Workspace, plan: Plan, member_id: str, grade: str, approved: str = "") -> None:
    ctx = Context(plan.round, plan.group, plan.target)
    decided: dict[str, Any] = (
        {"status": "已审定", "approved_grade": approved, "office_opinion": "同意"} if approved else {}
    )
    RecordService(ws, APPRAISAL).save(
        appraisal(ctx, member_id=member_id, name="张建国", grade=grade, **decided)
    )


def test_history_after_two_rounds_lists_both_with_their_grades(office: Workspace) -> None:
    first = make_plan(office, year=2024, ordinal=2)
    second = make_plan(office, year=2025, ordinal=1)
    cadre = first.cadre(specialities=["财务"])
    served = first.service.add_from_pool(first.group.id, cadre.id)
    _grade(office, first, served.id, "称职", approved="优秀")  # the 领导小组 decided otherwise
    again = second.service.add_from_pool(second.other_group.id, cadre.id, role="副组长", staffing="专职")
    _grade(office, second, again.id, "称职")  # not decided yet: the recommended grade, marked

    assert CadrePool(office).history(cadre.id) == [
        ServiceLine("2024年第2轮巡察", 2024, "常规", "第一巡察组", "组员", "抽调", "优秀"),
        ServiceLine("2025年第1轮巡察", 2025, "常规", "第二巡察组", "副组长", "专职", "称职（推荐）"),
    ]
    [entry] = CadrePool(office).find()
    assert (entry.times_served, entry.last_round) == (2, "2025年第1轮巡察")


def test_history_leaves_out_retired_members_and_shows_no_grade_without_appraisal(plan: Plan) -> None:
    cadre = plan.cadre()
    member = plan.service.add_from_pool(plan.group.id, cadre.id)
    assert [line.grade for line in plan.pool.history(cadre.id)] == [""]
    plan.service.retire("member", member.id)
    assert plan.pool.history(cadre.id) == []
    [entry] = plan.pool.find()
    assert entry == PoolEntry(entry.cadre, 0, "")


def test_find_by_speciality_status_and_text(plan: Plan) -> None:
    plan.cadre("张建国", specialities=["财务", "审计"])
    plan.cadre("李明", specialities=["法律"], home_unit="清河县司法局")
    plan.cadre("王芳", specialities=["财务"], status="暂停", status_reason="产假")
    names = lambda entries: [e.cadre.name for e in entries]  # noqa: E731
    assert names(plan.pool.find(speciality="财务")) == ["张建国", "王芳"]
    assert names(plan.pool.find(speciality="财务", status="在库")) == ["张建国"]
    assert names(plan.pool.find(text="司法")) == ["李明"]
    assert names(plan.pool.find(text="王")) == ["王芳"]
    assert names(plan.pool.find(text="%")) == []  # a LIKE wildcard is only a character
    assert names(plan.pool.find(speciality="工程")) == []
    assert len(plan.pool.find(limit=2)) == 2
    assert names(plan.pool.find(speciality="财务", limit=1)) == ["张建国"]


def test_a_speciality_is_found_as_typed_and_as_older_files_escaped_it(plan: Plan, office: Workspace) -> None:
    typed = plan.cadre("张建国", specialities=["财务"])
    escaped = plan.cadre("王芳", specialities=["财务"])
    table = BUSINESS_TABLES[CADRE.key]
    with office.engine.begin() as conn:
        stored = conn.execute(select(cast(table.c.specialities, String)).where(table.c.id == typed.id))
        assert stored.scalar_one() == '["财务"]'  # the file holds the characters, not \\u escapes
        revision_body.spill(conn, CADRE.key, [escaped.id])  # the row stops being its head's body
        conn.execute(  # as a workspace written before version 8 holds it
            update(table).where(table.c.id == escaped.id).values(specialities=literal('["\\u8d22\\u52a1"]'))
        )
    assert {e.cadre.name for e in plan.pool.find(speciality="财务")} == {"张建国", "王芳"}
    assert plan.pool.find(speciality="工程") == []


def test_find_by_times_served(office: Workspace) -> None:
    first = make_plan(office, year=2024)
    second = make_plan(office, year=2025)
    twice, once, never = first.cadre("张建国"), first.cadre("李明"), first.cadre("王芳")
    first.service.add_from_pool(first.group.id, twice.id)
    second.service.add_from_pool(second.group.id, twice.id)
    first.service.add_from_pool(first.other_group.id, once.id)
    pool = CadrePool(office)
    times = {e.cadre.name: e.times_served for e in pool.find()}
    assert times == {"张建国": 2, "李明": 1, "王芳": 0}
    assert [e.cadre.id for e in pool.find(min_times=1, max_times=1)] == [once.id]
    assert [e.cadre.id for e in pool.find(max_times=0)] == [never.id]
    assert {e.cadre.id for e in pool.find(min_times=1)} == {twice.id, once.id}
    assert {e.last_round for e in pool.find(min_times=1)} == {"2024年第1轮巡察", "2025年第1轮巡察"}


def test_a_round_in_the_recycle_bin_no_longer_counts(office: Workspace, plan: Plan) -> None:
    cadre = plan.cadre()
    plan.service.add_from_pool(plan.group.id, cadre.id)
    later = make_plan(office, year=2026)
    later.service.add_from_pool(later.group.id, cadre.id)
    assert plan.pool.find()[0].last_round == "2026年第1轮巡察"
    RecordService(office, ROUND).delete(later.round.id)  # as a generic delete (or a sync) leaves it
    [entry] = plan.pool.find()
    assert (entry.times_served, entry.last_round) == (1, "2025年第1轮巡察")
    assert [line.year for line in plan.pool.history(cadre.id)] == [2025]


def test_save_validates_and_audits(office: Workspace, plan: Plan) -> None:
    with pytest.raises(ValidationError) as caught:
        plan.pool.save(Cadre(name="张建国", status="暂停"))
    assert [e.field for e in caught.value.errors] == ["status_reason"]
    cadre = plan.pool.save(Cadre(name="张建国", earlier_units=["清河县财政局"]))
    moved = plan.pool.save(dataclasses.replace(cadre, home_unit="清河县审计局"))
    assert moved.home_unit == "清河县审计局" and moved.earlier_units == ["清河县财政局"]
    entries = AuditLog(office).list(AuditQuery(record_type="cadre"))
    assert [e.action for e in entries] == ["update", "create"]


def test_the_list_reads_light_rows_a_page_at_a_time_with_the_count(office: Workspace, plan: Plan) -> None:
    served = plan.cadre("张建国", specialities=["财务", "审计"], home_post="副局长")
    plan.cadre("李明", specialities=["法律"])
    plan.cadre("王芳", specialities=["财务"], status="暂停", status_reason="产假")
    plan.cadre("赵强", specialities=["工程"])
    plan.service.add_from_pool(plan.group.id, served.id)
    pool = CadrePool(office)
    everyone = pool.rows()
    assert [r.name for r in everyone] == [e.cadre.name for e in pool.find()]
    assert pool.count() == 4
    first = next(r for r in everyone if r.id == served.id)
    assert first == PoolRow(
        served.id,
        served.number,
        "张建国",
        "清河县审计局",
        "副局长",
        ("财务", "审计"),
        "在库",
        1,
        "2025年第1轮巡察",
    )
    pages = [pool.rows(offset=offset, limit=2) for offset in (0, 2, 4)]
    assert [[r.name for r in page] for page in pages] == [
        [r.name for r in everyone[:2]],
        [r.name for r in everyone[2:]],
        [],
    ]
    finance = PoolQuery(speciality="财务")
    assert [r.name for r in pool.rows(finance)] == ["张建国", "王芳"] and pool.count(finance) == 2
    assert [r.name for r in pool.rows(finance, offset=1, limit=1)] == ["王芳"]
    assert pool.count(PoolQuery(speciality="财务", status="在库", min_times=1)) == 1
    assert pool.count(PoolQuery(max_times=0)) == 3
    assert pool.count(PoolQuery(text="%")) == 0
    assert pool.get(served.id) == RecordService(office, CADRE).get(served.id)
    with pytest.raises(RecordNotFound):
        pool.get("no-such-cadre")


def _overrides(ws: Workspace) -> list[Any]:
    return list(AuditLog(ws).list(AuditQuery(action=plan_service.AVOIDANCE_OVERRIDE)))


def test_a_new_unit_of_a_serving_cadre_is_checked_against_the_groups_units(
    office: Workspace, plan: Plan
) -> None:
    cadre = plan.cadre(home_unit="清河县审计局")
    member = plan.service.add_from_pool(plan.group.id, cadre.id)  # 第一巡察组 inspects 清河县财政局
    moved = dataclasses.replace(cadre, home_unit="清河县财政局国库科")
    with pytest.raises(AvoidanceConflict) as caught:
        plan.pool.save(moved)
    assert caught.value.conflicts == [
        "张建国现工作单位“清河县财政局国库科”与被巡察单位“清河县财政局”相同或隶属"
    ]
    assert plan.pool.get(cadre.id).home_unit == "清河县审计局" and _overrides(office) == []

    saved = plan.pool.save(moved, override="经领导小组研究同意")
    assert saved.home_unit == "清河县财政局国库科"
    [stored] = plan.service.members(plan.group.id)
    assert stored.id == member.id and stored.avoidance_override == "经领导小组研究同意"
    [entry] = _overrides(office)
    assert (entry.record_type, entry.record_id) == ("member", member.id)
    assert "清河县财政局国库科" in entry.summary and "领导小组" not in entry.summary

    # the conflict is known now: another edit of the entry does not ask again
    assert plan.pool.save(dataclasses.replace(saved, phone="13800000000")).phone == "13800000000"
    # an earlier unit is checked too, and the new reason is added to the one kept
    with pytest.raises(AvoidanceConflict):
        plan.pool.save(dataclasses.replace(plan.pool.get(cadre.id), earlier_units=["清河县财政局"]))
    plan.pool.save(
        dataclasses.replace(plan.pool.get(cadre.id), earlier_units=["清河县财政局"]), override="同意"
    )
    [stored] = plan.service.members(plan.group.id)
    assert stored.avoidance_override == "经领导小组研究同意；同意"


def test_a_finished_round_is_not_rechecked(office: Workspace, plan: Plan) -> None:
    cadre = plan.cadre(home_unit="清河县审计局")
    plan.service.add_from_pool(plan.group.id, cadre.id)
    finished = dataclasses.replace(
        plan.round, start_on=date.today() - timedelta(days=60), end_on=date.today() - timedelta(days=1)
    )
    plan.service.save(finished)
    saved = plan.pool.save(dataclasses.replace(cadre, home_unit="清河县财政局"))
    assert saved.home_unit == "清河县财政局" and _overrides(office) == []


def test_a_round_ending_today_is_still_checked(plan: Plan) -> None:
    cadre = plan.cadre(home_unit="清河县审计局")
    plan.service.add_from_pool(plan.group.id, cadre.id)
    plan.service.save(
        dataclasses.replace(plan.round, start_on=date.today() - timedelta(days=30), end_on=date.today())
    )
    with pytest.raises(AvoidanceConflict):
        plan.pool.save(dataclasses.replace(cadre, home_unit="清河县财政局"))
