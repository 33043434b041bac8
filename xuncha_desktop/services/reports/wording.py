"""Shared wording of the reports: dates and amounts as written in 公文, an issue in 三段式 (现象 → 定性 →
责任), the 问题清单 table, and issues grouped under the round's framework (四个落实 / 四个聚焦 and their
sub-classes, domain README §2)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date, datetime
from decimal import Decimal

from xuncha_desktop.domain.classification import BUILTIN_CATEGORIES, Category, category_label
from xuncha_desktop.domain.issue_drafts import IssueDraft
from xuncha_desktop.services.reports.model import Outline, Table

OTHER = "其他问题"
ISSUE_LIST_HEADER = ("序号", "问题类别", "问题", "底稿编号", "责任主体", "立行立改")
ISSUE_LIST_WIDTHS = (0.07, 0.2, 0.35, 0.16, 0.14, 0.08)


def cn_date(value: date | datetime | str | None, blank: str = "") -> str:
    """2025-03-10 → 2025年3月10日 (GB/T 9704: Arabic numerals, no leading zeros)."""
    if isinstance(value, str):
        try:
            day = date.fromisoformat(value[:10])
        except ValueError:
            return value or blank
        return cn_date(day)
    if value is None:
        return blank
    return f"{value.year}年{value.month}月{value.day}日"


def yuan(amount: Decimal) -> str:
    """126000.00 → 12.6万元; below ten thousand in 元."""
    if amount >= 10000:
        return f"{(amount / 10000).normalize():f}万元"
    return f"{amount.normalize():f}元"


def responsibility(d: IssueDraft) -> str:
    types = "、".join(d.responsibility_types)
    party = d.responsible_party.strip()
    if party and types:
        return f"{party}负有{types}。"
    if party:
        return f"{party}负有责任。"
    if types:
        return f"本单位党组织负有{types}。"
    return "（责任主体待组务会明确）"


def write_issue(out: Outline, d: IssueDraft) -> None:
    """One issue in 三段式: its facts (现象), the rule it breaks (定性), who answers for it (责任)."""
    facts = " ".join(d.description.split()) or "（问题表现待补充）"
    out.paragraph(f"{facts}（底稿编号：{d.number}）", lead=f"{out.item()}{d.title}。")
    out.paragraph(" ".join(d.basis.split()) or "（定性依据待补充）", lead="定性分析：")
    out.paragraph(responsibility(d), lead="责任指向：")


def _framework(framework: str) -> list[Category]:
    return [c for c in BUILTIN_CATEGORIES if c.framework == framework]


def group_by_framework(
    out: Outline, drafts: Sequence[IssueDraft], framework: str, write: Callable[[Outline, IssueDraft], None]
) -> None:
    """Level-2 headings for the framework's classes that have issues (in the framework's order), level-3
    headings for its sub-classes; issues of another framework or none come last under 其他问题."""
    categories = _framework(framework)
    tops = [c for c in categories if c.level == 1]
    known = {c.code for c in tops}
    for top in tops:
        mine = [d for d in drafts if d.category_l1 == top.code]
        if not mine:
            continue
        out.heading(2, top.label)
        children = [c for c in categories if c.parent_code == top.code]
        if not any(d.category_l2 for d in mine if d.category_l2 in {c.code for c in children}):
            for d in mine:
                write(out, d)
            continue
        for child in children:
            under = [d for d in mine if d.category_l2 == child.code]
            if under:
                out.heading(3, child.label)
                for d in under:
                    write(out, d)
        rest = [d for d in mine if d.category_l2 not in {c.code for c in children}]
        if rest:
            out.heading(3, "其他方面")
            for d in rest:
                write(out, d)
    others = [d for d in drafts if d.category_l1 not in known]
    if others:
        out.heading(2, OTHER)
        for d in others:
            write(out, d)


def issue_list(drafts: Sequence[IssueDraft]) -> Table:
    """问题清单: one row per issue, numbered as handed to the unit."""
    rows = tuple(
        (
            str(i),
            category_label(d.category_l2 or d.category_l1) if (d.category_l2 or d.category_l1) else "",
            d.title,
            d.number,
            "、".join(d.responsibility_types),
            "是" if d.immediate_fix else "",
        )
        for i, d in enumerate(drafts, start=1)
    )
    return Table(ISSUE_LIST_HEADER, rows, ISSUE_LIST_WIDTHS)


def in_framework_order(drafts: Sequence[IssueDraft], framework: str) -> list[IssueDraft]:
    """The drafts in the order the text presents them, so the 问题清单 numbers follow the text."""
    order = {c.code: i for i, c in enumerate(_framework(framework))}
    last = len(order)
    return sorted(
        drafts,
        key=lambda d: (
            order.get(d.category_l1, last),
            order.get(d.category_l2, last) if d.category_l1 in order else last,
            d.number,
        ),
    )
