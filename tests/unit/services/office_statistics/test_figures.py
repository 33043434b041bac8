"""Every summary figure equals a count made straight from the records of the office demo (for the term, a
year, a round and a date range); the JSON of `stats` has exactly the issue's keys."""

from __future__ import annotations

import dataclasses
from decimal import Decimal

import pytest

from tests.unit.services.office_statistics.conftest import TODAY, Office
from tests.unit.services.office_statistics.independent import counted, coverage_percent, rates
from xuncha_desktop.services.office_statistics.figures import (
    FIGURE_LABELS,
    SUMMARY_JSON_KEYS,
    Summary,
    coverage_years,
    summary,
)
from xuncha_desktop.services.rectification.figures import rectification_figures


@pytest.mark.parametrize("name", ["term", "year", "round", "range"])
def test_every_figure_matches_the_records(office: Office, name: str) -> None:
    scope = office.scopes[name]
    found = summary(office.ws, scope, TODAY)
    expected = counted(office.records, scope, TODAY)
    expected |= rates(expected)
    for figure in FIGURE_LABELS:
        if figure != "coverage_percent":
            assert found.value(figure) == expected[figure], (name, figure)
    years = coverage_years(office.ws, scope)
    assert found.coverage_percent == coverage_percent(office.records, years[1] if years else None)


def test_the_demo_fills_every_figure(office: Office) -> None:
    found = summary(office.ws, office.scopes["term"], TODAY)
    assert [f for f in FIGURE_LABELS if not found.value(f)] == []
    assert found.petitions == 18  # 受理信访件次: six 信访件 in each of the three rounds
    assert 0 < found.case_rate < 1 and found.rectification_rate is not None


def test_scopes_narrow_the_term(office: Office) -> None:
    term, year, one = (summary(office.ws, office.scopes[k], TODAY) for k in ("term", "year", "round"))
    assert term.rounds == 3 and year.rounds == 2 and one.rounds == 1
    assert term.issues_found > year.issues_found > one.issues_found > 0
    assert year.coverage_percent < term.coverage_percent


def test_rectification_rate_is_that_of_the_rectification_figures(office: Office) -> None:
    scope = office.scopes["round"]
    rate = rectification_figures(office.ws, TODAY, round_id=scope.round_id)["completion_rate"]
    assert summary(office.ws, scope, TODAY).rectification_rate == rate


def test_summary_json_has_exactly_the_issue_keys() -> None:
    s = Summary(issues_found=3, amount_recovered_yuan=Decimal("12.5"))
    out = s.summary_json()
    assert tuple(out) == SUMMARY_JSON_KEYS
    assert set(out) == {
        "units_inspected",
        "interviews",
        "issues_found",
        "immediate_fixes",
        "leads_transferred",
        "leads_on_site",
        "cases_opened",
        "sanctions",
        "amount_recovered_yuan",
    }
    assert out["amount_recovered_yuan"] == "12.50" and out["issues_found"] == 3


def test_every_field_has_a_label_and_value_refuses_others() -> None:
    assert set(FIGURE_LABELS) == {f.name for f in dataclasses.fields(Summary)}
    assert all(label for label in FIGURE_LABELS.values())
    with pytest.raises(KeyError):
        Summary().value("no_such_figure")


def test_a_year_without_rounds_counts_zero(office: Office) -> None:
    empty = summary(office.ws, dataclasses.replace(office.scopes["term"], year=1999), TODAY)
    assert empty.issues_found == 0 and empty.case_rate == 0.0 and empty.rectification_rate is None
    assert empty.amount_recovered_yuan == Decimal("0.00")
