"""The columns of each Excel ledger (台账): header, value, width, cell type and drop-down list; shared by
export and import so a ledger written here reads back in."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date
from operator import attrgetter
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
from xuncha_desktop.domain.petitions import CHANNELS, DISPOSALS, REMITS
from xuncha_desktop.domain.record_types import (
    APPRAISAL,
    DRAFT,
    EVALUATION,
    INTERVIEW,
    LEAD,
    PETITION,
    RecordType,
)
from xuncha_desktop.domain.states import DraftStep
from xuncha_desktop.services.records.context_names import ContextNames

HIDDEN = "已隐藏"
YES_NO = ("是", "否")
KEY = "编号"  # the group of the identifying columns (编号, 名称) that lead and repeat on every printed page


@dataclass(frozen=True)
class Column:
    """One ledger column. `field` names the record field an import fills from it ("" for derived columns)."""

    header: str
    value: Callable[[Any], Any]
    width: float = 12
    kind: str = "text"  # text | date | amount | count | rate | flag
    choices: tuple[str, ...] = ()
    field: str = ""
    group: str = ""  # related columns print together; a page across breaks only between groups


def grouped(group: str, *columns: Column) -> list[Column]:
    """`columns` as one print group (key columns: KEY, first in the ledger)."""
    return [replace(c, group=group) for c in columns]


def title_columns(columns: list[Column]) -> int:
    """How many leading columns are identifying (group KEY) and repeat on every printed page."""
    count = 0
    while count < len(columns) and columns[count].group == KEY:
        count += 1
    return count


def _flag(value: bool) -> str:
    return "是" if value else "否"


def _field_columns(rt: RecordType) -> tuple[Callable[..., Column], Callable[..., Column]]:
    """Makers of columns that show and import one field of `rt`, headed by its declared (short) label:
    `f(name, width, kind, choices, value=…, header=…)`, and `flag(name, width)` for a 是/否 column."""

    def f(
        name: str,
        width: float,
        kind: str = "text",
        choices: tuple[str, ...] = (),
        *,
        value: Callable[[Any], Any] | None = None,
        header: str = "",
    ) -> Column:
        return Column(header or rt.header(name), value or attrgetter(name), width, kind, choices, name)

    def flag(name: str, width: float, *, header: str = "") -> Column:
        return f(name, width, "flag", YES_NO, value=lambda r: _flag(getattr(r, name)), header=header)

    return f, flag


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
    f, flag = _field_columns(INTERVIEW)

    def contact(r: InterviewRecord) -> str:
        return HIDDEN if hide_reporter and r.contact else r.contact

    return [
        *grouped(KEY, f("number", 20, header="记录编号"), f("interviewee_name", 10)),
        *grouped(
            "谈话",
            *_context(names),
            f("held_on", 12, "date"),
            f("start_time", 9),
            f("end_time", 9),
            f("location", 20),
            f("interview_type", 12, choices=vocab.INTERVIEW_TYPES),
            f("interviewer", 10, header="谈话人"),
            f("recorder", 10),
        ),
        *grouped(
            "谈话对象",
            f("gender", 6, choices=vocab.GENDERS),
            f("birth_month", 10),
            f("political_status", 12, choices=vocab.POLITICAL_STATUSES),
            f("post", 26),
            f("rank", 12, choices=vocab.CADRE_RANKS),
            f("contact", 14, value=contact),
            flag("notice_given", 10),
        ),
        *grouped(
            "反映问题",
            f("problems", 40, value=lambda r: "；".join(r.problems)),
            f("persons_involved", 20, value=lambda r: _joined(r.persons_involved)),
            f("marking", 10, choices=vocab.MARKINGS),
        ),
    ]


def draft_columns(names: ContextNames, today: date, hide_reporter: bool) -> list[Column]:
    f, flag = _field_columns(DRAFT)
    return [
        *grouped(KEY, f("number", 20, header="底稿编号"), f("title", 26)),
        *grouped(
            "来源",
            *_context(names),
            f("prepared_on", 12, "date"),
            f("source", 14, choices=vocab.ISSUE_SOURCES),
            f("preparer", 10),
        ),
        *grouped(
            "分类",
            f("category_l1", 30, value=lambda d: _category(d.category_l1)),
            f("category_l2", 30, value=lambda d: _category(d.category_l2)),
            f("category_l3", 24, value=lambda d: _category(d.category_l3)),
            f("disciplines", 16, value=lambda d: _joined(d.disciplines)),
            f("special_tags", 14, value=lambda d: _joined(d.special_tags)),
        ),
        *grouped(
            "问题",
            f("description", 40),
            f("discovery", 24),
            f("basis", 30),
            f("amount_yuan", 16, "amount"),
        ),
        *grouped(
            "责任与建议",
            f("responsibility_types", 16, value=lambda d: _joined(d.responsibility_types)),
            f("responsible_party", 16),
            flag("immediate_fix", 9),
            f("suggestion", 30),
            flag("key_attention", 9),
            f("key_attention_reason", 30, choices=vocab.KEY_ATTENTION_REASONS),
        ),
        *grouped(
            "审核",
            f("review_opinion", 24),
            f("approval_opinion", 24),
            Column("审签日期", _signed_on, 12, "date"),
            f("status", 10, choices=vocab.DRAFT_STATES),
            f("filing_no", 16),
            f("marking", 10, choices=vocab.MARKINGS),
        ),
    ]


def lead_columns(names: ContextNames, today: date, hide_reporter: bool) -> list[Column]:
    f, flag = _field_columns(LEAD)

    def overdue(r: LeadRegistration) -> str:
        return _flag(is_overdue(r, today)) if r.transfer_on else ""

    return [
        *grouped(KEY, f("number", 20, header="线索编号"), f("subject_name", 10)),
        *grouped(
            "登记",
            *_context(names),
            f("registered_on", 12, "date"),
            f("registered_by", 10),
        ),
        *grouped(
            "来源",
            f("source", 12, choices=vocab.LEAD_SOURCES),
            flag("anonymous", 9, header="是否匿名"),
            # the reporter arrives already masked for a reader who may not see it (RecordService, per lead)
            f("reporter_name", 10),
            f("reporter_contact", 14),
        ),
        *grouped(
            "被反映人",
            f("subject_post", 26),
            f("subject_rank", 12, choices=vocab.CADRE_RANKS),
            f("jurisdiction", 12),
        ),
        *grouped(
            "问题",
            f("summary", 40),
            f("disciplines", 16, value=lambda r: _joined(r.disciplines)),
            f("amount_yuan", 16, "amount"),
        ),
        *grouped(
            "研判",
            f("group_opinion", 24),
            f("group_opinion_on", 12, "date"),
            f("consultation_opinion", 20),
            f("consultation_on", 12, "date"),
            f("verifiability", 14),
        ),
        *grouped(
            "审批",
            f("proposed_disposal", 18, choices=vocab.LEAD_DISPOSALS),
            flag("on_site_transfer", 9),
            f("leader_approver", 10, header="组长审批"),
            f("leader_approved_on", 12, "date"),
        ),
        *grouped(
            "移交",
            f("transfer_unit", 18),
            f("transfer_on", 12, "date"),
            f("transfer_method", 14, choices=vocab.TRANSFER_METHODS),
            f("receiver", 10),
        ),
        *grouped(
            "办理结果",
            f("outcome_type", 12, choices=vocab.LEAD_OUTCOMES),
            flag("case_opened", 9, header="是否立案"),
            f("sanction", 14),
            f("org_handling", 14),
            flag("judicial_transfer", 9),
            f("outcome", 20),
        ),
        *grouped(
            "反馈",
            Column("反馈期限", feedback_due, 12, "date"),
            f("feedback_on", 12, "date"),
            Column("是否超期", overdue, 9, "flag", YES_NO),
            flag("closed", 9, header="是否销号"),
            f("status", 10, choices=vocab.LEAD_STATES),
            f("marking", 10, choices=vocab.MARKINGS),
        ),
    ]


def evaluation_columns(names: ContextNames, today: date, hide_reporter: bool) -> list[Column]:
    h = EVALUATION.header  # the declared (short) label of a field

    def tallies(e: PersonnelEvaluation) -> str:
        scale = vocab.POLL_SCALES.get(e.poll_scale, ())
        return " ".join(f"{o}{e.poll_tallies.get(o, 0)}" for o in scale)

    def favourable(e: PersonnelEvaluation) -> int:
        return sum(e.poll_tallies.get(o, 0) for o in vocab.POLL_FAVOURABLE.get(e.poll_scale, ()))

    def dimension(name: str) -> Callable[[PersonnelEvaluation], str]:
        return lambda e: e.dimensions.get(name, "")

    dimensions = [Column(dim, dimension(dim), 24) for dim in vocab.PORTRAIT_DIMENSIONS]
    return [
        *grouped(KEY, Column("画像编号", lambda e: e.number, 20), Column(h("name"), lambda e: e.name, 10)),
        *grouped(
            "任职",
            *_context(names),
            Column(h("post"), lambda e: e.post, 26),
            Column(h("term_start"), lambda e: e.term_start, 12, "date"),
            Column(h("portfolio"), lambda e: e.portfolio, 20),
            Column(h("is_top_leader"), lambda e: _flag(e.is_top_leader), 8, "flag", YES_NO),
        ),
        *grouped(
            "民主测评",
            Column(h("poll_scale"), lambda e: e.poll_scale, 12, choices=tuple(vocab.POLL_SCALES)),
            Column("参评人数", poll_total, 10, "count"),
            Column("票数明细", tallies, 30),
            Column("好评票数", favourable, 10, "count"),
            Column("好评率（%）", favourable_rate, 11, "rate"),
        ),
        *grouped("画像", *dimensions),
        *grouped(
            "评价",
            Column(h("overall"), lambda e: e.overall, 40),
            Column(h("grade"), lambda e: e.grade, 10, choices=vocab.PORTRAIT_GRADES),
            Column(h("flag_for_org"), lambda e: _flag(e.flag_for_org), 10, "flag", YES_NO),
            Column(h("evaluated_on"), lambda e: e.evaluated_on, 12, "date"),
            Column(h("evaluator"), lambda e: e.evaluator, 10),
            Column(h("marking"), lambda e: e.marking, 10, choices=vocab.MARKINGS),
        ),
    ]


def appraisal_columns(names: ContextNames, today: date, hide_reporter: bool) -> list[Column]:
    h = APPRAISAL.header  # the declared (short) label of a field

    def comments(a: MemberAppraisal) -> str:
        return "；".join(f"{k}：{v}" for k, v in a.leader_comments.items() if v)

    return [
        *grouped(KEY, Column("鉴定编号", lambda a: a.number, 20), Column(h("name"), lambda a: a.name, 10)),
        *_context(names, with_target=False),
        Column(h("gender"), lambda a: a.gender, 6, choices=vocab.GENDERS),
        Column(h("birth_month"), lambda a: a.birth_month, 10),
        Column(h("political_status"), lambda a: a.political_status, 12, choices=vocab.POLITICAL_STATUSES),
        Column(h("home_unit_post"), lambda a: a.home_unit_post, 26),
        Column(h("duty"), lambda a: a.duty, 10, choices=vocab.MEMBER_DUTIES),
        Column(h("period_start"), lambda a: a.period_start, 12, "date"),
        Column(h("period_end"), lambda a: a.period_end, 12, "date"),
        Column(h("conduct_score"), lambda a: a.conduct_score, 12, "rate"),
        Column(h("leader_comments"), comments, 40),
        Column(h("grade"), lambda a: a.grade, 10, choices=vocab.APPRAISAL_GRADES),
        Column(h("recommend_excellent"), lambda a: _flag(a.recommend_excellent), 9, "flag", YES_NO),
        Column(h("group_opinion"), lambda a: a.group_opinion, 30),
        Column(h("office_opinion"), lambda a: a.office_opinion, 30),
        Column(h("feedback_unit"), lambda a: a.feedback_unit, 20),
        Column(h("appraised_on"), lambda a: a.appraised_on, 12, "date"),
        Column(h("marking"), lambda a: a.marking, 10, choices=vocab.MARKINGS),
    ]


ColumnsFactory = Callable[[ContextNames, date, bool], list[Column]]


def petition_columns(names: ContextNames, today: date, hide_reporter: bool) -> list[Column]:
    """信访件台账; the reporter arrives already masked for a reader who may not see it (RecordService)."""
    f, flag = _field_columns(PETITION)
    return [
        *grouped(KEY, f("number", 24, header="信访件编号"), f("subject_name", 10)),
        *grouped("登记", *_context(names), f("received_on", 12, "date"), f("registered_by", 10)),
        *grouped(
            "来源",
            f("channel", 14, choices=CHANNELS),
            flag("anonymous", 9, header="是否匿名"),
            # as on the 登记表: an anonymous petition says so instead of an empty cell
            f("reporter_name", 10, value=lambda p: "匿名" if p.anonymous else p.reporter_name),
            f("reporter_contact", 14),
        ),
        *grouped("内容", f("subject_unit", 24), f("summary", 50), f("within_remit", 10, choices=REMITS)),
        *grouped(
            "处置",
            f("disposal", 14, choices=DISPOSALS),
            f("forwarded_to", 18),
            f("disposed_on", 12, "date"),
            f("decided_by", 10),
            f("marking", 10, choices=vocab.MARKINGS),
        ),
    ]
