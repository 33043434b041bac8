"""Plan workbooks for the tests and the benchmark: a small valid plan, any rows under any headers."""

from __future__ import annotations

import copy
from datetime import date
from pathlib import Path
from typing import Any

from openpyxl import Workbook, load_workbook
from sqlalchemy import func, select

from tests.builders import PASSPHRASE
from xuncha_desktop.services.plan.workbook_read import SHEETS
from xuncha_desktop.services.plan.workbook_rows import PLAN_TYPES
from xuncha_desktop.services.records.record_service import ListQuery, RecordService
from xuncha_desktop.services.workspace import Workspace
from xuncha_desktop.storage.keyfile import KdfParams
from xuncha_desktop.storage.tables import audit_log

ROUND = "2025年第一轮巡察"
Rows = dict[str, list[dict[str, Any]]]

SAMPLE: Rows = {
    "轮次": [
        {"轮次名称": ROUND, "类型": "常规", "进驻日期": date(2025, 3, 3), "撤离日期": date(2025, 5, 30)},
    ],
    "巡察组": [
        {"轮次名称": ROUND, "巡察组名称": "第一巡察组"},
        {"轮次名称": ROUND, "巡察组名称": "第二巡察组"},
    ],
    "组员": [
        {"轮次名称": ROUND, "巡察组名称": "第一巡察组", "姓名": "张建国", "角色": "组长", "登录名": "zhangjg",
         "原单位及职务": "县审计局 副局长"},
        {"轮次名称": ROUND, "巡察组名称": "第一巡察组", "姓名": "李文华", "角色": "组员", "登录名": "liwh",
         "原单位及职务": "县财政局科员"},
        {"轮次名称": ROUND, "巡察组名称": "第二巡察组", "姓名": "王强", "角色": "组长", "登录名": "wangq",
         "原单位及职务": "县委组织部 副部长"},
        {"轮次名称": ROUND, "巡察组名称": "第二巡察组", "姓名": "赵敏", "角色": "联络员", "登录名": "",
         "原单位及职务": "县委巡察办 干部"},
    ],
    "被巡察单位": [
        {"轮次名称": ROUND, "巡察组名称": "第一巡察组", "单位名称": "县教育局党组", "单位类型": "县直部门"},
        {"轮次名称": ROUND, "巡察组名称": "第二巡察组", "单位名称": "城关镇党委", "单位类型": "乡镇(街道)"},
    ],
}  # fmt: skip


def sample() -> Rows:
    """A fresh copy of the small plan: one round, two groups, four members (three logins), two units."""
    return copy.deepcopy(SAMPLE)


def write_workbook(path: Path, rows: Rows, *, headers: dict[str, list[str]] | None = None) -> Path:
    """`rows` by sheet, each row by header; a sheet's headers are `headers[sheet]` when given, else the
    layout's (required ones with a `*`) followed by any other header the rows use."""
    book = Workbook()
    book.remove(book.active)
    for name, sheet_rows in rows.items():
        layout = next((s for s in SHEETS if s.name == name), None)
        written = (headers or {}).get(name)
        if written is None:
            written = [c.header + ("*" if c.required else "") for c in layout.columns] if layout else []
            written += [h for r in sheet_rows for h in r if h not in {w.rstrip("*") for w in written}]
        ws = book.create_sheet(name)
        ws.append(written)
        for r in sheet_rows:
            ws.append([r.get(h.rstrip("*＊ ")) for h in written])
    book.save(path)
    return path


def read_workbook(path: Path) -> Rows:
    """Every sheet of a workbook as rows by header (the `*` of a header dropped)."""
    book = load_workbook(path, data_only=True)
    out: Rows = {}
    for ws in book.worksheets:
        values = list(ws.iter_rows(values_only=True))
        if not values:
            continue
        header = [str(h).rstrip("*") if h is not None else "" for h in values[0]]
        out[ws.title] = [dict(zip(header, row, strict=False)) for row in values[1:]]
    return out


def office_workspace(path: Path) -> Workspace:
    """A fresh office workspace (cheap key derivation) whose user is the 巡察办管理员."""
    return Workspace.create(path, PASSPHRASE, office=True, kdf=KdfParams.cheap())


def plan_counts(ws: Workspace) -> dict[str, int]:
    """Live records of every type the plan workbook writes, and the audit entries: what a rejected
    import must leave as it was."""
    counts = {rt.key: RecordService[Any](ws, rt).count(ListQuery(limit=None)) for rt in PLAN_TYPES}
    with ws.engine.connect() as conn:
        counts["audit"] = int(conn.execute(select(func.count()).select_from(audit_log)).scalar_one())
    return counts
