"""TrueType fonts for printed PDFs: discovery, registration, and text setting with per-character fallback."""

from __future__ import annotations

import hashlib
import os
import struct
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from xml.sax.saxutils import escape

from reportlab.pdfbase import pdfmetrics, ttfonts
from reportlab.pdfbase.ttfonts import TTFError, TTFont

from xuncha_desktop.domain.errors import XunchaError
from xuncha_desktop.shipped import shipped_path

BUNDLED_FONT = "wqy-microhei.ttc"
SYSTEM_COPY_OF_BUNDLED = Path("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc")
PLACEHOLDER = "□"  # drawn for a character no font has; the text layer still carries the real character
_PLACEHOLDER_FONT = "XC-missing-glyph"
_PLACEHOLDER_FACE = b"XunchaMissingGlyph"


class FontError(XunchaError):
    """No usable Chinese TrueType font was found."""


@dataclass(frozen=True)
class Candidate:
    """A font file looked for by name (case-insensitive) in the font folders."""

    file_name: str
    family: str
    subfont: int = 0


# Preferred files per role, best first: office installs (仿宋_GB2312), Windows, Office 华文 fonts, Linux.
ROLE_CANDIDATES: dict[str, tuple[Candidate, ...]] = {
    "body": (
        Candidate("仿宋_GB2312.ttf", "仿宋_GB2312"),
        Candidate("FS_GB2312.ttf", "仿宋_GB2312"),
        Candidate("simfang.ttf", "仿宋"),
        Candidate("STFANGSO.TTF", "华文仿宋"),
        Candidate("STFangsong.ttf", "华文仿宋"),
    ),
    "heading": (
        Candidate("simhei.ttf", "黑体"),
        Candidate("STXIHEI.TTF", "华文细黑"),
        Candidate("msyh.ttc", "微软雅黑"),
        Candidate("wqy-zenhei.ttc", "文泉驿正黑"),
    ),
    "kai": (
        Candidate("楷体_GB2312.ttf", "楷体_GB2312"),
        Candidate("KAITI_GB2312.ttf", "楷体_GB2312"),
        Candidate("simkai.ttf", "楷体"),
        Candidate("STKAITI.TTF", "华文楷体"),
        Candidate("LXGWWenKai-Regular.ttf", "霞鹜文楷"),
        Candidate("ukai.ttc", "文鼎PL中楷"),
        Candidate("gkai00mp.ttf", "文鼎PL简中楷"),
    ),
    "title": (
        Candidate("方正小标宋简体.ttf", "方正小标宋简体"),
        Candidate("FZXBSJW.TTF", "方正小标宋简体"),
        Candidate("FZXBSK.TTF", "方正小标宋简体"),
        Candidate("STZHONGS.TTF", "华文中宋"),
        Candidate("simsun.ttc", "宋体"),
        Candidate("uming.ttc", "文鼎PL明体"),
    ),
    "number": (
        Candidate("simsun.ttc", "宋体"),
        Candidate("STSONG.TTF", "华文宋体"),
        Candidate("uming.ttc", "文鼎PL明体"),
    ),
}


# Free faces shipped in resources/fonts (TrueType outlines converted from the Fandol OTFs, see its README):
# used for a role when the machine has none of that role's own fonts, before any stand-in. `substitute`:
# the face is only a stand-in for the style (a bold 宋体 for 小标宋), so the user is still told.
@dataclass(frozen=True)
class BundledFace:
    file_name: str
    family: str
    substitute: bool = False


BUNDLED_ROLE_FACES: dict[str, BundledFace] = {
    "body": BundledFace("FandolFang-Regular.ttf", "Fandol仿宋"),
    "kai": BundledFace("FandolKai-Regular.ttf", "Fandol楷体"),
    "title": BundledFace("FandolSong-Bold.ttf", "Fandol粗宋", substitute=True),
}
# Which role stands in when none of a role's own fonts is installed (the rest fall to the default font).
ROLE_STAND_IN = {"title": "heading", "kai": "body", "number": "body"}
ROLE_LABELS = {
    "body": "正文（仿宋）",
    "heading": "标题（黑体）",
    "kai": "小标题（楷体）",
    "title": "大标题（小标宋）",
    "number": "页码（宋体）",
}

