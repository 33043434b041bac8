"""Dates and amounts as 公文 write them, 三段式 responsibility, issues under the framework's classes."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from xuncha_desktop.domain.issue_drafts import IssueDraft
from xuncha_desktop.services.reports.model import Heading, Outline, Paragraph
from xuncha_desktop.services.reports.wording import (
    cn_date,
    group_by_framework,
    in_framework_order,
    issue_list,
    responsibility,
    write_issue,
    yuan,
)


def test_dates_and_amounts():
    assert cn_date(date(2025, 3, 5)) == "2025年3月5日"
    assert cn_date(datetime(2025, 12, 31, 9, 0)) == "2025年12月31日"
    assert cn_date("2025-04-01T10:00:00") == "2025年4月1日" and cn_date(None, "（无）") == "（无）"
    assert cn_date("不是日期") == "不是日期"
    assert (yuan(Decimal("126000.00")), yuan(Decimal("8500.50")), yuan(Decimal("10000"))) == (
        "12.6万元",
        "8500.5元",
        "1万元",
    )


def test_responsibility_names_who_answers_for_the_issue():
    assert responsibility(IssueDraft(responsible_party="局党组", responsibility_types=["主体责任"])) == (
        "局党组负有主体责任。"
    )
    assert responsibility(IssueDraft(responsibility_types=["监督责任"])) == "本单位党组织负有监督责任。"
    assert responsibility(IssueDraft(responsible_party="张三")) == "张三负有责任。"
    assert responsibility(IssueDraft()) == "（责任主体待组务会明确）"


def test_an_issue_without_facts_or_basis_says_what_is_missing():
    out = Outline()
    write_issue(out, IssueDraft(number="N-1", title="问题甲"))
    assert [(b.lead, b.text) for b in out.blocks if isinstance(b, Paragraph)] == [
        ("（1）问题甲。", "（问题表现待补充）（底稿编号：N-1）"),
        ("定性分析：", "（定性依据待补充）"),
        ("责任指向：", "（责任主体待组务会明确）"),
    ]


def test_four_focuses_have_no_sub_classes_and_others_come_last():
    drafts = [
        IssueDraft(number="3", title="丙", category_l1="B3"),
        IssueDraft(number="1", title="甲", category_l1="B2"),
        IssueDraft(number="2", title="乙", category_l1=""),
        IssueDraft(number="4", title="丁", category_l1="B2"),
    ]
    ordered = in_framework_order(drafts, "四个聚焦")
    assert [d.title for d in ordered] == ["甲", "丁", "丙", "乙"]
    out = Outline()
    group_by_framework(out, ordered, "四个聚焦", write_issue)
    headings = [b.text for b in out.blocks if isinstance(b, Heading)]
    assert headings == [
        "（一）聚焦群众身边不正之风和腐败问题",
        "（二）聚焦基层党组织和党员队伍建设",
        "（三）其他问题",
    ]
    assert [row[0:3] for row in issue_list(ordered).rows] == [
        ("1", "聚焦群众身边不正之风和腐败问题", "甲"),
        ("2", "聚焦群众身边不正之风和腐败问题", "丁"),
        ("3", "聚焦基层党组织和党员队伍建设", "丙"),
        ("4", "", "乙"),
    ]


def test_issues_without_a_sub_class_follow_the_sub_classes_of_their_class():
    drafts = [
        IssueDraft(number="1", title="无子类", category_l1="A2"),
        IssueDraft(number="2", title="四风", category_l1="A2", category_l2="A2.3"),
    ]
    ordered = in_framework_order(drafts, "四个落实")
    out = Outline()
    group_by_framework(out, ordered, "四个落实", write_issue)
    headings = [b.text for b in out.blocks if isinstance(b, Heading)]
    assert headings == ["（一）落实全面从严治党战略部署", "1．中央八项规定精神、“四风”", "2．其他方面"]
    assert [d.title for d in ordered] == ["四风", "无子类"]
