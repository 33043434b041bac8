"""The 问题线索登记 page: list columns, form bindings, the 研判 … 销号 workflow buttons and the page spec."""

from __future__ import annotations

import dataclasses
from datetime import date
from typing import Any

from PySide6.QtWidgets import QLabel

from xuncha_desktop.domain import vocab
from xuncha_desktop.domain.lead_registrations import LeadRegistration, feedback_due, is_overdue
from xuncha_desktop.domain.petitions import Petition
from xuncha_desktop.domain.record_types import LEAD
from xuncha_desktop.domain.states import LeadState
from xuncha_desktop.domain.workflows import LEAD_WORKFLOW
from xuncha_desktop.gui.pages import form_behaviours as behave
from xuncha_desktop.gui.pages.form_behaviours import FormHost, on_change
from xuncha_desktop.gui.pages.page_bindings import CONTEXT, MARKING, B, persons
from xuncha_desktop.gui.pages.page_columns import field_column, target_column
from xuncha_desktop.gui.pages.page_types import FilterSpec, PageSpec, plain
from xuncha_desktop.gui.pages.record_table_model import Column
from xuncha_desktop.gui.pages.workflow_actions import workflow_actions
from xuncha_desktop.services.records.context_names import ContextNames
from xuncha_desktop.services.records.workflow import WorkflowService
from xuncha_desktop.services.workspace import Workspace

OVERDUE = "移交已满三个月仍未反馈（超期）"
JURISDICTIONS = ("县纪委监委", "县委组织部", "市纪委监委", "市委组织部", "乡镇（街道）党（工）委")
RECEIVERS = ("县纪委监委", "县委组织部", "县委巡察办", "县信访局", "有关职能部门")
VERIFIABILITY = ("较强", "一般", "较弱")


def columns(names: ContextNames) -> list[Column[Any]]:
    def col(name: str, width: int, **how: Any) -> Column[Any]:
        return field_column(LEAD, name, width, **how)

    return [
        col("number", 13),
        col("registered_on", 6),
        col("subject_name", 5),
        col("subject_post", 13, header="单位及职务"),
        col("status", 5),
        col("proposed_disposal", 8),
        col("transfer_on", 6),
        col("disciplines", 7, sortable=False),
        col("source", 5),
        target_column(names),
    ]


BINDINGS = (
    *CONTEXT,
    B("status", "statusLabel", read_only=True),
    B("closed", "closedCheck", read_only=True),
    B("registered_on", "registeredOnDate"),
    B("registered_by", "registeredByEdit"),
    B("source", "sourceCombo", vocab.LEAD_SOURCES),
    MARKING,
    B("anonymous", "anonymousCheck"),
    B("reporter_name", "reporterNameEdit"),
    B("reporter_contact", "reporterContactEdit"),
    B("subject_person_id", "subjectPersonCombo", persons, ("target_id",), optional=True),
    B("subject_name", "subjectNameEdit"),
    B("subject_post", "subjectPostEdit"),
    B("subject_rank", "subjectRankCombo", vocab.CADRE_RANKS, optional=True),
    B("jurisdiction", "jurisdictionCombo", JURISDICTIONS),
    B("summary", "summaryText"),
    B("disciplines", "disciplinesChecks", vocab.DISCIPLINES, kind="checks"),
    B("amount_yuan", "amountSpin", kind="amount"),
    B("group_opinion", "groupOpinionText"),
    B("group_opinion_on", "groupOpinionOnDate"),
    B("consultation_opinion", "consultationOpinionText"),
    B("consultation_on", "consultationOnDate"),
    B("verifiability", "verifiabilityCombo", VERIFIABILITY),
    B("proposed_disposal", "proposedDisposalCombo", vocab.LEAD_DISPOSALS, optional=True),
    B("on_site_transfer", "onSiteTransferCheck"),
    B("leader_approver", "leaderApproverEdit"),
    B("leader_approved_on", "leaderApprovedOnDate"),
    B("transfer_unit", "transferUnitCombo", RECEIVERS),
    B("transfer_on", "transferOnDate"),
    B("transfer_method", "transferMethodCombo", vocab.TRANSFER_METHODS, optional=True),
    B("receiver", "receiverEdit"),
    B("outcome_type", "outcomeTypeCombo", vocab.LEAD_OUTCOMES, optional=True),
    B("case_opened", "caseOpenedCheck"),
    B("sanction", "sanctionEdit"),
    B("org_handling", "orgHandlingEdit"),
    B("judicial_transfer", "judicialTransferCheck"),
    B("outcome", "outcomeText"),
    B("feedback_on", "feedbackOnDate"),
)


