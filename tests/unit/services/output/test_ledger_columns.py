"""ledger_columns: each ledger's columns are headed by the declared labels, import back into their fields,
and hide what a reader may not see."""

from __future__ import annotations

from datetime import date

import pytest

from xuncha_desktop.domain.interview_records import InterviewRecord
from xuncha_desktop.domain.lead_registrations import LeadRegistration
from xuncha_desktop.domain.record_types import BY_KEY
from xuncha_desktop.services.output import ledger_columns
from xuncha_desktop.services.output.ledger_columns import HIDDEN, interview_columns, lead_columns
from xuncha_desktop.services.records.context_names import ContextNames

TODAY = date(2025, 6, 1)
MAKERS = {
    "interview": ledger_columns.interview_columns,
    "draft": ledger_columns.draft_columns,
    "lead": ledger_columns.lead_columns,
    "evaluation": ledger_columns.evaluation_columns,
    "appraisal": ledger_columns.appraisal_columns,
}


@pytest.mark.parametrize("key", list(MAKERS))
def test_field_columns_name_real_fields_and_headers_are_unique(key: str) -> None:
    columns = MAKERS[key](ContextNames(), TODAY, False)
    rt = BY_KEY[key]
    assert all(rt.field(c.field) for c in columns if c.field)
    headers = [c.header for c in columns]
    assert len(headers) == len(set(headers)) and all(headers)


def _by_header(columns: list[ledger_columns.Column]) -> dict[str, ledger_columns.Column]:
    return {c.header: c for c in columns}


def test_the_interview_contact_is_hidden_only_when_asked() -> None:
    record = InterviewRecord(contact="13800000000")
    field = {c.field: c for c in interview_columns(ContextNames(), TODAY, True)}["contact"]
    assert field.value(record) == HIDDEN
    shown = {c.field: c for c in interview_columns(ContextNames(), TODAY, False)}["contact"]
    assert shown.value(record) == "13800000000"
    assert field.value(InterviewRecord(contact="")) == ""


def test_lead_columns_show_flags_and_overdue_only_once_transferred() -> None:
    columns = _by_header(lead_columns(ContextNames(), TODAY, False))
    assert columns["线索编号"].value(LeadRegistration(number="X-1")) == "X-1"
    assert columns["是否匿名"].value(LeadRegistration(anonymous=True)) == "是"
    overdue = next(c for c in columns.values() if "超期" in c.header)
    assert overdue.value(LeadRegistration()) == ""
    assert overdue.value(LeadRegistration(transfer_on=date(2025, 1, 2))) == "是"
    assert overdue.value(LeadRegistration(transfer_on=date(2025, 5, 30))) == "否"
