"""巡察反馈 as a record page of the 整改监督 area: the page machinery of gui/pages (RecordPage) hosts it,
built per workspace because the 问题清单 it offers are that workspace's signed 底稿. Saving a new 反馈
hands over the ticked 底稿 in one transaction (services.rectification.feedback.give_feedback: the
feedback and one 整改任务 per issue); the unit's deadlines are shown under the dates, an overdue one
marked in words and red."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import QLabel, QListWidget, QTableWidget, QTableWidgetItem

from xuncha_desktop.domain.errors import RecordNotFound
from xuncha_desktop.domain.issue_drafts import IssueDraft
from xuncha_desktop.domain.record_types import DRAFT, FEEDBACK
from xuncha_desktop.domain.rectification import FEEDBACK_FORMS, RectificationFeedback
from xuncha_desktop.gui.pages.choices import Choices
from xuncha_desktop.gui.pages.field_bindings import Choice
from xuncha_desktop.gui.pages.form_behaviours import FormHost
from xuncha_desktop.gui.pages.page_bindings import CONTEXT, MARKING, B
from xuncha_desktop.gui.pages.page_columns import field_column, target_column
from xuncha_desktop.gui.pages.page_types import FilterSpec, NewContext, PageSpec, plain
from xuncha_desktop.gui.pages.record_table_model import Column
from xuncha_desktop.services.records.context_names import ContextNames
from xuncha_desktop.services.records.record_service import RecordService
from xuncha_desktop.services.rectification.feedback import give_feedback, signed_drafts
from xuncha_desktop.services.rectification.tasks import UnitDeadline, deadlines
from xuncha_desktop.services.workspace import Workspace

OVERDUE_BRUSH = QBrush(QColor("#fde2e1"))
Today = Callable[[], date]


def deadline_text(d: UnitDeadline) -> str:
    """How a unit's deadline stands, in words (the colour only repeats it)."""
    if d.done_on is not None:
        return f"已完成（{d.done_on.isoformat()}）"
    if d.due_on is None:
        return "未定期限"
    if d.overdue:
        return f"【逾期】已超期 {-(d.days_left or 0)} 天"
    return f"还剩 {d.days_left} 天" if d.days_left is not None else "未到期"


def _overdue_plan_or_report(f: RectificationFeedback, today: date) -> str:
    late = [
        what
        for what, due, done in (
            ("整改方案", f.plan_due_on, f.plan_received_on),
            ("整改报告", f.report_due_on, f.report_received_on),
        )
        if due is not None and done is None and due < today
    ]
    return f"{'、'.join(late)}逾期未报送" if late else ""


def _draft_label(d: IssueDraft) -> str:
    return f"{d.number}　{d.title}"


def draft_choices(ws: Workspace) -> Callable[[Choices, Mapping[str, Any]], list[Choice]]:
    """The 问题清单 offered: the unit's signed 底稿 not yet fed back, and those this 反馈 already holds."""

    def offered(_c: Choices, values: Mapping[str, Any]) -> list[Choice]:
        target = values.get("target_id", "")
        if not target:
            return []
        found = [(d.id, _draft_label(d)) for d in signed_drafts(ws, target)]
        known = {value for value, _label in found}
        drafts = RecordService[IssueDraft](ws, DRAFT)
        for draft_id in values.get("draft_ids") or []:
            if draft_id not in known:
                try:
                    found.append((draft_id, _draft_label(drafts.get(draft_id))))
                except RecordNotFound:
                    found.append((draft_id, "（底稿已删除）"))
        return found

    return offered


def columns(today: Today) -> Callable[[ContextNames], list[Column[Any]]]:
    def build(names: ContextNames) -> list[Column[Any]]:
        def col(name: str, width: int, **how: Any) -> Column[Any]:
            return field_column(FEEDBACK, name, width, **how)

        return [
            col("number", 13),
            target_column(names),
            col("given_on", 6),
            col("form", 5),
            col("given_by", 5),
            col("draft_ids", 4, value=lambda f: len(f.draft_ids), header="问题数", sortable=False),
            col("plan_due_on", 6),
            col("plan_received_on", 6),
            col("report_due_on", 6),
            col("report_received_on", 6),
            Column("期限情况", lambda f: _overdue_plan_or_report(f, today()) or "—", 10),
        ]

    return build


