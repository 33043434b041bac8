"""Excel ledgers (台账) streamed in openpyxl's write-only mode: 谈话登记表, 问题清单, 问题线索台账,
干部评价汇总, and the statistics workbook (laid out in statistics_workbook)."""

from __future__ import annotations

import contextlib
import dataclasses
import zipfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.worksheet._write_only import WriteOnlyWorksheet
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.writer.excel import ExcelWriter

from xuncha_desktop.domain.errors import XunchaError
from xuncha_desktop.domain.record_types import record_type
from xuncha_desktop.services.office_statistics.scope import Scope
from xuncha_desktop.services.output.excel_styles import (
    AMOUNT_FORMAT,
    BORDER,
    RATE_FORMAT,
    TOTAL_FONT,
    header_cells,
    set_up_sheet,
)
from xuncha_desktop.services.output.ledger_columns import (
    Column,
    ColumnsFactory,
    appraisal_columns,
    draft_columns,
    evaluation_columns,
    interview_columns,
    lead_columns,
    petition_columns,
    title_columns,
)
from xuncha_desktop.services.output.ledger_print import (
    BODY_FONT,
    CENTRED,
    NUMBER,
    WRAPPED,
    cjk_workbook,
    header_height,
    print_width,
    row_height,
)
from xuncha_desktop.services.output.output_files import OutputAudit, atomic_output
from xuncha_desktop.services.output.statistics_workbook import fill_statistics_workbook
from xuncha_desktop.services.progress import Progress
from xuncha_desktop.services.records.context_names import ContextNames, load_context_names
from xuncha_desktop.services.records.record_service import ListQuery, RecordService
from xuncha_desktop.services.workspace import Workspace

PAGE_SIZE = 2000
MAX_CELL_TEXT = 32767  # Excel's limit for one cell
DEFAULT_FOOTER_MARK = "巡察工作秘密  注意保管"
OPTIONS_SHEET = "选项"
NUMBER_HEADER, NUMBER_WIDTH = "序号", 7.0
DATE_FORMAT = "yyyy-mm-dd"

_TOTAL_FONT = TOTAL_FONT  # 合计 rows in the header's 黑体 bold


@dataclass(frozen=True)
class Sheet:
    """One sheet of a ledger: its title, the record type it lists, its columns, and the measure word of
    its records in the 合计 row (共 N 件)."""

    title: str
    record_key: str
    columns: ColumnsFactory
    unit: str = "条"


LEDGERS: dict[str, tuple[str, tuple[Sheet, ...]]] = {
    "interview": ("谈话登记表", (Sheet("谈话登记表", "interview", interview_columns, "人次"),)),
    "draft": ("问题清单（底稿台账）", (Sheet("问题清单", "draft", draft_columns, "个"),)),
    "lead": ("问题线索台账", (Sheet("问题线索台账", "lead", lead_columns, "件"),)),
    "petition": ("信访件台账", (Sheet("信访件台账", "petition", petition_columns, "件"),)),
    "evaluation": (
        "干部评价汇总",
        (
            Sheet("干部画像汇总", "evaluation", evaluation_columns, "人"),
            Sheet("巡察干部鉴定汇总", "appraisal", appraisal_columns, "人"),
        ),
    ),
}
LEDGER_KINDS = (*LEDGERS, "statistics")  # the record ledgers and the 统计表


@dataclass(frozen=True)
class ListSelection:
    """The list shown on one page (search, filters, date range) of one record type: a ledger of only those
    records writes only the sheets of that type."""

    record_key: str
    query: ListQuery


@dataclass(frozen=True)
class LedgerResult:
    path: Path
    rows: dict[str, int]  # sheet title → data rows written


# -- cells -------------------------------------------------------------------------------------------------


def _clean_text(value: str) -> str:
    text = ILLEGAL_CHARACTERS_RE.sub("", value)
    return text if len(text) <= MAX_CELL_TEXT else text[: MAX_CELL_TEXT - 10] + "…（已截断）"


_FORMATS = {"amount": AMOUNT_FORMAT, "rate": RATE_FORMAT, "date": DATE_FORMAT}
_ALIGNMENTS = {"amount": NUMBER, "rate": NUMBER, "count": NUMBER, "date": CENTRED, "flag": CENTRED}


