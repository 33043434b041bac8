"""问题底稿 sign-off chain 草稿 → 待复核 → 待审签 → 已审签 (domain.workflows.DRAFT_WORKFLOW), and its edits:
a new draft starts as 草稿, a content change after 已审签 revokes the sign-off and goes back to 待复核."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from datetime import datetime

from xuncha_desktop.domain.issue_drafts import IssueDraft, revokes_signoff
from xuncha_desktop.domain.issue_drafts import content_hash as content_hash  # re-exported for callers
from xuncha_desktop.domain.organization import User
from xuncha_desktop.domain.record_types import DRAFT
from xuncha_desktop.domain.workflow import Move, Transition
from xuncha_desktop.domain.workflows import (
    DRAFT_APPROVE,
    DRAFT_EDITED_AFTER_SIGNOFF,
    DRAFT_RETURN,
    DRAFT_REVIEW,
    DRAFT_SUBMIT,
    DRAFT_WORKFLOW,
)
from xuncha_desktop.services.records.record_service import SaveStep
from xuncha_desktop.services.records.workflow import WorkflowService, now
from xuncha_desktop.services.workspace import Workspace

EDITED_AFTER_SIGNOFF = DRAFT_EDITED_AFTER_SIGNOFF.label
SUBMIT, REVIEW, APPROVE, RETURN = DRAFT_SUBMIT, DRAFT_REVIEW, DRAFT_APPROVE, DRAFT_RETURN
STEPS = DRAFT_WORKFLOW.steps


def refusal(step: Transition, draft: IssueDraft, user: User) -> str:
    """Why `user` may not take `step` on `draft` now, in Chinese; "" when allowed."""
    return DRAFT_WORKFLOW.refusal(step, draft, user)


def take_step(step: Transition, draft: IssueDraft, user: User, at: datetime, opinion: str = "") -> IssueDraft:
    """`draft` after `step`, with the signed step appended; WorkflowError when not allowed."""
    return DRAFT_WORKFLOW.apply(step, draft, Move(user, at, opinion))


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
    return DRAFT_WORKFLOW.apply(DRAFT_EDITED_AFTER_SIGNOFF, kept, Move(user, at))


class DraftWorkflow(WorkflowService[IssueDraft]):
    """Saves drafts and moves them along the chain as the workspace's current user."""

    def __init__(self, workspace: Workspace, clock: Callable[[], datetime] | None = None) -> None:
        super().__init__(workspace, DRAFT, DRAFT_WORKFLOW, clock or now)

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
            fresh = dataclasses.replace(
                draft, status=DRAFT_WORKFLOW.initial, signoffs=[], edited_after_signoff=False
            )
            return self._records.save(fresh, links=links)
        stored = self._records.get(draft.id)
        edited = after_edit(stored, draft, self._ws.user, self._clock())
        return self._records.save(edited, revoke_signoff=revoke_signoff, links=links)
