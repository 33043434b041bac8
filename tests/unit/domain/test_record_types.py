"""domain.record_types: every record type found by key and by class, its fields and labels declared once."""

from __future__ import annotations

import pytest

from xuncha_desktop.domain.issue_drafts import IssueDraft
from xuncha_desktop.domain.record_types import (
    ALL_RECORD_TYPES,
    BY_CLASS,
    DRAFT,
    MAIN_RECORD_TYPES,
    list_fields,
    record_type,
    set_fields,
)


def test_keys_tables_and_classes_are_unique() -> None:
    assert len({t.key for t in ALL_RECORD_TYPES}) == len(ALL_RECORD_TYPES)
    assert len({t.table for t in ALL_RECORD_TYPES}) == len(ALL_RECORD_TYPES)
    assert BY_CLASS[IssueDraft] is DRAFT and record_type("draft") is DRAFT
    assert set(MAIN_RECORD_TYPES) <= set(ALL_RECORD_TYPES)
    with pytest.raises(KeyError, match="unknown record type 'nothing'"):
        record_type("nothing")


def test_fields_and_labels_come_from_the_declarations() -> None:
    names = [f.name for f in DRAFT.fields]
    assert "id" not in names and names[0] == "number"
    assert DRAFT.field("title").label == DRAFT.labels["title"] == "问题标题"
    assert DRAFT.header("title")
    with pytest.raises(KeyError, match="draft has no field 'nothing'"):
        DRAFT.field("nothing")


def test_set_and_list_fields_cover_every_type() -> None:
    assert set_fields() == frozenset(n for t in ALL_RECORD_TYPES for n in t.set_fields)
    assert list_fields() == frozenset(n for t in ALL_RECORD_TYPES for n in t.list_fields)
    assert set_fields() and set_fields() <= list_fields() | set_fields()
