"""The `xuncha-desktop` command: the GUI by default, plus init/demo/stats/check for office scripts."""

from __future__ import annotations

import argparse
import getpass
import os
import re
import sys
import time
import unicodedata
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any, NoReturn

from xuncha_desktop import APP_DISPLAY_NAME, APP_NAME, __version__
from xuncha_desktop.cli_failures import (
    EXIT_DATA_ERROR,
    EXIT_OK,
    EXIT_USAGE,
    fail,
    finish_output,
    guarded,
)
from xuncha_desktop.console import prepare_streams, print_json
from xuncha_desktop.diagnostics import setup_logging
from xuncha_desktop.domain import vocab
from xuncha_desktop.domain.errors import WorkspaceError
from xuncha_desktop.services.keys import open_workspace
from xuncha_desktop.services.workspace import PASSPHRASE_ENV, USER_ENV, Workspace
from xuncha_desktop.services.workspace import exists as workspace_exists
from xuncha_desktop.storage.keyfile import keyfile_path
from xuncha_desktop.storage.workspace_lock import lock_path

PACKAGE_CODE_ENV = "XUNCHA_PACKAGE_CODE"

# Wrapping units for help text: an ASCII word (with its trailing space) or a single other character.
_TOKENS = re.compile(r"[\x21-\x7e]+ ?| |.")
_NO_LINE_START = frozenset("，。、：；！？）」”’》")  # Chinese punctuation never begins a line

# argparse's own English messages in Chinese; the last pattern wraps our own ArgumentTypeError texts.
_ARGPARSE_MESSAGES = (
    (r"the following arguments are required: (.*)", r"缺少必需的参数：\1"),
    (r"unrecognized arguments: (.*)", r"无法识别的参数：\1"),
    (r"argument (.+?): invalid choice: (.+?) \(choose from (.*)\)", r"参数 \1 的取值 \2 无效（可选：\3）"),
    (r"argument (.+?): expected one argument", r"参数 \1 需要一个值"),
    (r"argument (.+?): invalid \S+ value: (.*)", r"参数 \1 的取值 \2 无效"),
    (r"argument (.+?): not allowed with argument (.*)", r"参数 \1 不能与参数 \2 同时使用"),
    (r"argument (.+?): ignored explicit argument (.*)", r"参数 \1 不接受值 \2"),
    (r"ambiguous option: (.+?) could match (.*)", r"选项 \1 有歧义，可能是：\2"),
    (r"one of the arguments (.*) is required", r"必须提供以下参数之一：\1"),
    (r"argument (.+?): (.*)", r"参数 \1：\2"),
)

STAT_LABELS = {
    "interviews": "个别谈话记录",
    "drafts": "问题底稿",
    "leads": "问题线索",
    "evaluations": "干部评价",
    "portraits": "  其中：干部画像",
    "appraisals": "  其中：巡察干部鉴定",
    "attachments": "附件",
    "rounds": "巡察轮次",
    "groups": "巡察组",
    "members": "巡察组成员",
    "targets": "被巡察单位",
    "persons": "人员",
    "users": "用户",
    "links": "记录关联",
    "dictionary_entries": "分类字典条目",
    "recycle_bin": "回收站中的记录",
    "open_conflicts": "待处理的冲突",
    "revisions": "修订",
    "audit_entries": "审计日志条目",
}


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _translate(message: str) -> str:
    for pattern, replacement in _ARGPARSE_MESSAGES:
        if re.fullmatch(pattern, message, flags=re.DOTALL):
            return re.sub(pattern, replacement, message, count=1, flags=re.DOTALL)
    return message


