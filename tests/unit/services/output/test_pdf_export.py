"""Printed PDFs read back (pdf_export): A4 with embedded fonts and the text, what each reader may
see, money and rates, cancel and progress, printing every record of a kind."""

from __future__ import annotations

import dataclasses
import re
from decimal import Decimal
from pathlib import Path

import pytest
from pypdf import PdfReader

from tests.builders import Context, draft, interview, lead
from tests.output_helpers import RecordingProgress, pdf_fonts, pdf_text
from xuncha_desktop.domain.errors import XunchaError
from xuncha_desktop.domain.record_types import DRAFT, INTERVIEW, LEAD
from xuncha_desktop.services.output import pdf_export
from xuncha_desktop.services.output.pdf_export import (
    print_records,
    write_drafts,
    write_leads,
)
from xuncha_desktop.services.progress import Cancelled, NullProgress
from xuncha_desktop.services.records.attachments import AttachmentService
from xuncha_desktop.services.records.record_service import RecordService
from xuncha_desktop.services.workspace import Workspace

SIGNOFFS = [
    {
        "step": "提交复核",
        "by": "李明",
        "role": "组员",
        "at": "2025-03-10T10:00:00",
        "content_hash": "ab12" * 16,
    },
    {
        "step": "复核通过",
        "by": "陈立",
        "role": "副组长",
        "at": "2025-03-11T09:00:00",
        "content_hash": "cd34" * 16,
    },
    {
        "step": "审签通过",
        "by": "张建国",
        "role": "组长",
        "at": "2025-03-12T09:00:00",
        "content_hash": "ef56" * 16,
    },
]


def _save(ws: Workspace, rt, record):  # type: ignore[no-untyped-def]
    return RecordService(ws, rt).save(record)


def test_draft_is_a4_with_embedded_fonts_and_its_text(
    workspace: Workspace, ctx: Context, fonts, tmp_path: Path
):
    d = _save(
        workspace,
        DRAFT,
        draft(
            ctx,
            status="已审签",
            signoffs=SIGNOFFS,
            basis="《中国共产党纪律处分条例》第九十七条",
            evidence=[
                {"name": "2023年度加班补助发放表", "source": "财务股", "pages": 12, "evidence_no": "Z-001"}
            ],
        ),
    )
    target = tmp_path / "底稿.pdf"
    result = write_drafts(workspace, [d.id], target, fonts, NullProgress())
    assert result.path == target and result.records == 1 and result.missing == ()
    reader = PdfReader(target)
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (595, 842)
    fonts_used = pdf_fonts(target)
    assert fonts_used and all(embedded == "yes" for _name, _type, embedded in fonts_used)
    assert any("WenQuanYi" in name for name, _type, _emb in fonts_used)
    text = pdf_text(target)
    for expected in (
        "问题底稿",
        d.number,
        "清河县财政局党组",
        "违规发放津补贴12.6万元",
        "2023年度加班补助发放表",
        "第九十七条",
        "张建国",
        "2025年3月12日",
        "ab12ab12",
        "巡察工作秘密",
    ):
        assert expected in text, expected
    assert re.search(r"—\s*1\s*—", text)


def test_reporter_prints_only_for_those_who_may_see_it(
    workspace: Workspace, ctx: Context, fonts, tmp_path: Path
):
    reported = lead(ctx, registered_by="李明", reporter_name="钱多多", reporter_contact="13900001111")
    found = _save(workspace, LEAD, reported)
    leader, member = tmp_path / "leader.pdf", tmp_path / "member.pdf"
    workspace.user = dataclasses.replace(workspace.user, role="组长")
    write_leads(workspace, [found.id], leader, fonts, NullProgress())
    workspace.user = dataclasses.replace(workspace.user, role="组员", display_name="王芳", login="wangfang")
    write_leads(workspace, [found.id], member, fonts, NullProgress())
    assert "钱多多" in pdf_text(leader) and "13900001111" in pdf_text(leader)
    text = pdf_text(member)
    assert "已隐藏" in text and "钱多多" not in text and "13900001111" not in text


