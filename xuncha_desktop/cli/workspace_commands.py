"""Sub-commands on one workspace as a whole: init, demo, stats, check."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from xuncha_desktop.cli.chinese_argparse import db_option, integer, positive_count
from xuncha_desktop.cli.common import (
    StderrProgress,
    open_for,
    passphrase,
    refuse_existing,
    remove_workspace_files,
    table,
)
from xuncha_desktop.cli.console import print_json
from xuncha_desktop.cli.failures import EXIT_DATA_ERROR, EXIT_OK
from xuncha_desktop.domain import vocab
from xuncha_desktop.services.workspace import Workspace
from xuncha_desktop.storage.keyfile import keyfile_path

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


def _cmd_init(args: argparse.Namespace) -> int:
    path = Path(args.db)
    refuse_existing(path)
    with Workspace.create(
        path, passphrase(confirm=True), office=args.office, user_name=args.user, role=args.role
    ) as ws:
        print(f"已创建{ws.info.role_label}：{ws.path}")
        print(f"密钥文件：{keyfile_path(ws.path)}（须与工作库放在同一文件夹，请一并妥善备份）")
        print(f"用户：{ws.user.display_name}（{ws.user.role}）")
    return EXIT_OK


def _cmd_demo(args: argparse.Namespace) -> int:
    path = Path(args.db)
    refuse_existing(path)
    ws = Workspace.create(path, passphrase(confirm=True), office=args.office)
    if args.office:
        return _office_demo(ws, args)
    from xuncha_desktop.services.demo.field_sync import build_field_demo
    from xuncha_desktop.services.statistics import workspace_figures

    try:
        with ws:
            records = 200 if args.records is None else args.records
            made = build_field_demo(ws, seed=args.seed, records=records, progress=StderrProgress())
            figures = workspace_figures(ws)
    except BaseException:
        remove_workspace_files(path)  # never leave a half-built demo behind
        raise
    counts = "、".join(
        f"{STAT_LABELS[k].strip()} {figures.count(k)}" for k in ("interviews", "drafts", "leads")
    )
    print(f"已生成演示工作库：{path.absolute()}（{counts}、干部评价 {figures.evaluations}）")
    if made.conflicts:
        print(f"待处理的冲突：{sum(made.conflicts.values())} 个（见“冲突处理”页面）")
    if made.waiting is not None:
        print(f"待导入的工作包：{made.waiting.absolute()}（菜单“文件 → 导入工作包…”）")
    print(f"演示说明：{made.readme.absolute()}")
    return EXIT_OK


def _office_demo(ws: Workspace, args: argparse.Namespace) -> int:
    from xuncha_desktop.services.demo.office import RECORDS, build_office_demo

    try:
        with ws:
            records = RECORDS if args.records is None else args.records
            summary = build_office_demo(ws, seed=args.seed, records=records, progress=StderrProgress())
            login = ws.user.login
    except BaseException:
        remove_workspace_files(ws.path)  # never leave a half-built demo behind
        raise
    print(f"已生成巡察办演示工作库：{ws.path.absolute()}（{summary.describe()}）")
    print(f"登录名：{login}")
    return EXIT_OK


def _summary_lines(scope_label: str, summary: Any) -> list[str]:
    from xuncha_desktop.services.office_statistics.figures import FIGURE_LABELS

    rows = [(f"  {label}", _shown(key, summary.value(key))) for key, label in FIGURE_LABELS.items()]
    return ["", f"巡察工作数据（{scope_label}）：", *table(rows)]


def _shown(key: str, value: Any) -> str:
    """A figure as the plain-text `stats` prints it: rates as percentages, 全覆盖 in percent already."""
    if value is None:
        return "—（无整改任务）"
    if key == "coverage_percent":
        return f"{value:.1f}%"
    if isinstance(value, float):
        return f"{value:.2%}"
    return str(value)


def _cmd_stats(args: argparse.Namespace) -> int:
    from xuncha_desktop.services.office_statistics.figures import summary
    from xuncha_desktop.services.office_statistics.scope import scope_for
    from xuncha_desktop.services.statistics import workspace_figures

    with open_for(args) as ws:
        scope = scope_for(ws, round_name=args.round or "", year=args.year or 0)
        figures = workspace_figures(ws)
        office = summary(ws, scope)
        scope_label = scope.label(ws)
        role_label = ws.info.role_label
    if args.json:
        print_json({**figures.as_json(), "summary": office.summary_json()})
        return EXIT_OK
    info = figures.workspace
    lines = table(
        [
            ("工作库", info.path),
            ("类型", role_label),
            ("副本标识", f"{info.replica_id}（第 {info.incarnation} 代）"),
            ("数据结构版本", info.schema_version),
        ]
    )
    lines += ["", *table([(label, figures.count(key)) for key, label in STAT_LABELS.items()])]
    by_status = (("问题底稿按状态", figures.drafts_by_status), ("问题线索按状态", figures.leads_by_status))
    for title, counts in by_status:
        lines += ["", f"{title}：", *table([(f"  {s}", n) for s, n in counts.items()])]
    lines += _summary_lines(scope_label, office)
    print("\n".join(lines))
    return EXIT_OK


def _cmd_check(args: argparse.Namespace) -> int:
    from xuncha_desktop.services.security.integrity import check_workspace

    with open_for(args) as ws:
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


def add_parsers(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    init = commands.add_parser(
        "init", help="新建空白工作库", description="新建一个空白的加密工作库及其密钥文件。"
    )
    db_option(init, "新工作库文件的路径（文件不得已存在）")
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
    db_option(demo, "演示工作库文件的路径（文件不得已存在）")
    demo.add_argument(
        "--seed", type=integer, default=1, metavar="N", help="随机种子，相同种子生成相同数据（默认：1）"
    )
    demo.add_argument(
        "--records",
        type=positive_count,
        default=None,
        metavar="N",
        help="生成的记录份数（默认：200，巡察办 360）",
    )
    demo.add_argument(
        "--office",
        action="store_true",
        help="生成巡察办演示工作库：党组织名录、巡察人才库、三轮巡察（两轮已结束、一轮进行中）及各组汇总的记录",
    )
    demo.set_defaults(run=_cmd_demo)

    stats = commands.add_parser(
        "stats",
        help="统计记录数量及巡察工作数据",
        description="统计工作库中各类记录的数量（不含回收站）及巡察工作数据（发现问题、移交线索等），可按轮次或年度统计。",
    )
    db_option(stats, "工作库文件的路径")
    stats.add_argument("--json", action="store_true", help="以 JSON 格式输出，便于脚本处理")
    within = stats.add_mutually_exclusive_group()
    within.add_argument("--round", default="", metavar="轮次名称", help="只统计该轮巡察（按轮次名称）")
    within.add_argument("--year", type=integer, default=0, metavar="YYYY", help="只统计该年度的各轮巡察")
    stats.set_defaults(run=_cmd_stats)

    check = commands.add_parser(
        "check",
        help="检查工作库完整性",
        description="检查数据库文件、审计日志哈希链、修订记录、当前版本与记录关联；"
        "发现问题时逐条列出并以退出码 1 结束。",
    )
    db_option(check, "工作库文件的路径")
    check.set_defaults(run=_cmd_check)
