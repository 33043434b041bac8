"""到期提醒 and 线索对账 (回头看 and 整改质效评估 in their own modules): each a RoundScreen — a round
chooser above the office's list-and-form widget (gui/plan PlanEditor) — described by an EditorSpec over the
rectification services' rows. Only what differs per screen is written here: which rows, which columns,
which form and how it is stored."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from xuncha_desktop.domain.rectification import LeadReconciliation
from xuncha_desktop.gui.pages.field_bindings import FieldBinding
from xuncha_desktop.gui.pages.record_table_model import Column
from xuncha_desktop.gui.plan.plan_editor import EditorSpec, RowQuery
from xuncha_desktop.gui.rectification.rect_context import RectContext
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
                    f"逾期 {-(d.days_left or 0)} 天",
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
            Column("应完成日期", lambda r: r.due, 6),
            Column("内容", lambda r: r.what, 22),
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
        label="对账记录",
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
