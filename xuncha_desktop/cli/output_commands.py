"""Sub-commands that write documents: print (PDF in the official layout) and ledger (Excel 台账)."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from xuncha_desktop.cli.chinese_argparse import db_option, integer
from xuncha_desktop.cli.common import StderrProgress, open_for
from xuncha_desktop.cli.failures import EXIT_OK, EXIT_USAGE
from xuncha_desktop.services.records.visibility import hides_reporter_in_output

# The same as services.pdf_export.PDF_KINDS and services.excel_export.LEDGER_KINDS (a test compares them):
# written out so that parsing the command line does not load the PDF and Excel libraries.
PDF_KINDS = ("interview", "draft", "lead", "evaluation", "appraisal", "petition")
LEDGER_KINDS = ("interview", "draft", "lead", "petition", "evaluation", "statistics")
# The same as services.output.pdf_rectification.RECTIFICATION_PDF_KINDS and
# services.output.rectification_ledgers.RECTIFICATION_LEDGER_KINDS: reports of a unit or a round, not of
# one record type.
RECTIFICATION_PDF_KINDS = ("rectification", "rectification-evaluation")
RECTIFICATION_LEDGER_KINDS = ("rectification", "reconciliation", "rectification-evaluation")
# The same as services.output.pdf_statistics_brief.STATISTICS_PDF_KINDS: the 统计简报 of a scope (--round,
# --year or the whole term).
STATISTICS_PDF_KINDS = ("statistics-brief",)
# services.output.group_scoring_output.KIND: the 巡察组质效评估 of a round (--published: as published).
GROUP_SCORING_KINDS = ("group-scoring",)


def _usage_error(args: argparse.Namespace, message: str) -> int:
    """What argparse says for a bad combination it cannot check itself: usage, the error, exit code 2."""
    parser: argparse.ArgumentParser = args.parser
    parser.print_usage(sys.stderr)
    print(f"{parser.prog}：错误：{message}", file=sys.stderr)
    return EXIT_USAGE


def _scope_misuse(args: argparse.Namespace, kinds: tuple[str, ...]) -> str:
    """The error in a command line's --round/--year for a kind of `kinds` (those taking a scope)."""
    if args.year and args.round:
        return "参数 --year 不能与参数 --round 同时使用"
    if args.year and args.kind not in kinds:
        return "参数 --year 只用于 --kind statistics 和 statistics-brief"
    return ""


def _print_misuse(args: argparse.Namespace) -> str:
    """The error in a `print` command line's choice of records, or "" when it is complete."""
    scoped = _scope_misuse(args, STATISTICS_PDF_KINDS)
    if scoped:
        return scoped
    if args.kind in STATISTICS_PDF_KINDS:
        if args.id or args.all or args.unit:
            return "打印统计简报只用 --round 或 --year 指定统计范围，不接受 --id、--all 或 --unit"
        return ""
    if args.published and args.kind not in GROUP_SCORING_KINDS:
        return "参数 --published 只用于 --kind group-scoring"
    if args.kind in GROUP_SCORING_KINDS:
        if args.id or args.all or args.unit:
            return "打印巡察组质效评估结果只需 --round 指定巡察轮次，不接受 --id、--all 或 --unit"
        return "" if args.round else "打印巡察组质效评估结果须用 --round 指定巡察轮次"
    if args.kind == "rectification-evaluation":
        if args.id or args.all or args.unit:
            return "打印整改质效评估结果只需 --round 指定巡察轮次，不接受 --id、--all 或 --unit"
        return "" if args.round else "打印整改质效评估结果须用 --round 指定巡察轮次"
    if args.kind == "rectification":
        if args.round and args.id:
            return "参数 --round 不能与参数 --id 同时使用"
        return "" if args.id or args.all or args.unit else "必须提供以下参数之一：--id --unit --all"
    if args.unit or args.round:
        return (
            "参数 --unit 和 --round 只用于 --kind rectification 和 rectification-evaluation"
            "（--round 也用于 statistics-brief）"
        )
    return "" if args.id or args.all else "必须提供以下参数之一：--id --all"


def _cmd_print_rectification(args: argparse.Namespace) -> int:
    from xuncha_desktop.services.output.pdf_rectification import print_rectification
    from xuncha_desktop.services.output.rectification_data import resolve_round, resolve_unit

    with open_for(args) as ws:
        round_id = resolve_round(ws, args.round).id if args.round else ""
        unit_id = resolve_unit(ws, args.unit, round_id).id if args.unit else ""
        result = print_rectification(
            ws,
            args.kind,
            Path(args.out),
            feedback_id=args.id or "",
            target_id=unit_id,
            round_id=round_id,
            progress=StderrProgress(),
        )
    _report_pdf(result.path, f"{result.records} 份，{result.pages} 页", result.fonts, result.missing)
    return EXIT_OK