# Looked at only when a character is missing from every role font (rare name characters, symbols).
FALLBACK_CANDIDATES = (
    Candidate("simsun.ttc", "宋体"),
    Candidate("simsunb.ttf", "宋体-方正超大字符集"),
    Candidate("msyh.ttc", "微软雅黑"),
    Candidate("HanaMinA.ttf", "花园明朝A"),
    Candidate("HanaMinB.ttf", "花园明朝B"),
    Candidate("wqy-zenhei.ttc", "文泉驿正黑"),
    Candidate("uming.ttc", "文鼎PL明体"),
    Candidate("seguisym.ttf", "Segoe UI Symbol"),
    Candidate("DejaVuSans.ttf", "DejaVu Sans"),
)
LATIN_ONLY = frozenset({"seguisym.ttf", "DejaVuSans.ttf"})


@dataclass(frozen=True)
class FontFace:
    """One registered TrueType face: its reportlab name, what to tell the user, and where it came from."""

    name: str
    family: str
    path: Path
    subfont: int = 0
    bundled: bool = False

    @property
    def source(self) -> str:
        return "随程序附带" if self.bundled else str(self.path)


@dataclass(frozen=True)
class FontSet:
    """The faces a document is set in, per role; `substitutes`: roles whose preferred style is absent."""

    body: FontFace
    heading: FontFace
    kai: FontFace
    title: FontFace
    number: FontFace
    fallbacks: tuple[FontFace, ...] = ()
    substitutes: frozenset[str] = frozenset()
    search_dirs: tuple[Path, ...] = field(default=(), compare=False)

    def role(self, role: str) -> FontFace:
        face: FontFace = getattr(self, role)
        return face

    def used(self) -> str:
        """Which face sets which role, for the PDF's document information (no machine paths):
        正文 Fandol仿宋（随程序附带）；标题 黑体（simhei.ttf）；…"""
        parts = []
        for role, label in ROLE_LABELS.items():
            face = self.role(role)
            where = "随程序附带" if face.bundled else face.path.name
            note = "，替代" if role in self.substitutes else ""
            parts.append(f"{label.split('（')[0]} {face.family}（{where}{note}）")
        return "；".join(parts)

    def describe(self) -> list[str]:
        """One line per role for settings, e.g. 正文（仿宋）：仿宋（C:\\Windows\\Fonts\\simfang.ttf）."""
        lines = []
        for role, label in ROLE_LABELS.items():
            face = self.role(role)
            note = "，替代" if role in self.substitutes else ""
            lines.append(f"{label}：{face.family}（{face.source}{note}）")
        return lines


# -- discovery -----------------------------------------------------------------------------------------


def bundled_font_dir() -> Path:
    """resources/fonts as installed (wheel, editable, checkout or the PyInstaller folder): see shipped.py."""
    return shipped_path("resources", "fonts")


def default_font_dirs() -> tuple[Path, ...]:
    home = Path.home()
    if sys.platform == "win32":
        windir = Path(os.environ.get("WINDIR", r"C:\Windows"))
        local = Path(os.environ.get("LOCALAPPDATA", str(home / "AppData" / "Local")))
        return (windir / "Fonts", local / "Microsoft" / "Windows" / "Fonts")
    if sys.platform == "darwin":
        return (Path("/System/Library/Fonts"), Path("/Library/Fonts"), home / "Library" / "Fonts")
    return (
        Path("/usr/share/fonts"),
        Path("/usr/local/share/fonts"),
        home / ".local/share/fonts",
        home / ".fonts",
    )


@cache
def _index(dirs: tuple[Path, ...]) -> dict[str, Path]:
    """Lower-case file name → first path found; one walk per set of folders."""
    found: dict[str, Path] = {}
    for top in dirs:
        for root, _dirs, files in os.walk(top):
            for name in files:
                found.setdefault(name.lower(), Path(root) / name)
    return found


_LOADED: dict[tuple[str, int], str | None] = {}  # (path, subfont) → registered name, None when rejected


def _register(path: Path, subfont: int) -> str | None:
    """Register a face once per process; None for CFF-outline, damaged or unreadable files."""
    key = (str(path), subfont)
    if key not in _LOADED:
        name = f"XC-{hashlib.sha1(key[0].encode()).hexdigest()[:10]}-{subfont}"
        try:
            pdfmetrics.registerFont(TTFont(name, str(path), subfontIndex=subfont))
        except (TTFError, OSError, ValueError, IndexError, KeyError, struct.error):
            # reportlab refuses PostScript (CFF) outlines such as Noto CJK; such a file is simply not usable
            _LOADED[key] = None
        else:
            _LOADED[key] = name
    return _LOADED[key]


