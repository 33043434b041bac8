"""Makes the shipped Word templates in resources/templates/ (one per report kind), so they can be made
again after a change here: `python -m xuncha_desktop.services.reports.template_maker resources/templates`.

Each template is an ordinary .docx the office may open and restyle in Word or WPS: the GB/T 9704 page
(A4, margins 37/35/28/26 mm), the styles below (Word shows Title as 标题, Normal as 正文, Heading 1–3 as
标题 1–3, so the navigation pane lists the headings), East-Asian fonts named in w:eastAsia so that WPS and
Word pick the Chinese face, page numbers “— 1 —” in the footer (odd pages right, even pages left), and
docxtpl (Jinja) tags where the report's content goes."""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path

from docx import Document
from docx.document import Document as WordDocument
from docx.enum.section import WD_SECTION
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt
from docx.styles.style import BaseStyle
from docx.text.paragraph import Paragraph

KINDS = ("inspection", "top-leader", "feedback", "approval")
LATIN = "Times New Roman"
BODY_PITCH = Pt(28)  # fixed line pitch of the text (GB/T 9704: 22 lines in the 225 mm type area)
SIZE_2, SIZE_3, SIZE_4, SIZE_SMALL_4 = Pt(22), Pt(16), Pt(14), Pt(12)
NO_SPACE = Pt(0)


@dataclass(frozen=True)
class StyleSpec:
    """What a style must carry: its East-Asian face, size, bold, alignment, fixed line pitch and first-line
    indent in characters. The tests read the templates back against these."""

    name: str
    east_asian: str
    size: Pt
    bold: bool = False
    align: WD_ALIGN_PARAGRAPH | None = None
    pitch: Pt | None = BODY_PITCH
    indent_chars: int = 0
    outline: int | None = None  # heading level shown in Word's navigation pane
    padding: Pt = NO_SPACE  # space above and below (table cells breathe; text keeps the 28 pt grid)


STYLES = (
    StyleSpec("Normal", "仿宋_GB2312", SIZE_3, align=WD_ALIGN_PARAGRAPH.JUSTIFY, indent_chars=2),
    StyleSpec("Title", "方正小标宋简体", SIZE_2, align=WD_ALIGN_PARAGRAPH.CENTER, pitch=Pt(36)),
    StyleSpec("Heading 1", "黑体", SIZE_3, indent_chars=2, outline=0),
    StyleSpec("Heading 2", "楷体_GB2312", SIZE_3, indent_chars=2, outline=1),
    StyleSpec("Heading 3", "仿宋_GB2312", SIZE_3, bold=True, indent_chars=2, outline=2),
    StyleSpec("报告信息", "楷体_GB2312", SIZE_3, align=WD_ALIGN_PARAGRAPH.CENTER),
    StyleSpec("版头标志", "黑体", SIZE_3, align=WD_ALIGN_PARAGRAPH.LEFT),
    StyleSpec("落款", "仿宋_GB2312", SIZE_3, align=WD_ALIGN_PARAGRAPH.RIGHT),
    StyleSpec("附件标识", "黑体", SIZE_3, align=WD_ALIGN_PARAGRAPH.LEFT),
    StyleSpec("表格文字", "仿宋_GB2312", SIZE_SMALL_4, pitch=None, padding=Pt(3)),
    StyleSpec("页码", "宋体", SIZE_4, pitch=None),
)
STYLE_NAMES = tuple(s.name for s in STYLES)


def set_fonts(element: BaseStyle, east_asian: str, latin: str = LATIN) -> None:
    """rFonts with w:eastAsia (the Chinese face), Latin text in Times New Roman, and no theme fonts (which
    Word would prefer over the named ones)."""
    rpr = element.element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for theme in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        fonts.attrib.pop(qn(theme), None)
    for attr, face in (("w:ascii", latin), ("w:hAnsi", latin), ("w:eastAsia", east_asian), ("w:cs", latin)):
        fonts.set(qn(attr), face)
    fonts.set(qn("w:hint"), "eastAsia")


