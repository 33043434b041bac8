"""Standard output and error of the command line, the same on a Windows console, a pipe and a file.

On Windows a redirected stream (`> 结果.txt`, a pipe into another program) is encoded in the ANSI code page
(GBK on a Chinese system), which has no 䶮 and other rare characters of names: printing one raised
UnicodeEncodeError after the command had done its work. Text keeps the stream's own encoding, so a console
and GBK tools read it, with a replacement mark for what it cannot hold; JSON, which programs read, is always
UTF-8 whatever the code page.
"""

from __future__ import annotations

import io
import json
import sys
from typing import Any


def prepare_streams() -> None:
    """Never fail on a character the stream's encoding lacks (the windowed .exe has no streams at all)."""
    for stream in (sys.stdout, sys.stderr):
        if isinstance(stream, io.TextIOWrapper):
            stream.reconfigure(errors="replace")


def print_json(data: Any) -> None:
    """`data` as indented JSON in UTF-8, one document followed by a line break."""
    text = json.dumps(data, ensure_ascii=False, indent=2) + "\n"
    out = sys.stdout
    buffer = getattr(out, "buffer", None)
    if buffer is None:  # a stream without bytes underneath (tests' StringIO): it takes text
        out.write(text)
        return
    out.flush()  # whatever was printed before stays before
    buffer.write(text.encode("utf-8"))
    buffer.flush()
