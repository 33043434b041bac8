"""Pure domain rules of codec: canonical bodies and their round trip."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from xuncha_desktop.domain.codec import canonical_json, from_body, to_body
from xuncha_desktop.domain.issue_drafts import IssueDraft

TODAY = date(2025, 6, 1)
SCOPE = {"round_id": "r", "group_id": "g", "target_id": "t"}


def fields(errors: list) -> set[str]:
    return {e.field for e in errors}


def test_body_round_trip_and_canonical_form() -> None:
    d = IssueDraft(
        id="x", number="n", prepared_on=TODAY, amount_yuan=Decimal("12.5"), disciplines=["廉洁纪律"]
    )
    body = to_body(d)
    assert "id" not in body and body["number"] == "n" and body["amount_yuan"] == "12.50"
    assert from_body(IssueDraft, body, id="x") == d
    assert canonical_json({"b": 1, "a": "纪委"}) == '{"a":"纪委","b":1}'


def test_older_body_without_new_fields_keeps_defaults() -> None:
    body = to_body(IssueDraft(title="t"))
    del body["filing_no"]
    assert from_body(IssueDraft, body).filing_no == ""
