"""信访件 of the demo: every channel, forwarded and filed ones, one that became a lead and one put into a
底稿 through the disposal service, each linked to what it became."""

from __future__ import annotations

from typing import Any

from tests.unit.services.demo.reading import all_records
from xuncha_desktop.domain.issue_drafts import IssueDraft
from xuncha_desktop.domain.record_types import DRAFT, LEAD, PETITION
from xuncha_desktop.services.demo.build import DemoSummary
from xuncha_desktop.services.records.links import LinkService
from xuncha_desktop.services.records.record_service import RecordService
from xuncha_desktop.services.security.audit_log import AuditLog, AuditQuery
from xuncha_desktop.services.workspace import Workspace


def test_the_demo_has_petitions_of_each_channel_and_disposal(demo: tuple[Workspace, DemoSummary]) -> None:
    ws, _ = demo
    petitions = all_records(ws, PETITION)
    assert len(petitions) == 6
    assert {p.channel for p in petitions} == {"来信", "来电", "来访", "网络（码上巡察）", "意见箱"}
    assert {p.disposal for p in petitions} == {"转办", "留存备查", "转为问题线索", "纳入问题底稿"}
    assert any(p.anonymous for p in petitions) and any(p.within_remit == "不属于" for p in petitions)
    [became_lead] = [p for p in petitions if p.disposal == "转为问题线索"]
    [link] = LinkService(ws).linked("petition", became_lead.id)
    assert (link.record_type, link.kind) == ("lead", "信访来源")
    lead = RecordService[Any](ws, LEAD).get(link.record_id)
    assert (lead.summary, lead.subject_name) == (became_lead.summary, became_lead.subject_name)


def test_a_letter_went_into_a_draft_through_the_disposal_service(demo: tuple[Workspace, DemoSummary]) -> None:
    ws, _ = demo
    [letter] = [p for p in all_records(ws, PETITION) if p.disposal == "纳入问题底稿"]
    assert letter.channel == "来信" and not letter.anonymous and letter.within_remit == "属于"
    [link] = LinkService(ws).linked("petition", letter.id)
    assert (link.record_type, link.kind) == ("draft", "信访来源")
    draft = RecordService[IssueDraft](ws, DRAFT).get(link.record_id)
    assert (draft.description, draft.target_id, draft.source) == (
        letter.summary,
        letter.target_id,
        "信访举报",
    )
    assert draft.title and draft.category_l1 == "A2" and draft.status == "草稿"
    assert draft.preparer == letter.decided_by and letter.number in draft.discovery
    assert draft.number.endswith(
        "-底稿-" + f"{len([d for d in all_records(ws, DRAFT) if d.group_id == draft.group_id]):03d}"
    )
    assert letter.disposed_on is not None and letter.received_on is not None
    assert letter.disposed_on >= letter.received_on
    [entry] = AuditLog(ws).list(AuditQuery(action="petition_dispose"))
    assert entry.record_id == letter.id  # audited as a disposal made in the window is
