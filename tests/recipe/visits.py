"""Step 1 of the recipe, the domain module: a throw-away record type, 走访记录 (a visit to a unit).

Each field declares its label and role once; the validator names fields by those labels."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from xuncha_desktop.domain import fields, vocab
from xuncha_desktop.domain.common import Checker, RecordMeta
from xuncha_desktop.domain.errors import FieldError
from xuncha_desktop.domain.fields import spec
from xuncha_desktop.domain.record_types import RecordType

VISIT_KINDS = ("实地走访", "电话回访", "座谈")


@dataclass(frozen=True)
class VisitRecord:
    id: str = ""
    number: str = fields.number()
    round_id: str = fields.round_ref()
    group_id: str = fields.group_ref()
    target_id: str = fields.target_ref()
    visited_on: date | None = spec("走访日期", None, date=True)
    kind: str = spec("走访方式", "实地走访", filter=True)
    place: str = spec("走访地点", "", searchable=True)
    visitor: str = spec("走访人", "", searchable=True)
    topics: list[str] = spec("涉及问题", default_factory=list, set_valued=True)
    findings: str = spec("走访情况", "", searchable=True)
    marking: str = fields.marking()
    meta: RecordMeta | None = field(default=None, compare=False)


def validate_visit(v: VisitRecord, today: date) -> list[FieldError]:
    c = Checker(VisitRecord)
    c.required("round_id", v.round_id)
    c.required("group_id", v.group_id)
    c.required("visited_on", v.visited_on)
    c.not_future("visited_on", v.visited_on, today)
    c.one_of("kind", v.kind, VISIT_KINDS, optional=False)
    c.required("visitor", v.visitor)
    c.one_of("marking", v.marking, vocab.MARKINGS, optional=False)
    return c.errors


# In the application this line goes into domain/record_types.py and VISIT into ALL_RECORD_TYPES (and, for a
# record with a page of its own, MAIN_RECORD_TYPES).
VISIT = RecordType("visit", "visit_records", VisitRecord, "走访记录", validate_visit, "走访")
