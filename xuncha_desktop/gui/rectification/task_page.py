"""整改任务 as a record page of the 整改监督 area (RecordPage hosts it): filters by status and by 逾期 /
即将到期 (TaskService's query), overdue and due-soon rows in colour and in words, the 问题底稿 it came from
one click away, its 督导记录, evidence in the page's attachments panel, and 验收… / 销号."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QLabel,
    QPushButton,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QTableWidget,
    QTableWidgetItem,
    QWidget,
)

from xuncha_desktop.domain.errors import RecordNotFound
from xuncha_desktop.domain.issue_drafts import IssueDraft
from xuncha_desktop.domain.record_types import DRAFT, FEEDBACK, TASK
from xuncha_desktop.domain.rectification import (
    TASK_STATES,
    RectificationFeedback,
    RectificationTask,
    SupervisionNote,
)
from xuncha_desktop.gui.pages.form_behaviours import FormHost
from xuncha_desktop.gui.pages.page_bindings import CONTEXT, MARKING, B
from xuncha_desktop.gui.pages.page_columns import field_column, target_column
from xuncha_desktop.gui.pages.page_types import (
    FilterSpec,
    PageAction,
    PageContext,
    PageSpec,
    plain,
)
from xuncha_desktop.gui.pages.record_table_model import Column, RecordTableModel
from xuncha_desktop.gui.rectification.record_dialog import RecordDialog, run_record_dialog
from xuncha_desktop.gui.rectification.rect_context import RectContext
from xuncha_desktop.services.records.context_names import ContextNames
from xuncha_desktop.services.records.record_service import ListQuery, RecordService
from xuncha_desktop.services.rectification.tasks import TaskQuery, TaskService
from xuncha_desktop.services.workspace import Workspace

SOON_BRUSH = QBrush(QColor("#fff1c2"))  # due soon; overdue rows keep the lists' red (RecordTableModel)
DUE_FILTER = (("overdue", "已逾期"), ("soon", "即将到期"))
NOTE_BINDINGS = (
    B("noted_on", "notedOnDate"),
    B("noted_by", "notedByEdit"),
    B("progress", "progressText"),
    B("status_then", "statusThenCombo", TASK_STATES, optional=True),
)
ACCEPT_BINDINGS = (
    B("accepted_by", "acceptedByEdit"),
    B("accepted_on", "acceptedOnDate"),
    B("acceptance_opinion", "acceptanceOpinionText"),
)
BINDINGS = (
    *CONTEXT,
    B("issue", "issueText"),
    B("category", "categoryEdit"),
    B("responsible_unit", "responsibleUnitEdit"),
    B("responsible_person", "responsiblePersonEdit"),
    B("goal", "goalText"),
    B("measures", "measuresText"),
    B("due_on", "dueOnDate"),
    B("status", "statusCombo", TASK_STATES),
    B("completed_on", "completedOnDate"),
    B("institutions", "institutionsSpin"),
    B("accountability", "accountabilitySpin"),
    B("amount_recovered_yuan", "amountRecoveredSpin", kind="amount"),
    B("accepted_by", "acceptedByLabel", read_only=True),
    B("accepted_on", "acceptedOnLabel", read_only=True),
    B("acceptance_opinion", "acceptanceOpinionLabel", read_only=True),
    B("closed_on", "closedOnLabel", read_only=True),
    B("closed_by", "closedByLabel", read_only=True),
    MARKING,
)


class TaskSource(RecordService[RectificationTask]):
    """The page's list source: RecordService's query, and TaskService's for 逾期 / 即将到期 (which need
    today and the reminder days; that list is in due-date order)."""

    def __init__(self, rc: RectContext) -> None:
        super().__init__(rc.ws, TASK)
        self._rc = rc
        self._tasks = TaskService(rc.ws)

    def _task_query(self, q: ListQuery) -> TaskQuery | None:
        f = q.filters
        if not f.get("due"):
            return None
        return TaskQuery(
            round_id=f.get("round_id", ""),
            group_id=f.get("group_id", ""),
            target_id=f.get("target_id", ""),
            status=f.get("status", ""),
            due=f["due"],
            text=q.search,
            today=self._rc.today(),
        )

    def list(self, query: ListQuery | None = None) -> list[RectificationTask]:
        q = query or ListQuery()
        tq = self._task_query(q)
        return super().list(q) if tq is None else self._tasks.list(tq, offset=q.offset, limit=q.limit)

    def count(self, query: ListQuery | None = None) -> int:
        q = query or ListQuery()
        tq = self._task_query(q)
        return super().count(q) if tq is None else self._tasks.count(tq)


@dataclasses.dataclass(frozen=True)
class TaskPageSpec(PageSpec[RectificationTask]):
    """The 整改任务 page's spec: its list reads through TaskSource."""

    rc: RectContext | None = None

    def service(self, workspace: Workspace) -> RecordService[RectificationTask]:
        assert self.rc is not None
        return TaskSource(self.rc)


