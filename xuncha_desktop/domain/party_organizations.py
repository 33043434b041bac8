"""党组织名录: the Party organizations under the committee, kept across rounds so the office can follow the
term's 全覆盖 (every organization inspected once in a term). A target unit of a round points at its entry."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from xuncha_desktop.domain import fields, vocab
from xuncha_desktop.domain.common import Checker, RecordMeta
from xuncha_desktop.domain.errors import FieldError
from xuncha_desktop.domain.fields import spec


@dataclass(frozen=True)
class PartyOrganization:
    """One Party organization of the master list; `active` is False once it was merged or dissolved."""

    id: str = ""
    number: str = fields.number(searchable=False)
    name: str = spec("党组织名称", "", searchable=True)
    kind: str = spec("单位类型", "县直部门", filter=True, indexed=True)
    parent_id: str = spec("上级党组织", "", indexed=True)
    active: bool = spec("现存", True)
    retired_reason: str = spec("撤并说明", "")
    note: str = spec("备注", "")
    meta: RecordMeta | None = field(default=None, compare=False)


def validate_party_organization(o: PartyOrganization, today: date) -> list[FieldError]:
    c = Checker(PartyOrganization)
    c.required("name", o.name)
    c.max_len("name", o.name, 60)
    c.one_of("kind", o.kind, vocab.UNIT_KINDS, optional=False)
    if o.parent_id and o.parent_id == o.id:
        c.add("parent_id", "上级党组织不能是其自身")
    if not o.active and not o.retired_reason.strip():
        c.add("retired_reason", "请填写撤并说明（何时因何撤销或合并）")
    return c.errors
