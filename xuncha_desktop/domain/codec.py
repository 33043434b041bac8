"""Canonical JSON of record bodies: the exact bytes that revision hashes, packages and audits are built on."""

from __future__ import annotations

import dataclasses
import hashlib
import json
import typing
from datetime import date
from decimal import Decimal
from typing import Any

from xuncha_desktop.domain.common import NON_BODY_FIELDS


def canonical_json(value: Any) -> str:
    """Sorted keys, no spaces, UTF-8 text kept as is; no floats ever reach it (amounts are strings)."""
    return json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def sha256_hex(text: str | bytes) -> str:
    return hashlib.sha256(text.encode("utf-8") if isinstance(text, str) else text).hexdigest()


def _encode(value: Any) -> Any:
    if isinstance(value, bool) or value is None or isinstance(value, int | str):
        return value
    if isinstance(value, Decimal):
        return format(value.quantize(Decimal("0.01")), "f")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return [_encode(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _encode(v) for k, v in value.items()}
    raise TypeError(f"cannot encode {type(value).__name__} in a record body")


def to_body(record: Any) -> dict[str, Any]:
    """The content of a record as JSON-able values (identity and metadata excluded)."""
    return {
        f.name: _encode(getattr(record, f.name))
        for f in dataclasses.fields(record)
        if f.name not in NON_BODY_FIELDS
    }


_HINTS: dict[type[Any], dict[str, Any]] = {}  # get_type_hints is slow; bodies are decoded in bulk


def _hints(cls: type[Any]) -> dict[str, Any]:
    if cls not in _HINTS:
        _HINTS[cls] = typing.get_type_hints(cls)
    return _HINTS[cls]


def _decode(tp: Any, value: Any) -> Any:
    if value is None:
        return None
    args = typing.get_args(tp)
    if args and type(None) in args:
        return _decode(next(a for a in args if a is not type(None)), value)
    if tp is date:
        return date.fromisoformat(value)
    if tp is Decimal:
        return Decimal(value).quantize(Decimal("0.01"))
    if typing.get_origin(tp) is list:
        return list(value)
    if typing.get_origin(tp) is dict:
        return dict(value)
    return value


def from_body(cls: type[Any], body: dict[str, Any], **identity: Any) -> Any:
    """Build a record from a body; fields missing from an older body keep their defaults."""
    hints = _hints(cls)
    values = {
        f.name: _decode(hints[f.name], body[f.name])
        for f in dataclasses.fields(cls)
        if f.name in body and f.name not in NON_BODY_FIELDS
    }
    return cls(**values, **identity)
