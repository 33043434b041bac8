"""Pieces shared by every domain record: metadata, the body/identity split and validation helpers."""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any, Protocol

from xuncha_desktop.domain.errors import FieldError
from xuncha_desktop.domain.fields import label as declared_label

# Fields that are not part of a record's content (the revision body): the id travels in the revision
# header, the metadata is derived. The human number is content: it must reach the office.
NON_BODY_FIELDS = frozenset({"id", "meta"})

MAX_AMOUNT = Decimal("999999999999.99")
_MONTH = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")
_TIME = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$")


@dataclass(frozen=True)
class RecordMeta:
    """Who made and last changed a stored record; filled in by the service, never typed by a user."""

    created_at: str = ""
    created_by: str = ""
    updated_at: str = ""
    updated_by: str = ""
    deleted: bool = False
    conflict: str | None = None
    head_rev: str = ""


class Record(Protocol):
    @property
    def id(self) -> str: ...

    @property
    def number(self) -> str: ...


def body_field_names(record_type: type[Any]) -> tuple[str, ...]:
    return tuple(f.name for f in dataclasses.fields(record_type) if f.name not in NON_BODY_FIELDS)


class Checker:
    """Collects FieldErrors so one validation pass reports every problem at once. Made with the record
    class, a check given no label names the field by its declared label (domain.fields)."""

    def __init__(self, record_type: type[Any] | None = None) -> None:
        self.errors: list[FieldError] = []
        self._type = record_type

    def _label(self, field: str, label: str) -> str:
        if label or self._type is None:
            return label or field
        return declared_label(self._type, field)

    def add(self, field: str, message: str) -> None:
        self.errors.append(FieldError(field, message))

    def required(self, field: str, value: object, label: str = "") -> None:
        if value is None or (isinstance(value, str) and not value.strip()):
            self.add(field, f"请填写{self._label(field, label)}")

    def max_len(self, field: str, value: str, limit: int, label: str = "") -> None:
        if len(value) > limit:
            self.add(field, f"{self._label(field, label)}不能超过{limit}个字（现有{len(value)}个字）")

    def one_of(
        self, field: str, value: str, allowed: tuple[str, ...], label: str = "", *, optional: bool = True
    ) -> None:
        if optional and not value:
            return
        if value not in allowed:
            self.add(field, f"{self._label(field, label)}“{value}”不在可选范围内（{'、'.join(allowed)}）")

    def all_of(self, field: str, values: list[str], allowed: tuple[str, ...], label: str = "") -> None:
        bad = [v for v in values if v not in allowed]
        if bad:
            self.add(field, f"{self._label(field, label)}含有无效选项：{'、'.join(bad)}")

    def not_future(self, field: str, value: date | None, today: date, label: str = "") -> None:
        if value is not None and value > today:
            self.add(field, f"{self._label(field, label)}不能晚于今天")

    def order(self, field: str, start: date | None, end: date | None, message: str) -> None:
        if start is not None and end is not None and end < start:
            self.add(field, message)

    def amount(self, field: str, value: Decimal, label: str = "") -> None:
        label = self._label(field, label)
        if value < 0:
            self.add(field, f"{label}不能为负数")
        elif value > MAX_AMOUNT:
            self.add(field, f"{label}超出允许范围")
        elif value != value.quantize(Decimal("0.01")):
            self.add(field, f"{label}最多保留两位小数（单位：元）")

    def month(self, field: str, value: str, label: str = "") -> None:
        if value and not _MONTH.match(value):
            self.add(field, f"{self._label(field, label)}应写作“年-月”，例如 1975-03")

    def clock(self, field: str, value: str, label: str = "") -> None:
        if value and not _TIME.match(value):
            self.add(field, f"{self._label(field, label)}应写作“时:分”，例如 09:30")
