"""audit_events: the Chinese one-line summaries of sign-in and output events, and None for what they lack."""

from __future__ import annotations

from xuncha_desktop.services.security.audit_events import detail_value, summary


def test_values_are_named_in_chinese_per_action() -> None:
    assert detail_value("print", "kind", "draft") == "问题底稿"
    assert detail_value("export", "kind", "delta") == "增量"
    assert detail_value("unlock_failed", "where", "unlock") == "锁定后解锁时"
    assert detail_value("print", "kind", "unknown") is None
    assert detail_value("print", "records", "3") is None
    assert detail_value("print", "kind", 3) is None


def test_summaries_pick_their_variant() -> None:
    assert (
        summary("print", {"kind": "问题底稿", "records": "2", "file": "a.pdf"})
        == "打印问题底稿（2 份）：“a.pdf”"
    )
    assert (
        summary("print", {"kind": "问题底稿", "records": "2", "printer": "办公室"})
        == "打印问题底稿（2 份）到打印机“办公室”"
    )
    once = {"login": "li", "where": "登录时", "count": "1", "last": "09:00"}
    assert summary("unlock_failed", once) == "登录名“li”登录时口令错误 1 次（09:00）"
    assert summary("unlock_failed", {**once, "count": "3", "first": "08:00"}) == (
        "登录名“li”登录时口令错误 3 次（08:00 至 09:00）"
    )


def test_unknown_actions_and_older_entries_without_a_detail_have_no_summary() -> None:
    assert summary("save", {}) is None
    assert summary("ledger", {"kind": "问题清单"}) is None
