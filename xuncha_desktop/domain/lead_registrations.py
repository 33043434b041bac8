"""问题线索: registration, 研判, disposal, transfer and feedback of a lead (domain README §1.3)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from xuncha_desktop.domain import fields, vocab
from xuncha_desktop.domain.common import Checker, RecordMeta
from xuncha_desktop.domain.errors import FieldError
from xuncha_desktop.domain.fields import spec


@dataclass(frozen=True)
class LeadRegistration:
    id: str = ""
    number: str = fields.number()
    round_id: str = fields.round_ref()
    group_id: str = fields.group_ref()
    target_id: str = fields.target_ref()
    # registration
    registered_on: date | None = spec("登记日期", None, date=True)
    registered_by: str = spec("登记人", "")
    source: str = spec("线索来源", "个别谈话")
    anonymous: bool = spec("匿名反映", False)
    reporter_name: str = spec("反映人", "")
    reporter_contact: str = spec("反映人联系方式", "")
    subject_person_id: str = spec("被反映人（人员库）", "")
    subject_name: str = spec("被反映人", "", searchable=True)
    subject_post: str = spec("被反映人单位及职务", "", searchable=True)
    subject_rank: str = spec("被反映人职级", "")
    jurisdiction: str = spec("管理权限归属", "", short="管理权限")
    summary: str = spec("主要问题", "", searchable=True)
    disciplines: list[str] = fields.disciplines()
    amount_yuan: Decimal = fields.amount()
    # judgement (研判)
    group_opinion: str = spec("组务会研判意见", "", searchable=True)
    group_opinion_on: date | None = spec("研判日期", None)
    consultation_opinion: str = spec("会商研判意见", "", searchable=True)
    consultation_on: date | None = spec("会商日期", None)
    verifiability: str = spec("可查性评价", "")
    proposed_disposal: str = spec("拟处置建议", "", filter=True)
    on_site_transfer: bool = spec("边巡边移", False)
    leader_approver: str = spec("组长审批人", "")
    leader_approved_on: date | None = spec("审批日期", None)
    # transfer
    transfer_unit: str = spec("移交单位", "", searchable=True)
    transfer_on: date | None = spec("移交日期", None)
    transfer_method: str = spec("移交方式", "")
    receiver: str = spec("接收人", "")
    # feedback
    outcome_type: str = spec("办理方式", "")
    case_opened: bool = spec("立案", False)
    sanction: str = spec("处分种类", "")
    org_handling: str = spec("组织处理", "")
    judicial_transfer: bool = spec("移送司法", False)
    outcome: str = spec("办理结果", "", searchable=True)
    feedback_on: date | None = spec("反馈日期", None)
    closed: bool = spec("已销号", False)
    status: str = fields.status("已登记")
    marking: str = fields.marking()
    meta: RecordMeta | None = field(default=None, compare=False)


def feedback_due(lead: LeadRegistration) -> date | None:
    if lead.transfer_on is None:
        return None
    return lead.transfer_on + timedelta(days=vocab.FEEDBACK_DEADLINE_DAYS)


def is_overdue(lead: LeadRegistration, today: date) -> bool:
    """A transferred lead with no feedback after three months (线索办理反馈超期)."""
    due = feedback_due(lead)
    return due is not None and lead.feedback_on is None and today > due


def validate_lead(r: LeadRegistration, today: date) -> list[FieldError]:
    c = Checker(LeadRegistration)
    c.required("round_id", r.round_id)
    c.required("group_id", r.group_id)
    c.required("target_id", r.target_id)
    c.required("registered_on", r.registered_on)
    c.not_future("registered_on", r.registered_on, today)
    c.required("registered_by", r.registered_by)
    c.one_of("source", r.source, vocab.LEAD_SOURCES, optional=False)
    if not r.anonymous and not r.reporter_name.strip() and r.source in ("来信", "来电", "来访"):
        c.add("reporter_name", "实名反映的线索请填写反映人，匿名请勾选“匿名”")
    c.required("subject_name", r.subject_name, "被反映人姓名")
    c.one_of("subject_rank", r.subject_rank, vocab.CADRE_RANKS)
    c.required("summary", r.summary)
    c.all_of("disciplines", r.disciplines, vocab.DISCIPLINES)
    c.amount("amount_yuan", r.amount_yuan, "涉及金额")  # the label without its unit
    c.one_of("proposed_disposal", r.proposed_disposal, vocab.LEAD_DISPOSALS)
    c.one_of("transfer_method", r.transfer_method, vocab.TRANSFER_METHODS)
    c.one_of("outcome_type", r.outcome_type, vocab.LEAD_OUTCOMES)
    c.one_of("status", r.status, vocab.LEAD_STATES, optional=False)
    c.order("group_opinion_on", r.registered_on, r.group_opinion_on, "研判日期不能早于登记日期")
    c.order("transfer_on", r.registered_on, r.transfer_on, "移交日期不能早于登记日期")
    c.order("feedback_on", r.transfer_on, r.feedback_on, "反馈日期不能早于移交日期")
    for fld, value in (
        ("group_opinion_on", r.group_opinion_on),
        ("transfer_on", r.transfer_on),
        ("feedback_on", r.feedback_on),
    ):
        c.not_future(fld, value, today)
    # A stage's facts must be there once the lead is past that stage.
    stage = vocab.LEAD_STATES.index(r.status) if r.status in vocab.LEAD_STATES else 0
    if stage >= 1:
        c.required("group_opinion", r.group_opinion)
    if stage >= 2:
        c.required("proposed_disposal", r.proposed_disposal)
    if stage >= 3:
        c.required("transfer_unit", r.transfer_unit)
        c.required("transfer_on", r.transfer_on)
        c.required("receiver", r.receiver)
    if stage >= 4:
        c.required("outcome_type", r.outcome_type)
        c.required("feedback_on", r.feedback_on)
    c.one_of("marking", r.marking, vocab.MARKINGS, optional=False)
    return c.errors
