"""cli.console: JSON is always UTF-8 whatever the stream's code page; text never fails on a rare character."""

from __future__ import annotations

import io
import json
import sys

from xuncha_desktop.cli.console import prepare_streams, print_json


def test_json_goes_out_as_utf8_even_on_a_gbk_stream(monkeypatch) -> None:
    raw = io.BytesIO()
    stream = io.TextIOWrapper(raw, encoding="gbk")
    monkeypatch.setattr(sys, "stdout", stream)
    print("前面的行")
    print_json({"姓名": "王䶮"})
    stream.flush()
    first, _, rest = raw.getvalue().partition(b"\n")
    assert first.decode("gbk") == "前面的行"
    assert json.loads(rest.decode("utf-8")) == {"姓名": "王䶮"}


def test_a_text_stream_takes_the_json_as_text(monkeypatch) -> None:
    out = io.StringIO()
    monkeypatch.setattr(sys, "stdout", out)
    print_json([1, "二"])
    assert out.getvalue() == '[\n  1,\n  "二"\n]\n'


def test_prepared_streams_replace_what_the_code_page_lacks(monkeypatch) -> None:
    raw = io.BytesIO()
    stream = io.TextIOWrapper(raw, encoding="gbk")
    monkeypatch.setattr(sys, "stdout", stream)
    monkeypatch.setattr(sys, "stderr", io.StringIO())
    prepare_streams()
    print("王䶮")
    stream.flush()
    assert raw.getvalue().decode("gbk") == "王?\n"
