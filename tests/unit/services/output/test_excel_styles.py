"""The shared sheet look: 黑体 header cells, ruled cells with their number format, and the print set-up with
the header row repeated (below a title row when there is one)."""

from __future__ import annotations

from pathlib import Path

from openpyxl import Workbook, load_workbook

from xuncha_desktop.services.output.excel_styles import (
    AMOUNT_FORMAT,
    TOTAL_FONT,
    header_cells,
    set_up_sheet,
    styled_cell,
)


def test_a_sheet_with_a_title_row_repeats_and_freezes_its_header(tmp_path: Path) -> None:
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("表")
    set_up_sheet(ws, [20, 10], "页眉", "页脚标记", header_row=2)
    ws.append(["标题"])
    ws.append(header_cells(ws, ["名称", "金额"]))
    ws.append([styled_cell(ws, "合计", font=TOTAL_FONT), styled_cell(ws, 12.5, number_format=AMOUNT_FORMAT)])
    wb.save(tmp_path / "a.xlsx")
    sheet = load_workbook(tmp_path / "a.xlsx")["表"]
    assert sheet.print_title_rows == "$2:$2" and sheet.freeze_panes == "B3"
    assert sheet.page_setup.paperSize == 9 and sheet.page_setup.orientation == "landscape"
    assert sheet.column_dimensions["A"].width == 20 and sheet.oddFooter.left.text == "页脚标记"
    header = sheet["A2"]
    assert header.font.name == "黑体" and header.font.b and header.fill.fgColor.rgb.endswith("D9D9D9")
    assert header.alignment.wrap_text and header.border.left.style == "thin"
    assert sheet["A3"].font.b and sheet["B3"].number_format == AMOUNT_FORMAT
    assert sheet["B3"].border.bottom.style == "thin" and not sheet["B3"].font.b


def test_without_a_title_row_the_first_row_is_the_header(tmp_path: Path) -> None:
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("表")
    set_up_sheet(ws, [10], "页眉", "", landscape=False)
    ws.append(header_cells(ws, ["名称"]))
    wb.save(tmp_path / "b.xlsx")
    sheet = load_workbook(tmp_path / "b.xlsx")["表"]
    assert sheet.print_title_rows == "$1:$1" and sheet.freeze_panes == "B2"
    assert sheet.page_setup.orientation == "portrait"
