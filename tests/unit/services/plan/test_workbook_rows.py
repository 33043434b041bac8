"""How workbook rows find their records: a member keeps its pool entry, a new member finds one by 姓名
and 现工作单位, the 人才库 and 党组织名录 sheets, a login moving with its member, ordinals of new rounds and
groups."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from tests.plan_helpers import ROUND, sample, write_workbook
from xuncha_desktop.domain.organization import InspectionGroup, InspectionRound, TargetUnit, User
from xuncha_desktop.domain.party_organizations import PartyOrganization
from xuncha_desktop.domain.record_types import CADRE, GROUP, MEMBER, PARTY_ORGANIZATION, TARGET, USER
from xuncha_desktop.domain.record_types import ROUND as ROUND_TYPE
from xuncha_desktop.services.plan.workbook import import_plan
from xuncha_desktop.services.plan.workbook_read import RowError
from xuncha_desktop.services.records.record_service import ListQuery, RecordService
from xuncha_desktop.services.workspace import Workspace


def _all(ws: Workspace, rt):  # type: ignore[no-untyped-def]
    return RecordService(ws, rt).list(ListQuery(limit=None))


def test_a_new_member_finds_the_pool_entry_of_the_cadres_sheet(office: Workspace, tmp_path: Path) -> None:
    rows = sample()
    rows["人才库"] = [
        {"姓名": "李文华", "性别": "女", "出生年月": "1985.7", "现工作单位": "县财政局", "现任职务": "科员",
         "曾任职单位": "县审计局、城关镇", "专长": "财务、审计", "状态": "在库"},
    ]  # fmt: skip
    assert not import_plan(office, write_workbook(tmp_path / "计划.xlsx", rows)).errors
    cadres = {c.name: c for c in _all(office, CADRE)}
    li = cadres["李文华"]
    assert (li.gender, li.birth_month, li.earlier_units, li.specialities) == (
        "女",
        "1985-07",
        ["县审计局", "城关镇"],
        ["财务", "审计"],
    )
    member = next(m for m in _all(office, MEMBER) if m.name == "李文华")
    assert member.cadre_id == li.id and len(cadres) == 4


def test_a_member_keeps_its_pool_entry_when_its_unit_is_corrected(office: Workspace, tmp_path: Path) -> None:
    rows = sample()
    import_plan(office, write_workbook(tmp_path / "计划.xlsx", rows))
    before = next(m for m in _all(office, MEMBER) if m.name == "李文华")
    rows["组员"][1]["原单位及职务"] = "县财政局国库科 科长"
    report = import_plan(office, write_workbook(tmp_path / "计划2.xlsx", rows))
    assert (report.created, report.updated) == (0, 1)
    after = next(m for m in _all(office, MEMBER) if m.name == "李文华")
    assert (after.cadre_id, after.home_unit, after.home_post) == (before.cadre_id, "县财政局国库科", "科长")


def test_a_pool_entry_serves_the_same_person_in_the_next_round(office: Workspace, tmp_path: Path) -> None:
    import_plan(office, write_workbook(tmp_path / "计划.xlsx", sample()))
    later = {
        "轮次": [{"轮次名称": "2025年第二轮巡察", "类型": "专项", "进驻日期": date(2025, 9, 1),
                  "撤离日期": date(2025, 10, 31)}],
        "巡察组": [{"轮次名称": "2025年第二轮巡察", "巡察组名称": "第一巡察组"}],
        "组员": [{"轮次名称": "2025年第二轮巡察", "巡察组名称": "第一巡察组", "姓名": "李文华",
                  "角色": "副组长", "登录名": "", "原单位及职务": "县财政局 科员"}],
        "被巡察单位": [],
    }  # fmt: skip
    report = import_plan(office, write_workbook(tmp_path / "第二轮.xlsx", later))
    assert (report.created, report.errors) == (3, [])
    li = [m for m in _all(office, MEMBER) if m.name == "李文华"]
    assert len(li) == 2 and len({m.cadre_id for m in li}) == 1
    rounds = {r.name: r for r in _all(office, ROUND_TYPE)}
    assert (rounds["2025年第二轮巡察"].year, rounds["2025年第二轮巡察"].ordinal) == (2025, 2)


def test_new_groups_are_numbered_in_the_order_of_the_sheet(office: Workspace, tmp_path: Path) -> None:
    rows = sample()
    rows["巡察组"].append({"轮次名称": ROUND, "巡察组名称": "第三巡察组", "组别序号": 7})
    import_plan(office, write_workbook(tmp_path / "计划.xlsx", rows))
    groups: list[InspectionGroup] = _all(office, GROUP)
    assert sorted((g.name, g.ordinal) for g in groups) == [
        ("第一巡察组", 1),
        ("第三巡察组", 7),
        ("第二巡察组", 2),
    ]
    [rnd] = _all(office, ROUND_TYPE)
    assert isinstance(rnd, InspectionRound) and (rnd.year, rnd.ordinal) == (2025, 1)


def test_a_changed_login_moves_with_its_member(office: Workspace, tmp_path: Path) -> None:
    rows = sample()
    import_plan(office, write_workbook(tmp_path / "计划.xlsx", rows))
    rows["组员"][0]["登录名"] = "zhang.jianguo"
    rows["组员"][0]["角色"] = "副组长"
    import_plan(office, write_workbook(tmp_path / "计划2.xlsx", rows))
    users: list[User] = _all(office, USER)
    zhang = [u for u in users if u.display_name == "张建国"]
    assert [(u.login, u.role) for u in zhang] == [("zhang.jianguo", "副组长")]


def test_units_are_linked_to_the_master_list_by_name(office: Workspace, tmp_path: Path) -> None:
    rows = sample()
    rows["党组织名录"] = [
        {"党组织名称": "中共清河县委", "单位类型": "其他"},
        {"党组织名称": "县教育局党组", "单位类型": "县直部门", "上级党组织": "中共清河县委"},
        {"党组织名称": "县水利局党组", "单位类型": "县直部门", "现存": "否", "撤并说明": "并入县农业农村局"},
    ]
    assert not import_plan(office, write_workbook(tmp_path / "计划.xlsx", rows)).errors
    orgs: dict[str, PartyOrganization] = {o.name: o for o in _all(office, PARTY_ORGANIZATION)}
    assert orgs["县教育局党组"].parent_id == orgs["中共清河县委"].id and not orgs["县水利局党组"].active
    units: dict[str, TargetUnit] = {t.name: t for t in _all(office, TARGET)}
    assert units["县教育局党组"].org_id == orgs["县教育局党组"].id
    assert units["城关镇党委"].org_id == orgs["城关镇党委"].id and orgs["城关镇党委"].kind == "乡镇(街道)"


def test_master_list_and_pool_rows_are_checked_too(office: Workspace, tmp_path: Path) -> None:
    rows = sample()
    rows["党组织名录"] = [
        {"党组织名称": "县教育局党组", "单位类型": "县直部门", "上级党组织": "中共某某县委"},
        {"党组织名称": "县水利局党组", "单位类型": "县直部门", "现存": "否"},
    ]
    rows["人才库"] = [
        {"姓名": "周某", "现工作单位": "县司法局", "专长": "法律、算命"},
        {"姓名": "周某", "现工作单位": "县司法局"},
    ]
    report = import_plan(office, write_workbook(tmp_path / "计划.xlsx", rows))
    assert [(e.sheet, e.row, e.column) for e in report.errors] == [
        ("党组织名录", 2, "上级党组织"),
        ("党组织名录", 3, "撤并说明"),
        ("人才库", 2, "专长"),
        ("人才库", 3, "姓名"),
    ]
    assert report.errors[0] == RowError(
        "党组织名录", 2, "上级党组织", "上级党组织“中共某某县委”不在党组织名录中"
    )
    assert "算命" in report.errors[2].message and "与第 2 行重复" in report.errors[3].message
    assert not _all(office, MEMBER)
