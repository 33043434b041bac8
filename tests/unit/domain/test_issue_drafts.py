"""Pure domain rules of issue_drafts: validation of an issue draft."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from xuncha_desktop.domain.issue_drafts import IssueDraft, validate_draft

TODAY = date(2025, 6, 1)
SCOPE = {"round_id": "r", "group_id": "g", "target_id": "t"}


def fields(errors: list) -> set[str]:
    return {e.field for e in errors}


def test_draft_key_attention_needs_reason_and_categories_consistent() -> None:
    d = IssueDraft(
        **SCOPE,
        prepared_on=TODAY,
        title="t",
        category_l1="B2",
        category_l2="A2.3",
        description="d",
        preparer="p",
        key_attention=True,
        evidence=[{"name": "", "pages": 3}],
    )
    assert {"key_attention_reason", "category_l2", "evidence"} <= fields(validate_draft(d, TODAY))


def test_amount_precision_is_checked() -> None:
    d = IssueDraft(
        **SCOPE,
        prepared_on=TODAY,
        title="t",
        category_l1="B2",
        description="d",
        preparer="p",
        amount_yuan=Decimal("1.234"),
    )
    assert fields(validate_draft(d, TODAY)) == {"amount_yuan"}
