"""The shipped templates load, carry the GB/T 9704 styles with their East-Asian faces, the page and the
footer page numbers, and are what template_maker makes (so they can be made again after a change)."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn

from tests.docx_helpers import open_docx, style_fonts
from xuncha_desktop.services.reports.template_maker import KINDS, STYLES, write_templates
from xuncha_desktop.shipped import shipped_path

SHIPPED = {kind: shipped_path("resources", "templates", f"{kind}.docx") for kind in KINDS}


@pytest.mark.parametrize("kind", KINDS)
def test_shipped_template_carries_the_official_styles(kind: str):
    doc = open_docx(SHIPPED[kind])
    for spec in STYLES:
        found = style_fonts(doc, spec.name)
        assert found.east_asian == spec.east_asian and found.latin == "Times New Roman", spec.name
        assert found.size_pt == spec.size.pt and found.bold == spec.bold, spec.name
        assert found.pitch_pt == (spec.pitch.pt if spec.pitch else None), spec.name
        assert found.first_line_chars == spec.indent_chars, spec.name
        assert doc.styles[spec.name].paragraph_format.space_before == spec.padding, spec.name
    assert (
        style_fonts(doc, "Title").east_asian == "方正小标宋简体" and style_fonts(doc, "Title").size_pt == 22
    )
    body = style_fonts(doc, "Normal")
    assert (body.east_asian, body.size_pt, body.pitch_pt) == ("仿宋_GB2312", 16, 28)
    assert style_fonts(doc, "Heading 1").east_asian == "黑体"
    assert style_fonts(doc, "Heading 2").east_asian == "楷体_GB2312"
    assert doc.styles["Title"].element.pPr.find(qn("w:pBdr")) is None  # no rule under the title


@pytest.mark.parametrize("kind", KINDS)
def test_shipped_template_has_the_gb9704_page_and_page_numbers(kind: str):
    doc = open_docx(SHIPPED[kind])
    section = doc.sections[0]
    assert (section.page_width.twips, section.page_height.twips) == (11906, 16838)  # A4
    margins = (section.top_margin, section.bottom_margin, section.left_margin, section.right_margin)
    assert [round(m.mm) for m in margins] == [37, 35, 28, 26]
    assert doc.settings.odd_and_even_pages_header_footer
    for footer, align in (
        (section.footer, WD_ALIGN_PARAGRAPH.RIGHT),
        (section.even_page_footer, WD_ALIGN_PARAGRAPH.LEFT),
    ):
        [p] = footer.paragraphs
        assert p.alignment == align and p.text == "— 1 —"
        assert "PAGE" in "".join(t.text for t in p._p.iter(qn("w:instrText")))
    defaults = doc.styles.element.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
    assert defaults.find(qn("w:rFonts")).get(qn("w:eastAsia")) == "仿宋_GB2312"


@pytest.mark.parametrize("kind", KINDS)
def test_shipped_template_is_what_the_maker_makes(kind: str, tmp_path: Path):
    [made] = [p for p in write_templates(tmp_path) if p.stem == kind]
    for part in ("word/document.xml", "word/styles.xml", "word/settings.xml", "word/footer1.xml"):
        with zipfile.ZipFile(made) as new, zipfile.ZipFile(SHIPPED[kind]) as old:
            assert new.read(part) == old.read(part), f"{part}: run template_maker again"