def _body_cell(ws: WriteOnlyWorksheet, kind: str, border: bool = False) -> WriteOnlyCell:
    """The one 宋体 cell a column of dates or figures reuses for all its rows (texts are plain values in the
    workbook's default style, ledger_print.cjk_workbook). Body cells need no border: the sheet prints its
    gridlines, which also rule the empty cells left unwritten."""
    cell = WriteOnlyCell(ws)
    cell.font, cell.alignment = BODY_FONT, _ALIGNMENTS.get(kind, WRAPPED)
    if border:
        cell.border = BORDER
    if kind in _FORMATS:
        cell.number_format = _FORMATS[kind]
    return cell


class _RowWriter:
    """Turns column values into a row for a write-only sheet, with one styled cell per column reused for
    every row (a row is written out before the next is made), and the row's height for its wrapped text."""

    def __init__(self, ws: WriteOnlyWorksheet, columns: Sequence[Column], widths: Sequence[float]) -> None:
        self._ws = ws
        self._columns = columns
        self._widths = widths[1:]  # after 序号
        self._cells = [_body_cell(ws, c.kind) if c.kind in _FORMATS else None for c in columns]
        self.height = 0.0

    def row(self, number: int, record: Any) -> list[Any]:
        values: list[Any] = [number]
        texts: list[tuple[str, float]] = []
        for column, cell, width in zip(self._columns, self._cells, self._widths, strict=True):
            raw = column.value(record)
            if raw is None or raw == "":
                values.append(None)  # an empty cell is not written at all: a third of a ledger
            elif isinstance(raw, str):
                text = _clean_text(raw)
                texts.append((text, width))
                values.append(self._text(text))
            elif cell is not None:
                cell.value = raw
                values.append(cell)
            else:
                values.append(raw)
        self.height = row_height(texts)
        return values

    def _text(self, text: str) -> Any:
        if text.startswith("="):  # would be stored as a formula otherwise
            cell = WriteOnlyCell(self._ws, text)
            cell.data_type = "s"
            return cell
        return text


_header = header_cells
_set_up_sheet = set_up_sheet


class _Options:
    """A hidden sheet holding the drop-down lists, so long lists are not limited to 255 characters."""

    def __init__(self, wb: Workbook) -> None:
        self._lists: list[tuple[str, ...]] = []
        self._wb = wb

    def formula(self, choices: tuple[str, ...]) -> str:
        if choices not in self._lists:
            self._lists.append(choices)
        col = get_column_letter(self._lists.index(choices) + 1)
        return f"{quote_sheetname(OPTIONS_SHEET)}!${col}$1:${col}${len(choices)}"

    def write(self) -> None:
        if not self._lists:
            return
        ws = self._wb.create_sheet(OPTIONS_SHEET)
        ws.sheet_state = "hidden"
        longest = max(len(c) for c in self._lists)
        for r in range(longest):
            ws.append([c[r] if r < len(c) else None for c in self._lists])


Options = _Options  # the drop-down lists of a workbook, for ledgers laid out in other modules


def _validations(ws: WriteOnlyWorksheet, columns: Sequence[Column], options: _Options) -> None:
    for i, column in enumerate(columns, start=2):
        if not column.choices:
            continue
        dv = DataValidation(
            type="list",
            formula1=options.formula(column.choices),
            allow_blank=True,
            showErrorMessage=True,
            errorTitle="输入有误",
            error=f"{column.header}请从下拉列表中选择",
        )
        letter = get_column_letter(i)
        dv.add(f"{letter}2:{letter}1048576")
        ws.data_validations.append(dv)


def write_sheet(
    wb: Workbook,
    title: str,
    columns: Sequence[Column],
    records: Iterable[Any],
    options: _Options,
    *,
    footer_mark: str = DEFAULT_FOOTER_MARK,
    totals: Callable[[], Sequence[Any]] | None = None,
) -> int:
    """Streams records into a new sheet with 序号 first; returns the number of data rows. `totals`, called
    once the records are written, gives a value per column for a bold 合计 row at the end. Printed as
    ledger_print lays it out: the 序号 and key columns (group KEY, else the first) repeat on every page."""
    ws = wb.create_sheet(title)
    widths = [NUMBER_WIDTH, *(print_width(c.kind, c.width) for c in columns)]
    keys = 1 + (title_columns(list(columns)) or 1)
    groups = ["", *(c.group for c in columns)]
    _set_up_sheet(ws, widths, title, footer_mark, groups=groups, title_columns=keys)
    _validations(ws, columns, options)
    headers = [NUMBER_HEADER, *(c.header for c in columns)]
    ws.row_dimensions[1].height = header_height(headers, widths)
    ws.append(_header(ws, headers))
    writer = _RowWriter(ws, columns, widths)
    count = 0
    dims = ws.row_dimensions
    for count, record in enumerate(records, start=1):
        values = writer.row(count, record)
        dims[count + 1].height = writer.height
        ws.append(values)
        del dims[count + 1]  # written; 100,000 rows need not keep theirs
    if totals is not None:
        ws.append(_total_row(ws, columns, totals()))
    return count


