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


def test_a_field_added_later_is_left_out_of_the_body_while_it_holds_its_default() -> None:
    # Bodies written before schema 4 had no cadre_id: the same member written now hashes the same, so the
    # upgraded rows still match their revisions and older signatures stay valid.
    from xuncha_desktop.domain.organization import GroupMember, TargetUnit

    member = GroupMember(id="m", group_id="g", name="张三")
    assert "cadre_id" not in to_body(member) and "avoidance_override" not in to_body(member)
    linked = GroupMember(id="m", group_id="g", name="张三", cadre_id="c", avoidance_override="已报批")
    assert to_body(linked)["cadre_id"] == "c" and to_body(linked)["avoidance_override"] == "已报批"
    assert from_body(GroupMember, to_body(linked), id="m") == linked
    assert "org_id" not in to_body(TargetUnit(id="t", name="县财政局"))
    # A merge of an older and a newer head may leave the field empty (None): it reads as its default.
    assert from_body(TargetUnit, {"name": "县财政局", "org_id": None}, id="t").org_id == ""
