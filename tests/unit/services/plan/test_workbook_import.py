"""Plan workbook import: every bad case of issue 12 as a row-level error (sheet, row, column), the whole
workbook rejected with the workspace unchanged, 回避 and its audited override, dry runs and counts."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from tests.plan_helpers import ROUND, Rows, plan_counts, sample, write_workbook
from xuncha_desktop.domain.errors import XunchaError
from xuncha_desktop.domain.organization import GroupMember
from xuncha_desktop.domain.record_types import MEMBER
from xuncha_desktop.services.plan.workbook import import_plan
from xuncha_desktop.services.plan.workbook_read import RowError
from xuncha_desktop.services.records.record_service import ListQuery, RecordService
from xuncha_desktop.services.workspace import Workspace
from xuncha_desktop.storage.tables import audit_log


def _member(rows: Rows, **values: Any) -> None:
    base = {"轮次名称": ROUND, "巡察组名称": "第二巡察组", "角色": "组员", "登录名": "", "原单位及职务": ""}
    rows["组员"].append({**base, **values})


def _unit(rows: Rows, name: str, group: str) -> None:
    rows["被巡察单位"].append(
        {"轮次名称": ROUND, "巡察组名称": group, "单位名称": name, "单位类型": "县直部门"}
    )


# Each bad case: how it spoils the sample, and the error expected (sheet, row, column, part of the reason).
CASES: dict[str, tuple[Callable[[Rows], None], tuple[str, int, str, str]]] = {
    "unknown round": (
        lambda r: r["组员"][3].update(轮次名称="2024年第九轮巡察"),
        ("组员", 5, "轮次名称", "轮次“2024年第九轮巡察”不存在"),
    ),
    "unknown group": (
        lambda r: r["被巡察单位"][1].update(巡察组名称="第九巡察组"),
        ("被巡察单位", 3, "巡察组名称", "巡察组“第九巡察组”不在轮次"),
    ),
    "end before start": (
        lambda r: r["轮次"][0].update(撤离日期=date(2025, 2, 1)),
        ("轮次", 2, "撤离日期", "结束日期不能早于开始日期"),
    ),
    "login used twice": (
        lambda r: r["组员"][2].update(登录名="zhangjg"),
        ("组员", 4, "登录名", "登录名“zhangjg”已由张建国使用"),
    ),
    "cadre in two groups of one round": (
        lambda r: _member(r, 姓名="张建国", 原单位及职务="县审计局 副局长"),
        ("组员", 6, "姓名", "同一轮次只能参加一个巡察组"),
    ),
    "unit given to two groups of one round": (
        lambda r: _unit(r, "县教育局党组", "第二巡察组"),
        ("被巡察单位", 4, "巡察组名称", "同一轮次一个单位只能分给一个巡察组"),
    ),
    "role outside the list": (
        lambda r: r["组员"][1].update(角色="队长"),
        ("组员", 3, "角色", "“队长”不在可选范围内"),
    ),
    "empty required cell": (lambda r: r["组员"][0].update(姓名=None), ("组员", 2, "姓名", "必填项为空")),
    "empty required kind": (lambda r: r["轮次"][0].update(类型=" "), ("轮次", 2, "类型", "必填项为空")),
    "unit kind outside the list": (
        lambda r: r["被巡察单位"][0].update(单位类型="机关"),
        ("被巡察单位", 2, "单位类型", "“机关”不在可选范围内"),
    ),
    "date that is not one": (
        lambda r: r["轮次"][0].update(撤离日期="五月底"),
        ("轮次", 2, "撤离日期", "无法识别"),
    ),
    "round named twice": (
        lambda r: r["轮次"].append(dict(r["轮次"][0])),
        ("轮次", 3, "轮次名称", "与第 2 行重复"),
    ),
    "negative count of a group": (
        lambda r: r["巡察组"][1].update(意见建议=-2),
        ("巡察组", 3, "意见建议", "意见建议条数不能为负数"),
    ),
    "count of a unit that is not a number": (
        lambda r: r["被巡察单位"][0].update(调阅资料="八十五卷"),
        ("被巡察单位", 2, "调阅资料", "“八十五卷”不是整数"),
    ),
    "member twice in a group": (
        lambda r: _member(r, 姓名="王强", 原单位及职务="县委组织部 副部长"),
        ("组员", 6, "姓名", "与第 4 行重复"),
    ),
}


@pytest.mark.parametrize("case", CASES)
def test_each_bad_case_is_reported_at_its_cell_and_nothing_is_written(
    office: Workspace, tmp_path: Path, case: str
) -> None:
    spoil, (sheet, row, column, reason) = CASES[case]
    rows = sample()
    spoil(rows)
    before = plan_counts(office)
    report = import_plan(office, write_workbook(tmp_path / "计划.xlsx", rows))
    assert [(e.sheet, e.row, e.column) for e in report.errors] == [(sheet, row, column)], report.errors
    assert reason in report.errors[0].message
    assert (report.created, report.updated, report.unchanged) == (0, 0, 0)
    assert plan_counts(office) == before


def test_every_bad_row_is_reported_at_once_in_sheet_order(office: Workspace, tmp_path: Path) -> None:
    rows = sample()
    for case, (spoil, _expected) in CASES.items():
        if case not in ("member twice in a group", "empty required cell"):  # both would undo another case
            spoil(rows)
    report = import_plan(office, write_workbook(tmp_path / "计划.xlsx", rows))
    found = {(e.sheet, e.row, e.column) for e in report.errors}
    assert {
        ("轮次", 2, "撤离日期"),
        ("轮次", 3, "轮次名称"),
        ("组员", 3, "角色"),
        ("组员", 4, "登录名"),
    } <= found
    assert {("组员", 5, "轮次名称"), ("组员", 6, "姓名"), ("被巡察单位", 3, "巡察组名称")} <= found
    sheets = [e.sheet for e in report.errors]
    assert sheets == sorted(sheets, key=["轮次", "巡察组", "组员", "被巡察单位"].index)
    assert plan_counts(office)["round"] == 0


def test_a_login_held_by_a_user_of_the_workspace_is_refused(office: Workspace, tmp_path: Path) -> None:
    rows = sample()
    rows["组员"][1]["登录名"] = office.user.login
    report = import_plan(office, write_workbook(tmp_path / "计划.xlsx", rows))
    assert report.errors == [
        RowError("组员", 3, "登录名", f"登录名“{office.user.login}”已由{office.user.display_name}使用")
    ]


def test_a_member_to_step_aside_needs_the_reason_which_is_then_audited(
    office: Workspace, tmp_path: Path
) -> None:
    rows = sample()
    _unit(rows, "县财政局党组", "第一巡察组")  # 李文华 works at 县财政局
    report = import_plan(office, write_workbook(tmp_path / "计划.xlsx", rows))
    [error] = report.errors
    assert (error.sheet, error.row, error.column) == ("组员", 3, "回避说明")
    assert "李文华现工作单位“县财政局”与被巡察单位“县财政局党组”相同或隶属" in error.message

    rows["组员"][1]["回避说明"] = "该同志已调离财政局业务岗位，经巡察办研究同意"
    report = import_plan(office, write_workbook(tmp_path / "计划2.xlsx", rows))
    assert not report.errors and report.created > 0
    [member] = RecordService[GroupMember](office, MEMBER).list(ListQuery(filters={"name": "李文华"}))
    assert member.avoidance_override == "该同志已调离财政局业务岗位，经巡察办研究同意"
    with office.engine.connect() as conn:
        actions = [r.action for r in conn.execute(select(audit_log.c.action).order_by(audit_log.c.seq))]
    assert actions.count("avoidance_override") == 1 and actions[-1] == "plan_import"

    again = import_plan(office, write_workbook(tmp_path / "计划3.xlsx", rows))
    assert (again.created, again.updated, again.errors) == (0, 0, [])


def test_a_unit_added_later_against_a_member_already_there_is_reported_on_the_unit(
    office: Workspace, tmp_path: Path
) -> None:
    assert not import_plan(office, write_workbook(tmp_path / "计划.xlsx", sample())).errors
    later: Rows = {name: [] for name in ("轮次", "巡察组", "组员")}
    later["被巡察单位"] = []
    _unit(later, "县审计局党组", "第一巡察组")  # 张建国 works at 县审计局
    report = import_plan(office, write_workbook(tmp_path / "补充.xlsx", later))
    [error] = report.errors
    assert (error.sheet, error.row, error.column) == ("被巡察单位", 2, "单位名称")
    assert "张建国" in error.message and "回避说明" in error.message


def test_dry_run_counts_without_writing_and_a_second_import_changes_nothing(
    office: Workspace, tmp_path: Path
) -> None:
    path = write_workbook(tmp_path / "计划.xlsx", sample())
    before = plan_counts(office)
    dry = import_plan(office, path, dry_run=True)
    assert (dry.created, dry.updated, dry.unchanged, dry.dry_run) == (18, 0, 0, True)
    assert plan_counts(office) == before
    first = import_plan(office, path)
    assert (first.created, first.updated, first.unchanged) == (18, 0, 0)
    after = plan_counts(office)
    # 1 round, 2 groups, 4 members with 4 pool entries, 2 units with 2 党组织, 3 users; one audit entry more
    # than the records written (the import's own)
    assert {k: after[k] - before[k] for k in after} == {
        "party_org": 2, "cadre": 4, "round": 1, "group": 2, "member": 4, "target": 2, "user": 3, "audit": 19,
    }  # fmt: skip
    second = import_plan(office, path)
    assert (second.created, second.updated, second.unchanged) == (0, 0, 18)  # all it first created
    assert plan_counts(office) == after


def test_a_changed_row_updates_its_record_only(office: Workspace, tmp_path: Path) -> None:
    rows = sample()
    import_plan(office, write_workbook(tmp_path / "计划.xlsx", rows))
    rows["轮次"][0]["类型"] = "专项"
    rows["组员"][2]["登录名"] = "wangqiang"
    report = import_plan(office, write_workbook(tmp_path / "计划2.xlsx", rows))
    assert (report.created, report.updated, report.unchanged) == (0, 2, 16)


def test_the_report_as_json_has_the_documented_fields(office: Workspace, tmp_path: Path) -> None:
    rows = sample()
    rows["组员"][1]["角色"] = "队长"
    report = import_plan(office, write_workbook(tmp_path / "计划.xlsx", rows))
    assert report.as_json() == {
        "created": 0,
        "updated": 0,
        "unchanged": 0,
        "errors": [
            {
                "sheet": "组员",
                "row": 3,
                "column": "角色",
                "message": "组内职务“队长”不在可选范围内（组长、副组长、组员、联络员）",
            }
        ],
    }


def test_only_an_office_administrator_in_an_office_workspace_imports(
    workspace: Workspace, tmp_path: Path
) -> None:
    path = write_workbook(tmp_path / "计划.xlsx", sample())
    with pytest.raises(XunchaError, match="只能在巡察办工作库中进行"):
        import_plan(workspace, path)


def test_the_import_is_one_audit_entry_shown_in_chinese(office: Workspace, tmp_path: Path) -> None:
    from xuncha_desktop.services.security.audit_events import ACTION_LABELS, summary

    import_plan(office, write_workbook(tmp_path / "计划.xlsx", sample()))
    with office.engine.connect() as conn:
        entries = list(conn.execute(select(audit_log).where(audit_log.c.action == "plan_import")))
    assert len(entries) == 1 and ACTION_LABELS["plan_import"] == "导入计划工作簿"
    details = {"file": "计划.xlsx", "created": "18", "updated": "0", "unchanged": "0"}
    assert summary("plan_import", details) == "导入计划工作簿“计划.xlsx”：新增 18 条，更新 0 条，未变 0 条"
