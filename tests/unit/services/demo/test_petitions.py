"""信访件 of the demo: every channel, forwarded and filed ones, and one that became a lead, linked to it."""

from __future__ import annotations

from typing import Any

from tests.unit.services.demo.reading import all_records
from xuncha_desktop.domain.record_types import LEAD, PETITION
from xuncha_desktop.services.demo.build import DemoSummary
from xuncha_desktop.services.records.links import LinkService
from xuncha_desktop.services.records.record_service import RecordService
from xuncha_desktop.services.workspace import Workspace


def test_the_demo_has_petitions_of_each_channel_and_disposal(demo: tuple[Workspace, DemoSummary]) -> None:
    ws, _ = demo
    petitions = all_records(ws, PETITION)
    assert len(petitions) == 6
    assert {p.channel for p in petitions} == {"来信", "来电", "来访", "网络（码上巡察）", "意见箱"}
    assert {p.disposal for p in petitions} == {"转办", "留存备查", "转为问题线索"}
    assert any(p.anonymous for p in petitions) and any(p.within_remit == "不属于" for p in petitions)
    [became_lead] = [p for p in petitions if p.disposal == "转为问题线索"]
    [link] = LinkService(ws).linked("petition", became_lead.id)
    assert (link.record_type, link.kind) == ("lead", "信访来源")
    lead = RecordService[Any](ws, LEAD).get(link.record_id)
    assert (lead.summary, lead.subject_name) == (became_lead.summary, became_lead.subject_name)
