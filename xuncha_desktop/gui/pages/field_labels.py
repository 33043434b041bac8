"""Chinese labels of record fields, as the forms and ledgers name them (for conflicts and summaries).

Each label is declared once, on its field of the record dataclass (domain.fields)."""

from __future__ import annotations

from xuncha_desktop.domain.record_types import BY_KEY


def field_label(record_type: str, field: str) -> str:
    """The Chinese label of `field` on records of `record_type` (a record-type key); the name if unknown."""
    found = BY_KEY.get(record_type)
    return (found.labels.get(field) if found else None) or field
