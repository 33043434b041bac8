"""The two 台账 tables of the statistics workbook kept from its first version: 按被巡察单位 (talks, 底稿,
线索 per inspected unit, with a 合计 row) and 按状态 (底稿 and 线索 per workflow state), for the records of
a Scope. The figures come from services.statistics.ledger_figures; this lays them out."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from datetime import date
from decimal import Decimal
from typing import Any

from openpyxl import Workbook

from xuncha_desktop.domain.record_types import ROUND, record_type
from xuncha_desktop.services.office_statistics.scope import Scope
from xuncha_desktop.services.output.excel_styles import (
    AMOUNT_FORMAT,
    TOTAL_FONT,
    header_cells,
    set_up_sheet,
    styled_cell,
)
from xuncha_desktop.services.output.ledger_print import BODY_FONT, header_height, row_height
from xuncha_desktop.services.records.context_names import ContextNames, load_context_names
from xuncha_desktop.services.records.record_service import ListQuery, RecordService
from xuncha_desktop.services.statistics import LedgerFigures, Reader, ledger_figures
from xuncha_desktop.services.workspace import Workspace

UNITS, STATES = "按被巡察单位", "按状态"
LEDGER_TABLES = (UNITS, STATES)

# (header, width, number format) of each column
UNIT_COLUMNS: tuple[tuple[str, float, str], ...] = (
    ("被巡察单位", 28, ""),
    ("巡察轮次", 18, ""),
    ("巡察组", 12, ""),
    ("谈话人次", 10, "0"),
    ("问题底稿数", 11, "0"),
    ("其中已审签", 11, "0"),
    ("涉及金额（元）", 16, AMOUNT_FORMAT),
    ("问题线索数", 11, "0"),
    ("已移交", 9, "0"),
    ("逾期未反馈", 11, "0"),
)
STATE_COLUMNS: tuple[tuple[str, float, str], ...] = (
    ("记录类型", 12, ""),
    ("状态", 14, ""),
    ("数量", 10, "0"),
)
STATE_KINDS = {"draft": "问题底稿", "lead": "问题线索"}


def scope_queries(ws: Workspace, scope: Scope) -> list[ListQuery]:
    """The list queries that together read a record type's live records in `scope`: the round, each round
    of the year, the list dates of the range, or everything."""
    if scope.round_id:
        return [ListQuery(filters={"round_id": scope.round_id})]
    if scope.year:
        rounds = RecordService[Any](ws, ROUND).iterate(ListQuery(filters={"year": scope.year}))
        return [ListQuery(filters={"round_id": r.id}) for r in rounds]
    if scope.is_range:
        return [ListQuery(date_from=scope.start, date_to=scope.end)]
    return [ListQuery()]


def scope_reader(ws: Workspace, scope: Scope) -> Reader:
    """A reader for ledger_figures of the records in `scope`."""
    queries = scope_queries(ws, scope)

    def read(key: str) -> Iterable[Any]:
        service = RecordService[Any](ws, record_type(key))
        for query in queries:
            yield from service.iterate(query)

    return read


def unit_rows(figures: LedgerFigures, names: ContextNames) -> Iterator[tuple[Any, ...]]:
    """按被巡察单位: units by name, unknown ones last."""
    by_name = sorted(
        figures.units, key=lambda u: (names.target(u.target_id) == "", names.target(u.target_id))
    )
    for u in by_name:
        unit = names.targets.get(u.target_id)
        yield (
            names.target(u.target_id) or "（未知单位）",
            names.round(unit.round_id) if unit else "",
            names.group(unit.group_id) if unit else "",
            u.interviews,
            u.drafts,
            u.signed,
            u.amount,
            u.leads,
            u.transferred,
            u.overdue,
        )


def _total(rows: Sequence[tuple[Any, ...]]) -> tuple[Any, ...]:
    sums = [sum((r[i] for r in rows), Decimal(0) if i == 6 else 0) for i in range(3, len(UNIT_COLUMNS))]
    return ("合计", "", "", *sums)


def _sheet(
    wb: Workbook,
    title: str,
    columns: Sequence[tuple[str, float, str]],
    rows: Sequence[tuple[Any, ...]],
    totals: tuple[Any, ...] | None,
    footer_mark: str,
) -> int:
    ws = wb.create_sheet(title)
    widths = [w for _, w, _ in columns]
    set_up_sheet(ws, widths, title, footer_mark)
    headers = [h for h, _, _ in columns]
    ws.row_dimensions[1].height = header_height(headers, widths)
    ws.append(header_cells(ws, headers))
    lines = [(r, BODY_FONT) for r in rows] + ([(totals, TOTAL_FONT)] if totals is not None else [])
    for n, (row, font) in enumerate(lines, start=2):
        ws.row_dimensions[n].height = row_height(zip(row, widths, strict=True))
        ws.append(
            [
                styled_cell(ws, value, font=font, number_format=fmt if value != "" else "")
                for value, (_, _, fmt) in zip(row, columns, strict=True)
            ]
        )
    return len(rows)


def write_ledger_tables(
    wb: Workbook, ws: Workspace, scope: Scope, today: date, footer_mark: str
) -> dict[str, int]:
    """按被巡察单位 (with 合计) and 按状态 of the records in `scope`; returns their rows."""
    figures = ledger_figures(ws, {}, today, read=scope_reader(ws, scope))
    units = list(unit_rows(figures, load_context_names(ws)))
    states = [(STATE_KINDS[s.record_type], s.status, s.count) for s in figures.statuses]
    return {
        UNITS: _sheet(wb, UNITS, UNIT_COLUMNS, units, _total(units) if units else None, footer_mark),
        STATES: _sheet(wb, STATES, STATE_COLUMNS, states, None, footer_mark),
    }
