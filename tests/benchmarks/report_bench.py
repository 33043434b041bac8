"""Report benchmark: the 巡察报告初稿 of a unit with 200 signed 底稿 written as .docx (reading the records,
building the report, filling the docxtpl template, saving), as a ratio to python-docx alone writing the
same paragraphs and headings into a document of the same template (ours also reads the records and
writes the 200-row 问题清单)."""

from __future__ import annotations

import io
from pathlib import Path

import docx

from tests.benchmarks.report import best_of, line, note
from tests.builders import PASSPHRASE
from tests.report_builders import TODAY, report_world, signed_draft
from xuncha_desktop.domain.issue_drafts import IssueDraft
from xuncha_desktop.domain.record_types import DRAFT
from xuncha_desktop.services.records.record_service import RecordService
from xuncha_desktop.services.reports.docx_writer import template_path
from xuncha_desktop.services.reports.generate import build_report, generate
from xuncha_desktop.services.reports.model import Heading, Paragraph, Report
from xuncha_desktop.services.workspace import Workspace
from xuncha_desktop.storage.keyfile import KdfParams

NAME = "report_inspection_docx_vs_python_docx_lower_better"
GOAL = 2.0
DRAFTS = 200
FACT = (
    "{y}年{m}月至{y2}年{m2}月，该单位以加班补助、工作补贴等名义向在职人员发放津补贴共计{n}.{d}万元，"
    "其中领导班子成员领取{p}万元。经调阅财务凭证、工资发放表和党组会议记录，相关支出未经集体研究。"
)
SUBCLASSES = ("A1.1", "A1.3", "A2.1", "A2.3", "A2.4", "A3.2", "A3.4", "A4.2")


def _seed(ws: Workspace, drafts: int) -> str:
    world = report_world(ws)
    more = [
        signed_draft(
            world.ctx,
            code.split(".")[0],
            code,
            f"第{i}项问题：违规发放津补贴",
            ["主体责任"],
            description=FACT.format(
                y=2022 + i % 3, m=1 + i % 12, y2=2024, m2=1 + i % 9, n=i % 90, d=i % 10, p=i % 9
            ),
        )
        for i, code in (
            (i, SUBCLASSES[i % len(SUBCLASSES)]) for i in range(max(drafts - len(world.signed), 0))
        )
    ]
    RecordService[IssueDraft](ws, DRAFT).save_many(more)
    return world.unit.id


def python_docx_alone(report: Report, template: Path) -> bytes:
    """The baseline: python-docx adding the same paragraphs (bold lead-in runs) and headings to a document
    of the same template. The 问题清单 is left out: python-docx's cells cost several times the whole
    report, which would flatter the ratio."""
    doc = docx.Document(str(template))
    styles = {name: doc.styles[name] for name in ("Title", "Normal", "Heading 1", "Heading 2", "Heading 3")}
    doc.add_paragraph(report.title, styles["Title"])
    for block in report.blocks:
        if isinstance(block, Heading):
            doc.add_paragraph(block.text, styles[f"Heading {block.level}"])
        elif isinstance(block, Paragraph):
            p = doc.add_paragraph(style=styles["Normal"])
            p.add_run(block.lead).bold = True
            p.add_run(block.text)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def bench_report(root: Path, drafts: int = DRAFTS, repeats: int = 3) -> tuple[str, float, float]:
    """(line, ours in s, python-docx in s)."""
    ws = Workspace.create(root / "报告基准.xcdb", PASSPHRASE, kdf=KdfParams.cheap())
    try:
        unit_id = _seed(ws, drafts)
        out = root / "巡察报告.docx"
        ours, result = best_of(
            repeats, lambda: generate(ws, "inspection", out, target_id=unit_id, today=TODAY)
        )
        report = build_report(ws, "inspection", target_id=unit_id, today=TODAY)
        baseline, data = best_of(repeats, lambda: python_docx_alone(report, template_path("inspection")))
    finally:
        ws.close()
    paragraphs = sum(isinstance(b, Paragraph) for b in report.blocks)
    note(
        f"巡察报告初稿：{result.records} 份已审签底稿，{paragraphs} 段、{len(report.headings())} 个标题、"
        f"问题清单 {len(report.appendix.table.rows) if report.appendix else 0} 行；"
        f".docx {out.stat().st_size // 1024} KB，python-docx {len(data) // 1024} KB"
    )
    note(f"本程序 {ours:.3f} s（读记录、组织内容、套模板、写问题清单和文件）")
    note(f"python-docx 单独写同样的段落和标题 {baseline:.3f} s")
    return line(NAME, ours, "s", ours / baseline, f"{GOAL:g}"), ours, baseline


def run(root: Path, scale: float) -> None:
    bench_report(root, drafts=max(int(DRAFTS * scale), 5))
