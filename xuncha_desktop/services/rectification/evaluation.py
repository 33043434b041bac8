"""整改质效评估: a scored evaluation of each unit's rectification under a configurable, versioned scheme
(after the Fufeng-style deductions from 100 of domain README §2: completion rate, on-time rate, overdue
and unfinished tasks, 回头看 results, with 建章立制 and 问责 as bonuses), each score explained line by line.

A scheme is stored under its version and never changed under the same version, so a result exported with
its scheme version can always be reproduced; the office saves a changed scheme under a new version. The
versioning, checking and explained count lines are services.scoring's, shared with 巡察组质效评估."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any, cast

from sqlalchemy import Connection, and_, case, func, select

from xuncha_desktop.domain import rectification as rect
from xuncha_desktop.domain.errors import FieldError
from xuncha_desktop.domain.record_types import RECHECK, ROUND, TARGET, TASK
from xuncha_desktop.services import scoring
from xuncha_desktop.services.records.record_service import RecordService
from xuncha_desktop.services.rectification.recheck import RECHECK_KIND, earlier_round, revisited_units
from xuncha_desktop.services.workspace import Workspace
from xuncha_desktop.storage.tables import BUSINESS_TABLES

RATE, COUNT = scoring.RATE, scoring.COUNT
# metric → (label, kind). A rate item deducts up to its points by the share missing; a count item gives
# its points (negative: a deduction) per counted thing, limited to its cap.
METRICS: dict[str, tuple[str, str]] = {
    "completion_rate": ("整改完成率", RATE),
    "on_time_rate": ("按期完成率", RATE),
    "recheck_rate": ("回头看属实整改率", RATE),
    "overdue_tasks": ("逾期未完成任务", COUNT),
    "not_done_tasks": ("未完成任务", COUNT),
    "recheck_inadequate": ("回头看整改不到位", COUNT),
    "recheck_rebound": ("回头看反弹回潮", COUNT),
    "institutions": ("建章立制", COUNT),
    "accountability": ("问责", COUNT),
}
UNITS = {"overdue_tasks": "项", "not_done_tasks": "项", "recheck_inadequate": "项", "recheck_rebound": "项"}
UNITS |= {"institutions": "项", "accountability": "人次"}
# what each metric measures, for the plain explanation of an item (describe_item)
MEASURES = {
    "completion_rate": "已完成和基本完成持续整改的任务占全部任务的比例",
    "on_time_rate": "在时限内完成的任务占已完成或已到期任务的比例；尚无这样的任务时不扣分",
    "recheck_rate": "回头看复查为属实整改的任务占已复查任务的比例；未复查时不扣分",
    "overdue_tasks": "超过时限仍未完成的整改任务",
    "not_done_tasks": "状态为未完成的整改任务",
    "recheck_inadequate": "回头看复查为整改不到位的任务",
    "recheck_rebound": "回头看复查为反弹回潮的任务",
    "institutions": "整改中建立或修订的制度",
    "accountability": "整改中问责的人次",
}

SchemeItem = scoring.SchemeItem
ScoreLine = scoring.ScoreLine


@dataclass(frozen=True)
class EvaluationScheme(scoring.Scheme):
    name: str = "整改质效评估方案"


DEFAULT_SCHEME = EvaluationScheme(
    version="默认-1",
    items=(
        SchemeItem("completion_rate", "整改完成率", 40),
        SchemeItem("on_time_rate", "按期完成率", 20),
        SchemeItem("overdue_tasks", "逾期未完成任务", -2, 20),
        SchemeItem("not_done_tasks", "未完成任务", -3, 15),
        SchemeItem("recheck_inadequate", "回头看整改不到位", -3, 15),
        SchemeItem("recheck_rebound", "回头看反弹回潮", -5, 20),
        SchemeItem("institutions", "建章立制", 1, 5),
        SchemeItem("accountability", "问责", 0.5, 5),
    ),
)

FAMILY = scoring.SchemeFamily(
    title="整改质效评估方案",
    screen="整改质效评估",
    prefix="rectification.scheme/",
    current_key="rectification.scheme.current",
    audit_action="rect_scheme",
    metrics=METRICS,
    units=UNITS,
    measures=MEASURES,
    default=DEFAULT_SCHEME,
    scheme_class=EvaluationScheme,
    intro=(
        "各被巡察单位的整改质效得分 = 基础分 − 比率项按未达比例扣分 ± 计数项按个数加减分（以上限为限），"
        "最低 0 分。已保存的方案版本不能再修改：修改后请另存为新版本，以前按旧版本得出的结果仍可复核。"
    ),
)
CURRENT_KEY, SCHEME_PREFIX, AUDIT_ACTION = FAMILY.current_key, FAMILY.prefix, FAMILY.audit_action


@dataclass
class UnitEvaluation:
    target_id: str
    unit_name: str
    score: float
    lines: list[ScoreLine] = field(default_factory=list)
    rank: int = 0
    scheme_version: str = ""


# -- the scheme (services.scoring, bound to this family) -------------------------------------------------


def item_errors(scheme: scoring.Scheme) -> list[tuple[int, str]]:
    """What is wrong with each item: (its index in `scheme.items`, from 0; the message naming it)."""
    return scoring.item_errors(FAMILY, scheme)


def scheme_errors(scheme: scoring.Scheme) -> list[FieldError]:
    return scoring.scheme_errors(FAMILY, scheme)


may_save_scheme = scoring.may_save_scheme


def load_scheme(ws: Workspace, version: str = "") -> EvaluationScheme:
    """The current scheme (the default one until the office saves its own), or the one of `version`
    (RecordNotFound when no such version was saved)."""
    return cast(EvaluationScheme, scoring.load_scheme(ws, FAMILY, version))


def scheme_versions(ws: Workspace) -> list[str]:
    """Every version that can be loaded: the default, then the saved ones in name order."""
    return scoring.scheme_versions(ws, FAMILY)


def save_scheme(ws: Workspace, scheme: scoring.Scheme) -> None:
    """Store the scheme under its version and make it the current one (see scoring.save_scheme)."""
    scoring.save_scheme(ws, FAMILY, scheme)


# -- the figures of each unit ---------------------------------------------------------------------------


@dataclass
class UnitFacts:
    """What the scheme scores, counted for one unit."""

    tasks: int = 0
    done: int = 0
    done_basically: int = 0
    not_done: int = 0
    overdue: int = 0
    measured: int = 0  # tasks finished or past their 时限: the base of the on-time rate
    on_time: int = 0  # finished on or before the 时限
    institutions: int = 0
    accountability: int = 0
    rechecked: int = 0
    fulfilled: int = 0
    inadequate: int = 0
    rebound: int = 0


def _count_if(condition: Any) -> Any:
    return func.sum(case((condition, 1), else_=0))


def _round_is(conn: Connection, t: Any, round_id: str) -> Any:
    """The condition on the round: by its index when the round holds a small share of the tasks; as a
    plain scan when it holds most of them (reading most rows in index order costs a random page read,
    and decryption, per row: about five times a scan of the table)."""
    in_round = conn.execute(select(func.count()).where(t.c.round_id == round_id)).scalar_one()
    live = conn.execute(select(func.count()).where(t.c.deleted.is_(False))).scalar_one()
    if in_round * 3 < live:
        return t.c.round_id == round_id
    return func.coalesce(t.c.round_id, "") == round_id  # an expression: no index, a scan


def _task_facts(conn: Connection, round_id: str, today: date) -> dict[str, UnitFacts]:
    """One GROUP BY over the round's live tasks (portable SQL)."""
    t = BUSINESS_TABLES[TASK.key]
    finished = t.c.status.in_((rect.DONE, rect.DONE_BASICALLY))
    overdue = and_(t.c.status.in_(rect.OPEN_STATES), t.c.due_on < today)
    rows = conn.execute(
        select(
            t.c.target_id,
            func.count().label("tasks"),
            _count_if(t.c.status == rect.DONE).label("done"),
            _count_if(t.c.status == rect.DONE_BASICALLY).label("done_basically"),
            _count_if(t.c.status == rect.NOT_DONE).label("not_done"),
            _count_if(overdue).label("overdue"),
            _count_if(finished | (t.c.due_on < today)).label("measured"),
            _count_if(and_(finished, t.c.completed_on <= t.c.due_on)).label("on_time"),
            func.sum(t.c.institutions).label("institutions"),
            func.sum(t.c.accountability).label("accountability"),
        )
        .where(t.c.deleted.is_(False), _round_is(conn, t, round_id))
        .group_by(t.c.target_id)
    )
    return {
        row.target_id: UnitFacts(**{k: int(v or 0) for k, v in row._asdict().items() if k != "target_id"})
        for row in rows
    }


