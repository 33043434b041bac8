"""Import of existing Excel ledgers (问题线索台账, 问题清单, 谈话登记表): columns matched by header, every
bad row reported, and all rows saved in one transaction or none (unless the caller wants the valid rows
only)."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any
from zipfile import BadZipFile

from openpyxl import load_workbook
from openpyxl.utils.datetime import from_excel
from openpyxl.utils.exceptions import InvalidFileException

from xuncha_desktop.domain.classification import BUILTIN_CATEGORIES
from xuncha_desktop.domain.errors import XunchaError
from xuncha_desktop.domain.organization import InspectionRound, TargetUnit
from xuncha_desktop.domain.record_types import ROUND, TARGET, list_fields, record_type
from xuncha_desktop.services.output.ledger_columns import (
    HIDDEN,
    Column,
    draft_columns,
    interview_columns,
    lead_columns,
)
from xuncha_desktop.services.progress import NullProgress, Progress
from xuncha_desktop.services.records.context_names import ContextNames, load_context_names
from xuncha_desktop.services.records.record_service import ListQuery, RecordService
from xuncha_desktop.services.workspace import Workspace

IMPORT_KINDS = ("lead", "draft", "interview")
HEADER_SCAN_ROWS = 10
TOTAL_MARKERS = ("合计", "小计", "总计")

# Other names offices use for the same column (normalised: no spaces, half-width brackets).
SYNONYMS: dict[str, dict[str, tuple[str, ...]]] = {
    "lead": {
        "number": ("编号", "线索序号"),
        "target_id": ("被巡察党组织", "被巡察单位(党组织)", "所属单位"),
        "registered_on": ("登记时间", "受理日期", "收到日期", "受理时间"),
        "source": ("来源", "问题来源"),
        "reporter_name": ("反映人姓名", "举报人", "信访人"),
        "reporter_contact": ("联系方式", "联系电话", "反映人电话"),
        "subject_name": ("被反映人姓名", "被反映对象", "反映对象", "被举报人"),
        "subject_post": ("单位及职务", "被反映人职务", "职务", "工作单位及职务"),
        "subject_rank": ("职级",),
        "summary": ("反映主要问题", "问题摘要", "主要问题摘要", "线索内容", "反映问题", "问题线索"),
        "amount_yuan": ("涉及金额", "金额", "金额(元)"),
        "proposed_disposal": ("处置建议", "拟处置意见"),
        "transfer_unit": ("移交机关", "移交部门"),
        "outcome": ("办理情况", "反馈情况"),
        "status": ("办理状态",),
    },
    "draft": {
        "number": ("编号", "问题编号"),
        "target_id": ("被巡察党组织", "被巡察单位(党组织)"),
        "prepared_on": ("编制时间", "日期", "撰写时间", "发现时间"),
        "title": ("问题名称", "标题", "问题"),
        "category_l1": ("问题类型", "类别"),
        "description": ("问题表现", "问题描述(事实)", "问题概述", "具体表现", "主要问题"),
        "discovery": ("发现方式",),
        "basis": ("政策依据", "依据"),
        "source": ("来源",),
        "amount_yuan": ("涉及金额", "金额", "金额(元)"),
        "suggestion": ("整改意见",),
        "preparer": ("撰写人", "底稿撰写人", "经办人", "制作人"),
        "responsible_party": ("责任单位", "责任人"),
    },
    "interview": {
        "number": ("编号", "谈话编号"),
        "target_id": ("被巡察党组织", "被巡察单位(党组织)", "所属单位"),
        "held_on": ("谈话时间", "日期", "谈话日期"),
        "interviewer": ("主谈人", "谈话人(主谈)", "主谈"),
        "recorder": ("记录人",),
        "interviewee_name": ("谈话对象", "被谈话人", "姓名"),
        "post": ("职务", "单位及职务", "工作单位及职务"),
        "contact": ("联系电话", "电话"),
        "problems": ("反映问题", "反映问题摘要", "主要问题"),
    },
}
# Cells an import cannot do without; other required fields fall back to the importing user or defaults.
REQUIRED = {
    "lead": ("subject_name", "summary", "registered_on"),
    "draft": ("title", "description", "prepared_on", "category_l1"),
    "interview": ("interviewee_name", "held_on", "interviewer", "recorder"),
}
# Where a ledger joins a list with "；" (反映问题摘要: sentences that may hold spaces and commas).
_SENTENCES = re.compile(r"[；;\n]+")
LIST_FIELDS = list_fields()  # lists of strings, as the record dataclasses declare them
BOOL_TRUE = {"是", "y", "yes", "true", "1", "√", "✓", "✔", "有"}
BOOL_FALSE = {"否", "n", "no", "false", "0", "×", "✗", "无", ""}
_LIST_SPLIT = re.compile(r"[、,，;；/\s]+")
_DATE = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$")
_CODE = re.compile(r"^[A-Z]\d+(\.\d+)*$")


@dataclass(frozen=True)
class ImportProblem:
    """A bad cell: Excel row number, the column's header as written in the file, and a reason in Chinese."""

    row: int
    column: str
    reason: str


