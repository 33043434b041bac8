"""How every 台账 sheet prints: a CJK face (宋体 body, 黑体 headers, 五号 10.5 pt), wrapped text, column
widths by kind of column, row heights worked out from the wrapped text, the header row(s) and the identifying
columns repeated on every page, and, where the columns do not fit one A4 landscape width at a legible size,
column page breaks at the boundaries of groups of related columns instead of shrinking the text.

Qt-free and free of the record types: excel_styles and the ledger writers pass widths, kinds and groups in.

The fonts: 宋体 (SimSun) and 黑体 (SimHei) ship with every Chinese Windows and are the names WPS and Excel
expect; 仿宋_GB2312 is not installed by default since Windows Vista. LibreOffice on a Linux without them
substitutes per glyph (on the test machine WenQuanYi Micro Hei), with the same advance width for CJK text."""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.styles.cell_style import StyleArray
from openpyxl.utils import get_column_letter
from openpyxl.utils.indexed_list import IndexedList
from openpyxl.worksheet.pagebreak import Break, ColBreak
from openpyxl.worksheet.worksheet import Worksheet

BODY_FACE, HEADER_FACE = "宋体", "黑体"
BODY_SIZE = 10.5  # 五号, the usual size of a Chinese table
MIN_PRINTED_PT = 9.0
MIN_SCALE = 90  # the smallest print scale; 10.5 pt at 90 % prints at 9.45 pt
assert BODY_SIZE * MIN_SCALE / 100 >= MIN_PRINTED_PT

BODY_FONT = Font(name=BODY_FACE, size=BODY_SIZE)
HEADER_FONT = Font(name=HEADER_FACE, size=BODY_SIZE, bold=True)
TOTAL_FONT = HEADER_FONT  # 合计 rows in the header's 黑体 bold
TITLE_FONT = Font(name=HEADER_FACE, size=16, bold=True)

WRAPPED = Alignment(vertical="center", wrap_text=True)
COLUMN_WRAPPED = Alignment(horizontal="general", vertical="center", wrap_text=True)
CENTRED = Alignment(horizontal="center", vertical="center", wrap_text=True)
NUMBER = Alignment(vertical="center")  # numbers never wrap; their columns are wide enough

# A4 landscape (points) and margins (inches, as openpyxl takes them).
PAGE_WIDTH_PT = {True: 841.89, False: 595.28}
SIDE_MARGIN_IN, TOP_MARGIN_IN, HEADER_MARGIN_IN = 0.5, 0.8, 0.35

# Widths (Excel characters) by kind of column: dates, flags and figures narrow, texts as the data says but
# within TEXT_WIDTHS (a wider text wraps onto more lines rather than pushing the rest onto another page).
KIND_WIDTHS = {"date": 11.0, "flag": 9.0, "count": 8.0, "rate": 9.0, "amount": 14.0}
TEXT_WIDTHS = (8.0, 40.0)

# Pages are planned for columns this much wider than Excel draws them: LibreOffice measures a column's
# character with the default font's digit, and where neither Calibri nor its metric twin Carlito is installed
# (a bare Linux) that is DejaVu Sans's, 9 px instead of 7. Excel then leaves some room at the right.
COLUMN_SLACK = 1.3

LINE_PT = 15.5  # one line of 10.5 pt CJK text (fonts such as Noto CJK need 1.45 em)
ROW_PADDING_PT = 3.0
MAX_ROW_PT = 409.0  # Excel's limit
HEADER_LINE_PT = LINE_PT


def cjk_workbook() -> Workbook:
    """A write-only workbook whose default cell style (style 0, and the Normal style) is 宋体 10.5 pt, wrapped
    and vertically centred: every plain value written is then in the CJK face and wraps, at no cost per
    cell (a styled cell costs openpyxl twice the time of a plain one), and so is whatever the office types
    into the sheet later. openpyxl has no public way to change the default style; its style lists are
    replaced before any cell exists (the tests read font and wrapping back from the written cells)."""
    wb = Workbook(write_only=True)
    wb._fonts = IndexedList([BODY_FONT])  # font 0, the default
    alignment = wb._alignments.add(WRAPPED)
    wb._cell_styles = IndexedList([StyleArray([0, 0, 0, 0, 0, alignment, 0, 0, 0])])  # style 0
    normal = wb._named_styles["Normal"]
    normal.font, normal.alignment = BODY_FONT, WRAPPED
    return wb


def print_width(kind: str, width: float) -> float:
    """The printed width of a ledger column of `kind` whose data asks for `width` characters."""
    if kind in KIND_WIDTHS:
        return KIND_WIDTHS[kind]
    low, high = TEXT_WIDTHS
    return min(max(width, low), high)


def column_points(width: float) -> float:
    """A column `width` characters wide, in points at 100 % (Excel: 7 px a character plus 5 px, at 96 dpi)."""
    return (7 * width + 5) * 0.75


def text_units(text: str) -> int:
    """Width of `text` in Excel characters: a CJK character (3 bytes in UTF-8) counts two, ASCII one. Done
    on the encoded length, which is fast enough for every cell of a 100,000-row ledger."""
    return (len(text.encode("utf-8")) + len(text)) // 2


def text_lines(text: str, width: float) -> int:
    """How many lines `text` wraps to in a column `width` characters wide, with a character of slack for the
    cell padding and a line broken between Latin words."""
    room = max(width - 2, 1)
    if "\n" in text:
        return sum(text_lines(part, width) for part in text.split("\n"))
    if 2 * len(text) <= room:
        return 1
    return max(1, math.ceil(text_units(text) / room))


