"""Pure domain rules: validation of each record, poll rates, overdue leads, canonical bodies."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from xuncha_desktop.domain.codec import canonical_json, from_body, to_body
from xuncha_desktop.domain.interview_records import InterviewRecord, validate_interview
from xuncha_desktop.domain.issue_drafts import IssueDraft, validate_draft
from xuncha_desktop.domain.lead_registrations import LeadRegistration, is_overdue, validate_lead
from xuncha_desktop.domain.personnel_evaluations import (
    MemberAppraisal,
    PersonnelEvaluation,
    favourable_rate,
    option_rates,
    validate_appraisal,
    validate_evaluation,
)

TODAY = date(2025, 6, 1)
SCOPE = {"round_id": "r", "group_id": "g", "target_id": "t"}


def fields(errors: list) -> set[str]:
    return {e.field for e in errors}


def test_empty_interview_names_every_required_field() -> None:
    errors = validate_interview(InterviewRecord(), TODAY)
    assert {"round_id", "held_on", "interviewer", "recorder", "interviewee_name"} <= fields(errors)
    assert all("请填写" in e.message for e in errors if e.field in {"interviewer", "recorder"})


def test_interview_time_order_and_formats() -> None:
    r = InterviewRecord(
        **SCOPE,
        held_on=TODAY,
        interviewer="甲",
        recorder="乙",
        interviewee_name="丙",
        start_time="10:00",
        end_time="09:00",
        birth_month="1975-13",
    )
    assert {"end_time", "birth_month"} <= fields(validate_interview(r, TODAY))


def test_draft_key_attention_needs_reason_and_categories_consistent() -> None:
    d = IssueDraft(
        **SCOPE,
        prepared_on=TODAY,
        title="t",
        category_l1="B2",
        category_l2="A2.3",
        description="d",
        preparer="p",
        key_attention=True,
        evidence=[{"name": "", "pages": 3}],
    )
    assert {"key_attention_reason", "category_l2", "evidence"} <= fields(validate_draft(d, TODAY))


def test_amount_precision_is_checked() -> None:
    d = IssueDraft(
        **SCOPE,
        prepared_on=TODAY,
        title="t",
        category_l1="B2",
        description="d",
        preparer="p",
        amount_yuan=Decimal("1.234"),
    )
    assert fields(validate_draft(d, TODAY)) == {"amount_yuan"}


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


def test_poll_rates() -> None:
    e = PersonnelEvaluation(
        poll_scale="个人测评", poll_tallies={"优秀": 60, "称职": 33, "基本称职": 6, "不称职": 1}
    )
    assert favourable_rate(e) == Decimal("93.00")
    assert option_rates(e)["基本称职"] == Decimal("6.00")
    assert favourable_rate(PersonnelEvaluation()) is None


def test_poll_option_must_belong_to_scale() -> None:
    e = PersonnelEvaluation(**SCOPE, name="n", post="p", poll_scale="班子测评", poll_tallies={"称职": 3})
    assert "poll_tallies" in fields(validate_evaluation(e, TODAY))


def test_excellent_recommendation_needs_excellent_grade() -> None:
    a = MemberAppraisal(round_id="r", group_id="g", name="n", grade="称职", recommend_excellent=True)
    assert "recommend_excellent" in fields(validate_appraisal(a, TODAY))


def test_body_round_trip_and_canonical_form() -> None:
    d = IssueDraft(
        id="x", number="n", prepared_on=TODAY, amount_yuan=Decimal("12.5"), disciplines=["廉洁纪律"]
    )
    body = to_body(d)
    assert "id" not in body and body["number"] == "n" and body["amount_yuan"] == "12.50"
    assert from_body(IssueDraft, body, id="x") == d
    assert canonical_json({"b": 1, "a": "纪委"}) == '{"a":"纪委","b":1}'


def test_older_body_without_new_fields_keeps_defaults() -> None:
    body = to_body(IssueDraft(title="t"))
    del body["filing_no"]
    assert from_body(IssueDraft, body).filing_no == ""
