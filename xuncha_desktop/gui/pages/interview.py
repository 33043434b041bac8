"""The 个别谈话记录 page: list columns, form bindings, the 登记线索 / 生成底稿 buttons and the page spec."""

from __future__ import annotations

from datetime import date
from typing import Any

from xuncha_desktop.domain import vocab
from xuncha_desktop.domain.errors import XunchaError
from xuncha_desktop.domain.interview_records import InterviewRecord
from xuncha_desktop.domain.issue_drafts import IssueDraft
from xuncha_desktop.domain.lead_registrations import LeadRegistration
from xuncha_desktop.domain.record_types import INTERVIEW
from xuncha_desktop.gui.pages import form_behaviours as behave
from xuncha_desktop.gui.pages.formatting import display_text
from xuncha_desktop.gui.pages.page_bindings import CONTEXT, MARKING, B, persons
from xuncha_desktop.gui.pages.page_columns import field_column, target_column
from xuncha_desktop.gui.pages.page_types import FilterSpec, PageAction, PageContext, PageSpec, plain
from xuncha_desktop.gui.pages.record_table_model import Column
from xuncha_desktop.services.records.context_names import ContextNames

NO_SELECTION = "请先在“谈话内容”中选中要使用的文字（可按住鼠标拖选），再点击此按钮。"
TITLE_LIMIT = 80


def columns(names: ContextNames) -> list[Column[Any]]:
    def col(name: str, width: int) -> Column[Any]:
        return field_column(INTERVIEW, name, width)

    return [
        col("number", 13),
        col("held_on", 6),
        col("interviewee_name", 5),
        col("post", 13),
        target_column(names),
        col("interview_type", 5),
        col("interviewer", 4),
        col("recorder", 4),
    ]


BINDINGS = (
    *CONTEXT,
    B("held_on", "heldOnDate"),
    B("start_time", "startTimeEdit"),
    B("end_time", "endTimeEdit"),
    B("location", "locationEdit"),
    B("interviewer", "interviewerEdit"),
    B("recorder", "recorderEdit"),
    B("interview_type", "interviewTypeCombo", vocab.INTERVIEW_TYPES),
    MARKING,
    B("interviewee_id", "intervieweePersonCombo", persons, ("target_id",), optional=True),
    B("interviewee_name", "intervieweeNameEdit"),
    B("gender", "genderCombo", vocab.GENDERS, optional=True),
    B("birth_month", "birthMonthEdit"),
    B("political_status", "politicalStatusCombo", vocab.POLITICAL_STATUSES, optional=True),
    B("post", "postEdit"),
    B("rank", "rankCombo", vocab.CADRE_RANKS, optional=True),
    B("contact", "contactEdit"),
    B("notice_given", "noticeGivenCheck"),
    B("outline", "outlineText"),
    B("content", "contentText"),
    B("problems", "problemsText", kind="lines"),
    B("persons_involved", "personsInvolvedText", kind="lines"),
    B("team_evaluation", "teamEvaluationText"),
    B("page_count", "pageCountSpin"),
    B("interviewer_signed", "interviewerSignedCheck"),
    B("recorder_signed", "recorderSignedCheck"),
    B("interviewee_signed", "intervieweeSignedCheck"),
)


def _selection(ctx: PageContext) -> tuple[InterviewRecord, str]:
    text = ctx.selected_text("content").strip()
    if not text:
        raise XunchaError(NO_SELECTION)
    return ctx.record, text


def register_lead(ctx: PageContext) -> None:
    """A new lead from the selected part of a talk, linked back to it once saved."""
    talk, text = _selection(ctx)
    lead = LeadRegistration(
        round_id=talk.round_id,
        group_id=talk.group_id,
        target_id=talk.target_id,
        registered_on=date.today(),
        registered_by=ctx.workspace.user.display_name,
        source="个别谈话",
        summary=text,
        marking=talk.marking,
    )
    ctx.open_elsewhere("lead", lead, link_from=("interview", talk.id))


def make_draft(ctx: PageContext) -> None:
    """A new draft from the selected part of a talk; the talk becomes its first piece of evidence."""
    talk, text = _selection(ctx)
    title = text.splitlines()[0].strip()[:TITLE_LIMIT]
    evidence = {
        "name": f"个别谈话记录（{talk.interviewee_name}，{talk.number}）",
        "source": "个别谈话",
        "pages": talk.page_count,
        "evidence_no": "",
        "interview_id": talk.id,
        "attachment_sha256": "",
    }
    draft = IssueDraft(
        round_id=talk.round_id,
        group_id=talk.group_id,
        target_id=talk.target_id,
        prepared_on=date.today(),
        preparer=ctx.workspace.user.display_name,
        source="个别谈话",
        title=title,
        description=text,
        evidence=[evidence],
        marking=talk.marking,
    )
    ctx.open_elsewhere("draft", draft, link_from=("interview", talk.id))


ACTIONS = (
    PageAction(
        "registerLeadButton", "登记线索", register_lead, tooltip="把谈话内容中选中的文字登记为问题线索"
    ),
    PageAction("makeDraftButton", "生成底稿", make_draft, tooltip="用谈话内容中选中的文字起草问题底稿"),
)

PAGE = PageSpec[InterviewRecord](
    tab="个别谈话记录",
    title="个别谈话记录",
    record_type=INTERVIEW,
    columns=columns,
    heading=lambda r: f"{r.interviewee_name} 谈话记录（{display_text(r.held_on)}）",
    form_file="interview_record_form.ui",
    bindings=BINDINGS,
    new_record=lambda c: InterviewRecord(
        round_id=c.round_id, group_id=c.group_id, target_id=c.target_id, held_on=c.today, recorder=c.user_name
    ),
    filters=(FilterSpec("interview_type", "类型", plain(vocab.INTERVIEW_TYPES)),),
    actions=ACTIONS,
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
