"""问题底稿 sign-off chain: who may take which step, the signed hashes, and edits after 审签."""

from __future__ import annotations

import dataclasses
from datetime import datetime

import pytest

from tests.builders import Context, draft
from xuncha_desktop.domain.errors import WorkflowError
from xuncha_desktop.domain.issue_drafts import IssueDraft, SignoffRevocationRequired
from xuncha_desktop.domain.organization import User
from xuncha_desktop.domain.record_types import DRAFT
from xuncha_desktop.gui.pages.field_labels import field_label
from xuncha_desktop.services.records.draft_workflow import (
    APPROVE,
    REVIEW,
    DraftWorkflow,
    after_edit,
    content_hash,
    refusal,
    take_step,
)
from xuncha_desktop.services.records.record_service import RecordService
from xuncha_desktop.services.security.audit_log import AuditLog, AuditQuery
from xuncha_desktop.services.workspace import Workspace

AT = datetime(2025, 3, 11, 9, 30)
PREPARER = User(login="liming", display_name="李明", role="组员")
DEPUTY = User(login="zhao", display_name="赵副组长", role="副组长")
LEADER = User(login="zhang", display_name="张组长", role="组长")


def _as(ws: Workspace, user: User) -> None:
    ws.user = user  # the workflow reads the current user on every call


def test_content_hash_ignores_the_workflow_fields() -> None:
    d = IssueDraft(title="违规发放津补贴", preparer="李明")
    moved = dataclasses.replace(d, status="已审签", signoffs=[{"step": "x"}], edited_after_signoff=True)
    assert content_hash(d) == content_hash(moved)
    assert content_hash(d) != content_hash(dataclasses.replace(d, title="违规发放津补贴（改）"))
    assert len(content_hash(d)) == 64


def test_the_full_chain_signs_every_step(workspace: Workspace, ctx: Context) -> None:
    flow = DraftWorkflow(workspace, clock=lambda: AT)
    _as(workspace, PREPARER)
    saved = flow.save(draft(ctx, preparer="李明", status="已审签", signoffs=[{"step": "伪造"}]))
    assert (saved.status, saved.signoffs) == ("草稿", [])  # a new draft cannot start signed
    submitted = flow.perform("submit", saved.id)
    _as(workspace, DEPUTY)
    reviewed = flow.perform("review", saved.id, opinion="事实清楚")
    _as(workspace, LEADER)
    approved = flow.perform("approve", saved.id, opinion="同意")
    assert [submitted.status, reviewed.status, approved.status] == ["待复核", "待审签", "已审签"]
    steps = approved.signoffs
    assert [(s["step"], s["by"], s["role"]) for s in steps] == [
        ("提交复核", "李明", "组员"),
        ("复核通过", "赵副组长", "副组长"),
        ("审签通过", "张组长", "组长"),
    ]
    assert steps[1]["opinion"] == "事实清楚" and steps[2]["at"] == "2025-03-11T09:30:00"
    assert {s["content_hash"] for s in steps} == {content_hash(approved)}


def test_only_the_preparer_submits(workspace: Workspace, ctx: Context) -> None:
    flow = DraftWorkflow(workspace)
    _as(workspace, PREPARER)
    saved = flow.save(draft(ctx, preparer="李明"))
    _as(workspace, LEADER)
    with pytest.raises(WorkflowError, match="只有承办人（李明）本人可以提交复核"):
        flow.perform("submit", saved.id)


def test_the_preparer_cannot_review_their_own_draft() -> None:
    deputy_preparer = dataclasses.replace(DEPUTY, display_name="李明")
    waiting = IssueDraft(id="x", preparer="李明", status="待复核")
    assert refusal(REVIEW, waiting, deputy_preparer) == "承办人不能复核自己编制的底稿"
    assert "复核须由副组长进行" in refusal(REVIEW, waiting, LEADER)
    assert refusal(REVIEW, waiting, DEPUTY) == ""


def test_only_the_group_leader_approves() -> None:
    waiting = IssueDraft(id="x", preparer="李明", status="待审签")
    with pytest.raises(WorkflowError, match="审签须由组长进行"):
        take_step(APPROVE, waiting, DEPUTY, AT)
    with pytest.raises(WorkflowError, match="不能复核通过"):
        take_step(REVIEW, waiting, DEPUTY, AT)


