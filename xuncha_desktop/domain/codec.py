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
from xuncha_desktop.domain.fields import SPEC


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


def encode_value(value: Any) -> Any:
    """One field's value as it is stored in a body (a date as ISO text, an amount as a string …)."""
    return _encode(value)


_ABSENT = object()
# Per class: (field name, the default a body leaves out or _ABSENT) for every body field (domain.fields
# added_in: a field added to an existing type is left out while it holds its default).
_BODY_FIELDS: dict[type[Any], tuple[tuple[str, Any], ...]] = {}


def _body_fields(cls: type[Any]) -> tuple[tuple[str, Any], ...]:
    if cls not in _BODY_FIELDS:
        out = []
        for f in dataclasses.fields(cls):
            if f.name in NON_BODY_FIELDS:
                continue
            declared = f.metadata.get(SPEC)
            omitted: Any = _ABSENT
            if declared is not None and declared.added_in:
                factory: Any = f.default_factory
                omitted = factory() if f.default is dataclasses.MISSING else f.default
            out.append((f.name, omitted))
        _BODY_FIELDS[cls] = tuple(out)
    return _BODY_FIELDS[cls]


def to_body(record: Any) -> dict[str, Any]:
    """The content of a record as JSON-able values (identity and metadata excluded)."""
    body = {}
    for name, omitted in _body_fields(type(record)):
        value = getattr(record, name)
        if omitted is _ABSENT or value != omitted:
            body[name] = _encode(value)
    return body


def _as_date(value: Any) -> Any:
    return None if value is None else date.fromisoformat(value)


def _as_decimal(value: Any) -> Any:
    return None if value is None else Decimal(value).quantize(Decimal("0.01"))


def _as_list(value: Any) -> Any:
    return None if value is None else list(value)


def _as_dict(value: Any) -> Any:
    return None if value is None else dict(value)


def _as_is(value: Any) -> Any:
    return value


def _decoder(tp: Any) -> Any:
    args = typing.get_args(tp)
    if args and type(None) in args:
        tp = next(a for a in args if a is not type(None))
    if tp is date:
        return _as_date
    if tp is Decimal:
        return _as_decimal
    if typing.get_origin(tp) is list:
        return _as_list
    if typing.get_origin(tp) is dict:
        return _as_dict
    return _as_is


# Per class: (field name, decoder) for every body field. Worked out once: bodies are decoded in bulk.
_DECODERS: dict[type[Any], tuple[tuple[str, Any], ...]] = {}


def _decoders(cls: type[Any]) -> tuple[tuple[str, Any], ...]:
    if cls not in _DECODERS:
        hints = typing.get_type_hints(cls)
        _DECODERS[cls] = tuple(
            (f.name, _decoder(hints[f.name]))
            for f in dataclasses.fields(cls)
            if f.name not in NON_BODY_FIELDS
        )
    return _DECODERS[cls]


_ADDED: dict[type[Any], frozenset[str]] = {}


def _added_fields(cls: type[Any]) -> frozenset[str]:
    if cls not in _ADDED:
        _ADDED[cls] = frozenset(name for name, omitted in _body_fields(cls) if omitted is not _ABSENT)
    return _ADDED[cls]


def from_body(cls: type[Any], body: dict[str, Any], **identity: Any) -> Any:
    """Build a record from a body; fields missing from an older body keep their defaults, and so does a
    field added later that a merge of an older and a newer revision left empty (None)."""
    added = _added_fields(cls)
    values = {
        name: decode(body[name])
        for name, decode in _decoders(cls)
        if name in body and (body[name] is not None or name not in added)
    }
    return cls(**values, **identity)
