"""统计表 (`ledger --kind statistics`) of one scope: 统计概览 (every figure with its label, the scope
in a title row, and the 问题线索处置 table with its chart), a sheet per breakdown (巡察组, 单位类型,
巡察类型, 问题类别, 问题子类, 纪律, 轮次) with the figures as columns and a bold 合计 row, native Excel
charts beside their tables, and the 台账 tables per 被巡察单位 and per 状态. Every figure comes from
services.office_statistics (the per unit and per state tables from services.statistics); this module only
lays them out."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.chart import BarChart, LineChart, Reference
from openpyxl.chart.label import DataLabelList
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from xuncha_desktop.services.office_statistics.breakdowns import BreakdownRow, applies, breakdown
from xuncha_desktop.services.office_statistics.figures import FIGURE_LABELS, Summary, summary
from xuncha_desktop.services.office_statistics.scope import Scope
from xuncha_desktop.services.output.excel_styles import (
    AMOUNT_FORMAT,
    TOTAL_FONT,
    header_cells,
    set_up_sheet,
    styled_cell,
)
from xuncha_desktop.services.output.ledger_print import BODY_FONT, TITLE_FONT, header_height
from xuncha_desktop.services.output.ledger_print import row_height as _row_height
from xuncha_desktop.services.output.ledger_print import text_lines as text_lines
from xuncha_desktop.services.output.statistics_tables import LEDGER_TABLES, write_ledger_tables
from xuncha_desktop.services.progress import Progress
from xuncha_desktop.services.workspace import Workspace

OVERVIEW = "统计概览"
TITLE = "巡察工作统计表"
NOTE_FONT = BODY_FONT
RATE_CELL_FORMAT = "0.00%"
MIDDLE = Alignment(vertical="center")
WRAPPED = Alignment(vertical="center", wrap_text=True)
PERCENT_FORMAT = "0.0"
HEADER_ROW = 2  # breakdown sheets: a title row, then the header
WIDE_TABLE = 8  # columns; a chart goes below a wider table, beside a narrower one

# 统计概览 in sections; a figure the service adds later lands in 其他.
OVERVIEW_SECTIONS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("巡察覆盖", ("rounds", "units_inspected", "coverage_percent")),
    ("工作开展", ("interviews", "petitions", "files_read", "site_visits", "questionnaires")),
    ("发现问题", ("issues_found", "immediate_fixes", "special_reports", "recommendations")),
    ("问题线索", ("leads_transferred", "leads_transferred_persons", "leads_on_site", "leads_overdue")),
    ("处置结果", ("cases_opened", "sanctions", "org_handlings", "judicial_transfers", "case_rate")),
    ("整改成效", ("amount_recovered_yuan", "institutions", "rectification_rate")),
)
# 问题线索处置: the leads and what became of them, beside 统计概览 with a bar chart.
OUTCOMES = (
    "leads_transferred",
    "leads_on_site",
    "cases_opened",
    "sanctions",
    "org_handlings",
    "judicial_transfers",
)
RATES = ("case_rate", "rectification_rate")


@dataclass(frozen=True)
class ChartSpec:
    """A native chart of some of a sheet's figure columns over its rows (合计 left out)."""

    kind: str  # "col" (vertical bars), "bar" (horizontal bars) or "line"
    title: str
    figures: tuple[str, ...]
    axis_title: str


@dataclass(frozen=True)
class BreakdownSheet:
    by: str  # a key of office_statistics.breakdowns.BREAKDOWNS
    title: str
    key_header: str
    key_width: float
    chart: ChartSpec | None = None

    @property
    def figures(self) -> tuple[str, ...]:
        """The columns: every figure the breakdown splits (breakdowns.applies), in FIGURE_LABELS' order;
        a round's own count of rounds (always 1) left out."""
        return tuple(
            f for f in FIGURE_LABELS if applies(self.by, f) and not (self.by == "round" and f == "rounds")
        )


