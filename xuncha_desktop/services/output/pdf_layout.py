"""The GB/T 9704 page (A4, type area, page numbers, marks) and the table pieces every form uses."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any, BinaryIO

from reportlab import rl_config
from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_LEFT, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    CondPageBreak,
    Flowable,
    Frame,
    KeepTogether,
    PageBreak,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
)
from reportlab.platypus.paragraph import ParaLines, _handleBulletWidth, cjkU, makeCJKParaLine

from xuncha_desktop.services.output.cjk_line_breaking import break_lines
from xuncha_desktop.services.output.pdf_fonts import FontSet, Typesetter

PAGE_WIDTH, PAGE_HEIGHT = A4
MARGIN_TOP, MARGIN_LEFT, MARGIN_BOTTOM, MARGIN_RIGHT = 37 * mm, 28 * mm, 35 * mm, 26 * mm
TYPE_WIDTH = PAGE_WIDTH - MARGIN_LEFT - MARGIN_RIGHT  # 156 mm
TYPE_HEIGHT = PAGE_HEIGHT - MARGIN_TOP - MARGIN_BOTTOM  # 225 mm
SIZE_2, SIZE_3, SIZE_4, SIZE_SMALL_4, SIZE_5 = 22, 16, 14, 12, 10.5  # 2号, 3号, 4号, 小四, 五号 in pt
LINE_PITCH = 28.95  # 22 lines in the 225 mm type area; a hair under 225 mm / 22 so the 22nd line still fits
CELL_LEADING = 18
DEFAULT_FOOTER_MARK = "巡察工作秘密  注意保管"


@dataclass(frozen=True)
class Styles:
    """Paragraph styles of one FontSet: GB/T 9704 sizes (2号 title, 3号 text), 小四/五号 in tables."""

    title: ParagraphStyle
    subtitle: ParagraphStyle
    marking: ParagraphStyle
    heading: ParagraphStyle
    body: ParagraphStyle
    body_plain: ParagraphStyle
    cover_label: ParagraphStyle
    label: ParagraphStyle
    cell: ParagraphStyle
    cell_center: ParagraphStyle
    cell_right: ParagraphStyle
    list_label: ParagraphStyle
    list_cell: ParagraphStyle
    list_center: ParagraphStyle
    list_right: ParagraphStyle
    small: ParagraphStyle
    fonts: FontSet


def make_styles(fonts: FontSet) -> Styles:
    body, heading = fonts.body.name, fonts.heading.name

    def style(name: str, font: str, size: float, leading: float, **kw: Any) -> ParagraphStyle:
        return ParagraphStyle(name, fontName=font, fontSize=size, leading=leading, wordWrap="CJK", **kw)

    return Styles(
        title=style("title", fonts.title.name, SIZE_2, 36, alignment=TA_CENTER, spaceBefore=4, spaceAfter=14),
        subtitle=style("subtitle", fonts.kai.name, SIZE_3, LINE_PITCH, alignment=TA_CENTER, spaceAfter=6),
        marking=style("marking", heading, SIZE_3, LINE_PITCH, alignment=TA_LEFT),
        heading=style(
            "heading", heading, SIZE_3, LINE_PITCH, firstLineIndent=2 * SIZE_3, spaceBefore=6, keepWithNext=1
        ),
        body=style("body", body, SIZE_3, LINE_PITCH, firstLineIndent=2 * SIZE_3, alignment=TA_JUSTIFY),
        body_plain=style("body_plain", body, SIZE_3, LINE_PITCH),
        cover_label=style("cover_label", heading, SIZE_3, LINE_PITCH, alignment=TA_RIGHT),
        label=style("label", heading, SIZE_SMALL_4, CELL_LEADING, alignment=TA_CENTER),
        cell=style("cell", body, SIZE_SMALL_4, CELL_LEADING),
        cell_center=style("cell_center", body, SIZE_SMALL_4, CELL_LEADING, alignment=TA_CENTER),
        cell_right=style("cell_right", body, SIZE_SMALL_4, CELL_LEADING, alignment=TA_RIGHT),
        list_label=style("list_label", heading, SIZE_5, 14, alignment=TA_CENTER),
        list_cell=style("list_cell", body, SIZE_5, 14),
        list_center=style("list_center", body, SIZE_5, 14, alignment=TA_CENTER),
        list_right=style("list_right", body, SIZE_5, 14, alignment=TA_RIGHT),
        small=style("small", body, 7, 9),
        fonts=fonts,
    )


# -- values as printed -------------------------------------------------------------------------------------


def cn_date(value: date | str | None, blank: str = "") -> str:
    """2025年3月5日; also accepts ISO text (dates and timestamps); blank when there is no date."""
    if value is None or value == "":
        return blank
    if isinstance(value, str):
        try:
            day = date.fromisoformat(value[:10])
        except ValueError:
            return value
    else:
        day = value
    return f"{day.year}年{day.month}月{day.day}日"


def cn_month(value: str) -> str:
    """1975-03 → 1975年3月."""
    if len(value) == 7 and value[4] == "-" and value[:4].isdigit() and value[5:].isdigit():
        return f"{value[:4]}年{int(value[5:])}月"
    return value


def yes_no(value: bool) -> str:
    return "是" if value else "否"


def money(value: Decimal | None) -> str:
    """1,234.50 元; an amount never entered (stored as 0) prints as a blank to fill in, not "0.00 元"."""
    if not value:
        return ""
    return f"{value:,.2f} 元"


def joined(values: Sequence[str]) -> str:
    return "、".join(v for v in values if v)


NBSP = "\xa0"  # Paragraph collapses ordinary and ideographic spaces; blanks to write in need these
BLANK_DATE = f"{NBSP * 9}年{NBSP * 5}月{NBSP * 5}日"
BLANK_NAME = NBSP * 24


# -- page and document -----------------------------------------------------------------------------------


@dataclass
class _RecordPages:
    key: str
    paged: bool  # prints 共 N 页 第 n 页 (interview records)
    first_page: int = 0
    pages: int = 0


class _FormsCanvas(Canvas):
    """Defines the forward-referenced page-count forms just before the file is written."""

    before_save: Callable[[Canvas], None] | None = None

    def save(self) -> None:
        if self.before_save is not None:
            self.before_save(self)
        # Binary (Flate only) streams: a quarter smaller and much faster to write than reportlab's ASCII85.
        previous = rl_config.useA85
        rl_config.useA85 = 0
        try:
            super().save()
        finally:
            rl_config.useA85 = previous


class OfficialDocument(BaseDocTemplate):
    """A4 with the GB/T 9704 type area; page numbers, footer mark and 共 N 页 第 n 页 at each page end.

    Totals that are only known later (a record's page count, the page a table-of-contents entry points to) are
    drawn as PDF form objects that are filled in once the whole document is laid out: one layout pass only.
    """

    def __init__(
        self,
        filename: str | BinaryIO,
        *,
        title: str,
        footer_mark: str,
        typesetter: Typesetter,
        on_record: Callable[[int, str], None] | None = None,
        front_matter: bool = False,
    ) -> None:
        super().__init__(
            filename,
            pagesize=A4,
            leftMargin=MARGIN_LEFT,
            rightMargin=MARGIN_RIGHT,
            topMargin=MARGIN_TOP,
            bottomMargin=MARGIN_BOTTOM,
            title=title,
            author="",
            creator="xuncha-desktop",
            keywords=f"字体：{typesetter.fonts.used()}",
            initialFontName=typesetter.fonts.body.name,  # else every page lists Helvetica, never embedded
            initialFontSize=SIZE_SMALL_4,
        )
        frame = Frame(
            MARGIN_LEFT, MARGIN_BOTTOM, TYPE_WIDTH, TYPE_HEIGHT, 0, 0, 0, 0, id="type-area", showBoundary=0
        )
        self.addPageTemplates([PageTemplate("page", [frame], onPageEnd=self._decorate)])
        self.footer_mark = footer_mark
        self.typesetter = typesetter
        self.on_record = on_record
        # physical page printed as — 1 —; with front matter (cover, contents) StartNumbering sets it later
        self.numbering_from = 10**9 if front_matter else 1
        self.page_refs: set[str] = set()
        self.records: list[_RecordPages] = []
        self.record_count = 0
        self._measured: dict[tuple[str, str, float], list[tuple[str, str, float, float]]] = {}

    def handle_documentBegin(self) -> None:  # noqa: N802
        super().handle_documentBegin()
        if isinstance(self.canv, _FormsCanvas):
            self.canv.before_save = self.define_forms

    def handle_keepWithNext(self, flowables: list[Flowable]) -> None:  # noqa: N802
        """A heading (keepWithNext) gets a page break before it unless the first lines of what follows fit
        under it; unlike reportlab's own grouping, a long paragraph after it still splits across pages."""
        first = flowables[0]
        if isinstance(first, TextLine | Paragraph) and first.getKeepWithNext():
            if not getattr(first, "_kept", False):
                first._kept = True
                flowables.insert(0, KeepWithNext(flowables[:6]))
            return
        super().handle_keepWithNext(flowables)

    def build_story(self, story: list[Flowable]) -> int:
        """Lays out and writes the document; returns the number of pages."""
        self.build(story, canvasmaker=_FormsCanvas)
        return self.page

    # called by the marker flowables while they are drawn
    def begin_record(self, key: str, outline: str, paged: bool, canv: Canvas) -> None:
        self.records.append(_RecordPages(key, paged, first_page=canv.getPageNumber()))
        self.record_count += 1
        if self.on_record is not None:
            self.on_record(self.record_count, outline)

    def printed_number(self, physical: int) -> int:
        return physical - self.numbering_from + 1

    def _decorate(self, canv: Canvas, doc: BaseDocTemplate) -> None:
        physical = canv.getPageNumber()
        number = self.printed_number(physical)
        fonts = self.typesetter.fonts
        current = self.records[-1] if self.records else None
        paged = current is not None and current.paged
        canv.saveState()
        if number >= 1 and not paged:  # a paged record carries 共 N 页 第 n 页 only: one page-number style
            text = f"— {number} —"
            inset = SIZE_4  # 单页码居右空一字，双页码居左空一字
            y = MARGIN_BOTTOM - 7 * mm - SIZE_4 * 0.8
            if number % 2:
                x = MARGIN_LEFT + TYPE_WIDTH - inset - self._width(text, fonts.number.name, SIZE_4)
            else:
                x = MARGIN_LEFT + inset
            self._draw(canv, x, y, text, fonts.number.name, SIZE_4)
        if self.footer_mark:
            width = self._width(self.footer_mark, fonts.heading.name, SIZE_5)
            self._draw(canv, (PAGE_WIDTH - width) / 2, 14 * mm, self.footer_mark, fonts.heading.name, SIZE_5)
        if paged:
            assert current is not None
            current.pages += 1
            self._page_of(canv, current)
        canv.restoreState()

    def _page_of(self, canv: Canvas, record: _RecordPages) -> None:
        """共 N 页 第 n 页, centred at the page-number line; N is a form filled in at the end."""
        font, size = self.typesetter.fonts.body.name, SIZE_SMALL_4
        slot = 1.8 * size  # room for a two- or three-digit total
        left, right = "共", f"页  第 {record.pages} 页"
        total = self._width(left, font, size) + slot + self._width(right, font, size)
        x = (PAGE_WIDTH - total) / 2
        y = MARGIN_BOTTOM - 7 * mm - SIZE_4 * 0.8
        canv.setFont(font, size)
        canv.drawString(x, y, left)
        canv.saveState()
        canv.translate(x + self._width(left, font, size) + slot / 2, y)
        canv.doForm(f"pages-{record.key}")
        canv.restoreState()
        canv.drawString(x + self._width(left, font, size) + slot, y, right)

    def define_forms(self, canv: Canvas) -> None:
        font = self.typesetter.fonts.body.name
        for record in self.records:
            if record.paged:
                self._number_form(canv, f"pages-{record.key}", str(record.pages), font, SIZE_SMALL_4)
            if record.key in self.page_refs:
                number = str(self.printed_number(record.first_page))
                self._number_form(canv, f"page-of-{record.key}", number, font, SIZE_5)

    @staticmethod
    def _number_form(canv: Canvas, name: str, text: str, font: str, size: float) -> None:
        """A number centred on the form's origin, placed wherever the form was used."""
        canv.beginForm(name, lowerx=-200, lowery=-20, upperx=200, uppery=40)
        canv.setFont(font, size)
        canv.drawCentredString(0, 0, text)
        canv.endForm()

    def _placed(self, text: str, font: str, size: float) -> list[tuple[str, str, float, float]]:
        """(face, chunk, x offset, width) per run; page furniture repeats, so it is measured once."""
        key = (text, font, size)
        if key not in self._measured:
            placed, x = [], 0.0
            for face, chunk in self.typesetter.runs(text, font):
                width = stringWidth(chunk, face, size)
                placed.append((face, chunk, x, width))
                x += width
            self._measured[key] = placed
        return self._measured[key]

    def _width(self, text: str, font: str, size: float) -> float:
        placed = self._placed(text, font, size)
        return placed[-1][2] + placed[-1][3] if placed else 0.0

    def _draw(self, canv: Canvas, x: float, y: float, text: str, font: str, size: float) -> None:
        for face, chunk, offset, _width in self._placed(text, font, size):
            canv.setFont(face, size)
            canv.drawString(x + offset, y, chunk)


# -- marker flowables --------------------------------------------------------------------------------------


class RecordStart(Flowable):
    """Zero-size marker atop a record's first page: page counting, bookmark, outline entry, progress."""

    def __init__(self, key: str, outline: str, paged: bool = False) -> None:
        super().__init__()
        self.key, self.outline, self.paged = key, outline, paged

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:  # noqa: N803
        return 0, 0

    def draw(self) -> None:
        doc = self.canv._doctemplate
        assert isinstance(doc, OfficialDocument)
        doc.begin_record(self.key, self.outline, self.paged, self.canv)
        self.canv.bookmarkPage(self.key)
        self.canv.addOutlineEntry(self.outline, self.key, level=0)


class StartNumbering(Flowable):
    """Marks the page it is drawn on as — 1 —; pages before it (cover, contents) carry no number."""

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:  # noqa: N803
        return 0, 0

    def draw(self) -> None:
        doc = self.canv._doctemplate
        assert isinstance(doc, OfficialDocument)
        doc.numbering_from = self.canv.getPageNumber()


class RectoBreak(Flowable):
    """A page break after which the text goes on on an odd (right-hand) page, with a blank page if needed."""

    _queued = False

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:  # noqa: N803
        if not self._queued:
            self._queued = True
            breaks = 1 if self.canv.getPageNumber() % 2 == 0 else 2
            self._doctemplateAttr("frame").add_generated_content(*(PageBreak() for _ in range(breaks)))
        return 0, 0

    def draw(self) -> None:
        pass


class PageRef(Flowable):
    """The printed page number on which record `key` starts, centred; a link to that record."""

    def __init__(self, key: str, width: float, size: float = SIZE_5) -> None:
        super().__init__()
        self.key, self.width, self.height = key, width, size

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:  # noqa: N803
        return self.width, self.height

    def draw(self) -> None:
        doc = self.canv._doctemplate
        assert isinstance(doc, OfficialDocument)
        doc.page_refs.add(self.key)
        self.canv.saveState()
        self.canv.translate(self.width / 2, 2)
        self.canv.doForm(f"page-of-{self.key}")
        self.canv.restoreState()
        self.canv.linkRect("", self.key, (0, -2, self.width, self.height + 2), relative=1)


ORPHAN_LINES = 2  # lines of a paragraph that must follow its heading on the same page


class KeepWithNext(CondPageBreak):
    """A page break before a heading (or headings) when fewer than ORPHAN_LINES of the text, or the first
    rows of the table, or the whole kept-together block that follows would fit below it."""

    def __init__(self, flowables: list[Flowable]) -> None:
        super().__init__(0)
        self.flowables = flowables

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:  # noqa: N803
        self.height = min(self._needed(availWidth, availHeight), TYPE_HEIGHT)
        return super().wrap(availWidth, availHeight)

    def _needed(self, width: float, height: float) -> float:
        needed = 0.0
        for f in self.flowables:
            if f is None:
                continue
            needed += f.getSpaceBefore()
            if isinstance(f, Spacer) and not isinstance(f, CondPageBreak):
                needed += f.height
                continue
            if f.getKeepWithNext():  # a heading under a heading: both stay with the text
                needed += f.wrapOn(self.canv, width, height)[1] + f.getSpaceAfter()
                continue
            return needed + _first_piece(f, self.canv, width, height)
        return needed


def _first_piece(f: Flowable, canv: Canvas, width: float, height: float) -> float:
    """The height of the least of `f` that may stand on a page's last lines."""
    if isinstance(f, KeepTogether):
        f.wrapOn(canv, width, height)
        return float(f._H)
    full = float(f.wrapOn(canv, width, TYPE_HEIGHT)[1])
    if isinstance(f, Paragraph):
        return min(full, ORPHAN_LINES * float(f.style.leading))
    if isinstance(f, Table):
        rows = f._rowHeights[: max(1, f.repeatRows) + 1]
        return min(full, float(sum(rows)))
    return min(full, 3 * LINE_PITCH)


class TextLine(Flowable):
    """A one-line paragraph drawn directly, without markup parsing or wrapping: titles, headings, marks."""

    def __init__(self, runs: list[tuple[str, str]], text_width: float, style: ParagraphStyle) -> None:
        super().__init__()
        self.runs, self.text_width, self.style = runs, text_width, style

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:  # noqa: N803
        self.width = availWidth
        return availWidth, self.style.leading

    def getSpaceBefore(self) -> float:  # noqa: N802
        return float(self.style.spaceBefore)

    def getSpaceAfter(self) -> float:  # noqa: N802
        return float(self.style.spaceAfter)

    def draw(self) -> None:
        st = self.style
        if st.alignment == TA_CENTER:
            x = (self.width - self.text_width) / 2
        elif st.alignment == TA_RIGHT:
            x = self.width - self.text_width
        else:
            x = st.firstLineIndent + st.leftIndent
        y = st.leading - st.fontSize  # where Paragraph puts a first baseline
        for font, chunk in self.runs:
            self.canv.setFont(font, st.fontSize)
            self.canv.drawString(x, y, chunk)
            x += stringWidth(chunk, font, st.fontSize)


def text_line(
    typesetter: Typesetter, text: str, style: ParagraphStyle, width: float = TYPE_WIDTH
) -> Flowable:
    """A TextLine when the text fits on one line of `width`, else a wrapping Paragraph."""
    if "\n" not in text:
        runs = typesetter.runs(text, style.fontName)
        used = sum(stringWidth(chunk, font, style.fontSize) for font, chunk in runs)
        indent = 0 if style.alignment in (TA_CENTER, TA_RIGHT) else style.firstLineIndent + style.leftIndent
        if used + indent <= width:
            return TextLine(runs, used, style)
    return cell_paragraph(typesetter, text, style)


class CJKParagraph(Paragraph):
    """A Paragraph whose CJK wrapping keeps the line-breaking rules (cjk_line_breaking).

    reportlab's own CJK wrapping only lets one ASCII-listed stop hang in the margin: a full-width ，？；：
    or 》” still starts a line and （《“ ends one.
    """

    def breakLinesCJK(self, maxWidths: Any) -> Any:  # noqa: N802, N803
        widths_per_line = list(maxWidths) if isinstance(maxWidths, (list, tuple)) else [maxWidths]
        frags = self.frags
        special = (
            not frags
            or self.style.endDots
            or (getattr(self, "_splitpara", 0) and hasattr(self, "blPara"))
            or any(hasattr(f, "cbDefn") for f in frags)
        )
        if special:
            return super().breakLinesCJK(maxWidths)
        self.height = 0
        _handleBulletWidth(self.bulletText, self.style, widths_per_line)
        if len(frags) == 1:
            return _one_font_lines(frags[0], widths_per_line)
        return _mixed_font_lines(frags, widths_per_line, self)


def _limit(widths: list[float], line: int) -> float:
    return widths[min(line, len(widths) - 1)]


def _one_font_lines(frag: Any, max_widths: list[float]) -> Any:
    """Lines of a paragraph in one font, in the shape reportlab's own single-font CJK wrapping returns."""
    text: str = frag.text if hasattr(frag, "text") else "".join(getattr(frag, "words", []))
    font, size = frag.fontName, frag.fontSize
    widths = [stringWidth(c, font, size) for c in text]
    lines = []
    for number, (start, end) in enumerate(break_lines(text, widths, max_widths)):
        line = text[start:end].strip()
        lines.append((_limit(max_widths, number) - stringWidth(line, font, size), [line]))
    return frag.clone(kind=0, lines=lines, ascent=size, descent=-0.2 * size)


def _mixed_font_lines(frags: Any, max_widths: list[float], para: Paragraph) -> ParaLines:
    """Lines of a paragraph with several fonts or <br/>, as reportlab's cjkFragSplit returns them."""
    glyphs = []
    for f in frags:
        text = f.text
        glyphs.extend([cjkU(c, f, "utf8") for c in text] if text else [cjkU(text, f, "utf8")])
    chars = "".join("\n" if hasattr(u.frag, "lineBreak") else (str(u) or "\x00") for u in glyphs)
    widths = [u.width for u in glyphs]
    auto_leading = getattr(para, "autoLeading", getattr(para.style, "autoLeading", ""))
    calc_bounds = auto_leading not in ("", "off")
    lines = []
    for number, (start, end) in enumerate(break_lines(chars, widths, max_widths)):
        limit = _limit(max_widths, number)
        used = sum(widths[start:end])
        forced = chars[end - 1] == "\n"
        lines.append(makeCJKParaLine(glyphs[start:end], limit, used, limit - used, forced, calc_bounds))
    return ParaLines(kind=1, lines=lines)


def cell_paragraph(typesetter: Typesetter, text: str, style: ParagraphStyle) -> Paragraph:
    lines = str(text).split("\n")
    return CJKParagraph("<br/>".join(typesetter.markup(line, style.fontName) for line in lines), style)


def paragraphs(typesetter: Typesetter, text: str, style: ParagraphStyle) -> list[Flowable]:
    """One Paragraph per non-empty line of free text."""
    return [
        CJKParagraph(typesetter.markup(line.strip(), style.fontName), style)
        for line in text.splitlines()
        if line.strip()
    ]
