"""domain.common: the Checker collects every problem of a record in one pass, in the words people read."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from xuncha_desktop.domain.common import MAX_AMOUNT, Checker, body_field_names
from xuncha_desktop.domain.issue_drafts import IssueDraft


def _messages(check: Checker) -> list[tuple[str, str]]:
    return [(e.field, e.message) for e in check.errors]


def test_required_and_lengths() -> None:
    c = Checker()
    c.required("a", None, "甲")
    c.required("b", "  ", "乙")
    c.required("c", "有", "丙")
    c.max_len("d", "一二三", 3, "丁")
    c.max_len("e", "一二三四", 3, "戊")
    assert _messages(c) == [("a", "请填写甲"), ("b", "请填写乙"), ("e", "戊不能超过3个字（现有4个字）")]


def test_choices_dates_and_order() -> None:
    c = Checker()
    c.one_of("a", "", ("是", "否"), "甲")
    c.one_of("b", "", ("是", "否"), "乙", optional=False)
    c.all_of("c", ["是", "也许"], ("是", "否"), "丙")
    today = date(2025, 6, 1)
    c.not_future("d", today, today, "丁")
    c.not_future("e", date(2025, 6, 2), today, "戊")
    c.order("f", date(2025, 1, 2), date(2025, 1, 2), "不会出现")
    c.order("g", date(2025, 1, 2), date(2025, 1, 1), "结束早于开始")
    assert [f for f, _ in _messages(c)] == ["b", "c", "e", "g"]
    assert _messages(c)[1] == ("c", "丙含有无效选项：也许")
    assert _messages(c)[2] == ("e", "戊不能晚于今天")


def test_amount_boundaries() -> None:
    c = Checker()
    for field, value in [("ok", MAX_AMOUNT), ("zero", Decimal(0)), ("neg", Decimal("-0.01"))]:
        c.amount(field, value, "金额")
    c.amount("big", MAX_AMOUNT + Decimal("0.01"), "金额")
    c.amount("cents", Decimal("1.005"), "金额")
    assert _messages(c) == [
        ("neg", "金额不能为负数"),
        ("big", "金额超出允许范围"),
        ("cents", "金额最多保留两位小数（单位：元）"),
    ]


def test_month_and_clock_formats() -> None:
    c = Checker()
    for good in ("1975-03", "2025-12"):
        c.month("m", good, "月")
    for good in ("00:00", "23:59", ""):
        c.clock("t", good, "时")
    assert c.errors == []
    c.month("m", "1975-13", "出生年月")
    c.clock("t", "24:00", "开始时间")
    assert [m for _, m in _messages(c)] == [
        "出生年月应写作“年-月”，例如 1975-03",
        "开始时间应写作“时:分”，例如 09:30",
    ]


def test_a_checker_of_a_record_type_names_fields_by_their_declared_label() -> None:
    c = Checker(IssueDraft)
    c.required("title", "")
    assert c.errors[0].message == "请填写问题标题"
    assert "id" not in body_field_names(IssueDraft) and "meta" not in body_field_names(IssueDraft)
    assert "number" in body_field_names(IssueDraft)
