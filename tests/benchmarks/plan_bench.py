"""Issue 12: a province-sized plan (3,000 organizations, 5,000 cadres, 40 rounds with their groups, members
and units) imported from its plan workbook into a fresh office workspace, against openpyxl merely reading
the same workbook; then the plan views and pool filters on it, each against 100 ms."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from openpyxl import Workbook, load_workbook

from tests.benchmarks.report import best_of, line, note, stopwatch
from xuncha_desktop.domain.cadre_pool import SPECIALITIES
from xuncha_desktop.domain.vocab import UNIT_KINDS
from xuncha_desktop.services.plan.cadre_pool import CadrePool, PoolQuery
from xuncha_desktop.services.plan.coverage import OrgQuery, count_orgs, org_rows, term_coverage
from xuncha_desktop.services.plan.plan_service import PlanService
from xuncha_desktop.services.plan.workbook import import_plan
from xuncha_desktop.services.plan.workbook_read import SHEETS
from xuncha_desktop.services.workspace import Workspace
from xuncha_desktop.storage.keyfile import KdfParams

PASSPHRASE = "基准测试-口令-2025"
ROLES = ("组长", "副组长", "组员", "组员", "联络员")
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
GIVEN = "建国文华海燕志强秀英明辉丽娟晓东红梅国庆玉兰春生桂芳"


def _name(i: int) -> str:
    return SURNAMES[i % len(SURNAMES)] + GIVEN[(i // 20) % len(GIVEN)] + GIVEN[(i // 400) % len(GIVEN)]


def _cadre_unit(i: int) -> str:
    return f"人才来源单位{i % 300:03d}"


def plan_rows(orgs: int, cadres: int, rounds: int, groups: int, members: int) -> dict[str, list[list[Any]]]:
    """Rows by sheet, in the layout's column order: `orgs` 党组织 shared out over the rounds' groups,
    `cadres` pool entries of whom `members` per group serve (some in several rounds, never twice in one)."""
    out: dict[str, list[list[Any]]] = {s.name: [] for s in SHEETS}
    for n in range(orgs):
        out["党组织名录"].append([f"第{n:04d}号党组织", UNIT_KINDS[n % len(UNIT_KINDS)], None, "是", None])
    for i in range(cadres):
        specialities = "、".join({SPECIALITIES[i % 10], SPECIALITIES[(i // 10) % 10]})
        status, reason = ("暂停", "借调") if i % 50 == 49 else ("在库", None)
        out["人才库"].append(
            [_name(i), "男女"[i % 2], f"{1965 + i % 30}-{1 + i % 12:02d}", "中共党员", _cadre_unit(i), "科员",
             None, specialities, status, reason]
        )  # fmt: skip
    per_round = max(orgs // rounds, 1)
    serving = max(min(cadres, groups * members * 24), groups * members)  # those who serve at all
    for r in range(rounds):
        year, ordinal = 2021 + r // 8, 1 + r % 8
        name = f"{year}年第{ordinal}轮巡察"
        start = date(year, 1 + (ordinal - 1) % 12, 1)
        out["轮次"].append([name, "常规", start, date(year, start.month, 28), year, ordinal, "四个聚焦"])
        for g in range(groups):
            group = f"第{g + 1}巡察组"
            out["巡察组"].append([name, group, g + 1])
            for p in range(members):
                i = (r * groups * members + g * members + p) % serving
                role = ROLES[p % len(ROLES)]
                home = f"{_cadre_unit(i)} 科员"
                out["组员"].append([name, group, _name(i), role, f"u{r:02d}{g}{p}", home, "抽调"])
        for k in range(per_round):
            n = r * per_round + k
            if n < orgs:
                org = out["党组织名录"][n]
                out["被巡察单位"].append([name, f"第{k % groups + 1}巡察组", org[0], org[1]])
    return out


def write_plan(path: Path, rows: dict[str, list[list[Any]]]) -> Path:
    book = Workbook(write_only=True)
    for sheet in SHEETS:
        ws = book.create_sheet(sheet.name)
        ws.append([c.header + ("*" if c.required else "") for c in sheet.columns])
        for row in rows[sheet.name]:
            ws.append(row)
    book.save(path)
    return path


def read_only(path: Path) -> int:
    """What openpyxl alone does for the import: open the workbook and read every cell of every sheet."""
    book = load_workbook(path, read_only=True, data_only=True)
    cells = sum(len(row) for ws in book.worksheets for row in ws.iter_rows(values_only=True))
    book.close()
    return cells


def bench_import(root: Path, path: Path) -> tuple[Workspace, float, float]:
    office = Workspace.create(root / "巡察办.xcdb", PASSPHRASE, office=True, kdf=KdfParams.cheap())
    read_s, cells = best_of(2, lambda: read_only(path))
    with stopwatch() as t:
        report = import_plan(office, path)
    assert not report.errors, report.errors[:5]
    note(f"plan workbook of {cells} cells: {report.created} records created in {t[0]:.2f} s")
    with stopwatch() as again:
        second = import_plan(office, path)
    assert (second.created, second.updated) == (0, 0)
    note(f"importing it again: {second.unchanged} records unchanged in {again[0]:.2f} s")
    return office, t[0], read_s


def views(office: Workspace) -> dict[str, Callable[[], object]]:
    plan, pool = PlanService(office), CadrePool(office)
    rounds = plan.rounds()
    last = rounds[-1]
    group = plan.groups(last.id)[0]
    return {
        "rounds": plan.rounds,
        "groups": lambda: plan.groups(last.id),
        "members": lambda: plan.members(group.id),
        "targets": lambda: plan.targets(group.id),
        # What the 人才库 and 党组织名录 screens read for one filter change: the first page and the count.
        "pool_find_speciality": lambda: _page(pool, PoolQuery(speciality="审计", status="在库")),
        "pool_find_times": lambda: _page(pool, PoolQuery(min_times=2, max_times=3)),
        "pool_find_text": lambda: _page(pool, PoolQuery(text="建国")),
        "term_coverage": lambda: term_coverage(office, with_orgs=False),
        "organizations_not_inspected": lambda: (
            org_rows(office, OrgQuery(inspected=False), limit=PAGE),
            count_orgs(office, OrgQuery(inspected=False)),
        ),
    }


PAGE = 200  # rows a plan list reads at a time (gui.plan.plan_editor)


def _page(pool: CadrePool, query: PoolQuery) -> object:
    return pool.rows(query, limit=PAGE), pool.count(query)


def run(root: Path, scale: float) -> None:
    orgs, cadres = max(int(3000 * scale), 40), max(int(5000 * scale), 50)
    rounds = max(int(40 * scale), 2)
    rows = plan_rows(orgs, cadres, rounds, groups=5, members=5)
    path = write_plan(root / "计划工作簿.xlsx", rows)
    note(
        f"plan: {orgs} organizations, {cadres} cadres, {rounds} rounds, {len(rows['巡察组'])} groups, "
        f"{len(rows['组员'])} members, {len(rows['被巡察单位'])} units"
    )
    office, import_s, read_s = bench_import(root, path)
    line("plan_import_vs_openpyxl_read_lower_better", import_s, "s", import_s / read_s, "5")
    for name, view in views(office).items():
        seconds, _result = best_of(3, view)
        line(f"plan_{name}_latency_lower_better", seconds * 1000, "ms", seconds / 0.1, "1")
    office.close()
