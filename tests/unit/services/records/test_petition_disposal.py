"""信访件处置: 转为问题线索 and 纳入问题底稿 create the linked record with the disposal, all or nothing;
转办 and 留存备查 only record the decision; each is audited as 信访件处置."""

from __future__ import annotations

import dataclasses
from datetime import date

import pytest

from tests.builders import Context, petition
from xuncha_desktop.domain.errors import ValidationError, WorkflowError
from xuncha_desktop.domain.issue_drafts import IssueDraft
from xuncha_desktop.domain.lead_registrations import LeadRegistration
from xuncha_desktop.domain.petitions import Petition
from xuncha_desktop.domain.record_types import DRAFT, LEAD, PETITION
from xuncha_desktop.services.records.links import LinkService
from xuncha_desktop.services.records.petition_disposal import PetitionDisposal
from xuncha_desktop.services.records.record_service import RecordService
from xuncha_desktop.services.security.audit_log import AuditLog, AuditQuery
from xuncha_desktop.services.workspace import Workspace

TODAY = date(2025, 3, 15)


def _saved(workspace: Workspace, ctx: Context, **kw: object) -> Petition:
    return RecordService[Petition](workspace, PETITION).save(petition(ctx, **kw))


def test_turning_a_petition_into_a_lead_creates_it_prefilled_and_linked_both_ways(
    workspace: Workspace, ctx: Context
) -> None:
    saved = _saved(workspace, ctx, channel="网络（码上巡察）")
    assert saved.number == "2025-3轮-2组-信访-001"
    done = PetitionDisposal(workspace, today=lambda: TODAY).dispose(saved.id, "转为问题线索")
    assert (done.petition.disposal, done.petition.disposed_on) == ("转为问题线索", TODAY)
    assert done.petition.decided_by == workspace.user.display_name
    assert done.created_type == "lead" and done.created_number == "2025-3轮-2组-线索-001"
    lead = RecordService[LeadRegistration](workspace, LEAD).get(done.created_id)
    assert (lead.source, lead.subject_name, lead.subject_post) == ("码上巡察", "赵有才", "清河县财政局预算股")
    reporter = (lead.reporter_name, lead.reporter_contact, lead.registered_by)
    assert reporter == ("周某某", "13800000000", "李明")
    assert (lead.summary, lead.registered_on, lead.target_id) == (saved.summary, TODAY, ctx.target.id)
    links = LinkService(workspace)
    [to_lead] = links.linked("petition", saved.id)
    [back] = links.linked("lead", lead.id)
    assert (to_lead.record_id, to_lead.kind, to_lead.outgoing) == (lead.id, "信访来源", True)
    assert (back.record_type, back.record_id, back.number, back.outgoing) == (
        "petition",
        saved.id,
        saved.number,
        False,
    )
    [entry] = AuditLog(workspace).list(AuditQuery(action="petition_dispose"))
    assert (entry.action_label, entry.record_id) == ("信访件处置", saved.id)
    assert ("disposal", "（空）", "转为问题线索") in [(c.field, c.old, c.new) for c in entry.changes]


def test_a_petition_goes_into_a_draft_with_its_category(workspace: Workspace, ctx: Context) -> None:
    saved = _saved(workspace, ctx)
    done = PetitionDisposal(workspace, today=lambda: TODAY).dispose(
        saved.id, "纳入问题底稿", category_l1="落实全面从严治党战略部署"
    )
    draft = RecordService[IssueDraft](workspace, DRAFT).get(done.created_id)
    assert (draft.source, draft.category_l1, draft.description) == (
        "信访举报",
        "落实全面从严治党战略部署",
        saved.summary,
    )
    assert saved.number in draft.discovery and draft.title == saved.summary
    assert [x.record_id for x in LinkService(workspace).linked("draft", draft.id)] == [saved.id]


def test_a_draft_refused_leaves_the_petition_undisposed(workspace: Workspace, ctx: Context) -> None:
    saved = _saved(workspace, ctx)
    with pytest.raises(ValidationError, match="请填写问题类别"):
        PetitionDisposal(workspace, today=lambda: TODAY).dispose(saved.id, "纳入问题底稿")
    assert RecordService[Petition](workspace, PETITION).get(saved.id).disposal == ""
    assert RecordService[IssueDraft](workspace, DRAFT).count() == 0


def test_forwarding_records_the_receiving_body_only(workspace: Workspace, ctx: Context) -> None:
    saved = _saved(workspace, ctx, within_remit="不属于")
    disposal = PetitionDisposal(workspace, today=lambda: TODAY)
    with pytest.raises(ValidationError, match="请填写转办单位"):
        disposal.dispose(saved.id, "转办")
    done = disposal.dispose(saved.id, "转办", forwarded_to="县信访局")
    assert (done.petition.forwarded_to, done.created_type) == ("县信访局", "")
    with pytest.raises(ValidationError, match="只能转办或留存备查"):
        disposal.dispose(saved.id, "转为问题线索")
    assert RecordService[LeadRegistration](workspace, LEAD).count() == 0


def test_a_petition_turned_into_a_lead_is_not_disposed_again(workspace: Workspace, ctx: Context) -> None:
    saved = _saved(workspace, ctx)
    disposal = PetitionDisposal(workspace, today=lambda: TODAY)
    disposal.dispose(saved.id, "留存备查")  # filed first, turned into a lead later
    disposal.dispose(saved.id, "转为问题线索")
    with pytest.raises(WorkflowError, match="已转为问题线索，不能再次处置"):
        disposal.dispose(saved.id, "纳入问题底稿", category_l1="x")
    with pytest.raises(WorkflowError, match="不在可选范围内"):
        disposal.dispose(saved.id, "销毁")


def test_a_lead_needs_the_person_reported(workspace: Workspace, ctx: Context) -> None:
    saved = _saved(workspace, ctx, subject_name="")
    with pytest.raises(ValidationError, match="转为问题线索须先填写被反映人"):
        PetitionDisposal(workspace, today=lambda: TODAY).dispose(saved.id, "转为问题线索")


def test_the_reporter_of_a_petition_is_masked_like_a_leads(workspace: Workspace, ctx: Context) -> None:
    petitions = RecordService[Petition](workspace, PETITION)
    saved = petitions.save(petition(ctx, registered_by="李明"))
    anonymous = petitions.save(petition(ctx, anonymous=True, reporter_name="", reporter_contact=""))
    workspace.user = dataclasses.replace(workspace.user, role="组员", display_name="王芳", login="王芳")
    shown = petitions.get(saved.id)
    assert (shown.reporter_name, shown.reporter_contact) == ("已隐藏", "已隐藏")
    assert petitions.get(anonymous.id).reporter_name == "匿名"
    assert all(rev.body["reporter_name"] == "已隐藏" for rev in petitions.history(saved.id))
    kept = petitions.save(dataclasses.replace(shown, summary="补充：涉及两笔资金。"))
    assert petitions.stored(kept.id).reporter_name == "周某某"  # the mask never overwrites the name
