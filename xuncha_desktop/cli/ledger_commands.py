"""`ledger-import`: a legacy 台账 (谈话登记表, 问题清单, 问题线索台账) brought in with the rules and row-level
errors of the GUI's ledger import (services.output.excel_import), at the office or on a laptop."""

from __future__ import annotations

import argparse
from pathlib import Path

from xuncha_desktop.cli.chinese_argparse import db_option
from xuncha_desktop.cli.common import open_for
from xuncha_desktop.cli.console import print_json
from xuncha_desktop.cli.failures import EXIT_DATA_ERROR, EXIT_OK, fail
from xuncha_desktop.cli.plan_commands import resolve_group
from xuncha_desktop.domain.errors import XunchaError
from xuncha_desktop.domain.organization import InspectionGroup
from xuncha_desktop.domain.record_types import GROUP
from xuncha_desktop.services.records.record_service import ListQuery, RecordService
from xuncha_desktop.services.workspace import Workspace

# The same as services.output.excel_import.IMPORT_KINDS (a test compares them): written out so that parsing
# the command line does not load the Excel library.
LEDGER_IMPORT_KINDS = ("interview", "draft", "lead")


def _group(ws: Workspace, group_id: str) -> InspectionGroup:
    return RecordService[InspectionGroup](ws, GROUP).get(group_id)


def _only_group(ws: Workspace) -> str:
    """The group of a laptop (its only one); elsewhere the caller must name it."""
    groups = RecordService[InspectionGroup](ws, GROUP).list(ListQuery(limit=None))
    if len(groups) != 1:
        names = "、".join(g.name for g in groups) or "无"
        raise XunchaError(f"请用 --group 指定导入到哪个巡察组（可加 --round 指定轮次）；现有巡察组：{names}")
    return groups[0].id


def _cmd_ledger_import(args: argparse.Namespace) -> int:
    from xuncha_desktop.services.output.excel_import import ImportContext, import_ledger, preview_import
    from xuncha_desktop.services.plan.workbook_read import RowError

    with open_for(args) as ws:
        group = _only_group(ws) if not args.group else resolve_group(ws, args.group, args.round)
        context = ImportContext(_group(ws, group).round_id, group)
        preview = preview_import(ws, args.kind, Path(args.file), context)
        created = 0
        if not preview.problems:
            created = preview.valid_rows
            if not args.dry_run:
                created = import_ledger(ws, args.kind, Path(args.file), context).imported
    errors = [RowError(preview.sheet, p.row, p.column, p.reason) for p in preview.problems]
    if args.json:
        print_json({"created": created, "updated": 0, "unchanged": 0, "errors": [e.__dict__ for e in errors]})
    elif errors:
        for error in errors:
            print(error.text())
    else:
        done = "预览（未写入任何数据）：可导入" if args.dry_run else "已导入"
        print(f"{done} {created} 条记录（工作表“{preview.sheet}”）")
    if errors:
        rows = len({e.row for e in errors})
        fail(f"台账有 {rows} 行存在问题（共 {preview.total_rows} 行），未导入任何记录")
        return EXIT_DATA_ERROR
    return EXIT_OK


def add_parsers(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    imp = commands.add_parser(
        "ledger-import",
        help="导入 Excel 台账",
        description="导入已有的台账（表头与 ledger --kind 导出的相同，也识别常见的其他列名）："
        "每行按与图形界面“导入台账”相同的规则检查；任何一行有误时不导入任何记录，列出每处错误，"
        "以退出码 1 结束。记录导入到本组（现场工作库）或 --group 指定的巡察组。",
    )
    db_option(imp, "工作库文件的路径")
    imp.add_argument(
        "--kind",
        required=True,
        choices=LEDGER_IMPORT_KINDS,
        metavar="类型",
        help="interview 谈话登记表、draft 问题清单、lead 问题线索台账",
    )
    imp.add_argument("file", metavar="文件", help="台账文件（.xlsx）")
    imp.add_argument(
        "--group", metavar="巡察组", help="导入到的巡察组：名称、组别序号或ID（只有一个巡察组时可省略）"
    )
    imp.add_argument("--round", metavar="轮次名称", help="巡察组所在的轮次（不同轮次有同名巡察组时须指定）")
    imp.add_argument("--dry-run", action="store_true", help="只检查并统计，不写入任何数据")
    imp.add_argument("--json", action="store_true", help="以 JSON 输出 created、updated、unchanged 和 errors")
    imp.set_defaults(run=_cmd_ledger_import)
