"""Printed lines of a PDF as poppler sees them, and the line-breaking faults a reader notices at once:
a line starting with closing punctuation, a line ending with opening punctuation, a heading left alone at
the foot of a page. Deliberately independent of services/output/cjk_line_breaking (its own short lists)."""

from __future__ import annotations

import html
import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

# The punctuation issue #15 names; the writer's own lists are longer.
CLOSING = frozenset("，。、；：！？）》」』”’〉】〕…—,.;:!?)")
OPENING = frozenset("（《「『“‘〈【〔")
_PAGE_NUMBER = re.compile(r"^[—-]\s*\d+\s*[—-]$")
_ONLY_DASHES = re.compile(r"^[—…\-\s]+$")  # a cell holding just "—" or "……" as its value
_HEADING = re.compile(r"^(?:[一二三四五六七八九十]+、|（[一二三四五六七八九十]+）)\S{1,30}$")
_BOTTOM_MARGIN = 99.0  # 35 mm: what lies below is page furniture (page number, footer mark)

_PAGE = re.compile(r'<page width="[\d.]+" height="([\d.]+)">(.*?)</page>', re.S)
_LINE = re.compile(r'<line xMin="[\d.]+" yMin="([\d.]+)" xMax="[\d.]+" yMax="([\d.]+)">(.*?)</line>', re.S)
_WORD = re.compile(r"<word [^>]*>(.*?)</word>")


@dataclass(frozen=True)
class PrintedLine:
    page: int
    text: str
    y_min: float
    y_max: float
    in_type_area: bool


def printed_lines(path: Path) -> list[PrintedLine]:
    """Every physical line of text (a table cell's lines separately), from `pdftotext -bbox-layout`."""
    out = subprocess.run(
        ["pdftotext", "-bbox-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    lines = []
    for number, (height, body) in enumerate(_PAGE.findall(out), start=1):
        for y_min, y_max, words in _LINE.findall(body):
            text = " ".join(html.unescape(w) for w in _WORD.findall(words)).strip()
            if text:
                in_area = float(y_max) < float(height) - _BOTTOM_MARGIN
                lines.append(PrintedLine(number, text, float(y_min), float(y_max), in_area))
    return lines


def break_faults(lines: list[PrintedLine]) -> list[str]:
    faults = []
    for line in lines:
        text = line.text
        if _PAGE_NUMBER.match(text) or _ONLY_DASHES.match(text):
            continue
        if text[0] in CLOSING:
            faults.append(f"第{line.page}页行首标点：{text}")
        if text[-1] in OPENING:
            faults.append(f"第{line.page}页行尾标点：{text}")
    return faults


def lone_headings(lines: list[PrintedLine]) -> list[str]:
    """A heading that is the last line of the type area on a page that is followed by another page."""
    last_page = max((line.page for line in lines), default=0)
    lowest: dict[int, PrintedLine] = {}
    for line in lines:
        if line.in_type_area and (line.page not in lowest or line.y_max > lowest[line.page].y_max):
            lowest[line.page] = line
    return [
        f"第{page}页页末孤立标题：{line.text}"
        for page, line in sorted(lowest.items())
        if page < last_page and _HEADING.match(line.text)
    ]


def pdf_faults(path: Path) -> list[str]:
    """Line-breaking faults and lone headings of one PDF, each naming the page and the line."""
    lines = printed_lines(path)
    return break_faults(lines) + lone_headings(lines)


def have_poppler() -> bool:
    return shutil.which("pdftotext") is not None
