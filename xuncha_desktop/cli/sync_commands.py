"""Sub-commands that carry work between the office and the field: export, provision, import, reidentify."""

from __future__ import annotations

import argparse
from pathlib import Path

from xuncha_desktop.cli.chinese_argparse import db_option
from xuncha_desktop.cli.common import PACKAGE_CODE_ENV, StderrProgress, open_for, package_code, passphrase
from xuncha_desktop.cli.console import print_json
from xuncha_desktop.cli.failures import EXIT_DATA_ERROR, EXIT_OK, EXIT_USAGE, fail
from xuncha_desktop.cli.plan_commands import resolve_group


def _cmd_export(args: argparse.Namespace) -> int:
    from xuncha_desktop.services.sync import export_package

    with open_for(args) as ws:
        report = export_package(ws, Path(args.out), full=args.full, progress=StderrProgress())
    kind = "完整" if report.kind == "full" else "增量"
    print(
        f"已导出{kind}工作包：{report.file}（修订 {report.revisions} 条，附件 {report.attachments} 个，"
        f"{report.size / 1024:.1f} KB）"
    )
    return EXIT_OK


def _cmd_undo_import(args: argparse.Namespace) -> int:
    from xuncha_desktop.services.sync.import_undo import last_import, undo_last_import

    with open_for(args) as ws:
        if args.dry_run:
            pending = last_import(ws)
            print(f"可以撤销：{pending.describe()}" if pending else "没有可以撤销的导入")
            return EXIT_OK
        report = undo_last_import(ws)
    print(f"已撤销{report.undone.describe()}，工作库已回到导入前")
    return EXIT_OK


def _cmd_provision(args: argparse.Namespace) -> int:
    from xuncha_desktop.services.sync import provision_package

    if args.round and not args.group:
        fail("--round 须与 --group 一起使用（按名称指定巡察组时用来区分同名的巡察组）")
        return EXIT_USAGE
    code = package_code(args)
    with open_for(args) as ws:
        group_id = resolve_group(ws, args.group, args.round) if args.group else None
        report = provision_package(
            ws, Path(args.out), group_id=group_id, code=code, progress=StderrProgress()
        )
    how = "以配置码保护（首次配置）" if code else "以本组密钥加密（已配置过的电脑）"
    print(f"已生成配置包：{report.file}（修订 {report.revisions} 条，{how}）")
    return EXIT_OK


def _cmd_import(args: argparse.Namespace) -> int:
    from xuncha_desktop.services.sync import import_packages

    secret = passphrase()  # also makes a provisioned laptop its roster member's (roster_login)
    with open_for(args, secret) as ws:
        reports = import_packages(
            ws,
            [Path(f) for f in args.files],
            dry_run=args.dry_run,
            code=package_code(args),
            progress=StderrProgress(),
            accept_identity=args.accept_identity,
            passphrase=secret,
        )
    if args.json:
        print_json([r.as_json() for r in reports])
    else:
        status = {
            "imported": "将导入" if args.dry_run else "已导入",
            "already_imported": "已导入过",
            "rejected": "已拒绝",
        }
        for r in reports:
            line = f"{Path(r.file).name}：{status[r.status]}"
            if r.status == "rejected":
                line += f"（{r.error}）"
            else:
                line += f"，新增 {r.new}，更新 {r.updated}，未变 {r.unchanged}，冲突 {r.conflicts}"
            print(line)
            if r.roster:
                print(r.roster)
        if args.dry_run:
            print("（预览：未写入任何数据）")
    rejected = [r for r in reports if r.status == "rejected"]
    if rejected:
        fail(
            f"{len(rejected)} 个工作包被拒绝："
            + "；".join(f"{Path(r.file).name}：{r.error}" for r in rejected)
        )
        return EXIT_DATA_ERROR
    return EXIT_OK


def _cmd_reidentify(args: argparse.Namespace) -> int:
    from xuncha_desktop.services.sync.reidentify import reidentify

    with open_for(args) as ws:
        report = reidentify(ws, package=Path(args.package) if args.package else None)
    print(
        f"已重新确定身份：新身份 {report.new_replica}（原身份 {report.old_replica}）；"
        f"以新身份重新签发修订 {report.reminted} 条，巡察办已有的修订 {report.kept} 条保持不变"
    )
    print(f"重新确定身份前的备份：{report.backup}")
    if not report.precise:
        print(
            "注意：未选用巡察办的配置包，复制前已有而巡察办尚未确认收到的修订也以新身份重新签发；"
            "巡察办导入后，这些记录可能列为冲突，需在“冲突处理”中逐条确认"
        )
    print("下一步：导入巡察办的配置包，再导出工作包交巡察办；巡察办核实后以 import --accept-identity 导入")
    return EXIT_OK


