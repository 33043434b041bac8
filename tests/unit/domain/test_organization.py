"""domain.organization: the rules of rounds, links and the other organisation records."""

from __future__ import annotations

from datetime import date

from xuncha_desktop.domain.organization import (
    LINK_KINDS,
    InspectionRound,
    RecordLink,
    validate_link,
    validate_round,
)

TODAY = date(2025, 6, 1)


def _fields(errors: list) -> set[str]:
    return {e.field for e in errors}


def test_a_round_needs_a_name_a_year_an_ordinal_and_known_choices() -> None:
    good = InspectionRound(name="2025年第3轮巡察", year=2025, ordinal=3)
    assert validate_round(good, TODAY) == []
    bad = InspectionRound(name="", year=1999, ordinal=100, kind="临时", framework="五个聚焦")
    assert _fields(validate_round(bad, TODAY)) == {"name", "year", "ordinal", "kind", "framework"}
    assert validate_round(InspectionRound(name="n", year=2000, ordinal=1), TODAY) == []
    assert validate_round(InspectionRound(name="n", year=2100, ordinal=99), TODAY) == []


def test_a_round_ends_no_earlier_than_it_starts() -> None:
    r = InspectionRound(name="n", year=2025, start_on=date(2025, 3, 2), end_on=date(2025, 3, 1))
    assert [e.message for e in validate_round(r, TODAY)] == ["结束日期不能早于开始日期"]


def test_links_only_of_the_declared_kinds_and_never_to_itself() -> None:
    ok = RecordLink(from_type="interview", from_id="a", to_type="lead", to_id="b")
    assert validate_link(ok, TODAY) == [] and ("interview", "lead") in LINK_KINDS
    backwards = RecordLink(from_type="lead", from_id="a", to_type="interview", to_id="b")
    assert [e.message for e in validate_link(backwards, TODAY)] == ["不能从“lead”关联到“interview”"]
    itself = RecordLink(from_type="draft", from_id="a", to_type="lead", to_id="a")
    assert [e.message for e in validate_link(itself, TODAY)] == ["记录不能关联到自身"]
    assert _fields(validate_link(RecordLink(from_type="draft", to_type="lead"), TODAY)) == {
        "from_id",
        "to_id",
    }
