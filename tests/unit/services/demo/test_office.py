"""The office demo: reproducible, its plan keeps the plan rules (no 回避 either), it passes the integrity
check, and a newcomer finds three rounds (two finished), groups staffed from the pool, 全覆盖 under way and
a pool whose history shows the 鉴定 grades."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from tests.builders import PASSPHRASE
from tests.unit.services.demo.reading import all_records
from xuncha_desktop.domain import vocab
from xuncha_desktop.domain.codec import to_body
from xuncha_desktop.domain.errors import XunchaError
from xuncha_desktop.domain.plan_rules import avoidance_conflicts, check_plan
from xuncha_desktop.domain.record_types import (
    ALL_RECORD_TYPES,
    APPRAISAL,
    CADRE,
    DRAFT,
    GROUP,
    INTERVIEW,
    LEAD,
    MEMBER,
    PARTY_ORGANIZATION,
    ROUND,
    TARGET,
    USER,
)
from xuncha_desktop.domain.states import DraftState, LeadState
from xuncha_desktop.services.demo.office import OfficeSummary, build_office_demo
from xuncha_desktop.services.plan.cadre_pool import CadrePool
from xuncha_desktop.services.plan.coverage import term_coverage
from xuncha_desktop.services.plan.plan_snapshot import load_snapshot
from xuncha_desktop.services.security.integrity import check_workspace
from xuncha_desktop.services.workspace import Workspace
from xuncha_desktop.storage.keyfile import KdfParams

TODAY = date(2026, 5, 20)


def _office(path: Path) -> Workspace:
    return Workspace.create(path, PASSPHRASE, kdf=KdfParams.cheap(), office=True)


@pytest.fixture(scope="module")
def office(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Workspace, OfficeSummary]]:
    """One office demo shared by the read-only tests (built once: it takes about a second)."""
    ws = _office(tmp_path_factory.mktemp("office") / "巡察办演示.xcdb")
    summary = build_office_demo(ws, seed=1, today=TODAY)
    yield ws, summary
    ws.close()


def _by_id(ws: Workspace, rt: Any) -> dict[str, Any]:
    return {r.id: r for r in all_records(ws, rt)}


def _content(ws: Workspace) -> dict[str, list[Any]]:
    return {
        rt.key: sorted(
            (r.number, r.id, str(to_body(r)))
            for r in all_records(ws, rt)
            if not (rt.key == "user" and r.id == ws.user.id)
        )
        for rt in ALL_RECORD_TYPES
    }


# -- reproducible -----------------------------------------------------------------------------------------
def test_the_same_seed_and_day_give_the_same_workspace(tmp_path: Path) -> None:
    first, second, other = (_office(tmp_path / f"{n}.xcdb") for n in ("一", "二", "三"))
    try:
        a = build_office_demo(first, seed=5, records=80, today=TODAY)
        assert build_office_demo(second, seed=5, records=80, today=TODAY) == a
        build_office_demo(other, seed=6, records=80, today=TODAY)
        assert _content(first) == _content(second)
        assert _content(first)[CADRE.key] != _content(other)[CADRE.key]
    finally:
        for ws in (first, second, other):
            ws.close()


def test_a_field_workspace_is_refused(workspace: Workspace) -> None:
    with pytest.raises(XunchaError, match="只能写入巡察办工作库"):
        build_office_demo(workspace, seed=1, today=TODAY)


# -- rules and integrity ----------------------------------------------------------------------------------
def test_the_plan_keeps_every_plan_rule_and_the_workspace_passes_the_check(
    office: tuple[Workspace, OfficeSummary],
) -> None:
    ws, _ = office
    with ws.engine.connect() as conn:
        plan = load_snapshot(conn)
    everything = {*plan.rounds, *plan.groups, *plan.members, *plan.targets, *plan.users}
    assert len(everything) > 80
    assert check_plan(plan, everything) == []
    assert check_workspace(ws) == []


def test_members_come_from_the_pool_without_a_conflict_of_interest(
    office: tuple[Workspace, OfficeSummary],
) -> None:
    ws, _ = office
    cadres, groups = _by_id(ws, CADRE), _by_id(ws, GROUP)
    targets = all_records(ws, TARGET)
    for member in all_records(ws, MEMBER):
        cadre = cadres[member.cadre_id]
        assert (member.name, member.home_unit) == (cadre.name, cadre.home_unit)
        mine = [t for t in targets if t.group_id == member.group_id]
        assert mine and avoidance_conflicts(cadre, mine) == [], (member.name, groups[member.group_id].name)
        assert member.avoidance_override == ""
    per_round = Counter((groups[m.group_id].round_id, m.cadre_id) for m in all_records(ws, MEMBER))
    assert max(per_round.values()) == 1


def test_target_units_are_entries_of_the_master_list(office: tuple[Workspace, OfficeSummary]) -> None:
    ws, _ = office
    orgs = _by_id(ws, PARTY_ORGANIZATION)
    for target in all_records(ws, TARGET):
        org = orgs[target.org_id]
        assert (target.name, target.kind) == (org.name, org.kind) and org.active


# -- what a newcomer sees ---------------------------------------------------------------------------------
def test_a_term_master_list_of_one_county(office: tuple[Workspace, OfficeSummary]) -> None:
    ws, summary = office
    orgs = all_records(ws, PARTY_ORGANIZATION)
    kinds = Counter(o.kind for o in orgs if o.active)
    assert 110 <= summary.party_orgs == len(orgs) <= 130
    assert 35 <= kinds["县直部门"] <= 45 and 13 <= kinds["乡镇(街道)"] <= 16 and 40 <= kinds["村(社区)"] <= 50
    assert set(kinds) == set(vocab.UNIT_KINDS)
    retired = [o for o in orgs if not o.active]
    assert 1 <= len(retired) <= 2 and all(o.retired_reason for o in retired)
    by_id = {o.id: o for o in orgs}
    villages = [o for o in orgs if o.kind == "村(社区)"]
    assert all(by_id[v.parent_id].kind == "乡镇(街道)" and by_id[v.parent_id].active for v in villages)
    assert len({o.name for o in orgs}) == len(orgs)


def test_three_rounds_two_finished_and_one_on_site_today(office: tuple[Workspace, OfficeSummary]) -> None:
    ws, summary = office
    rounds = sorted(all_records(ws, ROUND), key=lambda r: r.start_on)
    assert summary.rounds == len(rounds) == 3
    assert all(r.end_on < TODAY for r in rounds[:2])
    assert rounds[2].start_on < TODAY < rounds[2].end_on
    assert rounds[0].kind == "常规" and rounds[1].kind == "回头看" and rounds[2].kind in ("常规", "专项")
    groups = Counter(g.round_id for g in all_records(ws, GROUP))
    assert all(2 <= groups[r.id] <= 3 for r in rounds) and summary.groups == sum(groups.values())
    for rt in (INTERVIEW, DRAFT, LEAD):  # every round has records of every group, numbered in its round
        records = all_records(ws, rt)
        assert {r.group_id for r in records} == {g.id for g in all_records(ws, GROUP)}
        names = {r.id: f"{r.year}-{r.ordinal}轮-" for r in rounds}
        assert all(r.number.startswith(names[r.round_id]) for r in records)


def test_finished_rounds_are_closed_and_the_current_one_is_under_way(
    office: tuple[Workspace, OfficeSummary],
) -> None:
    ws, _ = office
    finished = {r.id for r in all_records(ws, ROUND) if r.end_on < TODAY}
    drafts, leads = all_records(ws, DRAFT), all_records(ws, LEAD)
    done = (DraftState.SIGNED, DraftState.MERGED, DraftState.VOID)
    assert all(d.status in done for d in drafts if d.round_id in finished)
    assert (
        Counter(d.status for d in drafts if d.round_id in finished).most_common(1)[0][0] == DraftState.SIGNED
    )
    assert all(d.transfer_on is not None for d in leads if d.round_id in finished)
    current = {d.status for d in drafts if d.round_id not in finished}
    assert DraftState.DRAFT in current and DraftState.PENDING_REVIEW in current
    current_leads = {d.status for d in leads if d.round_id not in finished}
    assert LeadState.REGISTERED in current_leads and LeadState.CLOSED not in current_leads


def test_every_member_of_a_finished_round_has_a_graded_appraisal_and_the_current_members_logins(
    office: tuple[Workspace, OfficeSummary],
) -> None:
    ws, summary = office
    finished = {r.id for r in all_records(ws, ROUND) if r.end_on < TODAY}
    groups = _by_id(ws, GROUP)
    members = all_records(ws, MEMBER)
    appraised = {a.member_id: a.grade for a in all_records(ws, APPRAISAL)}
    earlier = {m.id for m in members if groups[m.group_id].round_id in finished}
    assert set(appraised) == earlier and all(appraised.values()) and summary.appraisals == len(earlier)
    logins = {u.member_id: u for u in all_records(ws, USER) if u.member_id}
    assert set(logins) == {m.id for m in members} - earlier
    assert all(u.login == u.display_name and u.active for u in logins.values())


def test_finished_rounds_appraisals_are_approved_within_the_excellent_cap(
    office: tuple[Workspace, OfficeSummary],
) -> None:
    ws, _ = office
    appraisals = all_records(ws, APPRAISAL)
    assert appraisals and {a.status for a in appraisals} == {"已审定"}
    assert all(a.approved_grade in vocab.APPRAISAL_GRADES for a in appraisals)
    assert all(
        [e["step"] for e in a.approvals] == ["推荐等次", "提出考核意见", "审定等次"] for a in appraisals
    )
    for round_id in {a.round_id for a in appraisals}:
        in_round = [a for a in appraisals if a.round_id == round_id]
        excellent = sum(a.approved_grade == "优秀" for a in in_round)
        assert 1 <= excellent <= max(1, len(in_round) // 5), round_id  # 20 %, rounded down, one at least


def test_coverage_is_under_way(office: tuple[Workspace, OfficeSummary]) -> None:
    ws, _ = office
    coverage = term_coverage(ws)
    active = [o for o in all_records(ws, PARTY_ORGANIZATION) if o.active]
    assert coverage.total.total == len(active)
    assert 0 < coverage.total.inspected < coverage.total.total
    assert 10 < coverage.total.percent < 50
    inspected_twice = [o for o in coverage.orgs if len(o.inspections) > 1]
    assert inspected_twice, "the 回头看 round goes back to units of the first round"


def test_the_pool_history_of_a_cadre_who_served_twice_shows_the_grades(
    office: tuple[Workspace, OfficeSummary],
) -> None:
    ws, summary = office
    pool = CadrePool(ws)
    entries = pool.find()
    assert summary.cadres == len(entries) >= 75
    veterans = [e for e in entries if e.times_served >= 3]
    assert veterans, "the 巡察办's own 组长 serve in every round"
    history = pool.history(veterans[0].cadre.id)
    assert [line.year for line in history] == sorted(line.year for line in history)
    graded = [line for line in history if line.grade]
    assert len(graded) >= 2 and all(line.grade in vocab.APPRAISAL_GRADES for line in graded)
    assert history[-1].grade == ""  # the current round has no 鉴定 yet
    twice = [e for e in entries if e.times_served == 2]
    assert twice and all(len(pool.history(e.cadre.id)) == 2 for e in twice)


def test_a_few_cadres_are_paused_or_left_with_a_reason_and_none_serves_today(
    office: tuple[Workspace, OfficeSummary],
) -> None:
    ws, _ = office
    cadres = all_records(ws, CADRE)
    statuses = Counter(c.status for c in cadres)
    assert statuses["暂停"] >= 2 and statuses["退出"] >= 2 and statuses["在库"] > 60
    away = {c.id for c in cadres if c.status != "在库"}
    assert all(c.status_reason for c in cadres if c.id in away)
    current = {r.id for r in all_records(ws, ROUND) if r.end_on >= TODAY}
    groups = _by_id(ws, GROUP)
    serving = {m.cadre_id for m in all_records(ws, MEMBER) if groups[m.group_id].round_id in current}
    assert not serving & away
    assert any(c.specialities for c in cadres) and all(c.home_unit for c in cadres)