class _HelpFormatter(argparse.HelpFormatter):
    """Chinese usage prefix, and wrapping and alignment by display width (a CJK character is two columns)."""

    def add_usage(
        self,
        usage: str | None,
        actions: Iterable[argparse.Action],
        groups: Iterable[argparse._MutuallyExclusiveGroup],
        prefix: str | None = None,
    ) -> None:
        super().add_usage(usage, actions, groups, "用法：" if prefix is None else prefix)

    def _split_lines(self, text: str, width: int) -> list[str]:
        lines, line = [], ""
        for token in _TOKENS.findall(" ".join(text.split())):
            if line and _width(line + token) > width and token not in _NO_LINE_START:
                lines.append(line.rstrip())
                line = token.lstrip()
            else:
                line += token
        return [*lines, line.rstrip()] if line.strip() else lines

    def _fill_text(self, text: str, width: int, indent: str) -> str:
        return "\n".join(indent + line for line in self._split_lines(text, width - len(indent)))

    def add_argument(self, action: argparse.Action) -> None:
        super().add_argument(action)
        if action.help is not argparse.SUPPRESS:
            width = _width(self._format_action_invocation(action)) + self._current_indent
            self._action_max_length = max(self._action_max_length, width)

    def _format_action(self, action: argparse.Action) -> str:
        text = super()._format_action(action)
        head = " " * self._current_indent + self._format_action_invocation(action)
        first, newline, rest = text.partition("\n")
        help_part = first[len(head) :].lstrip()
        if _width(head) == len(head) or not first.startswith(head) or not help_part:
            return text
        help_position = min(self._action_max_length + 2, self._max_help_position)
        if _width(head) + 2 <= help_position:
            return f"{head}{' ' * (help_position - _width(head))}{help_part}{newline}{rest}"
        return f"{head}\n{' ' * help_position}{help_part}{newline}{rest}"


