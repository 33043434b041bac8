"""Chinese line-breaking rules (禁则) for wrapped text: where a line may end, and greedy filling by width.

No line starts with closing punctuation (，。、；：！？）》」』”’ …) and none ends with an opening one
(（《「『“‘ …); a Latin word or a number (2025, 12.5%, A-3) is not cut. When the character that no longer
fits may not start a line, characters are pushed down to the next line until the break is allowed (the
line is then one or two characters short, as typesetters do); only where no allowed break exists on the
whole line is it cut where the width ends. Qt-free and reportlab-free: the PDF writers feed it widths.
"""

from __future__ import annotations

from collections.abc import Sequence

# 行首禁则: closing brackets and quotes, stops, pause marks, 间隔号, 连接号, ellipsis and dash (which must
# also never be split in two), full-width and ASCII forms, and the small kana/iteration marks CJK text uses.
NO_LINE_START = frozenset(
    "，。、；：！？）》」』”’〉】〕〗〙〛｝］｠…—–―·・‧﹏～％‰℃°′″"
    ",.;:!?)]}%"
    "々〻ぁぃぅぇぉっゃゅょゎァィゥェォッャュョヮヵヶー゛゜ヽヾゝゞ"
    "﹐﹑﹒﹔﹕﹖﹗﹚﹜﹞"
)
# 行尾禁则: opening brackets and quotes, and prefixes that belong to what follows them.
NO_LINE_END = frozenset("（《「『“‘〈【〔〖〘〚｛［｟([{￥$£€＄＠#§№﹙﹛﹝")
# Characters of a Latin word or a number, which stays whole on one line when possible.
_WORD = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_")
_FUZZ = 1e-6
HANG_LIMIT = 2  # at most this many characters may run past the width when nothing else is allowed


def may_break(text: str, at: int) -> bool:
    """True when a line may end between text[at - 1] and text[at]."""
    if at <= 0 or at >= len(text):
        return True
    before, after = text[at - 1], text[at]
    if before == "\n":
        return True
    if after in NO_LINE_START or before in NO_LINE_END:
        return False
    return not (before in _WORD and after in _WORD)


def line_starts_badly(line: str) -> bool:
    """A printed line that begins with punctuation which may not begin a line."""
    stripped = line.lstrip(" \u3000\xa0")
    return bool(stripped) and stripped[0] in NO_LINE_START


def line_ends_badly(line: str) -> bool:
    """A printed line that ends with punctuation which may not end a line."""
    stripped = line.rstrip(" \u3000\xa0")
    return bool(stripped) and stripped[-1] in NO_LINE_END


def break_lines(
    text: str, widths: Sequence[float], max_widths: Sequence[float] | float
) -> list[tuple[int, int]]:
    """(start, end) of each line of `text` filled greedily into `max_widths` (per line, the last repeats).

    `widths[i]` is the advance of text[i]; a "\\n" ends its line (it belongs to that line). Spaces at
    which a line ends stay on it (the caller trims them when drawing).
    """
    limits = [max_widths] if isinstance(max_widths, (int, float)) else list(max_widths) or [0.0]
    n = len(text)
    lines: list[tuple[int, int]] = []
    start = i = 0
    used = 0.0
    while i < n:
        if text[i] == "\n":
            lines.append((start, i + 1))
            start = i = i + 1
            used = 0.0
            continue
        limit = limits[min(len(lines), len(limits) - 1)]
        if used + widths[i] > limit + _FUZZ and i > start and not text[i].isspace():
            end = _line_end(text, start, i)
            lines.append((start, end))
            start = i = end
            used = 0.0
            continue
        used += widths[i]
        i += 1
    if start < n or not lines:
        lines.append((start, n))
    return lines


def _line_end(text: str, start: int, overflow: int) -> int:
    """Where the line from `start` ends, given that text[overflow] no longer fits on it."""
    for at in range(overflow, start, -1):
        if may_break(text, at):
            return at
    for at in range(overflow + 1, min(overflow + HANG_LIMIT, len(text)) + 1):
        if may_break(text, at):
            return at
    return overflow
