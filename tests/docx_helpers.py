"""Reading a generated .docx back with python-docx: a style's East-Asian face, size, bold and line pitch
as Word and WPS will see them, the headings in order, the tables as text."""

from __future__ import annotations

import subprocess
from dataclasses import dataclass
from pathlib import Path

import docx
from docx.document import Document
from docx.oxml.ns import qn
from docx.shared import Length

HEADINGS = {"Heading 1": 1, "Heading 2": 2, "Heading 3": 3}


@dataclass(frozen=True)
class StyleFonts:
    east_asian: str
    latin: str
    size_pt: float
    bold: bool
    pitch_pt: float | None  # exact line pitch, None when not exact
    first_line_chars: int


def style_fonts(doc: Document, name: str) -> StyleFonts:
    style = doc.styles[name]
    fonts = style.element.rPr.find(qn("w:rFonts"))
    pf = style.paragraph_format
    exact = pf.line_spacing if isinstance(pf.line_spacing, Length) else None
    ind = style.element.pPr.find(qn("w:ind")) if style.element.pPr is not None else None
    chars = int(ind.get(qn("w:firstLineChars"), "0")) // 100 if ind is not None else 0
    return StyleFonts(
        fonts.get(qn("w:eastAsia")),
        fonts.get(qn("w:ascii")),
        style.font.size.pt,
        bool(style.font.bold),
        exact.pt if exact is not None else None,
        chars,
    )


def open_docx(path: Path) -> Document:
    return docx.Document(str(path))


def headings(doc: Document) -> list[tuple[int, str]]:
    return [(HEADINGS[p.style.name], p.text) for p in doc.paragraphs if p.style.name in HEADINGS]


def table_texts(doc: Document, index: int) -> list[list[str]]:
    return [[cell.text for cell in row.cells] for row in doc.tables[index].rows]


def to_pdf_with_libreoffice(files: list[Path], out: Path, profile: Path) -> list[Path]:
    """LibreOffice Writer headless, with a private profile (never the user's), converting in one start."""
    subprocess.run(
        [
            "soffice",
            f"-env:UserInstallation={profile.as_uri()}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(out),
            *map(str, files),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    return [out / f"{f.stem}.pdf" for f in files]


def pdf_text(path: Path) -> str:
    """pdftotext's text without layout spaces and line breaks."""
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    return "".join(text.split())
