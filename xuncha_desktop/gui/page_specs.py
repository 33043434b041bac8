"""The tabs as data: one PageSpec per list, naming its columns, form, bindings, filters, actions, defaults."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from datetime import date
from typing import Any

from xuncha_desktop.domain import vocab
from xuncha_desktop.domain.interview_records import InterviewRecord
from xuncha_desktop.domain.issue_drafts import IssueDraft
from xuncha_desktop.domain.lead_registrations import LeadRegistration, is_overdue
from xuncha_desktop.domain.personnel_evaluations import MemberAppraisal, PersonnelEvaluation
from xuncha_desktop.domain.record_types import APPRAISAL, DRAFT, EVALUATION, INTERVIEW, LEAD
from xuncha_desktop.domain.states import DraftState, LeadState
from xuncha_desktop.gui import form_behaviours as behave
from xuncha_desktop.gui import page_bindings as bind
from xuncha_desktop.gui import page_columns as cols
from xuncha_desktop.gui.formatting import display_text
from xuncha_desktop.gui.page_actions import DRAFT_ACTIONS, INTERVIEW_ACTIONS, LEAD_ACTIONS
from xuncha_desktop.gui.page_types import FilterSpec, PageSpec, level1_categories, plain
from xuncha_desktop.services.draft_workflow import DraftWorkflow
from xuncha_desktop.services.evidence_links import write_evidence_links
from xuncha_desktop.services.workspace import Workspace

OVERDUE = "移交已满三个月仍未反馈（超期）"


def _save_draft(ws: Workspace, draft: IssueDraft, **how: Any) -> IssueDraft:
    return DraftWorkflow(ws).save(draft, **how)


def _fresh_draft(d: IssueDraft) -> IssueDraft:
    return dataclasses.replace(
        d,
        status=DraftState.DRAFT,
        signoffs=[],
        edited_after_signoff=False,
        review_opinion="",
        group_meeting_opinion="",
        approval_opinion="",
        filing_no="",
    )


def _fresh_lead(r: LeadRegistration) -> LeadRegistration:
    return dataclasses.replace(r, status=LeadState.REGISTERED, closed=False)


def _lead_overdue(r: LeadRegistration) -> str:
    return OVERDUE if is_overdue(r, date.today()) else ""


INTERVIEW_RECORDS = PageSpec[InterviewRecord](
    tab="个别谈话记录",
    title="个别谈话记录",
    record_type=INTERVIEW,
    columns=cols.interview_columns,
    heading=lambda r: f"{r.interviewee_name} 谈话记录（{display_text(r.held_on)}）",
    form_file="interview_record_form.ui",
    bindings=bind.INTERVIEW_BINDINGS,
    new_record=lambda c: InterviewRecord(
        round_id=c.round_id, group_id=c.group_id, target_id=c.target_id, held_on=c.today, recorder=c.user_name
    ),
    filters=(FilterSpec("interview_type", "类型", plain(vocab.INTERVIEW_TYPES)),),
    actions=INTERVIEW_ACTIONS,
    behaviours=(
        behave.prefill_from_person(
            "interviewee_id",
            (
                ("interviewee_name", "name"),
                ("gender", "gender"),
                ("birth_month", "birth_month"),
                ("political_status", "political_status"),
                ("post", "post"),
                ("rank", "rank"),
            ),
        ),
    ),
)
ISSUE_DRAFTS = PageSpec[IssueDraft](
    tab="问题底稿",
    title="问题底稿",
    record_type=DRAFT,
    columns=cols.draft_columns,
    heading=lambda r: r.title,
    form_file="issue_draft_form.ui",
    bindings=bind.DRAFT_BINDINGS,
    new_record=lambda c: IssueDraft(
        round_id=c.round_id,
        group_id=c.group_id,
        target_id=c.target_id,
        prepared_on=c.today,
        preparer=c.user_name,
    ),
    filters=(
        FilterSpec("status", "状态", plain(vocab.DRAFT_STATES)),
        FilterSpec("category_l1", "类别", level1_categories()),
    ),
    actions=DRAFT_ACTIONS,
    behaviours=(
        behave.enable_when_checked("key_attention", "key_attention_reason"),
        behave.evidence_rows,
    ),
    save_record=_save_draft,
    after_save=write_evidence_links,
    fresh_copy=_fresh_draft,
)
LEAD_REGISTRATIONS = PageSpec[LeadRegistration](
    tab="问题线索登记",
    title="问题线索登记",
    record_type=LEAD,
    columns=cols.lead_columns,
    heading=lambda r: f"反映 {r.subject_name} 的问题线索" if r.subject_name else "问题线索",
    form_file="lead_registration_form.ui",
    bindings=bind.LEAD_BINDINGS,
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
    actions=LEAD_ACTIONS,
    behaviours=(
        behave.enable_when_checked("anonymous", "reporter_name", "reporter_contact", inverted=True),
        behave.prefill_from_person(
            "subject_person_id",
            (("subject_name", "name"), ("subject_post", "post"), ("subject_rank", "rank")),
        ),
        behave.feedback_deadline,
        behave.reporter_visibility,
    ),
    fresh_copy=_fresh_lead,
    highlight=_lead_overdue,
)
PERSONNEL_EVALUATIONS = PageSpec[PersonnelEvaluation](
    tab="干部评价",
    title="领导干部画像",
    record_type=EVALUATION,
    columns=cols.evaluation_columns,
    heading=lambda r: f"{r.name}（{r.post}）" if r.name else "领导干部画像",
    form_file="personnel_evaluation_form.ui",
    bindings=bind.EVALUATION_BINDINGS,
    new_record=lambda c: PersonnelEvaluation(
        round_id=c.round_id,
        group_id=c.group_id,
        target_id=c.target_id,
        evaluated_on=c.today,
        evaluator=c.user_name,
    ),
    filters=(FilterSpec("grade", "等次", plain(vocab.PORTRAIT_GRADES)),),
    behaviours=(
        behave.prefill_from_person("person_id", (("name", "name"), ("post", "post"))),
        behave.poll_rates,
    ),
)
MEMBER_APPRAISALS = PageSpec[MemberAppraisal](
    tab="干部评价",
    title="巡察干部鉴定",
    record_type=APPRAISAL,
    columns=cols.appraisal_columns,
    heading=lambda r: f"{r.name} 巡察干部鉴定" if r.name else "巡察干部鉴定",
    form_file="member_appraisal_form.ui",
    bindings=bind.APPRAISAL_BINDINGS,
    new_record=lambda c: MemberAppraisal(round_id=c.round_id, group_id=c.group_id, appraised_on=c.today),
    filters=(FilterSpec("grade", "等次", plain(vocab.APPRAISAL_GRADES)),),
    behaviours=(behave.prefill_from_member, behave.workload),
    reads=(INTERVIEW.key, DRAFT.key, LEAD.key),  # the workload counted from them
)

PAGE_SPECS: tuple[PageSpec[Any], ...] = (
    INTERVIEW_RECORDS,
    ISSUE_DRAFTS,
    LEAD_REGISTRATIONS,
    PERSONNEL_EVALUATIONS,
    MEMBER_APPRAISALS,
)
BY_TYPE: dict[str, PageSpec[Any]] = {spec.record_type.key: spec for spec in PAGE_SPECS}


def tab_titles(specs: Sequence[PageSpec[Any]] = PAGE_SPECS) -> list[str]:
    """The main-window tabs in order, each named once."""
    return list(dict.fromkeys(spec.tab for spec in specs))