def _style(doc: WordDocument, spec: StyleSpec) -> None:
    styles = doc.styles
    names = {s.name for s in styles}
    if spec.name in names:
        style = styles[spec.name]
    else:
        style = styles.add_style(spec.name, WD_STYLE_TYPE.PARAGRAPH)
        style.base_style = styles["Normal"]
    _plain(style)
    style.hidden = False
    style.quick_style = True
    font = style.font
    font.name = LATIN
    font.size = spec.size
    font.bold = spec.bold
    font.italic = False
    font.color.rgb = None
    set_fonts(style, spec.east_asian)
    pf = style.paragraph_format
    pf.alignment = spec.align
    pf.space_before = spec.padding
    pf.space_after = spec.padding
    if spec.pitch is None:
        pf.line_spacing_rule = WD_LINE_SPACING.SINGLE
    else:
        pf.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        pf.line_spacing = spec.pitch
    pf.first_line_indent = spec.size * spec.indent_chars if spec.indent_chars else Pt(0)
    _indent_in_chars(style, spec.indent_chars)
    pf.keep_with_next = spec.outline is not None
    if spec.outline is not None:
        _outline(style, spec.outline)


def _plain(style: BaseStyle) -> None:
    """Without what python-docx's built-in Title and Heading styles bring: a rule under the title, theme
    colours, kerning and contextual spacing, none of which a 公文 has."""
    for parent, tags in (
        (style.element.pPr, ("w:pBdr", "w:contextualSpacing")),
        (style.element.rPr, ("w:color", "w:kern", "w:spacing")),
    ):
        if parent is None:
            continue
        for tag in tags:
            for found in parent.findall(qn(tag)):
                parent.remove(found)


def _indent_in_chars(style: BaseStyle, chars: int) -> None:
    """w:firstLineChars too: Word and WPS keep the indent at two characters when the size changes."""
    ind = style.element.get_or_add_pPr().get_or_add_ind()
    if chars:
        ind.set(qn("w:firstLineChars"), str(chars * 100))
    else:
        ind.attrib.pop(qn("w:firstLineChars"), None)


def _outline(style: BaseStyle, level: int) -> None:
    ppr = style.element.get_or_add_pPr()
    found = ppr.find(qn("w:outlineLvl"))
    if found is None:
        found = OxmlElement("w:outlineLvl")
        ppr.append(found)
    found.set(qn("w:val"), str(level))


def _defaults(doc: WordDocument) -> None:
    """The document default run font, for text outside any of our styles (tables an office adds)."""
    styles_el = doc.styles.element
    rpr_default = styles_el.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
    fonts = rpr_default.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr_default.insert(0, fonts)
    for theme in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        fonts.attrib.pop(qn(theme), None)
    for attr, face in (
        ("w:ascii", LATIN),
        ("w:hAnsi", LATIN),
        ("w:eastAsia", "仿宋_GB2312"),
        ("w:cs", LATIN),
    ):
        fonts.set(qn(attr), face)
    lang = rpr_default.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        rpr_default.append(lang)
    lang.set(qn("w:eastAsia"), "zh-CN")


def _page_number(paragraph: Paragraph) -> None:
    """— PAGE — as a field, so Word and WPS number every page themselves."""
    p = paragraph
    p.add_run("— ")
    run = p.add_run()
    for kind, text in (("begin", None), (None, " PAGE "), ("separate", None), (None, "1"), ("end", None)):
        if kind is not None:
            char = OxmlElement("w:fldChar")
            char.set(qn("w:fldCharType"), kind)
            run._r.append(char)
        elif text == " PAGE ":
            instr = OxmlElement("w:instrText")
            instr.set(qn("xml:space"), "preserve")
            instr.text = text
            run._r.append(instr)
        else:
            t = OxmlElement("w:t")
            t.text = text
            run._r.append(t)
    p.add_run(" —")


