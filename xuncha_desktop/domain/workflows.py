"""The workflows of 问题底稿 and 问题线索, declared for the engine in domain.workflow.

问题底稿: 草稿 → 待复核 → 待审签 → 已审签, each step signed with who, role, when and the content hash;
returned to 草稿 from either waiting state; a content change after 已审签 sends it back to 待复核.
问题线索: 已登记 → 已研判 → 拟处置 → 已移交 → 已反馈 → 已销号; a step only changes the stage and stamps the
approval or closing, the facts it needs are typed in first (domain.lead_registrations.validate_lead).
抽调干部考核 (巡察干部鉴定): 待推荐 → 已推荐 (组长 推荐等次) → 已提出考核意见 (巡察办) → 已审定
(the 领导小组's decision, recorded by the 巡察办管理员), returned to 待推荐 with a reason; each step is
stamped into the 考核记录.
The share of 优秀 per round is capped (excellent_cap_refusal); the service counts the round and checks it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from xuncha_desktop.domain import vocab
from xuncha_desktop.domain.issue_drafts import IssueDraft, content_hash
from xuncha_desktop.domain.lead_registrations import LeadRegistration
from xuncha_desktop.domain.personnel_evaluations import MemberAppraisal
from xuncha_desktop.domain.states import AppraisalState, AppraisalStep, DraftState, DraftStep, LeadState
from xuncha_desktop.domain.workflow import (
    Actor,
    Move,
    Stamp,
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


# -- 抽调干部考核 -----------------------------------------------------------------------------------------
EXCELLENT = vocab.APPRAISAL_GRADES[0]  # 优秀


def _logged(record: Any, move: Move, opinion: str) -> Mapping[str, Any]:
    entry = {
        "step": move.step,
        "by": move.actor.display_name,
        "role": move.actor.role,
        "at": move.at.isoformat(timespec="seconds"),
        "opinion": opinion,
    }
    return {"approvals": [*record.approvals, entry]}


def _log_step(record: Any, move: Move) -> Mapping[str, Any]:
    """Append the step to the 考核记录: the step, who (name and role), when, the opinion given with it."""
    return _logged(record, move, move.opinion)


def _log_decision(record: Any, move: Move) -> Mapping[str, Any]:
    """The 审定 entry names the grade decided (and the recommended one when the 领导小组 changed it)."""
    decided = f"审定等次：{record.approved_grade}"
    if record.grade and record.grade != record.approved_grade:
        decided += f"（推荐等次：{record.grade}）"
    return _logged(record, move, "；".join(p for p in (decided, move.opinion) if p))


def _approved_as_recommended(record: Any, _move: Move) -> Mapping[str, Any]:
    """The 审定等次 typed in before 审定 is kept; left empty, the 领导小组 approved the recommended grade."""
    return {} if record.approved_grade else {"approved_grade": record.grade}


_CLEAR_DECISION: Stamp = lambda _record, _move: {"approved_grade": ""}  # noqa: E731
_OFFICE = (vocab.OFFICE_ADMIN,)

APPRAISAL_RECOMMEND = Transition(
    "recommend",
    AppraisalStep.RECOMMEND,
    (AppraisalState.PENDING,),
    AppraisalState.RECOMMENDED,
    roles=("组长",),
    action="推荐等次",
    stamps=(_log_step,),
    hint="组长推荐等次；须先选择鉴定等次（巡察组意见一并记入考核记录）",
    opinion_field="group_opinion",
)
APPRAISAL_OPINION = Transition(
    "office_opinion",
    AppraisalStep.OPINION,
    (AppraisalState.RECOMMENDED,),
    AppraisalState.OPINION_GIVEN,
    roles=_OFFICE,
    action="提出考核意见",
    stamps=(_log_step,),
    hint="巡察办管理员提出考核意见；须先填写巡察办意见",
    opinion_field="office_opinion",
)
APPRAISAL_APPROVE = Transition(
    "approve",
    AppraisalStep.APPROVE,
    (AppraisalState.OPINION_GIVEN,),
    AppraisalState.APPROVED,
    roles=_OFFICE,
    action="录入领导小组审定结果",
    stamps=(_approved_as_recommended, _log_decision),
    hint="巡察办管理员录入巡察工作领导小组审定的等次；审定等次留空即按推荐等次审定",
)
APPRAISAL_RETURN = Transition(
    "return",
    AppraisalStep.RETURN,
    (AppraisalState.RECOMMENDED, AppraisalState.OPINION_GIVEN),
    AppraisalState.PENDING,
    roles_by_source={
        AppraisalState.RECOMMENDED: ("组长", vocab.OFFICE_ADMIN),
        AppraisalState.OPINION_GIVEN: _OFFICE,
    },
    role_refusal="{state}的鉴定只能由{roles_or}退回，当前用户的角色是{role}",
    stamps=(_CLEAR_DECISION, _log_step),
    hint="已推荐时由组长或巡察办管理员退回，已提出考核意见时由巡察办管理员退回，须说明原因",
    asks="请填写退回重新推荐的原因：",
)
APPRAISAL_WORKFLOW = Workflow[MemberAppraisal](
    name="抽调干部考核",
    noun="鉴定",
    states=AppraisalState.ALL,
    initial=AppraisalState.PENDING,
    transitions=(APPRAISAL_RECOMMEND, APPRAISAL_OPINION, APPRAISAL_APPROVE, APPRAISAL_RETURN),
)


@dataclass(frozen=True)
class RoundGrades:
    """The other live appraisals of a round (all but the one being moved): how many there are, how many
    are past 待推荐 with 推荐等次 优秀, and how many are 已审定 with 审定等次 优秀."""

    others: int = 0
    recommended_excellent: int = 0
    approved_excellent: int = 0


def excellent_limit(total: int, cap_percent: int) -> int:
    """How many 优秀 a round of `total` appraisals may have: `cap_percent` of them rounded down, but one at
    least while the cap is above 0 (a round of four may still name one 优秀)."""
    if total <= 0 or cap_percent <= 0:
        return 0
    return max(1, total * cap_percent // 100)


def excellent_cap_refusal(
    step: Transition, moved: MemberAppraisal, round_: RoundGrades, cap_percent: int
) -> str:
    """Why taking `step` (already applied: `moved`) would pass the round's 优秀 cap; "" when within.

    推荐等次 优秀 counts at 推荐 against the round's recommendations, 审定等次 优秀 at 审定 against its
    decisions; the share is over every live appraisal of the round, this one included (excellent_limit)."""
    if step.key == APPRAISAL_RECOMMEND.key and moved.grade == EXCELLENT:
        verb, counted = "推荐", round_.recommended_excellent
    elif step.key == APPRAISAL_APPROVE.key and moved.approved_grade == EXCELLENT:
        verb, counted = "审定", round_.approved_excellent
    else:
        return ""
    total = round_.others + 1
    limit = excellent_limit(total, cap_percent)
    if counted < limit:
        return ""
    return (
        f"本轮已{verb}优秀 {counted} 人，共 {total} 人，优秀比例不得超过 {cap_percent}%（最多 {limit} 人），"
        f"不能再将“{moved.name}”{verb}为优秀"
    )
