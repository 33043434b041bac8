"""信访件登记: the letters, calls, visits, online complaints (码上巡察) and box letters a group receives on
site, whether they fall within its remit (受理范围) and how each was disposed of (domain README §1.3, §3.1).

The reporter is declared with the lead's field names (anonymous, reporter_name, reporter_contact,
registered_by), so services.records.visibility masks both record types with the same code."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from xuncha_desktop.domain import fields, vocab
from xuncha_desktop.domain.common import Checker, RecordMeta
from xuncha_desktop.domain.errors import FieldError
from xuncha_desktop.domain.fields import spec

CHANNELS = ("来信", "来电", "来访", "网络（码上巡察）", "意见箱")
REMITS = ("属于", "不属于")
TO_LEAD, TO_DRAFT, FORWARD, FILE_AWAY = "转为问题线索", "纳入问题底稿", "转办", "留存备查"
DISPOSALS = (TO_LEAD, TO_DRAFT, FORWARD, FILE_AWAY)
# The disposals that create a record of their own (services.records.petition_disposal).
CREATING_DISPOSALS = (TO_LEAD, TO_DRAFT)
# The lead's 线索来源 for each channel: a letter put in the 意见箱 is a letter.
LEAD_SOURCE_OF_CHANNEL = {
    "来信": "来信",
    "来电": "来电",
    "来访": "来访",
    "网络（码上巡察）": "码上巡察",
    "意见箱": "来信",
}


@dataclass(frozen=True)
class Petition:
    id: str = ""
    number: str = fields.number()
    round_id: str = fields.round_ref()
    group_id: str = fields.group_ref()
    target_id: str = fields.target_ref()
    received_on: date | None = spec("收件日期", None, date=True)
    registered_by: str = spec("登记人", "")
    channel: str = spec("来源渠道", "来信", filter=True, short="渠道")
    anonymous: bool = spec("匿名反映", False)
    reporter_name: str = spec("反映人", "")
    reporter_contact: str = spec("反映人联系方式", "")
    subject_name: str = spec("被反映人", "", searchable=True)
    subject_unit: str = spec("被反映单位", "", searchable=True)
    summary: str = spec("内容摘要", "", short="摘要", searchable=True)
    within_remit: str = spec("受理范围", "属于", short="受理")
    disposal: str = spec("处置方式", "", filter=True)
    forwarded_to: str = spec("转办单位", "", searchable=True)
    disposed_on: date | None = spec("处置日期", None)
    decided_by: str = spec("处置决定人", "", short="决定人")
    marking: str = fields.marking()
    meta: RecordMeta | None = field(default=None, compare=False)


def validate_petition(p: Petition, today: date) -> list[FieldError]:
    c = Checker(Petition)
    c.required("round_id", p.round_id)
    c.required("group_id", p.group_id)
    c.required("received_on", p.received_on)
    c.not_future("received_on", p.received_on, today)
    c.required("registered_by", p.registered_by)
    c.one_of("channel", p.channel, CHANNELS, optional=False)
    if not p.anonymous and not p.reporter_name.strip():
        c.add("reporter_name", "实名反映的信访件请填写反映人，匿名请勾选“匿名”")
    c.required("summary", p.summary)
    c.one_of("within_remit", p.within_remit, REMITS, optional=False)
    c.one_of("disposal", p.disposal, DISPOSALS)
    if p.disposal:
        c.required("disposed_on", p.disposed_on)
        c.required("decided_by", p.decided_by)
    c.not_future("disposed_on", p.disposed_on, today)
    c.order("disposed_on", p.received_on, p.disposed_on, "处置日期不能早于收件日期")
    if p.disposal == FORWARD:
        c.required("forwarded_to", p.forwarded_to)
    if p.disposal in CREATING_DISPOSALS:
        if p.within_remit != "属于":
            c.add("disposal", "不属于受理范围的信访件只能转办或留存备查")
        if not p.target_id:
            c.add("target_id", f"{p.disposal}须先选定被巡察单位")
    c.one_of("marking", p.marking, vocab.MARKINGS, optional=False)
    return c.errors
