"""The content model: GB/T 9704 heading numbers restart under their parent, tables check their shape."""

from __future__ import annotations

import pytest

from xuncha_desktop.services.reports.model import Heading, Outline, Paragraph, Report, Table, numeral


def test_chinese_numerals_for_headings():
    assert [numeral(n) for n in (1, 9, 10, 11, 20, 23)] == ["一", "九", "十", "十一", "二十", "二十三"]


def test_headings_number_and_restart_under_their_parent():
    out = Outline()
    out.heading(1, "问题")
    out.heading(2, "甲类")
    out.heading(3, "子类")
    first = out.item()
    out.heading(3, "子类二")
    again = out.item()
    out.heading(2, "乙类")
    out.heading(1, "建议")
    out.heading(2, "丙类")
    assert [b.text for b in out.blocks] == [
        "一、问题",
        "（一）甲类",
        "1．子类",
        "2．子类二",
        "（二）乙类",
        "二、建议",
        "（一）丙类",
    ]
    assert (first, again, out.item(), out.item()) == ("（1）", "（1）", "（1）", "（2）")


def test_tables_check_their_shape():
    with pytest.raises(ValueError):
        Table(("a", "b"), (("1",),))
    with pytest.raises(ValueError):
        Table((), (("1",),))
    with pytest.raises(ValueError):
        Table(("a",), (), (0.5, 0.5))
    assert Table((), (("x", "y"),), (0.3, 0.7)).columns == 2
    assert Table(("a", "b", "c", "d"), ()).shares() == (0.25, 0.25, 0.25, 0.25)


def test_a_report_lists_its_headings():
    report = Report("inspection", "标题", (Heading(1, "一、甲"), Paragraph("正文"), Heading(2, "（一）乙")))
    assert [h.text for h in report.headings()] == ["一、甲", "（一）乙"]
