"""The draft, lead and appraisal workflows (domain.workflows), checked at every state × role against tables
written here (not read from the definitions), with their guards, refusals, hints and the edit after
sign-off, and the 优秀 cap of the 抽调干部考核 at its boundary."""

from __future__ import annotations

import dataclasses
from datetime import datetime

import pytest

from xuncha_desktop.domain import vocab
from xuncha_desktop.domain.errors import WorkflowError
from xuncha_desktop.domain.issue_drafts import SIGNOFF_STEPS, IssueDraft, content_hash
from xuncha_desktop.domain.lead_registrations import LeadRegistration
from xuncha_desktop.domain.organization import User
from xuncha_desktop.domain.personnel_evaluations import MemberAppraisal
from xuncha_desktop.domain.states import AppraisalState, AppraisalStep, DraftState, DraftStep, LeadState
from xuncha_desktop.domain.workflow import (
    Move,
)
from xuncha_desktop.domain.workflows import (
    APPRAISAL_APPROVE,
    APPRAISAL_RECOMMEND,
    APPRAISAL_RETURN,
    APPRAISAL_WORKFLOW,
    DRAFT_EDITED_AFTER_SIGNOFF,
    DRAFT_WORKFLOW,
    LEAD_TRANSFER,
    LEAD_WORKFLOW,
    RoundGrades,
    excellent_cap_refusal,
    excellent_limit,
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


# -- 抽调干部考核 -------------------------------------------------------------------------------------------
APPRAISAL_RULES: dict[str, dict[str, tuple[str, ...]]] = {
    "recommend": {AppraisalState.PENDING: ("组长",)},
    "office_opinion": {AppraisalState.RECOMMENDED: (OFFICE,)},
    "approve": {AppraisalState.OPINION_GIVEN: (OFFICE,)},
    "return": {AppraisalState.RECOMMENDED: ("组长", OFFICE), AppraisalState.OPINION_GIVEN: (OFFICE,)},
}
APPRAISAL_TARGETS = {
    "recommend": AppraisalState.RECOMMENDED,
    "office_opinion": AppraisalState.OPINION_GIVEN,
    "approve": AppraisalState.APPROVED,
    "return": AppraisalState.PENDING,
}


def appraisal(status: str = AppraisalState.PENDING, **kw: object) -> MemberAppraisal:
    values: dict[str, object] = {"id": "a1", "name": "李明", "grade": "称职", "status": status}
    values.update(kw)
    return MemberAppraisal(**values)  # type: ignore[arg-type]


@pytest.mark.parametrize("key", list(APPRAISAL_RULES))
@pytest.mark.parametrize("state", AppraisalState.ALL)
@pytest.mark.parametrize("role", ROLES)
def test_each_appraisal_step_is_allowed_exactly_where_and_to_whom_the_rules_say(
    key: str, state: str, role: str
) -> None:
    step = APPRAISAL_WORKFLOW.transition(key)
    record = appraisal(state)
    allowed = role in APPRAISAL_RULES[key].get(state, ())
    assert (APPRAISAL_WORKFLOW.refusal(step, record, user(role)) == "") is allowed
    if allowed:
        moved = APPRAISAL_WORKFLOW.apply(step, record, Move(user(role), AT, "意见"))
        assert moved.status == APPRAISAL_TARGETS[key]
        assert [e["step"] for e in moved.approvals] == [step.label]
    else:
        with pytest.raises(WorkflowError):
            APPRAISAL_WORKFLOW.apply(step, record, Move(user(role), AT))


def test_the_appraisal_workflow_matches_the_stored_vocabulary_and_ends_at_approval() -> None:
    assert APPRAISAL_WORKFLOW.states == vocab.APPRAISAL_STATES
    assert [t.label for t in APPRAISAL_WORKFLOW.steps] == list(AppraisalStep.ALL)
    assert APPRAISAL_WORKFLOW.is_final(AppraisalState.APPROVED)
    refused = APPRAISAL_WORKFLOW.refusal(APPRAISAL_RECOMMEND, appraisal(), user("组员", "李明"))
    assert refused == "推荐等次须由组长进行，当前用户“李明”的角色是组员"
    returned = APPRAISAL_WORKFLOW.refusal(
        APPRAISAL_RETURN, appraisal(AppraisalState.OPINION_GIVEN), user("组长")
    )
    assert returned == "已提出考核意见的鉴定只能由巡察办管理员退回，当前用户的角色是组长"


def test_each_appraisal_step_is_stamped_with_who_when_and_the_opinion() -> None:
    leader, office = user("组长", "张组长"), user(OFFICE, "周主任")
    flow = APPRAISAL_WORKFLOW
    recommended = flow.apply(APPRAISAL_RECOMMEND, appraisal(), Move(leader, AT, "表现突出"))
    opinion = flow.apply(flow.transition("office_opinion"), recommended, Move(office, AT, "同意"))
    approved = flow.apply(APPRAISAL_APPROVE, opinion, Move(office, AT))
    assert approved.approved_grade == "称职"  # left empty: the recommended grade is approved
    assert approved.approvals == [
        {
            "step": "推荐等次",
            "by": "张组长",
            "role": "组长",
            "at": "2025-03-11T09:30:15",
            "opinion": "表现突出",
        },
        {
            "step": "提出考核意见",
            "by": "周主任",
            "role": OFFICE,
            "at": "2025-03-11T09:30:15",
            "opinion": "同意",
        },
        {
            "step": "审定等次",
            "by": "周主任",
            "role": OFFICE,
            "at": "2025-03-11T09:30:15",
            "opinion": "审定等次：称职",
        },
    ]


def test_the_approved_grade_typed_in_is_kept_and_the_entry_names_both_grades() -> None:
    typed = appraisal(AppraisalState.OPINION_GIVEN, grade="优秀", approved_grade="称职")
    approved = APPRAISAL_WORKFLOW.apply(APPRAISAL_APPROVE, typed, Move(user(OFFICE), AT))
    assert approved.approved_grade == "称职"
    assert approved.approvals[-1]["opinion"] == "审定等次：称职（推荐等次：优秀）"


def test_returning_clears_a_decision_typed_in_and_logs_the_reason() -> None:
    typed = appraisal(AppraisalState.OPINION_GIVEN, approved_grade="优秀", approvals=[{"step": "推荐等次"}])
    back = APPRAISAL_WORKFLOW.apply(APPRAISAL_RETURN, typed, Move(user(OFFICE), AT, "请补充工作实绩"))
    assert (back.status, back.approved_grade) == (AppraisalState.PENDING, "")
    assert [(e["step"], e["opinion"]) for e in back.approvals[1:]] == [("退回", "请补充工作实绩")]


@pytest.mark.parametrize(
    ("total", "percent", "limit"),
    [
        (0, 20, 0),
        (1, 20, 1),
        (4, 20, 1),
        (5, 20, 1),
        (9, 20, 1),
        (10, 20, 2),
        (12, 20, 2),
        (15, 20, 3),
        (12, 0, 0),
        (12, 100, 12),
        (7, 30, 2),
    ],
)
def test_the_limit_is_the_share_rounded_down_but_one_at_least(total: int, percent: int, limit: int) -> None:
    assert excellent_limit(total, percent) == limit


def test_the_recommendation_cap_counts_the_round_s_recommended_excellent() -> None:
    moved = appraisal(AppraisalState.RECOMMENDED, grade="优秀", name="王五")
    # 12 appraisals, at most 2 优秀: one recommended already, this one is the second.
    assert excellent_cap_refusal(APPRAISAL_RECOMMEND, moved, RoundGrades(11, 1, 0), 20) == ""
    assert excellent_cap_refusal(APPRAISAL_RECOMMEND, moved, RoundGrades(11, 2, 0), 20) == (
        "本轮已推荐优秀 2 人，共 12 人，优秀比例不得超过 20%（最多 2 人），不能再将“王五”推荐为优秀"
    )
    ordinary = dataclasses.replace(moved, grade="称职")
    assert excellent_cap_refusal(APPRAISAL_RECOMMEND, ordinary, RoundGrades(11, 5, 5), 20) == ""


def test_the_approval_cap_counts_the_round_s_approved_excellent_only() -> None:
    moved = appraisal(AppraisalState.APPROVED, grade="称职", approved_grade="优秀", name="王五")
    assert excellent_cap_refusal(APPRAISAL_APPROVE, moved, RoundGrades(11, 9, 1), 20) == ""
    assert excellent_cap_refusal(APPRAISAL_APPROVE, moved, RoundGrades(11, 0, 2), 20) == (
        "本轮已审定优秀 2 人，共 12 人，优秀比例不得超过 20%（最多 2 人），不能再将“王五”审定为优秀"
    )
    assert excellent_cap_refusal(APPRAISAL_RETURN, moved, RoundGrades(11, 9, 9), 20) == ""
    none_allowed = excellent_cap_refusal(APPRAISAL_APPROVE, moved, RoundGrades(3, 0, 0), 0)
    assert none_allowed.startswith("本轮已审定优秀 0 人，共 4 人，优秀比例不得超过 0%（最多 0 人）")