class DueSoonDelegate(QStyledItemDelegate):
    """Paints due-soon rows amber (the model marks every row needing attention red)."""

    def __init__(self, rc: RectContext, parent: QWidget) -> None:
        super().__init__(parent)
        self._rc = rc

    def initStyleOption(
        self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> None:
        super().initStyleOption(option, index)
        task = index.data(RecordTableModel.RecordRole)
        if isinstance(task, RectificationTask) and self._rc.due_mark(task).endswith("到期"):
            option.backgroundBrush = SOON_BRUSH


def columns(rc: RectContext) -> Callable[[ContextNames], list[Column[Any]]]:
    def build(names: ContextNames) -> list[Column[Any]]:
        def col(name: str, width: int, **how: Any) -> Column[Any]:
            return field_column(TASK, name, width, **how)

        return [
            col("number", 13),
            Column("到期情况", rc.due_mark, 7),
            col("issue", 18),
            target_column(names),
            col("responsible_person", 5),
            col("due_on", 6),
            col("status", 7),
            col("accepted_on", 6),
            col("closed_on", 6),
        ]

    return build


def _dialog_parent(ctx: Any) -> QWidget | None:
    return ctx if isinstance(ctx, QWidget) else None


def accept_action(rc: RectContext) -> PageAction:
    def run(ctx: PageContext) -> RectificationTask | None:
        task: RectificationTask = ctx.record
        asked = dataclasses.replace(
            task, accepted_by=rc.user_name, accepted_on=rc.today(), acceptance_opinion=task.acceptance_opinion
        )
        tasks = TaskService(ctx.workspace)
        dialog = RecordDialog(
            "验收整改任务",
            "rect_accept_form.ui",
            ACCEPT_BINDINGS,
            asked,
            lambda t: tasks.accept(task.id, by=t.accepted_by, on=t.accepted_on, opinion=t.acceptance_opinion),
            _dialog_parent(ctx),
            intro=f"验收“{task.issue[:40]}”的整改情况：",
            ok_text="验收",
        )
        stored: RectificationTask | None = run_record_dialog(dialog)
        return stored

    return PageAction(
        "acceptAction",
        "验收…",
        run,
        shown=lambda _ws, t: bool(t.id) and t.accepted_on is None,
        tooltip="整改完成后由巡察办验收：验收人、日期和意见",
    )


def close_action(rc: RectContext) -> PageAction:
    def run(ctx: PageContext) -> RectificationTask:
        return TaskService(ctx.workspace).close(ctx.record.id, by=rc.user_name, on=rc.today())

    return PageAction(
        "closeAction",
        "销号",
        run,
        shown=lambda _ws, t: bool(t.id) and t.closed_on is None,
        tooltip="验收合格后销号（未验收的任务不能销号）",
    )


def links_behaviour(rc: RectContext) -> Callable[[FormHost], None]:
    """The 问题底稿 and 巡察反馈 a task came from; the 底稿 opens on its own tab."""

    def install(host: FormHost) -> None:
        form = host.form
        button = form.find(QPushButton, "draftLinkButton")
        feedback_label = form.find(QLabel, "feedbackLabel")
        due_label = form.find(QLabel, "dueStateLabel")

        def fill() -> None:
            task: RectificationTask = form.original
            button.setText("—")
            button.setEnabled(bool(task.draft_id))
            if task.draft_id:
                try:
                    draft = RecordService[IssueDraft](rc.ws, DRAFT).get(task.draft_id)
                    button.setText(f"{draft.number}　{draft.title}（打开）")
                except RecordNotFound:
                    button.setText("（底稿已删除）")
                    button.setEnabled(False)
            feedback_label.setText("—")
            if task.feedback_id:
                try:
                    f = RecordService[RectificationFeedback](rc.ws, FEEDBACK).get(task.feedback_id)
                    feedback_label.setText(f"{f.number}（{f.given_on}，{f.form}）")
                except RecordNotFound:
                    feedback_label.setText("（反馈已删除）")
            reason = rc.due_reason(task) if task.id else ""
            due_label.setText(f"⚠ {reason}" if reason else "")
            due_label.setStyleSheet("color: #c62828; font-weight: bold;" if reason else "")

        def open_draft() -> None:
            task: RectificationTask = form.original
            if task.draft_id and hasattr(host, "open_requested"):
                host.open_requested.emit(DRAFT.key, task.draft_id)

        button.clicked.connect(open_draft)
        form.loaded.connect(fill)

    return install


def notes_behaviour(rc: RectContext) -> Callable[[FormHost], None]:
    """督导记录 of the task (newest first) and 添加督导记录…"""

    def install(host: FormHost) -> None:
        form = host.form
        table = form.find(QTableWidget, "notesTable")
        add = form.find(QPushButton, "addNoteButton")
        table.setColumnCount(4)
        table.setHorizontalHeaderLabels(["督导日期", "督导人", "当时状态", "整改进展"])
        table.verticalHeader().hide()
        table.horizontalHeader().setStretchLastSection(True)

        def fill() -> None:
            task: RectificationTask = form.original
            notes = TaskService(rc.ws).notes(task.id) if task.id else []
            ordered = sorted(notes, key=lambda n: (n.noted_on is not None, n.noted_on), reverse=True)
            table.setRowCount(len(ordered))
            for r, n in enumerate(ordered):
                for c, text in enumerate((str(n.noted_on or ""), n.noted_by, n.status_then, n.progress)):
                    item = QTableWidgetItem(text)
                    item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable)
                    item.setToolTip(text)
                    table.setItem(r, c, item)
            table.resizeColumnsToContents()
            add.setEnabled(bool(task.id))

        def add_note() -> None:
            task: RectificationTask = form.original
            note = SupervisionNote(
                round_id=task.round_id,
                group_id=task.group_id,
                target_id=task.target_id,
                task_id=task.id,
                noted_on=rc.today(),
                noted_by=rc.user_name,
                status_then=task.status,
            )
            tasks = TaskService(rc.ws)
            dialog = RecordDialog(
                "添加督导记录",
                "rect_note_form.ui",
                NOTE_BINDINGS,
                note,
                lambda n: tasks.add_note(task.id, n),
                host.dialog_parent,
                intro=f"整改任务 {task.number}：{task.issue[:40]}",
            )
            if run_record_dialog(dialog) is not None:
                fill()

        add.clicked.connect(add_note)
        form.loaded.connect(fill)

    return install


def task_spec(rc: RectContext) -> TaskPageSpec:
    return TaskPageSpec(
        tab="整改监督",
        title="整改任务",
        record_type=TASK,
        columns=columns(rc),
        heading=lambda t: f"整改任务 {t.number}",
        form_file="rect_task_form.ui",
        bindings=BINDINGS,
        new_record=lambda c: RectificationTask(
            round_id=c.round_id, group_id=c.group_id, target_id=c.target_id
        ),
        filters=(FilterSpec("status", "状态", plain(TASK_STATES)), FilterSpec("due", "到期", DUE_FILTER)),
        actions=(accept_action(rc), close_action(rc)),
        behaviours=(links_behaviour(rc), notes_behaviour(rc)),
        save_record=lambda ws, t, **_how: TaskService(ws).save(t),
        highlight=rc.due_reason,
        reads=("supervision", "feedback", "draft"),
        search_placeholder="搜索反馈问题、责任单位、整改措施",
        rc=rc,
    )


def install_delegate(table: QTableView, rc: RectContext) -> None:
    table.setItemDelegate(DueSoonDelegate(rc, table))