def _cmd_print_statistics(args: argparse.Namespace) -> int:
    from xuncha_desktop.services.office_statistics.scope import scope_for
    from xuncha_desktop.services.output.pdf_statistics_brief import write_statistics_brief

    with open_for(args) as ws:
        scope = scope_for(ws, round_name=args.round or "", year=args.year or 0)
        result = write_statistics_brief(ws, scope, Path(args.out), progress=StderrProgress())
    _report_pdf(result.path, f"{result.pages} 页", result.fonts, result.missing)
    return EXIT_OK


def _cmd_group_scoring(args: argparse.Namespace, ledger: bool) -> int:
    from xuncha_desktop.services.output import group_scoring_output as out
    from xuncha_desktop.services.output.pdf_fonts import load_fonts
    from xuncha_desktop.services.output.rectification_data import resolve_round

    with open_for(args) as ws:
        round_id = resolve_round(ws, args.round).id
        if ledger:
            result = out.write_group_scoring_ledger(ws, Path(args.out), round_id, published=args.published)
            rows = "，".join(f"{sheet} {n} 行" for sheet, n in result.rows.items())
            print(f"已生成台账：{result.path}（{rows}）")
            return EXIT_OK
        pdf = out.write_group_scoring_pdf(
            ws, round_id, Path(args.out), load_fonts(), StderrProgress(), published=args.published
        )
    _report_pdf(pdf.path, f"{pdf.records} 个巡察组，{pdf.pages} 页", pdf.fonts, pdf.missing)
    return EXIT_OK


def _report_pdf(path: Path, counts: str, fonts: Sequence[str], missing: Sequence[Any]) -> None:
    print(f"已生成 PDF：{path}（{counts}）")
    for line in fonts:
        print(f"字体：{line}")
    if missing:
        chars = "、".join(sorted({m.char for m in missing}))
        print(f"注意：字体缺少以下字符，已以 □ 占位（文字层仍保留原字）：{chars}", file=sys.stderr)


def _cmd_print(args: argparse.Namespace) -> int:
    from xuncha_desktop.services.output.pdf_export import print_records

    misuse = _print_misuse(args)
    if misuse:
        return _usage_error(args, misuse)
    if args.kind in RECTIFICATION_PDF_KINDS:
        return _cmd_print_rectification(args)
    if args.kind in STATISTICS_PDF_KINDS:
        return _cmd_print_statistics(args)
    if args.kind in GROUP_SCORING_KINDS:
        return _cmd_group_scoring(args, ledger=False)
    with open_for(args) as ws:
        result = print_records(
            ws,
            args.kind,
            Path(args.out),
            record_id=args.id,
            progress=StderrProgress(),
            hide_reporter=hides_reporter_in_output(ws.user),
        )
    _report_pdf(result.path, f"{result.records} 份记录，{result.pages} 页", result.fonts, result.missing)
    return EXIT_OK


def _cmd_ledger_rectification(args: argparse.Namespace) -> int:
    from xuncha_desktop.services.output.rectification_data import resolve_round
    from xuncha_desktop.services.output.rectification_ledgers import write_rectification_ledger

    with open_for(args) as ws:
        round_id = resolve_round(ws, args.round).id if args.round else ""
        result = write_rectification_ledger(
            ws, args.kind, Path(args.out), StderrProgress(), round_id=round_id
        )
    rows = "，".join(f"{sheet} {n} 行" for sheet, n in result.rows.items())
    print(f"已生成台账：{result.path}（{rows}）")
    return EXIT_OK


def _statistics_scope(ws: Any, args: argparse.Namespace) -> Any:
    from xuncha_desktop.services.office_statistics.scope import scope_for

    return scope_for(ws, round_name=args.round or "", year=args.year or 0)


