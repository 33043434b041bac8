"""The cube: one GROUP BY per record type, rolled up into the 合计 and into each breakdown's rows the same
way the drill-down's SQL filters (a count made by SQL per row agrees)."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from tests.unit.services.office_statistics.conftest import TODAY, Office
from xuncha_desktop.services.office_statistics.breakdowns import BREAKDOWNS
from xuncha_desktop.services.office_statistics.cube import read_cube
from xuncha_desktop.services.office_statistics.query import (
    TOTAL_KEY,
    behind_condition,
    dimension,
    key_condition,
)
from xuncha_desktop.services.office_statistics.rules import RULES
from xuncha_desktop.services.office_statistics.scope import conditions


def test_the_total_rolls_up_every_counted_figure(office: Office) -> None:
    with office.ws.engine.connect() as conn:
        cube = read_cube(conn, office.scopes["year"], TODAY)
    total = cube.rollup()
    assert list(total) == [TOTAL_KEY]
    assert set(total[TOTAL_KEY]) == {f for f, parts in RULES.items() if parts}
    assert cube.round_kinds and cube.unit_kinds


@pytest.mark.parametrize("by", BREAKDOWNS)
def test_rows_agree_with_a_count_in_sql(office: Office, by: str) -> None:
    scope = office.scopes["year"]
    (part,) = RULES["issues_found"]
    (lead,) = RULES["leads_transferred"]
    with office.ws.engine.connect() as conn:
        rows = read_cube(conn, scope, TODAY).rollup(by)
        assert TOTAL_KEY not in rows and rows
        for p, figure in ((part, "issues_found"), (lead, "leads_transferred")):
            dim = dimension(by, p.type_key)
            if dim is None:
                continue
            for key, figures in rows.items():
                where = [*conditions(scope, p.type_key), behind_condition(p, p.table, TODAY)]
                stmt = select(func.count()).select_from(dim.source).where(*where, key_condition(dim, key))
                assert conn.execute(stmt).scalar_one() == figures.get(figure, 0), (by, key, figure)
