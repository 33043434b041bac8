"""The SQL of the rules: which record types a breakdown splits, the row of records without a value, and
纪律 matched in the JSON text whether it was stored escaped or as typed."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import JSON, Column, MetaData, String, Table, create_engine, select

from xuncha_desktop.domain.record_types import DRAFT, GROUP, INTERVIEW, LEAD, ROUND, TARGET, TASK
from xuncha_desktop.services.office_statistics.query import (
    NONE_KEY,
    _discipline_conditions,
    dimension,
)


def test_which_types_each_breakdown_splits() -> None:
    assert dimension("group", ROUND.key) is None and dimension("group", GROUP.key) is not None
    assert dimension("unit_kind", GROUP.key) is None and dimension("unit_kind", TASK.key) is not None
    assert dimension("category_l1", INTERVIEW.key) is None and dimension("category_l2", DRAFT.key) is not None
    discipline = dimension("discipline", LEAD.key)
    assert discipline is not None and discipline.keyed is not None and NONE_KEY in discipline.keyed
    assert dimension("discipline", TARGET.key) is None
    with pytest.raises(ValueError):
        dimension("weekday", DRAFT.key)


@pytest.mark.parametrize("ascii_only", [True, False])
def test_disciplines_match_either_json_spelling(ascii_only: bool) -> None:
    t = Table("d", MetaData(), Column("id", String), Column("disciplines", JSON))
    engine = create_engine("sqlite://", json_serializer=lambda v: json.dumps(v, ensure_ascii=ascii_only))
    t.metadata.create_all(engine)
    rows = {"a": ["政治纪律", "廉洁纪律"], "b": ["工作纪律"], "c": [], "d": ["政治纪律%"]}
    with engine.begin() as conn:
        conn.execute(t.insert(), [{"id": k, "disciplines": v} for k, v in rows.items()])
        found = {
            key: sorted(r for (r,) in conn.execute(select(t.c.id).where(condition)))
            for key, condition in _discipline_conditions(t).items()
        }
    assert found["政治纪律"] == ["a"]  # "政治纪律%" is another word, not a pattern
    assert found["廉洁纪律"] == ["a"] and found["工作纪律"] == ["b"]
    assert found[NONE_KEY] == ["c", "d"]
