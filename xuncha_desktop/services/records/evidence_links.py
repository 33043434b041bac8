"""A draft's 佐证材料: what can be chosen as evidence, and the links that make each chosen item navigable."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import select

from xuncha_desktop.domain.errors import RecordNotFound
from xuncha_desktop.domain.interview_records import InterviewRecord
from xuncha_desktop.domain.issue_drafts import IssueDraft
from xuncha_desktop.domain.organization import Attachment
from xuncha_desktop.domain.record_types import ATTACHMENT, INTERVIEW
from xuncha_desktop.services.records.attachments import AttachmentService
from xuncha_desktop.services.records.links import write_link
from xuncha_desktop.services.records.record_service import ListQuery, RecordService
from xuncha_desktop.services.workspace import Workspace
from xuncha_desktop.storage.revisions import RevisionWriter
from xuncha_desktop.storage.tables import BUSINESS_TABLES

MAX_CANDIDATES = 500


@dataclass(frozen=True)
class EvidenceCandidate:
    """A talk or an attachment that may support a draft, with the evidence row it would become."""

    kind: str  # "interview" | "attachment"
    record_id: str
    label: str
    row: dict[str, Any]


def _talk_row(talk: InterviewRecord) -> dict[str, Any]:
    return {
        "name": f"个别谈话记录（{talk.interviewee_name}，{talk.number}）",
        "source": "个别谈话",
        "pages": talk.page_count,
        "evidence_no": "",
        "interview_id": talk.id,
        "attachment_sha256": "",
    }


def _attachment_row(attachment: Attachment) -> dict[str, Any]:
    return {
        "name": attachment.file_name,
        "source": attachment.note or "附件",
        "pages": 0,
        "evidence_no": "",
        "interview_id": "",
        "attachment_sha256": attachment.sha256,
    }


def evidence_candidates(ws: Workspace, draft: IssueDraft) -> list[EvidenceCandidate]:
    """Talks with the same inspected unit in the round, then attachments of the draft and of those talks."""
    out: list[EvidenceCandidate] = []
    attachments = AttachmentService(ws)
    if draft.round_id and draft.target_id:
        query = ListQuery(
            filters={"round_id": draft.round_id, "target_id": draft.target_id},
            order_by="held_on",
            descending=True,
            limit=MAX_CANDIDATES,
        )
        for talk in RecordService[InterviewRecord](ws, INTERVIEW).list(query):
            when = talk.held_on.isoformat() if talk.held_on else "日期未填"
            label = f"谈话：{talk.interviewee_name}（{talk.post or '职务未填'}，{when}）{talk.number}"
            out.append(EvidenceCandidate("interview", talk.id, label, _talk_row(talk)))
    owners = [("draft", draft.id)] if draft.id else []
    owners += [("interview", c.record_id) for c in out]
    seen: set[str] = set()
    for owner_type, owner_id in owners:
        for attachment in attachments.of_record(owner_type, owner_id):
            if attachment.sha256 not in seen:
                seen.add(attachment.sha256)
                label = f"附件：{attachment.file_name}"
                out.append(EvidenceCandidate("attachment", attachment.id, label, _attachment_row(attachment)))
    return out


def write_evidence_links(writer: RevisionWriter, draft: IssueDraft) -> int:
    """Within the draft's own save: link every talk and attachment named in its evidence to it (existing
    links are kept); returns how many links it has. A talk or file deleted since stays text only."""
    files = BUSINESS_TABLES[ATTACHMENT.key]
    targets: list[tuple[str, str]] = []
    for item in draft.evidence:
        if item.get("interview_id"):
            targets.append(("interview", str(item["interview_id"])))
        if item.get("attachment_sha256"):
            same_file = files.c.sha256 == str(item["attachment_sha256"])
            found = writer.conn.execute(
                select(files.c.id)
                .where(same_file, files.c.deleted.is_(False))
                .order_by(files.c.number)
                .limit(1)
            )
            targets += [("attachment", row.id) for row in found]
    made = 0
    for kind, record_id in targets:
        try:
            write_link(writer, kind, record_id, "draft", draft.id)
        except RecordNotFound:  # the talk or file was deleted since: the evidence row stays as text
            continue
        made += 1
    return made


def link_evidence(ws: Workspace, draft: IssueDraft) -> int:
    """write_evidence_links for a stored draft, in a transaction of its own."""
    with ws.writing() as writer:
        return write_evidence_links(writer, draft)
