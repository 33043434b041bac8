"""Text stored zlib-compressed where that is smaller, read back as exactly the text that was written.

Revision bodies are canonical JSON whose hash and signature are over the text itself: they are compressed
only in the file (a BLOB in the TEXT column) and every read gives the canonical text again, so hashes and
signatures are checked on the decompressed body as before. Rows written before compression (TEXT values)
read unchanged, and a short body that zlib would not shrink stays plain text.
"""

from __future__ import annotations

import zlib
from typing import Any

from sqlalchemy import Text, TypeDecorator

LEVEL = 9  # bodies are written once and read often: the dearest level costs little


def pack(text: str) -> str | bytes:
    """What the file holds for `text`: its zlib stream when that is smaller, else the text."""
    raw = text.encode("utf-8")
    packed = zlib.compress(raw, LEVEL)
    return packed if len(packed) < len(raw) else text


def unpack(value: str | bytes) -> str:
    """The text of a stored value, compressed (bytes) or not (str)."""
    if isinstance(value, str):
        return value
    return zlib.decompress(value).decode("utf-8")


class CompressedText(TypeDecorator[str]):
    """A TEXT column whose values the file holds compressed (the DDL stays TEXT: no schema change)."""

    impl = Text
    cache_ok = True

    def process_bind_param(self, value: str | None, dialect: Any) -> str | bytes | None:
        return None if value is None else pack(value)

    def process_result_value(self, value: str | bytes | None, dialect: Any) -> str | None:
        if value is None:
            return None
        try:
            return unpack(value)
        except (zlib.error, UnicodeDecodeError):
            # Damaged bytes: an empty text, which no canonical body's hash matches, so the integrity
            # check names the revision instead of every reader failing on it.
            return ""
