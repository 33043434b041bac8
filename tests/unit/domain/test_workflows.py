"""The draft and lead workflows (domain.workflows), checked at every state × role against tables written
here (not read from the definitions), with their guards, refusals, hints and the edit after sign-off."""

from __future__ import annotations

import dataclasses
from datetime import datetime

import pytest

from xuncha_desktop.domain import vocab
from xuncha_desktop.domain.errors import WorkflowError
from xuncha_desktop.domain.issue_drafts import SIGNOFF_STEPS, IssueDraft, content_hash
from xuncha_desktop.domain.lead_registrations import LeadRegistration
from xuncha_desktop.domain.organization import User
from xuncha_desktop.domain.states import DraftState, DraftStep, LeadState
from xuncha_desktop.domain.workflow import (
    Move,
)
from xuncha_desktop.domain.workflows import (
    DRAFT_EDITED_AFTER_SIGNOFF,
    DRAFT_WORKFLOW,
    LEAD_TRANSFER,
    LEAD_WORKFLOW,
)

AT = datetime(2025, 3, 11, 9, 30, 15)
ROLES = vocab.USER_ROLES
OFFICE = vocab.OFFICE_ADMIN


def user(role: str, name: str = "王芳", login: str = "wangfang") -> User:
    return User(login=login, display_name=name, role=role)


# -- the draft and lead workflows at every state × role ------------------------------------------------
# key → {from state: roles allowed}; None: any role (the guard decides).
DRAFT_RULES: dict[str, dict[str, tuple[str, ...] | None]] = {
    "submit": {DraftState.DRAFT: None},
    "review": {DraftState.PENDING_REVIEW: ("副组长",)},
    "approve": {DraftState.PENDING_APPROVAL: ("组长",)},
    "return": {DraftState.PENDING_REVIEW: ("副组长", "组长"), DraftState.PENDING_APPROVAL: ("组长",)},
}
DRAFT_TARGETS = {
    "submit": DraftState.PENDING_REVIEW,
    "review": DraftState.PENDING_APPROVAL,
    "approve": DraftState.SIGNED,
    "return": DraftState.DRAFT,
}
LEAD_RULES: dict[str, tuple[str, str, tuple[str, ...]]] = {
    "judge": (LeadState.REGISTERED, LeadState.JUDGED, ("组长", "副组长")),
    "propose": (LeadState.JUDGED, LeadState.PROPOSED, ("组长",)),
    "transfer": (LeadState.PROPOSED, LeadState.TRANSFERRED, ("组长", "联络员", OFFICE)),
    "feedback": (LeadState.TRANSFERRED, LeadState.FED_BACK, ("组长", "联络员", OFFICE)),
    "close": (LeadState.FED_BACK, LeadState.CLOSED, ("组长", OFFICE)),
}


@pytest.mark.parametrize("key", list(DRAFT_RULES))
@pytest.mark.parametrize("state", DraftState.ALL)
@pytest.mark.parametrize("role", ROLES)
def test_each_draft_step_is_allowed_exactly_where_and_to_whom_the_rules_say(
    key: str, state: str, role: str
) -> None:
    t = DRAFT_WORKFLOW.transition(key)
    actor = user(role)
    preparer = actor.display_name if key == "submit" else "李明"  # the guards hold: only state and role count
    draft = IssueDraft(id="d1", title="甲", preparer=preparer, status=state)
    rule = DRAFT_RULES[key]
    allowed = state in rule and (rule[state] is None or role in (rule[state] or ()))
    reason = DRAFT_WORKFLOW.refusal(t, draft, actor)
    assert (reason == "") is allowed, reason
    if state not in rule:
        assert reason == f"底稿当前状态为“{state}”，不能{t.label}"
        with pytest.raises(WorkflowError, match="不能"):
            DRAFT_WORKFLOW.apply(t, draft, Move(actor, AT))
    if allowed:
        moved = DRAFT_WORKFLOW.apply(t, draft, Move(actor, AT, "意见"))
        assert moved.status == DRAFT_TARGETS[key] and moved.signoffs[-1]["step"] == t.label
        assert moved.signoffs[-1]["opinion"] == "意见" and len(moved.signoffs) == 1
    assert (t in DRAFT_WORKFLOW.allowed(draft, actor)) is allowed


@pytest.mark.parametrize("key", list(LEAD_RULES))
@pytest.mark.parametrize("state", LeadState.ALL)
@pytest.mark.parametrize("role", ROLES)
def test_each_lead_step_is_allowed_exactly_where_and_to_whom_the_rules_say(
    key: str, state: str, role: str
) -> None:
    source, target, roles = LEAD_RULES[key]
    t = LEAD_WORKFLOW.transition(key)
    actor = user(role)
    lead = LeadRegistration(id="l1", status=state, proposed_disposal="移交组织部门")
    allowed = state == source and role in roles
    reason = LEAD_WORKFLOW.refusal(t, lead, actor)
    assert (reason == "") is allowed, reason
    if state != source:
        assert reason == f"线索当前状态为“{state}”，不能{t.label}"
    elif not allowed:
        assert reason == f"{t.label}须由{'、'.join(roles)}进行，当前用户“王芳”的角色是{role}"
    else:
        assert LEAD_WORKFLOW.apply(t, lead, Move(actor, AT)).status == target
    assert LEAD_WORKFLOW.offered(t, lead) is (state == source)