ISSUES_AND_LEADS = ("issues_found", "leads_transferred")
BY_GROUP = ChartSpec("col", "各巡察组发现问题和移交线索", ISSUES_AND_LEADS, "个（件）")
BY_CATEGORY = ChartSpec("bar", "发现问题按类别", ("issues_found",), "个")
BY_ROUND = ChartSpec("line", "各轮次发现问题和移交线索", ISSUES_AND_LEADS, "个（件）")
BREAKDOWN_SHEETS = (
    BreakdownSheet("group", "巡察组", "巡察组", 30, BY_GROUP),
    BreakdownSheet("unit_kind", "单位类型", "单位类型", 16),
    BreakdownSheet("round_kind", "巡察类型", "巡察类型", 14),
    BreakdownSheet("category_l1", "问题类别", "问题类别", 48, BY_CATEGORY),
    BreakdownSheet("category_l2", "问题子类", "问题子类", 48),
    BreakdownSheet("discipline", "纪律", "违反纪律", 14),
    BreakdownSheet("round", "轮次", "巡察轮次", 24, BY_ROUND),
)


# -- cells ---------------------------------------------------------------------------------------------------


def figure_format(figure: str) -> str:
    """The number format a figure is shown in: amounts with two decimals, rates as percentages."""
    if figure == "amount_recovered_yuan":
        return AMOUNT_FORMAT
    if figure in RATES:
        return RATE_CELL_FORMAT
    return PERCENT_FORMAT if figure == "coverage_percent" else "0"


def figure_width(figure: str) -> float:
    """Narrow number columns under wrapped headers, so a breakdown of two dozen figures still prints
    legibly across one landscape page."""
    if figure == "amount_recovered_yuan":
        return 15
    return 8.5 if figure in RATES else 7.5


def row_height(texts: Sequence[str], widths: Sequence[float]) -> float:
    """A row's height in points for its wrapped texts (ledger_print.row_height): write-only sheets get no
    automatic row heights, so a wrapped header would be cut off."""
    return _row_height(zip(texts, widths, strict=False))


def figure_group(figure: str) -> str:
    """The 统计概览 section of a figure: a breakdown printed over several pages breaks between sections."""
    return next((name for name, figures in OVERVIEW_SECTIONS if figure in figures), "其他")


def _figure_cell(ws: WriteOnlyWorksheet, s: Summary, figure: str, font: Font) -> Any:
    cell = styled_cell(ws, getattr(s, figure), font=font, number_format=figure_format(figure))
    cell.alignment = MIDDLE
    return cell


def _title_rows(ws: WriteOnlyWorksheet, title: str, note: str, columns: int) -> None:
    """A title row in 黑体 across the table (and a note row below it when `note` is given)."""
    last = get_column_letter(max(columns, 1))
    cell = WriteOnlyCell(ws, title)
    cell.font, cell.alignment = TITLE_FONT, Alignment(horizontal="center", vertical="center")
    ws.merged_cells.add(f"A1:{last}1")
    ws.row_dimensions[1].height = 28
    ws.append([cell])
    if note:
        ws.merged_cells.add(f"A2:{last}2")
        cell = WriteOnlyCell(ws, note)
        cell.font, cell.alignment = NOTE_FONT, Alignment(horizontal="left")
        ws.append([cell])


# -- charts --------------------------------------------------------------------------------------------------


def _chart(spec: ChartSpec) -> BarChart | LineChart:
    chart: BarChart | LineChart
    if spec.kind == "line":
        chart = LineChart()
    else:
        chart = BarChart()
        chart.type = spec.kind
        chart.grouping = "clustered"
        chart.gapWidth = 60
        if spec.kind == "bar":  # categories from the top down, in the table's order
            chart.x_axis.scaling.orientation = "maxMin"
    chart.title = spec.title
    chart.y_axis.title = spec.axis_title
    chart.x_axis.delete = False  # openpyxl 3.1 hides both axes unless told otherwise
    chart.y_axis.delete = False
    chart.dataLabels = DataLabelList(
        showVal=True, showSerName=False, showCatName=False, showLegendKey=False, showPercent=False
    )
    chart.legend.position = "b"
    chart.width, chart.height = 16, 9
    return chart


