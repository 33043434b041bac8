"""Plan workbook: the template's sheets and headers, export of the live plan in the same form, the round trip
template → import → export → import that changes nothing, and finding a group by name."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pytest
from openpyxl import load_workbook

from tests.plan_builders import Plan
from tests.plan_helpers import ROUND, plan_counts, read_workbook, sample, write_workbook
from xuncha_desktop.domain.cadre_pool import Cadre
from xuncha_desktop.domain.errors import XunchaError
from xuncha_desktop.domain.organization import GroupMember, InspectionGroup, TargetUnit, User
from xuncha_desktop.domain.party_organizations import PartyOrganization
from xuncha_desktop.domain.record_types import CADRE, GROUP, MEMBER, PARTY_ORGANIZATION, TARGET, USER
from xuncha_desktop.services.plan.workbook import export, find_groups, import_plan, template
from xuncha_desktop.services.records.record_service import ListQuery, RecordService
from xuncha_desktop.services.workspace import Workspace

REQUIRED = {
    "轮次": ["轮次名称*", "类型*", "进驻日期*", "撤离日期*"],
    "巡察组": ["轮次名称*", "巡察组名称*"],
    "组员": ["轮次名称*", "巡察组名称*", "姓名*", "角色*", "登录名*", "原单位及职务*"],
    "被巡察单位": ["轮次名称*", "巡察组名称*", "单位名称*", "单位类型*"],
    "党组织名录": ["党组织名称*", "单位类型*"],
    "人才库": ["姓名*"],
}


def test_the_template_has_the_documented_sheets_and_headers(tmp_path: Path) -> None:
    book = load_workbook(template(tmp_path / "模板.xlsx"))
    assert book.sheetnames == ["轮次", "巡察组", "组员", "被巡察单位", "党组织名录", "人才库", "说明"]
    headers = {ws.title: [c.value for c in ws[1]] for ws in book.worksheets if ws.title != "说明"}
    for sheet, required in REQUIRED.items():
        assert headers[sheet][: len(required)] == required
    assert headers["轮次"][4:] == ["年度", "轮次序号", "问题分类体系"]
    assert headers["组员"][6:] == ["人员类别", "性别", "出生年月", "回避说明"]
    assert headers["巡察组"][2:] == ["组别序号", "专题报告", "意见建议"]
    assert headers["被巡察单位"][4:] == ["调阅资料", "走访核查", "测评问卷"]
    assert headers["人才库"] == [
        "姓名*", "性别", "出生年月", "政治面貌", "现工作单位*",
        "现任职务", "曾任职单位", "专长", "状态", "状态说明",
    ]  # fmt: skip
    lists = {str(dv.sqref).split(":")[0]: dv.formula1 for dv in book["组员"].data_validations.dataValidation}
    assert lists["D2"] == '"组长,副组长,组员,联络员"'
    notes = "".join(str(c.value) for c in book["说明"]["A"])
    assert "原单位及职务" in notes
    assert all(f"“{h}”" in notes for h in ("专题报告", "意见建议", "调阅资料", "走访核查", "测评问卷"))


def test_the_empty_template_imports_as_nothing(office: Workspace, tmp_path: Path) -> None:
    report = import_plan(office, template(tmp_path / "模板.xlsx"))
    assert (report.created, report.updated, report.unchanged, report.errors) == (0, 0, 0, [])


def test_an_imported_plan_exports_as_it_was_given_and_reimports_unchanged(
    office: Workspace, tmp_path: Path
) -> None:
    import_plan(office, write_workbook(tmp_path / "计划.xlsx", sample()))
    exported = export(office, tmp_path / "导出.xlsx")
    rows = read_workbook(exported)
    assert rows["轮次"] == [
        {"轮次名称": ROUND, "类型": "常规", "进驻日期": datetime(2025, 3, 3),
         "撤离日期": datetime(2025, 5, 30), "年度": 2025, "轮次序号": 1, "问题分类体系": "四个聚焦"}
    ]  # fmt: skip
    assert [(r["巡察组名称"], r["组别序号"]) for r in rows["巡察组"]] == [
        ("第一巡察组", 1),
        ("第二巡察组", 2),
    ]
    members = {r["姓名"]: r for r in rows["组员"]}
    assert (members["李文华"]["原单位及职务"], members["李文华"]["登录名"]) == ("县财政局 科员", "liwh")
    assert (members["赵敏"]["角色"], members["赵敏"]["登录名"]) == ("联络员", None)
    assert {r["单位名称"]: r["巡察组名称"] for r in rows["被巡察单位"]} == {
        "县教育局党组": "第一巡察组",
        "城关镇党委": "第二巡察组",
    }
    assert {r["党组织名称"]: r["现存"] for r in rows["党组织名录"]} == {
        "县教育局党组": "是",
        "城关镇党委": "是",
    }
    assert {(r["姓名"], r["现工作单位"], r["现任职务"]) for r in rows["人才库"]} >= {
        ("李文华", "县财政局", "科员")
    }
    before = plan_counts(office)
    again = import_plan(office, exported)
    assert (again.created, again.updated, again.unchanged, again.errors) == (0, 0, 18, [])
    assert plan_counts(office) == before


def test_the_plan_made_in_the_screens_round_trips_too(office: Workspace, plan: Plan, tmp_path: Path) -> None:
    cadre = plan.cadre(earlier_units=["清河县教育局"], specialities=["财务", "审计"])
    plan.service.add_from_pool(plan.group.id, cadre.id, role="组长", staffing="专职")
    orgs = RecordService[PartyOrganization](office, PARTY_ORGANIZATION)
    parent = orgs.save(PartyOrganization(name="中共清河县委", kind="其他"))
    orgs.save(
        PartyOrganization(
            name="清河县水利局党组", parent_id=parent.id, active=False, retired_reason="2024年并入"
        )
    )
    exported = export(office, tmp_path / "导出.xlsx")
    rows = read_workbook(exported)
    pool = {r["姓名"]: r for r in rows["人才库"]}
    assert (pool["张建国"]["曾任职单位"], pool["张建国"]["专长"]) == ("清河县教育局", "财务、审计")
    merged = {r["党组织名称"]: r for r in rows["党组织名录"]}["清河县水利局党组"]
    assert (merged["上级党组织"], merged["现存"], merged["撤并说明"]) == ("中共清河县委", "否", "2024年并入")
    report = import_plan(office, exported)
    assert (report.created, report.updated, report.errors) == (0, 0, [])


def test_imported_members_get_their_pool_entry_and_login(office: Workspace, tmp_path: Path) -> None:
    import_plan(office, write_workbook(tmp_path / "计划.xlsx", sample()))
    members = {m.name: m for m in RecordService[GroupMember](office, MEMBER).list(ListQuery(limit=None))}
    cadres = {c.id: c for c in RecordService[Cadre](office, CADRE).list(ListQuery(limit=None))}
    users = {u.login: u for u in RecordService[User](office, USER).list(ListQuery(limit=None))}
    zhang = members["张建国"]
    assert (zhang.home_unit, zhang.home_post) == ("县审计局", "副局长")
    assert (cadres[zhang.cadre_id].name, cadres[zhang.cadre_id].home_unit) == ("张建国", "县审计局")
    assert (users["zhangjg"].member_id, users["zhangjg"].role, users["zhangjg"].display_name) == (
        zhang.id,
        "组长",
        "张建国",
    )
    assert "liwh" in users and not any(u.member_id == members["赵敏"].id for u in users.values())


def test_export_and_import_belong_to_the_office(workspace: Workspace, tmp_path: Path) -> None:
    with pytest.raises(XunchaError, match="只能在巡察办工作库中进行"):
        export(workspace, tmp_path / "导出.xlsx")
    assert not (tmp_path / "导出.xlsx").exists()


def test_groups_are_found_by_id_name_or_ordinal_within_a_round(office: Workspace, tmp_path: Path) -> None:
    rows = sample()
    rows["轮次"].append({"轮次名称": "2025年第二轮巡察", "类型": "专项", "进驻日期": date(2025, 9, 1),
                       "撤离日期": date(2025, 10, 31)})  # fmt: skip
    rows["巡察组"].append({"轮次名称": "2025年第二轮巡察", "巡察组名称": "第一巡察组"})
    import_plan(office, write_workbook(tmp_path / "计划.xlsx", rows))
    found, rounds = find_groups(office, "第二巡察组")
    assert [rounds[g.round_id] for g in found] == [ROUND]
    assert find_groups(office, found[0].id)[0] == found
    assert len(find_groups(office, " 第一巡察组")[0]) == 2
    [second] = find_groups(office, "第一巡察组", "2025年第二轮巡察")[0]
    assert rounds[second.round_id] == "2025年第二轮巡察" and second.ordinal == 1
    assert find_groups(office, "2", ROUND)[0] == found
    assert find_groups(office, "第三巡察组")[0] == []


def _counts(office: Workspace) -> dict[str, tuple[int, ...]]:
    groups = RecordService[InspectionGroup](office, GROUP).list(ListQuery(limit=None))
    units = RecordService[TargetUnit](office, TARGET).list(ListQuery(limit=None))
    return {
        **{g.name: (g.special_reports, g.recommendations) for g in groups},
        **{t.name: (t.files_read, t.site_visits, t.questionnaires) for t in units},
    }


def test_the_counts_of_groups_and_units_go_out_and_come_back(office: Workspace, tmp_path: Path) -> None:
    rows = sample()
    rows["巡察组"][0].update(专题报告=3, 意见建议=12)
    rows["被巡察单位"][0].update(调阅资料=85, 走访核查="6", 测评问卷=1260.0)
    import_plan(office, write_workbook(tmp_path / "计划.xlsx", rows))
    assert _counts(office) == {
        "第一巡察组": (3, 12),
        "第二巡察组": (0, 0),
        "县教育局党组": (85, 6, 1260),
        "城关镇党委": (0, 0, 0),
    }
    exported = export(office, tmp_path / "导出.xlsx")
    written = read_workbook(exported)
    assert [(r["专题报告"], r["意见建议"]) for r in written["巡察组"]] == [(3, 12), (0, 0)]
    units = {r["单位名称"]: (r["调阅资料"], r["走访核查"], r["测评问卷"]) for r in written["被巡察单位"]}
    assert units == {"县教育局党组": (85, 6, 1260), "城关镇党委": (0, 0, 0)}
    again = import_plan(office, exported)
    assert (again.created, again.updated, again.errors) == (0, 0, [])

    # an empty cell keeps the stored count; a filled one changes it (and only that record)
    rows["巡察组"][0].update(专题报告=None, 意见建议=15)
    rows["被巡察单位"][0].update(调阅资料=None, 走访核查=None, 测评问卷=None)
    changed = import_plan(office, write_workbook(tmp_path / "计划2.xlsx", rows))
    assert (changed.created, changed.updated, changed.errors) == (0, 1, [])
    assert _counts(office)["第一巡察组"] == (3, 15)
    assert _counts(office)["县教育局党组"] == (85, 6, 1260)
