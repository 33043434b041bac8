"""The content of a report, independent of how it is written: a title, lines under it, headings of three
levels, paragraphs (an optional bold lead-in, then text), tables and an appendix. The .docx and PDF writers
both read this and nothing else, so the two outputs of one report say the same."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

CHINESE_NUMERALS = "一二三四五六七八九十"


@dataclass(frozen=True)
class Heading:
    """一、 (level 1, 黑体), （一） (level 2, 楷体), 1． (level 3, 仿宋 bold); the number is in the text."""

    level: int
    text: str
    kind: str = "heading"


@dataclass(frozen=True)
class Paragraph:
    """A body paragraph; `lead` is printed bold before `text` (三段式: 问题表现：… 定性分析：…)."""

    text: str
    lead: str = ""
    kind: str = "paragraph"


@dataclass(frozen=True)
class Table:
    """A ruled table: a header row (none for a form) and rows of text cells; `widths` are shares of the
    type width; with `label_column` the first column holds labels (a form such as the 审批单)."""

    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    widths: tuple[float, ...] = ()
    label_column: bool = False
    kind: str = "table"

    def __post_init__(self) -> None:
        if not self.header and not self.widths:
            raise ValueError("a table without a header row needs its widths")
        if self.header and self.widths and len(self.widths) != len(self.header):
            raise ValueError("one width per column")
        if any(len(row) != self.columns for row in self.rows):
            raise ValueError("every row needs one cell per column")

    @property
    def columns(self) -> int:
        return len(self.header) or len(self.widths)

    def shares(self) -> tuple[float, ...]:
        """Each column's share of the width: as given, else equal."""
        return self.widths or tuple(1 / self.columns for _ in range(self.columns))


Block = Heading | Paragraph | Table


@dataclass(frozen=True)
class Appendix:
    """附件: its label (附件 or 附件1), its title and its table, printed after the text on a new page."""

    title: str
    table: Table
    label: str = "附件"


@dataclass(frozen=True)
class Report:
    """One document. `kind` is the report kind (inspection, top-leader, feedback, approval); `records` says
    how many records it rests on (the audit entry's count); `marking` is printed at the top left."""

    kind: str
    title: str
    blocks: tuple[Block, ...]
    meta: tuple[str, ...] = ()
    marking: str = ""
    appendix: Appendix | None = None
    records: int = 0
    signature: tuple[str, ...] = ()  # right-aligned lines at the end: who writes, the date

    def headings(self) -> list[Heading]:
        return [b for b in self.blocks if isinstance(b, Heading)]


def numeral(n: int) -> str:
    """1 → 一, 10 → 十, 11 → 十一, 23 → 二十三 (headings count up to a few dozen)."""
    if n <= 10:
        return CHINESE_NUMERALS[n - 1]
    tens, ones = divmod(n, 10)
    head = "" if tens == 1 else CHINESE_NUMERALS[tens - 1]
    return f"{head}十{CHINESE_NUMERALS[ones - 1] if ones else ''}"


@dataclass
class Outline:
    """Numbers headings as GB/T 9704 does: 一、 then （一） then 1． then （1）, each restarting under its
    parent."""

    blocks: list[Block] = field(default_factory=list)
    _counts: list[int] = field(default_factory=lambda: [0, 0, 0, 0])

    def heading(self, level: int, text: str) -> None:
        self._counts[level - 1] += 1
        for deeper in range(level, len(self._counts)):
            self._counts[deeper] = 0
        n = self._counts[level - 1]
        prefix = {1: f"{numeral(n)}、", 2: f"（{numeral(n)}）", 3: f"{n}．"}[level]
        self.blocks.append(Heading(level, prefix + text))

    def item(self) -> str:
        """The next （1） under the current heading, for a numbered paragraph."""
        self._counts[3] += 1
        return f"（{self._counts[3]}）"

    def paragraph(self, text: str, lead: str = "") -> None:
        self.blocks.append(Paragraph(text, lead))

    def paragraphs(self, texts: Sequence[str]) -> None:
        for text in texts:
            self.paragraph(text)

    def table(self, table: Table) -> None:
        self.blocks.append(table)
