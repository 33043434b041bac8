"""The plan workbook's layout (sheets, headers, cell kinds) and its reading: a public interface office scripts
rely on (issue 12), so the sheet names and required headers below are exactly the documented ones.

A header may carry a trailing `*` (the template marks the required ones so) and more columns may follow;
columns are found by header, not by position. Rows that are entirely empty are skipped."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any
from zipfile import BadZipFile

from openpyxl import load_workbook
from openpyxl.utils.exceptions import InvalidFileException

from xuncha_desktop.domain import vocab
from xuncha_desktop.domain.cadre_pool import CADRE_STATUSES, SPECIALITIES
from xuncha_desktop.domain.classification import FRAMEWORKS
from xuncha_desktop.domain.errors import XunchaError
from xuncha_desktop.services.output.excel_import import CellError, normalise, parse_date, parse_text

ROUNDS, GROUPS, MEMBERS, UNITS, ORGS, CADRES = "轮次", "巡察组", "组员", "被巡察单位", "党组织名录", "人才库"
YES_NO = ("是", "否")


@dataclass(frozen=True)
class Col:
    """One column: `required` headers must be present (marked `*` in the template), `filled` cells must not
    be empty. `kind`: text | date | int | month | flag | list."""

    key: str
    header: str
    required: bool = False
    filled: bool = False
    kind: str = "text"
    choices: tuple[str, ...] = ()
    width: float = 14


@dataclass(frozen=True)
class Sheet:
    name: str
    columns: tuple[Col, ...]
    optional: bool = False

    def col(self, key: str) -> Col:
        return next(c for c in self.columns if c.key == key)


_ROUND_NAME = Col("round", "轮次名称", True, True, width=24)
_GROUP_NAME = Col("group", "巡察组名称", True, True, width=16)
SHEETS: tuple[Sheet, ...] = (
    Sheet(
        ROUNDS,
        (
            _ROUND_NAME,
            Col("kind", "类型", True, True, choices=vocab.ROUND_KINDS, width=10),
            Col("start", "进驻日期", True, kind="date", width=12),
            Col("end", "撤离日期", True, kind="date", width=12),
            Col("year", "年度", kind="int", width=8),
            Col("ordinal", "轮次序号", kind="int", width=10),
            Col("framework", "问题分类体系", choices=FRAMEWORKS, width=14),
        ),
    ),
    Sheet(
        GROUPS,
        (
            _ROUND_NAME,
            _GROUP_NAME,
            Col("ordinal", "组别序号", kind="int", width=10),
            Col("reports", "专题报告", kind="int", width=10),
            Col("recommendations", "意见建议", kind="int", width=10),
        ),
    ),
    Sheet(
        MEMBERS,
        (
            _ROUND_NAME,
            _GROUP_NAME,
            Col("name", "姓名", True, True, width=10),
            Col("role", "角色", True, True, choices=vocab.MEMBER_ROLES, width=10),
            Col("login", "登录名", True, width=12),
            Col("home", "原单位及职务", True, width=30),
            Col("staffing", "人员类别", choices=vocab.STAFFING_KINDS, width=10),
            Col("gender", "性别", choices=vocab.GENDERS, width=6),
            Col("birth", "出生年月", kind="month", width=10),
            Col("override", "回避说明", width=30),
        ),
    ),
    Sheet(
        UNITS,
        (
            _ROUND_NAME,
            _GROUP_NAME,
            Col("unit", "单位名称", True, True, width=30),
            Col("kind", "单位类型", True, True, choices=vocab.UNIT_KINDS, width=12),
            Col("files", "调阅资料", kind="int", width=10),
            Col("visits", "走访核查", kind="int", width=10),
            Col("questionnaires", "测评问卷", kind="int", width=10),
        ),
    ),
    Sheet(
        ORGS,
        (
            Col("name", "党组织名称", True, True, width=30),
            Col("kind", "单位类型", True, True, choices=vocab.UNIT_KINDS, width=12),
            Col("parent", "上级党组织", width=30),
            Col("active", "现存", kind="flag", choices=YES_NO, width=8),
            Col("reason", "撤并说明", width=30),
        ),
        optional=True,
    ),
    Sheet(
        CADRES,
        (
            Col("name", "姓名", True, True, width=10),
            Col("gender", "性别", choices=vocab.GENDERS, width=6),
            Col("birth", "出生年月", kind="month", width=10),
            Col("political", "政治面貌", choices=vocab.POLITICAL_STATUSES, width=12),
            Col("unit", "现工作单位", True, width=24),
            Col("post", "现任职务", width=16),
            Col("earlier", "曾任职单位", kind="list", width=30),
            Col("specialities", "专长", kind="list", width=16),
            Col("status", "状态", choices=CADRE_STATUSES, width=8),
            Col("reason", "状态说明", width=20),
        ),
        optional=True,
    ),
)
SHEET = {s.name: s for s in SHEETS}
SPECIALITY_HINT = "、".join(SPECIALITIES)


@dataclass(frozen=True)
class RowError:
    """A bad cell or row: sheet, Excel row number (0: the sheet as a whole), column header, Chinese reason."""

    sheet: str
    row: int
    column: str
    message: str

    def text(self) -> str:
        where = f"工作表“{self.sheet}”"
        if self.row:
            where += f"第 {self.row} 行"
        if self.column:
            where += f"“{self.column}”"
        return f"{where}：{self.message}"


@dataclass
class Row:
    """One data row: its Excel row number and its raw cells by column key (only the columns present)."""

    sheet: Sheet
    number: int
    cells: dict[str, Any]

    def has(self, key: str) -> bool:
        return key in self.cells

    def blank(self, key: str) -> bool:
        value = self.cells.get(key)
        return value is None or (isinstance(value, str) and not value.strip())


@dataclass
class SheetData:
    sheet: Sheet
    present: bool = False
    rows: list[Row] = field(default_factory=list)


# -- cells -----------------------------------------------------------------------------------------------
_MONTH = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*月?$")
_LIST_SPLIT = re.compile(r"[、,，;；\n]+")


def text(value: Any) -> str:
    return parse_text(value)


def as_int(value: Any) -> int | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, bool):
        raise CellError(f"“{value}”不是整数")
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    raw = str(value).strip().removeprefix("第").removesuffix("轮").removesuffix("组")
    if raw.removeprefix("-").isdigit():
        return int(raw)
    raise CellError(f"“{value}”不是整数")


def as_date(value: Any) -> date | None:
    return parse_date(value)


def as_month(value: Any) -> str:
    """出生年月 as the domain writes it, 1975-03; a real Excel date or 1975.3 / 1975年3月 are accepted."""
    if isinstance(value, datetime | date):
        return f"{value.year:04d}-{value.month:02d}"
    raw = text(value)
    match = _MONTH.match(raw)
    if match and 1 <= int(match[2]) <= 12:
        return f"{int(match[1]):04d}-{int(match[2]):02d}"
    return raw  # the record's validator names what is wrong with it


def as_flag(value: Any) -> bool | None:
    if isinstance(value, bool):
        return value
    raw = text(value)
    if not raw:
        return None
    if raw in ("是", "现存", "1", "√"):
        return True
    if raw in ("否", "已撤并", "撤并", "0", "×"):
        return False
    raise CellError(f"“{raw}”应填“是”或“否”")


def as_list(value: Any) -> list[str]:
    return [v.strip() for v in _LIST_SPLIT.split(text(value)) if v.strip()]


# 原单位及职务 → (原单位, 原职务). With a space (or a tab), the unit is what comes before the first one and
# the post the rest: “县财政局 党组成员、副局长”. Without one, the unit ends after the last character that
# ends a unit name (局, 委, 办, 室, 院, 镇 …) and leaves a post of two characters or more that does not start
# inside a post word (the 局 of 局长): “县财政局副局长” → 县财政局 / 副局长;
# “城关镇人民政府副镇长” → 城关镇人民政府 / 副镇长. Nothing fits: all of it is the unit. The export
# writes “单位 职务”, so it reads back the same.
UNIT_ENDINGS = "局委办室院所站心司团镇乡道村区校部厅处科股队馆行社会府协庭"
_POST_CONTINUES = ("长", "员", "任", "记")


def split_home(value: str) -> tuple[str, str]:
    raw = value.strip()
    parts = raw.split(maxsplit=1)
    if len(parts) == 2:
        return parts[0], parts[1].strip()
    for cut in range(len(raw) - 2, 0, -1):
        post = raw[cut:]
        if raw[cut - 1] in UNIT_ENDINGS and not post.startswith(_POST_CONTINUES):
            return raw[:cut], post
    return raw, ""


def join_home(unit: str, post: str) -> str:
    return f"{unit} {post}".strip() if unit else post


def parse_cell(col: Col, value: Any) -> Any:
    """The cell as its column's kind; CellError with a Chinese reason when it cannot be read."""
    if col.kind == "date":
        return as_date(value)
    if col.kind == "int":
        return as_int(value)
    if col.kind == "month":
        return as_month(value)
    if col.kind == "flag":
        return as_flag(value)
    if col.kind == "list":
        return as_list(value)
    return text(value)


