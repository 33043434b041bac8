"""到期提醒, 线索对账, 回头看 and 整改质效评估: each a RoundScreen — a round chooser above the office's list-and-form
widget (gui/plan PlanEditor) — described by an EditorSpec over the rectification services' rows. Only what
differs per screen is written here: which rows, which columns, which form and how it is stored."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from xuncha_desktop.domain.rectification import RECHECK_RESULTS, LeadReconciliation, RecheckResult
from xuncha_desktop.gui.pages.field_bindings import FieldBinding
from xuncha_desktop.gui.pages.record_table_model import Column
from xuncha_desktop.gui.pages.table_rows import TableColumn
from xuncha_desktop.gui.plan.plan_editor import EditorSpec, RowQuery
from xuncha_desktop.gui.rectification.feedback_page import deadline_text
from xuncha_desktop.gui.rectification.rect_context import RectContext
from xuncha_desktop.services.rectification.evaluation import UnitEvaluation, evaluate_round, load_scheme
from xuncha_desktop.services.rectification.recheck import RecheckItem, recheck_items, record_recheck
from xuncha_desktop.services.rectification.reconciliation import (
    ReconciliationLine,
    mark_reconciled,
    reconcile_round,
)
from xuncha_desktop.services.rectification.tasks import TaskQuery, TaskService, deadlines

B = FieldBinding


def _date(d: date | None) -> str:
    return d.isoformat() if d is not None else ""


# -- 到期提醒 -----------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Reminder:
    """One line of 到期提醒: an overdue or due-soon 整改任务, or an overdue deadline of a unit."""

    id: str  # the task's or the feedback's id
    kind: str  # 整改任务 | 整改方案 | 整改报告 | 专题民主生活会
    type_key: str  # "task" | "feedback": where it opens
    unit: str
    what: str
    due: str
    mark: str  # 逾期 12 天 / 5 天后到期
    overdue: bool


def reminders(rc: RectContext, round_id: str) -> list[Reminder]:
    today = rc.today()
    tasks = TaskService(rc.ws)
    rows: list[Reminder] = []
    for due in ("overdue", "soon"):
        for t in tasks.list(TaskQuery(round_id=round_id, due=due, today=today)):
            rows.append(
                Reminder(
                    t.id,
                    "整改任务",
                    "task",
                    t.responsible_unit,
                    f"{t.number} {t.issue}",
                    _date(t.due_on),
                    rc.due_mark(t),
                    due == "overdue",
                )
            )
    for d in deadlines(rc.ws, today, round_id=round_id):
        if d.overdue:
            rows.append(
                Reminder(
                    d.feedback_id,
                    d.what,
                    "feedback",
                    d.unit_name,
                    f"{d.what}逾期未完成",
                    _date(d.due_on),
                    deadline_text(d),
                    True,
                )
            )
    return rows


def reminder_spec(rc: RectContext) -> EditorSpec:
    return EditorSpec(
        key="reminder",
        label="到期提醒",
        form_file="rect_reminder_form.ui",
        bindings=(
            B("kind", "kindLabel", read_only=True),
            B("unit", "unitLabel", read_only=True),
            B("what", "whatLabel", read_only=True),
            B("due", "dueLabel", read_only=True),
            B("mark", "markLabel", read_only=True),
        ),
        columns=(
            Column("情况", lambda r: ("⚠ " if r.overdue else "") + r.mark, 8),
            Column("事项", lambda r: r.kind, 6),
            Column("被巡察单位", lambda r: r.unit, 10),
            Column("内容", lambda r: r.what, 22),
            Column("应完成日期", lambda r: r.due, 6),
        ),
        heading=lambda r: f"{r.kind}：{r.unit}",
        new_record=lambda _parent: None,
        rows=lambda q: reminders(rc, q.parent_id),
        save=lambda r, _reason: r,
        background=True,
        row_id=lambda r: f"{r.kind}:{r.id}",
    )


# -- 线索对账 -----------------------------------------------------------------------------------------------
def reconciliation_spec(rc: RectContext) -> EditorSpec:
    shown = {"round": ""}  # the round whose lines are listed (the rows carry no round)

    def rows(q: RowQuery) -> list[ReconciliationLine]:
        shown["round"] = q.parent_id
        return reconcile_round(rc.ws, q.parent_id, rc.today()) if q.parent_id else []

    def record_of(line: ReconciliationLine) -> LeadReconciliation:
        return LeadReconciliation(
            round_id=shown["round"],
            organ=line.organ,
            reconciled_on=rc.today(),
            reconciled_by=rc.user_name,
        )

    def count(name: str, header: str) -> Column[Any]:
        return Column(header, lambda line: getattr(line, name), 5, align_right=True)

    return EditorSpec(
        key="reconciliation",
        label="线索对账",
        form_file="rect_reconciliation_form.ui",
        bindings=(
            B("organ", "organLabel", read_only=True),
            B("reconciled_on", "reconciledOnDate"),
            B("reconciled_by", "reconciledByEdit"),
            B("note", "noteText"),
        ),
        columns=(
            Column("接收机关", lambda line: line.organ, 6),
            count("transferred", "移交线索"),
            count("persons", "涉及人数"),
            count("feedback_received", "已反馈"),
            count("cases_opened", "立案"),
            count("sanctions", "处分"),
            count("org_handlings", "组织处理"),
            count("judicial", "移送司法"),
            Column(
                "超期未反馈", lambda line: f"⚠ {line.overdue}" if line.overdue else "0", 6, align_right=True
            ),
            Column("已对账", lambda line: _date(line.reconciled_on) or "未对账", 6),
        ),
        heading=lambda r: f"{r.organ} 对账",
        new_record=lambda _parent: None,
        rows=rows,
        save=lambda r, _reason: mark_reconciled(
            rc.ws, r.round_id, r.organ, on=r.reconciled_on, by=r.reconciled_by, note=r.note
        ),
        record_of=record_of,
        parent_label="巡察轮次",
        row_id=lambda line: line.organ,
    )


# -- 回头看 -------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class RecheckRow(RecheckResult):
    """A re-check result as the form shows it: with the unit, the issue and its rectification state."""

    unit_name: str = ""
    issue: str = ""
    task_state: str = ""


RESULT_FIELDS = tuple(f.name for f in dataclasses.fields(RecheckResult))


def _recheck_row(item: RecheckItem, round_id: str, rc: RectContext) -> RecheckRow:
    t = item.task
    found = item.result or RecheckResult(
        round_id=round_id, target_id=t.target_id, task_id=t.id, checked_on=rc.today(), checked_by=rc.user_name
    )
    values = {name: getattr(found, name) for name in RESULT_FIELDS}
    state = (
        t.status
        + ("，已销号" if t.closed_on else "")
        + ("，已验收" if t.accepted_on and not t.closed_on else "")
    )
    return RecheckRow(**values, unit_name=item.unit_name, issue=t.issue, task_state=state)


def recheck_spec(rc: RectContext) -> EditorSpec:
    items: dict[str, RecheckItem] = {}
    shown = {"round": ""}

    def rows(q: RowQuery) -> list[RecheckItem]:
        shown["round"] = q.parent_id
        found = recheck_items(rc.ws, q.parent_id) if q.parent_id else []
        items.clear()
        items.update({i.task.id: i for i in found})
        return found

    def save(row: RecheckRow, _reason: str) -> RecheckRow:
        stored = record_recheck(rc.ws, RecheckResult(**{n: getattr(row, n) for n in RESULT_FIELDS}))
        item = items.get(row.task_id)
        if item is None:
            return dataclasses.replace(row, id=stored.id, number=stored.number)
        return _recheck_row(dataclasses.replace(item, result=stored), row.round_id, rc)

    def result_text(item: RecheckItem) -> str:
        return item.result.result if item.result is not None else "未复查"

    return EditorSpec(
        key="recheck",
        label="复查结论",
        form_file="rect_recheck_form.ui",
        bindings=(
            B("unit_name", "unitLabel", read_only=True),
            B("issue", "issueLabel", read_only=True),
            B("task_state", "taskStateLabel", read_only=True),
            B("result", "resultCombo", RECHECK_RESULTS, optional=True),
            B("checked_on", "checkedOnDate"),
            B("checked_by", "checkedByEdit"),
            B("finding", "findingText"),
        ),
        columns=(
            Column("被巡察单位", lambda i: i.unit_name, 10),
            Column("原轮次", lambda i: i.earlier_round, 8),
            Column("整改任务", lambda i: i.task.number, 11),
            Column("反馈问题", lambda i: i.task.issue, 18),
            Column("整改状态", lambda i: i.task.status, 6),
            Column("复查结论", result_text, 6),
        ),
        heading=lambda r: f"复查：{r.issue[:30]}",
        new_record=lambda _parent: None,
        rows=rows,
        save=save,
        record_of=lambda i: _recheck_row(i, shown["round"], rc),
        parent_label="回头看轮次",
        background=False,
        row_id=lambda i: i.result.id if i.result is not None else f"task:{i.task.id}",
    )


# -- 整改质效评估 -------------------------------------------------------------------------------------------
LINE_COLUMNS = (
    TableColumn("label", "评分项目", width=8),
    TableColumn("value", "实际情况", width=6),
    TableColumn("points", "得分", width=4),
    TableColumn("explanation", "计分说明"),
)


@dataclass(frozen=True)
class EvaluationView:
    """One unit's evaluation as the form shows it: its score and how each line was reached."""

    id: str
    rank: int
    unit_name: str
    score: str
    scheme: str
    lines: list[dict[str, Any]] = field(default_factory=list)


