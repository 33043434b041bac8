"""全覆盖 figures: per kind of unit, the active organizations of the master list that live target units of
live rounds inspected, the ones still due, and each organization's inspections."""

from __future__ import annotations

from tests.plan_builders import Plan, make_plan
from xuncha_desktop.domain.organization import InspectionGroup, InspectionRound, TargetUnit
from xuncha_desktop.domain.party_organizations import PartyOrganization
from xuncha_desktop.domain.record_types import PARTY_ORGANIZATION
from xuncha_desktop.services.plan.coverage import (
    KindCoverage,
    OrgQuery,
    OrgRow,
    count_orgs,
    inspections,
    org_rows,
    term_coverage,
)
from xuncha_desktop.services.records.record_service import RecordService
from xuncha_desktop.services.workspace import Workspace


def _org(ws: Workspace, name: str, kind: str = "县直部门", **kw: object) -> PartyOrganization:
    saved: PartyOrganization = RecordService(ws, PARTY_ORGANIZATION).save(
        PartyOrganization(name=name, kind=kind, **kw)  # type: ignore[arg-type]
    )
    return saved


def _inspect(plan: Plan, org: PartyOrganization, group: InspectionGroup | None = None) -> TargetUnit:
    group = group or plan.group
    unit = TargetUnit(round_id=plan.round.id, group_id=group.id, name=org.name, kind=org.kind, org_id=org.id)
    return plan.service.save(unit)


def test_an_empty_master_list_covers_nothing(office: Workspace) -> None:
    coverage = term_coverage(office)
    assert [k.kind for k in coverage.kinds] == [
        "县直部门",
        "乡镇(街道)",
        "村(社区)",
        "国有企业",
        "学校",
        "医院",
        "其他",
    ]
    assert coverage.total == KindCoverage("合计", 0, 0, 0, 0.0) and coverage.orgs == []


def test_figures_per_kind_and_each_organizations_inspections(office: Workspace) -> None:
    first = make_plan(office, year=2024, ordinal=2)
    second = make_plan(office, year=2025, ordinal=1)
    special = second.service.save(InspectionRound(name="2025年专项巡察", year=2025, ordinal=2, kind="专项"))
    special_group = second.service.save(InspectionGroup(round_id=special.id, ordinal=1, name="专项巡察组"))
    finance, school = _org(office, "清河县财政局"), _org(office, "清河一中", "学校")
    _org(office, "清河县水利局")
    town = _org(office, "城关镇", "乡镇(街道)")
    _org(office, "原粮食局", active=False, retired_reason="2024年并入发改局")
    _inspect(first, finance)
    _inspect(second, finance, second.other_group)
    _inspect(second, school)
    unit = TargetUnit(
        round_id=special.id, group_id=special_group.id, name="城关镇", kind="乡镇(街道)", org_id=town.id
    )
    second.service.save(unit)

    coverage = term_coverage(office)
    by_kind = {k.kind: k for k in coverage.kinds}
    assert by_kind["县直部门"] == KindCoverage("县直部门", 2, 1, 1, 50.0)
    assert by_kind["学校"] == KindCoverage("学校", 1, 1, 0, 100.0)
    assert by_kind["乡镇(街道)"] == KindCoverage("乡镇(街道)", 1, 1, 0, 100.0)
    assert by_kind["医院"] == KindCoverage("医院", 0, 0, 0, 0.0)
    assert coverage.total == KindCoverage("合计", 4, 3, 1, 75.0)
    visits = {o.org.name: o.inspections for o in coverage.orgs}
    assert visits == {
        "清河县财政局": [("2024年第2轮巡察", "常规", 2024), ("2025年第1轮巡察", "常规", 2025)],
        "清河县水利局": [],
        "城关镇": [("2025年专项巡察", "专项", 2025)],
        "清河一中": [("2025年第1轮巡察", "常规", 2025)],
    }
    assert [o.org.name for o in coverage.orgs][:2] == ["清河县水利局", "清河县财政局"]  # by kind, then name

    in_2024 = term_coverage(office, years=(2024, 2024))
    assert in_2024.total == KindCoverage("合计", 4, 1, 3, 25.0)
    assert {o.org.name: o.inspections for o in in_2024.orgs}["清河一中"] == []


def test_retired_units_and_rounds_do_not_count(office: Workspace, plan: Plan) -> None:
    finance = _org(office, "清河县财政局")
    unit = _inspect(plan, finance, plan.other_group)
    assert term_coverage(office).total.inspected == 1
    plan.service.retire("target", unit.id)
    assert term_coverage(office).total == KindCoverage("合计", 1, 0, 1, 0.0)


def test_the_list_reads_a_page_of_organizations_with_their_inspections_counted(office: Workspace) -> None:
    first = make_plan(office, year=2024, ordinal=2)
    second = make_plan(office, year=2025, ordinal=1)
    finance, school = _org(office, "清河县财政局"), _org(office, "清河一中", "学校")
    water = _org(office, "清河县水利局")
    merged = _org(office, "原粮食局", active=False, retired_reason="2024年并入发改局")
    _inspect(first, finance)
    _inspect(second, finance, second.other_group)
    _inspect(second, school)

    rows = {r.name: r for r in org_rows(office)}
    assert rows["清河县财政局"] == OrgRow(
        finance.id, finance.number, "清河县财政局", "县直部门", True, 2, "2025年第1轮巡察", "常规"
    )
    assert rows["清河县水利局"] == OrgRow(water.id, water.number, "清河县水利局", "县直部门", True, 0, "", "")
    assert rows["原粮食局"].active is False and count_orgs(office) == 4
    names = [r.name for r in org_rows(office)]
    assert [r.name for r in org_rows(office, offset=1, limit=2)] == names[1:3]

    in_2024 = OrgQuery(years=(2024, 2024))
    assert [(r.name, r.inspections, r.last_round) for r in org_rows(office, in_2024) if r.inspections] == [
        ("清河县财政局", 1, "2024年第2轮巡察")
    ]
    done = OrgQuery(years=(2024, 2025), inspected=True)
    assert {r.name for r in org_rows(office, done)} == {"清河县财政局", "清河一中"} and count_orgs(
        office, done
    ) == 2
    due = OrgQuery(inspected=False)
    assert [r.name for r in org_rows(office, due)] == ["清河县水利局"]  # the merged one is neither
    assert [r.id for r in org_rows(office, OrgQuery(kind="学校"))] == [school.id]
    assert [r.id for r in org_rows(office, OrgQuery(text=" 粮食 "))] == [merged.id]
    assert count_orgs(office, OrgQuery(text="%")) == 0

    assert inspections(office, finance.id) == [
        ("2024年第2轮巡察", "常规", 2024),
        ("2025年第1轮巡察", "常规", 2025),
    ]
    assert inspections(office, finance.id, years=(2025, 2025)) == [("2025年第1轮巡察", "常规", 2025)]
    assert inspections(office, water.id) == []


def test_the_figures_alone_leave_the_organizations_unread(office: Workspace, plan: Plan) -> None:
    _inspect(plan, _org(office, "清河县财政局"))
    _org(office, "清河一中", "学校")
    figures = term_coverage(office, with_orgs=False)
    assert figures.orgs == [] and figures.total == KindCoverage("合计", 2, 1, 1, 50.0)
    assert figures.kinds == term_coverage(office).kinds