# -- the workbook ----------------------------------------------------------------------------------------
def open_plan_workbook(path: Path) -> Any:
    try:
        return load_workbook(path, read_only=True, data_only=True)
    except (InvalidFileException, BadZipFile, KeyError, OSError, ValueError, TypeError):
        raise XunchaError(
            f"无法读取“{path.name}”：它不是 Excel 2007 及以后的 .xlsx 工作簿（计划工作簿须为 .xlsx 格式）"
        ) from None


def _header_map(sheet: Sheet, header: tuple[Any, ...], errors: list[RowError]) -> dict[str, int]:
    written = [normalise(h) for h in header]
    found: dict[str, int] = {}
    for col in sheet.columns:
        name = normalise(col.header)
        if name in written:
            found[col.key] = written.index(name)
        elif col.required:
            errors.append(RowError(sheet.name, 1, col.header, f"缺少必需的列“{col.header}”"))
    return found


def read_sheet(book: Any, sheet: Sheet, errors: list[RowError]) -> SheetData:
    data = SheetData(sheet)
    names = {normalise(n): n for n in book.sheetnames}
    title = names.get(normalise(sheet.name))
    if title is None:
        if not sheet.optional:
            errors.append(RowError(sheet.name, 0, "", f"工作簿中没有工作表“{sheet.name}”"))
        return data
    data.present = True
    rows = book[title].iter_rows(values_only=True)
    header = next(rows, None)
    before = len(errors)
    columns = _header_map(sheet, tuple(header or ()), errors)
    if len(errors) > before:
        return data
    for number, values in enumerate(rows, start=2):
        cells = {key: values[i] if i < len(values) else None for key, i in columns.items()}
        if all(v is None or (isinstance(v, str) and not v.strip()) for v in cells.values()):
            continue
        data.rows.append(Row(sheet, number, cells))
    return data


def read_plan_workbook(path: Path) -> tuple[dict[str, SheetData], list[RowError]]:
    """Every sheet of the layout read into rows, and the problems of the file's shape (a missing sheet or
    required header). Raises XunchaError when the file is not an .xlsx workbook at all."""
    book = open_plan_workbook(Path(path))
    errors: list[RowError] = []
    try:
        sheets = {sheet.name: read_sheet(book, sheet, errors) for sheet in SHEETS}
    finally:
        book.close()
    return sheets, errors