def _recheck_facts(
    conn: Connection, round_id: str, recheck_round_id: str, facts: dict[str, UnitFacts]
) -> None:
    """Add the re-check results of the round's tasks (made in `recheck_round_id`, or in any round)."""
    t, r = BUSINESS_TABLES[TASK.key], BUSINESS_TABLES[RECHECK.key]
    conds = [r.c.deleted.is_(False), t.c.deleted.is_(False), t.c.round_id == round_id]
    if recheck_round_id:
        conds.append(r.c.round_id == recheck_round_id)
    rows = conn.execute(
        select(t.c.target_id, r.c.result, func.count().label("n"))
        .select_from(r.join(t, t.c.id == r.c.task_id))
        .where(*conds)
        .group_by(t.c.target_id, r.c.result)
    )
    fields = dict(zip(rect.RECHECK_RESULTS, ("fulfilled", "inadequate", "rebound"), strict=True))
    for target_id, result, n in rows:
        unit = facts.get(target_id)
        if unit is None or result not in fields:
            continue
        unit.rechecked += int(n)
        setattr(unit, fields[result], getattr(unit, fields[result]) + int(n))


# -- scoring -------------------------------------------------------------------------------------------


def _pct(x: float) -> str:
    return f"{x * 100:.1f}%"


def _rate(metric: str, f: UnitFacts) -> tuple[float | None, str]:
    """The rate (None: nothing to measure yet) and how it was counted."""
    if metric == "completion_rate":
        finished = f.done + f.done_basically
        return finished / f.tasks, f"已完成 {f.done} 项、基本完成 {f.done_basically} 项，共 {f.tasks} 项"
    if metric == "on_time_rate":
        if not f.measured:
            return None, "尚无已完成或已到期的任务"
        return f.on_time / f.measured, f"按期完成 {f.on_time} 项，已完成或已到期 {f.measured} 项"
    if not f.rechecked:
        return None, "尚未回头看复查"
    return f.fulfilled / f.rechecked, f"复查 {f.rechecked} 项，属实整改 {f.fulfilled} 项"