def test_cancel_leaves_no_file_and_keeps_an_older_one(
    workspace: Workspace, ctx: Context, fonts, tmp_path: Path
):
    ids = [_save(workspace, DRAFT, draft(ctx, title=f"问题{i}")).id for i in range(3)]
    target = tmp_path / "out.pdf"
    for cancel_at in (2, 5):  # while reading records, and while laying out
        with pytest.raises(Cancelled):
            write_drafts(workspace, ids, target, fonts, RecordingProgress(cancel_at=cancel_at))
        assert not target.exists() and not target.with_suffix(".part").exists()
    target.write_bytes(b"older export")
    with pytest.raises(Cancelled):
        write_drafts(workspace, ids, target, fonts, RecordingProgress(cancel_at=5))
    assert target.read_bytes() == b"older export"


def test_progress_is_reported_per_record(workspace: Workspace, ctx: Context, fonts, tmp_path: Path):
    ids = [_save(workspace, DRAFT, draft(ctx, title=f"问题{i}")).id for i in range(3)]
    progress = RecordingProgress()
    write_drafts(workspace, ids, tmp_path / "out.pdf", fonts, progress)
    assert [(done, total) for done, total, _m in progress.reports] == [(1, 3), (2, 3), (3, 3), (3, 3)]
    assert progress.checks >= 6


def test_print_records_prints_every_record_of_a_kind(
    workspace: Workspace, ctx: Context, fonts, tmp_path: Path
):
    for name in ("王晓东", "刘芳"):
        _save(workspace, INTERVIEW, interview(ctx, interviewee_name=name))
    result = print_records(workspace, "interview", tmp_path / "all.pdf", fonts=fonts)
    assert result.records == 2
    with pytest.raises(XunchaError, match="不支持打印"):
        print_records(workspace, "report", tmp_path / "x.pdf", fonts=fonts)
    with pytest.raises(XunchaError, match="没有要打印"):
        pdf_export.write_leads(workspace, [], tmp_path / "x.pdf", fonts, NullProgress())


def test_deleted_record_is_not_printed(workspace: Workspace, ctx: Context, fonts, tmp_path: Path):
    d = _save(workspace, DRAFT, draft(ctx))
    RecordService(workspace, DRAFT).delete(d.id)
    with pytest.raises(XunchaError, match="回收站"):
        write_drafts(workspace, [d.id], tmp_path / "x.pdf", fonts, NullProgress())


def test_money_and_rates_are_printed_as_numbers(workspace: Workspace, ctx: Context, fonts, tmp_path: Path):
    d = _save(workspace, DRAFT, draft(ctx, amount_yuan=Decimal("1234567.80")))
    target = tmp_path / "d.pdf"
    write_drafts(workspace, [d.id], target, fonts, NullProgress())
    assert "1,234,567.80 元" in pdf_text(target)


def test_an_amount_never_entered_prints_blank(workspace: Workspace, ctx: Context, fonts, tmp_path: Path):
    d = _save(workspace, DRAFT, draft(ctx, amount_yuan=Decimal("0")))  # 涉及金额 left empty
    target = tmp_path / "d.pdf"
    write_drafts(workspace, [d.id], target, fonts, NullProgress())
    text = pdf_text(target)
    assert "涉及金额" in text and "0.00" not in text and " 元" not in text


def test_evidence_list_names_the_material_not_the_file_extension(
    workspace: Workspace, ctx: Context, fonts, tmp_path: Path
):
    evidence = [
        {"name": "支出审批单扫描件（第2页）.png", "source": "调阅资料", "pages": 1, "evidence_no": "Z-1"},
        {"name": "《党组会议记录》2024.3", "source": "调阅资料", "pages": 2, "evidence_no": "Z-2"},
    ]
    d = _save(workspace, DRAFT, draft(ctx, evidence=evidence))
    AttachmentService(workspace).add("draft", d.id, "财务凭证.PDF", b"%PDF-1.4 scan", note="财务股")
    target = tmp_path / "d.pdf"
    write_drafts(workspace, [d.id], target, fonts, NullProgress())
    text = pdf_text(target).replace("\n", "")
    assert "支出审批单扫描件（第2页）" in text and ".png" not in text
    assert "《党组会议记录》2024.3" in text  # not a file name: kept as written
    assert "财务凭证" in text and ".PDF" not in text and "财务股" in text