def add_parsers(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    export = commands.add_parser(
        "export",
        help="导出工作包（现场 → 巡察办）",
        description="把本工作库中巡察办尚未确认收到的修订、附件导出为加密工作包（只有巡察办和本组能打开）。"
        "工作库须已导入过巡察办的配置包。",
    )
    db_option(export, "工作库文件的路径")
    export.add_argument("--out", required=True, metavar="文件", help="工作包文件路径（建议以 .xcpkg 结尾）")
    export.add_argument(
        "--full", action="store_true", help="完整导出全部修订（默认只导出对方尚未确认的部分）"
    )
    export.set_defaults(run=_cmd_export)

    provision = commands.add_parser(
        "provision",
        help="生成配置包（巡察办 → 现场）",
        description="巡察办为某一巡察组生成配置包：巡察办身份与密钥、本组密钥、轮次、名册、被巡察单位、"
        "分类字典及本组已处理的记录。首次配置一台电脑时用 --code 设定一次性配置码；"
        "已配置过的电脑可直接导入不带配置码的更新包。",
    )
    db_option(provision, "巡察办工作库文件的路径")
    provision.add_argument(
        "--out", required=True, metavar="文件", help="配置包文件路径（建议以 .xcpkg 结尾）"
    )
    provision.add_argument(
        "--group",
        metavar="巡察组",
        help="要配置的巡察组：名称、组别序号或ID（只有一个巡察组时可省略）",
    )
    provision.add_argument(
        "--round", metavar="轮次名称", help="巡察组所在的轮次（不同轮次有同名巡察组时须指定）"
    )
    provision.add_argument(
        "--code", metavar="配置码", help=f"一次性配置码（也可用环境变量 {PACKAGE_CODE_ENV} 提供）"
    )
    provision.set_defaults(run=_cmd_provision)

    imp = commands.add_parser(
        "import",
        help="导入并合并工作包",
        description="导入一个或多个工作包并合并：重复导入不产生变化；两边改了同一字段的记录列为冲突待人工处理；"
        "导入时记下撤销所需的内容（可用 undo-import 撤销本次导入）；有被拒绝的工作包时以退出码 1 结束。",
    )
    db_option(imp, "工作库文件的路径")
    imp.add_argument("files", nargs="+", metavar="文件", help="要导入的工作包")
    imp.add_argument("--dry-run", action="store_true", help="只预览结果，不写入任何数据")
    imp.add_argument("--json", action="store_true", help="以 JSON 输出每个工作包的结果")
    imp.add_argument(
        "--code", metavar="配置码", help=f"首次配置包的配置码（也可用环境变量 {PACKAGE_CODE_ENV}）"
    )
    imp.add_argument(
        "--accept-identity",
        action="store_true",
        help="确认接受重新确定过身份的电脑（复制的工作库）发来的工作包；请先核实该电脑确属本组，"
        "确认记入审计日志",
    )
    imp.set_defaults(run=_cmd_import)

    _add_undo_parser(commands)

    reidentify = commands.add_parser(
        "reidentify",
        help="重新确定身份（复制的工作库）",
        description="同一个现场工作库被复制到两台电脑后分别使用时，巡察办只能接受其中一份；"
        "在被拒绝的那台电脑上执行本命令：工作库改用新的身份和密钥，巡察办没有的修订以新身份重新签发"
        "（记录编号和内容不变），之前先自动备份。之后导出的工作包须由巡察办核实后以 "
        "import --accept-identity 接受。",
    )
    db_option(reidentify, "现场工作库文件的路径")
    reidentify.add_argument(
        "--package",
        metavar="配置包",
        help="巡察办为本组生成的最新配置包：据此只重新签发巡察办没有的修订（建议提供）",
    )
    reidentify.set_defaults(run=_cmd_reidentify)


def _add_undo_parser(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    undo = commands.add_parser(
        "undo-import",
        help="撤销最近一次导入",
        description="把工作库恢复到最近一次导入之前：导入新增的记录、修订、冲突、附件和审计记录都移除，"
        "被更新的都复原（撤销本身记入审计日志）。导入之后工作库又有改动时拒绝撤销（退出码 1），"
        "此时可在“备份与恢复”中选择备份恢复。",
    )
    db_option(undo, "工作库文件的路径")
    undo.add_argument("--dry-run", action="store_true", help="只显示可以撤销的导入，不做任何改动")
    undo.set_defaults(run=_cmd_undo_import)