def _bindings(ws: Workspace) -> tuple[Any, ...]:
    return (
        *CONTEXT,
        B("given_on", "givenOnDate"),
        B("form", "formCombo", FEEDBACK_FORMS),
        B("given_by", "givenByEdit"),
        B("attendees", "attendeesEdit"),
        B("draft_ids", "draftIdsList", draft_choices(ws), ("target_id",)),
        B("plan_due_on", "planDueOnDate"),
        B("plan_received_on", "planReceivedOnDate"),
        B("report_due_on", "reportDueOnDate"),
        B("report_received_on", "reportReceivedOnDate"),
        B("meeting_held_on", "meetingHeldOnDate"),
        B("note", "noteText"),
        MARKING,
    )


def drafts_behaviour(host: FormHost) -> None:
    """A new 反馈 ticks every offered 底稿 (all not yet fed back) whenever its unit is chosen; a stored one
    keeps what it handed over (its 整改任务 exist): its list is shown but not changed here."""
    form = host.form
    widget = form.widget_of("draft_ids")
    assert isinstance(widget, QListWidget)
    hint = form.find(QLabel, "draftsHintLabel")

    def offered() -> list[str]:
        return [str(widget.item(i).data(Qt.ItemDataRole.UserRole)) for i in range(widget.count())]

    def describe() -> None:
        shown = form.original
        stored = shown is not None and bool(shown.id)
        widget.setEnabled(not stored)
        if stored:
            hint.setText(f"已反馈问题 {len(shown.draft_ids)} 个（已生成整改任务）。")
        elif widget.count():
            hint.setText(
                f"该单位已审签、尚未反馈的问题底稿 {widget.count()} 个，默认全部反馈；"
                "保存时为勾选的每个问题生成一项整改任务。"
            )
        else:
            hint.setText("请选择被巡察单位：这里列出该单位已审签、尚未反馈的问题底稿。")

    def unit_chosen(field: str) -> None:
        if field == "target_id" and not form.loading and not (form.original and form.original.id):
            form.set_value("draft_ids", offered())
            describe()

    form.loaded.connect(describe)
    form.field_changed.connect(unit_chosen)


def deadlines_behaviour(ws: Workspace, today: Today) -> Callable[[FormHost], None]:
    """The unit's deadlines of a stored 反馈 as the service reckons them (settings' rule days)."""

    def install(host: FormHost) -> None:
        form = host.form
        table = form.find(QTableWidget, "deadlinesTable")
        table.setColumnCount(4)
        table.setHorizontalHeaderLabels(["事项", "应完成日期", "完成日期", "情况"])
        table.verticalHeader().hide()
        table.horizontalHeader().setStretchLastSection(True)

        def fill() -> None:
            shown = form.original
            rows: list[UnitDeadline] = []
            if shown is not None and shown.id:
                rows = [
                    d for d in deadlines(ws, today(), round_id=shown.round_id) if d.feedback_id == shown.id
                ]
            table.setRowCount(len(rows))
            for r, d in enumerate(rows):
                cells = (
                    d.what,
                    d.due_on.isoformat() if d.due_on else "",
                    d.done_on.isoformat() if d.done_on else "",
                    deadline_text(d),
                )
                for c, text in enumerate(cells):
                    item = QTableWidgetItem(text)
                    item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable)
                    if d.overdue:
                        item.setBackground(OVERDUE_BRUSH)
                    table.setItem(r, c, item)
            table.resizeColumnsToContents()

        form.loaded.connect(fill)

    return install


def feedback_spec(ws: Workspace, today: Today = date.today) -> PageSpec[RectificationFeedback]:
    def new(c: NewContext) -> RectificationFeedback:
        drafts = [d.id for d in signed_drafts(ws, c.target_id)] if c.target_id else []
        return RectificationFeedback(
            round_id=c.round_id,
            group_id=c.group_id,
            target_id=c.target_id,
            given_on=today(),
            given_by=c.user_name,
            draft_ids=drafts,
        )

    def save(workspace: Workspace, f: RectificationFeedback, **_how: Any) -> RectificationFeedback:
        if f.id:
            return RecordService[RectificationFeedback](workspace, FEEDBACK).save(f)
        stored, _tasks = give_feedback(workspace, f, draft_ids=list(f.draft_ids))
        return stored

    return PageSpec[RectificationFeedback](
        tab="整改监督",
        title="巡察反馈",
        record_type=FEEDBACK,
        columns=columns(today),
        heading=lambda f: f"巡察反馈 {f.number}",
        form_file="rect_feedback_form.ui",
        bindings=_bindings(ws),
        new_record=new,
        filters=(FilterSpec("form", "反馈方式", plain(FEEDBACK_FORMS)),),
        behaviours=(drafts_behaviour, deadlines_behaviour(ws, today)),
        save_record=save,
        highlight=lambda f: _overdue_plan_or_report(f, today()),
        search_placeholder="搜索反馈备注",
    )
