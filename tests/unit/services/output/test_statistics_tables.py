"""The per-unit and per-state tables of the statistics workbook read the records of the scope: one round,
the rounds of a year, a date range or everything; 按被巡察单位 ends with a bold 合计."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook

from tests.statistics_output_helpers import TODAY, every_scope, office_demo
from xuncha_desktop.domain.record_types import INTERVIEW, ROUND
from xuncha_desktop.services.office_statistics.scope import Scope
from xuncha_desktop.services.output.statistics_tables import (
    STATES,
    UNITS,
    scope_queries,
    scope_reader,
    write_ledger_tables,
)
from xuncha_desktop.services.records.record_service import ListQuery, RecordService
from xuncha_desktop.services.workspace import Workspace


@pytest.fixture(scope="module")
def office(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Workspace]:
    ws = office_demo(tmp_path_factory.mktemp("statistics_tables") / "巡察办演示.xcdb")
    yield ws
    ws.close()


def _talks(ws: Workspace, scope: Scope) -> list[str]:
    return sorted(t.id for t in scope_reader(ws, scope)(INTERVIEW.key))


def test_the_reader_keeps_to_the_scope(office: Workspace) -> None:
    scopes = every_scope(office)
    talks = RecordService(office, INTERVIEW).list(ListQuery(limit=None))
    rounds = {r.id: r for r in RecordService(office, ROUND).list(ListQuery(limit=None))}
    assert _talks(office, scopes["term"]) == sorted(t.id for t in talks)
    assert _talks(office, scopes["2025"]) == sorted(t.id for t in talks if rounds[t.round_id].year == 2025)
    one = scopes["2026年第一轮巡察"]
    assert _talks(office, one) == sorted(t.id for t in talks if t.round_id == one.round_id)
    span = Scope(start=date(2025, 6, 1), end=date(2026, 3, 31))
    inside = [t.id for t in talks if t.held_on and date(2025, 6, 1) <= t.held_on <= date(2026, 3, 31)]
    assert _talks(office, span) == sorted(inside)
    assert len(scope_queries(office, Scope(year=2025))) == 2 and scope_queries(office, Scope(year=2030)) == []


def test_units_total_and_states_are_written(office: Workspace, tmp_path: Path) -> None:
    wb = Workbook(write_only=True)
    rows = write_ledger_tables(wb, office, every_scope(office)["2025"], TODAY, "标记")
    wb.save(tmp_path / "t.xlsx")
    back = load_workbook(tmp_path / "t.xlsx")
    units = list(back[UNITS].iter_rows(min_row=2, values_only=True))
    assert rows[UNITS] == len(units) - 1 and units[-1][0] == "合计"
    assert {u[1] for u in units[:-1]} == {"2025年第一轮巡察", "2025年第二轮巡察"}
    assert units[-1][4] == sum(u[4] for u in units[:-1]) and back[UNITS].cell(len(units) + 1, 1).font.b
    states = list(back[STATES].iter_rows(min_row=2, values_only=True))
    assert rows[STATES] == len(states) and {s[0] for s in states} == {"问题底稿", "问题线索"}
    assert sum(s[2] for s in states if s[0] == "问题底稿") == units[-1][4]  # every 底稿 of the year
