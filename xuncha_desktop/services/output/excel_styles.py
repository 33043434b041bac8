"""The look every 台账 sheet shares, for sheets written in openpyxl's write-only mode: the 黑体 header cells,
the bold 合计 cells and the print set-up (A4, fit to the page width, header rows repeated, marks in the
footer). Apart from excel_export so that workbooks laid out elsewhere (the statistics workbook) use the same
look without excel_export and them importing each other."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._write_only import WriteOnlyWorksheet
from openpyxl.worksheet.worksheet import Worksheet

AMOUNT_FORMAT = "#,##0.00"
RATE_FORMAT = "0.00"

THIN = Side(style="thin", color="808080")
HEADER_FONT = Font(name="黑体", bold=True)
HEADER_FILL = PatternFill("solid", fgColor="D9D9D9")
HEADER_ALIGN = Alignment(horizontal="center", vertical="center", wrap_text=True)
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
TOTAL_FONT = HEADER_FONT  # 合计 rows in the header's 黑体 bold


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
    """A ruled cell in `font`, with `number_format` for numbers."""
    cell = WriteOnlyCell(ws, value)
    cell.border = BORDER
    if font is not None:
        cell.font = font
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
) -> None:
    """Everything write-only mode needs before the first row: widths, the header frozen and repeated on
    every printed page (row `header_row`, below a title row when there is one), A4 print set-up."""
    for i, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(i)].width = width
    ws.freeze_panes = f"B{header_row + 1}"
    ws.print_title_rows = f"{header_row}:{header_row}"
    ws.page_setup.paperSize = Worksheet.PAPERSIZE_A4
    ws.page_setup.orientation = "landscape" if landscape else "portrait"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_margins.left = ws.page_margins.right = 0.5
    ws.oddHeader.center.text = title
    ws.oddFooter.left.text = footer_mark
    ws.oddFooter.center.text = "第 &P 页，共 &N 页"
