"""cjk_line_breaking: no line starts with closing or ends with opening punctuation, numbers stay whole,
every character is kept in order, and lines respect the width wherever a rule-abiding break exists; and a
long paragraph set by the PDF writer reads back without a fault."""

from __future__ import annotations

from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from tests.builders import Context, draft
from tests.pdf_lines import pdf_faults, printed_lines
from xuncha_desktop.domain.record_types import DRAFT
from xuncha_desktop.services.output.cjk_line_breaking import (
    HANG_LIMIT,
    NO_LINE_END,
    NO_LINE_START,
    break_lines,
    line_ends_badly,
    line_starts_badly,
    may_break,
)
from xuncha_desktop.services.output.pdf_export import write_drafts
from xuncha_desktop.services.progress import NullProgress
from xuncha_desktop.services.records.record_service import RecordService
from xuncha_desktop.services.workspace import Workspace

HANZI = "巡察组谈话记录问题底稿线索干部党委落实整改资金项目"
CLOSING = "，。、；：！？）》」』”’…—"
OPENING = "（《「『“‘"
TEXT = st.text(alphabet=HANZI + CLOSING + OPENING + "0123456789ab %", min_size=1, max_size=200)


def _lines(text: str, width: float) -> list[str]:
    return [text[s:e] for s, e in break_lines(text, [1.0] * len(text), width)]


def test_a_comma_that_no_longer_fits_takes_a_character_down_with_it():
    text = "一二三四五，六七"
    assert _lines(text, 5) == ["一二三四", "五，六七"]  # not "一二三四五" / "，六七"


def test_an_opening_bracket_goes_down_to_what_it_opens():
    assert _lines("一二三四（五）六", 5) == ["一二三四", "（五）六"]


def test_numbers_and_latin_words_are_not_cut():
    assert _lines("共计发放12600元", 7) == ["共计发放", "12600元"]


def test_forced_line_ends_are_kept():
    assert _lines("一二\n三", 10) == ["一二\n", "三"]


def test_without_any_allowed_break_the_width_decides():
    assert _lines("，，，，，，", 3) == ["，，，", "，，，"]  # nothing allowed within two past it: cut


def test_printed_line_checks():
    assert line_starts_badly("\u3000，然后") and not line_starts_badly("（一）")
    assert line_ends_badly("他说“ ") and not line_ends_badly("他说。")
    assert not may_break("1）", 1) and not may_break("（1", 1) and may_break("一二", 1)
    assert set(CLOSING) <= NO_LINE_START and set(OPENING) <= NO_LINE_END


@settings(max_examples=300, deadline=None)
@given(TEXT, st.integers(min_value=4, max_value=30))
def test_lines_keep_the_rules_and_every_character(text: str, width: int):
    spans = break_lines(text, [1.0] * len(text), width)
    assert "".join(text[s:e] for s, e in spans) == text  # nothing lost, nothing reordered
    assert all(e > s for s, e in spans)
    for s, e in spans:
        assert e - s <= width + HANG_LIMIT  # punctuation hangs at most two characters past the width
        if not may_break(text, e):  # cut against the rules only where no allowed break was within reach
            reach = range(s + 1, min(e + HANG_LIMIT, len(text) - 1) + 1)
            assert not any(may_break(text, at) for at in reach), (text, s, e)


def _save(ws: Workspace, rt, record):  # type: ignore[no-untyped-def]
    return RecordService(ws, rt).save(record)


def test_a_printed_paragraph_full_of_punctuation_reads_back_clean(
    workspace: Workspace, ctx: Context, fonts, tmp_path: Path
):
    text = "经查，“三重一大”事项（共12项）未经集体研究；其中《采购管理办法》规定的……" * 12
    d = _save(workspace, DRAFT, draft(ctx, description=text, discovery=text))
    target = tmp_path / "底稿.pdf"
    write_drafts(workspace, [d.id], target, fonts, NullProgress())
    lines = printed_lines(target)
    assert sum("三重一大" in line.text for line in lines) >= 12  # it did wrap over many lines
    assert pdf_faults(target) == []
