"""storage.tables: a business table per record type from its declarations, amounts as exact 分."""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import MetaData

from xuncha_desktop.domain.record_types import DRAFT
from xuncha_desktop.storage.tables import BUSINESS_TABLES, META_COLUMNS, Money, business_table, meta_from_row


def test_money_is_stored_as_whole_fen_and_read_back_exactly() -> None:
    money = Money()
    assert money.process_bind_param(Decimal("12.34"), None) == 1234
    assert money.process_bind_param(Decimal("0.1") + Decimal("0.2"), None) == 30
    assert money.process_result_value(1234, None) == Decimal("12.34")
    assert money.process_bind_param(None, None) is None and money.process_result_value(None, None) is None


def test_a_business_table_has_the_meta_columns_and_every_body_field() -> None:
    table = business_table(DRAFT, MetaData())
    assert table.name == BUSINESS_TABLES[DRAFT.key].name
    assert set(META_COLUMNS) <= set(table.c.keys())
    assert {"id", "number", "title"} <= set(table.c.keys())


def test_meta_comes_from_the_row() -> None:
    class Row:
        created_hlc, created_by, updated_hlc, updated_by = "h1", "li", "h2", "wang"
        deleted, conflict, head_rev = 1, None, "rev"

    meta = meta_from_row(Row())
    assert (meta.created_by, meta.updated_at, meta.deleted, meta.head_rev) == ("li", "h2", True, "rev")