def add_chart(
    ws: WriteOnlyWorksheet,
    spec: ChartSpec,
    columns: Sequence[int],
    header_row: int,
    rows: int,
    anchor: str,
) -> None:
    """A chart of the figure columns `columns` (1-based) over the `rows` data rows below `header_row`,
    named by their header cells, the categories from column A; placed with its top left cell at `anchor`."""
    if rows <= 0:
        return
    chart = _chart(spec)
    last = header_row + rows
    for col in columns:
        chart.add_data(Reference(ws, min_col=col, min_row=header_row, max_row=last), titles_from_data=True)
    chart.set_categories(Reference(ws, min_col=1, min_row=header_row + 1, max_row=last))
    if isinstance(chart, LineChart):
        for series in chart.series:
            series.smooth = False  # a trend between rounds, not a curve through them
            series.marker.symbol = "circle"
    if len(columns) == 1:
        chart.legend = None
    ws.add_chart(chart, anchor)


# -- sheets --------------------------------------------------------------------------------------------------


def _overview_rows(s: Summary) -> list[tuple[str, str]]:
    """(section, figure) for every figure of a Summary, in OVERVIEW_SECTIONS' order, the rest in 其他."""
    listed = [(section, f) for section, figures in OVERVIEW_SECTIONS for f in figures]
    seen = {f for _, f in listed}
    rest = [("其他", f) for f in FIGURE_LABELS if f not in seen and hasattr(s, f)]
    return listed + rest


def write_overview(wb: Workbook, s: Summary, scope_label: str, today: date, footer_mark: str) -> int:
    """统计概览: 类别 | 指标 | 数值 for every figure, and 问题线索处置 (with its chart) beside it."""
    ws = wb.create_sheet(OVERVIEW)
    set_up_sheet(ws, [12, 26, 16, 3, 22, 12], f"{TITLE}　{scope_label}", footer_mark, header_row=3)
    ws.freeze_panes = "A4"
    note = f"统计范围：{scope_label}　　统计日期：{today.year}年{today.month}月{today.day}日"
    _title_rows(ws, f"{TITLE}（{scope_label}）", note, 6)
    side = header_cells(ws, ["问题线索处置", "件（人）数"])
    ws.append([*header_cells(ws, ["类别", "指标", "数值"]), None, *side])
    rows = _overview_rows(s)
    previous = ""
    for i, (section, figure) in enumerate(rows):
        line: list[Any] = [
            styled_cell(ws, section if section != previous else "", font=TOTAL_FONT),
            styled_cell(ws, FIGURE_LABELS.get(figure, figure), font=BODY_FONT),
            _figure_cell(ws, s, figure, BODY_FONT),
        ]
        previous = section
        if i < len(OUTCOMES):
            outcome = OUTCOMES[i]
            label = styled_cell(ws, FIGURE_LABELS.get(outcome, outcome), font=BODY_FONT)
            line += [None, label, _figure_cell(ws, s, outcome, BODY_FONT)]
        ws.append(line)
    spec = ChartSpec("col", "问题线索处置情况", ("outcomes",), "件（人）")
    chart = _chart(spec)
    chart.add_data(Reference(ws, min_col=6, min_row=3, max_row=3 + len(OUTCOMES)), titles_from_data=True)
    chart.set_categories(Reference(ws, min_col=5, min_row=4, max_row=3 + len(OUTCOMES)))
    chart.legend = None
    ws.add_chart(chart, f"E{5 + len(OUTCOMES)}")
    return len(rows)


