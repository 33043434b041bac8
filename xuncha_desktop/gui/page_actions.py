"""The extra buttons of the forms: workflow steps of drafts and leads, and 登记线索 / 生成底稿 from a talk."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from xuncha_desktop.domain.errors import XunchaError
from xuncha_desktop.domain.interview_records import InterviewRecord
from xuncha_desktop.domain.issue_drafts import IssueDraft
from xuncha_desktop.domain.lead_registrations import LeadRegistration
from xuncha_desktop.domain.workflow import Transition, Workflow
from xuncha_desktop.domain.workflows import DRAFT_WORKFLOW, LEAD_WORKFLOW
from xuncha_desktop.gui.page_types import PageAction, PageContext
from xuncha_desktop.services.draft_workflow import DraftWorkflow
from xuncha_desktop.services.lead_workflow import LeadWorkflow
from xuncha_desktop.services.workflow import WorkflowService
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


Service = Callable[[Workspace], WorkflowService[Any]]


def _step_action(workflow: Workflow[Any], step: Transition, service: Service) -> PageAction:
    """A button for one workflow step: shown when the record could take it, refused with the engine's
    reason, and asking for (or taking from the form) the step's opinion where the step has one."""

    def run(ctx: PageContext) -> Any:
        record = ctx.record
        opinion = str(getattr(record, step.opinion_field)) if step.opinion_field else ""
        if step.asks:
            reason = ctx.ask_text(step.label, step.asks)
            if reason is None:
                return None
            opinion = reason
        return service(ctx.workspace).perform(step.key, record.id, opinion)

    def shown(_ws: Workspace, record: Any) -> bool:
        return bool(record.id) and workflow.offered(step, record)

    def refusal(ws: Workspace, record: Any) -> str:
        return workflow.refusal(step, record, ws.user)

    return PageAction(f"{step.key}Button", step.label, run, shown, refusal, step.hint)


DRAFT_ACTIONS = tuple(_step_action(DRAFT_WORKFLOW, s, DraftWorkflow) for s in DRAFT_WORKFLOW.steps)
LEAD_ACTIONS = tuple(_step_action(LEAD_WORKFLOW, s, LeadWorkflow) for s in LEAD_WORKFLOW.steps)
