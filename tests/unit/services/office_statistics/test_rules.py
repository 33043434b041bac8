"""The table of rules: every figure shown has a rule, and the SQL rule of 线索反馈超期 agrees with the
domain's is_overdue at its boundary."""

from __future__ import annotations

import dataclasses
from datetime import date, timedelta

import pytest
from sqlalchemy import Column, Date, MetaData, Table, create_engine, literal, select

from xuncha_desktop.domain import vocab
from xuncha_desktop.domain.lead_registrations import LeadRegistration, is_overdue
from xuncha_desktop.domain.record_types import LEAD, TASK
from xuncha_desktop.services.office_statistics.figures import FIGURE_LABELS, Summary
from xuncha_desktop.services.office_statistics.rules import DERIVED_BEHIND, RULES, parts_by_type, parts_of


def test_every_shown_figure_has_a_rule() -> None:
    shown = {f.name for f in dataclasses.fields(Summary)}
    assert shown == set(FIGURE_LABELS)
    assert shown == {f for f in RULES if not f.startswith("_")} | set(DERIVED_BEHIND)
    assert parts_of("case_rate") == RULES["cases_opened"] and parts_of("coverage_percent") == ()
    with pytest.raises(KeyError):
        parts_of("nothing")


def test_amount_recovered_adds_drafts_and_tasks() -> None:
    parts = RULES["amount_recovered_yuan"]
    assert [p.type_key for p in parts] == ["draft", TASK.key] and all(p.measure == "sum" for p in parts)
    assert sum(len(v) for v in parts_by_type().values()) == sum(len(v) for v in RULES.values())


@pytest.mark.parametrize("days", [vocab.FEEDBACK_DEADLINE_DAYS - 1, vocab.FEEDBACK_DEADLINE_DAYS, 93, 200])
def test_overdue_rule_matches_the_domain(days: int) -> None:
    today = date(2026, 5, 20)
    lead = LeadRegistration(transfer_on=today - timedelta(days=days))
    (part,) = RULES["leads_overdue"]
    assert part.type_key == LEAD.key
    t = Table("lead", MetaData(), Column("transfer_on", Date), Column("feedback_on", Date))
    engine = create_engine("sqlite://")
    t.metadata.create_all(engine)
    with engine.begin() as conn:
        conn.execute(t.insert().values(transfer_on=lead.transfer_on, feedback_on=None))
        found = conn.execute(select(literal(1)).select_from(t).where(part.where(t, today))).all()
    assert bool(found) == is_overdue(lead, today)
