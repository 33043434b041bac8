"""pdf_stories read back: the 底稿汇编 with cover and contents, evidence lists, and long free text
flowing over pages."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest
from pypdf import PdfReader

from tests.builders import Context, appraisal, draft, interview, lead
from tests.output_helpers import pdf_text
from xuncha_desktop.domain.errors import XunchaError
from xuncha_desktop.domain.record_types import APPRAISAL, DRAFT, INTERVIEW, LEAD
from xuncha_desktop.services.output.pdf_export import (
    PDF_WRITERS,
    write_draft_batch,
    write_drafts,
    write_leads,
    write_transfer_list,
)
from xuncha_desktop.services.progress import NullProgress
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
LONG_TALK = "\n".join(
    ["问：请谈谈局党组落实全面从严治党主体责任的情况。", "答：" + "局里每季度专题研究一次，" * 40] * 4
)


def _save(ws: Workspace, rt, record):  # type: ignore[no-untyped-def]
    return RecordService(ws, rt).save(record)


def test_batch_holds_the_signed_drafts_of_a_unit_after_cover_and_contents(
    workspace: Workspace, ctx: Context, fonts, tmp_path: Path
):
    first = _save(workspace, DRAFT, draft(ctx, title="公务接待超标准", status="已审签", signoffs=SIGNOFFS))
    second = _save(
        workspace, DRAFT, draft(ctx, title="违规发放津补贴", status="已审签", description=LONG_TALK)
    )
    _save(workspace, DRAFT, draft(ctx, title="尚在起草的问题", status="草稿"))
    target = tmp_path / "汇编.pdf"
    result = write_draft_batch(
        workspace, ctx.target.id, target, fonts, NullProgress(), printed_on=date(2025, 4, 1)
    )
    assert result.records == 2
    text = pdf_text(target)
    assert "问题底稿汇编" in text and "目" in text and "共2份" in text
    assert "公务接待超标准" in text and "违规发放津补贴" in text and "尚在起草的问题" not in text
    cover, contents = pdf_text(target, 1), pdf_text(target, 2)
    assert "清河县财政局党组" in cover and not re.search(r"—\s*\d+\s*—", cover + contents)
    # the drafts start on a right-hand page printed as — 1 —, and the contents point at their pages
    first_page = next(p for p in range(1, result.pages + 1) if first.number in pdf_text(target, p) and p > 2)
    assert first_page % 2 == 1 and re.search(r"—\s*1\s*—", pdf_text(target, first_page))
    second_page = next(
        p for p in range(first_page + 1, result.pages + 1) if second.number in pdf_text(target, p)
    )
    rows = [
        line.split()
        for line in pdf_text(target, 2, layout=True).splitlines()
        if first.number in line or second.number in line
    ]
    assert [row[-1] for row in rows] == ["1", str(second_page - first_page + 1)]
    assert [o.title for o in PdfReader(target).outline] == [
        f"{first.number} 公务接待超标准",
        f"{second.number} 违规发放津补贴",
    ]


def test_batch_without_signed_drafts_is_refused(workspace: Workspace, ctx: Context, fonts, tmp_path: Path):
    _save(workspace, DRAFT, draft(ctx))
    with pytest.raises(XunchaError, match="还没有已审签"):
        write_draft_batch(workspace, ctx.target.id, tmp_path / "x.pdf", fonts, NullProgress())


def test_evidence_lists_linked_interviews_and_attached_files(
    workspace: Workspace, ctx: Context, fonts, tmp_path: Path
):
    from xuncha_desktop.services.records.attachments import AttachmentService
    from xuncha_desktop.services.records.links import LinkService

    d = _save(workspace, DRAFT, draft(ctx, evidence=[{"name": "工资发放表", "source": "财务股", "pages": 3}]))
    talk = _save(workspace, INTERVIEW, interview(ctx))
    LinkService(workspace).link("interview", talk.id, "draft", d.id)
    AttachmentService(workspace).add("draft", d.id, "记账凭证第12号.pdf", b"%PDF-1.4 scan")
    target = tmp_path / "d.pdf"
    write_drafts(workspace, [d.id], target, fonts, NullProgress())
    text = pdf_text(target)
    assert "工资发放表" in text and f"个别谈话记录 {talk.number}" in text
    assert "记账凭证第12号" in text and ".pdf" not in text  # the material, not its file extension


def test_very_long_free_text_flows_over_pages_without_failing(
    workspace: Workspace, ctx: Context, fonts, tmp_path: Path
):
    huge = "该同志在担任局长期间多次违规审批项目资金，群众反映强烈。" * 110
    found = _save(workspace, LEAD, lead(ctx, summary=huge, subject_post=huge[:300]))
    member = _save(workspace, APPRAISAL, appraisal(ctx, self_summary=huge, group_opinion=huge[:900]))
    for writer, ids in (
        (write_leads, [found.id]),
        (write_transfer_list, [found.id]),
        (PDF_WRITERS["appraisal"], [member.id]),
    ):
        result = writer(workspace, ids, tmp_path / "long.pdf", fonts, NullProgress())
        assert result.pages >= 2
        assert re.sub(r"\s", "", pdf_text(tmp_path / "long.pdf")).count("群众反映强烈") >= 110  # none lost
