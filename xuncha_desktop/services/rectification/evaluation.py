"""整改质效评估: a scored evaluation of each unit's rectification under a configurable, versioned scheme
(after the Fufeng-style deductions from 100 of domain README §2: completion rate, on-time rate, overdue
and unfinished tasks, 回头看 results, with 建章立制 and 问责 as bonuses), each score explained line by line.

A scheme is stored under its version and never changed under the same version, so a result exported with
its scheme version can always be reproduced; the office saves a changed scheme under a new version."""

from __future__ import annotations

import dataclasses
import json
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import Connection, and_, case, func, select

from xuncha_desktop.domain import rectification as rect
from xuncha_desktop.domain import vocab
from xuncha_desktop.domain.errors import FieldError, RecordNotFound, ValidationError, WorkflowError
from xuncha_desktop.domain.record_types import RECHECK, ROUND, TARGET, TASK
from xuncha_desktop.services.records.record_service import RecordService
from xuncha_desktop.services.rectification.recheck import RECHECK_KIND, earlier_round, revisited_units
from xuncha_desktop.services.rectification.settings import read_setting, write_setting
from xuncha_desktop.services.workspace import Workspace
from xuncha_desktop.storage.tables import BUSINESS_TABLES, settings

CURRENT_KEY = "rectification.scheme.current"
SCHEME_PREFIX = "rectification.scheme/"
AUDIT_ACTION = "rect_scheme"
RATE, COUNT = "rate", "count"
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


@dataclass(frozen=True)
class SchemeItem:
    metric: str  # a key of METRICS
    label: str
    points: float  # rate: the most it deducts; count: points per thing counted (negative deducts)
    cap: float = 0.0  # count: the most it adds or deducts in all (0: no limit)


@dataclass(frozen=True)
class EvaluationScheme:
    version: str
    items: tuple[SchemeItem, ...]
    base: float = 100.0
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


@dataclass(frozen=True)
class ScoreLine:
    label: str
    value: float  # the rate (0–1) or the count
    points: float  # what the line adds (negative: deducts)
    explanation: str


@dataclass
class UnitEvaluation:
    target_id: str
    unit_name: str
    score: float
    lines: list[ScoreLine] = field(default_factory=list)
    rank: int = 0
    scheme_version: str = ""


# -- the scheme -----------------------------------------------------------------------------------------


def item_errors(scheme: EvaluationScheme) -> list[tuple[int, str]]:
    """What is wrong with each item: (its index in `scheme.items`, from 0; the message naming it)."""
    errors: list[tuple[int, str]] = []
    seen: set[str] = set()
    for i, item in enumerate(scheme.items):
        n = i + 1
        if item.metric not in METRICS:
            errors.append((i, f"第{n}项的评分指标“{item.metric}”无效"))
        elif item.metric in seen:
            errors.append((i, f"第{n}项与前面的评分项重复（{METRICS[item.metric][0]}）"))
        elif METRICS[item.metric][1] == RATE and item.points < 0:
            errors.append((i, f"第{n}项（{item.label}）的分值不能为负数"))
        if item.cap < 0:
            errors.append((i, f"第{n}项（{item.label}）的上限不能为负数"))
        seen.add(item.metric)
    return errors


def scheme_errors(scheme: EvaluationScheme) -> list[FieldError]:
    errors = []
    if not scheme.version.strip() or len(scheme.version) > 40:
        errors.append(FieldError("version", "请填写方案版本号（不超过 40 个字符）"))
    if not scheme.items:
        errors.append(FieldError("items", "评估方案至少要有一个评分项"))
    errors += [FieldError("items", message) for _i, message in item_errors(scheme)]
    if not 0 < scheme.base <= 1000:
        errors.append(FieldError("base", "基础分应大于 0、不超过 1000"))
    return errors


def may_save_scheme(ws: Workspace) -> bool:
    """Only the 巡察办管理员 changes the scheme (everyone may read it and evaluate under any version)."""
    return ws.user.role == vocab.OFFICE_ADMIN


def _to_json(scheme: EvaluationScheme) -> str:
    return json.dumps(dataclasses.asdict(scheme), ensure_ascii=False, sort_keys=True)


def _from_json(text: str) -> EvaluationScheme:
    data = json.loads(text)
    items = tuple(SchemeItem(**item) for item in data.pop("items"))
    return EvaluationScheme(items=items, **data)