def _workflow(ws: Workspace) -> WorkflowService[Any]:
    from xuncha_desktop.services.records.lead_workflow import LeadWorkflow  # when a step is taken

    return LeadWorkflow(ws)


ACTIONS = workflow_actions(LEAD_WORKFLOW, _workflow)


def _fresh(r: LeadRegistration) -> LeadRegistration:
    return dataclasses.replace(r, status=LeadState.REGISTERED, closed=False)


def _overdue(r: LeadRegistration) -> str:
    return OVERDUE if is_overdue(r, date.today()) else ""


def feedback_deadline(host: FormHost) -> None:
    """反馈期限: three months after the transfer, marked when feedback is overdue."""
    form = host.form
    label = form.find(QLabel, "feedbackDueLabel")

    def refresh() -> None:
        lead = LeadRegistration(transfer_on=form.value("transfer_on"), feedback_on=form.value("feedback_on"))
        due = feedback_due(lead)
        if due is None:
            label.setText("移交后三个月内")
            label.setStyleSheet("")
        elif is_overdue(lead, date.today()):
            label.setText(f"{due.isoformat()}（已超期，尚未反馈）")
            label.setStyleSheet("color: #c62828; font-weight: bold;")
        else:
            label.setText(f"{due.isoformat()}（移交后三个月）")
            label.setStyleSheet("")

    on_change(form, ["transfer_on", "feedback_on"], refresh)


def reporter_visibility(host: FormHost) -> None:
    """A lead (or petition) whose reporter this user may not see (domain README §3.2) shows 已隐藏/匿名
    read-only: the service keeps the stored reporter anyway, so typing there would come to nothing."""
    from PySide6.QtWidgets import QLineEdit

    from xuncha_desktop.services.records import visibility

    form = host.form
    fields = [form.widget_of(name) for name in visibility.REPORTER_FIELDS]
    anonymous = form.widget_of("anonymous")

    def update() -> None:
        lead = form.original
        ws = host.workspace
        hidden = (
            isinstance(lead, (LeadRegistration, Petition))
            and bool(lead.id)
            and not visibility.can_see_reporter(ws.user, lead, office=ws.info.is_office)
        )
        tip = "反映人身份和联系方式仅组长、副组长和登记人可见" if hidden else ""
        for widget in fields:
            if isinstance(widget, QLineEdit):
                widget.setReadOnly(hidden)
            widget.setToolTip(tip)
        anonymous.setEnabled(not hidden)

    form.loaded.connect(update)


PAGE = PageSpec[LeadRegistration](
    tab="问题线索登记",
    title="问题线索登记",
    record_type=LEAD,
    columns=columns,
    heading=lambda r: f"反映 {r.subject_name} 的问题线索" if r.subject_name else "问题线索",
    form_file="lead_registration_form.ui",
    bindings=BINDINGS,
    new_record=lambda c: LeadRegistration(
        round_id=c.round_id,
        group_id=c.group_id,
        target_id=c.target_id,
        registered_on=c.today,
        registered_by=c.user_name,
    ),
    filters=(
        FilterSpec("status", "状态", plain(vocab.LEAD_STATES)),
        FilterSpec("proposed_disposal", "拟处置", plain(vocab.LEAD_DISPOSALS)),
    ),
    actions=ACTIONS,
    behaviours=(
        behave.enable_when_checked("anonymous", "reporter_name", "reporter_contact", inverted=True),
        behave.prefill_from_person(
            "subject_person_id",
            (("subject_name", "name"), ("subject_post", "post"), ("subject_rank", "rank")),
        ),
        feedback_deadline,
        reporter_visibility,
    ),
    fresh_copy=_fresh,
    highlight=_overdue,
)
