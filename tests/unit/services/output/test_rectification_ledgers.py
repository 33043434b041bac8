"""The rectification ledgers read back with openpyxl: 整改台账 (headers from the task's labels, one row per
task, overdue mark, latest 督导 note, 合计, drop-downs, print set-up), 移交线索对账表 (per organ, 合计) and
the 整改质效评估 (ranked, each score's lines, the scheme's version); each audited by file name only."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet
from sqlalchemy import select

from tests.ledger_print_helpers import assert_prints_legibly, break_columns
from tests.output_helpers import RecordingProgress
from tests.rectification_output_builders import (
    ISSUES,
    OTHER_UNIT,
    TODAY,
    UNIT,
    RectificationRound,
    rectification_round,
)
from xuncha_desktop.domain.errors import XunchaError
from xuncha_desktop.domain.record_types import TASK
from xuncha_desktop.domain.rectification import TASK_STATES
from xuncha_desktop.services.output.rectification_ledgers import (
    RECTIFICATION_LEDGER_KINDS,
    write_rectification_ledger,
)
from xuncha_desktop.services.progress import Cancelled
from xuncha_desktop.services.rectification.reconciliation import mark_reconciled
from xuncha_desktop.services.workspace import Workspace
from xuncha_desktop.storage.tables import audit_log


@pytest.fixture
def done(workspace: Workspace) -> RectificationRound:
    return rectification_round(workspace)


def _rows(sheet: Worksheet) -> list[dict[str, Any]]:
    headers = [c.value for c in sheet[1]]
    return [dict(zip(headers, row, strict=True)) for row in sheet.iter_rows(min_row=2, values_only=True)]


def _validation(sheet: Worksheet, header: str) -> str:
    """The list formula of the drop-down of column `header`."""
    headers = [c.value for c in sheet[1]]
    letter = get_column_letter(headers.index(header) + 1)
    [dv] = [
        dv for dv in sheet.data_validations.dataValidation if str(dv.sqref) == f"{letter}2:{letter}1048576"
    ]
    return str(dv.formula1)


def _options(wb: Any, formula: str) -> list[str]:
    column = formula.split("!")[1].split(":")[0].replace("$", "").rstrip("0123456789")
    return [c.value for c in wb["选项"][column] if c.value is not None]


def _last_entry(ws: Workspace) -> tuple[str, dict[str, Any]]:
    with ws.engine.connect() as conn:
        row = conn.execute(select(audit_log).order_by(audit_log.c.seq.desc()).limit(1)).one()
    return row.action, json.loads(row.changes)


def test_the_kinds_are_those_the_command_line_offers() -> None:
    from xuncha_desktop.cli import output_commands

    assert output_commands.RECTIFICATION_LEDGER_KINDS == RECTIFICATION_LEDGER_KINDS


def test_task_ledger_has_a_row_per_task_with_its_unit_feedback_state_and_latest_note(
    workspace: Workspace, done: RectificationRound, tmp_path: Path
) -> None:
    target = tmp_path / "整改台账.xlsx"
    progress = RecordingProgress()
    result = write_rectification_ledger(workspace, "rectification", target, progress, today=TODAY)
    assert result.rows == {"整改台账": 4}
    wb = load_workbook(target)
    assert wb.sheetnames == ["整改台账", "选项"]
    sheet = wb["整改台账"]
    headers = [c.value for c in sheet[1]]
    assert headers[:6] == ["序号", "任务编号", "反馈问题", "巡察轮次", "巡察组", "被巡察单位"]
    for name in ("issue", "responsible_unit", "measures", "due_on", "status", "accepted_on", "closed_on"):
        assert TASK.header(name) in headers  # headed by the record type's own labels
    assert {"反馈日期", "是否逾期", "最近督导日期", "最近督导情况"} <= set(headers)
    rows = _rows(sheet)
    *tasks, total = rows
    by_issue = {r[TASK.header("issue")]: r for r in tasks}
    assert set(by_issue) == {*ISSUES, "食堂管理混乱"}
    closed, overdue, basic = (by_issue[i] for i in ISSUES)
    assert closed["被巡察单位"] == UNIT and by_issue["食堂管理混乱"]["被巡察单位"] == OTHER_UNIT
    assert closed["反馈日期"] == datetime(2025, 6, 10) and closed[TASK.header("due_on")] == datetime(
        2025, 9, 10
    )
    assert closed[TASK.header("status")] == "已完成" and closed["是否逾期"] == "否"
    assert closed[TASK.header("accepted_by")] == "李明" and closed[TASK.header("closed_on")] == datetime(
        2025, 9, 5
    )
    assert overdue[TASK.header("status")] == "整改中" and overdue["是否逾期"] == "是"
    assert by_issue["食堂管理混乱"]["是否逾期"] == "是" and basic["是否逾期"] == "否"
    assert overdue["最近督导日期"] == datetime(2025, 8, 15)
    assert overdue["最近督导情况"] == "采购手续尚在补办（王晓东）"
    assert by_issue["食堂管理混乱"]["最近督导情况"] is None
    assert total["序号"] == "合计" and total["任务编号"] == "共 4 项" and total["是否逾期"] == "逾期 2 项"
    assert total[TASK.header("institutions")] == 3 and total[TASK.header("accountability")] == 1
    assert total[TASK.header("amount_recovered_yuan")] == pytest.approx(126000)
    assert sheet.cell(row=len(rows) + 1, column=1).font.b
    amount = headers.index(TASK.header("amount_recovered_yuan")) + 1
    assert sheet.cell(row=2, column=amount).number_format == "#,##0.00"
    assert _options(wb, _validation(sheet, TASK.header("status"))) == list(TASK_STATES)
    assert _options(wb, _validation(sheet, "是否逾期")) == ["是", "否"]
    assert sheet.freeze_panes == "D2" and sheet.print_title_rows == "$1:$1"
    assert sheet.print_title_cols == "$A:$C"  # 序号, 任务编号 and 反馈问题 on every page across
    assert sheet.page_setup.orientation == "landscape" and int(sheet.page_setup.paperSize) == 9
    assert sheet.oddFooter.center.text == "第 &P 页 共 &N 页"
    assert_prints_legibly(sheet)
    assert break_columns(sheet)  # 26 columns do not fit one page at 9 pt: split, the key columns repeated
    assert progress.reports[-1][:2] == (4, 4)
    assert _last_entry(workspace) == (
        "ledger",
        {"kind": "rectification", "records": 4, "file": "整改台账.xlsx"},
    )


def test_task_ledger_of_one_round_leaves_out_the_others(
    workspace: Workspace, done: RectificationRound, tmp_path: Path
) -> None:
    from tests.builders import make_context

    make_context(workspace, year=2024, ordinal=1)  # a round without feedback
    target = tmp_path / "台账.xlsx"
    result = write_rectification_ledger(
        workspace, "rectification", target, round_id=done.ctx.round.id, today=TODAY
    )
    assert result.rows == {"整改台账": 4}


def test_cancelling_the_task_ledger_leaves_no_file(
    workspace: Workspace, done: RectificationRound, tmp_path: Path
) -> None:
    out = tmp_path / "导出"
    out.mkdir()
    with pytest.raises(Cancelled):
        progress = RecordingProgress(cancel_at=1)
        write_rectification_ledger(workspace, "rectification", out / "整改台账.xlsx", progress, today=TODAY)
    assert list(out.iterdir()) == []


def test_reconciliation_has_a_line_per_receiving_organ_and_a_total(
    workspace: Workspace, done: RectificationRound, tmp_path: Path
) -> None:
    mark_reconciled(workspace, done.ctx.round.id, "组织部", on=TODAY, by="李明")
    target = tmp_path / "对账表.xlsx"
    result = write_rectification_ledger(workspace, "reconciliation", target, today=TODAY)
    assert result.rows == {"移交线索对账表": 3}
    sheet = load_workbook(target)["移交线索对账表"]
    *lines, total = _rows(sheet)
    by_organ = {r["接收机关"]: r for r in lines}
    assert list(by_organ) == ["纪委监委", "组织部", "其他"]
    assert {r["巡察轮次"] for r in lines} == {done.ctx.round.name}
    jw = by_organ["纪委监委"]
    assert (jw["移交线索（件）"], jw["已反馈（件）"], jw["立案"], jw["处分"]) == (2, 1, 1, 1)
    assert jw["逾期未反馈（件）"] == 1 and jw["对账日期"] is None
    org = by_organ["组织部"]
    assert (org["移交线索（件）"], org["组织处理"], org["对账日期"]) == (1, 1, datetime(2025, 10, 1))
    assert total["序号"] == "合计" and total["移交线索（件）"] == 3 and total["逾期未反馈（件）"] == 1
    assert total["对账日期"] is None
    assert_prints_legibly(sheet)
    assert not break_columns(sheet)  # eleven columns fit one page
    assert _last_entry(workspace)[1] == {"kind": "reconciliation", "records": 3, "file": "对账表.xlsx"}


def test_evaluation_needs_a_round_and_kinds_are_checked(workspace: Workspace, tmp_path: Path) -> None:
    with pytest.raises(XunchaError, match="须指定巡察轮次"):
        write_rectification_ledger(workspace, "rectification-evaluation", tmp_path / "a.xlsx")
    with pytest.raises(XunchaError, match="不支持导出“task”台账"):
        write_rectification_ledger(workspace, "task", tmp_path / "a.xlsx")
    assert not (tmp_path / "a.xlsx").exists()
