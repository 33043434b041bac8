"""整改情况 of a unit read back with poppler: A4, fonts embedded, page numbers and marks, the feedback, the
unit's deadlines with their state, each issue with its task, 验收/销号 and 督导 history; printing by unit,
by feedback or a whole round; audited by file name only."""

from __future__ import annotations

import json
import re
from datetime import date
from pathlib import Path

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from tests.output_helpers import RecordingProgress, pdf_fonts, pdf_text
from tests.rectification_output_builders import (
    ISSUES,
    OTHER_UNIT,
    TODAY,
    UNIT,
    RectificationRound,
    rectification_round,
)
from xuncha_desktop.domain.errors import XunchaError
from xuncha_desktop.domain.record_types import FEEDBACK
from xuncha_desktop.services.output.pdf_rectification import (
    RECTIFICATION_PDF_KINDS,
    deadline_state,
    print_rectification,
    write_unit_reports,
)
from xuncha_desktop.services.progress import Cancelled, NullProgress
from xuncha_desktop.services.records.record_service import RecordService
from xuncha_desktop.services.rectification.tasks import UnitDeadline
from xuncha_desktop.services.workspace import Workspace
from xuncha_desktop.storage.tables import audit_log


@pytest.fixture
def done(workspace: Workspace) -> RectificationRound:
    return rectification_round(workspace)


@pytest.fixture
def out(tmp_path: Path) -> Path:
    folder = tmp_path / "导出"
    folder.mkdir()
    return folder


def _flat(path: Path) -> str:
    return "".join(pdf_text(path).split())  # without the layout's spaces and line breaks


def test_the_kinds_are_those_the_command_line_offers() -> None:
    from xuncha_desktop.cli import output_commands

    assert output_commands.RECTIFICATION_PDF_KINDS == RECTIFICATION_PDF_KINDS


def test_a_units_rectification_shows_feedback_deadlines_tasks_and_their_history(
    workspace: Workspace, done: RectificationRound, fonts, out: Path
) -> None:
    target = out / "整改情况.pdf"
    result = print_rectification(
        workspace, "rectification", target, target_id=done.ctx.target.id, fonts=fonts, today=TODAY
    )
    assert result.records == 1 and result.missing == () and result.pages >= 2
    reader = PdfReader(target)
    assert len(reader.pages) == result.pages
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (595, 842)
    used = pdf_fonts(target)
    assert used and all(embedded == "yes" for _name, _type, embedded in used)
    text = _flat(target)
    for expected in (
        "工作秘密",
        f"{UNIT}巡察整改情况",
        "一、反馈情况",
        done.feedback.number,
        "2025年6月10日",
        "集中反馈",
        "张建国",
        "共3个：整改中1个，已完成1个，基本完成持续整改1个；逾期1个；已验收1个，已销号1个",
        "二、整改时限",
        "整改方案",
        "已按期完成",
        "整改报告",
        "已逾期21天",  # due 2025-9-10, not received on 2025-10-1
        "专题民主生活会",
        "三、问题整改情况",
        *(f"（{n}）{issue}" for n, issue in zip("一二三", ISSUES, strict=True)),
        "全额追回违规发放的津补贴",
        "整改中（已逾期）",
        "整改到位，同意验收",
        "2025年9月5日",
        "已销号",
        "126,000.00元",
        "采购手续尚在补办",
        "王晓东",
        "督导记录",
        "巡察工作秘密注意保管",
        "打印日期：2025年10月1日",
    ):
        assert expected in text, expected
    assert OTHER_UNIT not in text
    assert re.search(r"—1—", text) and re.search(r"—2—", text)
    assert text.index("已制定整改方案") < text.index("采购手续尚在补办")  # 督导 history oldest first


