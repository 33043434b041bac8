"""Pure domain rules of interview_records: validation of an interview record."""

from __future__ import annotations

from datetime import date

from xuncha_desktop.domain.interview_records import InterviewRecord, validate_interview

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