def _stored(conn: Connection, version: str) -> EvaluationScheme | None:
    text = read_setting(conn, SCHEME_PREFIX + version)
    if text is None:
        return DEFAULT_SCHEME if version == DEFAULT_SCHEME.version else None
    return _from_json(text)


def load_scheme(ws: Workspace, version: str = "") -> EvaluationScheme:
    """The current scheme (the default one until the office saves its own), or the one of `version`
    (RecordNotFound when no such version was saved)."""
    with ws.engine.connect() as conn:
        wanted = version or read_setting(conn, CURRENT_KEY) or DEFAULT_SCHEME.version
        scheme = _stored(conn, wanted)
    if scheme is None:
        raise RecordNotFound(f"找不到整改质效评估方案“{wanted}”")
    return scheme


def scheme_versions(ws: Workspace) -> list[str]:
    """Every version that can be loaded: the default, then the saved ones in name order."""
    with ws.engine.connect() as conn:
        keys = conn.execute(select(settings.c.key).where(settings.c.key.startswith(SCHEME_PREFIX))).scalars()
        saved = sorted(k[len(SCHEME_PREFIX) :] for k in keys)
    return [DEFAULT_SCHEME.version, *(v for v in saved if v != DEFAULT_SCHEME.version)]


def save_scheme(ws: Workspace, scheme: EvaluationScheme) -> None:
    """Store the scheme under its version and make it the current one (one audited transaction). A
    version already used for other content is refused at 版本号: results exported under it stay true.
    Only the 巡察办管理员 saves (WorkflowError for anyone else)."""
    if not may_save_scheme(ws):
        raise WorkflowError(f"只有{vocab.OFFICE_ADMIN}可以修改整改质效评估方案（当前用户为{ws.user.role}）")
    errors = scheme_errors(scheme)
    if errors:
        raise ValidationError(errors, "整改质效评估方案")
    with ws.writing() as writer:
        existing = _stored(writer.conn, scheme.version)
        if existing is not None and existing != scheme:
            message = f"方案版本“{scheme.version}”已使用，修改后的方案请使用新的版本号"
            raise ValidationError([FieldError("version", message)], "整改质效评估方案")
        if existing is None:
            write_setting(writer.conn, SCHEME_PREFIX + scheme.version, _to_json(scheme))
        write_setting(writer.conn, CURRENT_KEY, scheme.version)
        writer.log(AUDIT_ACTION, version=scheme.version, items=len(scheme.items))


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
    raw = item.points * count
    points = max(-item.cap, min(item.cap, raw)) if item.cap else raw
    points = round(points, 2)
    unit = UNITS.get(item.metric, "项")
    verb = "扣" if item.points < 0 else "加"
    text = f"{item.label} {count} {unit} × {item.points:g} 分 = {raw:+.2f} 分"
    if points != round(raw, 2):
        text += f"，以 {item.cap:g} 分为限"
    return ScoreLine(item.label, float(count), points, f"{text}，{verb} {abs(points):.2f} 分")


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


def describe_item(item: SchemeItem) -> str:
    """How the item scores, in plain words (the same rule score_line applies)."""
    if item.metric not in METRICS:
        return ""
    measures = MEASURES[item.metric]
    if METRICS[item.metric][1] == RATE:
        if not item.points:
            return f"{measures}。不计分"
        step = item.points / 100
        return f"{measures}。达到 100% 不扣分，每低 1 个百分点扣 {step:g} 分，最多扣 {item.points:g} 分"
    unit = UNITS.get(item.metric, "项")
    if not item.points:
        return f"{measures}。不计分"
    verb = "扣" if item.points < 0 else "加"
    limit = f"最多{verb} {item.cap:g} 分" if item.cap else "不设上限"
    return f"{measures}。每{unit}{verb} {abs(item.points):g} 分，{limit}"


def score_unit(target_id: str, name: str, f: UnitFacts, scheme: EvaluationScheme) -> UnitEvaluation:
    lines = [ScoreLine("基础分", scheme.base, scheme.base, f"满分 {scheme.base:g} 分，按以下各项扣分、加分")]
    lines += [score_line(item, f) for item in scheme.items]
    total = round(sum(line.points for line in lines), 2)
    if total < 0:
        lines.append(ScoreLine("最低分", 0.0, -total, f"合计 {total:.2f} 分，最低计 0 分"))
        total = 0.0
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
    units.sort(key=lambda e: (-e.score, e.unit_name, e.target_id))
    for i, e in enumerate(units):
        e.rank = units[i - 1].rank if i and units[i - 1].score == e.score else i + 1
    return units
