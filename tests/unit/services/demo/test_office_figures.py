"""The office demo's statistics inputs: every group reported, every unit was worked, every 底稿 has a
严重程度, and money recovered on site only on adopted 立行立改 issues — with their sign-offs still valid."""

from __future__ import annotations

import random
from decimal import Decimal
from pathlib import Path

from tests.unit.services.demo.reading import all_records
from tests.unit.services.demo.test_office import TODAY, _office
from xuncha_desktop.domain import vocab
from xuncha_desktop.domain.codec import canonical_json, sha256_hex, to_body
from xuncha_desktop.domain.issue_drafts import IssueDraft, signed_hash
from xuncha_desktop.domain.organization import InspectionGroup, TargetUnit
from xuncha_desktop.domain.record_types import DRAFT, GROUP, ROUND, TARGET
from xuncha_desktop.domain.states import DraftState
from xuncha_desktop.services.demo import office_figures
from xuncha_desktop.services.demo.drafts import WORKFLOW_FIELDS
from xuncha_desktop.services.demo.office import build_office_demo


def _hash(d: IssueDraft) -> str:
    """The content a demo sign-off hashes (services/demo/drafts.py)."""
    return sha256_hex(canonical_json({k: v for k, v in to_body(d).items() if k not in WORKFLOW_FIELDS}))


def test_the_inputs_are_filled(tmp_path: Path) -> None:
    ws = _office(tmp_path / "巡察办.xcdb")
    try:
        build_office_demo(ws, seed=2, records=200, today=TODAY)
        rounds = {r.id: r for r in all_records(ws, ROUND)}
        finished = {r.id for r in rounds.values() if r.end_on and r.end_on < TODAY}
        groups = all_records(ws, GROUP)
        assert all(
            g.special_reports >= 1 and g.recommendations >= 4 for g in groups if g.round_id in finished
        )
        units = all_records(ws, TARGET)
        assert all(u.files_read > 0 and u.site_visits > 0 for u in units)
        drafts = all_records(ws, DRAFT)
        assert {d.severity for d in drafts} == set(vocab.ISSUE_SEVERITIES)
        recovered = [d for d in drafts if d.amount_recovered_yuan > 0]
        assert recovered and all(d.immediate_fix and d.status in DraftState.ADOPTED for d in recovered)
        assert all(d.amount_recovered_yuan <= d.amount_yuan for d in recovered)
        signed = [d for d in drafts if d.status == DraftState.SIGNED and not d.edited_after_signoff]
        assert signed and all(signed_hash(d) == _hash(d) for d in signed)  # signed with these inputs
    finally:
        ws.close()


def test_the_helpers() -> None:
    rng = office_figures.figures_rng(1)
    assert office_figures.figures_rng(1).random() == random.Random("office-figures-1").random()
    group = office_figures.group_outputs(rng, InspectionGroup(name="第一组"), finished=True)
    assert 1 <= group.special_reports <= 3 and 4 <= group.recommendations <= 12
    unit = office_figures.unit_work(rng, TargetUnit(name="某局"), finished=False)
    assert 15 <= unit.files_read <= 60 and unit.questionnaires in (0, *range(40, 161))
    draft = IssueDraft(immediate_fix=True, amount_yuan=Decimal(1000))
    signed = office_figures.draft_outcome(random.Random(3), draft, DraftState.SIGNED)
    voided = office_figures.draft_outcome(random.Random(3), draft, DraftState.VOID)
    assert signed["severity"] in vocab.ISSUE_SEVERITIES and voided["amount_recovered_yuan"] == 0
    assert Decimal(300) <= signed["amount_recovered_yuan"] <= Decimal(1000)
