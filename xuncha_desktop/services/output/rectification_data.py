"""What the rectification outputs (整改台账, 整改情况, 移交线索对账表, 整改质效评估) read: rounds and
units named on the command line, the feedback of a unit with its deadlines, tasks and 督导 history, and the
latest 督导 note of every task. Derived figures come from services.rectification; this module only
gathers them."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date

from xuncha_desktop.domain.classification import category_label
from xuncha_desktop.domain.errors import XunchaError
from xuncha_desktop.domain.organization import InspectionRound, TargetUnit
from xuncha_desktop.domain.record_types import FEEDBACK, SUPERVISION
from xuncha_desktop.domain.rectification import (
    RectificationFeedback,
    RectificationTask,
    SupervisionNote,
)
from xuncha_desktop.services.records.context_names import ContextNames, load_context_names
from xuncha_desktop.services.records.record_service import ListQuery, RecordService
from xuncha_desktop.services.rectification.evaluation import METRICS, RATE, EvaluationScheme, ScoreLine
from xuncha_desktop.services.rectification.tasks import TaskQuery, TaskService, UnitDeadline, deadlines
from xuncha_desktop.services.workspace import Workspace

PAGE_SIZE = 2000


def _normal(text: str) -> str:
    return "".join(text.split())


def resolve_round(ws: Workspace, text: str, names: ContextNames | None = None) -> InspectionRound:
    """The round `text` names (its name, spaces ignored, or its id); a Chinese error listing the rounds."""
    rounds = (names or load_context_names(ws)).rounds
    if text in rounds:
        return rounds[text]
    found = [r for r in rounds.values() if _normal(r.name) == _normal(text)]
    if len(found) == 1:
        return found[0]
    known = "、".join(f"“{r.name}”" for r in sorted(rounds.values(), key=lambda r: r.name)) or "无"
    if not found:
        raise XunchaError(f"找不到巡察轮次“{text}”；现有轮次：{known}")
    raise XunchaError(f"有 {len(found)} 个巡察轮次叫“{text}”，请改用轮次ID")


def resolve_unit(
    ws: Workspace, text: str, round_id: str = "", names: ContextNames | None = None
) -> TargetUnit:
    """The inspected unit `text` names (name or id), within round `round_id` when given. None or more
    than one found: a Chinese error naming where it was looked for, or the rounds to choose from."""
    names = names or load_context_names(ws)
    if text in names.targets:
        return names.targets[text]
    found = [
        t
        for t in names.targets.values()
        if _normal(t.name) == _normal(text) and (not round_id or t.round_id == round_id)
    ]
    if len(found) == 1:
        return found[0]
    if not found:
        where = f"轮次“{names.round(round_id)}”中" if round_id else ""
        raise XunchaError(f"{where}找不到被巡察单位“{text}”")
    rounds = "、".join(f"“{names.round(t.round_id)}”" for t in found)
    raise XunchaError(f"有 {len(found)} 个被巡察单位叫“{text}”，分属轮次 {rounds}；请用 --round 指定轮次名称")


def feedbacks(ws: Workspace, *, target_id: str = "", round_id: str = "") -> list[RectificationFeedback]:
    """The live 巡察反馈 of a unit or a round (or all), in number order."""
    filters = {k: v for k, v in (("target_id", target_id), ("round_id", round_id)) if v}
    service = RecordService[RectificationFeedback](ws, FEEDBACK)
    return list(service.iterate(ListQuery(filters=filters), batch=PAGE_SIZE))


def feedback_dates(ws: Workspace, round_id: str = "") -> dict[str, date | None]:
    """反馈日期 of every feedback (of the round), by feedback id: the ledger's 反馈日期 column."""
    return {f.id: f.given_on for f in feedbacks(ws, round_id=round_id)}


