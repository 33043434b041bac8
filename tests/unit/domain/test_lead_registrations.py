"""Pure domain rules of lead_registrations: validation of a lead and its overdue rule."""

from __future__ import annotations

from datetime import date

from xuncha_desktop.domain.lead_registrations import LeadRegistration, is_overdue, validate_lead

TODAY = date(2025, 6, 1)
SCOPE = {"round_id": "r", "group_id": "g", "target_id": "t"}


def fields(errors: list) -> set[str]:
    return {e.field for e in errors}


def test_lead_stage_requires_its_facts() -> None:
    base = dict(**SCOPE, registered_on=date(2025, 1, 2), registered_by="李明", subject_name="赵", summary="s")
    assert validate_lead(LeadRegistration(**base), TODAY) == []
    transferred = LeadRegistration(
        **base, status="已移交", group_opinion="建议移交", proposed_disposal="移交纪检监察机关"
    )
    assert {"transfer_unit", "transfer_on", "receiver"} <= fields(validate_lead(transferred, TODAY))


def test_named_reporter_required_for_letters_unless_anonymous() -> None:
    base = dict(
        **SCOPE, registered_on=TODAY, registered_by="李明", subject_name="赵", summary="s", source="来信"
    )
    assert "reporter_name" in fields(validate_lead(LeadRegistration(**base), TODAY))
    assert validate_lead(LeadRegistration(**base, anonymous=True), TODAY) == []


def test_lead_overdue_after_three_months_without_feedback() -> None:
    lead = LeadRegistration(transfer_on=date(2025, 1, 10))
    assert not is_overdue(lead, date(2025, 4, 1))
    assert is_overdue(lead, date(2025, 4, 20))
    assert not is_overdue(
        LeadRegistration(transfer_on=date(2025, 1, 10), feedback_on=date(2025, 4, 2)), date(2025, 6, 1)
    )