COUNTED = {
    "overdue_tasks": "overdue",
    "not_done_tasks": "not_done",
    "recheck_inadequate": "inadequate",
    "recheck_rebound": "rebound",
    "institutions": "institutions",
    "accountability": "accountability",
}


def score_line(item: SchemeItem, f: UnitFacts) -> ScoreLine:
    """One scheme item applied to one unit, with its explanation."""
    if METRICS[item.metric][1] == RATE:
        rate, counted = _rate(item.metric, f)
        if rate is None:
            return ScoreLine(item.label, 1.0, 0.0, f"{counted}，不扣分")
        points = round(-item.points * (1 - rate), 2)
        text = f"{counted}，{item.label} {_pct(rate)}；{item.points:g} 分 × 未达比例 {_pct(1 - rate)}"
        return ScoreLine(item.label, rate, points, f"{text}，扣 {abs(points):.2f} 分")
    count = getattr(f, COUNTED[item.metric])
    return scoring.count_line(item, count, UNITS.get(item.metric, "项"))


def describe_item(item: SchemeItem) -> str:
    """How the item scores, in plain words (the same rule score_line applies)."""
    return scoring.describe_item(FAMILY, item)


def score_unit(target_id: str, name: str, f: UnitFacts, scheme: scoring.Scheme) -> UnitEvaluation:
    lines = [scoring.base_line(scheme, f"满分 {scheme.base:g} 分，按以下各项扣分、加分")]
    lines += [score_line(item, f) for item in scheme.items]
    total = scoring.total_of(lines)
    return UnitEvaluation(target_id, name, total, lines, scheme_version=scheme.version)


def evaluate_round(
    ws: Workspace, round_id: str, today: date, scheme: EvaluationScheme | None = None
) -> list[UnitEvaluation]:
    """Each unit with tasks in the round, scored under `scheme` (default: the current one) and ranked
    (highest first; equal scores share a rank). Each result carries the scheme's version. For a 回头看
    round: the units it revisits, their tasks of the earlier round and the results of this 回头看."""
    scheme = scheme or load_scheme(ws)
    task_round, recheck_round, only = round_id, "", None
    rnd = RecordService[Any](ws, ROUND).stored(round_id)
    if rnd.kind == RECHECK_KIND:
        earlier = earlier_round(ws, round_id)
        task_round, recheck_round = earlier.id, round_id
        only = set(revisited_units(ws, round_id, earlier.id))
    u = BUSINESS_TABLES[TARGET.key]
    with ws.engine.connect() as conn:
        facts = _task_facts(conn, task_round, today)
        _recheck_facts(conn, task_round, recheck_round, facts)
        names = dict(conn.execute(select(u.c.id, u.c.name).where(u.c.id.in_(list(facts)))).all())
    units = [
        score_unit(target_id, names.get(target_id, ""), f, scheme)
        for target_id, f in facts.items()
        if only is None or target_id in only
    ]
    return scoring.rank(units, lambda e: (e.unit_name, e.target_id))