@dataclass(frozen=True)
class ImportContext:
    """Where rows go: the current round and group; the unit too unless the file has a 被巡察单位 column."""

    round_id: str
    group_id: str
    target_id: str = ""


@dataclass(frozen=True)
class ImportPreview:
    sheet: str
    total_rows: int
    valid_rows: int
    problems: tuple[ImportProblem, ...]
    matched: dict[str, str]  # record field → header in the file
    ignored_headers: tuple[str, ...]


@dataclass(frozen=True)
class ImportResult:
    imported: int
    ids: tuple[str, ...]
    skipped_rows: tuple[int, ...]
    problems: tuple[ImportProblem, ...]


class ImportRejected(XunchaError):
    """The file has bad rows and the caller asked for all or nothing: nothing was imported."""

    def __init__(self, problems: Sequence[ImportProblem], rows: int) -> None:
        self.problems = tuple(problems)
        bad = len({p.row for p in problems})
        super().__init__(
            f"文件中有{bad}行（共{rows}行）存在问题，未导入任何记录；请修改后重新导入，或选择只导入正确的行"
        )


# -- reading the sheet ---------------------------------------------------------------------------------------


def normalise(header: Any) -> str:
    text = "" if header is None else str(header)
    text = text.replace("（", "(").replace("）", ")").replace("*", "").replace("＊", "")
    return re.sub(r"\s+", "", text).lower()


def _field_headers(kind: str, columns: Sequence[Column]) -> dict[str, tuple[str, ...]]:
    """Record field → accepted (normalised) headers: the ledger's own header first, then synonyms."""
    out: dict[str, tuple[str, ...]] = {}
    for column in columns:
        if column.field:
            out[column.field] = (normalise(column.header),)
    for fld, names in SYNONYMS[kind].items():
        out[fld] = out.get(fld, ()) + tuple(normalise(n) for n in names)
    return out


@dataclass
class _Table:
    sheet: str
    header_row: int
    headers: list[str]  # as written
    fields: dict[str, int]  # field → column index
    rows: Iterator[tuple[int, tuple[Any, ...]]]


def _match(headers: Sequence[Any], accepted: dict[str, tuple[str, ...]]) -> dict[str, int]:
    found: dict[str, int] = {}
    normal = [normalise(h) for h in headers]
    for fld, names in accepted.items():
        # the ledger's own header wins over a synonym, then the leftmost column
        for name in names:
            if name in normal and fld not in found and normal.index(name) not in found.values():
                found[fld] = normal.index(name)
                break
        if fld not in found:
            for name in names:
                stripped = [re.sub(r"\(.*?\)$", "", n) for n in normal]
                if name in stripped and stripped.index(name) not in found.values():
                    found[fld] = stripped.index(name)
                    break
    return found


