"""巡察人才库: the cadres the office can second to groups, one entry per person kept across rounds.

A cadre's rounds, groups, roles and 鉴定 grades are not stored here: they are read from the group members
linked to the entry (GroupMember.cadre_id) and their appraisals, so the history fills itself. The home unit
and the earlier posts are what 回避 (conflict of interest) is checked against."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from xuncha_desktop.domain import fields, vocab
from xuncha_desktop.domain.common import Checker, RecordMeta
from xuncha_desktop.domain.errors import FieldError
from xuncha_desktop.domain.fields import spec

CADRE_STATUSES = ("在库", "暂停", "退出")
SPECIALITIES = ("财务", "审计", "纪检", "组织人事", "法律", "工程", "信访", "宣传", "文字综合", "其他")


@dataclass(frozen=True)
class Cadre:
    """One person of the pool."""

    id: str = ""
    number: str = fields.number(searchable=False)
    name: str = spec("姓名", "", searchable=True)
    gender: str = fields.gender()
    birth_month: str = fields.birth_month()
    political_status: str = fields.political_status("中共党员")
    home_unit: str = spec("现工作单位", "", short="单位", searchable=True)
    home_post: str = spec("现任职务", "", short="职务")
    # 曾任职单位: the units the cadre worked in before, one per line; assigning the cadre to a group that
    # inspects any of them (or the home unit) needs an audited 回避 override.
    earlier_units: list[str] = spec("曾任职单位", default_factory=list, set_valued=True)
    specialities: list[str] = spec("专长", default_factory=list, set_valued=True)
    status: str = fields.status("在库")
    status_reason: str = spec("状态说明", "")
    phone: str = spec("联系电话", "")
    note: str = spec("备注", "")
    meta: RecordMeta | None = field(default=None, compare=False)


def validate_cadre(c_: Cadre, today: date) -> list[FieldError]:
    c = Checker(Cadre)
    c.required("name", c_.name)
    c.max_len("name", c_.name, 20)
    c.one_of("gender", c_.gender, vocab.GENDERS)
    c.month("birth_month", c_.birth_month)
    c.one_of("political_status", c_.political_status, vocab.POLITICAL_STATUSES)
    c.all_of("specialities", c_.specialities, SPECIALITIES)
    c.one_of("status", c_.status, CADRE_STATUSES, optional=False)
    if c_.status in CADRE_STATUSES[1:] and not c_.status_reason.strip():
        c.add("status_reason", f"人员状态为“{c_.status}”时请填写状态说明（原因）")
    return c.errors