def row_height(texts: Iterable[tuple[Any, float]], line_pt: float = LINE_PT) -> float:
    """The height in points of a row of (value, column width) pairs, tall enough for its longest wrapped
    text: openpyxl writes no automatic row heights and a wrapped text would be cut off."""
    lines = max((text_lines(v, w) for v, w in texts if isinstance(v, str) and v), default=1)
    return min(MAX_ROW_PT, lines * line_pt + ROW_PADDING_PT)


@dataclass(frozen=True)
class PagePlan:
    """How a sheet's columns print: the scale (%), the 0-based index of the first column of each further
    page across, and how many leading columns repeat on every page."""

    scale: int
    breaks: tuple[int, ...]
    title_columns: int

    @property
    def printed_pt(self) -> float:
        return BODY_SIZE * self.scale / 100


def _spans(groups: Sequence[Any]) -> list[tuple[int, int]]:
    """[start, end) of each run of equal group keys."""
    spans, start = [], 0
    for i in range(1, len(groups) + 1):
        if i == len(groups) or groups[i] != groups[start]:
            spans.append((start, i))
            start = i
    return spans


def plan_columns(
    widths: Sequence[float],
    groups: Sequence[Any] | None = None,
    title_columns: int = 1,
    *,
    landscape: bool = True,
) -> PagePlan:
    """One page wide at 100 % when the columns fit, shrunk down to MIN_SCALE when that is enough; otherwise
    at MIN_SCALE with the columns after the repeated `title_columns` split into pages across, a break only
    between two groups (`groups`: a key per column) unless one group alone is wider than a page."""
    room = PAGE_WIDTH_PT[landscape] - 2 * 72 * SIDE_MARGIN_IN
    points = [column_points(w) * COLUMN_SLACK for w in widths]
    total = sum(points)
    if total <= room:
        return PagePlan(100, (), title_columns)
    fit = math.floor(100 * room / total)
    if fit >= MIN_SCALE:
        return PagePlan(fit, (), title_columns)
    keys = list(groups) if groups is not None else list(range(len(widths)))
    page = room * 100 / MIN_SCALE - sum(points[:title_columns])
    breaks: list[int] = []
    used = 0.0
    for start, end in _spans(keys[title_columns:]):
        start, end = start + title_columns, end + title_columns
        size = sum(points[start:end])
        if used and used + size > page and size <= page:  # the group starts a new page
            breaks.append(start)
            used = 0.0
        for i in range(start, end):  # a group wider than a page is split where it must be
            if used and used + points[i] > page:
                breaks.append(i)
                used = 0.0
            used += points[i]
    return PagePlan(MIN_SCALE, tuple(breaks), title_columns)


def set_up_print(
    ws: Any,
    widths: Sequence[float],
    title: str,
    footer_mark: str,
    *,
    groups: Sequence[Any] | None = None,
    title_columns: int = 1,
    header_rows: tuple[int, int] = (1, 1),
    landscape: bool = True,
) -> PagePlan:
    """Everything a (write-only) sheet needs before its first row: column widths, the header frozen,
    repeated header rows and title columns, A4 at a legible scale with column breaks (PagePlan), page order
    across then down when the columns are split, margins, and the title and page numbers in header and
    footer."""
    for i, width in enumerate(widths, start=1):
        column = ws.column_dimensions[get_column_letter(i)]
        # LibreOffice gives a cell written without a style its column's style, not the workbook's style 0;
        # the same look under another style number, or openpyxl would leave style 0 unwritten
        column.width, column.font, column.alignment = width, BODY_FONT, COLUMN_WRAPPED
    first, last = header_rows
    ws.freeze_panes = f"{get_column_letter(title_columns + 1)}{last + 1}"
    ws.print_title_rows = f"{first}:{last}"
    plan = plan_columns(widths, groups, title_columns, landscape=landscape)
    if plan.breaks or title_columns > 1:
        ws.print_title_cols = f"A:{get_column_letter(title_columns)}"
    setup = ws.page_setup
    setup.paperSize = Worksheet.PAPERSIZE_A4
    setup.orientation = "landscape" if landscape else "portrait"
    setup.scale = plan.scale
    ws.print_options.gridLines = True  # rules every cell, written or empty, without a border on each
    setup.fitToWidth = setup.fitToHeight = None
    ws.sheet_properties.pageSetUpPr.fitToPage = False
    if plan.breaks:
        # a row's pages side by side: all columns of the first rows, then the next rows
        setup.pageOrder = "overThenDown"
        ws.col_breaks = ColBreak()
        for index in plan.breaks:
            ws.col_breaks.append(Break(id=index))
    margins = ws.page_margins
    margins.left = margins.right = SIDE_MARGIN_IN
    margins.top = margins.bottom = TOP_MARGIN_IN
    margins.header = margins.footer = HEADER_MARGIN_IN
    ws.oddHeader.center.text = title
    ws.oddHeader.center.font = f"{HEADER_FACE},Regular"
    ws.oddHeader.center.size = 12
    for part, text in ((ws.oddFooter.left, footer_mark), (ws.oddFooter.center, "第 &P 页 共 &N 页")):
        part.text = text
        part.font = f"{BODY_FACE},Regular"
        part.size = 11  # header and footer scale with the sheet: 11 pt at 90 % is about 10 pt
    return plan


def header_height(headers: Sequence[str], widths: Sequence[float]) -> float:
    """The header row's height for its wrapped 黑体 labels."""
    return row_height(zip(headers, widths, strict=False), HEADER_LINE_PT)
