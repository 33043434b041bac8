"""巡察工作统计简报: one A4 page of a scope's figures in the official layout of the other papers (GB/T 9704
page, marking, title in the title face): the headline figures as a short paragraph and a compact table,
the figures of each 巡察组, the top problem categories beside a bar chart of the issues per round (or per
group, for one round). The figures come from services.office_statistics; this lays them out.
`print --kind statistics-brief [--round NAME | --year YYYY]`."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from reportlab.graphics.charts.barcharts import VerticalBarChart
from reportlab.graphics.shapes import Drawing, String
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_LEFT
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Flowable, Spacer, Table

from xuncha_desktop.services.office_statistics.breakdowns import BreakdownRow, breakdown
from xuncha_desktop.services.office_statistics.figures import Summary, summary
from xuncha_desktop.services.office_statistics.scope import Scope
from xuncha_desktop.services.output.pdf_export import Output, PdfResult, _render
from xuncha_desktop.services.output.pdf_fonts import FontSet, load_fonts
from xuncha_desktop.services.output.pdf_layout import (
    DEFAULT_FOOTER_MARK,
    NBSP,
    SIZE_SMALL_4,
    TYPE_WIDTH,
    cn_date,
)
from xuncha_desktop.services.output.pdf_stories import Kit, start_record
from xuncha_desktop.services.output.pdf_tables import Cell, label, value
from xuncha_desktop.services.progress import NullProgress, Progress
from xuncha_desktop.services.workspace import Workspace

# `print --kind …` of these (cli.output_commands writes them out, a test compares them)
STATISTICS_PDF_KINDS = ("statistics-brief",)
TITLE = "巡察工作统计简报"
MARKING = "工作秘密"
TOP_CATEGORIES = 3
MAX_GROUPS = 9  # rows of 各巡察组情况 that still fit the page; more: those with the most issues
CHART_HEIGHT = 98
LABEL_SIZE = 6.5
BAR_COLOR = colors.HexColor("#4F81BD")

# The compact table under the paragraph: two blocks of (header, figure, unit), a header row over a value row.
HEADLINE = (
    (
        ("被巡察单位", "units_inspected", "个次"),
        ("个别谈话", "interviews", "人次"),
        ("发现问题", "issues_found", "个"),
        ("立行立改", "immediate_fixes", "个"),
        ("移交问题线索", "leads_transferred", "件"),
        ("边巡边移", "leads_on_site", "件"),
    ),
    (
        ("立案", "cases_opened", "件"),
        ("成案率", "case_rate", ""),
        ("建章立制", "institutions", "项"),
        ("整改完成率", "rectification_rate", ""),
        ("挽回经济损失", "amount_recovered_yuan", "万元"),
        ("党纪政务处分", "sanctions", "人"),
    ),
)
HEADLINE_WIDTHS = (0.14, 0.14, 0.14, 0.14, 0.22, 0.22)
# (header, figure, share of the type width) of 各巡察组情况, after the group's name
GROUP_COLUMNS = (
    ("单位", "units_inspected", 0.07),
    ("谈话", "interviews", 0.08),
    ("问题", "issues_found", 0.08),
    ("立行立改", "immediate_fixes", 0.08),
    ("移交线索", "leads_transferred", 0.08),
    ("立案", "cases_opened", 0.07),
    ("挽回损失（万元）", "amount_recovered_yuan", 0.14),
)
GROUP_NAME_WIDTH = 1 - sum(w for _, _, w in GROUP_COLUMNS)
SMALL_SIZE, SMALL_LEADING = 9, 11  # the dense tables: 小五-ish, one line per group


@dataclass(frozen=True)
class BriefData:
    """What the page shows, read from the statistics service in one go."""

    scope_label: str
    today: date
    total: Summary
    groups: list[BreakdownRow]  # without 合计
    group_total: BreakdownRow
    categories: list[BreakdownRow]  # without 合计
    rounds: list[BreakdownRow]  # without 合计


def brief_data(ws: Workspace, scope: Scope, today: date) -> BriefData:
    def rows(by: str) -> tuple[list[BreakdownRow], BreakdownRow]:
        found = breakdown(ws, scope, by, today)
        return [r for r in found if r.key != ""], found[-1]

    groups, group_total = rows("group")
    return BriefData(
        scope_label=scope.label(ws),
        today=today,
        total=summary(ws, scope, today),
        groups=groups,
        group_total=group_total,
        categories=rows("category_l1")[0],
        rounds=rows("round")[0],
    )


# -- values as printed ---------------------------------------------------------------------------------------


def wan(amount: Decimal) -> str:
    """An amount in 元 as 万元 with two decimals: 13765432.10 → 1,376.54."""
    return f"{amount / 10000:,.2f}"


def percent(rate: float | None) -> str:
    return "—" if rate is None else f"{rate * 100:.1f}%"


def figure_text(s: Summary, figure: str) -> str:
    raw = getattr(s, figure)
    if figure == "amount_recovered_yuan":
        return wan(raw)
    if figure in ("case_rate", "rectification_rate"):
        return percent(raw)
    return str(raw)


def headline_text(s: Summary) -> str:
    """The paragraph: what was inspected, heard and received, found, handed over and recovered."""
    return (
        f"共巡察被巡察单位 {s.units_inspected} 个次，个别谈话 {s.interviews} 人次，"
        f"受理信访件 {s.petitions} 件次，发现问题 {s.issues_found} 个，"
        f"移交问题线索 {s.leads_transferred} 件 {s.leads_transferred_persons} 人，"
        f"挽回经济损失 {wan(s.amount_recovered_yuan)} 万元。"
    )


def top_categories(categories: Sequence[BreakdownRow], n: int = TOP_CATEGORIES) -> list[BreakdownRow]:
    """The categories with the most issues (ties in the service's order), none without issues."""
    found = [c for c in categories if c.figures.issues_found > 0]
    return sorted(found, key=lambda c: -c.figures.issues_found)[:n]


def shown_groups(groups: Sequence[BreakdownRow]) -> list[BreakdownRow]:
    """Every group, or the MAX_GROUPS with the most issues (in the service's order) when more."""
    if len(groups) <= MAX_GROUPS:
        return list(groups)
    keep = {id(g) for g in sorted(groups, key=lambda g: -g.figures.issues_found)[:MAX_GROUPS]}
    return [g for g in groups if id(g) in keep]


# -- flowables -----------------------------------------------------------------------------------------------


def _small(kit: Kit, *, heading: bool = False, align: int = TA_LEFT) -> ParagraphStyle:
    base = kit.st.list_label if heading else kit.st.list_cell
    return ParagraphStyle(
        f"brief_small_{heading}_{align}",
        parent=base,
        fontSize=SMALL_SIZE,
        leading=SMALL_LEADING,
        alignment=align,
    )


def _headline_table(kit: Kit, s: Summary) -> Flowable:
    g = kit.grid([TYPE_WIDTH * w for w in HEADLINE_WIDTHS], compact=True)
    for block in HEADLINE:
        g.row(*(label(text) for text, _, _ in block))
        g.row(*(value(f"{figure_text(s, f)} {unit}".strip(), align="center") for _, f, unit in block))
    return _tight(g.table())


def _tight(table: Table) -> Table:
    """Less padding above and below the cells than the forms have: the page must hold every table."""
    table.setStyle([("TOPPADDING", (0, 0), (-1, -1), 2), ("BOTTOMPADDING", (0, 0), (-1, -1), 2)])
    return table


def _group_table(kit: Kit, data: BriefData) -> list[Flowable]:
    head, cell = _small(kit, heading=True, align=TA_CENTER), _small(kit, align=TA_CENTER)
    g = kit.grid(
        [TYPE_WIDTH * GROUP_NAME_WIDTH] + [TYPE_WIDTH * w for _, _, w in GROUP_COLUMNS], compact=True
    )
    g.row(
        Cell("巡察组", label=True, style=head),
        *(Cell(h, label=True, style=head) for h, _, _ in GROUP_COLUMNS),
    )
    shown = shown_groups(data.groups)
    for row in [*shown, data.group_total]:
        total = row.key == ""
        name = Cell("合计", label=True, style=head) if total else Cell(row.label, style=_small(kit))
        numbers = [
            Cell(figure_text(row.figures, f), style=head if total else cell) for _, f, _ in GROUP_COLUMNS
        ]
        g.row(name, *numbers)
    out: list[Flowable] = [_tight(g.table(repeat_rows=1))]
    if len(shown) < len(data.groups):
        note = f"（共 {len(data.groups)} 个巡察组，仅列发现问题最多的 {len(shown)} 个；合计为全部巡察组）"
        out.append(kit.p(note, _small(kit)))
    return out


def _category_table(kit: Kit, data: BriefData, width: float) -> Flowable:
    head, cell = _small(kit, heading=True, align=TA_CENTER), _small(kit, align=TA_CENTER)
    g = kit.grid([width * 0.66, width * 0.16, width * 0.18], compact=True)
    g.row(*(Cell(h, label=True, style=head) for h in ("问题类别（前三位）", "问题数", "占比")))
    total = data.total.issues_found
    top = top_categories(data.categories)
    for c in top:
        share = f"{c.figures.issues_found * 100 / total:.1f}%" if total else "—"
        count = str(c.figures.issues_found)
        g.row(Cell(c.label, style=_small(kit)), Cell(count, style=cell), Cell(share, style=cell))
    if not top:
        g.row(Cell("（暂无已审签的问题）", cols=3, style=cell))
    return _tight(g.table(repeat_rows=1))


def issues_chart(fonts: FontSet, rows: Sequence[BreakdownRow], title: str, width: float) -> Drawing:
    """Vertical bars of the issues found per row (round or group), each bar labelled with its count."""
    font = fonts.body.name
    drawing = Drawing(width, CHART_HEIGHT, initialFontName=font, initialFontSize=7)  # else Helvetica
    drawing.add(String(width / 2, CHART_HEIGHT - 10, title, fontName=fonts.heading.name, fontSize=9,
                       textAnchor="middle"))  # fmt: skip
    chart = VerticalBarChart()
    chart.x, chart.y = 26, 34
    chart.width, chart.height = width - 34, CHART_HEIGHT - 56
    chart.data = [[r.figures.issues_found for r in rows] or [0]]
    chart.categoryAxis.categoryNames = [_short(r.label) for r in rows] or [""]
    chart.categoryAxis.labels.fontName = font
    chart.categoryAxis.labels.fontSize = LABEL_SIZE
    names = chart.categoryAxis.categoryNames
    crowded = len(names) * max(len(n) for n in names) * LABEL_SIZE > chart.width  # side by side they touch
    chart.categoryAxis.labels.angle = 25 if crowded else 0
    chart.categoryAxis.labels.boxAnchor = "ne" if crowded else "n"
    chart.valueAxis.valueMin = 0
    chart.valueAxis.labels.fontName = font
    chart.valueAxis.labels.fontSize = LABEL_SIZE
    chart.valueAxis.visibleGrid = True
    chart.valueAxis.gridStrokeColor = colors.lightgrey
    chart.bars[0].fillColor = BAR_COLOR
    chart.bars[0].strokeColor = None
    chart.barLabelFormat = "%d"
    chart.barLabels.fontName = font
    chart.barLabels.fontSize = LABEL_SIZE
    chart.barLabels.nudge = 5
    drawing.add(chart)
    return drawing


def _short(text: str) -> str:
    """A chart label: a group's own name without its round (the table names both)."""
    text = text.rpartition("·")[2]
    return text if len(text) <= 12 else text[:11] + "…"


def _categories_and_chart(kit: Kit, data: BriefData) -> Flowable:
    """The top categories beside the chart of issues per round (per group when there is one round)."""
    left, right = TYPE_WIDTH * 0.55, TYPE_WIDTH * 0.45
    per_round = len(data.rounds) > 1
    rows = data.rounds if per_round else data.groups
    title = "各轮次发现问题（个）" if per_round else "各巡察组发现问题（个）"
    chart = issues_chart(kit.st.fonts, shown_groups(rows), title, right - 8)
    table = Table([[_category_table(kit, data, left - 8), chart]], colWidths=[left, right])
    table.setStyle(
        [
            ("FONT", (0, 0), (-1, -1), kit.st.fonts.body.name, SMALL_SIZE),  # not Table's Helvetica
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("LEFTPADDING", (0, 0), (-1, -1), 0),
            ("RIGHTPADDING", (0, 0), (0, 0), 8),
            ("RIGHTPADDING", (1, 0), (1, 0), 0),
            ("TOPPADDING", (0, 0), (-1, -1), 0),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 0),
        ]
    )
    return table