def _total_row(ws: WriteOnlyWorksheet, columns: Sequence[Column], values: Sequence[Any]) -> list[Any]:
    """合计 in the 序号 column, then the sums (or a 共 N 件 count), bold and ruled."""
    cells = []
    for column, raw in zip([None, *columns], ["合计", *values], strict=True):
        cell = _body_cell(ws, column.kind if column is not None else "text", border=True)
        cell.value = raw
        cell.font = _TOTAL_FONT
        cells.append(cell)
    return cells


class LedgerTotals:
    """The 合计 row of a record ledger, summed as the records stream past: how many records (共 N 件, in the
    first column) and the sum of every amount (元) column. Other figures (votes, rates) are not summed:
    their sum over people means nothing."""

    def __init__(self, columns: Sequence[Column], unit: str) -> None:
        self._columns, self._unit = columns, unit
        self._amounts = [i for i, c in enumerate(columns) if c.kind == "amount"]
        self._sums: dict[int, Any] = dict.fromkeys(self._amounts, 0)
        self.count = 0

    def add(self, records: Iterable[Any]) -> Iterator[Any]:
        for record in records:
            self.count += 1
            for i in self._amounts:
                value = self._columns[i].value(record)
                if value is not None:
                    self._sums[i] += value
            yield record

    def row(self) -> list[Any]:
        values: list[Any] = [self._sums.get(i) for i in range(len(self._columns))]
        if values and values[0] is None:
            values[0] = f"共 {self.count} {self._unit}"
        return values


def write_workbook(
    ws: Workspace, kind: str, target: Path, fill: Callable[[Workbook, Options], dict[str, int]]
) -> LedgerResult:
    """A workbook whose sheets `fill` writes (returning rows per sheet), written atomically and audited as
    ledger `kind` like write_ledger: for ledgers other modules lay out."""
    wb = cjk_workbook()
    audit = OutputAudit(ws, "ledger", kind)
    with atomic_output(Path(target), audit) as part:
        try:
            options = _Options(wb)
            rows = fill(wb, options)
            options.write()
        except BaseException:
            _discard(wb)
            raise
        save_workbook(wb, part)
        audit.records = sum(rows.values())
    return LedgerResult(Path(target), rows)


# -- reading records in pages ----------------------------------------------------------------------------


def _pages(
    ws: Workspace, key: str, query: ListQuery, progress: Progress, done: list[int], total: int
) -> Iterator[Any]:
    """Every live record of a type in number order, read PAGE_SIZE at a time; checks cancel per page."""
    service: RecordService[Any] = RecordService(ws, record_type(key))
    for record in service.iterate(query, batch=PAGE_SIZE):
        yield record
        done[0] += 1
        if done[0] % PAGE_SIZE == 0:
            progress.check_cancelled()
            progress.report(done[0], total, f"已写入 {done[0]} 行")
    if done[0] % PAGE_SIZE:  # the last, partial page
        progress.check_cancelled()
        progress.report(done[0], total, f"已写入 {done[0]} 行")


def _count(ws: Workspace, key: str, query: ListQuery) -> int:
    return RecordService[Any](ws, record_type(key)).count(query)


# -- entry point -------------------------------------------------------------------------------------------


