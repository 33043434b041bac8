"""demo leads: every state and disposal, with the facts each stage requires."""

from __future__ import annotations

from datetime import date

from tests.unit.services.demo.reading import all_records
from xuncha_desktop.domain import vocab
from xuncha_desktop.domain.lead_registrations import is_overdue
from xuncha_desktop.domain.record_types import (
    LEAD,
)
from xuncha_desktop.services.demo.build import DemoSummary
from xuncha_desktop.services.workspace import Workspace


def test_leads_are_in_every_state_and_disposal_with_the_facts_of_each_stage(
    demo: tuple[Workspace, DemoSummary],
) -> None:
    ws, _ = demo
    leads = all_records(ws, LEAD)
    assert {x.status for x in leads} == set(vocab.LEAD_STATES)
    assert {x.proposed_disposal for x in leads} >= set(vocab.LEAD_DISPOSALS)
    assert any(x.anonymous for x in leads) and any(x.on_site_transfer for x in leads)
    assert any(is_overdue(x, date.today()) for x in leads)
    for x in leads:
        stage = vocab.LEAD_STATES.index(x.status)
        assert bool(x.group_opinion) == (stage >= 1)
        assert bool(x.transfer_on) == (stage >= 3) == bool(x.receiver)
        assert bool(x.feedback_on) == (stage >= 4) == bool(x.outcome)
        assert x.closed == (stage == 5)
        if stage >= 3:
            assert x.proposed_disposal in vocab.TRANSFER_DISPOSALS and x.leader_approver
        if x.on_site_transfer:
            assert x.transfer_on is not None and x.transfer_on <= date(2025, 11, 7)
