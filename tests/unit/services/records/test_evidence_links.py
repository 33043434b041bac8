"""Evidence of a draft: the talks and files on offer, and links made from the chosen ones."""

from __future__ import annotations

import dataclasses

import pytest

from tests.builders import Context, draft, interview, lead, make_context
from xuncha_desktop.domain.interview_records import InterviewRecord
from xuncha_desktop.domain.issue_drafts import IssueDraft
from xuncha_desktop.domain.lead_registrations import LeadRegistration
from xuncha_desktop.domain.record_types import DRAFT, INTERVIEW, LEAD, LINK, RecordType
from xuncha_desktop.services.records.attachments import AttachmentService
from xuncha_desktop.services.records.draft_workflow import DraftWorkflow
from xuncha_desktop.services.records.evidence_links import (
    evidence_candidates,
    link_evidence,
    write_evidence_links,
)
from xuncha_desktop.services.records.links import LinkService, save_links
from xuncha_desktop.services.records.record_service import RecordService
from xuncha_desktop.services.statistics import workspace_figures
from xuncha_desktop.services.workspace import Workspace
from xuncha_desktop.storage.revisions import RevisionWriter


def test_candidates_are_talks_of_the_unit_and_their_files(workspace: Workspace, ctx: Context) -> None:
    talks = RecordService[InterviewRecord](workspace, INTERVIEW)
    wang = talks.save(interview(ctx, interviewee_name="王晓东", page_count=3))
    talks.save(interview(make_context(workspace, ordinal=4), interviewee_name="别的轮次"))
    files = AttachmentService(workspace)
    files.add("interview", wang.id, "谈话录音整理.pdf", b"%PDF-1.4 talk")
    saved = RecordService[IssueDraft](workspace, DRAFT).save(draft(ctx))
    files.add("draft", saved.id, "发放表.jpg", b"\xff\xd8 photo")
    found = evidence_candidates(workspace, saved)
    assert [(c.kind, c.label.split("（")[0]) for c in found] == [
        ("interview", "谈话：王晓东"),
        ("attachment", "附件：发放表.jpg"),
        ("attachment", "附件：谈话录音整理.pdf"),
    ]
    assert found[0].row["interview_id"] == wang.id and found[0].row["pages"] == 3
    assert len(found[1].row["attachment_sha256"]) == 64


def test_chosen_evidence_is_linked_both_ways(workspace: Workspace, ctx: Context) -> None:
    talk = RecordService[InterviewRecord](workspace, INTERVIEW).save(interview(ctx))
    drafts = RecordService[IssueDraft](workspace, DRAFT)
    saved = drafts.save(draft(ctx))
    scan = AttachmentService(workspace).add("draft", saved.id, "凭证.png", b"\x89PNG scan")
    rows = [c.row for c in evidence_candidates(workspace, saved)]
    gone = RecordService[InterviewRecord](workspace, INTERVIEW).save(
        interview(ctx, interviewee_name="已删除")
    )
    RecordService[InterviewRecord](workspace, INTERVIEW).delete(gone.id)
    rows.append({"name": "已删除的谈话", "interview_id": gone.id})
    with_evidence = drafts.save(dataclasses.replace(saved, evidence=rows))
    assert link_evidence(workspace, with_evidence) == 2
    assert link_evidence(workspace, with_evidence) == 2  # idempotent
    linked = {(x.record_type, x.record_id, x.kind) for x in LinkService(workspace).linked("draft", saved.id)}
    assert linked == {("interview", talk.id, "佐证材料"), ("attachment", scan.id, "佐证材料")}
    back = LinkService(workspace).linked("interview", talk.id)
    assert [(x.record_type, x.number) for x in back] == [("draft", with_evidence.number)]


class _LinkWriteFailed(Exception):
    pass


def _failing_link_writes(monkeypatch: pytest.MonkeyPatch) -> None:
    """Writing any link fails (as a full disk would), after the record itself was written."""
    write = RevisionWriter.write

    def write_or_fail(self: RevisionWriter, rt: RecordType, record: object, **kw: object) -> object:
        if rt.key == LINK.key:
            raise _LinkWriteFailed("磁盘已满")
        return write(self, rt, record, **kw)  # type: ignore[arg-type]

    monkeypatch.setattr(RevisionWriter, "write", write_or_fail)


def test_a_draft_and_its_evidence_links_are_saved_together(workspace: Workspace, ctx: Context) -> None:
    talk = RecordService[InterviewRecord](workspace, INTERVIEW).save(interview(ctx))
    saved = DraftWorkflow(workspace).save(draft(ctx))
    rows = [c.row for c in evidence_candidates(workspace, saved)]
    edited = dataclasses.replace(saved, title="改过的标题", evidence=rows)
    stored = DraftWorkflow(workspace).save(edited, links=write_evidence_links)
    assert stored.title == "改过的标题"
    assert [x.record_id for x in LinkService(workspace).linked("draft", saved.id)] == [talk.id]


def test_a_failure_while_writing_links_stores_neither_the_record_nor_its_links(
    workspace: Workspace, ctx: Context, monkeypatch: pytest.MonkeyPatch
) -> None:
    talk = RecordService[InterviewRecord](workspace, INTERVIEW).save(interview(ctx))
    saved = DraftWorkflow(workspace).save(draft(ctx))
    rows = [c.row for c in evidence_candidates(workspace, saved)]
    before = workspace_figures(workspace)
    _failing_link_writes(monkeypatch)
    edited = dataclasses.replace(saved, title="改过的标题", evidence=rows)
    with pytest.raises(_LinkWriteFailed):
        DraftWorkflow(workspace).save(edited, links=write_evidence_links)
    new_lead = lead(ctx)
    with pytest.raises(_LinkWriteFailed):  # a lead registered from a talk, linked from it
        RecordService[LeadRegistration](workspace, LEAD).save(
            new_lead, links=save_links(LEAD.key, (INTERVIEW.key, talk.id), None)
        )
    assert RecordService[IssueDraft](workspace, DRAFT).get(saved.id) == saved
    after = workspace_figures(workspace)
    assert (after.leads, after.links, after.revisions, after.audit_entries) == (
        before.leads,
        0,
        before.revisions,
        before.audit_entries,
    )
    assert LinkService(workspace).linked("interview", talk.id) == []


def test_a_record_started_from_a_deleted_one_is_still_saved(workspace: Workspace, ctx: Context) -> None:
    talks = RecordService[InterviewRecord](workspace, INTERVIEW)
    talk = talks.save(interview(ctx))
    talks.delete(talk.id)
    leads = RecordService[LeadRegistration](workspace, LEAD)
    saved = leads.save(lead(ctx), links=save_links(LEAD.key, (INTERVIEW.key, talk.id), None))
    assert leads.get(saved.id).subject_name == "赵有才"
    assert LinkService(workspace).linked("lead", saved.id) == []