def test_returning_sends_the_draft_back_to_the_preparer(workspace: Workspace, ctx: Context) -> None:
    flow = DraftWorkflow(workspace, clock=lambda: AT)
    _as(workspace, PREPARER)
    saved = flow.save(draft(ctx, preparer="李明"))
    flow.perform("submit", saved.id)
    _as(workspace, DEPUTY)
    back = flow.perform("return", saved.id, opinion="金额需核实")
    assert back.status == "草稿"
    assert back.signoffs[-1]["step"] == "退回修改" and back.signoffs[-1]["opinion"] == "金额需核实"
    assert [s.key for s in flow.available(back)] == ["submit"]


def test_an_edit_after_approval_is_flagged_and_goes_back_for_review() -> None:
    approved = take_step(APPROVE, IssueDraft(id="x", preparer="李明", status="待审签"), LEADER, AT)
    edited = dataclasses.replace(approved, description="补充了事实", status="草稿", signoffs=[])
    result = after_edit(approved, edited, PREPARER, AT)
    assert result.status == "待复核" and result.edited_after_signoff
    assert result.signoffs[-1]["step"] == "审签后修改"
    assert result.signoffs[-1]["content_hash"] == content_hash(edited)
    assert after_edit(approved, approved, PREPARER, AT) == approved  # saving unchanged keeps 已审签


def test_an_edit_before_approval_keeps_state_and_signoffs(workspace: Workspace, ctx: Context) -> None:
    flow = DraftWorkflow(workspace)
    _as(workspace, PREPARER)
    saved = flow.perform("submit", flow.save(draft(ctx, preparer="李明")).id)
    edited = flow.save(dataclasses.replace(saved, title="新标题", status="已审签", signoffs=[]))
    assert (edited.title, edited.status, len(edited.signoffs)) == ("新标题", "待复核", 1)
    assert not edited.edited_after_signoff


# -- editing a signed draft revokes the sign-off, and only with consent ---------------------------------
def _signed(workspace: Workspace, ctx: Context) -> IssueDraft:
    flow = DraftWorkflow(workspace, clock=lambda: AT)
    _as(workspace, PREPARER)
    saved = flow.save(draft(ctx, preparer="李明"))
    flow.perform("submit", saved.id)
    _as(workspace, DEPUTY)
    flow.perform("review", saved.id)
    _as(workspace, LEADER)
    return flow.perform("approve", saved.id)


def test_a_change_to_a_signed_draft_is_refused_without_consent(workspace: Workspace, ctx: Context) -> None:
    signed = _signed(workspace, ctx)
    flow = DraftWorkflow(workspace, clock=lambda: AT)
    changed = dataclasses.replace(signed, description="补充了事实")
    assert flow.revokes_signoff(changed) and not flow.revokes_signoff(signed)
    message = f"问题底稿“{signed.number}”已审签，修改内容将撤销审签，底稿退回待复核；须确认撤销审签后才能保存"
    with pytest.raises(SignoffRevocationRequired) as refused:
        flow.save(changed)
    assert str(refused.value) == message
    drafts = RecordService[IssueDraft](workspace, DRAFT)
    for direct in (lambda: drafts.save(changed), lambda: drafts.save_many([changed])):  # CLI, ledger
        with pytest.raises(SignoffRevocationRequired, match="须确认撤销审签"):
            direct()
    kept = drafts.get(signed.id)
    assert (kept.status, kept.description, kept.signoffs) == ("已审签", signed.description, signed.signoffs)
    assert flow.save(signed).status == "已审签"  # saving unchanged asks nothing


def test_consenting_revokes_the_signoff_and_the_audit_log_says_so(workspace: Workspace, ctx: Context) -> None:
    signed = _signed(workspace, ctx)
    flow = DraftWorkflow(workspace, clock=lambda: AT)
    saved = flow.save(dataclasses.replace(signed, description="补充了事实"), revoke_signoff=True)
    assert (saved.status, saved.edited_after_signoff, saved.description) == ("待复核", True, "补充了事实")
    assert saved.signoffs[-1]["step"] == "审签后修改"
    [entry] = AuditLog(workspace, field_label).list(AuditQuery(action="revoke_signoff"))
    assert (entry.action_label, entry.record_id, entry.user) == ("撤销审签", signed.id, LEADER.login)
    assert entry.summary.startswith("撤销审签：修改了")
    assert ("状态", "已审签", "待复核") in [(c.label, c.old, c.new) for c in entry.changes]


def test_consent_does_not_let_a_changed_draft_stay_signed(workspace: Workspace, ctx: Context) -> None:
    signed = _signed(workspace, ctx)
    with pytest.raises(WorkflowError, match="撤销审签后应退回待复核"):
        RecordService[IssueDraft](workspace, DRAFT).save(
            dataclasses.replace(signed, title="改过的标题"), revoke_signoff=True
        )