def _cmd_ledger(args: argparse.Namespace) -> int:
    from xuncha_desktop.services.output.excel_export import write_ledger

    if args.kind == "rectification-evaluation" and not args.round:
        return _usage_error(args, "导出整改质效评估须用 --round 指定巡察轮次")
    misuse = _scope_misuse(args, ("statistics",))
    if misuse:
        return _usage_error(args, misuse)
    if args.published and args.kind not in GROUP_SCORING_KINDS:
        return _usage_error(args, "参数 --published 只用于 --kind group-scoring")
    if args.kind in GROUP_SCORING_KINDS:
        if not args.round:
            return _usage_error(args, "导出巡察组质效评估须用 --round 指定巡察轮次")
        return _cmd_group_scoring(args, ledger=True)
    if args.round and args.kind not in (*RECTIFICATION_LEDGER_KINDS, "statistics"):
        return _usage_error(
            args, "参数 --round 只用于 statistics、rectification、reconciliation 和 rectification-evaluation"
        )
    if args.kind in RECTIFICATION_LEDGER_KINDS:
        return _cmd_ledger_rectification(args)
    with open_for(args) as ws:
        result = write_ledger(
            ws,
            args.kind,
            Path(args.out),
            StderrProgress(),
            hide_reporter=hides_reporter_in_output(ws.user),
            scope=_statistics_scope(ws, args) if args.kind == "statistics" else None,
        )
    rows = "，".join(f"{sheet} {n} 行" for sheet, n in result.rows.items())
    print(f"已生成台账：{result.path}（{rows}）")
    return EXIT_OK


def add_parsers(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    printing = commands.add_parser(
        "print",
        help="打印为 PDF",
        description="按公文版式生成 PDF：谈话记录、问题底稿、线索登记表、干部画像、巡察干部鉴定表，"
        "被巡察单位的整改情况（rectification），一轮巡察的整改质效评估结果（rectification-evaluation），"
        "或一页的巡察工作统计简报（statistics-brief，用 --round 或 --year 指定统计范围，都不给为全部）。",
    )
    db_option(printing, "工作库文件的路径")
    printing.add_argument(
        "--kind",
        required=True,
        choices=PDF_KINDS + RECTIFICATION_PDF_KINDS + STATISTICS_PDF_KINDS + GROUP_SCORING_KINDS,
        metavar="类型",
        help="interview 谈话记录、draft 问题底稿、lead 线索登记表、evaluation 干部画像、"
        "appraisal 巡察干部鉴定表、rectification 整改情况、rectification-evaluation 整改质效评估结果、"
        "statistics-brief 统计简报、group-scoring 巡察组质效评估结果",
    )
    which = printing.add_mutually_exclusive_group()
    which.add_argument("--id", metavar="记录ID", help="只打印这一份记录（整改情况：巡察反馈的ID）")
    which.add_argument("--all", action="store_true", help="打印该类型的全部记录（不含回收站）")
    which.add_argument("--unit", metavar="单位名称", help="整改情况：打印这个被巡察单位的（名称或ID）")
    printing.add_argument(
        "--round",
        metavar="轮次名称",
        help="巡察轮次（名称或ID）：整改质效评估必填；整改情况可用来限定单位或范围；统计简报的统计范围",
    )
    printing.add_argument("--year", type=integer, metavar="年度", help="统计简报：统计这一年度的各轮巡察")
    printing.add_argument(
        "--published",
        action="store_true",
        help="巡察组质效评估：打印本轮最近发布的结果，而不是按现行方案重新计算",
    )
    printing.add_argument("--out", required=True, metavar="文件", help="PDF 文件路径")
    printing.set_defaults(run=_cmd_print, parser=printing)

    ledger = commands.add_parser(
        "ledger",
        help="导出 Excel 台账",
        description="导出台账：谈话登记表、问题清单、问题线索台账、干部评价汇总、统计表（statistics）、"
        "整改台账（rectification）、移交线索对账表（reconciliation），或整改质效评估（rectification-evaluation）。",
    )
    db_option(ledger, "工作库文件的路径")
    ledger.add_argument(
        "--kind",
        required=True,
        choices=LEDGER_KINDS + RECTIFICATION_LEDGER_KINDS + GROUP_SCORING_KINDS,
        metavar="类型",
        help="interview 谈话登记表、draft 问题清单、lead 问题线索台账、evaluation 干部评价汇总、"
        "statistics 统计表（可用 --round 或 --year 指定统计范围）、rectification 整改台账、"
        "reconciliation 移交线索对账表、"
        "rectification-evaluation 整改质效评估、group-scoring 巡察组质效评估",
    )
    ledger.add_argument(
        "--round",
        metavar="轮次名称",
        help="巡察轮次（名称或ID）：整改质效评估必填；整改台账、移交线索对账表和统计表可用来只导出这一轮",
    )
    ledger.add_argument("--year", type=integer, metavar="年度", help="统计表：统计这一年度的各轮巡察")
    ledger.add_argument(
        "--published",
        action="store_true",
        help="巡察组质效评估：导出本轮最近发布的结果，而不是按现行方案重新计算",
    )
    ledger.add_argument("--out", required=True, metavar="文件", help="Excel 文件路径（.xlsx）")
    ledger.set_defaults(run=_cmd_ledger, parser=ledger)
