"""The extra buttons of the forms: workflow steps of drafts and leads, and 登记线索 / 生成底稿 from a talk."""

from __future__ import annotations

from datetime import date
from typing import Any

from xuncha_desktop.domain import vocab
from xuncha_desktop.domain.errors import XunchaError
from xuncha_desktop.domain.interview_records import InterviewRecord
from xuncha_desktop.domain.issue_drafts import IssueDraft
from xuncha_desktop.domain.lead_registrations import LeadRegistration
from xuncha_desktop.gui.page_types import PageAction, PageContext
from xuncha_desktop.services import draft_workflow, lead_workflow
from xuncha_desktop.services.draft_workflow import DraftWorkflow
from xuncha_desktop.services.lead_workflow import LeadWorkflow
from xuncha_desktop.services.workspace import Workspace

NO_SELECTION = "请先在“谈话内容”中选中要使用的文字（可按住鼠标拖选），再点击此按钮。"
TITLE_LIMIT = 80


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


INTERVIEW_ACTIONS = (
    PageAction(
        "registerLeadButton", "登记线索", register_lead, tooltip="把谈话内容中选中的文字登记为问题线索"
    ),
    PageAction("makeDraftButton", "生成底稿", make_draft, tooltip="用谈话内容中选中的文字起草问题底稿"),
)


def _draft_step(step: draft_workflow.DraftStep) -> PageAction:
    def run(ctx: PageContext) -> IssueDraft | None:
        record: IssueDraft = ctx.record
        opinion = {"review": record.review_opinion, "approve": record.approval_opinion}.get(step.key, "")
        if step is draft_workflow.RETURN:
            reason = ctx.ask_text("退回修改", "请填写退回修改的原因：")
            if reason is None:
                return None
            opinion = reason
        return DraftWorkflow(ctx.workspace).perform(step.key, record.id, opinion)

    def shown(_ws: Workspace, record: Any) -> bool:
        return bool(record.id) and record.status in step.from_states

    def refusal(ws: Workspace, record: Any) -> str:
        return draft_workflow.refusal(step, record, ws.user)

    return PageAction(f"{step.key}Button", step.label, run, shown, refusal, step.who)


def _lead_step(step: lead_workflow.LeadStep) -> PageAction:
    def run(ctx: PageContext) -> LeadRegistration:
        return LeadWorkflow(ctx.workspace).perform(step.key, ctx.record.id)

    def shown(_ws: Workspace, record: Any) -> bool:
        if step is lead_workflow.TRANSFER and record.proposed_disposal not in vocab.TRANSFER_DISPOSALS:
            return False  # 了结 and 暂存 end at 拟处置
        return bool(record.id) and record.status == step.from_state

    def refusal(ws: Workspace, record: Any) -> str:
        return lead_workflow.refusal(step, record, ws.user)

    who = f"由{'、'.join(step.roles)}操作" + (f"；须先填写{step.needs}" if step.needs else "")
    return PageAction(f"{step.key}Button", step.label, run, shown, refusal, who)


DRAFT_ACTIONS = tuple(_draft_step(s) for s in draft_workflow.STEPS)
LEAD_ACTIONS = tuple(_lead_step(s) for s in lead_workflow.STEPS)
