"""What the reports read: a unit's signed drafts only, its latest feedback, the drafts a feedback handed
over (those in the recycle bin or not held left out), a draft for its 审批单 unless deleted."""

from __future__ import annotations

from datetime import date

import pytest

from tests.report_builders import report_world
from xuncha_desktop.domain.errors import RecordNotFound, XunchaError
from xuncha_desktop.domain.issue_drafts import IssueDraft
from xuncha_desktop.domain.record_types import DRAFT
from xuncha_desktop.domain.rectification import RectificationFeedback
from xuncha_desktop.services.records.record_service import RecordService
from xuncha_desktop.services.rectification.feedback import give_feedback
from xuncha_desktop.services.reports.sources import draft_for_approval, drafts_by_id, unit_records
from xuncha_desktop.services.workspace import Workspace


def test_the_latest_feedback_is_the_units(workspace: Workspace):
    world = report_world(workspace)
    for day, drafts in ((date(2025, 4, 20), world.signed[:1]), (date(2025, 4, 25), world.signed[1:2])):
        fb = RectificationFeedback(**world.ctx.scope, given_on=day)
        give_feedback(workspace, fb, draft_ids=[d.id for d in drafts])
    r = unit_records(workspace, world.unit.id)
    assert r.feedback is not None and r.feedback.given_on == date(2025, 4, 25)
    assert len(r.signed) == 5  # handed over or not, the report rests on every signed draft


def test_drafts_handed_over_leave_out_deleted_and_missing_ones(workspace: Workspace):
    world = report_world(workspace)
    RecordService[IssueDraft](workspace, DRAFT).delete(world.signed[1].id)
    found = drafts_by_id(workspace, [world.signed[2].id, world.signed[1].id, "not-here", world.signed[0].id])
    assert {d.id for d in found} == {world.signed[0].id, world.signed[2].id}
    assert [d.number for d in found] == sorted(d.number for d in found)


def test_an_approval_sheet_refuses_a_deleted_or_unknown_draft(workspace: Workspace):
    world = report_world(workspace)
    RecordService[IssueDraft](workspace, DRAFT).delete(world.unsigned.id)
    with pytest.raises(XunchaError, match="在回收站中"):
        draft_for_approval(workspace, world.unsigned.id)
    with pytest.raises(RecordNotFound):
        draft_for_approval(workspace, "nothing")
    with pytest.raises(RecordNotFound):
        unit_records(workspace, "nothing")
