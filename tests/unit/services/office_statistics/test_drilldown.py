"""The records behind a number: as many as the figure counts (for every figure, in the 合计 and in the
rows of a breakdown); a sum's records add up to it; distinct persons give one lead each."""

from __future__ import annotations

from decimal import Decimal

import pytest

from tests.unit.services.office_statistics.conftest import TODAY, Office
from tests.unit.services.office_statistics.independent import counted
from xuncha_desktop.domain.record_types import DRAFT, LEAD, PETITION, TASK
from xuncha_desktop.services.office_statistics.breakdowns import breakdown
from xuncha_desktop.services.office_statistics.drilldown import (
    count_behind,
    leads_without_outcome,
    records_behind,
)
from xuncha_desktop.services.office_statistics.figures import FIGURE_LABELS, Summary, summary

SUMS = {"amount_recovered_yuan", "institutions", "files_read", "site_visits", "questionnaires"}
SUMS |= {"special_reports", "recommendations"}


def _expected_count(figures: Summary, figure: str, finished_tasks: int) -> int:
    """What count_behind must say: the figure for a count; a rate's numerator; none for 全覆盖."""
    if figure == "case_rate":
        return figures.cases_opened
    if figure == "rectification_rate":
        return finished_tasks
    if figure == "coverage_percent":
        return 0
    return int(figures.value(figure))


@pytest.mark.parametrize("name", ["term", "year", "round"])
def test_count_behind_equals_every_count(office: Office, name: str) -> None:
    scope = office.scopes[name]
    figures = summary(office.ws, scope, TODAY)
    finished = counted(office.records, scope, TODAY)["_tasks_finished"]
    for figure in FIGURE_LABELS:
        n = count_behind(office.ws, scope, figure, today=TODAY)
        refs = records_behind(office.ws, scope, figure, limit=None, today=TODAY)
        assert len(refs) == n, figure
        if figure not in SUMS:
            assert n == _expected_count(figures, figure, finished), (name, figure)
        else:
            assert n > 0, figure  # the records adding to a sum


def test_a_sum_is_the_sum_of_its_records(office: Office) -> None:
    scope = office.scopes["term"]
    refs = records_behind(office.ws, scope, "amount_recovered_yuan", limit=None, today=TODAY)
    drafts = {d.id: d for d in office.records.by_type[DRAFT.key]}
    tasks = {t.id: t for t in office.records.by_type[TASK.key]}
    total = sum(
        (drafts[r.record_id] if r.type_key == DRAFT.key else tasks[r.record_id]).amount_recovered_yuan
        for r in refs
    )
    assert total == summary(office.ws, scope, TODAY).amount_recovered_yuan > Decimal(0)
    assert {r.type_key for r in refs} == {DRAFT.key, TASK.key}
    assert all(r.number and r.title for r in refs)


def test_persons_are_one_lead_each(office: Office) -> None:
    scope = office.scopes["term"]
    refs = records_behind(office.ws, scope, "leads_transferred_persons", limit=None, today=TODAY)
    assert {r.type_key for r in refs} == {LEAD.key}
    assert (
        len({r.title for r in refs})
        == len(refs)
        == summary(office.ws, scope, TODAY).leads_transferred_persons
    )


@pytest.mark.parametrize("by", ["group", "unit_kind", "category_l1", "discipline"])
def test_count_behind_equals_each_row(office: Office, by: str) -> None:
    scope = office.scopes["year"]
    for row in breakdown(office.ws, scope, by, TODAY):
        for figure in ("issues_found", "leads_transferred", "interviews", "immediate_fixes", "petitions"):
            n = count_behind(office.ws, scope, figure, by=by, key=row.key, today=TODAY)
            assert n == row.figures.value(figure), (by, row.label, figure)
        refs = records_behind(office.ws, scope, "issues_found", by=by, key=row.key, today=TODAY)
        assert len(refs) == row.figures.issues_found


def test_limit_and_unknown_names(office: Office) -> None:
    scope = office.scopes["term"]
    refs = records_behind(office.ws, scope, "interviews", limit=5, today=TODAY)
    assert len(refs) == 5 and [r.number for r in refs] == sorted(r.number for r in refs)
    petitions = records_behind(office.ws, scope, "petitions", limit=None, today=TODAY)
    assert len(petitions) == summary(office.ws, scope, TODAY).petitions == 18
    assert {r.type_key for r in petitions} == {PETITION.key} and all(r.title for r in petitions)
    reporters = {p.reporter_name for p in office.records.by_type[PETITION.key] if not p.anonymous}
    assert reporters and not any(name in r.title for r in petitions for name in reporters)  # 摘要, no 反映人
    assert records_behind(office.ws, scope, "coverage_percent", today=TODAY) == []
    with pytest.raises(KeyError):
        count_behind(office.ws, scope, "_tasks")
    with pytest.raises(ValueError):
        count_behind(office.ws, scope, "issues_found", by="weekday", key="x")


@pytest.mark.parametrize("name", ["term", "year", "round", "range"])
def test_leads_without_outcome_have_none_of_the_four(office: Office, name: str) -> None:
    """The charts' 暂无处置结果: transferred leads with no 立案, 处分, 组织处理 or 移送司法 (counted here
    from the records, not as 移交 − 立案)."""
    scope = office.scopes[name]
    moved = [lead for lead in office.records.in_scope(LEAD.key, scope) if lead.transfer_on is not None]
    none = [
        lead
        for lead in moved
        if not (lead.case_opened or lead.sanction or lead.org_handling or lead.judicial_transfer)
    ]
    assert leads_without_outcome(office.ws, scope, today=TODAY) == len(none)
    if name == "term":
        assert 0 < len(none) < len(moved)  # the demo has leads with and without an outcome
