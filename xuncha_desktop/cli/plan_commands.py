"""`plan template | export | import`: the office's plan workbook (轮次, 巡察组, 组员, 被巡察单位, optional
党组织名录 and 人才库), a public interface office scripts rely on (issue 12)."""

from __future__ import annotations

import argparse
from pathlib import Path

from xuncha_desktop.cli.chinese_argparse import db_option
from xuncha_desktop.cli.common import open_for
from xuncha_desktop.cli.console import print_json
from xuncha_desktop.cli.failures import EXIT_DATA_ERROR, EXIT_OK, fail
from xuncha_desktop.domain.errors import XunchaError
from xuncha_desktop.services.workspace import Workspace

SHEETS_HELP = (
    "工作表及必需的列：轮次（轮次名称、类型、进驻日期、撤离日期）；巡察组（轮次名称、巡察组名称）；"
    "组员（轮次名称、巡察组名称、姓名、角色、登录名、原单位及职务）；被巡察单位（轮次名称、巡察组名称、"
    "单位名称、单位类型）；可选：党组织名录、人才库。表头可带 *，后面可以加其他列。"
)


def _cmd_template(args: argparse.Namespace) -> int:
    from xuncha_desktop.services.plan.workbook import template

    path = template(Path(args.out))
    print(f"已生成空白计划工作簿：{path}")
    return EXIT_OK


def _cmd_export(args: argparse.Namespace) -> int:
    from xuncha_desktop.services.plan.workbook import export

    with open_for(args) as ws:
        path = export(ws, Path(args.out))
    print(f"已导出计划工作簿：{path}")
    return EXIT_OK


def _cmd_import(args: argparse.Namespace) -> int:
    from xuncha_desktop.services.plan.workbook import import_plan

    with open_for(args) as ws:
        report = import_plan(ws, Path(args.file), dry_run=args.dry_run)
    if args.json:
        print_json(report.as_json())
    elif report.errors:
        for error in report.errors:
            print(error.text())
    else:
        done = "预览（未写入任何数据）" if args.dry_run else "已导入计划工作簿"
        print(f"{done}：新增 {report.created} 条，更新 {report.updated} 条，未变 {report.unchanged} 条")
    if report.errors:
        rows = len({(e.sheet, e.row) for e in report.errors})
        fail(f"计划工作簿有 {len(report.errors)} 处错误（{rows} 行），整份未导入，工作库未作任何改动")
        return EXIT_DATA_ERROR
    return EXIT_OK


def add_parsers(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    plan = commands.add_parser(
        "plan",
        help="巡察计划工作簿（模板、导出、导入）",
        description="巡察办的计划工作簿：轮次、巡察组、组员、被巡察单位，以及党组织名录和人才库。"
        + SHEETS_HELP,
    )
    actions = plan.add_subparsers(title="操作", dest="plan_action", metavar="操作", required=True)

    template = actions.add_parser(
        "template", help="生成空白计划工作簿", description="生成空白计划工作簿（带下拉选项和填写说明）。"
    )
    template.add_argument("--out", required=True, metavar="文件", help="Excel 文件路径（.xlsx）")
    template.set_defaults(run=_cmd_template)

    export = actions.add_parser(
        "export",
        help="导出当前计划",
        description="把巡察办工作库中的现行计划导出为计划工作簿（格式与模板相同，原样导入不产生变化）。",
    )
    db_option(export, "巡察办工作库文件的路径")
    export.add_argument("--out", required=True, metavar="文件", help="Excel 文件路径（.xlsx）")
    export.set_defaults(run=_cmd_export)

    imp = actions.add_parser(
        "import",
        help="导入计划工作簿",
        description="按名称新建或更新轮次、巡察组、组员（及其登录名、人才库人员）、被巡察单位（及党组织名录）。"
        "任何一行有误时整份不导入，列出每处错误（工作表、行、列、原因），以退出码 1 结束。" + SHEETS_HELP,
    )
    db_option(imp, "巡察办工作库文件的路径")
    imp.add_argument("file", metavar="文件", help="计划工作簿（.xlsx）")
    imp.add_argument("--dry-run", action="store_true", help="只检查并统计，不写入任何数据")
    imp.add_argument("--json", action="store_true", help="以 JSON 输出 created、updated、unchanged 和 errors")
    imp.set_defaults(run=_cmd_import)


def resolve_group(ws: Workspace, group: str, round_name: str | None = None) -> str:
    """The id of the group `group` names: its id, its name (normalised compare) or its 组别序号, within the
    round `round_name` (name or id) when given. None found or more than one: XunchaError naming the
    groups or the rounds to choose from."""
    from xuncha_desktop.services.plan.workbook import find_groups

    found, rounds = find_groups(ws, group, round_name)
    if len(found) == 1:
        return found[0].id
    if not found:
        where = f"轮次“{round_name}”中" if round_name else ""
        raise XunchaError(f"{where}找不到巡察组“{group}”")
    names = "、".join(f"“{rounds[g.round_id]}”" for g in found)
    raise XunchaError(f"有 {len(found)} 个巡察组叫“{group}”，分属轮次 {names}；请用 --round 指定轮次名称")