def test_printing_is_audited_by_file_name_only(
    workspace: Workspace, done: RectificationRound, fonts, out: Path
) -> None:
    print_rectification(
        workspace, "rectification", out / "整改.pdf", feedback_id=done.feedback.id, fonts=fonts
    )
    with workspace.engine.connect() as conn:
        row = conn.execute(select(audit_log).order_by(audit_log.c.seq.desc()).limit(1)).one()
    assert (row.action, json.loads(row.changes)) == (
        "print",
        {"kind": "rectification", "records": 1, "file": "整改.pdf"},
    )


def test_a_round_prints_each_unit_from_a_new_page(
    workspace: Workspace, done: RectificationRound, fonts, out: Path
) -> None:
    target = out / "整改情况.pdf"
    progress = RecordingProgress()
    result = print_rectification(
        workspace,
        "rectification",
        target,
        round_id=done.ctx.round.id,
        fonts=fonts,
        progress=progress,
        today=TODAY,
    )
    assert result.records == 2
    pages = [_flat_page(target, n) for n in range(1, result.pages + 1)]
    starts = [n for n, page in enumerate(pages) if "巡察整改情况" in page and "一、反馈情况" in page]
    assert len(starts) == 2 and f"{OTHER_UNIT}巡察整改情况" in pages[starts[1]]
    assert "食堂管理混乱" in "".join(pages[starts[1] :]) and "（暂无督导记录）" in "".join(pages[starts[1] :])
    assert progress.reports[-1][:2] == (2, 2)


def _flat_page(path: Path, page: int) -> str:
    return "".join(pdf_text(path, page=page).split())


def test_unknown_or_deleted_feedback_and_a_unit_without_feedback_say_so(
    workspace: Workspace, done: RectificationRound, fonts, out: Path
) -> None:
    from tests.builders import make_context

    bare = make_context(workspace, year=2024, ordinal=1)
    with pytest.raises(XunchaError, match=f"“{bare.target.name}”还没有巡察反馈记录"):
        print_rectification(workspace, "rectification", out / "a.pdf", target_id=bare.target.id, fonts=fonts)
    RecordService(workspace, FEEDBACK).delete(done.other_feedback.id)
    with pytest.raises(XunchaError, match="在回收站中"):
        print_rectification(
            workspace, "rectification", out / "a.pdf", feedback_id=done.other_feedback.id, fonts=fonts
        )
    with pytest.raises(XunchaError, match="不支持打印“task”"):
        print_rectification(workspace, "task", out / "a.pdf", fonts=fonts)
    with pytest.raises(XunchaError, match="须指定巡察轮次"):
        print_rectification(workspace, "rectification-evaluation", out / "a.pdf", fonts=fonts)
    assert list(out.iterdir()) == []


def test_cancel_leaves_no_file(workspace: Workspace, done: RectificationRound, fonts, out: Path) -> None:
    ids = [done.feedback.id, done.other_feedback.id]
    with pytest.raises(Cancelled):
        write_unit_reports(workspace, ids, out / "a.pdf", fonts, RecordingProgress(cancel_at=2))
    assert list(out.iterdir()) == []
    assert write_unit_reports(workspace, ids, out / "b.pdf", fonts, NullProgress()).records == 2


@pytest.mark.parametrize(
    ("due", "done_on", "overdue", "days_left", "expected"),
    [
        (date(2025, 7, 1), date(2025, 6, 25), False, None, "已按期完成"),
        (date(2025, 7, 1), date(2025, 7, 4), False, None, "已完成（逾期 3 天）"),
        (date(2025, 7, 1), None, True, -5, "已逾期 5 天"),
        (date(2025, 7, 1), None, False, 4, "剩余 4 天"),
        (date(2025, 7, 1), None, False, 0, "今日到期"),
        (None, None, False, None, "未设期限"),
    ],
)
def test_deadline_state(
    due: date | None, done_on: date | None, overdue: bool, days_left: int | None, expected: str
) -> None:
    line = UnitDeadline("f", "t", UNIT, "整改方案", due, done_on, overdue, days_left)
    assert deadline_state(line) == expected
