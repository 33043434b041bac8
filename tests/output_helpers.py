"""Helpers for output tests: a progress that cancels on cue, and PDFs read back with poppler and pypdf."""

from __future__ import annotations

import html
import re
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

from xuncha_desktop.services.progress import Cancelled


@dataclass
class RecordingProgress:
    """Records reports; raises Cancelled on the `cancel_at`-th check (never when it is 0)."""

    cancel_at: int = 0
    checks: int = 0
    reports: list[tuple[int, int, str]] = field(default_factory=list)

    def report(self, done: int, total: int, message: str = "") -> None:
        self.reports.append((done, total, message))

    def check_cancelled(self) -> None:
        self.checks += 1
        if self.cancel_at and self.checks >= self.cancel_at:
            raise Cancelled


def pdf_text(path: Path, page: int | None = None, layout: bool = False) -> str:
    args = ["pdftotext", "-enc", "UTF-8"]
    if page is not None:
        args += ["-f", str(page), "-l", str(page)]
    if layout:
        args.append("-layout")
    return subprocess.run([*args, str(path), "-"], capture_output=True, text=True, check=True).stdout


@dataclass(frozen=True)
class Word:
    page: int
    text: str
    x_min: float
    y_min: float
    x_max: float
    page_width: float


_PAGE = re.compile(r'<page width="([\d.]+)" height="([\d.]+)">(.*?)</page>', re.S)
_WORD = re.compile(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="[\d.]+">(.*?)</word>')


def pdf_words(path: Path) -> list[Word]:
    """Every word with its box (points from the top left), from `pdftotext -bbox`."""
    out = subprocess.run(
        ["pdftotext", "-bbox", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    words = []
    for number, (width, _height, body) in enumerate(_PAGE.findall(out), start=1):
        for x_min, y_min, x_max, text in _WORD.findall(body):
            words.append(
                Word(number, html.unescape(text), float(x_min), float(y_min), float(x_max), float(width))
            )
    return words


def pdf_fonts(path: Path) -> list[tuple[str, str, str]]:
    """(name, type, embedded) per font from `pdffonts`."""
    out = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout
    rows = []
    for line in out.splitlines()[2:]:
        parts = line.split()
        # name, type (one or two words), encoding, emb, sub, uni, object, id
        rows.append((parts[0], " ".join(parts[1:-6]), parts[-5]))
    return rows
