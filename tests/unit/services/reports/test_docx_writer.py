"""Every kind written as .docx and read back: the paragraphs carry the template's styles (so the faces,
sizes and pitch Word shows are the template's), the headings come in the report's order, the lead-ins are
bold, the tables hold every row; an office's own template is used instead of the shipped one."""

from __future__ import annotations

from pathlib import Path

import pytest
from docx.oxml.ns import qn

from tests.docx_helpers import headings, open_docx, style_fonts, table_texts
from tests.report_builders import SIGNED, TODAY, report_world
from xuncha_desktop.domain.errors import XunchaError
from xuncha_desktop.services.reports.docx_writer import TEMPLATE_FOLDER, template_path, write_docx
from xuncha_desktop.services.reports.generate import build_report, generate
from xuncha_desktop.services.reports.model import Heading, Paragraph, Report, Table
from xuncha_desktop.services.reports.template_maker import make_template
from xuncha_desktop.services.workspace import Workspace


def _write(report: Report, tmp_path: Path, template: Path | None = None) -> Path:
    out = tmp_path / f"{report.kind}.docx"
    write_docx(report, out, template or template_path(report.kind))
    return out


@pytest.mark.parametrize("kind", ["inspection", "top-leader", "feedback"])
def test_unit_reports_read_back_with_their_styles_headings_and_appendix(
    kind: str, workspace: Workspace, tmp_path: Path
):
    world = report_world(workspace)
    report = build_report(workspace, kind, target_id=world.unit.id, today=TODAY)
    doc = open_docx(_write(report, tmp_path))
    paragraphs = doc.paragraphs
    assert [(p.style.name, p.text) for p in paragraphs[:2]] == [
        ("版头标志", report.marking),
        ("Title", report.title),
    ]
    assert headings(doc) == [(h.level, h.text) for h in report.headings()]
    body = [p for p in paragraphs if p.style.name == "Normal"]
    expected = [b for b in report.blocks if isinstance(b, Paragraph)]
    assert [p.text for p in body] == [b.lead + b.text for b in expected]
    leads = [(p.runs[0].text, p.runs[0].bold) for p in body if p.runs and p.runs[0].text]
    assert leads and all(bold for _, bold in leads)
    assert not any("{{" in p.text or "{%" in p.text for p in paragraphs)  # every tag was filled in
    assert style_fonts(doc, "Normal").east_asian == "仿宋_GB2312"
    for p in paragraphs:  # no run overrides the style's faces: what the template says is what shows
        for run in p.runs:
            assert run._r.rPr is None or run._r.rPr.find(qn("w:rFonts")) is None
    if report.appendix is not None:
        rows = table_texts(doc, len(doc.tables) - 1)
        assert rows[0] == list(report.appendix.table.header)
        assert rows[1:] == [list(r) for r in report.appendix.table.rows]
        assert len(rows) == 1 + len(SIGNED)
        header = doc.tables[-1].rows[0]._tr
        assert header.trPr.find(qn("w:tblHeader")) is not None  # repeated on every page
        assert [p.style.name for p in paragraphs if p.text == "附件"] == ["附件标识"]


def test_approval_sheet_is_a_form_table(workspace: Workspace, tmp_path: Path):
    world = report_world(workspace)
    report = build_report(workspace, "approval", draft_id=world.signed[0].id, today=TODAY)
    doc = open_docx(_write(report, tmp_path))
    rows = table_texts(doc, 0)
    assert rows[0] == ["被巡察单位", "清河县财政局党组"] and len(rows) == len(report.blocks[0].rows)
    label = doc.tables[0].rows[2].cells[0].paragraphs[0]
    assert label.style.name == "表格文字" and label.runs[0].bold
    assert style_fonts(doc, "表格文字").size_pt == 12


def test_text_with_markup_characters_is_written_as_text(tmp_path: Path):
    nasty = "<w:p>金额&数量 {{ x }} {% if %}"
    report = Report(
        "inspection",
        nasty,
        (Heading(1, nasty), Paragraph(nasty, lead=nasty), Table(("a",), ((nasty,),))),
        meta=(nasty,),
    )
    doc = open_docx(_write(report, tmp_path))
    texts = [p.text for p in doc.paragraphs]
    assert texts[1] == nasty and texts[2] == nasty and texts[3] == nasty and texts[4] == nasty + nasty
    assert table_texts(doc, 0) == [["a"], [nasty]]


def test_an_offices_own_template_is_used_instead(workspace: Workspace, tmp_path: Path):
    own = workspace.path.parent / TEMPLATE_FOLDER
    own.mkdir()
    doc = make_template("inspection")
    doc.add_paragraph("本办自定义模板")  # the office adds its own text
    doc.save(str(own / "inspection.docx"))
    assert template_path("inspection", workspace.path.parent) == own / "inspection.docx"
    assert template_path("feedback", workspace.path.parent).parent.name == "templates"
    assert template_path("feedback", workspace.path.parent) != own / "feedback.docx"
    world = report_world(workspace)
    result = generate(workspace, "inspection", tmp_path / "报告.docx", target_id=world.unit.id, today=TODAY)
    assert result.template == own / "inspection.docx"
    assert open_docx(result.path).paragraphs[-1].text == "本办自定义模板"


def test_a_broken_office_template_is_named_in_chinese(tmp_path: Path):
    broken = tmp_path / "inspection.docx"
    broken.write_bytes(b"not a word document")
    report = Report("inspection", "标题", ())
    with pytest.raises(XunchaError, match=r"报告模板.*不是有效的 Word 文档"):
        write_docx(report, tmp_path / "out.docx", broken)
    bad_tags = tmp_path / "tags.docx"
    doc = make_template("inspection")
    doc.add_paragraph("{% for %}")
    doc.save(str(bad_tags))
    with pytest.raises(XunchaError, match="填充标记"):
        write_docx(report, tmp_path / "out.docx", bad_tags)


def test_a_template_without_the_table_styles_is_named(tmp_path: Path):
    doc = make_template("approval")
    style = doc.styles["表格文字"]
    style.element.getparent().remove(style.element)
    path = tmp_path / "approval.docx"
    doc.save(str(path))
    with pytest.raises(XunchaError, match="缺少样式“表格文字”"):
        write_docx(Report("approval", "审批单", ()), tmp_path / "out.docx", path)
