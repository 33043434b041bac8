"""services.records.workflow: steps on stored records as the current user, saved with their audit entry."""

from __future__ import annotations

from datetime import datetime

import pytest

from tests.builders import Context, draft
from xuncha_desktop.domain.errors import WorkflowError
from xuncha_desktop.domain.issue_drafts import IssueDraft
from xuncha_desktop.domain.record_types import DRAFT
from xuncha_desktop.domain.states import DraftState
from xuncha_desktop.domain.workflows import DRAFT_WORKFLOW
from xuncha_desktop.services.records.record_service import RecordService
from xuncha_desktop.services.records.workflow import WorkflowService
from xuncha_desktop.services.workspace import Workspace

AT = datetime(2025, 3, 11, 9, 30).astimezone()


def test_nothing_is_offered_before_a_record_is_saved(workspace: Workspace, ctx: Context) -> None:
    service = WorkflowService[IssueDraft](workspace, DRAFT, DRAFT_WORKFLOW, clock=lambda: AT)
    assert service.available(IssueDraft()) == []
    saved = RecordService[IssueDraft](workspace, DRAFT).save(draft(ctx))
    assert [t.key for t in service.available(saved)] == ["submit"]


def test_perform_moves_and_saves_the_stored_record(workspace: Workspace, ctx: Context) -> None:
    records = RecordService[IssueDraft](workspace, DRAFT)
    saved = records.save(draft(ctx, preparer=workspace.user.display_name))
    service = WorkflowService[IssueDraft](workspace, DRAFT, DRAFT_WORKFLOW, clock=lambda: AT)
    moved = service.perform("submit", saved.id)
    assert moved.status == DraftState.PENDING_REVIEW
    assert records.get(saved.id).status == DraftState.PENDING_REVIEW
    assert service.refusal("submit", moved) != ""
    with pytest.raises(WorkflowError):
        service.perform("submit", saved.id)
