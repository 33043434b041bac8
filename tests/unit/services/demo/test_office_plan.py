"""The office demo's plan, without a workspace: the master list's shape, the pool, the rounds' dates
relative to today, and staffing that keeps clear of 回避 (by the master list and by the names)."""

from __future__ import annotations

import random
from collections import Counter
from datetime import date, timedelta

import pytest

from xuncha_desktop.domain.organization import TargetUnit
from xuncha_desktop.services.demo.office_plan import (
    OfficePlan,
    Org,
    PoolCadre,
    cadre_pool,
    free_of,
    master_list,
    office_plan,
    round_dates,
)
from xuncha_desktop.services.demo.records import new_uuid
from xuncha_desktop.services.demo.text import county


def _plan(seed: int, today: date) -> OfficePlan:
    rng = random.Random(seed)
    return office_plan(rng, lambda: new_uuid(rng), today)


def _orgs() -> list[Org]:
    rng = random.Random(0)
    return master_list(lambda: new_uuid(rng))


def test_towns_come_before_their_villages_and_retired_entries_say_why() -> None:
    orgs = _orgs()
    seen: set[str] = set()
    for org in orgs:
        assert not org.record.parent_id or org.record.parent_id in seen
        seen.add(org.id)
    villages = [o for o in orgs if o.kind == "村(社区)"]
    assert all(v.town and v.short.startswith(v.town) and v.town in v.record.name for v in villages)
    retired = [o.record for o in orgs if not o.record.active]
    assert [r.name for r in retired] == [county.RETIRED_DEPARTMENT[1], county.town_org("孙家坝乡")]
    assert "并入青龙镇" in retired[1].retired_reason


def test_work_units_and_party_organizations_are_worded_as_a_county_writes_them() -> None:
    assert county.work_unit("县财政局") == "清河县财政局"
    assert county.work_unit("县委组织部") == "中共清河县委组织部"
    assert county.work_unit("城关街道") == "清河县城关街道办事处"
    assert county.work_unit("石桥乡") == "清河县石桥乡人民政府"
    assert county.town_org("河西街道") == "中共清河县河西街道工作委员会"
    assert county.village_org("柳林镇", "柳林村") == "中共清河县柳林镇柳林村总支部委员会"
    assert county.village_org("柳林镇", "前进村") == "中共清河县柳林镇前进村支部委员会"


def test_the_pool_has_the_office_the_discipline_commission_and_the_units() -> None:
    rng = random.Random(3)
    orgs = _orgs()
    pool = cadre_pool(rng, lambda: new_uuid(rng), orgs)
    sources = Counter(p.source for p in pool)
    assert sources == {"office": 9, "discipline": 8, "unit": 63}
    assert len({p.cadre.name for p in pool}) == len(pool)
    by_id = {o.id: o for o in orgs}
    for p in pool:
        if p.source == "unit":
            homes = [by_id[i] for i in p.orgs if i in by_id]
            assert any(county.work_unit(o.short) == p.cadre.home_unit for o in homes)
            assert p.cadre.specialities
        else:
            assert p.orgs == frozenset() and p.cadre.earlier_units == []


@pytest.mark.parametrize("today", [date(2026, 12, 7), date(2027, 1, 15), date(2026, 3, 3)])
def test_rounds_are_dated_from_today_and_numbered_within_their_year(today: date) -> None:
    dates = round_dates(today)
    assert dates[0][1] < dates[1][0] and dates[1][1] < today - timedelta(days=60)
    assert dates[2][0] == today - timedelta(days=30) and dates[2][1] > today
    plan = _plan(2, today)
    rounds = [r.round for r in plan.rounds]
    assert [r.start_on for r in rounds] == [d[0] for d in dates]
    by_year = Counter(r.year for r in rounds)
    assert all(
        r.ordinal <= by_year[r.year] and r.name == f"{r.year}年第{'一二三'[r.ordinal - 1]}轮巡察"
        for r in rounds
    )
    assert [p.finished for p in plan.rounds] == [True, True, False]
    assert plan.rounds[2].calendar.onsite_end < today


def test_free_of_sees_the_town_over_a_village_and_the_names() -> None:
    orgs = _orgs()
    town = next(o for o in orgs if o.short == "柳林镇")
    village = next(o for o in orgs if o.record.parent_id == town.id)
    rng = random.Random(1)
    pool = cadre_pool(rng, lambda: new_uuid(rng), orgs)
    cadre = pool[0].cadre
    target = TargetUnit(id="t", round_id="r", group_id="g", name=village.record.name, kind=village.kind)
    from_town = PoolCadre(cadre, "unit", frozenset({town.id}))
    assert not free_of(from_town, [(target, village)])
    assert free_of(PoolCadre(cadre, "office", frozenset()), [(target, village)])
    named = PoolCadre(
        type(cadre)(name="甲", home_unit=village.record.name, status="在库"), "unit", frozenset()
    )  # the name alone: avoidance_conflicts
    assert not free_of(named, [(target, village)])


@pytest.mark.parametrize("seed", range(1, 7))
def test_every_group_is_staffed_by_roles_from_the_pool_once_per_round(seed: int) -> None:
    plan = _plan(seed, date(2026, 12, 7))
    statuses = {p.cadre.id: p.cadre.status for p in plan.pool}
    for rp in plan.rounds:
        in_round = [m.cadre_id for g in rp.groups for m in g.members]
        assert len(in_round) == len(set(in_round))
        units = [o.id for g in rp.groups for _, o in g.targets]
        assert len(units) == len(set(units)) and all(g.targets for g in rp.groups)
        for g in rp.groups:
            roles = [m.role for m in g.members]
            assert roles[0] == "组长" and roles[-1] == "联络员" and 1 <= roles.count("副组长") <= 2
            assert 6 <= len(roles) <= 7
            assert g.members[0].staffing == g.members[-1].staffing == "专职"
        if not rp.finished:
            assert all(statuses[c] == "在库" for c in in_round)
    kinds = [rp.round.kind for rp in plan.rounds]
    assert kinds[0] == "常规" and kinds[1] == "回头看" and kinds[2] in ("常规", "专项")
    assert plan.rounds[1].round.earlier_round_id == plan.rounds[0].round.id
    first = {o.id for g in plan.rounds[0].groups for _, o in g.targets}
    assert {o.id for g in plan.rounds[1].groups for _, o in g.targets} <= first
