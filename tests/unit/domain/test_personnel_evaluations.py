"""Pure domain rules of personnel_evaluations: poll rates and evaluation validation."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal

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


def test_each_appraisal_state_needs_the_facts_of_the_steps_behind_it() -> None:
    base = MemberAppraisal(round_id="r", group_id="g", name="李明")
    assert fields(validate_appraisal(base, TODAY)) == set()
    assert fields(validate_appraisal(replace(base, status="已推荐"), TODAY)) == {"grade"}
    opinion = replace(base, status="已提出考核意见", grade="称职")
    assert fields(validate_appraisal(opinion, TODAY)) == {"office_opinion"}
    approved = replace(opinion, status="已审定", office_opinion="同意")
    assert fields(validate_appraisal(approved, TODAY)) == {"approved_grade"}
    assert fields(validate_appraisal(replace(approved, approved_grade="优秀"), TODAY)) == set()