def _face(candidate: Candidate, index: dict[str, Path]) -> FontFace | None:
    path = index.get(candidate.file_name.lower())
    if path is None:
        return None
    name = _register(path, candidate.subfont)
    return None if name is None else FontFace(name, candidate.family, path, candidate.subfont)


def _machine_cjk_faces() -> Iterable[Candidate]:
    """Every Chinese face known here by file name, role fonts first (symbol and Latin faces left out)."""
    for candidates in ROLE_CANDIDATES.values():
        yield from candidates
    yield from (c for c in FALLBACK_CANDIDATES if c.file_name not in LATIN_ONLY)


def default_face(bundled_dir: Path | None = None, index: dict[str, Path] | None = None) -> FontFace:
    """The bundled font (or the system's copy of it): the face that is always there. Should an installation
    have lost it, any Chinese face of the machine's (`index`) stands in before printing is refused."""
    bundled = (bundled_dir or bundled_font_dir()) / BUNDLED_FONT
    for path, is_bundled in ((bundled, True), (SYSTEM_COPY_OF_BUNDLED, False)):
        if path.is_file():
            name = _register(path, 0)
            if name is not None:
                return FontFace(name, "文泉驿微米黑", path, 0, bundled=is_bundled)
    for candidate in _machine_cjk_faces():
        face = _face(candidate, index or {})
        if face is not None:
            return face
    raise FontError(
        "找不到可嵌入 PDF 的中文字体：程序附带的字体文件缺失，"
        "本机也没有仿宋、黑体、宋体等中文字体，请重新安装本程序"
    )


def load_fonts(
    search_dirs: Sequence[Path] | None = None, bundled_dir: Path | None = None, *, prefer_system: bool = True
) -> FontSet:
    """Registers the machine's own 仿宋/黑体/楷体/小标宋 where installed, else the bundled font."""
    dirs = tuple(search_dirs) if search_dirs is not None else default_font_dirs()
    index = _index(dirs) if prefer_system else {}
    default = default_face(bundled_dir, _index(dirs))
    chosen: dict[str, FontFace] = {}
    substitutes = set()
    for role in ("body", "heading", "kai", "title", "number"):
        face = next((f for c in ROLE_CANDIDATES[role] if (f := _face(c, index)) is not None), None)
        if face is None and role in BUNDLED_ROLE_FACES:
            face = bundled_role_face(BUNDLED_ROLE_FACES[role], bundled_dir or bundled_font_dir())
            if face is not None and BUNDLED_ROLE_FACES[role].substitute:
                substitutes.add(role)
        if face is None:
            substitutes.add(role)
            stand_in = ROLE_STAND_IN.get(role)
            face = chosen[stand_in] if stand_in else default
        chosen[role] = face
    return FontSet(**chosen, fallbacks=(default,), substitutes=frozenset(substitutes), search_dirs=dirs)


def bundled_role_face(bundled: BundledFace, folder: Path) -> FontFace | None:
    """A shipped role face, or None when the installation lacks it (printing then uses a stand-in)."""
    path = folder / bundled.file_name
    name = _register(path, 0) if path.is_file() else None
    return None if name is None else FontFace(name, bundled.family, path, 0, bundled=True)


def extra_fallbacks(fonts: FontSet) -> Iterable[FontFace]:
    """Further installed faces, registered only when a character is missing from every face already in use."""
    index = _index(fonts.search_dirs)
    for candidate in FALLBACK_CANDIDATES:
        face = _face(candidate, index)
        if face is not None:
            yield face


# -- text setting --------------------------------------------------------------------------------------


def _coverage(font_name: str) -> frozenset[str]:
    covered = _COVERAGE.get(font_name)
    if covered is None:
        covered = frozenset(chr(c) for c in pdfmetrics.getFont(font_name).face.charToGlyph)
        _COVERAGE[font_name] = covered
    return covered


_COVERAGE: dict[str, frozenset[str]] = {}
# Invisible formatting characters have no glyph anywhere; they are dropped, tabs become spaces.
_CLEAN = str.maketrans(
    {"\t": " ", "\r": None, "\u200b": None, "\u200c": None, "\u200d": None, "\ufeff": None}
)


