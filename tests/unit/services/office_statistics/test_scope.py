"""Scopes: their labels, the command line's --round and --year, and which rows a date range keeps."""

from __future__ import annotations

from datetime import date

import pytest

from tests.unit.services.office_statistics.conftest import FIRST_ROUND, Office
from xuncha_desktop.domain.errors import XunchaError
from xuncha_desktop.domain.record_types import GROUP, INTERVIEW, ROUND, TARGET
from xuncha_desktop.services.office_statistics.scope import Scope, conditions, scope_for
from xuncha_desktop.storage.tables import BUSINESS_TABLES


def test_labels(office: Office) -> None:
    ws = office.ws
    assert office.scopes["round"].label(ws) == FIRST_ROUND
    assert Scope(year=2025).label(ws) == "2025年度"
    assert Scope().label(ws) == "全部（本届）"
    assert Scope(start=date(2026, 1, 1), end=date(2026, 6, 30)).label(ws) == "2026-01-01 至 2026-06-30"
    assert Scope(start=date(2026, 1, 1)).label(ws) == "2026-01-01 至 今"
    assert Scope(round_id="gone").label(ws) == "（已删除的轮次）"


def test_scope_for_the_command_line(office: Office) -> None:
    ws = office.ws
    first = next(r for r in office.records.by_type[ROUND.key] if r.name == FIRST_ROUND)
    assert scope_for(ws, round_name=f" {FIRST_ROUND} ") == Scope(round_id=first.id)
    assert scope_for(ws, year=2025) == Scope(year=2025)
    assert scope_for(ws) == Scope()
    with pytest.raises(XunchaError, match="没有名为“第九轮”的巡察轮次"):
        scope_for(ws, round_name="第九轮")
    with pytest.raises(XunchaError, match="年度 99 无效"):
        scope_for(ws, year=99)


def _count(office: Office, scope: Scope, key: str) -> int:
    from sqlalchemy import func, select

    t = BUSINESS_TABLES[key]
    with office.ws.engine.connect() as conn:
        return int(
            conn.execute(select(func.count()).select_from(t).where(*conditions(scope, key))).scalar_one()
        )


def test_a_date_range_keeps_list_dates_and_rounds_on_site_then(office: Office) -> None:
    scope = office.scopes["range"]
    assert scope.start and scope.end
    talks = [
        r
        for r in office.records.by_type[INTERVIEW.key]
        if r.held_on and scope.start <= r.held_on <= scope.end
    ]
    assert _count(office, scope, INTERVIEW.key) == len(talks) > 0
    rounds = {
        r.id
        for r in office.records.by_type[ROUND.key]
        if r.start_on and scope.start <= r.start_on <= scope.end
    }
    units = [t for t in office.records.by_type[TARGET.key] if t.round_id in rounds]
    assert _count(office, scope, TARGET.key) == len(units) > 0
    assert _count(office, scope, GROUP.key) == sum(
        g.round_id in rounds for g in office.records.by_type[GROUP.key]
    )
    assert _count(office, scope, ROUND.key) == len(rounds)