def _open_table(path: Path, accepted: dict[str, tuple[str, ...]]) -> tuple[Any, _Table]:
    try:
        wb = load_workbook(path, read_only=True, data_only=True)
    except (InvalidFileException, BadZipFile, KeyError, OSError, ValueError) as error:
        raise XunchaError(
            f"无法读取“{path.name}”：只支持 Excel 2007 及以后的 .xlsx 文件（{error}）"
        ) from None
    best: tuple[int, str, int, list[Any]] | None = None
    for ws in wb.worksheets:
        if ws.sheet_state != "visible":
            continue
        for r, row in enumerate(ws.iter_rows(max_row=HEADER_SCAN_ROWS, values_only=True), start=1):
            score = len(_match(row, accepted))
            if score >= 2 and (best is None or score > best[0]):
                best = (score, ws.title, r, list(row))
    if best is None:
        wb.close()
        raise XunchaError(f"“{path.name}”中找不到台账表头（前{HEADER_SCAN_ROWS}行中没有可识别的列名）")
    _score, title, header_row, header = best
    ws = wb[title]
    rows = (
        (r, row)
        for r, row in enumerate(ws.iter_rows(min_row=header_row + 1, values_only=True), start=header_row + 1)
    )
    headers = ["" if h is None else str(h).strip() for h in header]
    return wb, _Table(title, header_row, headers, _match(header, accepted), rows)


def _data_rows(table: _Table) -> Iterator[tuple[int, tuple[Any, ...]]]:
    for r, row in table.rows:
        cells = [c for c in row if c is not None and str(c).strip()]
        if not cells:
            continue
        if str(cells[0]).strip().replace(" ", "") in TOTAL_MARKERS:
            continue
        yield r, row


# -- cell parsing ----------------------------------------------------------------------------------


class CellError(ValueError):
    """A cell that cannot be read as its column's type; the message is the reason shown to the user."""


def parse_date(value: Any) -> date | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        if 20000101 <= value <= 21001231 and float(value).is_integer():
            text = str(int(value))
            return parse_date(f"{text[:4]}-{text[4:6]}-{text[6:]}")
        try:
            serial = from_excel(value)
        except (ValueError, OverflowError, TypeError):
            raise CellError(f"日期“{value}”无法识别，应写作 2025-03-12") from None
        return serial.date() if isinstance(serial, datetime) else serial
    text = str(value).strip()
    match = _DATE.match(text)
    if match is None and re.fullmatch(r"\d{8}", text):
        match = _DATE.match(f"{text[:4]}-{text[4:6]}-{text[6:]}")
    if match is None:
        raise CellError(f"日期“{text}”无法识别，应写作 2025-03-12")
    try:
        return date(int(match[1]), int(match[2]), int(match[3]))
    except ValueError:
        raise CellError(f"日期“{text}”不存在") from None


def parse_amount(value: Any, header: str) -> Decimal:
    factor = Decimal(10000) if "万元" in header else Decimal(1)
    if value is None or (isinstance(value, str) and not value.strip()):
        return Decimal("0")
    if isinstance(value, bool):
        raise CellError(f"金额“{value}”不是数字")
    if isinstance(value, int | float | Decimal):
        amount = Decimal(str(value))
    else:
        text = str(value).strip().replace(",", "").replace("，", "").replace("￥", "").replace("¥", "")
        if text.endswith("万元") or text.endswith("万"):
            factor, text = Decimal(10000), text.rstrip("元").rstrip("万")
        text = text.removesuffix("元")
        try:
            amount = Decimal(text)
        except InvalidOperation:
            raise CellError(f"金额“{value}”不是数字") from None
    return (amount * factor).quantize(Decimal("0.01")) if factor != 1 else amount


