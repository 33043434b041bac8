"""The workflow engine (domain.workflow): declaring a workflow, refusing in Chinese, applying with stamps.

The draft and lead workflows are checked at every boundary against tables written here (not read from the
definitions), and a third workflow, 整改任务 with the office's review, shows the engine serves new types.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

import pytest

from xuncha_desktop.domain import vocab
from xuncha_desktop.domain.errors import WorkflowError
from xuncha_desktop.domain.issue_drafts import SIGNOFF_STEPS, IssueDraft, content_hash
from xuncha_desktop.domain.lead_registrations import LeadRegistration
from xuncha_desktop.domain.organization import User
from xuncha_desktop.domain.states import DraftState, DraftStep, LeadState
from xuncha_desktop.domain.workflow import (
    Move,
    Transition,
    Workflow,
    actor_if_empty,
    fill,
    is_named_in,
    names_of,
    opinion_into,
    put,
    sign,
    today_if_empty,
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


# -- the engine itself ---------------------------------------------------------------------------------
@dataclass(frozen=True)
class Paper:
    stage: str = "甲"
    on: date | None = None
    by: str = ""
    note: str = "原有"
    done: bool = False
    signoffs: list[dict[str, Any]] = field(default_factory=list)


GO = Transition("go", "前进", ("甲",), "乙", roles=("组长",))
PAPER = Workflow[Paper]("文书", "文书", ("甲", "乙"), "甲", (GO,), state_field="stage")


def test_a_workflow_refuses_keys_twice_and_states_it_does_not_declare() -> None:
    with pytest.raises(ValueError, match=r"^文书：转换的键重复$"):
        Workflow[Paper]("文书", "文书", ("甲", "乙"), "甲", (GO, GO))
    with pytest.raises(ValueError, match=r"^文书：未声明的状态 \['丙'\]$"):
        Workflow[Paper]("文书", "文书", ("甲", "乙"), "丙", (GO,))
    with pytest.raises(ValueError, match=r"未声明的状态 \['丁', '丙'\]"):
        Workflow[Paper]("文书", "文书", ("甲", "乙"), "甲", (Transition("x", "x", ("丁",), "丙"),))
    with pytest.raises(ValueError, match=r"未声明的状态 \['乙'\]"):
        Workflow[Paper]("文书", "文书", ("甲",), "甲", (GO,))
    late = Transition("x", "x", ("甲",), "甲", roles_by_source={"丙": ("组长",)})
    with pytest.raises(ValueError, match=r"未声明的状态 \['丙'\]"):
        Workflow[Paper]("文书", "文书", ("甲",), "甲", (late,))
    with pytest.raises(KeyError) as unknown:
        PAPER.transition("back")
    assert unknown.value.args == ("back",)
    assert PAPER.transition("go") is GO and PAPER.state_of(Paper()) == "甲"


def test_the_default_refusals_and_the_order_they_are_checked_in() -> None:
    def never(_record: Any) -> str:
        return "条件不满足"

    def nobody(_record: Any, actor: Any) -> str:
        return f"{actor.display_name}不可以"

    strict = Transition("go", "前进", ("甲",), "乙", roles=("组长",), conditions=(never,), guards=(nobody,))
    flow = Workflow[Paper]("文书", "文书", ("甲", "乙"), "甲", (strict,), state_field="stage")
    assert flow.refusal(strict, Paper(stage="乙"), user("组员")) == "文书当前状态为“乙”，不能前进"
    assert flow.refusal(strict, Paper(), user("组员")) == "前进须由组长进行，当前用户“王芳”的角色是组员"
    assert flow.refusal(strict, Paper(), user("组长")) == "条件不满足"
    loose = dataclasses.replace(strict, conditions=())
    assert flow.refusal(loose, Paper(), user("组长")) == "王芳不可以"
    free = dataclasses.replace(loose, guards=())
    assert flow.refusal(free, Paper(), user("组长")) == ""
    anyone = dataclasses.replace(free, roles=())
    assert flow.refusal(anyone, Paper(), user("组员")) == ""
    worded = dataclasses.replace(
        strict, action="推进", role_refusal="{state}:{action}:{roles_or}:{name}:{role}"
    )
    assert flow.refusal(worded, Paper(), user("组员")) == "甲:推进:组长:王芳:组员"


def test_roles_may_depend_on_the_state_left() -> None:
    t = Transition("x", "x", ("甲", "乙"), "甲", roles=("组员",), roles_by_source={"乙": ("组长", "副组长")})
    assert t.roles_at("甲") == ("组员",) and t.roles_at("乙") == ("组长", "副组长")
    flow = Workflow[Paper]("文书", "文书", ("甲", "乙"), "甲", (t,), state_field="stage")
    assert (
        flow.refusal(t, Paper(stage="乙"), user("组员"))
        == "x须由组长、副组长进行，当前用户“王芳”的角色是组员"
    )
    assert flow.refusal(t, Paper(stage="甲"), user("组员")) == ""


def test_stamps_run_in_order_on_the_moved_record_and_fill_only_what_is_empty() -> None:
    seen: list[str] = []

    def spy(record: Paper, move: Move) -> dict[str, Any]:
        seen.append(f"{record.stage}/{record.done}/{move.step}/{move.today}")
        return {}

    stamps = (put("done", True), spy, today_if_empty("on"), actor_if_empty("by"), opinion_into("note"))
    t = dataclasses.replace(GO, stamps=stamps)
    flow = Workflow[Paper]("文书", "文书", ("甲", "乙"), "甲", (t,), state_field="stage")
    moved = flow.apply(t, Paper(), Move(user("组长"), AT, "同意"))
    assert moved == Paper(stage="乙", on=AT.date(), by="王芳", note="同意", done=True)
    assert seen == ["乙/True/前进/2025-03-11"]
    kept = flow.apply(t, Paper(on=date(2025, 1, 2), by="李四"), Move(user("组长"), AT))
    assert (kept.on, kept.by, kept.note) == (date(2025, 1, 2), "李四", "原有")
    assert fill("by", lambda move: move.opinion)(Paper(), Move(user("组长"), AT, "x")) == {"by": "x"}
    with pytest.raises(WorkflowError, match=r"^前进须由组长进行"):
        flow.apply(t, Paper(), Move(user("组员"), AT))


def test_a_sign_off_entry_records_who_when_what_and_the_fingerprint() -> None:
    stamp = sign(lambda p: f"#{p.note}")  # into `signoffs` unless told otherwise
    move = Move(user("副组长", "赵"), AT, "可以", step="复核")
    assert stamp(Paper(signoffs=[{"step": "旧"}]), move) == {
        "signoffs": [
            {"step": "旧"},
            {
                "step": "复核",
                "by": "赵",
                "role": "副组长",
                "at": "2025-03-11T09:30:15",
                "content_hash": "#原有",
                "opinion": "可以",
            },
        ]
    }


def test_names_match_by_display_name_or_login_never_blank() -> None:
    someone = user("组员", "李明", "liming")
    assert names_of(someone) == ("李明", "liming")
    assert is_named_in(Paper(by=" liming "), "by", someone)
    assert is_named_in(Paper(by="李明"), "by", someone)
    assert not is_named_in(Paper(by="李"), "by", someone)
    assert not is_named_in(Paper(by=" "), "by", user("组员", " ", " "))
    assert not is_named_in(Paper(by=""), "by", user("组员", "", ""))


# -- a third workflow: 整改任务 with the office's review ---------------------------------------------------
@dataclass(frozen=True)
class RectificationTask:
    id: str = ""
    state: str = "待整改"
    measures: str = ""
    started_on: date | None = None
    submitted_by: str = ""
    reviewer: str = ""
    review_opinion: str = ""
    completed_on: date | None = None
    closed: bool = False
    signoffs: list[dict[str, Any]] = field(default_factory=list)


TODO, DOING, REVIEWING, DONE, CLOSED = "待整改", "整改中", "待审核", "已完成", "已销号"


def _has_measures(task: Any) -> str:
    return "" if task.measures.strip() else "请先填写整改措施"


def _not_own_work(task: Any, actor: Any) -> str:
    return "提交整改的人不能审核自己的整改" if is_named_in(task, "submitted_by", actor) else ""


RECTIFY = Workflow[RectificationTask](
    name="整改任务",
    noun="整改任务",
    states=(TODO, DOING, REVIEWING, DONE, CLOSED),
    initial=TODO,
    state_field="state",
    transitions=(
        Transition(
            "start", "开始整改", (TODO,), DOING, roles=("联络员",), stamps=(today_if_empty("started_on"),)
        ),
        Transition(
            "submit",
            "提交审核",
            (DOING,),
            REVIEWING,
            roles=("联络员",),
            conditions=(_has_measures,),
            stamps=(actor_if_empty("submitted_by"), sign(lambda t: t.measures)),
        ),
        Transition(
            "accept",
            "审核通过",
            (REVIEWING,),
            DONE,
            roles=(OFFICE,),
            action="审核",
            guards=(_not_own_work,),
            stamps=(
                actor_if_empty("reviewer"),
                opinion_into("review_opinion"),
                today_if_empty("completed_on"),
            ),
        ),
        Transition(
            "reject",
            "退回整改",
            (REVIEWING,),
            DOING,
            roles=(OFFICE,),
            asks="请填写退回的原因：",
            stamps=(opinion_into("review_opinion"),),
        ),
        Transition("close", "销号", (DONE,), CLOSED, roles=(OFFICE, "组长"), stamps=(put("closed", True),)),
    ),
)
LIAISON = user("联络员", "钱联络员", "qian")
ADMIN = user(OFFICE, "孙管理员", "sun")


def test_a_rectification_task_goes_through_office_review_to_closing() -> None:
    task = RectificationTask(id="r1")
    assert [t.key for t in RECTIFY.allowed(task, LIAISON)] == ["start"] and RECTIFY.allowed(task, ADMIN) == []
    doing = RECTIFY.apply(RECTIFY.transition("start"), task, Move(LIAISON, AT))
    assert (doing.state, doing.started_on) == (DOING, AT.date())
    submit = RECTIFY.transition("submit")
    assert not RECTIFY.offered(submit, doing)
    assert RECTIFY.refusal(submit, doing, LIAISON) == "请先填写整改措施"
    waiting = RECTIFY.apply(submit, dataclasses.replace(doing, measures="已清退"), Move(LIAISON, AT))
    assert (waiting.submitted_by, [s["content_hash"] for s in waiting.signoffs]) == ("钱联络员", ["已清退"])
    accept = RECTIFY.transition("accept")
    assert (
        RECTIFY.refusal(accept, waiting, LIAISON)
        == "审核须由巡察办管理员进行，当前用户“钱联络员”的角色是联络员"
    )
    own = user(OFFICE, "钱联络员")
    assert RECTIFY.refusal(accept, waiting, own) == "提交整改的人不能审核自己的整改"
    back = RECTIFY.apply(RECTIFY.transition("reject"), waiting, Move(ADMIN, AT, "证明材料不全"))
    assert (back.state, back.review_opinion) == (DOING, "证明材料不全")
    done = RECTIFY.apply(accept, waiting, Move(ADMIN, AT, "整改到位"))
    assert (done.state, done.reviewer, done.review_opinion, done.completed_on) == (
        DONE,
        "孙管理员",
        "整改到位",
        AT.date(),
    )
    closed = RECTIFY.apply(RECTIFY.transition("close"), done, Move(ADMIN, AT))
    assert (closed.state, closed.closed) == (CLOSED, True) and RECTIFY.is_final(CLOSED)
    assert (
        RECTIFY.refusal(RECTIFY.transition("close"), closed, ADMIN) == "整改任务当前状态为“已销号”，不能销号"
    )