class _Parser(argparse.ArgumentParser):
    """ArgumentParser that speaks Chinese: headings, the -h option and its error messages."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("formatter_class", _HelpFormatter)
        kwargs["add_help"] = False
        super().__init__(*args, **kwargs)
        self._positionals.title = "位置参数"
        self._optionals.title = "选项"
        self.add_argument("-h", "--help", action="help", default=argparse.SUPPRESS, help="显示本帮助并退出")

    def format_help(self) -> str:
        # argparse ends section headings with an ASCII colon; Chinese text takes the full-width one.
        return re.sub(r"^(\S[^\n]*?):$", r"\1：", super().format_help(), flags=re.MULTILINE)

    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        self.exit(EXIT_USAGE, f"{self.prog}：错误：{_translate(message)}\n")


def _count(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"应为整数，而不是“{text}”") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"应为正整数，而不是 {value}")
    return value


def _integer(text: str) -> int:
    try:
        return int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"应为整数，而不是“{text}”") from None


# -- helpers shared by the sub-commands ------------------------------------------------------------------
def _passphrase(*, confirm: bool = False) -> str:
    """XUNCHA_PASSPHRASE when set, else a hidden prompt (twice when a new workspace is made)."""
    from_env = os.environ.get(PASSPHRASE_ENV)
    if from_env is not None:
        return from_env
    try:
        first = getpass.getpass("请输入工作库口令：")
        if confirm and getpass.getpass("请再次输入口令：") != first:
            raise WorkspaceError("两次输入的口令不一致")
    except EOFError:
        raise WorkspaceError(f"没有输入口令（也可以用环境变量 {PASSPHRASE_ENV} 提供）") from None
    return first


def _open(args: argparse.Namespace) -> Workspace:
    path = Path(args.db)
    if not workspace_exists(path):  # before asking for a passphrase that would be useless
        raise WorkspaceError(f"找不到工作库文件“{path}”")
    Workspace.check_not_in_use(path)  # likewise: another program has it open
    # Throttles wrong passphrases and offers backups. The user is the one whose key slot the passphrase
    # opens; --user (before the sub-command) or XUNCHA_USER names whose slot that must be.
    return open_workspace(path, _passphrase(), user_login=getattr(args, "gui_user", None))


def _refuse_existing(path: Path) -> None:
    if path.exists() or keyfile_path(path).exists():
        raise WorkspaceError(f"工作库“{path}”已存在，不会覆盖")


def _remove_workspace_files(path: Path) -> None:
    for leftover in (path, keyfile_path(path), Path(f"{path}-wal"), Path(f"{path}-shm"), lock_path(path)):
        leftover.unlink(missing_ok=True)


def _table(rows: Sequence[tuple[str, object]]) -> list[str]:
    """Two aligned columns; CJK characters count as two columns wide."""
    widest = max((_width(label) for label, _ in rows), default=0)
    return [f"{label}{' ' * (widest - _width(label))}  {value}" for label, value in rows]


class _StderrProgress:
    """Progress on stderr, sparingly: a line per tenth of the way or per new stage, at most once a second."""

    def __init__(self) -> None:
        self._tenth = -1
        self._message = ""
        self._printed_at = 0.0

    def report(self, done: int, total: int, message: str = "") -> None:
        tenth = done * 10 // total if total > 0 else 0
        now = time.monotonic()
        new_stage = message != self._message and now - self._printed_at >= 1.0
        if tenth != self._tenth or new_stage:
            percent = f"{done * 100 // total:3d}%" if total > 0 else ""
            print(f"{percent} {message}".strip(), file=sys.stderr, flush=True)
            self._tenth, self._message, self._printed_at = tenth, message, now

    def check_cancelled(self) -> None:
        pass


# -- sub-commands ----------------------------------------------------------------------------------------
def _cmd_init(args: argparse.Namespace) -> int:
    path = Path(args.db)
    _refuse_existing(path)
    with Workspace.create(
        path, _passphrase(confirm=True), office=args.office, user_name=args.user, role=args.role
    ) as ws:
        print(f"已创建{ws.info.role_label}：{ws.path}")
        print(f"密钥文件：{keyfile_path(ws.path)}（须与工作库放在同一文件夹，请一并妥善备份）")
        print(f"用户：{ws.user.display_name}（{ws.user.role}）")
    return EXIT_OK


def _cmd_demo(args: argparse.Namespace) -> int:
    from xuncha_desktop.services.demo import build_demo
    from xuncha_desktop.services.statistics import workspace_stats

    path = Path(args.db)
    _refuse_existing(path)
    ws = Workspace.create(path, _passphrase(confirm=True))
    try:
        with ws:
            build_demo(ws, seed=args.seed, records=args.records, progress=_StderrProgress())
            stats = workspace_stats(ws)
    except BaseException:
        _remove_workspace_files(path)  # never leave a half-built demo behind
        raise
    counts = "、".join(f"{STAT_LABELS[k].strip()} {stats[k]}" for k in ("interviews", "drafts", "leads"))
    print(f"已生成演示工作库：{path.absolute()}（{counts}、干部评价 {stats['evaluations']}）")
    return EXIT_OK


def _cmd_stats(args: argparse.Namespace) -> int:
    from xuncha_desktop.services.statistics import workspace_stats

    with _open(args) as ws:
        stats = workspace_stats(ws)
        role_label = ws.info.role_label
    if args.json:
        print_json(stats)
        return EXIT_OK
    info = stats["workspace"]
    lines = _table(
        [
            ("工作库", info["path"]),
            ("类型", role_label),
            ("副本标识", f"{info['replica_id']}（第 {info['incarnation']} 代）"),
            ("数据结构版本", info["schema_version"]),
        ]
    )
    lines += ["", *_table([(label, stats[key]) for key, label in STAT_LABELS.items()])]
    for key, title in (("drafts_by_status", "问题底稿按状态"), ("leads_by_status", "问题线索按状态")):
        lines += ["", f"{title}：", *_table([(f"  {s}", n) for s, n in stats[key].items()])]
    print("\n".join(lines))
    return EXIT_OK


def _cmd_check(args: argparse.Namespace) -> int:
    from xuncha_desktop.services.integrity import check_workspace

    with _open(args) as ws:
        found = check_workspace(ws)
    problems = [p for p in found if not p.waiting]
    for problem in found:
        print(f"[{problem.area_label}] {problem.message}")
    if problems:
        print(f"检查未通过：发现 {len(problems)} 个问题", file=sys.stderr)
        return EXIT_DATA_ERROR
    waiting = len(found) - len(problems)
    pending = f"；另有 {waiting} 条修订正在等待其上一版本到达（不是损坏）" if waiting else ""
    print(f"检查通过：数据库文件、审计日志、修订记录、当前版本与记录关联均无问题{pending}")
    return EXIT_OK


def _run_gui(args: argparse.Namespace) -> int:
    from xuncha_desktop.app import run_gui  # Qt is loaded only when the GUI is wanted

    db_path = Path(args.db) if args.db else None  # None: the app's default in the per-user data folder
    passphrase = os.environ.get(PASSPHRASE_ENV)
    return int(run_gui(db_path, passphrase, smoke_test=args.smoke_test, user=args.gui_user))


def _package_code(args: argparse.Namespace) -> str | None:
    """The one-time 配置码 of a first provisioning: --code, else XUNCHA_PACKAGE_CODE."""
    return args.code if args.code else os.environ.get(PACKAGE_CODE_ENV) or None


def _cmd_export(args: argparse.Namespace) -> int:
    from xuncha_desktop.services.sync import export_package

    with _open(args) as ws:
        report = export_package(ws, Path(args.out), full=args.full, progress=_StderrProgress())
    kind = "完整" if report.kind == "full" else "增量"
    print(
        f"已导出{kind}工作包：{report.file}（修订 {report.revisions} 条，附件 {report.attachments} 个，"
        f"{report.size / 1024:.1f} KB）"
    )
    return EXIT_OK


def _cmd_provision(args: argparse.Namespace) -> int:
    from xuncha_desktop.services.sync import provision_package

    code = _package_code(args)
    with _open(args) as ws:
        report = provision_package(
            ws, Path(args.out), group_id=args.group, code=code, progress=_StderrProgress()
        )
    how = "以配置码保护（首次配置）" if code else "以本组密钥加密（已配置过的电脑）"
    print(f"已生成配置包：{report.file}（修订 {report.revisions} 条，{how}）")
    return EXIT_OK


def _cmd_import(args: argparse.Namespace) -> int:
    from xuncha_desktop.services.sync import import_packages

    with _open(args) as ws:
        reports = import_packages(
            ws,
            [Path(f) for f in args.files],
            dry_run=args.dry_run,
            code=_package_code(args),
            progress=_StderrProgress(),
            accept_identity=args.accept_identity,
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
    from xuncha_desktop.services.reidentify import reidentify

    with _open(args) as ws:
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


# The same as services.pdf_export.PDF_KINDS and services.excel_export.LEDGER_KINDS (a test compares them):
# written out so that parsing the command line does not load the PDF and Excel libraries.
PDF_KINDS = ("interview", "draft", "lead", "evaluation", "appraisal")
LEDGER_KINDS = ("interview", "draft", "lead", "evaluation", "statistics")
# Who sees the 反映人 of leads in prints and ledgers (the others get 已隐藏).
REPORTER_READERS = ("组长", "副组长", vocab.OFFICE_ADMIN)


def _cmd_print(args: argparse.Namespace) -> int:
    from xuncha_desktop.services.pdf_export import print_records

    with _open(args) as ws:
        result = print_records(
            ws,
            args.kind,
            Path(args.out),
            record_id=args.id,
            progress=_StderrProgress(),
            hide_reporter=ws.user.role not in REPORTER_READERS,
        )
    print(f"已生成 PDF：{result.path}（{result.records} 份记录，{result.pages} 页）")
    for line in result.fonts:
        print(f"字体：{line}")
    if result.missing:
        chars = "、".join(sorted({m.char for m in result.missing}))
        print(f"注意：字体缺少以下字符，已以 □ 占位（文字层仍保留原字）：{chars}", file=sys.stderr)
    return EXIT_OK


def _cmd_ledger(args: argparse.Namespace) -> int:
    from xuncha_desktop.services.excel_export import write_ledger

    with _open(args) as ws:
        result = write_ledger(
            ws,
            args.kind,
            Path(args.out),
            _StderrProgress(),
            hide_reporter=ws.user.role not in REPORTER_READERS,
        )
    rows = "，".join(f"{sheet} {n} 行" for sheet, n in result.rows.items())
    print(f"已生成台账：{result.path}（{rows}）")
    return EXIT_OK


# -- the parser ------------------------------------------------------------------------------------------
def _db_option(parser: argparse.ArgumentParser, help_text: str) -> None:
    parser.add_argument("--db", required=True, metavar="路径", help=help_text)


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
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

    init = commands.add_parser(
        "init", help="新建空白工作库", description="新建一个空白的加密工作库及其密钥文件。"
    )
    _db_option(init, "新工作库文件的路径（文件不得已存在）")
    init.add_argument("--office", action="store_true", help="建立巡察办工作库（默认为巡察组现场工作库）")
    init.add_argument("--user", default="", metavar="姓名", help="首位用户的姓名（默认：管理员）")
    init.add_argument(
        "--role",
        default="",
        choices=vocab.USER_ROLES,
        metavar="角色",
        help=f"首位用户的角色：{'、'.join(vocab.USER_ROLES)}（默认：现场为组长，巡察办为巡察办管理员）",
    )
    init.set_defaults(run=_cmd_init)

    demo = commands.add_parser(
        "demo",
        help="生成演示工作库",
        description="新建工作库并填入可复现的演示数据（轮次、巡察组、记录等）。",
    )
    _db_option(demo, "演示工作库文件的路径（文件不得已存在）")
    demo.add_argument(
        "--seed", type=_integer, default=1, metavar="N", help="随机种子，相同种子生成相同数据（默认：1）"
    )
    demo.add_argument("--records", type=_count, default=200, metavar="N", help="生成的记录份数（默认：200）")
    demo.set_defaults(run=_cmd_demo)

    stats = commands.add_parser(
        "stats", help="统计记录数量", description="统计工作库中各类记录的数量（不含回收站）。"
    )
    _db_option(stats, "工作库文件的路径")
    stats.add_argument("--json", action="store_true", help="以 JSON 格式输出，便于脚本处理")
    stats.set_defaults(run=_cmd_stats)

    check = commands.add_parser(
        "check",
        help="检查工作库完整性",
        description="检查数据库文件、审计日志哈希链、修订记录、当前版本与记录关联；"
        "发现问题时逐条列出并以退出码 1 结束。",
    )
    _db_option(check, "工作库文件的路径")
    check.set_defaults(run=_cmd_check)

    export = commands.add_parser(
        "export",
        help="导出工作包（现场 → 巡察办）",
        description="把本工作库中巡察办尚未确认收到的修订、附件导出为加密工作包（只有巡察办和本组能打开）。"
        "工作库须已导入过巡察办的配置包。",
    )
    _db_option(export, "工作库文件的路径")
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
    _db_option(provision, "巡察办工作库文件的路径")
    provision.add_argument(
        "--out", required=True, metavar="文件", help="配置包文件路径（建议以 .xcpkg 结尾）"
    )
    provision.add_argument("--group", metavar="巡察组ID", help="要配置的巡察组（只有一个巡察组时可省略）")
    provision.add_argument(
        "--code", metavar="配置码", help=f"一次性配置码（也可用环境变量 {PACKAGE_CODE_ENV} 提供）"
    )
    provision.set_defaults(run=_cmd_provision)

    imp = commands.add_parser(
        "import",
        help="导入并合并工作包",
        description="导入一个或多个工作包并合并：重复导入不产生变化；两边改了同一字段的记录列为冲突待人工处理；"
        "导入前自动备份；有被拒绝的工作包时以退出码 1 结束。",
    )
    _db_option(imp, "工作库文件的路径")
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

    reidentify = commands.add_parser(
        "reidentify",
        help="重新确定身份（复制的工作库）",
        description="同一个现场工作库被复制到两台电脑后分别使用时，巡察办只能接受其中一份；"
        "在被拒绝的那台电脑上执行本命令：工作库改用新的身份和密钥，巡察办没有的修订以新身份重新签发"
        "（记录编号和内容不变），之前先自动备份。之后导出的工作包须由巡察办核实后以 "
        "import --accept-identity 接受。",
    )
    _db_option(reidentify, "现场工作库文件的路径")
    reidentify.add_argument(
        "--package",
        metavar="配置包",
        help="巡察办为本组生成的最新配置包：据此只重新签发巡察办没有的修订（建议提供）",
    )
    reidentify.set_defaults(run=_cmd_reidentify)

    printing = commands.add_parser(
        "print",
        help="打印为 PDF",
        description="按公文版式生成 PDF：谈话记录、问题底稿、线索登记表、干部画像或巡察干部鉴定表。",
    )
    _db_option(printing, "工作库文件的路径")
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
    _db_option(ledger, "工作库文件的路径")
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
