"""Checks of how a written 台账 sheet prints, read back with openpyxl: used by the tests of every ledger
writer (record ledgers, rectification, statistics, group scoring)."""

from __future__ import annotations

import itertools
import math
from typing import Any

from openpyxl.utils import column_index_from_string, get_column_letter

from xuncha_desktop.services.output import ledger_print

MIN_PT = 9.0
EXCEL_LINE_PT = 13.5  # a line of 10.5 pt 宋体 in Excel is 14.25 pt; a row lower than this cuts text


def _cjk_per_line(width: float) -> int:
    """CJK characters of 10.5 pt (14 px) a column `width` characters wide (7 px each + 5) holds in Excel,
    less 4 px of cell padding."""
    return max(1, int((7 * width + 5 - 4) // 14))


def lines_needed(text: str, width: float) -> int:
    """A lower bound on the lines Excel wraps `text` to: its full-width characters alone, per paragraph."""
    per_line = _cjk_per_line(width)
    return sum(max(1, math.ceil(sum(ord(c) > 0x2E7F for c in part) / per_line)) for part in text.split("\n"))


def title_columns(ws: Any) -> int:
    """How many leading columns repeat on every page (0 when none)."""
    cols = ws.print_title_cols
    if not cols:
        return 0
    return column_index_from_string(cols.split(":")[1].replace("$", ""))


def break_columns(ws: Any) -> list[int]:
    """The 0-based index of the first column of each further page across."""
    return [b.id for b in ws.col_breaks.brk]


def assert_prints_legibly(ws: Any, header_row: int = 1, data_from: int | None = None) -> None:
    """A4, no fit-to-page squeeze, a scale that keeps 10.5 pt text at ≥ 9 pt, the header row repeated,
    the CJK faces on every cell, rows high enough for their wrapped text, and when the columns are split
    over pages: the key columns repeated, the pages across in order, every page's columns fitting it."""
    setup = ws.page_setup
    assert int(setup.paperSize) == 9, ws.title
    assert not ws.sheet_properties.pageSetUpPr.fitToPage, ws.title
    assert setup.fitToWidth is None, ws.title
    scale = int(setup.scale or 100)
    assert scale >= ledger_print.MIN_SCALE and ledger_print.BODY_SIZE * scale / 100 >= MIN_PT, ws.title
    assert ws.print_title_rows == f"${header_row}:${header_row}", ws.title
    assert ws.oddFooter.center.text == "第 &P 页 共 &N 页" and ws.oddHeader.center.text, ws.title
    widths = {i: ws.column_dimensions[get_column_letter(i)].width for i in range(1, ws.max_column + 1)}
    first = data_from or header_row + 1
    for row in ws.iter_rows(min_row=header_row):
        texts = [c for c in row if c.value is not None]
        for cell in texts:
            assert cell.font.name in ("宋体", "黑体"), (ws.title, cell.coordinate, cell.font.name)
            assert cell.font.sz >= ledger_print.BODY_SIZE, (ws.title, cell.coordinate)
        if row[0].row < first:
            continue
        lines = max(
            (lines_needed(c.value, widths[c.column]) for c in texts if isinstance(c.value, str)), default=1
        )
        if lines > 1:
            height = ws.row_dimensions[row[0].row].height
            assert height is not None and height >= lines * EXCEL_LINE_PT, (ws.title, row[0].row, height)
            for c in texts:
                if isinstance(c.value, str) and lines_needed(c.value, widths[c.column]) > 1:
                    assert c.alignment.wrap_text, (ws.title, c.coordinate)
    breaks = break_columns(ws)
    if breaks:
        keys = title_columns(ws)
        assert keys >= 1 and setup.pageOrder == "overThenDown", ws.title
        room = (ledger_print.PAGE_WIDTH_PT[True] - 2 * 72 * ledger_print.SIDE_MARGIN_IN) * 100 / scale
        keys_pt = sum(ledger_print.column_points(widths[i]) for i in range(1, keys + 1))
        edges = [keys, *breaks, ws.max_column]
        for start, end in itertools.pairwise(edges):
            page = keys_pt + sum(ledger_print.column_points(widths[i + 1]) for i in range(start, end))
            assert page <= room, (ws.title, start, end, page, room)
