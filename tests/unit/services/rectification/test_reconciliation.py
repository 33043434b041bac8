"""移交线索对账: each organ's figures checked against counts made here independently from the leads."""

from __future__ import annotations

import random
from datetime import date, timedelta
from typing import Any

import pytest

from tests.builders import Context, lead, make_context
from xuncha_desktop.domain.errors import ValidationError
from xuncha_desktop.domain.lead_registrations import LeadRegistration
from xuncha_desktop.domain.record_types import LEAD
from xuncha_desktop.services.records.record_service import RecordService
from xuncha_desktop.services.rectification.reconciliation import mark_reconciled, reconcile_round
from xuncha_desktop.services.workspace import Workspace

TODAY = date(2025, 12, 1)
ORGANS = {"移交纪检监察机关": "纪委监委", "移交组织部门": "组织部", "转有关部门": "其他", "了结": "其他"}


def _random_leads(ws: Workspace, ctx: Context, n: int, seed: int) -> list[LeadRegistration]:
    rng = random.Random(seed)
    service = RecordService[LeadRegistration](ws, LEAD)
    leads = []
    for i in range(n):
        transferred = rng.random() < 0.8
        transfer_on = date(2025, 4, 1) + timedelta(days=rng.randrange(0, 200)) if transferred else None
        feedback_on = (
            transfer_on + timedelta(days=rng.randrange(10, 60))
            if transfer_on and rng.random() < 0.5 and transfer_on + timedelta(days=60) <= TODAY
            else None
        )
        leads.append(
            service.save(
                lead(
                    ctx,
                    subject_name=rng.choice(["赵有才", "钱多多", "孙立", f"李{i}"]),
                    proposed_disposal=rng.choice([*ORGANS, ""]),
                    transfer_on=transfer_on,
                    feedback_on=feedback_on,
                    case_opened=rng.random() < 0.3,
                    sanction=rng.choice(["", "", "党内警告"]),
                    org_handling=rng.choice(["", "诫勉"]),
                    judicial_transfer=rng.random() < 0.1,
                )
            )
        )
    return leads


def _expected(leads: list[LeadRegistration], organ: str) -> dict[str, int]:
    mine = [
        x for x in leads if x.transfer_on is not None and ORGANS.get(x.proposed_disposal, "其他") == organ
    ]
    return {
        "transferred": len(mine),
        "persons": len({x.subject_name for x in mine}),
        "feedback_received": sum(x.feedback_on is not None for x in mine),
        "cases_opened": sum(x.case_opened for x in mine),
        "sanctions": sum(x.sanction != "" for x in mine),
        "org_handlings": sum(x.org_handling != "" for x in mine),
        "judicial": sum(x.judicial_transfer for x in mine),
        "overdue": sum(  # 3 months counted as 92 days (vocab.FEEDBACK_DEADLINE_DAYS)
            x.feedback_on is None and x.transfer_on is not None and (TODAY - x.transfer_on).days > 92
            for x in mine
        ),
    }


@pytest.mark.parametrize("seed", [1, 2])
def test_each_organs_line_counts_the_rounds_transferred_leads(
    office: Workspace, octx: Context, seed: int
) -> None:
    leads = _random_leads(office, octx, 40, seed)
    gone = leads.pop()
    RecordService[Any](office, LEAD).delete(gone.id)
    elsewhere = make_context(office, ordinal=4)
    _random_leads(office, elsewhere, 5, seed)  # another round's leads are not counted
    lines = reconcile_round(office, octx.round.id, TODAY)
    assert [line.organ for line in lines] == ["纪委监委", "组织部", "其他"]
    for line in lines:
        got = {k: v for k, v in vars(line).items() if k not in ("organ", "reconciled_on")}
        assert got == _expected(leads, line.organ), line.organ
    assert sum(line.transferred for line in lines) == sum(x.transfer_on is not None for x in leads)


def test_a_round_without_leads_has_three_empty_lines(office: Workspace, octx: Context) -> None:
    lines = reconcile_round(office, octx.round.id, TODAY)
    assert [(line.organ, line.transferred, line.reconciled_on) for line in lines] == [
        ("纪委监委", 0, None),
        ("组织部", 0, None),
        ("其他", 0, None),
    ]


def test_a_line_marked_reconciled_shows_its_latest_date(office: Workspace, octx: Context) -> None:
    mark_reconciled(office, octx.round.id, "组织部", on=date(2025, 10, 9), by="王主任")
    mark_reconciled(office, octx.round.id, "组织部", on=date(2025, 11, 9), by="王主任", note="核对一致")
    lines = {line.organ: line.reconciled_on for line in reconcile_round(office, octx.round.id, TODAY)}
    assert lines == {"纪委监委": None, "组织部": date(2025, 11, 9), "其他": None}


def test_a_mark_for_an_unknown_organ_or_without_a_date_is_refused(office: Workspace, octx: Context) -> None:
    with pytest.raises(ValidationError) as caught:
        mark_reconciled(office, octx.round.id, "公安局", on=date(2025, 10, 9), by="王主任")
    assert [e.field for e in caught.value.errors] == ["organ"]
    with pytest.raises(ValidationError) as caught:
        mark_reconciled(office, octx.round.id, "组织部", on=date(2099, 1, 1), by="王主任")
    assert [e.field for e in caught.value.errors] == ["reconciled_on"]
