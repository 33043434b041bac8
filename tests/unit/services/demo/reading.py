"""Reading a demo workspace back, for the demo tests of every module."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from xuncha_desktop.domain.record_types import RecordType
from xuncha_desktop.services.records.record_service import ListQuery, RecordService
from xuncha_desktop.services.workspace import Workspace


def all_records(ws: Workspace, rt: RecordType) -> list[Any]:
    return RecordService(ws, rt).list(ListQuery(limit=None))


def strings(value: Any) -> Iterator[str]:
    """Every string inside a record value: nested dicts and lists included."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for v in value.values():
            yield from strings(v)
    elif isinstance(value, list):
        for v in value:
            yield from strings(v)
