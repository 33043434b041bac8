"""How a field of a record dataclass declares itself once: its Chinese label and what it is for.

A record type's field is written `held_on: date | None = spec("谈话日期", None, date=True)`; storage
(columns, indexes, full-text documents), merge, imports, labels, list and ledger columns read the
declaration through `RecordType` instead of keeping lists of field names of their own.
"""

from __future__ import annotations

import dataclasses
import types
import typing
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

SPEC = "xuncha"  # the key of a FieldSpec in a dataclass field's metadata
_NO_DEFAULT: Any = dataclasses.MISSING


@dataclass(frozen=True)
class FieldSpec:
    """What one record field is: filled from `spec(...)`; `name` and `kind` are completed by `field_specs`."""

    label: str = ""  # the Chinese name forms, conflicts, the audit log and messages use
    short: str = ""  # a shorter header where columns are narrow ("" = the label)
    kind: str = ""  # text | date | flag | count | amount | list | json ("" = from the type hint)
    date: bool = False  # the date a list's date range and date order apply to (one per type)
    filter: bool = False  # offered as an equality filter of the list: indexed with the date
    indexed: bool = False  # looked up by equality (context, status, references): a single-column index
    searchable: bool = False  # fed to the full-text index
    set_valued: bool = False  # an unordered set: concurrent adds and removals merge instead of conflicting
    group_scoped: bool = False  # the group a record belongs to: a group's laptops receive it
    # The schema version that added the field to an existing type (0: there from the start). Such a field
    # is left out of a body while it holds its default, so the bodies written before it existed, and the
    # hashes and signatures over them, stay what they were (domain.codec.to_body).
    added_in: int = 0
    name: str = ""

    @property
    def header(self) -> str:
        return self.short or self.label


def spec(
    label: str = "",
    default: Any = _NO_DEFAULT,
    *,
    default_factory: Callable[[], Any] | None = None,
    short: str = "",
    kind: str = "",
    date: bool = False,
    filter: bool = False,
    indexed: bool = False,
    searchable: bool = False,
    set_valued: bool = False,
    group_scoped: bool = False,
    added_in: int = 0,
) -> Any:
    """A dataclass field with its FieldSpec; `default` or `default_factory` as for `dataclasses.field`."""
    meta = {
        SPEC: FieldSpec(
            label, short, kind, date, filter, indexed, searchable, set_valued, group_scoped, added_in
        )
    }
    if default_factory is not None:
        return dataclasses.field(default_factory=default_factory, metadata=meta)
    return dataclasses.field(default=default, metadata=meta)


def _kind(hint: Any) -> str:
    origin = typing.get_origin(hint)
    if origin in (types.UnionType, typing.Union):
        return _kind(next(a for a in typing.get_args(hint) if a is not type(None)))
    if origin is list:
        return "list" if typing.get_args(hint) == (str,) else "json"
    if origin is dict:
        return "json"
    simple = {bool: "flag", int: "count", Decimal: "amount", str: "text"}
    if hint in simple:
        return simple[hint]
    return "date" if getattr(hint, "__name__", "") == "date" else "text"


def field_specs(cls: type[Any]) -> tuple[FieldSpec, ...]:
    """Every field of the record dataclass `cls` but `id` and `meta`, in declaration order; a field
    declared without `spec` gets an empty one."""
    hints = typing.get_type_hints(cls)
    out = []
    for f in dataclasses.fields(cls):
        if f.name in ("id", "meta"):
            continue
        declared: FieldSpec = f.metadata.get(SPEC, FieldSpec())
        kind = declared.kind or _kind(hints[f.name])
        out.append(dataclasses.replace(declared, name=f.name, kind=kind))
    return tuple(out)


def label(cls: type[Any], name: str) -> str:
    """The declared label of field `name` of `cls` (for validation messages); the name if none."""
    for f in dataclasses.fields(cls):
        if f.name == name:
            found: FieldSpec | None = f.metadata.get(SPEC)
            return found.label if found and found.label else name
    raise KeyError(f"{cls.__name__} has no field {name!r}")


# The fields most record types share, declared once.
def number(*, searchable: bool = True) -> Any:
    return spec("编号", "", searchable=searchable)


def round_ref(label: str = "巡察轮次") -> Any:
    return spec(label, "", indexed=True)


def group_ref(label: str = "巡察组") -> Any:
    return spec(label, "", indexed=True, group_scoped=True)


def target_ref(label: str = "被巡察单位") -> Any:
    return spec(label, "", indexed=True)


def status(default: str) -> Any:
    return spec("状态", default, indexed=True, filter=True)


def marking() -> Any:
    return spec("密级标识", "工作秘密", short="密级")


def gender() -> Any:
    return spec("性别", "")


def birth_month() -> Any:
    return spec("出生年月", "")


def political_status(default: str = "") -> Any:
    return spec("政治面貌", default)


def disciplines() -> Any:
    return spec("涉及纪律", default_factory=list, set_valued=True)


def amount() -> Any:
    return spec("涉及金额（元）", Decimal("0"))
