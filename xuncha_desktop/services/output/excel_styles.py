"""The look every 台账 sheet shares, for sheets written in openpyxl's write-only mode: the 黑体 header cells,
the 宋体 body and bold 合计 cells, and the print set-up (ledger_print: A4 at a legible size, header rows and
identifying columns repeated, column breaks between groups, marks in the footer). Apart from excel_export so
that workbooks laid out elsewhere (the statistics workbook) use the same look without excel_export and them
importing each other."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from xuncha_desktop.services.output import ledger_print
from xuncha_desktop.services.output.ledger_print import (
    BODY_FONT,
    HEADER_FONT,
    NUMBER,
    TOTAL_FONT,
    WRAPPED,
    PagePlan,
)

AMOUNT_FORMAT = "#,##0.00"
RATE_FORMAT = "0.00"

THIN = Side(style="thin", color="808080")
HEADER_FILL = PatternFill("solid", fgColor="D9D9D9")
HEADER_ALIGN = Alignment(horizontal="center", vertical="center", wrap_text=True)
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
__all__ = ["BODY_FONT", "HEADER_FONT", "TOTAL_FONT"]


def header_cells(ws: WriteOnlyWorksheet, headers: Sequence[str]) -> list[WriteOnlyCell]:
    """A header row: 黑体 bold, grey, centred, wrapped, ruled."""
    cells = []
    for text in headers:
        cell = WriteOnlyCell(ws, text)
        cell.font, cell.fill, cell.alignment, cell.border = HEADER_FONT, HEADER_FILL, HEADER_ALIGN, BORDER
        cells.append(cell)
    return cells


def styled_cell(
    ws: WriteOnlyWorksheet, value: Any, *, font: Font | None = None, number_format: str = ""
) -> Any:
    """A ruled cell in `font` (宋体 by default), text wrapped, with `number_format` for numbers."""
    cell = WriteOnlyCell(ws, value)
    cell.border = BORDER
    cell.font = font or BODY_FONT
    cell.alignment = WRAPPED if isinstance(value, str) else NUMBER
    if number_format:
        cell.number_format = number_format
    return cell


def set_up_sheet(
    ws: WriteOnlyWorksheet,
    widths: Sequence[float],
    title: str,
    footer_mark: str,
    landscape: bool = True,
    header_row: int = 1,
    *,
    groups: Sequence[Any] | None = None,
    title_columns: int = 1,
) -> PagePlan:
    """Everything write-only mode needs before the first row (ledger_print.set_up_print): widths, the
    header frozen and repeated on every printed page (row `header_row`, below a title row when there is
    one), the first `title_columns` repeated on every page across, A4 print set-up."""
    return ledger_print.set_up_print(
        ws,
        widths,
        title,
        footer_mark,
        groups=groups,
        title_columns=title_columns,
        header_rows=(header_row, header_row),
        landscape=landscape,
    )
