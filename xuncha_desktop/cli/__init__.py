"""The `xuncha-desktop` command: the GUI by default, plus sub-commands for office scripts. This module only
builds the parser from the sub-command modules and runs what was asked; the GUI is never imported here
except to start it."""

from __future__ import annotations

import argparse
import os
from pathlib import Path

from xuncha_desktop import APP_DISPLAY_NAME, APP_NAME, __version__
from xuncha_desktop.cli import (
    ledger_commands,
    output_commands,
    plan_commands,
    report_commands,
    sync_commands,
    workspace_commands,
)
from xuncha_desktop.cli.chinese_argparse import ChineseParser
from xuncha_desktop.cli.console import prepare_streams
from xuncha_desktop.cli.failures import EXIT_OK, EXIT_USAGE, finish_output, guarded
from xuncha_desktop.diagnostics import setup_logging
from xuncha_desktop.services.workspace import PASSPHRASE_ENV, USER_ENV


def _run_gui(args: argparse.Namespace) -> int:
    from xuncha_desktop.app import run_gui  # Qt is loaded only when the GUI is wanted

    db_path = Path(args.db) if args.db else None  # None: the app's default in the per-user data folder
    passphrase = os.environ.get(PASSPHRASE_ENV)
    return int(run_gui(db_path, passphrase, smoke_test=args.smoke_test, user=args.gui_user))


def build_parser() -> argparse.ArgumentParser:
    parser = ChineseParser(
        prog=APP_NAME,
        description=f"{APP_DISPLAY_NAME}：巡察组离线工作与巡察办汇总合并。不带子命令时打开图形界面。",
        epilog=f"口令取自环境变量 {PASSPHRASE_ENV}（若已设置），否则在终端提示输入；每位用户有自己的口令，"
        f"登录名取自 --user 或环境变量 {USER_ENV}。"
        "退出码：0 成功，1 数据错误，2 用法错误。",
    )
    parser.add_argument(
        "--db", metavar="路径", help="图形界面打开的工作库文件（默认：本机数据文件夹中的工作库）"
    )
    parser.add_argument(
        "--user",
        dest="gui_user",
        metavar="登录名",
        help="登录名，与口令一起核对（也用于子命令，须写在子命令之前；默认：环境变量 XUNCHA_USER，"
        "未指定时由口令确定是哪位用户）",
    )
    parser.add_argument(
        "--smoke-test",
        action="store_true",
        help="自检：在后台打开临时工作库并构建主窗口后退出（用于检验安装包）",
    )
    parser.add_argument(
        "--version", action="version", version=f"{APP_DISPLAY_NAME} {__version__}", help="显示版本号并退出"
    )
    parser.set_defaults(run=_run_gui)
    commands = parser.add_subparsers(
        title="子命令", dest="command", metavar="子命令", help="各子命令均可加 -h 查看详细说明"
    )

    for module in (
        workspace_commands,
        sync_commands,
        output_commands,
        report_commands,
        ledger_commands,
        plan_commands,
    ):
        module.add_parsers(commands)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run the command line; returns the exit code instead of raising SystemExit. Every failure ends as
    one Chinese line on stderr and exit code 1 (cli_failures), never a traceback."""
    prepare_streams()
    setup_logging()
    return finish_output(lambda: _main(argv))


def _main(argv: list[str] | None) -> int:
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # --help, --version and usage errors
        return EXIT_OK if exc.code is None else exc.code if isinstance(exc.code, int) else EXIT_USAGE
    db = Path(args.db).absolute() if args.db else None
    return guarded(lambda: int(args.run(args)), db)
