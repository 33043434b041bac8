"""`report`: a 巡察报告初稿, 一把手专题材料 or 巡察反馈意见 of a unit, or the 底稿审批单 of a draft, as a
Word document (.docx, from the template the office may replace) or as PDF (services.reports)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from xuncha_desktop.cli.chinese_argparse import db_option
from xuncha_desktop.cli.common import StderrProgress, open_for
from xuncha_desktop.cli.failures import EXIT_OK, EXIT_USAGE

# The same as services.reports.generate.REPORT_KINDS and UNIT_KINDS (a test compares them): written out so
# that parsing the command line does not load docxtpl and reportlab.
REPORT_KINDS = ("inspection", "top-leader", "feedback", "approval")
UNIT_KINDS = ("inspection", "top-leader", "feedback")


def _misuse(args: argparse.Namespace) -> str:
    """What is wrong with the choice of unit or draft for the kind, or "" when it is complete."""
    suffix = Path(args.out).suffix.lower()
    if suffix not in (".docx", ".pdf"):
        return "参数 --out 的文件扩展名应为 .docx（Word 文档）或 .pdf"
    if args.kind == "approval":
        if args.unit or args.round:
            return "底稿审批单用 --id 指定问题底稿，不接受 --unit 或 --round"
        return "" if args.id else "生成底稿审批单须用 --id 指定问题底稿"
    if args.id:
        return "参数 --id 只用于 --kind approval；其他报告用 --unit 指定被巡察单位"
    return "" if args.unit else "必须用 --unit 指定被巡察单位（名称或ID）"


def _cmd_report(args: argparse.Namespace) -> int:
    misuse = _misuse(args)
    if misuse:
        parser: argparse.ArgumentParser = args.parser
        parser.print_usage(sys.stderr)
        print(f"{parser.prog}：错误：{misuse}", file=sys.stderr)
        return EXIT_USAGE
    from xuncha_desktop.services.reports.generate import REPORT_TITLES, generate
    from xuncha_desktop.services.reports.sources import find_unit

    with open_for(args) as ws:
        unit_id = find_unit(ws, args.unit, args.round or "").id if args.unit else ""
        result = generate(
            ws,
            args.kind,
            Path(args.out),
            target_id=unit_id,
            draft_id=args.id or "",
            progress=StderrProgress(),
        )
    what = REPORT_TITLES[args.kind]
    if result.pages:
        print(f"已生成{what}：{result.path}（依据 {result.records} 条记录，{result.pages} 页）")
        for line in result.fonts:
            print(f"字体：{line}")
    else:
        print(f"已生成{what}：{result.path}（依据 {result.records} 条记录）")
        print(f"模板：{result.template}")
    return EXIT_OK


def add_parsers(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    report = commands.add_parser(
        "report",
        help="生成报告初稿（Word 或 PDF）",
        description="生成可在 Word、WPS 中继续修改的报告初稿：被巡察单位的巡察报告初稿（inspection，"
        "只依据已审签的问题底稿）、一把手专题材料（top-leader）、巡察反馈意见（feedback），或一份问题底稿的"
        "审批单（approval）。--out 以 .docx 结尾时生成 Word 文档（工作库所在文件夹的 templates 子文件夹中"
        "有同名模板时使用该模板，例如 templates/inspection.docx），以 .pdf 结尾时生成 PDF。",
    )
    db_option(report, "工作库文件的路径")
    report.add_argument(
        "--kind",
        required=True,
        choices=REPORT_KINDS,
        metavar="类型",
        help="inspection 巡察报告初稿、top-leader 一把手专题材料、feedback 巡察反馈意见、approval 底稿审批单",
    )
    which = report.add_mutually_exclusive_group()
    which.add_argument(
        "--unit", metavar="单位名称", help="被巡察单位（名称或ID）：巡察报告、专题材料和反馈意见"
    )
    which.add_argument("--id", metavar="底稿ID", help="问题底稿的ID：底稿审批单")
    report.add_argument(
        "--round", metavar="轮次名称", help="巡察轮次（名称或ID）：单位名称在几轮巡察中重复时用"
    )
    report.add_argument("--out", required=True, metavar="文件", help="输出文件路径（.docx 或 .pdf）")
    report.set_defaults(run=_cmd_report, parser=report)
