"""问题底稿 sign-off chain 草稿 → 待复核 → 待审签 → 已审签, each step signed with who, role, when and hash."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from xuncha_desktop.domain.errors import WorkflowError
from xuncha_desktop.domain.issue_drafts import IssueDraft, content_hash, revokes_signoff
from xuncha_desktop.domain.organization import User
from xuncha_desktop.domain.record_types import DRAFT
from xuncha_desktop.services.records import RecordService, SaveStep
from xuncha_desktop.services.workspace import Workspace

EDITED_AFTER_SIGNOFF = "审签后修改"


@dataclass(frozen=True)
class DraftStep:
    key: str
    label: str  # also the `step` written into signoffs (domain.issue_drafts.SIGNOFF_STEPS)
    from_states: tuple[str, ...]
    to_state: str
    who: str  # who may do it, for tooltips


SUBMIT = DraftStep("submit", "提交复核", ("草稿",), "待复核", "承办人本人提交")
REVIEW = DraftStep("review", "复核通过", ("待复核",), "待审签", "副组长复核（承办人不能复核自己的底稿）")
APPROVE = DraftStep("approve", "审签通过", ("待审签",), "已审签", "组长审签")
RETURN = DraftStep(
    "return", "退回修改", ("待复核", "待审签"), "草稿", "待复核时由副组长或组长退回，待审签时由组长退回"
)
STEPS = (SUBMIT, REVIEW, APPROVE, RETURN)
BY_KEY = {s.key: s for s in STEPS}


def _is_preparer(draft: IssueDraft, user: User) -> bool:
    return bool(draft.preparer.strip()) and draft.preparer.strip() in (user.display_name, user.login)


def refusal(step: DraftStep, draft: IssueDraft, user: User) -> str:
    """Why `user` may not take `step` on `draft` now, in Chinese; "" when allowed."""
    if draft.status not in step.from_states:
        return f"底稿当前状态为“{draft.status}”，不能{step.label}"
    if step is SUBMIT and not _is_preparer(draft, user):
        return f"只有承办人（{draft.preparer or '未填写'}）本人可以提交复核"
    if step is REVIEW:
        if user.role != "副组长":
            return f"复核须由副组长进行，当前用户“{user.display_name}”的角色是{user.role}"
        if _is_preparer(draft, user):
            return "承办人不能复核自己编制的底稿"
    if step is APPROVE and user.role != "组长":
        return f"审签须由组长进行，当前用户“{user.display_name}”的角色是{user.role}"
    if step is RETURN:
        allowed = ("副组长", "组长") if draft.status == "待复核" else ("组长",)
        if user.role not in allowed:
            return f"{draft.status}的底稿只能由{'或'.join(allowed)}退回，当前用户的角色是{user.role}"
    return ""


def signoff(step: str, draft: IssueDraft, user: User, at: datetime, opinion: str = "") -> dict[str, Any]:
    return {
        "step": step,
        "by": user.display_name,
        "role": user.role,
        "at": at.isoformat(timespec="seconds"),
        "content_hash": content_hash(draft),
        "opinion": opinion,
    }


def take_step(step: DraftStep, draft: IssueDraft, user: User, at: datetime, opinion: str = "") -> IssueDraft:
    """`draft` after `step`, with the signed step appended; WorkflowError when not allowed."""
    reason = refusal(step, draft, user)
    if reason:
        raise WorkflowError(reason)
    moved = dataclasses.replace(draft, status=step.to_state)
    return dataclasses.replace(
        moved, signoffs=[*draft.signoffs, signoff(step.label, moved, user, at, opinion)]
    )


def after_edit(stored: IssueDraft, edited: IssueDraft, user: User, at: datetime) -> IssueDraft:
    """An edit keeps the workflow fields as stored; a content change after 已审签 is flagged and sent back."""
    kept = dataclasses.replace(
        edited,
        status=stored.status,
        signoffs=list(stored.signoffs),
        edited_after_signoff=stored.edited_after_signoff,
    )
    if not revokes_signoff(stored, kept):
        return kept
    back = dataclasses.replace(kept, status=REVIEW.from_states[0], edited_after_signoff=True)
    return dataclasses.replace(
        back, signoffs=[*stored.signoffs, signoff(EDITED_AFTER_SIGNOFF, back, user, at)]
    )


class DraftWorkflow:
    """Saves drafts and moves them along the chain as the workspace's current user."""

    def __init__(self, workspace: Workspace, clock: Callable[[], datetime] | None = None) -> None:
        self._ws = workspace
        self._records: RecordService[IssueDraft] = RecordService(workspace, DRAFT)
        self._clock = clock or (lambda: datetime.now().astimezone())

    def available(self, draft: IssueDraft) -> list[DraftStep]:
        """The steps the draft's state allows (whoever the user is)."""
        return [s for s in STEPS if draft.status in s.from_states] if draft.id else []

    def refusal(self, key: str, draft: IssueDraft) -> str:
        return refusal(BY_KEY[key], draft, self._ws.user)

    def perform(self, key: str, draft_id: str, opinion: str = "") -> IssueDraft:
        """Take step `key` on the stored draft; WorkflowError names the reason when it is not allowed."""
        stored = self._records.get(draft_id)
        moved = take_step(BY_KEY[key], stored, self._ws.user, self._clock(), opinion)
        return self._records.save(moved)

    def revokes_signoff(self, draft: IssueDraft) -> bool:
        """True when saving `draft` would revoke its sign-off (it is 已审签 and its content changed)."""
        return bool(draft.id) and revokes_signoff(self._records.stored(draft.id), draft)

    def save(
        self, draft: IssueDraft, *, revoke_signoff: bool = False, links: SaveStep | None = None
    ) -> IssueDraft:
        """Save an edit; a new draft always starts as 草稿 with no sign-offs. Changing a signed draft
        revokes its sign-off and sends it back to 待复核, which needs `revoke_signoff=True` (otherwise
        SignoffRevocationRequired, nothing saved); the revocation is its own audit entry. `links` as in
        RecordService.save."""
        if not draft.id:
            fresh = dataclasses.replace(draft, status="草稿", signoffs=[], edited_after_signoff=False)
            return self._records.save(fresh, links=links)
        stored = self._records.get(draft.id)
        edited = after_edit(stored, draft, self._ws.user, self._clock())
        return self._records.save(edited, revoke_signoff=revoke_signoff, links=links)
