"""storage.revisions: hybrid logical clock strings, body diffs, the audit entry hash and its recorded end."""

from __future__ import annotations

from xuncha_desktop.storage.revisions import (
    GENESIS_HASH,
    body_diff,
    entry_hash,
    format_hlc,
    head_problem,
    parse_hlc,
)


def test_hlc_sorts_as_text_and_parses_back() -> None:
    early = format_hlc(1_700_000_000_000, 2, "abcdef0123456789")
    late = format_hlc(1_700_000_000_000, 10, "00000000")
    assert early == "1700000000000-00002-abcdef01"
    assert early < late and parse_hlc(late) == (1_700_000_000_000, 10)


def test_body_diff_names_only_what_changed() -> None:
    assert body_diff({"a": 1, "b": 2}, {"a": 1, "b": 3, "c": 4}) == {"b": [2, 3], "c": [None, 4]}
    assert body_diff({"a": [1]}, {"a": [1]}) == {}


def _entry(**kw: object) -> dict[str, object]:
    row: dict[str, object] = dict(
        at="2025-03-01T10:00:00+08:00", user_login="li", action="save", record_type="draft",
        record_id="r1", rev_id="v1", changes="{}", prev_hash=GENESIS_HASH,
    )  # fmt: skip
    row.update(kw)
    return row


def test_the_entry_hash_covers_every_field_and_the_previous_hash() -> None:
    base = entry_hash(_entry())
    for field in ("at", "user_login", "action", "record_type", "record_id", "rev_id", "changes", "prev_hash"):
        assert entry_hash(_entry(**{field: "x"})) != base, field
    assert entry_hash({**_entry(), "seq": 9}) == base  # the position is not part of it


def test_the_recorded_end_of_the_chain() -> None:
    head = {"count": 3, "seq": 3, "hash": "h3"}
    assert head_problem(head, 3, 3, "h3") is None
    assert head_problem(None, 0, 0, "") is None
    assert "缺少末尾标记" in head_problem(None, 1, 1, "h1")
    assert "被截断" in head_problem(head, 2, 2, "h2")
    assert "被删除或插入" in head_problem(head, 2, 3, "h3")
    assert "被改写" in head_problem(head, 3, 3, "hx")
