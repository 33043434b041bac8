"""Reading a plan workbook: headers with or without `*` in any order with more columns, the file's shape
(missing sheet, missing header, not an .xlsx) as clear Chinese errors, cells and the 原单位及职务 split."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest

from tests.plan_helpers import sample, write_workbook
from xuncha_desktop.domain.errors import XunchaError
from xuncha_desktop.services.output.excel_import import CellError
from xuncha_desktop.services.plan.workbook import import_plan
from xuncha_desktop.services.plan.workbook_read import (
    RowError,
    as_flag,
    as_int,
    as_list,
    as_month,
    join_home,
    read_plan_workbook,
    split_home,
)
from xuncha_desktop.services.workspace import Workspace


@pytest.mark.parametrize(
    ("written", "unit", "post"),
    [
        ("县财政局 党组成员、副局长", "县财政局", "党组成员、副局长"),
        ("县财政局副局长", "县财政局", "副局长"),
        ("县财政局局长", "县财政局", "局长"),
        ("县财政局科员", "县财政局", "科员"),
        ("县委办公室主任", "县委办公室", "主任"),
        ("城关镇人民政府副镇长", "城关镇人民政府", "副镇长"),
        ("县教育局党组书记、局长", "县教育局", "党组书记、局长"),
        ("县公安局交警大队大队长", "县公安局交警大队", "大队长"),
        ("县政协主席", "县政协", "主席"),
        ("退休干部", "退休干部", ""),
        ("", "", ""),
    ],
)
def test_home_unit_and_post_are_split_by_the_documented_rule(written: str, unit: str, post: str) -> None:
    assert split_home(written) == (unit, post)
    assert split_home(join_home(unit, post)) == (unit, post)


def test_cells_are_read_as_their_kind() -> None:
    assert as_month(datetime(1975, 3, 1)) == as_month("1975.3") == as_month("1975年3月") == "1975-03"
    assert as_month("三月") == "三月"  # left for the record's validator to name
    assert as_int(3.0) == as_int("3") == as_int("第3轮") == 3 and as_int(" ") is None
    assert as_int("-2") == -2  # read, so that the record's validator says a count cannot be negative
    with pytest.raises(CellError, match="不是整数"):
        as_int("三")
    assert (as_flag("是"), as_flag("否"), as_flag("")) == (True, False, None)
    with pytest.raises(CellError, match="应填“是”或“否”"):
        as_flag("也许")
    assert as_list("财务、审计,纪检；\n法律") == ["财务", "审计", "纪检", "法律"]


def test_headers_with_a_star_in_any_order_and_more_columns_are_read(
    office: Workspace, tmp_path: Path
) -> None:
    rows = sample()
    for row in rows["组员"]:
        row["备注"] = "随便写点什么"
    headers = {
        "轮次": ["撤离日期", "进驻日期*", "类型", "轮次名称＊", "说明"],
        "巡察组": ["巡察组名称 *", "轮次名称"],
        "组员": ["备注", "轮次名称", "巡察组名称", "姓名*", "角色", "登录名", "原单位及职务"],
        "被巡察单位": ["单位类型*", "单位名称*", "巡察组名称*", "轮次名称*"],
    }
    report = import_plan(office, write_workbook(tmp_path / "计划.xlsx", rows, headers=headers))
    assert (report.created, report.errors) == (18, [])


def test_missing_sheets_and_headers_are_named(tmp_path: Path) -> None:
    rows = sample()
    del rows["巡察组"]
    headers = {"组员": ["轮次名称", "巡察组名称", "姓名", "角色", "原单位及职务"]}
    _sheets, errors = read_plan_workbook(write_workbook(tmp_path / "计划.xlsx", rows, headers=headers))
    assert errors == [
        RowError("巡察组", 0, "", "工作簿中没有工作表“巡察组”"),
        RowError("组员", 1, "登录名", "缺少必需的列“登录名”"),
    ]
    assert [e.text() for e in errors] == [
        "工作表“巡察组”：工作簿中没有工作表“巡察组”",
        "工作表“组员”第 1 行“登录名”：缺少必需的列“登录名”",
    ]


def test_a_missing_sheet_rejects_the_import(office: Workspace, tmp_path: Path) -> None:
    rows = sample()
    del rows["被巡察单位"]
    report = import_plan(office, write_workbook(tmp_path / "计划.xlsx", rows))
    assert report.errors == [RowError("被巡察单位", 0, "", "工作簿中没有工作表“被巡察单位”")]
    assert report.created == 0


def test_a_file_that_is_not_a_workbook_is_refused_by_name(office: Workspace, tmp_path: Path) -> None:
    text = tmp_path / "计划.xlsx"
    text.write_text("轮次名称,类型\n", encoding="utf-8")
    with pytest.raises(XunchaError, match=r"无法读取“计划\.xlsx”：它不是 Excel 2007 及以后的 \.xlsx 工作簿"):
        import_plan(office, text)


def test_empty_rows_are_skipped_and_row_numbers_kept(tmp_path: Path) -> None:
    rows = sample()
    rows["组员"].insert(1, {})
    sheets, errors = read_plan_workbook(write_workbook(tmp_path / "计划.xlsx", rows))
    assert not errors
    assert [r.number for r in sheets["组员"].rows] == [2, 4, 5, 6]
    assert sheets["轮次"].rows[0].cells["start"] == datetime(2025, 3, 3)
    assert not sheets["人才库"].present and sheets["组员"].present