def test_the_draft_role_refusals_name_the_act_and_the_state() -> None:
    reviewing = IssueDraft(id="d1", preparer="李明", status=DraftState.PENDING_REVIEW)
    review, approve, back = (DRAFT_WORKFLOW.transition(k) for k in ("review", "approve", "return"))
    assert DRAFT_WORKFLOW.refusal(review, reviewing, user("组长")) == (
        "复核须由副组长进行，当前用户“王芳”的角色是组长"
    )
    assert DRAFT_WORKFLOW.refusal(back, reviewing, user("组员")) == (
        "待复核的底稿只能由副组长或组长退回，当前用户的角色是组员"
    )
    signing = dataclasses.replace(reviewing, status=DraftState.PENDING_APPROVAL)
    assert DRAFT_WORKFLOW.refusal(approve, signing, user("副组长", "赵")) == (
        "审签须由组长进行，当前用户“赵”的角色是副组长"
    )
    assert DRAFT_WORKFLOW.refusal(back, signing, user("副组长")) == (
        "待审签的底稿只能由组长退回，当前用户的角色是副组长"
    )


def test_the_person_guards_of_the_draft_chain() -> None:
    submit, review = DRAFT_WORKFLOW.transition("submit"), DRAFT_WORKFLOW.transition("review")
    fresh = IssueDraft(id="d1", preparer=" 李明 ")
    assert DRAFT_WORKFLOW.refusal(submit, fresh, user("组员", "李明")) == ""
    assert DRAFT_WORKFLOW.refusal(submit, fresh, user("组员", "某人", "李明")) == ""  # by login
    assert DRAFT_WORKFLOW.refusal(submit, fresh, user("组长")) == "只有承办人（ 李明 ）本人可以提交复核"
    blank = IssueDraft(id="d1", preparer="  ")
    assert DRAFT_WORKFLOW.refusal(submit, blank, user("组员", "  ")) == "只有承办人（  ）本人可以提交复核"
    own = IssueDraft(id="d1", preparer="赵", status=DraftState.PENDING_REVIEW)
    assert DRAFT_WORKFLOW.refusal(review, own, user("副组长", "赵")) == "承办人不能复核自己编制的底稿"
    assert DRAFT_WORKFLOW.allowed(own, user("副组长", "赵")) == [DRAFT_WORKFLOW.transition("return")]


def test_a_lead_without_a_transfer_disposal_is_not_offered_the_transfer() -> None:
    for disposal in ("了结", "暂存", ""):
        waiting = LeadRegistration(id="l1", status=LeadState.PROPOSED, proposed_disposal=disposal)
        assert not LEAD_WORKFLOW.offered(LEAD_TRANSFER, waiting)
        assert LEAD_WORKFLOW.refusal(LEAD_TRANSFER, waiting, user("联络员")) == (
            f"拟处置建议为“{disposal or '未填写'}”的线索不需要移交"
        )
        assert LEAD_WORKFLOW.allowed(waiting, user("组长")) == []
    # the role is checked before the disposal: a 组员 hears about the role first
    assert "须由组长、联络员、巡察办管理员进行" in LEAD_WORKFLOW.refusal(LEAD_TRANSFER, waiting, user("组员"))


def test_the_declared_workflows_match_the_stored_vocabularies() -> None:
    assert DRAFT_WORKFLOW.states == vocab.DRAFT_STATES and LEAD_WORKFLOW.states == vocab.LEAD_STATES
    assert IssueDraft().status == DRAFT_WORKFLOW.initial == DraftState.DRAFT
    assert LeadRegistration().status == LEAD_WORKFLOW.initial == LeadState.REGISTERED
    assert {t.label for t in DRAFT_WORKFLOW.transitions} == set(SIGNOFF_STEPS) == set(DraftStep.ALL)
    assert [t.key for t in DRAFT_WORKFLOW.steps] == ["submit", "review", "approve", "return"]
    assert DRAFT_EDITED_AFTER_SIGNOFF not in DRAFT_WORKFLOW.leaving(DraftState.SIGNED)
    assert [DRAFT_WORKFLOW.is_final(s) for s in DraftState.ALL] == [False, False, False, False, True, True]
    assert [LEAD_WORKFLOW.is_final(s) for s in LeadState.ALL] == [False] * 5 + [True]


def test_the_tooltips_say_who_and_what_to_fill_in_first() -> None:
    assert [t.hint for t in LEAD_WORKFLOW.steps] == [
        "由组长、副组长操作；须先填写组务会研判意见",
        "由组长操作；须先填写拟处置建议",
        "由组长、联络员、巡察办管理员操作；须先填写移交单位、移交日期、接收人",
        "由组长、联络员、巡察办管理员操作；须先填写办理方式、反馈日期",
        "由组长、巡察办管理员操作",
    ]
    assert [t.hint for t in DRAFT_WORKFLOW.steps] == [
        "承办人本人提交",
        "副组长复核（承办人不能复核自己的底稿）",
        "组长审签",
        "待复核时由副组长或组长退回，待审签时由组长退回",
    ]


def test_an_edit_after_signoff_is_a_system_step_that_flags_and_signs() -> None:
    signed = IssueDraft(id="d1", title="甲", status=DraftState.SIGNED, signoffs=[{"step": "审签通过"}])
    back = DRAFT_WORKFLOW.apply(DRAFT_EDITED_AFTER_SIGNOFF, signed, Move(user("组员", "李明"), AT))
    assert (back.status, back.edited_after_signoff) == (DraftState.PENDING_REVIEW, True)
    assert back.signoffs == [
        {"step": "审签通过"},
        {
            "step": "审签后修改",
            "by": "李明",
            "role": "组员",
            "at": "2025-03-11T09:30:15",
            "content_hash": content_hash(signed),
            "opinion": "",
        },
    ]
    assert signed.signoffs == [{"step": "审签通过"}]  # the record given is never changed
