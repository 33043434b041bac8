"""The statistics workbook of the office demo, read back with openpyxl: its sheets, the scope in the title
rows, every figure with its label, the breakdown headers, a bold 合计 row equal to the scope's Summary, the
native charts with their series pointing at the right cells, the print set-up, and the audit entry."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from openpyxl.chart import BarChart, LineChart
from openpyxl.utils import get_column_letter
from sqlalchemy import select

from tests.ledger_print_helpers import assert_prints_legibly, break_columns
from tests.output_helpers import RecordingProgress
from tests.statistics_output_helpers import TODAY, every_scope, office_demo
from xuncha_desktop.services.office_statistics.breakdowns import breakdown
from xuncha_desktop.services.office_statistics.figures import FIGURE_LABELS, summary
from xuncha_desktop.services.office_statistics.scope import Scope
from xuncha_desktop.services.output import ledger_print
from xuncha_desktop.services.output import statistics_workbook as sw
from xuncha_desktop.services.output.excel_export import write_ledger
from xuncha_desktop.services.progress import Cancelled, NullProgress
from xuncha_desktop.services.workspace import Workspace
from xuncha_desktop.storage.tables import audit_log


@pytest.fixture(scope="module")
def office(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Workspace]:
    ws = office_demo(tmp_path_factory.mktemp("statistics_workbook") / "巡察办演示.xcdb")
    yield ws
    ws.close()


def _write(ws: Workspace, scope: Scope, target: Path) -> Any:
    write_ledger(ws, "statistics", target, NullProgress(), scope=scope, today=TODAY)
    return load_workbook(target)


def _expected(s: Any, figure: str) -> Any:
    return getattr(s, figure)


@pytest.mark.parametrize("name", ["term", "2025", "2025年第一轮巡察"])
def test_every_sheet_totals_to_the_summary_of_its_scope(office: Workspace, tmp_path: Path, name: str) -> None:
    scope = every_scope(office)[name]
    wb = _write(office, scope, tmp_path / "统计表.xlsx")
    assert wb.sheetnames == list(sw.sheet_titles())
    split = [s.title for s in sw.BREAKDOWN_SHEETS if "petitions" in s.figures]
    assert split == ["巡察组", "单位类型", "巡察类型", "轮次"]  # 受理信访件 has no category or 纪律
    total = summary(office, scope, TODAY)
    label = scope.label(office)
    for sheet in sw.BREAKDOWN_SHEETS:
        ws = wb[sheet.title]
        assert label in ws["A1"].value and sheet.title in ws["A1"].value
        headers = [c.value for c in ws[sw.HEADER_ROW]]
        assert headers == [sheet.key_header, *(FIGURE_LABELS[f] for f in sheet.figures)]
        rows = breakdown(office, scope, sheet.by, TODAY)
        values = [list(r) for r in ws.iter_rows(min_row=sw.HEADER_ROW + 1, values_only=True)]
        assert [v[0] for v in values] == [r.label for r in rows[:-1]] + ["合计"]
        last = ws.max_row
        assert ws.cell(last, 1).font.b and ws.cell(last, 2).font.b  # the 合计 row in bold
        for col, figure in enumerate(sheet.figures, start=2):
            assert ws.cell(last, col).value == pytest.approx(_expected(total, figure)), (sheet.title, figure)
            for n, row in enumerate(rows[:-1]):
                assert values[n][col - 1] == pytest.approx(_expected(row.figures, figure))


def test_the_overview_lists_every_figure_with_its_label(office: Workspace, tmp_path: Path) -> None:
    scope = every_scope(office)["2025"]
    ws = _write(office, scope, tmp_path / "统计表.xlsx")[sw.OVERVIEW]
    assert ws["A1"].value == "巡察工作统计表（2025年度）"
    assert ws["A2"].value == "统计范围：2025年度　　统计日期：2026年5月20日"
    assert [c.value for c in ws[3]][:3] == ["类别", "指标", "数值"]
    shown = {r[1]: r[2] for r in ws.iter_rows(min_row=4, max_col=3, values_only=True)}
    total = summary(office, scope, TODAY)
    assert set(shown) == set(FIGURE_LABELS.values())
    for figure, text in FIGURE_LABELS.items():
        assert shown[text] == pytest.approx(getattr(total, figure)), figure
    assert shown["受理信访件（件次）"] == total.petitions > 0  # the demo's 信访件 are counted
    amount = next(r for r in ws.iter_rows(min_row=4) if r[1].value == FIGURE_LABELS["amount_recovered_yuan"])
    assert amount[2].number_format == "#,##0.00"
    rate = next(r for r in ws.iter_rows(min_row=4) if r[1].value == FIGURE_LABELS["case_rate"])
    assert rate[2].number_format == "0.00%"
    outcomes = {r[4]: r[5] for r in ws.iter_rows(min_row=4, max_row=3 + len(sw.OUTCOMES), values_only=True)}
    assert outcomes == {FIGURE_LABELS[f]: getattr(total, f) for f in sw.OUTCOMES}


def _refs(chart: Any) -> list[str]:
    return [s.val.numRef.f for s in chart.series]


def test_charts_sit_beside_or_below_their_tables_and_read_the_right_cells(
    office: Workspace, tmp_path: Path
) -> None:
    scope = Scope()
    wb = _write(office, scope, tmp_path / "统计表.xlsx")
    charted = {s.title: s for s in sw.BREAKDOWN_SHEETS if s.chart is not None}
    assert set(charted) == {"巡察组", "问题类别", "轮次"}
    for title, sheet in charted.items():
        ws = wb[title]
        assert len(ws._charts) == 1, title
        chart = ws._charts[0]
        rows = len(breakdown(office, scope, sheet.by, TODAY)) - 1
        last = sw.HEADER_ROW + rows
        assert sheet.chart is not None
        expected = []
        for figure in sheet.chart.figures:
            col = get_column_letter(2 + sheet.figures.index(figure))
            expected.append(f"'{title}'!${col}${sw.HEADER_ROW + 1}:${col}${last}")  # 合计 left out
        assert _refs(chart) == expected
        categories = chart.series[0].cat
        ref = (categories.strRef or categories.numRef).f
        assert ref == f"'{title}'!$A${sw.HEADER_ROW + 1}:$A${last}"
        assert [s.tx.strRef.f for s in chart.series] == [
            f"'{title}'!{r.split('$')[1]}{sw.HEADER_ROW}"
            for r in expected  # named by the header
        ]
    assert isinstance(wb["轮次"]._charts[0], LineChart)
    bars = wb["问题类别"]._charts[0]
    assert isinstance(bars, BarChart) and bars.type == "bar"
    beside = wb["问题类别"]._charts[0].anchor._from  # a narrow table: the chart beside it
    assert beside.col == len(sw.BREAKDOWN_SHEETS[3].figures) + 2 and beside.row == sw.HEADER_ROW - 1
    below = wb["巡察组"]._charts[0].anchor._from  # a wide one: below it
    assert below.col == 0 and below.row > wb["巡察组"].max_row
    overview = wb[sw.OVERVIEW]._charts
    assert len(overview) == 1 and _refs(overview[0]) == [f"'统计概览'!$F$4:$F${3 + len(sw.OUTCOMES)}"]


def test_print_set_up_is_a4_landscape_with_the_header_repeated(office: Workspace, tmp_path: Path) -> None:
    wb = _write(office, Scope(), tmp_path / "统计表.xlsx")
    for sheet in sw.BREAKDOWN_SHEETS:
        ws = wb[sheet.title]
        assert ws.page_setup.paperSize == 9 and ws.page_setup.orientation == "landscape", sheet.title
        assert ws.print_title_rows == f"${sw.HEADER_ROW}:${sw.HEADER_ROW}"
        assert ws.freeze_panes == f"B{sw.HEADER_ROW + 1}"
        # never squeezed to one page width: printed at a scale that keeps the 10.5 pt body at ≥ 9 pt
        assert not ws.sheet_properties.pageSetUpPr.fitToPage and ws.page_setup.fitToWidth is None
        assert ws.page_setup.scale >= 90
        assert ws.column_dimensions["A"].width == sheet.key_width
        assert "A1" in {str(r).split(":")[0] for r in ws.merged_cells.ranges}  # the title across the table
        assert (
            ws.cell(sw.HEADER_ROW, 1).font.name == "黑体"
            and ws.cell(sw.HEADER_ROW + 1, 2).font.name == "宋体"
        )
        assert ws.row_dimensions[sw.HEADER_ROW].height >= 30  # wrapped headers are not cut off
        assert_prints_legibly(ws, header_row=sw.HEADER_ROW)
    # a breakdown of two dozen figures splits between the 统计概览 sections, its key column repeated
    wide = wb["巡察组"]
    assert break_columns(wide) and wide.print_title_cols == "$A:$A"
    sections = [sw.figure_group(f) for f in sw.BREAKDOWN_SHEETS[0].figures]
    assert all(sections[b - 1] != sections[b - 2] for b in break_columns(wide))
    for title in ("按被巡察单位", "按状态"):
        assert_prints_legibly(wb[title])
    assert wb[sw.OVERVIEW].print_title_rows == "$3:$3"


def test_the_ledger_tables_per_unit_and_state_follow_the_scope(office: Workspace, tmp_path: Path) -> None:
    scopes = every_scope(office)
    wb = _write(office, scopes["2025年第一轮巡察"], tmp_path / "统计表.xlsx")
    units = [r for r in wb["按被巡察单位"].iter_rows(min_row=2, values_only=True)]
    assert units[-1][0] == "合计" and {r[1] for r in units[:-1]} == {"2025年第一轮巡察"}
    assert units[-1][3] == sum(r[3] for r in units[:-1])  # 谈话人次
    assert units[-1][3] == summary(office, scopes["2025年第一轮巡察"], TODAY).interviews


def test_the_workbook_is_audited_and_progress_is_reported(office: Workspace, tmp_path: Path) -> None:
    target = tmp_path / "统计表.xlsx"
    progress = RecordingProgress()
    result = write_ledger(office, "statistics", target, progress, scope=Scope(year=2026), today=TODAY)
    assert list(result.rows) == list(sw.sheet_titles())
    assert [done for done, _total, _m in progress.reports][-1] == len(sw.BREAKDOWN_SHEETS) + 2
    with office.engine.connect() as conn:
        entry = conn.execute(select(audit_log).order_by(audit_log.c.seq.desc()).limit(1)).one()
    assert entry.action == "ledger"
    assert json.loads(entry.changes) == {
        "kind": "statistics",
        "records": sum(result.rows.values()),
        "file": "统计表.xlsx",
    }


def test_a_cancelled_workbook_leaves_no_file(office: Workspace, tmp_path: Path) -> None:
    target = tmp_path / "统计表.xlsx"
    with pytest.raises(Cancelled):
        write_ledger(office, "statistics", target, RecordingProgress(cancel_at=2), today=TODAY)
    assert not target.exists() and not target.with_suffix(".part").exists()


def test_the_gui_filter_of_a_round_chooses_the_scope(office: Workspace, tmp_path: Path) -> None:
    """导出台账 on a page without a ledger of its own passes the page's filters: their round is the scope."""
    round_scope = every_scope(office)["2026年第一轮巡察"]
    target = tmp_path / "统计表.xlsx"
    write_ledger(office, "statistics", target, NullProgress(), filters={"round_id": round_scope.round_id})
    assert load_workbook(target)[sw.OVERVIEW]["A1"].value == "巡察工作统计表（2026年第一轮巡察）"


def test_row_heights_follow_the_wrapped_text() -> None:
    assert sw.text_lines("发现问题（个）", 7.5) == 3 and sw.text_lines("12", 7.5) == 1
    line = ledger_print.LINE_PT
    assert sw.row_height(["2025年第一轮巡察·县委第一巡察组"], [30]) == line * 2 + 3
    assert sw.row_height(["合计", "发现问题（个）"], [30, 7.5]) == line * 3 + 3
    assert sw.figure_format("case_rate") == "0.00%" and sw.figure_format("coverage_percent") == "0.0"
