"""The workflows of 问题底稿 and 问题线索, declared for the engine in domain.workflow.

问题底稿: 草稿 → 待复核 → 待审签 → 已审签, each step signed with who, role, when and the content hash;
returned to 草稿 from either waiting state; a content change after 已审签 sends it back to 待复核.
问题线索: 已登记 → 已研判 → 拟处置 → 已移交 → 已反馈 → 已销号; a step only changes the stage and stamps the
approval or closing, the facts it needs are typed in first (domain.lead_registrations.validate_lead).
"""

from __future__ import annotations

from typing import Any

from xuncha_desktop.domain import vocab
from xuncha_desktop.domain.issue_drafts import IssueDraft, content_hash
from xuncha_desktop.domain.lead_registrations import LeadRegistration
from xuncha_desktop.domain.states import DraftState, DraftStep, LeadState
from xuncha_desktop.domain.workflow import (
    Actor,
    Transition,
    Workflow,
    actor_if_empty,
    is_named_in,
    put,
    sign,
    today_if_empty,
)


# -- 问题底稿 -------------------------------------------------------------------------------------------
def _preparer_submits(draft: Any, actor: Actor) -> str:
    if is_named_in(draft, "preparer", actor):
        return ""
    return f"只有承办人（{draft.preparer or '未填写'}）本人可以提交复核"


def _not_own_draft(draft: Any, actor: Actor) -> str:
    return "承办人不能复核自己编制的底稿" if is_named_in(draft, "preparer", actor) else ""


_SIGN_OFF = sign(content_hash)  # each step of the chain is signed over the draft's content


DRAFT_SUBMIT = Transition(
    "submit",
    DraftStep.SUBMIT,
    (DraftState.DRAFT,),
    DraftState.PENDING_REVIEW,
    guards=(_preparer_submits,),
    stamps=(_SIGN_OFF,),
    hint="承办人本人提交",
)
DRAFT_REVIEW = Transition(
    "review",
    DraftStep.REVIEW,
    (DraftState.PENDING_REVIEW,),
    DraftState.PENDING_APPROVAL,
    roles=("副组长",),
    action="复核",
    guards=(_not_own_draft,),
    stamps=(_SIGN_OFF,),
    hint="副组长复核（承办人不能复核自己的底稿）",
    opinion_field="review_opinion",
)
DRAFT_APPROVE = Transition(
    "approve",
    DraftStep.APPROVE,
    (DraftState.PENDING_APPROVAL,),
    DraftState.SIGNED,
    roles=("组长",),
    action="审签",
    stamps=(_SIGN_OFF,),
    hint="组长审签",
    opinion_field="approval_opinion",
)
DRAFT_RETURN = Transition(
    "return",
    DraftStep.RETURN,
    (DraftState.PENDING_REVIEW, DraftState.PENDING_APPROVAL),
    DraftState.DRAFT,
    roles_by_source={DraftState.PENDING_REVIEW: ("副组长", "组长"), DraftState.PENDING_APPROVAL: ("组长",)},
    role_refusal="{state}的底稿只能由{roles_or}退回，当前用户的角色是{role}",
    stamps=(_SIGN_OFF,),
    hint="待复核时由副组长或组长退回，待审签时由组长退回",
    asks="请填写退回修改的原因：",
)
# Not a button: saving a changed signed draft takes it (with the person's consent, see services.records).
DRAFT_EDITED_AFTER_SIGNOFF = Transition(
    "edited_after_signoff",
    DraftStep.EDITED_AFTER_SIGNOFF,
    (DraftState.SIGNED,),
    DraftState.PENDING_REVIEW,
    stamps=(put("edited_after_signoff", True), _SIGN_OFF),
    manual=False,
)
DRAFT_WORKFLOW = Workflow[IssueDraft](
    name="问题底稿",
    noun="底稿",
    states=DraftState.ALL,
    initial=DraftState.DRAFT,
    transitions=(DRAFT_SUBMIT, DRAFT_REVIEW, DRAFT_APPROVE, DRAFT_RETURN, DRAFT_EDITED_AFTER_SIGNOFF),
)


# -- 问题线索 -------------------------------------------------------------------------------------------
def _needs_transfer(lead: Any) -> str:
    if lead.proposed_disposal in vocab.TRANSFER_DISPOSALS:
        return ""
    return f"拟处置建议为“{lead.proposed_disposal or '未填写'}”的线索不需要移交"


def _lead_step(
    key: str, label: str, source: str, target: str, roles: tuple[str, ...], needs: str, **more: Any
) -> Transition:
    hint = f"由{'、'.join(roles)}操作" + (f"；须先填写{needs}" if needs else "")
    return Transition(key, label, (source,), target, roles=roles, hint=hint, **more)


_HANDLERS = ("组长", "联络员", vocab.OFFICE_ADMIN)
LEAD_JUDGE = _lead_step(
    "judge",
    "研判",
    LeadState.REGISTERED,
    LeadState.JUDGED,
    ("组长", "副组长"),
    "组务会研判意见",
    stamps=(today_if_empty("group_opinion_on"),),
)
LEAD_PROPOSE = _lead_step(
    "propose",
    "拟处置（组长审批）",
    LeadState.JUDGED,
    LeadState.PROPOSED,
    ("组长",),
    "拟处置建议",
    stamps=(actor_if_empty("leader_approver"), today_if_empty("leader_approved_on")),
)
LEAD_TRANSFER = _lead_step(
    "transfer",
    "移交",
    LeadState.PROPOSED,
    LeadState.TRANSFERRED,
    _HANDLERS,
    "移交单位、移交日期、接收人",
    conditions=(_needs_transfer,),  # 了结 and 暂存 end at 拟处置
)
LEAD_FEEDBACK = _lead_step(
    "feedback", "登记反馈", LeadState.TRANSFERRED, LeadState.FED_BACK, _HANDLERS, "办理方式、反馈日期"
)
LEAD_CLOSE = _lead_step(
    "close",
    "销号",
    LeadState.FED_BACK,
    LeadState.CLOSED,
    ("组长", vocab.OFFICE_ADMIN),
    "",
    stamps=(put("closed", True),),
)
LEAD_WORKFLOW = Workflow[LeadRegistration](
    name="问题线索",
    noun="线索",
    states=LeadState.ALL,
    initial=LeadState.REGISTERED,
    transitions=(LEAD_JUDGE, LEAD_PROPOSE, LEAD_TRANSFER, LEAD_FEEDBACK, LEAD_CLOSE),
)
