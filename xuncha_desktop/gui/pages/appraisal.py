"""The 巡察干部鉴定 page (a sub-page of 干部评价): list columns, form bindings, the 抽调干部考核 buttons
(推荐等次 → 提出考核意见 → 审定等次, 退回), the office's 优秀比例 setting and the page spec."""

from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QLabel

from xuncha_desktop.domain import vocab
from xuncha_desktop.domain.errors import ValidationError, XunchaError
from xuncha_desktop.domain.personnel_evaluations import MemberAppraisal
from xuncha_desktop.domain.record_types import APPRAISAL, DRAFT, INTERVIEW, LEAD
from xuncha_desktop.domain.states import AppraisalState
from xuncha_desktop.domain.workflows import APPRAISAL_WORKFLOW
from xuncha_desktop.gui.background_reads import Reader
from xuncha_desktop.gui.pages.field_bindings import TableColumn
from xuncha_desktop.gui.pages.form_behaviours import FormHost, on_change
from xuncha_desktop.gui.pages.formatting import period_text
from xuncha_desktop.gui.pages.page_bindings import GROUP, MARKING, NUMBER, ROUND, B, members
from xuncha_desktop.gui.pages.page_columns import field_column
from xuncha_desktop.gui.pages.page_types import FilterSpec, PageAction, PageContext, PageSpec, plain
from xuncha_desktop.gui.pages.record_table_model import Column
from xuncha_desktop.gui.pages.workflow_actions import workflow_actions
from xuncha_desktop.services.records.context_names import ContextNames

if TYPE_CHECKING:  # loaded when first used, not on the way to the window
    from xuncha_desktop.services.records.appraisal_workflow import AppraisalWorkflow
    from xuncha_desktop.services.statistics import Workload

ASPECT_WIDGETS = (
    ("政治素质", "politicalQualityCommentEdit"),
    ("业务能力", "businessAbilityCommentEdit"),
    ("工作作风", "workStyleCommentEdit"),
    ("纪律执行", "disciplineCommentEdit"),
    ("廉洁自律", "integrityCommentEdit"),
)


def columns(names: ContextNames) -> list[Column[Any]]:
    def col(name: str, width: int, **how: Any) -> Column[Any]:
        return field_column(APPRAISAL, name, width, **how)

    return [
        col("number", 13),
        col("name", 5),
        col("home_unit_post", 12),
        col("duty", 4),
        Column("在组期间", lambda r: period_text(r.period_start, r.period_end), 12, sort="period_start"),
        col("conduct_score", 6, header="纪律作风得分", align_right=True),
        col("grade", 4, header="推荐等次"),
        col("status", 6),
        col("approved_grade", 4),
        Column("巡察组", lambda r: names.group(r.group_id), 6),
    ]


APPROVAL_COLUMNS = (
    TableColumn("step", "步骤", width=5),
    TableColumn("by", "操作人", width=4),
    TableColumn("role", "角色", width=5),
    TableColumn("at", "时间", width=9, display=lambda at: str(at or "").replace("T", " ")[:16]),
    TableColumn("opinion", "意见"),
)


BINDINGS = (
    NUMBER,
    ROUND,
    GROUP,
    B("member_id", "memberCombo", members, ("group_id",), optional=True),
    B("name", "nameEdit"),
    B("gender", "genderCombo", vocab.GENDERS, optional=True),
    B("birth_month", "birthMonthEdit"),
    B("political_status", "politicalStatusCombo", vocab.POLITICAL_STATUSES, optional=True),
    B("home_unit_post", "homeUnitPostEdit"),
    B("duty", "dutyCombo", vocab.MEMBER_DUTIES, optional=True),
    B("period_start", "periodStartDate"),
    B("period_end", "periodEndDate"),
    MARKING,
    B("conduct_score", "conductScoreSpin"),
    B("self_summary", "selfSummaryText"),
    B("leader_comments", "leaderCommentsGroup", parts=ASPECT_WIDGETS),
    B("grade", "gradeCombo", vocab.APPRAISAL_GRADES, optional=True),
    B("recommend_excellent", "recommendExcellentCheck"),
    B("group_opinion", "groupOpinionText"),
    B("office_opinion", "officeOpinionText"),
    B("feedback_unit", "feedbackUnitEdit"),
    B("appraised_on", "appraisedOnDate"),
    B("status", "statusLabel", read_only=True),
    B("approved_grade", "approvedGradeCombo", vocab.APPRAISAL_GRADES, optional=True),
    B("approvals", "approvalsTable", read_only=True, columns=APPROVAL_COLUMNS),
)

WORKLOAD_DELAY_MS = 300
CAP_TITLE = "优秀比例设置"


def _set_cap(ctx: PageContext) -> Any:
    """The office sets the cap on the share of 优秀 per round (a whole percentage)."""
    from xuncha_desktop.services.records.appraisal_workflow import (
        load_excellent_cap,
        parse_cap,
        save_excellent_cap,
    )

    ws = ctx.workspace
    typed = ctx.ask_text(
        CAP_TITLE,
        f"每轮推荐和审定为“优秀”的人数不得超过本轮鉴定人数的一定比例（向下取整，至少 1 人）。\n"
        f"当前上限为 {load_excellent_cap(ws)}%。请输入新的上限（0 至 100 的整数）：",
    )
    if typed is None:
        return None
    try:
        save_excellent_cap(ws, parse_cap(typed))
    except ValidationError as error:
        raise XunchaError(error.errors[0].message) from error
    return ctx.record


