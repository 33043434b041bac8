"""pdf_layout read back: the marking in the type area, page numbers odd right and even left, and
共 N 页 第 n 页 per interview record instead of — n —."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from tests.builders import Context, draft, interview
from tests.output_helpers import pdf_text, pdf_words
from xuncha_desktop.domain.record_types import DRAFT, INTERVIEW
from xuncha_desktop.services.output.pdf_export import (
    write_drafts,
    write_interviews,
)
from xuncha_desktop.services.output.pdf_layout import cn_date, cn_month, joined, money, yes_no
from xuncha_desktop.services.progress import NullProgress
from xuncha_desktop.services.records.record_service import RecordService
from xuncha_desktop.services.workspace import Workspace

MM = 72 / 25.4
LONG_TALK = "\n".join(
    ["问：请谈谈局党组落实全面从严治党主体责任的情况。", "答：" + "局里每季度专题研究一次，" * 40] * 4
)


def _save(ws: Workspace, rt, record):  # type: ignore[no-untyped-def]
    return RecordService(ws, rt).save(record)


def test_marking_sits_top_left_of_the_type_area(workspace: Workspace, ctx: Context, fonts, tmp_path: Path):
    d = _save(workspace, DRAFT, draft(ctx, marking="秘密★1年"))
    target = tmp_path / "d.pdf"
    write_drafts(workspace, [d.id], target, fonts, NullProgress())
    first = next(w for w in pdf_words(target) if w.page == 1)
    assert first.text.startswith("秘密")
    assert first.x_min == pytest.approx(28 * MM, abs=1.5)  # left margin 28 mm
    assert first.y_min == pytest.approx(37 * MM, abs=6)  # top margin 37 mm (plus the line's leading)


def test_page_numbers_alternate_odd_right_even_left(
    workspace: Workspace, ctx: Context, fonts, tmp_path: Path
):
    d = _save(workspace, DRAFT, draft(ctx, description=LONG_TALK))
    target = tmp_path / "long-draft.pdf"
    result = write_drafts(workspace, [d.id], target, fonts, NullProgress())
    assert result.pages >= 2
    dashes = [w for w in pdf_words(target) if "—" in w.text and w.y_min > 740]  # the — n — line
    assert {w.page for w in dashes} == set(range(1, result.pages + 1))
    width = dashes[0].page_width
    for page in range(1, result.pages + 1):
        left = min(w.x_min for w in dashes if w.page == page)
        right = max(w.x_max for w in dashes if w.page == page)
        if page % 2:  # odd pages: right-aligned, one character (4号, 14 pt) in from the type area
            assert left > width / 2 and right == pytest.approx(width - 26 * MM - 14, abs=2)
        else:
            assert right < width / 2 and left == pytest.approx(28 * MM + 14, abs=2)


def test_interview_pages_say_page_n_of_n_per_record(
    workspace: Workspace, ctx: Context, fonts, tmp_path: Path
):
    long = _save(workspace, INTERVIEW, interview(ctx, content=LONG_TALK))
    short = _save(workspace, INTERVIEW, interview(ctx, interviewee_name="刘芳"))
    target = tmp_path / "talks.pdf"
    result = write_interviews(workspace, [long.id, short.id], target, fonts, NullProgress())
    assert result.records == 2
    pattern = re.compile(r"共\s*(\d+)\s*页\s*第\s*(\d+)\s*页")
    found = [pattern.search(pdf_text(target, page)) for page in range(1, result.pages + 1)]
    pairs = [(int(m[1]), int(m[2])) for m in found if m]
    assert len(pairs) == result.pages
    # one page-number style: 共 N 页 第 n 页 replaces — n — on a record paged on its own
    assert not [w for w in pdf_words(target) if "—" in w.text and w.y_min > 740]
    first_total = pairs[0][0]
    assert pairs[:first_total] == [(first_total, n) for n in range(1, first_total + 1)]
    assert pairs[first_total:] == [
        (result.pages - first_total, n) for n in range(1, result.pages - first_total + 1)
    ]
    text = pdf_text(target)
    assert "谈话人签名" in text and "谈话对象签名" in text and "刘芳" in text


def test_dates_months_and_amounts_as_printed() -> None:
    assert cn_date(date(2025, 3, 1)) == "2025年3月1日"
    assert cn_date("2025-03-01") == "2025年3月1日"
    assert cn_date(None, "____年__月__日") == "____年__月__日"
    assert cn_month("1975-03") == "1975年3月"
    assert (yes_no(True), yes_no(False)) == ("是", "否")
    assert cn_date("2025-03-01T10:00:00+08:00") == "2025年3月1日" and cn_date("不详") == "不详"
    assert money(Decimal("1234567.5")) == "1,234,567.50 元"
    assert joined(["甲", "", "乙"]) == "甲、乙"
