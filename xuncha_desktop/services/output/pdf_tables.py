"""Ruled form tables: label and value cells with spans, stacked blocks, and fast string cells."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_LEFT, TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable, KeepTogether, Table

from xuncha_desktop.services.output.pdf_fonts import Typesetter
from xuncha_desktop.services.output.pdf_layout import TYPE_HEIGHT, Styles, cell_paragraph

CELL_PADDING = 4
_FITS: dict[tuple[str, str, float, float], bool] = {}
_ALIGN = {TA_LEFT: "LEFT", TA_CENTER: "CENTER", TA_RIGHT: "RIGHT", TA_JUSTIFY: "LEFT"}


class FormTable(Table):
    """A Table that sets all its string cells in one PDF text object and skips blank ones.

    reportlab opens a text object per string cell; forms have dozens of short cells per page, so sharing
    one object (same positions, fonts and alignment as Table's own string cells) halves their cost.
    """

    _text: Any = None
    _text_font: tuple[str, float, float] | None = None

    def draw(self) -> None:
        self._text, self._text_font = self.canv.beginText(), None
        super().draw()
        self.canv.drawText(self._text)
        self._text = None

    def _drawCell(self, cellval: Any, cellstyle: Any, pos: Any, size: Any) -> None:  # noqa: N802
        if not isinstance(cellval, str) or self._text is None or cellstyle.href or cellstyle.destination:
            super()._drawCell(cellval, cellstyle, pos, size)
            return
        if not cellval:
            return
        (colpos, rowpos), (colwidth, rowheight) = pos, size
        font, fontsize, leading = cellstyle.fontname, cellstyle.fontsize, cellstyle.leading
        if self._text_font != (font, fontsize, leading):
            self._text.setFont(font, fontsize, leading)
            self._text_font = (font, fontsize, leading)
        lines = cellval.split("\n")
        if cellstyle.valign == "BOTTOM":
            y = rowpos + cellstyle.bottomPadding + len(lines) * leading - fontsize
        elif cellstyle.valign == "TOP":
            y = rowpos + rowheight - cellstyle.topPadding - fontsize
        else:
            y = (
                rowpos
                + (cellstyle.bottomPadding + rowheight - cellstyle.topPadding + len(lines) * leading) / 2
                - fontsize
            )
        for line in lines:
            if cellstyle.alignment in ("CENTRE", "CENTER"):
                x = (
                    colpos
                    + (
                        colwidth
                        + cellstyle.leftPadding
                        - cellstyle.rightPadding
                        - stringWidth(line, font, fontsize)
                    )
                    / 2
                )
            elif cellstyle.alignment == "RIGHT":
                x = colpos + colwidth - cellstyle.rightPadding - stringWidth(line, font, fontsize)
            else:
                x = colpos + cellstyle.leftPadding
            self._text.setTextOrigin(x, y)
            self._text.textOut(line)
            y -= leading


@dataclass(frozen=True)
class Cell:
    """One cell of a form grid: a label (黑体, centred) or a value, spanning columns and rows."""

    content: str | list[Flowable] = ""
    cols: int = 1
    rows: int = 1
    label: bool = False
    align: str = "left"  # value cells: left, center, right
    style: ParagraphStyle | None = None  # overrides the grid's label/value style


def label(text: str, cols: int = 1, rows: int = 1, vertical: bool = False) -> Cell:
    """A label; `vertical` stacks it for a section column (two characters a line when it spans two rows)."""
    if vertical:
        per_line = 2 if rows <= 2 and len(text) > 2 else 1
        text = "\n".join(text[i : i + per_line] for i in range(0, len(text), per_line))
    return Cell(text, cols, rows, label=True)


def value(
    content: str | list[Flowable],
    cols: int = 1,
    rows: int = 1,
    align: str = "left",
    style: ParagraphStyle | None = None,
) -> Cell:
    return Cell(content, cols, rows, align=align, style=style)


@dataclass
class Grid:
    """Builds a ruled form table row by row; cells covered by a span are filled in automatically.

    `section()` closes a block of rows: `sections()` then stacks the blocks as separate tables, so a page
    break falls between blocks (登记情况 | 研判情况 …) rather than through a spanned section label.
    `compact` sets the cells in 五号 for lists with many columns.
    """

    typesetter: Typesetter
    styles: Styles
    widths: Sequence[float]
    compact: bool = False
    rows: list[list[Any]] = field(default_factory=list)
    heights: list[float | None] = field(default_factory=list)
    commands: list[tuple[Any, ...]] = field(default_factory=list)
    _taken: set[tuple[int, int]] = field(default_factory=set)
    _done: list[Table] = field(default_factory=list)
    _tall: bool = False  # a cell is long enough that its row may have to be split across pages

    def _style(self, cell: Cell) -> ParagraphStyle:
        st = self.styles
        if cell.style is not None:
            return cell.style
        if cell.label:
            return st.list_label if self.compact else st.label
        if self.compact:
            return {"center": st.list_center, "right": st.list_right}.get(cell.align, st.list_cell)
        return {"center": st.cell_center, "right": st.cell_right}.get(cell.align, st.cell)

    def _content(self, cell: Cell, r: int, c: int) -> Any:
        """A plain string when the text fits on its lines in the cell's own font, else a Paragraph.

        Table cells holding strings are neither parsed nor wrapped, which makes forms several times faster
        to lay out than with a Paragraph in every cell.
        """
        content = cell.content
        if not isinstance(content, str):
            return content
        style = self._style(cell)
        room = sum(self.widths[c : c + cell.cols]) - 2 * CELL_PADDING
        key = (content, style.fontName, style.fontSize, room)
        fits = _FITS.get(key)
        if fits is None:
            fits = self.typesetter.covers(content, style.fontName) and all(
                stringWidth(line, style.fontName, style.fontSize) <= room for line in content.split("\n")
            )
            if len(_FITS) < 50_000:  # labels and unit names repeat on every form; free text does not
                _FITS[key] = fits
        if not fits and len(content) * style.fontSize / room * style.leading > 0.3 * TYPE_HEIGHT:
            self._tall = True
        if fits:
            if style is not self._default_style():
                where = (c, r), (c, r)
                self.commands.append(("FONT", *where, style.fontName, style.fontSize, style.leading))
                self.commands.append(("ALIGN", *where, _ALIGN[style.alignment]))
            return content
        return cell_paragraph(self.typesetter, content, style)

    def _default_style(self) -> ParagraphStyle:
        return self.styles.list_cell if self.compact else self.styles.cell

    def row(self, *cells: Cell, height: float | None = None) -> None:
        r = len(self.rows)
        line: list[Any] = [""] * len(self.widths)
        c = 0
        for cell in cells:
            while (r, c) in self._taken:
                c += 1
            line[c] = self._content(cell, r, c)
            if cell.cols > 1 or cell.rows > 1:
                self.commands.append(("SPAN", (c, r), (c + cell.cols - 1, r + cell.rows - 1)))
                for rr in range(r, r + cell.rows):
                    for cc in range(c, c + cell.cols):
                        self._taken.add((rr, cc))
            c += cell.cols
        self.rows.append(line)
        self.heights.append(height)

    def table(self, repeat_rows: int = 0, ruled: bool = True, box: bool = True) -> Table:
        table = FormTable(
            self.rows,
            colWidths=list(self.widths),
            rowHeights=self.heights if any(h is not None for h in self.heights) else None,
            # reportlab 5.1 cannot always split a tall row under a repeated header (LayoutError)
            repeatRows=0 if self._tall else repeat_rows,
            splitInRow=1,
            hAlign="CENTER",
        )
        default = self._default_style()
        style: list[tuple[Any, ...]] = [
            ("FONT", (0, 0), (-1, -1), default.fontName, default.fontSize, default.leading),
            # reportlab 5.1 raises LayoutError splitting a row inside when its cells are centred vertically
            ("VALIGN", (0, 0), (-1, -1), "TOP" if self._tall else "MIDDLE"),
            ("LEFTPADDING", (0, 0), (-1, -1), CELL_PADDING),
            ("RIGHTPADDING", (0, 0), (-1, -1), CELL_PADDING),
            ("TOPPADDING", (0, 0), (-1, -1), 3),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
        ]
        if ruled:
            style.append(("GRID", (0, 0), (-1, -1), 0.6, colors.black))
            if box:
                style.append(("BOX", (0, 0), (-1, -1), 1.2, colors.black))
        table.setStyle(style + self.commands)
        self.rows, self.heights, self.commands, self._taken, self._tall = [], [], [], set(), False
        return table

    def section(self, widths: Sequence[float] | None = None) -> None:
        """Closes the current block; `widths` gives the next block its own columns (no spans needed)."""
        if self.rows:
            self._done.append(self.table(box=False))
        if widths is not None:
            self.widths = widths

    def blocks(self) -> list[Flowable]:
        """The closed blocks as plain stacked tables (for a form kept on one page as a whole)."""
        self.section()
        done, self._done = self._done, []
        return list(done)

    def sections(self) -> list[Flowable]:
        """The closed blocks as stacked tables, each moved whole to the next page when it does not fit."""
        self.section()
        done, self._done = self._done, []
        return [KeepTogether([t]) for t in done]