CAP_ACTION = PageAction(
    "excellentCapButton",
    CAP_TITLE,
    _set_cap,
    shown=lambda ws, record: bool(record.id) and ws.user.role == vocab.OFFICE_ADMIN,
    tooltip="巡察办管理员设置每轮优秀等次的比例上限（默认 20%）",
)


def _workflow(ws: Any) -> AppraisalWorkflow:
    from xuncha_desktop.services.records.appraisal_workflow import AppraisalWorkflow  # when first used

    return AppraisalWorkflow(ws)


ACTIONS = (*workflow_actions(APPRAISAL_WORKFLOW, _workflow), CAP_ACTION)


def _save(ws: Any, appraisal: MemberAppraisal, **how: Any) -> MemberAppraisal:
    return _workflow(ws).save(appraisal, **how)


def _fresh(a: MemberAppraisal) -> MemberAppraisal:
    return dataclasses.replace(
        a, status=AppraisalState.PENDING, approvals=[], approved_grade="", office_opinion=""
    )


def settled_fields(host: FormHost) -> None:
    """What a step settled is read-only: the 推荐等次 once recommended (退回 first), the 审定等次 but while
    the 领导小组's decision is being recorded (已提出考核意见)."""
    form = host.form

    def update() -> None:
        status = form.original.status if form.original is not None else AppraisalState.PENDING
        pending = status == AppraisalState.PENDING
        form.widget_of("grade").setEnabled(pending)
        form.widget_of("recommend_excellent").setEnabled(pending)
        form.widget_of("approved_grade").setEnabled(status == AppraisalState.OPINION_GIVEN)

    form.loaded.connect(update)


def prefill_from_member(host: FormHost) -> None:
    """Choosing a member of the group fills the appraisal's identity, duty and period."""
    form = host.form

    def chosen() -> None:
        member = form.choices.member(form.value("member_id"))
        if form.loading or member is None:
            return
        values: dict[str, Any] = {
            "name": member.name,
            "gender": member.gender,
            "birth_month": member.birth_month,
            "political_status": member.political_status,
            "home_unit_post": f"{member.home_unit}{member.home_post}",
            "duty": member.duty,
            "period_start": member.start_on,
            "period_end": member.end_on,
        }
        for field, value in values.items():
            form.set_value(field, value)

    on_change(form, ["member_id"], chosen, on_load=False)


def workload(host: FormHost) -> None:
    """The member's talks, drafts and leads in the round, counted from the records (read-only)."""
    form = host.form
    labels = {
        "interviews": form.find(QLabel, "interviewCountLabel"),
        "drafts": form.find(QLabel, "draftCountLabel"),
        "leads": form.find(QLabel, "leadCountLabel"),
    }
    timer = QTimer(form)
    timer.setSingleShot(True)
    timer.setInterval(WORKLOAD_DELAY_MS)  # the name changes with every keystroke: count after a pause
    wanted: list[tuple[str, str, str]] = [("", "", "")]
    reader = Reader(form)

    def show(counted: Workload, key: tuple[str, str, str]) -> None:
        if key != wanted[0]:
            return  # the form moved on while counting
        labels["interviews"].setText(f"{counted.interviews} 人次")
        labels["drafts"].setText(f"{counted.drafts} 份")
        labels["leads"].setText(f"{counted.leads} 件")

    def refresh() -> None:
        timer.stop()
        key = (form.value("name").strip(), form.value("round_id"), form.value("group_id"))
        wanted[0] = key
        ws = host.workspace
        from xuncha_desktop.services.statistics import member_workload  # not on the way to the window

        # Counting scans the round's records: done off the GUI thread, with the inputs read here.
        reader.read(lambda: member_workload(ws, *key), lambda counted: show(counted, key))

    timer.timeout.connect(refresh)
    form.field_changed.connect(lambda f: timer.start() if f in ("name", "round_id", "group_id") else None)
    form.loaded.connect(refresh)


PAGE = PageSpec[MemberAppraisal](
    tab="干部评价",
    title="巡察干部鉴定",
    record_type=APPRAISAL,
    columns=columns,
    heading=lambda r: f"{r.name} 巡察干部鉴定" if r.name else "巡察干部鉴定",
    form_file="member_appraisal_form.ui",
    bindings=BINDINGS,
    new_record=lambda c: MemberAppraisal(round_id=c.round_id, group_id=c.group_id, appraised_on=c.today),
    filters=(
        FilterSpec("grade", "推荐等次", plain(vocab.APPRAISAL_GRADES)),
        FilterSpec("status", "考核状态", plain(vocab.APPRAISAL_STATES)),
    ),
    actions=ACTIONS,
    behaviours=(prefill_from_member, workload, settled_fields),
    save_record=_save,
    fresh_copy=_fresh,
    reads=(INTERVIEW.key, DRAFT.key, LEAD.key),  # the workload counted from them
)