def _placeholder_font(base: FontFace) -> TTFont:
    """A private copy of the default face whose unknown characters all show the □ glyph.

    Mapping a missing code point to □ in this copy keeps the real character in the PDF's text layer
    (pdftotext and search still find it) while the page shows a visible gap to fill in by hand.
    """
    try:
        font = pdfmetrics.getFont(_PLACEHOLDER_FONT)
    except KeyError:
        font = TTFont(_PLACEHOLDER_FONT, str(base.path), subfontIndex=base.subfont)
        # reportlab merges faces of the same name; this one must stay apart
        font.face.name = _PLACEHOLDER_FACE
        pdfmetrics.registerFont(font)
    assert isinstance(font, TTFont)
    return font


def _mark_missing(base: FontFace, char: str) -> None:
    face = _placeholder_font(base).face
    box = ord(PLACEHOLDER)
    face.charToGlyph.setdefault(ord(char), face.charToGlyph[box])
    face.charWidths.setdefault(ord(char), face.charWidths[box])


class Typesetter:
    """Sets plain text in one FontSet: escapes it for Paragraph markup, wraps characters the chosen face lacks
    in the first face that has them, and collects characters no face has (per record) for the caller."""

    def __init__(self, fonts: FontSet) -> None:
        self.fonts = fonts
        self.record = ""  # the record being set, named in the missing-character report
        self.missing: dict[str, list[str]] = {}
        self._fallbacks = [
            f.name for f in (fonts.body, fonts.heading, fonts.kai, fonts.title, *fonts.fallbacks)
        ]
        self._extras_loaded = False
        self._choice: dict[tuple[str, str], str | None] = {}

    def runs(self, text: str, font: str) -> list[tuple[str, str]]:
        """(font name, text) pieces: `font` where it has the glyph, else another face or the placeholder."""
        text = text.translate(_CLEAN)
        if _coverage(font).issuperset(text):
            return [(font, text)] if text else []
        out: list[tuple[str, str]] = []
        covered = _coverage(font)
        for char in text:
            face = font if char in covered or char == "\n" else self._face_for(font, char)
            if out and out[-1][0] == face:
                out[-1] = (face, out[-1][1] + char)
            else:
                out.append((face, char))
        return out

    def covers(self, text: str, font: str) -> bool:
        """True when `font` alone has every character of `text` (so it can be drawn without fallback)."""
        return _coverage(font).issuperset(text.translate(_CLEAN).replace("\n", ""))

    def markup(self, text: str, font: str) -> str:
        """Paragraph markup of `text` (no tags of its own) for a style whose font is `font`."""
        text = text.translate(_CLEAN)
        if _coverage(font).issuperset(text):
            return escape(text)
        return "".join(
            escape(chunk) if face == font else f'<font name="{face}">{escape(chunk)}</font>'
            for face, chunk in self.runs(text, font)
        )

    def _face_for(self, font: str, char: str) -> str:
        key = (font, char)
        if key not in self._choice:
            self._choice[key] = self._search(char)
        chosen = self._choice[key]
        if chosen is None:
            records = self.missing.setdefault(char, [])
            if self.record and self.record not in records:
                records.append(self.record)
            _mark_missing(self.fonts.fallbacks[0] if self.fonts.fallbacks else self.fonts.body, char)
            return _PLACEHOLDER_FONT
        return chosen

    def _search(self, char: str) -> str | None:
        for name in self._fallbacks:
            if char in _coverage(name):
                return name
        if not self._extras_loaded:
            self._extras_loaded = True
            self._fallbacks += [f.name for f in extra_fallbacks(self.fonts) if f.name not in self._fallbacks]
            return self._search(char)
        return None


# -- reportlab fix-up ----------------------------------------------------------------------------------


def _to_unicode_cmap(fontname: str, subset: list[int]) -> str:
    """reportlab writes <20BB7> for characters beyond U+FFFF; a ToUnicode CMap needs UTF-16BE (<D842DFB7>)."""
    text: str = _ORIGINAL_CMAP(fontname, [0] * len(subset))
    head, rest = text.split("beginbfchar", 1)
    tail = rest.split("endbfchar", 1)[1]
    entries = "\n".join(
        f"<{i:02X}> <{chr(v).encode('utf-16-be').hex().upper()}>" for i, v in enumerate(subset)
    )
    return f"{head}beginbfchar\n{entries}\nendbfchar{tail}"


_ORIGINAL_CMAP = getattr(ttfonts, "_xuncha_original_cmap", ttfonts.makeToUnicodeCMap)
ttfonts._xuncha_original_cmap = _ORIGINAL_CMAP
ttfonts.makeToUnicodeCMap = _to_unicode_cmap
