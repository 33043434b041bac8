"""The plan workbook (计划工作簿): an empty template, the current plan exported in the same form, and its
import (workbook_import). Sheets 轮次, 巡察组, 组员, 被巡察单位, and the optional 党组织名录 and 人才库;
required headers carry a trailing `*`. Re-importing an export changes nothing."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from xuncha_desktop.domain.organization import InspectionGroup, InspectionRound
from xuncha_desktop.domain.plan_rules import PlanSnapshot, same_name
from xuncha_desktop.domain.record_types import GROUP, ROUND
from xuncha_desktop.services.output.excel_export import save_workbook
from xuncha_desktop.services.output.output_files import OutputAudit, atomic_output
from xuncha_desktop.services.plan.workbook_import import (
    PlanImportReport,
    check_office,
    import_plan,
    load_existing,
)
from xuncha_desktop.services.plan.workbook_read import (
    CADRES,
    GROUPS,
    MEMBERS,
    ORGS,
    ROUNDS,
    SHEET,
    SHEETS,
    SPECIALITY_HINT,
    UNITS,
    RowError,
    Sheet,
    join_home,
)
from xuncha_desktop.services.records.record_service import ListQuery, RecordService
from xuncha_desktop.services.workspace import Workspace

__all__ = ["PlanImportReport", "RowError", "export", "find_groups", "import_plan", "template"]

PLAN_EXPORT = "plan_export"  # audit action of an export
VALIDATION_ROWS = 5000  # rows of a sheet that get the drop-down lists
NOTES = (
    "计划工作簿说明",
    "",
    "工作表“轮次”“巡察组”“组员”“被巡察单位”必须有；“党组织名录”“人才库”可选。",
    "表头带 * 的列必须保留（表头可带也可不带 *，列的顺序不限，后面可以加其他列）。",
    "必填的单元格：轮次名称、类型；巡察组的轮次名称、巡察组名称；组员的轮次名称、"
    "巡察组名称、姓名、角色；被巡察单位的全部四列；党组织名称、单位类型；人才库的姓名。",
    "选填的单元格留空：保持工作库中原有的值（新记录取默认值）。",
    "统计用的数量（选填，填非负整数）：巡察组的“专题报告”（份）、“意见建议”（条）；被巡察单位的"
    "“调阅资料”（卷）、“走访核查”（次）、“测评问卷”（民主测评表及调查问卷，份）。",
    "按名称对应：轮次按轮次名称，巡察组按轮次名称+巡察组名称，组员按轮次+巡察组+姓名，"
    "被巡察单位按轮次+单位名称，人才库人员按姓名+现工作单位，党组织按名称；已有的更新，没有的新建。",
    "原单位及职务：单位与职务之间空一格，如“县财政局 副局长”；不空格时，在单位名称的末字"
    "（局、委、办、室、院、所、镇、乡 等）之后拆分。",
    "组员的人才库人员：新成员按姓名+原单位在人才库中查找，没有则新建；已有成员保持原来的关联。",
    "被巡察单位的党组织名录：新单位按名称在党组织名录中查找，没有则新建；已有单位保持原来的关联。",
    "登录名：填写后为该成员建立或更新登录用户（角色与组内角色相同）；留空不改动已有用户。",
    "回避：成员的现工作单位或曾任职单位与本组被巡察单位相同或隶属时须回避；确需安排的，"
    "在“回避说明”中写明理由（记入审计日志）。",
    f"人才库的专长可选：{SPECIALITY_HINT}；多项用顿号分隔。",
    "有任何一行有误时整份工作簿不导入，并列出每一处错误（工作表、行、列和原因）。",
)


def _header_row(ws: Worksheet, sheet: Sheet) -> None:
    bold, fill = Font(bold=True), PatternFill("solid", fgColor="DDEBF7")
    for i, col in enumerate(sheet.columns, start=1):
        cell = ws.cell(row=1, column=i, value=f"{col.header}*" if col.required else col.header)
        cell.font, cell.fill = bold, fill
        cell.alignment = Alignment(horizontal="center")
        letter = get_column_letter(i)
        ws.column_dimensions[letter].width = col.width
        if col.choices:
            rule = DataValidation(type="list", formula1=f'"{",".join(col.choices)}"', allow_blank=True)
            rule.error, rule.errorTitle = f"请从列表中选择{col.header}", col.header
            rule.add(f"{letter}2:{letter}{VALIDATION_ROWS}")
            ws.add_data_validation(rule)
    ws.freeze_panes = "A2"


def _fill(ws: Worksheet, sheet: Sheet, rows: Iterable[tuple[Any, ...]]) -> None:
    kinds = [col.kind for col in sheet.columns]
    for values in rows:
        ws.append(list(values))
        r = ws.max_row
        for i, kind in enumerate(kinds, start=1):
            cell = ws.cell(row=r, column=i)
            if kind == "date":
                cell.number_format = "yyyy-mm-dd"
            elif kind != "int":
                cell.number_format = "@"


def _book(rows: Callable[[Sheet], Iterable[tuple[Any, ...]]]) -> Workbook:
    book = Workbook()
    book.remove(book.active)
    for sheet in SHEETS:
        ws = book.create_sheet(sheet.name)
        _header_row(ws, sheet)
        _fill(ws, sheet, rows(sheet))
    notes = book.create_sheet("说明")
    notes.column_dimensions["A"].width = 120
    for line in NOTES:
        notes.append([line])
    notes["A1"].font = Font(bold=True, size=13)
    return book


def _save(book: Workbook, out: Path, audit: OutputAudit | None = None) -> Path:
    with atomic_output(Path(out), audit) as temporary:
        save_workbook(book, temporary)  # not book.save: on a full disk that leaves an open archive behind
    return Path(out)


def template(out: Path) -> Path:
    """An empty plan workbook: the sheets, their headers (required ones marked `*`), drop-down lists."""
    return _save(_book(lambda sheet: ()), out)


def _plan_rows(
    plan: PlanSnapshot, orgs: dict[str, Any], cadres: dict[str, Any]
) -> dict[str, list[tuple[Any, ...]]]:
    rounds = sorted(plan.rounds.values(), key=lambda r: (r.year, r.ordinal, r.name))
    groups = sorted(plan.groups.values(), key=lambda g: (g.ordinal, g.name))
    logins = {u.member_id: u.login for u in plan.users.values() if u.member_id and u.active}
    out: dict[str, list[tuple[Any, ...]]] = {name: [] for name in SHEET}
    for r in rounds:
        out[ROUNDS].append((r.name, r.kind, r.start_on, r.end_on, r.year, r.ordinal, r.framework))
        for g in (g for g in groups if g.round_id == r.id):
            out[GROUPS].append((r.name, g.name, g.ordinal, g.special_reports, g.recommendations))
            for m in (m for m in plan.members.values() if m.group_id == g.id):
                home = join_home(m.home_unit, m.home_post)
                out[MEMBERS].append(
                    (r.name, g.name, m.name, m.role, logins.get(m.id, ""), home, m.staffing, m.gender,
                     m.birth_month, m.avoidance_override)
                )  # fmt: skip
            for t in (t for t in plan.targets.values() if t.group_id == g.id):
                out[UNITS].append(
                    (r.name, g.name, t.name, t.kind, t.files_read, t.site_visits, t.questionnaires)
                )
    for o in orgs.values():
        parent = orgs[o.parent_id].name if o.parent_id in orgs else ""
        out[ORGS].append((o.name, o.kind, parent, "是" if o.active else "否", o.retired_reason))
    for c in cadres.values():
        out[CADRES].append(
            (c.name, c.gender, c.birth_month, c.political_status, c.home_unit, c.home_post,
             "、".join(c.earlier_units), "、".join(c.specialities), c.status, c.status_reason)
        )  # fmt: skip
    return out


def export(ws: Workspace, out: Path) -> Path:
    """The workspace's live plan, 党组织名录 and 人才库 as a plan workbook; importing it changes nothing."""
    check_office(ws, "导出计划工作簿")
    existing = load_existing(ws)
    rows = _plan_rows(existing.plan, existing.orgs, existing.cadres)
    audit = OutputAudit(ws, PLAN_EXPORT, "plan", sum(map(len, rows.values())))
    return _save(_book(lambda sheet: rows[sheet.name]), out, audit)


def find_groups(
    ws: Workspace, group: str, round_name: str | None = None
) -> tuple[list[InspectionGroup], dict[str, str]]:
    """The live groups `group` may name (an id, a name, or a 组别序号), in the round `round_name` (a name or
    an id) when given; and every round's name by id, to tell the groups apart."""
    rounds = {r.id: r.name for r in RecordService[InspectionRound](ws, ROUND).iterate(ListQuery(limit=None))}
    groups = [g for g in RecordService[InspectionGroup](ws, GROUP).iterate(ListQuery(limit=None))]
    if round_name:
        wanted = {
            rid
            for rid, name in rounds.items()
            if rid == round_name or same_name(name) == same_name(round_name)
        }
        groups = [g for g in groups if g.round_id in wanted]
    by_id = [g for g in groups if g.id == group]
    if by_id:
        return by_id, rounds
    by_name = [g for g in groups if same_name(g.name) == same_name(group)]
    if by_name or not group.strip().isdigit():
        return by_name, rounds
    return [g for g in groups if g.ordinal == int(group)], rounds
