"""The columns of each Excel ledger (台账): header, value, width, cell type and drop-down list; shared by
export and import so a ledger written here reads back in."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from xuncha_desktop.domain import vocab
from xuncha_desktop.domain.classification import category_label
from xuncha_desktop.domain.interview_records import InterviewRecord
from xuncha_desktop.domain.issue_drafts import IssueDraft
from xuncha_desktop.domain.lead_registrations import LeadRegistration, feedback_due, is_overdue
from xuncha_desktop.domain.personnel_evaluations import (
    MemberAppraisal,
    PersonnelEvaluation,
    favourable_rate,
    poll_total,
)
from xuncha_desktop.domain.states import DraftStep
from xuncha_desktop.services.context_names import ContextNames

HIDDEN = "已隐藏"
YES_NO = ("是", "否")


@dataclass(frozen=True)
class Column:
    """One ledger column. `field` names the record field an import fills from it ("" for derived columns)."""

    header: str
    value: Callable[[Any], Any]
    width: float = 12
    kind: str = "text"  # text | date | amount | count | rate | flag
    choices: tuple[str, ...] = ()
    field: str = ""


def _flag(value: bool) -> str:
    return "是" if value else "否"


def _joined(values: list[str]) -> str:
    return "、".join(values)


def _category(code: str) -> str:
    return f"{code} {category_label(code)}" if code else ""


def _signed_on(d: IssueDraft) -> date | None:
    for step in reversed(d.signoffs):
        if step.get("step") == DraftStep.APPROVE and step.get("at"):
            try:
                return date.fromisoformat(str(step["at"])[:10])
            except ValueError:
                return None
    return None


def _context(names: ContextNames, with_target: bool = True) -> list[Column]:
    columns = [
        Column("巡察轮次", lambda r: names.round(r.round_id), 16),
        Column("巡察组", lambda r: names.group(r.group_id), 12),
    ]
    if with_target:
        columns.append(Column("被巡察单位", lambda r: names.target(r.target_id), 22, field="target_id"))
    return columns


def interview_columns(names: ContextNames, today: date, hide_reporter: bool) -> list[Column]:
    def contact(r: InterviewRecord) -> str:
        return HIDDEN if hide_reporter and r.contact else r.contact

    return [
        Column("记录编号", lambda r: r.number, 24, field="number"),
        *_context(names),
        Column("谈话日期", lambda r: r.held_on, 12, "date", field="held_on"),
        Column("开始时间", lambda r: r.start_time, 9, field="start_time"),
        Column("结束时间", lambda r: r.end_time, 9, field="end_time"),
        Column("谈话地点", lambda r: r.location, 20, field="location"),
        Column(
            "谈话类型", lambda r: r.interview_type, 12, choices=vocab.INTERVIEW_TYPES, field="interview_type"
        ),
        Column("谈话人", lambda r: r.interviewer, 10, field="interviewer"),
        Column("记录人", lambda r: r.recorder, 10, field="recorder"),
        Column("谈话对象", lambda r: r.interviewee_name, 10, field="interviewee_name"),
        Column("性别", lambda r: r.gender, 6, choices=vocab.GENDERS, field="gender"),
        Column("出生年月", lambda r: r.birth_month, 10, field="birth_month"),
        Column(
            "政治面貌",
            lambda r: r.political_status,
            12,
            choices=vocab.POLITICAL_STATUSES,
            field="political_status",
        ),
        Column("单位及职务", lambda r: r.post, 26, field="post"),
        Column("职级", lambda r: r.rank, 12, choices=vocab.CADRE_RANKS, field="rank"),
        Column("联系方式", contact, 14, field="contact"),
        Column(
            "已告知纪律和保密要求", lambda r: _flag(r.notice_given), 10, "flag", YES_NO, field="notice_given"
        ),
        Column("反映问题摘要", lambda r: "；".join(r.problems), 40, field="problems"),
        Column("涉及人员", lambda r: _joined(r.persons_involved), 20, field="persons_involved"),
        Column("密级", lambda r: r.marking, 10, choices=vocab.MARKINGS, field="marking"),
    ]


def draft_columns(names: ContextNames, today: date, hide_reporter: bool) -> list[Column]:
    return [
        Column("底稿编号", lambda d: d.number, 24, field="number"),
        *_context(names),
        Column("编制日期", lambda d: d.prepared_on, 12, "date", field="prepared_on"),
        Column("问题标题", lambda d: d.title, 32, field="title"),
        Column("问题类别", lambda d: _category(d.category_l1), 30, field="category_l1"),
        Column("问题子类", lambda d: _category(d.category_l2), 30, field="category_l2"),
        Column("具体问题", lambda d: _category(d.category_l3), 24, field="category_l3"),
        Column("涉及纪律", lambda d: _joined(d.disciplines), 16, field="disciplines"),
        Column("专项类型", lambda d: _joined(d.special_tags), 14, field="special_tags"),
        Column("问题来源", lambda d: d.source, 14, choices=vocab.ISSUE_SOURCES, field="source"),
        Column("问题描述", lambda d: d.description, 50, field="description"),
        Column("发现过程", lambda d: d.discovery, 30, field="discovery"),
        Column("定性依据", lambda d: d.basis, 30, field="basis"),
        Column("责任主体", lambda d: _joined(d.responsibility_types), 16, field="responsibility_types"),
        Column("责任单位或个人", lambda d: d.responsible_party, 16, field="responsible_party"),
        Column("涉及金额（元）", lambda d: d.amount_yuan, 16, "amount", field="amount_yuan"),
        Column("立行立改", lambda d: _flag(d.immediate_fix), 9, "flag", YES_NO, field="immediate_fix"),
        Column("整改建议", lambda d: d.suggestion, 30, field="suggestion"),
        Column("重点关注", lambda d: _flag(d.key_attention), 9, "flag", YES_NO, field="key_attention"),
        Column(
            "重点关注情形",
            lambda d: d.key_attention_reason,
            30,
            choices=vocab.KEY_ATTENTION_REASONS,
            field="key_attention_reason",
        ),
        Column("承办人", lambda d: d.preparer, 10, field="preparer"),
        Column("副组长复核意见", lambda d: d.review_opinion, 24, field="review_opinion"),
        Column("组长审签意见", lambda d: d.approval_opinion, 24, field="approval_opinion"),
        Column("审签日期", _signed_on, 12, "date"),
        Column("状态", lambda d: d.status, 10, choices=vocab.DRAFT_STATES, field="status"),
        Column("巡察办备案号", lambda d: d.filing_no, 16, field="filing_no"),
        Column("密级", lambda d: d.marking, 10, choices=vocab.MARKINGS, field="marking"),
    ]


def lead_columns(names: ContextNames, today: date, hide_reporter: bool) -> list[Column]:
    # The reporter arrives already masked for a reader who may not see it (RecordService, per lead).
    def reporter(r: LeadRegistration) -> str:
        return r.reporter_name

    def reporter_contact(r: LeadRegistration) -> str:
        return r.reporter_contact

    def overdue(r: LeadRegistration) -> str:
        return _flag(is_overdue(r, today)) if r.transfer_on else ""

    return [
        Column("线索编号", lambda r: r.number, 24, field="number"),
        *_context(names),
        Column("登记日期", lambda r: r.registered_on, 12, "date", field="registered_on"),
        Column("登记人", lambda r: r.registered_by, 10, field="registered_by"),
        Column("线索来源", lambda r: r.source, 12, choices=vocab.LEAD_SOURCES, field="source"),
        Column("是否匿名", lambda r: _flag(r.anonymous), 9, "flag", YES_NO, field="anonymous"),
        Column("反映人", reporter, 10, field="reporter_name"),
        Column("反映人联系方式", reporter_contact, 14, field="reporter_contact"),
        Column("被反映人", lambda r: r.subject_name, 10, field="subject_name"),
        Column("被反映人单位及职务", lambda r: r.subject_post, 26, field="subject_post"),
        Column("被反映人职级", lambda r: r.subject_rank, 12, choices=vocab.CADRE_RANKS, field="subject_rank"),
        Column("管理权限", lambda r: r.jurisdiction, 12, field="jurisdiction"),
        Column("主要问题", lambda r: r.summary, 50, field="summary"),
        Column("涉及纪律", lambda r: _joined(r.disciplines), 16, field="disciplines"),
        Column("涉及金额（元）", lambda r: r.amount_yuan, 16, "amount", field="amount_yuan"),
        Column("组务会研判意见", lambda r: r.group_opinion, 30, field="group_opinion"),
        Column("研判日期", lambda r: r.group_opinion_on, 12, "date", field="group_opinion_on"),
        Column("会商研判意见", lambda r: r.consultation_opinion, 24, field="consultation_opinion"),
        Column("会商日期", lambda r: r.consultation_on, 12, "date", field="consultation_on"),
        Column("可查性评价", lambda r: r.verifiability, 14, field="verifiability"),
        Column(
            "拟处置建议",
            lambda r: r.proposed_disposal,
            18,
            choices=vocab.LEAD_DISPOSALS,
            field="proposed_disposal",
        ),
        Column("边巡边移", lambda r: _flag(r.on_site_transfer), 9, "flag", YES_NO, field="on_site_transfer"),
        Column("组长审批", lambda r: r.leader_approver, 10, field="leader_approver"),
        Column("审批日期", lambda r: r.leader_approved_on, 12, "date", field="leader_approved_on"),
        Column("移交单位", lambda r: r.transfer_unit, 18, field="transfer_unit"),
        Column("移交日期", lambda r: r.transfer_on, 12, "date", field="transfer_on"),
        Column(
            "移交方式",
            lambda r: r.transfer_method,
            14,
            choices=vocab.TRANSFER_METHODS,
            field="transfer_method",
        ),
        Column("接收人", lambda r: r.receiver, 10, field="receiver"),
        Column("办理方式", lambda r: r.outcome_type, 12, choices=vocab.LEAD_OUTCOMES, field="outcome_type"),
        Column("是否立案", lambda r: _flag(r.case_opened), 9, "flag", YES_NO, field="case_opened"),
        Column("处分种类", lambda r: r.sanction, 14, field="sanction"),
        Column("组织处理", lambda r: r.org_handling, 14, field="org_handling"),
        Column(
            "移送司法", lambda r: _flag(r.judicial_transfer), 9, "flag", YES_NO, field="judicial_transfer"
        ),
        Column("办理结果", lambda r: r.outcome, 30, field="outcome"),
        Column("反馈期限", feedback_due, 12, "date"),
        Column("反馈日期", lambda r: r.feedback_on, 12, "date", field="feedback_on"),
        Column("是否超期", overdue, 9, "flag", YES_NO),
        Column("是否销号", lambda r: _flag(r.closed), 9, "flag", YES_NO, field="closed"),
        Column("状态", lambda r: r.status, 10, choices=vocab.LEAD_STATES, field="status"),
        Column("密级", lambda r: r.marking, 10, choices=vocab.MARKINGS, field="marking"),
    ]


def evaluation_columns(names: ContextNames, today: date, hide_reporter: bool) -> list[Column]:
    def tallies(e: PersonnelEvaluation) -> str:
        scale = vocab.POLL_SCALES.get(e.poll_scale, ())
        return " ".join(f"{o}{e.poll_tallies.get(o, 0)}" for o in scale)

    def favourable(e: PersonnelEvaluation) -> int:
        return sum(e.poll_tallies.get(o, 0) for o in vocab.POLL_FAVOURABLE.get(e.poll_scale, ()))

    def dimension(name: str) -> Callable[[PersonnelEvaluation], str]:
        return lambda e: e.dimensions.get(name, "")

    dimensions = [Column(dim, dimension(dim), 24) for dim in vocab.PORTRAIT_DIMENSIONS]
    return [
        Column("画像编号", lambda e: e.number, 24),
        *_context(names),
        Column("姓名", lambda e: e.name, 10),
        Column("职务", lambda e: e.post, 26),
        Column("任职时间", lambda e: e.term_start, 12, "date"),
        Column("分管工作", lambda e: e.portfolio, 20),
        Column("一把手", lambda e: _flag(e.is_top_leader), 8, "flag", YES_NO),
        Column("测评类型", lambda e: e.poll_scale, 12, choices=tuple(vocab.POLL_SCALES)),
        Column("参评人数", poll_total, 10, "count"),
        Column("票数明细", tallies, 30),
        Column("好评票数", favourable, 10, "count"),
        Column("好评率（%）", favourable_rate, 11, "rate"),
        *dimensions,
        Column("巡察组综合评价", lambda e: e.overall, 40),
        Column("画像等次", lambda e: e.grade, 10, choices=vocab.PORTRAIT_GRADES),
        Column("建议组织部门关注", lambda e: _flag(e.flag_for_org), 10, "flag", YES_NO),
        Column("评价日期", lambda e: e.evaluated_on, 12, "date"),
        Column("评价人", lambda e: e.evaluator, 10),
        Column("密级", lambda e: e.marking, 10, choices=vocab.MARKINGS),
    ]


def appraisal_columns(names: ContextNames, today: date, hide_reporter: bool) -> list[Column]:
    def comments(a: MemberAppraisal) -> str:
        return "；".join(f"{k}：{v}" for k, v in a.leader_comments.items() if v)

    return [
        Column("鉴定编号", lambda a: a.number, 24),
        *_context(names, with_target=False),
        Column("姓名", lambda a: a.name, 10),
        Column("性别", lambda a: a.gender, 6, choices=vocab.GENDERS),
        Column("出生年月", lambda a: a.birth_month, 10),
        Column("政治面貌", lambda a: a.political_status, 12, choices=vocab.POLITICAL_STATUSES),
        Column("原单位及职务", lambda a: a.home_unit_post, 26),
        Column("组内分工", lambda a: a.duty, 10, choices=vocab.MEMBER_DUTIES),
        Column("开始日期", lambda a: a.period_start, 12, "date"),
        Column("结束日期", lambda a: a.period_end, 12, "date"),
        Column("纪律作风评价得分", lambda a: a.conduct_score, 12, "rate"),
        Column("组长评价", comments, 40),
        Column("鉴定等次", lambda a: a.grade, 10, choices=vocab.APPRAISAL_GRADES),
        Column("推荐优秀", lambda a: _flag(a.recommend_excellent), 9, "flag", YES_NO),
        Column("巡察组意见", lambda a: a.group_opinion, 30),
        Column("巡察办意见", lambda a: a.office_opinion, 30),
        Column("反馈单位", lambda a: a.feedback_unit, 20),
        Column("鉴定日期", lambda a: a.appraised_on, 12, "date"),
        Column("密级", lambda a: a.marking, 10, choices=vocab.MARKINGS),
    ]


ColumnsFactory = Callable[[ContextNames, date, bool], list[Column]]
