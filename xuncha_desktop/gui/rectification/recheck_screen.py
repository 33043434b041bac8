"""回头看 as a RoundScreen spec: choose a 回头看 round; per unit it revisits, the earlier round's issues with
their rectification state, and the re-check result recorded per issue (属实整改 / 整改不到位 / 反弹回潮)."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

from xuncha_desktop.domain.rectification import RECHECK_RESULTS, RecheckResult
from xuncha_desktop.gui.pages.field_bindings import FieldBinding
from xuncha_desktop.gui.pages.record_table_model import Column
from xuncha_desktop.gui.plan.plan_editor import EditorSpec, RowQuery
from xuncha_desktop.gui.rectification.rect_context import RectContext
from xuncha_desktop.services.rectification.recheck import RecheckItem, recheck_items, record_recheck

B = FieldBinding


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


def mark(item: RecheckItem) -> str:
    """整改不到位 and 反弹回潮 stand out (their text says so in the 复查结论 column too)."""
    return "overdue" if item.result is not None and item.result.result in RECHECK_RESULTS[1:] else ""


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
