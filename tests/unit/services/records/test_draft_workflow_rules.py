"""问题底稿 sign-off rules at their edges: the approval hash, edits of approved drafts, refusals' wording,
and what a new draft or a step without an opinion records."""

from __future__ import annotations

import dataclasses
from datetime import datetime

from tests.builders import Context, draft
from xuncha_desktop.domain.issue_drafts import IssueDraft, content_hash, signed_hash
from xuncha_desktop.domain.organization import User
from xuncha_desktop.services.records.draft_workflow import (
    APPROVE,
    RETURN,
    SUBMIT,
    DraftWorkflow,
    after_edit,
    refusal,
    take_step,
)
from xuncha_desktop.services.workspace import Workspace

AT = datetime(2025, 3, 11, 9, 30)
LATER = datetime(2025, 3, 12, 16, 0)
PREPARER = User(login="liming", display_name="李明", role="组员")
DEPUTY = User(login="zhao", display_name="赵副组长", role="副组长")
LEADER = User(login="zhang", display_name="张组长", role="组长")


def test_the_signed_hash_is_that_of_the_last_approval() -> None:
    steps = [
        {"step": "提交复核", "content_hash": "a"},
        {"step": APPROVE.label, "content_hash": "b"},
        {"step": "审签后修改", "content_hash": "c"},
        {"step": APPROVE.label, "content_hash": "d"},
        {"step": "退回修改", "content_hash": "e"},
    ]
    assert signed_hash(IssueDraft(signoffs=steps)) == "d"
    assert signed_hash(IssueDraft(signoffs=steps[:3])) == "b"
    assert signed_hash(IssueDraft(signoffs=steps[:1])) == ""
    assert signed_hash(IssueDraft()) == ""
    assert signed_hash(IssueDraft(signoffs=[{"step": APPROVE.label}])) == ""


def test_an_approved_draft_without_an_approval_step_keeps_its_state_when_unchanged() -> None:
    """Approved before the sign-offs were recorded (an imported ledger): the stored content is what counts."""
    stored = IssueDraft(id="d1", title="违规发放津补贴", preparer="李明", status="已审签")
    same = after_edit(stored, dataclasses.replace(stored, status="草稿"), LEADER, AT)
    assert (same.status, same.signoffs, same.edited_after_signoff) == ("已审签", [], False)
    changed = after_edit(stored, dataclasses.replace(stored, title="违规发放津补贴（改）"), LEADER, AT)
    assert (changed.status, changed.edited_after_signoff) == ("待复核", True)


def test_an_edit_keeps_the_stored_flag_of_an_edit_after_approval() -> None:
    stored = IssueDraft(id="d1", title="甲", preparer="李明", status="待复核", edited_after_signoff=True)
    kept = after_edit(
        stored, dataclasses.replace(stored, title="乙", edited_after_signoff=False), PREPARER, AT
    )
    assert (kept.title, kept.status, kept.edited_after_signoff) == ("乙", "待复核", True)


def test_refusals_say_who_may_and_what_is_missing() -> None:
    nobody = IssueDraft(title="甲")
    assert refusal(SUBMIT, nobody, PREPARER) == "只有承办人（未填写）本人可以提交复核"
    waiting = IssueDraft(title="甲", preparer="李明", status="待审签")
    assert refusal(RETURN, waiting, DEPUTY) == "待审签的底稿只能由组长退回，当前用户的角色是副组长"
    assert refusal(RETURN, waiting, LEADER) == ""
    reviewing = dataclasses.replace(waiting, status="待复核")
    assert refusal(RETURN, reviewing, DEPUTY) == ""
    assert refusal(RETURN, reviewing, PREPARER) == "待复核的底稿只能由副组长或组长退回，当前用户的角色是组员"


def test_a_step_without_an_opinion_records_an_empty_one() -> None:
    d = IssueDraft(title="甲", preparer="李明")
    [step] = take_step(SUBMIT, d, PREPARER, AT).signoffs
    assert step == {
        "step": "提交复核",
        "by": "李明",
        "role": "组员",
        "at": "2025-03-11T09:30:00",
        "content_hash": content_hash(d),
        "opinion": "",
    }


def test_the_service_offers_no_step_to_an_unsaved_draft_and_refuses_as_its_user(
    workspace: Workspace, ctx: Context
) -> None:
    flow = DraftWorkflow(workspace, clock=lambda: AT)
    assert flow.available(IssueDraft(title="甲")) == []
    workspace.user = PREPARER
    saved = flow.save(draft(ctx, preparer="李明", edited_after_signoff=True))
    assert (saved.status, saved.signoffs, saved.edited_after_signoff) == ("草稿", [], False)
    assert [s.key for s in flow.available(saved)] == ["submit"]
    assert flow.refusal("approve", saved) == "底稿当前状态为“草稿”，不能审签通过"
    [step] = flow.perform("submit", saved.id).signoffs
    assert (step["opinion"], step["by"]) == ("", "李明")


def test_an_edit_after_approval_through_the_service_is_signed_by_its_user_and_time(
    workspace: Workspace, ctx: Context
) -> None:
    clock = [AT]
    flow = DraftWorkflow(workspace, clock=lambda: clock[0])
    workspace.user = PREPARER
    saved = flow.save(draft(ctx, preparer="李明"))
    flow.perform("submit", saved.id)
    workspace.user = DEPUTY
    flow.perform("review", saved.id)
    workspace.user = LEADER
    approved = flow.perform("approve", saved.id)
    clock[0] = LATER
    edited = flow.save(dataclasses.replace(approved, title="违规发放津补贴（审签后改）"), revoke_signoff=True)
    last = edited.signoffs[-1]
    assert (edited.status, edited.edited_after_signoff) == ("待复核", True)
    assert (last["step"], last["by"], last["role"], last["at"], last["opinion"]) == (
        "审签后修改",
        "张组长",
        "组长",
        "2025-03-12T16:00:00",
        "",
    )
    workspace.user = DEPUTY
    waiting = flow.perform("review", saved.id)
    assert flow.refusal("approve", waiting) == "审签须由组长进行，当前用户“赵副组长”的角色是副组长"


def test_a_step_taken_with_an_opinion_signs_it() -> None:
    waiting = IssueDraft(title="甲", preparer="李明", status="待审签")
    [step] = take_step(RETURN, waiting, LEADER, AT, "请补充发放明细").signoffs
    assert (step["step"], step["by"], step["opinion"]) == ("退回修改", "张组长", "请补充发放明细")