def _points(value: float) -> str:
    return f"{value:+.1f}" if value else "0"


def evaluations(rc: RectContext, round_id: str) -> list[EvaluationView]:
    version = load_scheme(rc.ws).version
    ranked: list[UnitEvaluation] = evaluate_round(rc.ws, round_id, rc.today())
    return [
        EvaluationView(
            e.target_id,
            rank,
            e.unit_name,
            f"{e.score:.1f}",
            version,
            [
                {
                    "label": s.label,
                    "value": str(s.value),
                    "points": _points(s.points),
                    "explanation": s.explanation,
                }
                for s in e.lines
            ],
        )
        for rank, e in enumerate(ranked, start=1)
    ]


def evaluation_spec(rc: RectContext) -> EditorSpec:
    return EditorSpec(
        key="evaluation",
        label="整改质效评估",
        form_file="rect_evaluation_form.ui",
        bindings=(
            B("unit_name", "unitLabel", read_only=True),
            B("score", "scoreLabel", read_only=True),
            B("scheme", "schemeLabel", read_only=True),
            B("lines", "linesTable", read_only=True, columns=LINE_COLUMNS),
        ),
        columns=(
            Column("名次", lambda v: v.rank, 3, align_right=True),
            Column("被巡察单位", lambda v: v.unit_name, 14),
            Column("得分", lambda v: v.score, 5, align_right=True),
        ),
        heading=lambda v: f"第 {v.rank} 名　{v.unit_name}　{v.score} 分",
        new_record=lambda _parent: None,
        rows=lambda q: evaluations(rc, q.parent_id) if q.parent_id else [],
        save=lambda v, _reason: v,
        parent_label="巡察轮次",
        background=True,
    )


ScreenSpec = Callable[[RectContext], EditorSpec]
