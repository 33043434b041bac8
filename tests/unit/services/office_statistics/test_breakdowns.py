"""Each breakdown row equals a count straight from the records of that row; the rows add up to the 合计
(the scope's summary) for every additive figure the breakdown applies to — except 纪律, where a record
naming several disciplines counts under each of them and once in the 合计."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest

from tests.unit.services.office_statistics.conftest import TODAY, Office
from tests.unit.services.office_statistics.independent import Records, counted, rates
from xuncha_desktop.domain import vocab
from xuncha_desktop.domain.record_types import DRAFT, GROUP, LEAD, ROUND, TARGET
from xuncha_desktop.services.office_statistics.breakdowns import (
    BREAKDOWN_LABELS,
    BREAKDOWNS,
    NOT_ADDITIVE,
    applies,
    breakdown,
)
from xuncha_desktop.services.office_statistics.figures import FIGURE_LABELS, summary
from xuncha_desktop.services.office_statistics.query import NONE_KEY

Key = Callable[[str, Any], "str | None"]


def _row_key(rs: Records, by: str) -> Callable[[str, Any], Any]:
    """type key, record → the row key the record falls in (a set for 纪律); None: not split by `by`."""
    rounds = rs.rounds()
    targets = {t.id: t for t in rs.by_type[TARGET.key]}

    def key(type_key: str, r: Any) -> Any:
        if by == "round":
            return r.id if type_key == ROUND.key else r.round_id
        if by == "group":
            return r.id if type_key == GROUP.key else getattr(r, "group_id", None)
        if by == "round_kind":
            return r.kind if type_key == ROUND.key else rounds[r.round_id].kind
        if by == "unit_kind":
            if type_key == TARGET.key:
                return r.kind
            if not hasattr(r, "target_id"):
                return None
            unit = targets.get(r.target_id)  # a 信访件 may name no unit
            return unit.kind if unit is not None and unit.kind else NONE_KEY
        if by in ("category_l1", "category_l2"):
            return (getattr(r, by) or NONE_KEY) if type_key == DRAFT.key else None
        if type_key in (DRAFT.key, LEAD.key):  # 纪律
            named = {d for d in r.disciplines if d in vocab.DISCIPLINES}
            return named or {NONE_KEY}
        return None

    return key


def _in_row(key: Callable[[str, Any], Any], row: str) -> Callable[[str, Any], bool]:
    def keep(type_key: str, r: Any) -> bool:
        found = key(type_key, r)
        return row in found if isinstance(found, set) else found == row

    return keep


@pytest.mark.parametrize("by", BREAKDOWNS)
@pytest.mark.parametrize("name", ["term", "year", "round"])
def test_each_row_matches_the_records(office: Office, by: str, name: str) -> None:
    scope = office.scopes[name]
    rows = breakdown(office.ws, scope, by, TODAY)
    key = _row_key(office.records, by)
    for row in rows[:-1]:
        expected = counted(office.records, scope, TODAY, _in_row(key, row.key))
        expected |= rates(expected)
        for figure in FIGURE_LABELS:
            if figure == "coverage_percent":
                continue
            shown = row.figures.value(figure)
            if applies(by, figure):
                assert shown == expected[figure], (by, row.label, figure)
            else:
                assert shown in (0, 0.0, None, Decimal(0)), (by, row.label, figure)


@pytest.mark.parametrize("by", BREAKDOWNS)
def test_rows_add_up_to_the_total(office: Office, by: str) -> None:
    scope = office.scopes["year"]
    *rows, total = breakdown(office.ws, scope, by, TODAY)
    assert (total.key, total.label) == ("", "合计")
    assert total.figures == summary(office.ws, scope, TODAY)
    additive = [f for f in FIGURE_LABELS if applies(by, f) and f not in NOT_ADDITIVE]
    assert "issues_found" in additive or by not in ("category_l1", "discipline")
    for figure in additive:
        added = sum((r.figures.value(figure) for r in rows), start=type(total.figures.value(figure))())
        if by == "discipline":  # a 底稿 naming two 纪律 is in two rows and once in the 合计
            assert added >= total.figures.value(figure), figure
        else:
            assert added == total.figures.value(figure), (by, figure)


def test_a_draft_naming_several_disciplines_counts_under_each(office: Office) -> None:
    scope = office.scopes["term"]
    *rows, total = breakdown(office.ws, scope, "discipline", TODAY)
    drafts = [d for d in office.records.in_scope(DRAFT.key, scope) if d.status in ("已审签", "已归并")]
    assert sum(r.figures.issues_found for r in rows) == sum(max(1, len(d.disciplines)) for d in drafts)
    assert total.figures.issues_found == len(drafts)
    assert [r.key for r in rows] == [*vocab.DISCIPLINES, NONE_KEY]


def test_rows_are_labelled_and_ordered(office: Office) -> None:
    scope = office.scopes["year"]
    kinds = breakdown(office.ws, scope, "unit_kind", TODAY)
    assert [r.key for r in kinds[: len(vocab.UNIT_KINDS)]] == list(vocab.UNIT_KINDS)
    assert any(r.figures.coverage_percent > 0 for r in kinds[:-1])
    rounds = breakdown(office.ws, scope, "round", TODAY)
    assert [r.label for r in rounds] == ["2025年第一轮巡察", "2025年第二轮巡察", "合计"]
    groups = breakdown(office.ws, scope, "group", TODAY)
    assert groups[0].label.startswith("2025年第一轮巡察·")
    one = breakdown(office.ws, office.scopes["round"], "group", TODAY)
    assert "·" not in one[0].label and one[0].label.endswith("巡察组")
    categories = breakdown(office.ws, scope, "category_l1", TODAY)
    assert categories[0].label.startswith("A1 落实党的理论")
    assert set(BREAKDOWN_LABELS) == set(BREAKDOWNS)


def test_what_each_breakdown_splits() -> None:
    assert applies("category_l1", "issues_found") and not applies("category_l1", "interviews")
    assert not applies("category_l1", "amount_recovered_yuan")  # the 整改任务 part has no category
    assert applies("group", "special_reports") and not applies("unit_kind", "special_reports")
    assert applies("round_kind", "rounds") and not applies("group", "rounds")
    assert applies("unit_kind", "coverage_percent") and not applies("group", "coverage_percent")
    assert all(applies(by, "petitions") for by in ("round", "group", "unit_kind", "round_kind"))
    assert not any(applies(by, "petitions") for by in ("category_l1", "category_l2", "discipline"))
    with pytest.raises(ValueError):
        applies("weekday", "issues_found")


def test_petitions_split_by_round_group_and_unit_kind(office: Office) -> None:
    """受理信访件次 of the office demo (six 信访件 a round) in the rows a summary reports them by."""
    scope = office.scopes["term"]

    def counts(by: str) -> dict[str, int]:  # the rows with any (every group and kind has a row)
        return {
            r.label: r.figures.petitions
            for r in breakdown(office.ws, scope, by, TODAY)
            if r.figures.petitions
        }

    assert counts("round") == {
        "2025年第一轮巡察": 6,
        "2025年第二轮巡察": 6,
        "2026年第一轮巡察": 6,
        "合计": 18,
    }
    assert list(counts("group").values()) == [4, 2, 3, 3, 4, 2, 18]
    assert counts("round_kind") == {"常规": 6, "专项": 6, "回头看": 6, "合计": 18}
    by_kind = counts("unit_kind")
    assert by_kind["县直部门"] == 8 and by_kind["合计"] == 18 == sum(by_kind.values()) - 18
    assert counts("category_l1") == {"合计": 18}  # a 信访件 has no 问题类别
