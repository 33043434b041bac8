"""Who sees a lead's reporter, and who signs which draft step."""

from __future__ import annotations

import dataclasses

import pytest

from tests.builders import lead
from xuncha_desktop.domain.lead_registrations import LeadRegistration
from xuncha_desktop.domain.organization import User
from xuncha_desktop.domain.record_types import LEAD as LEAD_TYPE
from xuncha_desktop.services.records.record_service import RecordService
from xuncha_desktop.services.records.visibility import (
    ANONYMOUS,
    HIDDEN,
    can_see_reporter,
    mask_lead,
    may_sign,
)

LEAD = LeadRegistration(
    id="l1",
    registered_by="李明",
    reporter_name="周某某",
    reporter_contact="13800000000",
    summary="反映其在项目资金拨付中收受好处费。",
)


def user(role: str, name: str = "王芳", login: str = "wangfang") -> User:
    return User(id=name, login=login, display_name=name, role=role)


@pytest.mark.parametrize("role", ["组长", "副组长"])
def test_leaders_see_the_reporter(role: str) -> None:
    assert can_see_reporter(user(role), LEAD)
    assert mask_lead(LEAD, user(role)) == LEAD


@pytest.mark.parametrize("role", ["组员", "联络员"])
def test_others_see_it_hidden(role: str) -> None:
    assert not can_see_reporter(user(role), LEAD)
    masked = mask_lead(LEAD, user(role))
    assert (masked.reporter_name, masked.reporter_contact) == (HIDDEN, HIDDEN)
    assert masked.summary == LEAD.summary and LEAD.reporter_name == "周某某"  # a copy; the original stays


def test_anonymous_leads_say_anonymous() -> None:
    anonymous = LeadRegistration(registered_by="李明", anonymous=True, reporter_contact="信箱")
    masked = mask_lead(anonymous, user("组员"))
    assert (masked.reporter_name, masked.reporter_contact) == (ANONYMOUS, ANONYMOUS)


def test_the_registrant_sees_their_own_lead() -> None:
    assert can_see_reporter(user("组员", name="李明", login="liming"), LEAD)
    assert can_see_reporter(user("联络员", name="李老师", login="李明"), LEAD)
    nobody = LeadRegistration(registered_by="  ")
    assert not can_see_reporter(User(login="", display_name="", role="组员"), nobody)


def test_office_admin_sees_everything_only_in_an_office_workspace() -> None:
    admin = user("巡察办管理员")
    assert can_see_reporter(admin, LEAD, office=True)
    assert mask_lead(LEAD, admin, office=True).reporter_name == "周某某"
    assert not can_see_reporter(admin, LEAD)
    assert mask_lead(LEAD, admin).reporter_name == HIDDEN


@pytest.mark.parametrize(
    ("role", "step", "allowed"),
    [
        ("副组长", "复核", True),
        ("副组长", "review", True),
        ("副组长", "复核通过", True),
        ("组长", "复核", False),
        ("组员", "复核", False),
        ("组长", "审签", True),
        ("组长", "approve", True),
        ("组长", "审签通过", True),
        ("副组长", "审签", False),
        ("巡察办管理员", "审签", False),
        ("组长", "盖章", False),
    ],
)
def test_sign_offs_by_role(role: str, step: str, allowed: bool) -> None:
    assert may_sign(user(role), step) is allowed


# -- through the record service: every list, form, print and ledger reads leads this way ----------------
def _member_workspace(workspace, name: str = "王芳", role: str = "组员"):  # type: ignore[no-untyped-def]
    workspace.user = dataclasses.replace(workspace.user, role=role, display_name=name, login=name)
    return workspace


def test_a_member_reads_the_reporter_masked_everywhere(workspace, ctx) -> None:  # type: ignore[no-untyped-def]
    leads = RecordService(workspace, LEAD_TYPE)
    saved = leads.save(lead(ctx, registered_by="李明", reporter_name="周某某", reporter_contact="138"))
    leads.save(lead(ctx, registered_by="李明", summary="第二条线索，内容另述。"))
    _member_workspace(workspace)
    assert leads.get(saved.id).reporter_name == HIDDEN
    assert {r.reporter_contact for r in leads.list() if r.id == saved.id} == {HIDDEN}
    assert all(r.reporter_name in (HIDDEN, "") for r in leads.iterate())
    assert all(rev.body["reporter_name"] == HIDDEN for rev in leads.history(saved.id))
    assert leads.stored(saved.id).reporter_name == "周某某"  # for writers only


def test_a_member_saving_a_masked_lead_keeps_the_real_reporter(workspace, ctx) -> None:  # type: ignore[no-untyped-def]
    leads = RecordService(workspace, LEAD_TYPE)
    saved = leads.save(lead(ctx, registered_by="李明", reporter_name="周某某", reporter_contact="138"))
    _member_workspace(workspace)
    shown = leads.get(saved.id)
    leads.save(dataclasses.replace(shown, summary="补充：涉及两个项目。"))
    leads.delete(saved.id)
    leads.restore(saved.id)
    stored = leads.stored(saved.id)
    assert (stored.reporter_name, stored.reporter_contact) == ("周某某", "138")
    assert stored.summary == "补充：涉及两个项目。"


def test_the_registrant_and_the_leader_read_it_unmasked(workspace, ctx) -> None:  # type: ignore[no-untyped-def]
    leads = RecordService(workspace, LEAD_TYPE)
    saved = leads.save(lead(ctx, registered_by="李明", reporter_name="周某某"))
    _member_workspace(workspace, name="李明")
    assert leads.get(saved.id).reporter_name == "周某某"
    _member_workspace(workspace, name="张建国", role="组长")
    assert leads.get(saved.id).reporter_name == "周某某"


def test_history_hides_the_reporters_contact_as_well_as_the_name(workspace, ctx) -> None:  # type: ignore[no-untyped-def]
    """Every earlier version too: the contact changed twice, each value stays hidden."""
    leads = RecordService(workspace, LEAD_TYPE)
    saved = leads.save(
        lead(ctx, registered_by="李明", reporter_name="周某某", reporter_contact="13800000001")
    )
    saved = leads.save(dataclasses.replace(saved, reporter_contact="13800000002"))
    leads.save(dataclasses.replace(saved, reporter_contact="", summary="联系方式已撤回。"))
    _member_workspace(workspace)
    history = leads.history(saved.id)
    assert [(r.body["reporter_name"], r.body["reporter_contact"]) for r in history] == [
        (HIDDEN, HIDDEN),
        (HIDDEN, HIDDEN),
        (HIDDEN, ""),
    ]
    assert not any("138000000" in str(r.body) or "周某某" in str(r.body) for r in history)
    _member_workspace(workspace, name="李明")  # the registrant reads the real history
    assert [r.body["reporter_contact"] for r in leads.history(saved.id)] == ["13800000001", "13800000002", ""]


def test_history_of_an_anonymous_lead_shows_anonymous_for_name_and_contact(workspace, ctx) -> None:  # type: ignore[no-untyped-def]
    leads = RecordService(workspace, LEAD_TYPE)
    saved = leads.save(
        lead(ctx, registered_by="李明", reporter_name="周某某", reporter_contact="13800000001")
    )
    leads.save(dataclasses.replace(saved, anonymous=True))
    _member_workspace(workspace)
    history = leads.history(saved.id)
    assert {(r.body["reporter_name"], r.body["reporter_contact"]) for r in history} == {
        (ANONYMOUS, ANONYMOUS)
    }
