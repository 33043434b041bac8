"""Issue 13: an office workspace with 20,000 整改任务 across 2,000 units (written by the demo's batch
writer), then the task views the 整改监督 screens open — the overdue view (count and first page) and a
list filtered by state, round and group — each against the plain first page of all tasks and against
100 ms, and the 整改质效评估 of one round against 1 s."""

from __future__ import annotations

import random
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

from tests.benchmarks.report import best_of, line, note, stopwatch
from xuncha_desktop.domain import rectification as rect
from xuncha_desktop.domain.classification import framework_version
from xuncha_desktop.domain.organization import InspectionGroup, InspectionRound, TargetUnit
from xuncha_desktop.domain.record_types import GROUP, ROUND, TARGET, TASK
from xuncha_desktop.services.demo.build import Sink
from xuncha_desktop.services.progress import NullProgress
from xuncha_desktop.services.rectification.evaluation import evaluate_round
from xuncha_desktop.services.rectification.tasks import TaskQuery, TaskService
from xuncha_desktop.services.workspace import Workspace
from xuncha_desktop.storage.keyfile import KdfParams

PASSPHRASE = "基准测试-口令-2025"
ROUNDS, GROUPS = 10, 5
PAGE = 100  # the first page a list shows
STATES = (rect.NOT_STARTED, rect.IN_PROGRESS, rect.DONE, rect.DONE_BASICALLY, rect.NOT_DONE)
WEIGHTS = (5, 35, 40, 12, 8)
ISSUES = (
    "公务接待超标准",
    "“三会一课”落实不到位",
    "工程项目未公开招标",
    "津补贴违规发放",
    "选人用人程序不规范",
)


def _rounds(today: date) -> list[tuple[InspectionRound, list[InspectionGroup]]]:
    out = []
    for r in range(ROUNDS):
        start = today - timedelta(days=60 + 90 * (ROUNDS - r))
        rnd = InspectionRound(
            id=f"round-{r:02d}",
            name=f"{start.year}年第{r + 1}轮巡察",
            year=start.year,
            ordinal=r + 1,
            kind="常规",
            start_on=start,
            end_on=start + timedelta(days=60),
            framework="四个落实",
            framework_version=framework_version("四个落实"),
        )
        groups = [
            InspectionGroup(id=f"group-{r:02d}-{g}", round_id=rnd.id, ordinal=g + 1, name=f"第{g + 1}巡察组")
            for g in range(GROUPS)
        ]
        out.append((rnd, groups))
    return out


def _tasks(
    rng: random.Random,
    today: date,
    units: list[TargetUnit],
    per_unit: int,
    rounds: dict[str, InspectionRound],
) -> Iterator[rect.RectificationTask]:
    serial: dict[str, int] = {}
    for unit in units:
        rnd = rounds[unit.round_id]
        assert rnd.end_on is not None
        given = rnd.end_on + timedelta(days=20)
        for k in range(per_unit):
            status = rng.choices(STATES, WEIGHTS)[0]
            due = min(given + timedelta(days=rng.randint(20, 360)), today + timedelta(days=200))
            finished = status in (rect.DONE, rect.DONE_BASICALLY)
            done = min(due - timedelta(days=rng.randint(-20, 15)), today) if finished else None
            serial[unit.group_id] = serial.get(unit.group_id, 0) + 1
            group = int(unit.group_id.rsplit("-", 1)[1]) + 1
            yield rect.RectificationTask(
                id=f"task-{unit.id}-{k}",
                number=f"{rnd.year}-{rnd.ordinal}轮-{group}组-整改-{serial[unit.group_id]:03d}",
                round_id=unit.round_id,
                group_id=unit.group_id,
                target_id=unit.id,
                issue=ISSUES[k % len(ISSUES)],
                category="落实全面从严治党战略部署",
                responsible_unit=f"{unit.name}办公室",
                responsible_person="张建国（副局长）",
                measures="一是立行立改；二是建章立制；三是举一反三。",
                due_on=due,
                status=status,
                completed_on=done,
                institutions=rng.choice((0, 0, 1, 2)),
                accountability=rng.choice((0, 0, 0, 1)),
            )


def build(root: Path, tasks: int, units: int, today: date) -> Workspace:
    """The office workspace: ROUNDS rounds of GROUPS groups, `units` units shared out, `tasks` tasks."""
    office = Workspace.create(root / "巡察办.xcdb", PASSPHRASE, office=True, kdf=KdfParams.cheap())
    plan = _rounds(today)
    groups = [g for _, gs in plan for g in gs]
    targets = [
        TargetUnit(
            id=f"unit-{n:05d}",
            round_id=groups[n % len(groups)].round_id,
            group_id=groups[n % len(groups)].id,
            name=f"第{n:04d}号被巡察单位",
            kind="县直部门",
        )
        for n in range(units)
    ]
    rounds = {r.id: r for r, _ in plan}
    rng = random.Random(13)
    with office.writing() as writer:
        sink = Sink(writer, NullProgress(), len(groups) + units + tasks, today)
        sink.write(ROUND, [r for r, _ in plan])
        sink.write(GROUP, groups)
        sink.write(TARGET, targets)
        sink.write(TASK, _tasks(rng, today, targets, max(tasks // units, 1), rounds))
    return office


def run(root: Path, scale: float) -> None:
    tasks, units = max(int(20_000 * scale), 200), max(int(2_000 * scale), 20)
    today = date.today()
    with stopwatch() as t:
        office = build(root, tasks, units, today)
    note(f"rectification: {tasks} tasks across {units} units in {ROUNDS} rounds written in {t[0]:.2f} s")
    service = TaskService(office)
    rnd, group = "round-05", "group-05-2"
    plain_s, _ = best_of(5, lambda: service.list(TaskQuery(today=today), limit=PAGE))

    def overdue() -> int:
        query = TaskQuery(due="overdue", today=today)
        return service.count(query) + len(service.list(query, limit=PAGE))

    def filtered() -> int:
        query = TaskQuery(status=rect.IN_PROGRESS, round_id=rnd, group_id=group, today=today)
        return len(service.list(query, limit=PAGE))

    for name, view in (("overdue_view", overdue), ("filtered_list", filtered)):
        seconds, _ = best_of(5, view)
        line(f"rectification_{name}_vs_plain_list_lower_better", seconds * 1000, "ms", seconds / plain_s, "3")
        line(f"rectification_{name}_latency_lower_better", seconds * 1000, "ms", seconds / 0.1, "1")
    note(f"plain list (first {PAGE} of all tasks): {plain_s * 1000:.1f} ms")
    seconds, ranked = best_of(3, lambda: evaluate_round(office, rnd, today))
    note(f"evaluation of one round: {len(ranked)} units ranked")
    line("rectification_evaluate_round_latency_lower_better", seconds, "s", seconds / 1.0, "1")
    office.close()
