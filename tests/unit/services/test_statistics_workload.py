"""A member's workload is counted from the records of the round, never typed."""

from __future__ import annotations

from tests.builders import Context, draft, interview, lead, make_context
from xuncha_desktop.domain.interview_records import InterviewRecord
from xuncha_desktop.domain.issue_drafts import IssueDraft
from xuncha_desktop.domain.lead_registrations import LeadRegistration
from xuncha_desktop.domain.record_types import DRAFT, INTERVIEW, LEAD
from xuncha_desktop.services.records.record_service import RecordService
from xuncha_desktop.services.statistics import Workload, member_workload
from xuncha_desktop.services.workspace import Workspace


def test_workload_counts_talks_drafts_and_leads_of_the_round(workspace: Workspace, ctx: Context) -> None:
    talks = RecordService[InterviewRecord](workspace, INTERVIEW)
    talks.save(interview(ctx, interviewer="张建国", recorder="李明"))
    talks.save(interview(ctx, interviewer="李明", recorder="张建国"))
    gone = talks.save(interview(ctx, interviewer="李明", recorder="王五"))
    talks.delete(gone.id)  # the recycle bin does not count
    talks.save(interview(ctx, interviewer="张建国", recorder="王五"))
    RecordService[IssueDraft](workspace, DRAFT).save(draft(ctx, preparer="李明"))
    RecordService[LeadRegistration](workspace, LEAD).save(lead(ctx, registered_by="李明"))
    other = make_context(workspace, ordinal=4)
    talks.save(interview(other, recorder="李明"))
    assert member_workload(workspace, "李明", ctx.round.id) == Workload(interviews=2, drafts=1, leads=1)
    assert member_workload(workspace, " 李明 ", ctx.round.id, ctx.group.id).interviews == 2
    assert member_workload(workspace, "李明", other.round.id) == Workload(interviews=1)
    assert member_workload(workspace, "", ctx.round.id) == Workload()


def test_voided_drafts_do_not_count_and_signed_or_merged_ones_are_adopted(
    workspace: Workspace, ctx: Context
) -> None:
    drafts = RecordService[IssueDraft](workspace, DRAFT)
    for status in ("草稿", "已审签", "已归并", "已作废"):
        drafts.save(draft(ctx, preparer="李明", status=status))
    assert member_workload(workspace, "李明", ctx.round.id) == Workload(drafts=3, adopted=2)
