"""How record values read on screen: dates, 是/否, amounts in 元 with thousands separators, lists, tallies."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from decimal import Decimal
from typing import Any

EMPTY = "—"


def display_text(value: Any) -> str:
    """Plain text for a table cell or a detail line; empty values give ""."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return f"{value:,.2f}"
    if isinstance(value, Mapping):
        return "；".join(f"{k}：{display_text(v)}" for k, v in value.items() if display_text(v))
    if isinstance(value, list | tuple):
        return "、".join(t for t in (display_text(v) for v in value) if t)
    return str(value)


def amount_text(value: Decimal) -> str:
    """涉及金额 in 元; nothing when no amount is involved."""
    return f"{value:,.2f} 元" if value else ""


def lines(items: list[str]) -> str:
    return "\n".join(f"{i}. {item}" for i, item in enumerate(items, start=1))


def period_text(start: date | None, end: date | None) -> str:
    if start is None and end is None:
        return ""
    return f"{display_text(start) or '？'} 至 {display_text(end) or '今'}"


def time_range_text(start: str, end: str) -> str:
    return f"{start}–{end}" if start and end else start or end


def hlc_text(hlc: str) -> str:
    """A revision clock value ('1712345678901-00001-abcd1234') as local time; "" when unreadable."""
    head = hlc.split("-", 1)[0]
    if not head.isdigit():
        return ""
    return datetime.fromtimestamp(int(head) / 1000).strftime("%Y-%m-%d %H:%M")