def write_breakdown(
    wb: Workbook,
    sheet: BreakdownSheet,
    rows: Sequence[BreakdownRow],
    scope_label: str,
    footer_mark: str,
) -> int:
    """One breakdown: its rows with the figures as columns, the 合计 row (key "") bold and last, and its
    chart beside the table. Returns the number of rows above 合计."""
    ws = wb.create_sheet(sheet.title)
    widths = [sheet.key_width, *(figure_width(f) for f in sheet.figures)]
    set_up_sheet(
        ws,
        widths,
        f"{TITLE}　{scope_label}　按{sheet.title}",
        footer_mark,
        header_row=HEADER_ROW,
        groups=["", *(figure_group(f) for f in sheet.figures)],
    )
    _title_rows(ws, f"{TITLE}（按{sheet.title}）　{scope_label}", "", len(widths))
    headers = [sheet.key_header, *(FIGURE_LABELS.get(f, f) for f in sheet.figures)]
    ws.row_dimensions[HEADER_ROW].height = header_height(headers, widths)
    ws.append(header_cells(ws, headers))
    body = [r for r in rows if r.key != ""]
    lines = [(r.label, r.figures, BODY_FONT) for r in body]
    lines += [("合计", r.figures, TOTAL_FONT) for r in rows if r.key == ""]
    for n, (label, figures, font) in enumerate(lines, start=HEADER_ROW + 1):
        ws.row_dimensions[n].height = row_height([label], widths)
        ws.append(_breakdown_line(ws, sheet, label, figures, font))
    if sheet.chart is not None:
        shown = sheet.figures
        columns = [2 + shown.index(f) for f in sheet.chart.figures if f in shown]
        anchor = _chart_anchor(len(widths), len(rows))
        add_chart(ws, sheet.chart, columns, HEADER_ROW, len(body), anchor)
    return len(body)


def _chart_anchor(columns: int, rows: int) -> str:
    """Beside a narrow table; below a wide one (beside it the printed page would shrink to fit both)."""
    if columns <= WIDE_TABLE:
        return f"{get_column_letter(columns + 2)}{HEADER_ROW}"
    return f"A{HEADER_ROW + rows + 3}"


def _breakdown_line(
    ws: WriteOnlyWorksheet, sheet: BreakdownSheet, label: str, s: Summary, font: Font
) -> list[Any]:
    first = styled_cell(ws, label, font=font)
    first.alignment = WRAPPED
    return [first, *(_figure_cell(ws, s, f, font) for f in sheet.figures)]


# -- the workbook --------------------------------------------------------------------------------------------


def sheet_titles() -> tuple[str, ...]:
    """The sheets of the statistics workbook, in order."""
    return (OVERVIEW, *(s.title for s in BREAKDOWN_SHEETS), *LEDGER_TABLES)


def fill_statistics_workbook(
    wb: Workbook,
    ws: Workspace,
    scope: Scope,
    progress: Progress,
    *,
    today: date,
    footer_mark: str,
) -> dict[str, int]:
    """Writes every sheet of the statistics workbook of `scope` into the write-only `wb`; returns the rows
    per sheet (without 合计). Checks cancel and reports progress per sheet."""
    label = scope.label(ws)
    total = len(BREAKDOWN_SHEETS) + 2
    done: list[int] = [0]

    def step(title: str) -> None:
        progress.check_cancelled()
        progress.report(done[0], total, f"正在统计：{title}")
        done[0] += 1

    step(OVERVIEW)
    rows = {OVERVIEW: write_overview(wb, summary(ws, scope, today), label, today, footer_mark)}
    for sheet in BREAKDOWN_SHEETS:
        step(sheet.title)
        found = breakdown(ws, scope, sheet.by, today)
        rows[sheet.title] = write_breakdown(wb, sheet, found, label, footer_mark)
    step("按被巡察单位")
    rows.update(write_ledger_tables(wb, ws, scope, today, footer_mark))
    progress.report(total, total, "")
    return rows