def parse_flag(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    text = "" if value is None else str(value).strip().lower()
    if text in BOOL_TRUE:
        return True
    if text in BOOL_FALSE:
        return False
    raise CellError(f"“{value}”应填“是”或“否”")


def parse_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def parse_list(value: Any) -> list[str]:
    return [v for v in _LIST_SPLIT.split(parse_text(value)) if v]


def parse_category(value: Any, framework: str) -> str:
    """B2, "B2 聚焦…" or the label itself; a label is looked up in the round's framework first."""
    text = parse_text(value)
    if not text:
        return ""
    head = text.split()[0]
    if _CODE.match(head):
        return head
    matches = [c for c in BUILTIN_CATEGORIES if c.label == text]
    matches.sort(key=lambda c: c.framework != framework)
    if not matches:
        raise CellError(f"问题类别“{text}”不在分类字典中，请填写类别编码（如 B2）或完整名称")
    return matches[0].code


# -- building records ------------------------------------------------------------------------------


@dataclass
class _Builder:
    kind: str
    ws: Workspace
    context: ImportContext
    table: _Table
    columns: dict[str, Column]
    framework: str
    units: dict[str, str]  # unit name → id in the context round
    numbers_seen: dict[str, int]
    today: date

    def header(self, fld: str) -> str:
        if fld in self.table.fields:
            return self.table.headers[self.table.fields[fld]]
        column = self.columns.get(fld)
        if column is not None:
            return column.header
        return {"round_id": "巡察轮次", "group_id": "巡察组", "target_id": "被巡察单位"}.get(fld, fld)

    def build(self, r: int, row: tuple[Any, ...]) -> tuple[Any | None, list[ImportProblem]]:
        problems: list[ImportProblem] = []
        values: dict[str, Any] = {}
        for fld, index in self.table.fields.items():
            raw = row[index] if index < len(row) else None
            try:
                parsed = self._parse(fld, raw)
            except CellError as error:
                problems.append(ImportProblem(r, self.header(fld), str(error)))
                continue
            if parsed is not None:
                values[fld] = parsed
        if values.get("reporter_name") == "匿名":  # ledgers often write 匿名 where the name would be
            values["reporter_name"], values["anonymous"] = "", True
        for fld in REQUIRED[self.kind]:
            if values.get(fld) in (None, "", []) and not any(p.column == self.header(fld) for p in problems):
                problems.append(ImportProblem(r, self.header(fld), "必填项为空"))
        target_id = values.pop("target_id", "") or self.context.target_id
        if not target_id:
            problems.append(
                ImportProblem(r, self.header("target_id"), "必填项为空（请填写被巡察单位或先选择单位）")
            )
        number = values.get("number", "")
        if number:
            if number in self.numbers_seen:
                problems.append(
                    ImportProblem(r, self.header("number"), f"编号与第{self.numbers_seen[number]}行重复")
                )
            elif self._number_taken(number):
                problems.append(
                    ImportProblem(r, self.header("number"), f"编号“{number}”已在工作库中（可能已导入过）")
                )
            self.numbers_seen.setdefault(number, r)
        if problems:
            return None, problems
        defaults = {"lead": {"registered_by": self.ws.user.display_name}, "interview": {}}.get(
            self.kind, {"preparer": self.ws.user.display_name}
        )
        for fld, default in defaults.items():
            values[fld] = values.get(fld) or default
        rt = record_type(self.kind)
        record = rt.cls(
            round_id=self.context.round_id, group_id=self.context.group_id, target_id=target_id, **values
        )
        for invalid in rt.validate(record, self.today):
            problems.append(ImportProblem(r, self.header(invalid.field), invalid.message))
        return (None if problems else record), problems

    def _parse(self, fld: str, raw: Any) -> Any:
        column = self.columns.get(fld)
        kind = column.kind if column else "text"
        if fld == "target_id":
            name = parse_text(raw)
            if not name:
                return None
            if name not in self.units:
                raise CellError(f"被巡察单位“{name}”不在当前轮次中，请先在本轮次中建立该单位")
            return self.units[name]
        if fld in ("reporter_name", "reporter_contact", "contact") and parse_text(raw) == HIDDEN:
            return ""
        if fld == "problems":
            return [p.strip() for p in _SENTENCES.split(parse_text(raw)) if p.strip()]
        if fld.startswith("category_"):
            return parse_category(raw, self.framework)
        if kind == "date":
            return parse_date(raw)
        if kind == "amount":
            return parse_amount(raw, self.header(fld))
        if kind == "flag":
            return parse_flag(raw)
        if fld in LIST_FIELDS:
            return parse_list(raw)
        text = parse_text(raw)
        return text or None

    def _number_taken(self, number: str) -> bool:
        service = RecordService[Any](self.ws, record_type(self.kind))
        return any(
            service.count(ListQuery(filters={"number": number}, deleted=deleted, limit=None))
            for deleted in (False, True)
        )


def _columns(kind: str, names: ContextNames) -> list[Column]:
    factories: dict[str, Callable[..., list[Column]]] = {
        "lead": lead_columns,
        "draft": draft_columns,
        "interview": interview_columns,
    }
    factory = factories[kind]
    return factory(names, date.today(), False)


def _check(
    ws: Workspace, kind: str, path: Path, context: ImportContext, progress: Progress, today: date
) -> tuple[ImportPreview, list[tuple[int, Any]]]:
    if kind not in IMPORT_KINDS:
        raise XunchaError(f"不支持导入“{kind}”，可导入：问题线索台账、问题清单、谈话登记表")
    names = load_context_names(ws)
    columns = {c.field: c for c in _columns(kind, names) if c.field}
    accepted = _field_headers(kind, list(columns.values()))
    wb, table = _open_table(Path(path), accepted)
    try:
        framework = RecordService[InspectionRound](ws, ROUND).get(context.round_id).framework
        units = {
            t.name.strip(): t.id
            for t in RecordService[TargetUnit](ws, TARGET).list(
                ListQuery(filters={"round_id": context.round_id}, limit=None)
            )
        }
        builder = _Builder(kind, ws, context, table, columns, framework, units, {}, today)
        problems: list[ImportProblem] = []
        missing = [f for f in REQUIRED[kind] if f not in table.fields]
        for fld in missing:
            problems.append(ImportProblem(table.header_row, builder.header(fld), "文件中没有这一必填列"))
        valid: list[tuple[int, Any]] = []
        total = 0
        if not missing:
            for total, (r, row) in enumerate(_data_rows(table), start=1):
                if total % 200 == 0:
                    progress.check_cancelled()
                    progress.report(total, 0, f"已检查 {total} 行")
                record, row_problems = builder.build(r, row)
                problems += row_problems
                if record is not None:
                    valid.append((r, record))
    finally:
        wb.close()
    used = set(table.fields.values())
    ignored = tuple(h for i, h in enumerate(table.headers) if h and i not in used and h != "序号")
    matched = {f: table.headers[i] for f, i in table.fields.items()}
    preview = ImportPreview(table.sheet, total, len(valid), tuple(problems), matched, ignored)
    return preview, valid


def preview_import(
    ws: Workspace, kind: str, path: Path, context: ImportContext, *, today: date | None = None
) -> ImportPreview:
    """Reads and checks the whole file without writing anything: row count, valid rows and every problem."""
    preview, _valid = _check(ws, kind, path, context, NullProgress(), today or date.today())
    return preview


def import_ledger(
    ws: Workspace,
    kind: str,
    path: Path,
    context: ImportContext,
    *,
    only_valid: bool = False,
    progress: Progress | None = None,
    today: date | None = None,
) -> ImportResult:
    """Imports the rows of a ledger in one transaction. With problems, nothing is imported (ImportRejected)
    unless `only_valid`, in which case the valid rows are imported and the bad ones reported as skipped."""
    progress = progress or NullProgress()
    preview, valid = _check(ws, kind, path, context, progress, today or date.today())
    if preview.problems and not only_valid:
        raise ImportRejected(preview.problems, preview.total_rows)
    progress.check_cancelled()
    service = RecordService[Any](ws, record_type(kind))
    ids = service.save_many([record for _row, record in valid]) if valid else []
    progress.report(preview.total_rows, preview.total_rows, f"已导入 {len(ids)} 条")
    skipped = tuple(sorted({p.row for p in preview.problems}))
    return ImportResult(len(ids), tuple(ids), skipped, preview.problems)
