"""demo records: interviews as question and answer, and links and evidence that point at records."""

from __future__ import annotations

from tests.unit.services.demo.reading import all_records
from xuncha_desktop.domain.organization import LINK_KINDS
from xuncha_desktop.domain.record_types import (
    ATTACHMENT,
    DRAFT,
    INTERVIEW,
    LEAD,
    LINK,
    PETITION,
)
from xuncha_desktop.services.demo.build import DemoSummary
from xuncha_desktop.services.security.integrity import check_workspace
from xuncha_desktop.services.workspace import Workspace


def test_links_and_evidence_point_at_existing_records(demo: tuple[Workspace, DemoSummary]) -> None:
    ws, _ = demo
    ids = {
        rt.key: {r.id for r in all_records(ws, rt)} for rt in (INTERVIEW, DRAFT, LEAD, ATTACHMENT, PETITION)
    }
    links = all_records(ws, LINK)
    for link in links:
        assert LINK_KINDS[(link.from_type, link.to_type)] == link.kind
        assert link.from_id in ids[link.from_type] and link.to_id in ids[link.to_type]
    kinds = {link.kind for link in links}
    assert {"线索来源", "佐证材料", "关联线索", "信访来源"} <= kinds
    sources: dict[str, int] = {}
    for link in links:
        if link.kind == "线索来源":
            sources[link.to_id] = sources.get(link.to_id, 0) + 1
    leads = all_records(ws, LEAD)
    assert all(n == 1 for n in sources.values())
    assert {x.id for x in leads if x.source == "个别谈话"} == set(sources)
    evidence = [e for d in all_records(ws, DRAFT) for e in d.evidence]
    assert any(e["interview_id"] for e in evidence)
    assert all(e["interview_id"] in ids["interview"] for e in evidence if e["interview_id"])
    assert check_workspace(ws) == []


def test_interviews_are_question_and_answer_records(demo: tuple[Workspace, DemoSummary]) -> None:
    ws, _ = demo
    for talk in all_records(ws, INTERVIEW):
        lines = talk.content.split("\n")
        assert lines[0].startswith("问：") and "保密" in lines[0]
        assert lines[-1].startswith("答：") and lines[-2].startswith("问：")
        assert all(line.startswith(("问：", "答：")) for line in lines)
        assert 6 <= sum(line.startswith("问：") for line in lines) <= 12
        assert talk.interviewer != talk.recorder and talk.notice_given