def write_ledger(
    ws: Workspace,
    kind: str,
    target: Path,
    progress: Progress,
    *,
    hide_reporter: bool = False,
    filters: dict[str, Any] | None = None,
    today: date | None = None,
    footer_mark: str = DEFAULT_FOOTER_MARK,
    scope: Scope | None = None,
    selection: ListSelection | None = None,
) -> LedgerResult:
    """`ledger --kind K --out FILE.xlsx`: the whole ledger of a kind (optionally filtered, e.g. by round_id),
    written atomically and audited; hide_reporter prints 已隐藏 for reporters' names and contacts. The
    statistics workbook is of `scope` (default: the filter's round, else the whole term). `selection`:
    only the records of a page's list as it is filtered (导出当前筛选的记录)."""
    if kind not in LEDGER_KINDS:
        raise XunchaError(f"不支持导出“{kind}”台账，可选：{'、'.join(LEDGER_KINDS)}")
    day = today or date.today()
    where = dict(filters or {})
    names = load_context_names(ws)
    wb = cjk_workbook()
    audit = OutputAudit(ws, "ledger", kind)
    with atomic_output(Path(target), audit) as part:
        try:
            if kind == "statistics":
                chosen = scope or Scope(round_id=str(where.get("round_id") or ""))
                rows = fill_statistics_workbook(wb, ws, chosen, progress, today=day, footer_mark=footer_mark)
            else:
                queries = _sheet_queries(kind, where, selection)
                rows = _ledger(wb, ws, kind, names, queries, progress, day, hide_reporter, footer_mark)
        except BaseException:
            _discard(wb)
            raise
        save_workbook(wb, part)
        audit.records = sum(rows.values())
    return LedgerResult(Path(target), rows)


def save_workbook(wb: Workbook, part: Path) -> None:
    """Workbook.save, but a failed write (a full disk) leaves no open archive or sheet behind for Python
    to complain about in English when it collects them (`Exception ignored in: ZipFile.__del__`)."""
    wb.properties.modified = datetime.now(UTC).replace(tzinfo=None)  # as openpyxl's save_workbook
    try:
        with zipfile.ZipFile(part, "w", zipfile.ZIP_DEFLATED, allowZip64=True) as archive:
            ExcelWriter(wb, archive).save()
    except BaseException:
        _discard(wb)
        raise


def _discard(wb: Workbook) -> None:
    """Close the half-written sheets of an abandoned workbook and delete their temporary files (which
    hold record text in clear)."""
    for sheet in wb.worksheets:
        writer = getattr(sheet, "_writer", None)
        if not isinstance(sheet, WriteOnlyWorksheet) or writer is None:
            continue
        with contextlib.suppress(Exception):  # a sheet cut off by a failed write cannot finish cleanly
            if not sheet.closed:
                sheet.close()
        rows = getattr(sheet, "_rows", None)
        if rows is not None:
            with contextlib.suppress(Exception):
                rows.close()
        with contextlib.suppress(OSError, ValueError):  # already removed once saved
            writer.cleanup()


def _ledger(
    wb: Workbook,
    ws: Workspace,
    kind: str,
    names: ContextNames,
    queries: dict[str, ListQuery],
    progress: Progress,
    today: date,
    hide_reporter: bool,
    footer_mark: str,
) -> dict[str, int]:
    sheets = [s for s in LEDGERS[kind][1] if s.record_key in queries]
    total = sum(_count(ws, s.record_key, queries[s.record_key]) for s in sheets)
    done = [0]
    options = _Options(wb)
    rows = {}
    for sheet in sheets:
        columns = sheet.columns(names, today, hide_reporter)
        records = _pages(ws, sheet.record_key, queries[sheet.record_key], progress, done, total)
        sums = LedgerTotals(columns, sheet.unit)
        rows[sheet.title] = write_sheet(
            wb, sheet.title, columns, sums.add(records), options, footer_mark=footer_mark, totals=sums.row
        )
    options.write()
    return rows


def _sheet_queries(
    kind: str, filters: dict[str, Any], selection: ListSelection | None
) -> dict[str, ListQuery]:
    """The query of each sheet written: every sheet with `filters`, or only the selection's own sheets."""
    keys = [s.record_key for s in LEDGERS[kind][1]]
    if selection is None:
        return {key: ListQuery(filters=_applicable(key, filters), limit=None) for key in keys}
    if selection.record_key not in keys:
        raise XunchaError(f"“{LEDGERS[kind][0]}”中没有{record_type(selection.record_key).label}")
    chosen = selection.query
    query = dataclasses.replace(chosen, filters={**chosen.filters, **filters}, offset=0, limit=None)
    return {selection.record_key: query}


def _applicable(key: str, filters: dict[str, Any]) -> dict[str, Any]:
    """Appraisals have no target unit; a target filter does not apply to them."""
    return {k: v for k, v in filters.items() if not (key == "appraisal" and k == "target_id")}
