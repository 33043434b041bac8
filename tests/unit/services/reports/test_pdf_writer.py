"""The same report as PDF in the official layout: A4, marking, title, headings, lead-ins, tables, the
signature, the appendix on its own page, “— n —” page numbers."""

from __future__ import annotations

from pathlib import Path

from pypdf import PdfReader

from tests.docx_helpers import pdf_text
from tests.report_builders import SIGNED, TODAY, report_world
from xuncha_desktop.services.output.pdf_fonts import FontSet
from xuncha_desktop.services.reports.generate import build_report
from xuncha_desktop.services.reports.model import Appendix, Heading, Paragraph, Report, Table
from xuncha_desktop.services.reports.pdf_writer import write_pdf
from xuncha_desktop.services.workspace import Workspace


def test_inspection_report_as_pdf(workspace: Workspace, tmp_path: Path, fonts: FontSet):
    world = report_world(workspace)
    report = build_report(workspace, "inspection", target_id=world.unit.id, today=TODAY)
    out = tmp_path / "报告.pdf"
    with open(out, "wb") as stream:
        pages, ts = write_pdf(report, stream, fonts)
    reader = PdfReader(out)
    assert len(reader.pages) == pages >= 2 and not ts.missing
    assert [round(float(v)) for v in reader.pages[0].mediabox.upper_right] == [595, 842]
    text = pdf_text(out)
    assert (
        text.index("工作秘密")
        < text.index(report.title.replace(" ", ""))
        < text.index("一、巡察发现的主要问题")
    )
    for h in report.headings():
        assert h.text in text
    assert f"（1）{SIGNED[1][2]}。" in text and "定性分析：" in text and "责任指向：" in text
    assert "—1—" in text and f"—{pages}—" in text
    last = "".join(reader.pages[-1].extract_text().split())
    assert last.startswith("附件") and "问题清单" in last and SIGNED[0][2] in last


def test_small_report_lays_out_every_block(tmp_path: Path, fonts: FontSet):
    report = Report(
        "approval",
        "问题底稿审批单",
        (
            Heading(1, "一、概况"),
            Paragraph("正文甲", lead="要点："),
            Table((), (("承办人", "李明"),), (0.3, 0.7), True),
        ),
        meta=("底稿编号：X-1",),
        marking="工作秘密",
        appendix=Appendix("清单", Table(("序号", "问题"), (("1", "问题乙"),))),
        signature=("第二巡察组", "2025年5月6日"),
    )
    out = tmp_path / "small.pdf"
    with open(out, "wb") as stream:
        pages, _ts = write_pdf(report, stream, fonts)
    text = pdf_text(out)
    for piece in (
        "底稿编号：X-1",
        "一、概况",
        "要点：正文甲",
        "承办人",
        "李明",
        "第二巡察组",
        "2025年5月6日",
        "问题乙",
    ):
        assert piece in text, piece
    assert pages == 2  # the appendix starts a page
