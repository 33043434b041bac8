"""Writes a report (model.Report) as PDF in the official layout of the other printed papers: the GB/T 9704
page, marking and title, 黑体 / 楷体 / 仿宋 headings, “— 1 —” page numbers and the footer mark, through
the shared reportlab pieces (services.output.pdf_layout, pdf_fonts, pdf_stories, pdf_tables)."""

from __future__ import annotations

from typing import BinaryIO

from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import CondPageBreak, Flowable, PageBreak, Spacer

from xuncha_desktop.services.output.pdf_fonts import FontSet, Typesetter
from xuncha_desktop.services.output.pdf_layout import (
    DEFAULT_FOOTER_MARK,
    LINE_PITCH,
    TYPE_WIDTH,
    OfficialDocument,
    make_styles,
)
from xuncha_desktop.services.output.pdf_stories import Kit, start_record
from xuncha_desktop.services.output.pdf_tables import label, value
from xuncha_desktop.services.records.context_names import ContextNames
from xuncha_desktop.services.reports.model import Heading, Paragraph, Report, Table


def _styles(kit: Kit) -> dict[str, ParagraphStyle]:
    st, fonts = kit.st, kit.st.fonts
    return {
        "h1": st.heading,
        "h2": ParagraphStyle("report-h2", parent=st.heading, fontName=fonts.kai.name),
        "h3": ParagraphStyle("report-h3", parent=st.heading, fontName=fonts.body.name),
        # 右空四字: the signature and date end four characters in from the right
        "signature": ParagraphStyle(
            "report-signature", parent=st.body_plain, alignment=TA_RIGHT, rightIndent=4 * st.body.fontSize
        ),
        "appendix": ParagraphStyle("report-appendix", parent=st.heading, firstLineIndent=0, spaceBefore=0),
    }


def _table(kit: Kit, table: Table) -> Flowable:
    g = kit.grid([TYPE_WIDTH * share for share in table.shares()], compact=table.columns > 4)
    if table.header:
        g.row(*(label(text) for text in table.header))
    for row in table.rows:
        cells = [label(text) if c == 0 and table.label_column else value(text) for c, text in enumerate(row)]
        g.row(*cells)
    return g.table(repeat_rows=1 if table.header else 0)


def report_story(kit: Kit, report: Report) -> list[Flowable]:
    styles = _styles(kit)
    story = start_record(kit, "r0", report.title, report.marking, report.title, first=True)
    story += [kit.p(line, kit.st.subtitle) for line in report.meta]
    for block in report.blocks:
        if isinstance(block, Heading):
            story += [CondPageBreak(3 * LINE_PITCH), kit.line(block.text, styles[f"h{block.level}"])]
        elif isinstance(block, Paragraph):
            story.append(kit.p(block.lead + block.text, kit.st.body))
        else:
            story += [Spacer(1, 4), _table(kit, block), Spacer(1, 4)]
    if report.signature:
        story.append(Spacer(1, LINE_PITCH))
        story += [kit.p(line, styles["signature"]) for line in report.signature]
    if report.appendix is not None:
        a = report.appendix
        story += [PageBreak(), kit.line(a.label, styles["appendix"]), kit.line(a.title, kit.st.title)]
        story.append(_table(kit, a.table))
    return story


def write_pdf(
    report: Report, out: str | BinaryIO, fonts: FontSet, *, footer_mark: str = DEFAULT_FOOTER_MARK
) -> tuple[int, Typesetter]:
    """Lays `report` out into `out`; returns the page count and the typesetter (its missing characters)."""
    ts = Typesetter(fonts)
    kit = Kit(ts, make_styles(fonts), ContextNames())
    doc = OfficialDocument(out, title=report.title, footer_mark=footer_mark, typesetter=ts)
    return doc.build_story(report_story(kit, report)), ts
