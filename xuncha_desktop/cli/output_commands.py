"""Sub-commands that write documents: print (PDF in the official layout) and ledger (Excel 台账)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from xuncha_desktop.cli.chinese_argparse import db_option
from xuncha_desktop.cli.common import StderrProgress, open_for
from xuncha_desktop.cli.failures import EXIT_OK
from xuncha_desktop.services.records.visibility import hides_reporter_in_output

# The same as services.pdf_export.PDF_KINDS and services.excel_export.LEDGER_KINDS (a test compares them):
# written out so that parsing the command line does not load the PDF and Excel libraries.
PDF_KINDS = ("interview", "draft", "lead", "evaluation", "appraisal")
LEDGER_KINDS = ("interview", "draft", "lead", "evaluation", "statistics")


def _cmd_print(args: argparse.Namespace) -> int:
    from xuncha_desktop.services.output.pdf_export import print_records

    with open_for(args) as ws:
        result = print_records(
            ws,
            args.kind,
            Path(args.out),
            record_id=args.id,
            progress=StderrProgress(),
            hide_reporter=hides_reporter_in_output(ws.user),
        )
    print(f"已生成 PDF：{result.path}（{result.records} 份记录，{result.pages} 页）")
    for line in result.fonts:
        print(f"字体：{line}")
    if result.missing:
        chars = "、".join(sorted({m.char for m in result.missing}))
        print(f"注意：字体缺少以下字符，已以 □ 占位（文字层仍保留原字）：{chars}", file=sys.stderr)
    return EXIT_OK


def _cmd_ledger(args: argparse.Namespace) -> int:
    from xuncha_desktop.services.output.excel_export import write_ledger

    with open_for(args) as ws:
        result = write_ledger(
            ws,
            args.kind,
            Path(args.out),
            StderrProgress(),
            hide_reporter=hides_reporter_in_output(ws.user),
        )
    rows = "，".join(f"{sheet} {n} 行" for sheet, n in result.rows.items())
    print(f"已生成台账：{result.path}（{rows}）")
    return EXIT_OK


def add_parsers(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    printing = commands.add_parser(
        "print",
        help="打印为 PDF",
        description="按公文版式生成 PDF：谈话记录、问题底稿、线索登记表、干部画像或巡察干部鉴定表。",
    )
    db_option(printing, "工作库文件的路径")
    printing.add_argument(
        "--kind",
        required=True,
        choices=PDF_KINDS,
        metavar="类型",
        help="interview 谈话记录、draft 问题底稿、lead 线索登记表、evaluation 干部画像、"
        "appraisal 巡察干部鉴定表",
    )
    which = printing.add_mutually_exclusive_group(required=True)
    which.add_argument("--id", metavar="记录ID", help="只打印这一份记录")
    which.add_argument("--all", action="store_true", help="打印该类型的全部记录（不含回收站）")
    printing.add_argument("--out", required=True, metavar="文件", help="PDF 文件路径")
    printing.set_defaults(run=_cmd_print)

    ledger = commands.add_parser(
        "ledger",
        help="导出 Excel 台账",
        description="导出台账：谈话登记表、问题清单、问题线索台账、干部评价汇总，或统计表（statistics）。",
    )
    db_option(ledger, "工作库文件的路径")
    ledger.add_argument(
        "--kind",
        required=True,
        choices=LEDGER_KINDS,
        metavar="类型",
        help="interview 谈话登记表、draft 问题清单、lead 问题线索台账、evaluation 干部评价汇总、"
        "statistics 统计表",
    )
    ledger.add_argument("--out", required=True, metavar="文件", help="Excel 文件路径（.xlsx）")
    ledger.set_defaults(run=_cmd_ledger)
