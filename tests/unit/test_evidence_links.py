"""Evidence of a draft: the talks and files on offer, and links made from the chosen ones."""

from __future__ import annotations

import dataclasses

from tests.builders import Context, draft, interview, make_context
from xuncha_desktop.domain.interview_records import InterviewRecord
from xuncha_desktop.domain.issue_drafts import IssueDraft
from xuncha_desktop.domain.record_types import DRAFT, INTERVIEW
from xuncha_desktop.services.attachments import AttachmentService
from xuncha_desktop.services.evidence_links import evidence_candidates, link_evidence
from xuncha_desktop.services.links import LinkService
from xuncha_desktop.services.records import RecordService
from xuncha_desktop.services.workspace import Workspace


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
