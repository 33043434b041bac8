"""问题线索: registration, 研判, disposal, transfer and feedback of a lead (domain README §1.3)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from xuncha_desktop.domain import vocab
from xuncha_desktop.domain.common import Checker, RecordMeta
from xuncha_desktop.domain.errors import FieldError


@dataclass(frozen=True)
class LeadRegistration:
    id: str = ""
    number: str = ""
    round_id: str = ""
    group_id: str = ""
    target_id: str = ""
    # registration
    registered_on: date | None = None
    registered_by: str = ""
    source: str = "个别谈话"
    anonymous: bool = False
    reporter_name: str = ""
    reporter_contact: str = ""
    subject_person_id: str = ""
    subject_name: str = ""
    subject_post: str = ""
    subject_rank: str = ""
    jurisdiction: str = ""
    summary: str = ""
    disciplines: list[str] = field(default_factory=list)
    amount_yuan: Decimal = Decimal("0")
    # judgement (研判)
    group_opinion: str = ""
    group_opinion_on: date | None = None
    consultation_opinion: str = ""
    consultation_on: date | None = None
    verifiability: str = ""
    proposed_disposal: str = ""
    on_site_transfer: bool = False
    leader_approver: str = ""
    leader_approved_on: date | None = None
    # transfer
    transfer_unit: str = ""
    transfer_on: date | None = None
    transfer_method: str = ""
    receiver: str = ""
    # feedback
    outcome_type: str = ""
    case_opened: bool = False
    sanction: str = ""
    org_handling: str = ""
    judicial_transfer: bool = False
    outcome: str = ""
    feedback_on: date | None = None
    closed: bool = False
    status: str = "已登记"
    marking: str = "工作秘密"
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
    c = Checker()
    c.required("round_id", r.round_id, "巡察轮次")
    c.required("group_id", r.group_id, "巡察组")
    c.required("target_id", r.target_id, "被巡察单位")
    c.required("registered_on", r.registered_on, "登记日期")
    c.not_future("registered_on", r.registered_on, "登记日期", today)
    c.required("registered_by", r.registered_by, "登记人")
    c.one_of("source", r.source, vocab.LEAD_SOURCES, "线索来源", optional=False)
    if not r.anonymous and not r.reporter_name.strip() and r.source in ("来信", "来电", "来访"):
        c.add("reporter_name", "实名反映的线索请填写反映人，匿名请勾选“匿名”")
    c.required("subject_name", r.subject_name, "被反映人姓名")
    c.one_of("subject_rank", r.subject_rank, vocab.CADRE_RANKS, "被反映人职级")
    c.required("summary", r.summary, "主要问题")
    c.all_of("disciplines", r.disciplines, vocab.DISCIPLINES, "涉及纪律")
    c.amount("amount_yuan", r.amount_yuan, "涉及金额")
    c.one_of("proposed_disposal", r.proposed_disposal, vocab.LEAD_DISPOSALS, "拟处置建议")
    c.one_of("transfer_method", r.transfer_method, vocab.TRANSFER_METHODS, "移交方式")
    c.one_of("outcome_type", r.outcome_type, vocab.LEAD_OUTCOMES, "办理方式")
    c.one_of("status", r.status, vocab.LEAD_STATES, "状态", optional=False)
    c.order("group_opinion_on", r.registered_on, r.group_opinion_on, "研判日期不能早于登记日期")
    c.order("transfer_on", r.registered_on, r.transfer_on, "移交日期不能早于登记日期")
    c.order("feedback_on", r.transfer_on, r.feedback_on, "反馈日期不能早于移交日期")
    for fld, value, label in (
        ("group_opinion_on", r.group_opinion_on, "研判日期"),
        ("transfer_on", r.transfer_on, "移交日期"),
        ("feedback_on", r.feedback_on, "反馈日期"),
    ):
        c.not_future(fld, value, label, today)
    # A stage's facts must be there once the lead is past that stage.
    stage = vocab.LEAD_STATES.index(r.status) if r.status in vocab.LEAD_STATES else 0
    if stage >= 1:
        c.required("group_opinion", r.group_opinion, "组务会研判意见")
    if stage >= 2:
        c.required("proposed_disposal", r.proposed_disposal, "拟处置建议")
    if stage >= 3:
        c.required("transfer_unit", r.transfer_unit, "移交单位")
        c.required("transfer_on", r.transfer_on, "移交日期")
        c.required("receiver", r.receiver, "接收人")
    if stage >= 4:
        c.required("outcome_type", r.outcome_type, "办理方式")
        c.required("feedback_on", r.feedback_on, "反馈日期")
    c.one_of("marking", r.marking, vocab.MARKINGS, "密级标识", optional=False)
    return c.errors