def brief_story(kit: Kit, data: BriefData) -> list[Flowable]:
    story = start_record(kit, "r0", TITLE, MARKING, TITLE, first=True)
    about = f"（{data.scope_label}{NBSP * 3}截至{cn_date(data.today)}）"
    story.append(kit.p(about, kit.st.subtitle))
    paragraph = ParagraphStyle(
        "brief", parent=kit.st.body, fontSize=SIZE_SMALL_4, leading=20, firstLineIndent=2 * SIZE_SMALL_4
    )
    story += [kit.heading("总体情况"), kit.p(headline_text(data.total), paragraph), Spacer(1, 4)]
    story += [_headline_table(kit, data.total)]
    story += [kit.heading("各巡察组情况"), *_group_table(kit, data)]
    story += [kit.heading("主要问题类别"), _categories_and_chart(kit, data)]
    return story


def write_statistics_brief(
    ws: Workspace,
    scope: Scope,
    target: Output,
    *,
    fonts: FontSet | None = None,
    progress: Progress | None = None,
    today: date | None = None,
    footer_mark: str = DEFAULT_FOOTER_MARK,
) -> PdfResult:
    """`print --kind statistics-brief`: the 统计简报 of `scope`, audited as a print of one paper (file name
    only)."""
    day = today or date.today()
    data = brief_data(ws, scope, day)
    return _render(
        ws,
        target,
        fonts or load_fonts(),
        progress or NullProgress(),
        kind="statistics-brief",
        title=f"{TITLE}（{data.scope_label}）",
        total=1,
        records=1,
        make_story=lambda kit: brief_story(kit, data),
        hide_reporter=False,
        footer_mark=footer_mark,
    )
