"""Links between records are navigable both ways; attachments are content-addressed."""

from __future__ import annotations

import pytest

from tests.builders import Context, draft, interview, lead
from xuncha_desktop.domain.errors import RecordNotFound, ValidationError
from xuncha_desktop.domain.record_types import DRAFT, INTERVIEW, LEAD
from xuncha_desktop.services.records.links import LinkService
from xuncha_desktop.services.records.record_service import RecordService
from xuncha_desktop.services.workspace import Workspace


def test_link_is_seen_from_both_ends(workspace: Workspace, ctx: Context) -> None:
    talk = RecordService(workspace, INTERVIEW).save(interview(ctx))
    found = RecordService(workspace, LEAD).save(lead(ctx))
    paper = RecordService(workspace, DRAFT).save(draft(ctx))
    links = LinkService(workspace)
    links.link("interview", talk.id, "lead", found.id)
    links.link("interview", talk.id, "draft", paper.id)
    links.link("draft", paper.id, "lead", found.id)
    from_talk = links.linked("interview", talk.id)
    assert {(x.record_type, x.number, x.kind, x.outgoing) for x in from_talk} == {
        ("lead", found.number, "线索来源", True),
        ("draft", paper.number, "佐证材料", True),
    }
    from_lead = links.linked("lead", found.id)
    assert {(x.record_type, x.outgoing) for x in from_lead} == {("interview", False), ("draft", False)}


def test_linking_twice_keeps_one_link(workspace: Workspace, ctx: Context) -> None:
    talk = RecordService(workspace, INTERVIEW).save(interview(ctx))
    found = RecordService(workspace, LEAD).save(lead(ctx))
    links = LinkService(workspace)
    first = links.link("interview", talk.id, "lead", found.id)
    second = links.link("interview", talk.id, "lead", found.id)
    assert first.id == second.id and len(links.linked("lead", found.id)) == 1


def test_unlink_removes_from_both_ends(workspace: Workspace, ctx: Context) -> None:
    talk = RecordService(workspace, INTERVIEW).save(interview(ctx))
    found = RecordService(workspace, LEAD).save(lead(ctx))
    links = LinkService(workspace)
    link = links.link("interview", talk.id, "lead", found.id)
    links.unlink(link.id)
    assert links.linked("interview", talk.id) == [] and links.linked("lead", found.id) == []


def test_bad_links_are_refused(workspace: Workspace, ctx: Context) -> None:
    talk = RecordService(workspace, INTERVIEW).save(interview(ctx))
    links = LinkService(workspace)
    with pytest.raises(ValidationError, match="不能从"):
        links.link("lead", talk.id, "interview", talk.id)
    with pytest.raises(RecordNotFound, match="不存在"):
        links.link("interview", talk.id, "lead", "missing")