def _page(doc: WordDocument) -> None:
    section = doc.sections[0]
    section.start_type = WD_SECTION.NEW_PAGE
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)
    section.header_distance = Mm(15)
    section.footer_distance = Mm(22)  # the number's baseline about 7 mm below the type area
    doc.settings.odd_and_even_pages_header_footer = True
    for footer, align, indent in (
        (section.footer, WD_ALIGN_PARAGRAPH.RIGHT, "right"),
        (section.even_page_footer, WD_ALIGN_PARAGRAPH.LEFT, "left"),
    ):
        footer.is_linked_to_previous = False
        p = footer.paragraphs[0]
        p.style = doc.styles["页码"]
        p.alignment = align
        # 单页码居右空一字，双页码居左空一字 (GB/T 9704 §7.5)
        setattr(p.paragraph_format, f"{indent}_indent", SIZE_4)
        _page_number(p)


def _tag(doc: WordDocument, text: str, style: str = "Normal") -> None:
    doc.add_paragraph(text, style=style)


def _body(doc: WordDocument) -> None:
    """The Jinja tags: a {%p …%} tag stands alone in its paragraph, which docxtpl removes."""
    _tag(doc, "{{ marking }}", "版头标志")
    _tag(doc, "{{ title }}", "Title")
    _tag(doc, "{%p for line in meta %}")
    _tag(doc, "{{ line }}", "报告信息")
    _tag(doc, "{%p endfor %}")
    _tag(doc, "{%p for b in blocks %}")
    _tag(doc, "{%p if b.kind == 'heading' and b.level == 1 %}")
    _tag(doc, "{{ b.text }}", "Heading 1")
    _tag(doc, "{%p elif b.kind == 'heading' and b.level == 2 %}")
    _tag(doc, "{{ b.text }}", "Heading 2")
    _tag(doc, "{%p elif b.kind == 'heading' %}")
    _tag(doc, "{{ b.text }}", "Heading 3")
    _tag(doc, "{%p elif b.kind == 'table' %}")
    _tag(doc, "{{p b.table }}")
    _tag(doc, "{%p else %}")
    p = doc.add_paragraph(style="Normal")
    p.add_run("{{ b.lead }}").bold = True
    p.add_run("{{ b.text }}")
    _tag(doc, "{%p endif %}")
    _tag(doc, "{%p endfor %}")
    _tag(doc, "{%p for line in signature %}")
    _tag(doc, "{{ line }}", "落款")
    _tag(doc, "{%p endfor %}")
    _tag(doc, "{%p if appendix %}")
    label = doc.add_paragraph("{{ appendix.label }}", style="附件标识")
    label.paragraph_format.page_break_before = True
    _tag(doc, "{{ appendix.title }}", "Title")
    _tag(doc, "{{p appendix.table }}")
    _tag(doc, "{%p endif %}")


def make_template(kind: str) -> WordDocument:
    """The template of `kind` (all kinds share the layout today; each is its own file so that an office
    can change one without the others)."""
    if kind not in KINDS:
        raise ValueError(kind)
    doc = Document()
    for spec in STYLES:
        _style(doc, spec)
    _defaults(doc)
    _page(doc)
    body = doc.element.body
    for leftover in list(body):  # the default document's empty paragraph
        if leftover.tag == qn("w:p"):
            body.remove(leftover)
    _body(doc)
    core = doc.core_properties
    core.author, core.title, core.comments = "xuncha-desktop", kind, "报告模板：可在 Word 或 WPS 中修改样式"
    return doc


def write_templates(folder: Path) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for kind in KINDS:
        path = folder / f"{kind}.docx"
        make_template(kind).save(str(path))
        written.append(path)
    return written


if __name__ == "__main__":
    for path in write_templates(Path(sys.argv[1] if len(sys.argv) > 1 else "resources/templates")):
        print(path)