def latest_notes(ws: Workspace, round_id: str = "") -> dict[str, SupervisionNote]:
    """The latest 督导记录 of every task (of the round), by task id: one pass over the notes, keeping one
    per task, so a ledger of 20,000 tasks does not ask for each task's notes."""
    filters = {"round_id": round_id} if round_id else {}
    query = ListQuery(filters=filters)
    latest: dict[str, SupervisionNote] = {}
    for note in RecordService[SupervisionNote](ws, SUPERVISION).iterate(query, batch=PAGE_SIZE):
        kept = latest.get(note.task_id)
        if kept is None or (note.noted_on or date.min, note.number) >= (
            kept.noted_on or date.min,
            kept.number,
        ):
            latest[note.task_id] = note
    return latest


def task_count(ws: Workspace, query: TaskQuery) -> int:
    return TaskService(ws).count(query)


def iterate_tasks(ws: Workspace, query: TaskQuery) -> Iterator[RectificationTask]:
    """Every task the query finds, read PAGE_SIZE at a time."""
    service = TaskService(ws)
    offset = 0
    while True:
        page = service.list(query, offset=offset, limit=PAGE_SIZE)
        yield from page
        if len(page) < PAGE_SIZE:
            return
        offset += PAGE_SIZE


def category_text(code: str) -> str:
    """B2 → “B2 违反中央八项规定精神”; a category that is no code stays as written."""
    label = category_label(code) if code else ""
    return f"{code} {label}" if label and label != code else code


def note_text(note: SupervisionNote | None) -> str:
    if note is None:
        return ""
    who = f"（{note.noted_by}）" if note.noted_by else ""
    return f"{note.progress}{who}"


@dataclass(frozen=True)
class TaskReport:
    """One 整改任务 with its 督导 history, oldest first."""

    task: RectificationTask
    notes: list[SupervisionNote]


@dataclass(frozen=True)
class UnitReport:
    """Everything the 整改情况 of one unit shows: its feedback, deadlines, tasks and their 督导 notes."""

    feedback: RectificationFeedback
    unit_name: str
    round_name: str
    group_name: str
    deadlines: list[UnitDeadline]
    tasks: list[TaskReport]


def unit_report(
    ws: Workspace, feedback: RectificationFeedback, today: date, names: ContextNames
) -> UnitReport:
    service = TaskService(ws)
    tasks = [
        t
        for t in service.list(TaskQuery(target_id=feedback.target_id, today=today), limit=None)
        if t.feedback_id == feedback.id
    ]
    reports = [
        TaskReport(t, sorted(service.notes(t.id), key=lambda n: (n.noted_on or date.min, n.number)))
        for t in tasks
    ]
    dues = [d for d in deadlines(ws, today, round_id=feedback.round_id) if d.feedback_id == feedback.id]
    return UnitReport(
        feedback,
        names.target(feedback.target_id),
        names.round(feedback.round_id),
        names.group(feedback.group_id),
        dues,
        reports,
    )


def chosen_feedbacks(
    ws: Workspace, *, feedback_id: str = "", target_id: str = "", round_id: str = ""
) -> list[RectificationFeedback]:
    """The feedbacks a 整改情况 print covers: one by id, those of a unit, or those of a round (or all).
    None found: a Chinese error saying so."""
    if feedback_id:
        found = RecordService[RectificationFeedback](ws, FEEDBACK).get(feedback_id)
        if found.meta is not None and found.meta.deleted:
            raise XunchaError(f"巡察反馈“{found.number}”在回收站中，不能打印")
        return [found]
    chosen = feedbacks(ws, target_id=target_id, round_id=round_id)
    if not chosen:
        names = load_context_names(ws)
        where = f"被巡察单位“{names.target(target_id)}”" if target_id else "所选范围"
        raise XunchaError(f"{where}还没有巡察反馈记录，无法生成整改情况")
    return chosen


def points_text(points: float) -> str:
    """12.5 → “12.5”, 10.0 → “10”, -2.25 → “-2.25”."""
    text = f"{float(points):.2f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def score_value_text(line: ScoreLine, scheme: EvaluationScheme) -> str:
    """What a score line counted: a rate as a percentage, a count or the base as a number."""
    metrics = {item.label: item.metric for item in scheme.items}
    metric = metrics.get(line.label)
    if metric is not None and METRICS[metric][1] == RATE:
        return f"{line.value * 100:.1f}%"
    return points_text(line.value)
