"""The workflow engine (domain.workflow): declaring a workflow, refusing in Chinese, applying with stamps.

A made-up workflow and a third real one, 整改任务 with the office's review, show the engine serves new
types; the draft and lead workflows declared with it are tested in test_workflows.py.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

import pytest

from xuncha_desktop.domain import vocab
from xuncha_desktop.domain.errors import WorkflowError
from xuncha_desktop.domain.organization import User
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

AT = datetime(2025, 3, 11, 9, 30, 15)
OFFICE = vocab.OFFICE_ADMIN


def user(role: str, name: str = "王芳", login: str = "wangfang") -> User:
    return User(login=login, display_name=name, role=role)


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
