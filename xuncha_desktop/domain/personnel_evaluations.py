"""干部评价: the 画像 of the inspected unit's leaders (with 民主测评 tallies) and the 鉴定 of the group's own
seconded members (domain README §1.4)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from xuncha_desktop.domain import fields, vocab
from xuncha_desktop.domain.common import Checker, RecordMeta
from xuncha_desktop.domain.errors import FieldError
from xuncha_desktop.domain.fields import spec


@dataclass(frozen=True)
class PersonnelEvaluation:
    """政治画像 / 一把手画像 of one leader of the inspected unit."""

    id: str = ""
    number: str = fields.number()
    round_id: str = fields.round_ref()
    group_id: str = fields.group_ref()
    target_id: str = fields.target_ref()
    person_id: str = spec("被评价人（人员库）", "")
    name: str = spec("被评价人姓名", "", short="姓名", searchable=True)
    post: str = spec("职务", "", searchable=True)
    term_start: date | None = spec("任职时间", None)
    portfolio: str = spec("分管工作", "", searchable=True)
    is_top_leader: bool = spec("一把手", False)
    dimensions: dict[str, str] = spec("画像维度", default_factory=dict, searchable=True)
    poll_scale: str = spec("测评类型", "个人测评")
    poll_tallies: dict[str, int] = spec("测评票数", default_factory=dict)
    overall: str = spec("巡察组综合评价", "", searchable=True)
    grade: str = spec("画像等次", "", filter=True)
    flag_for_org: bool = spec("建议组织部门关注", False)
    evaluated_on: date | None = spec("评价日期", None, date=True)
    evaluator: str = spec("评价人", "")
    marking: str = fields.marking()
    meta: RecordMeta | None = field(default=None, compare=False)


def poll_total(e: PersonnelEvaluation) -> int:
    return sum(e.poll_tallies.values())


def favourable_rate(e: PersonnelEvaluation) -> Decimal | None:
    """优秀率 / 满意率 in percent with two decimals, e.g. 96.93; None when nobody voted."""
    total = poll_total(e)
    if total == 0:
        return None
    good = sum(e.poll_tallies.get(o, 0) for o in vocab.POLL_FAVOURABLE.get(e.poll_scale, ()))
    return (Decimal(good * 100) / Decimal(total)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def option_rates(e: PersonnelEvaluation) -> dict[str, Decimal]:
    total = poll_total(e)
    scale = vocab.POLL_SCALES.get(e.poll_scale, ())
    if total == 0:
        return {o: Decimal("0.00") for o in scale}
    return {
        o: (Decimal(e.poll_tallies.get(o, 0) * 100) / Decimal(total)).quantize(Decimal("0.01"), ROUND_HALF_UP)
        for o in scale
    }


def validate_evaluation(e: PersonnelEvaluation, today: date) -> list[FieldError]:
    c = Checker(PersonnelEvaluation)
    c.required("round_id", e.round_id)
    c.required("group_id", e.group_id)
    c.required("target_id", e.target_id)
    c.required("name", e.name)
    c.required("post", e.post)
    unknown = [k for k in e.dimensions if k not in vocab.PORTRAIT_DIMENSIONS]
    if unknown:
        c.add("dimensions", f"画像维度无效：{'、'.join(unknown)}")
    c.one_of("poll_scale", e.poll_scale, tuple(vocab.POLL_SCALES), optional=False)
    scale = vocab.POLL_SCALES.get(e.poll_scale, ())
    for option, count in e.poll_tallies.items():
        if option not in scale:
            c.add("poll_tallies", f"测评选项“{option}”不属于{e.poll_scale}")
        elif not isinstance(count, int) or count < 0:
            c.add("poll_tallies", f"测评票数“{option}”应为不小于 0 的整数")
    c.one_of("grade", e.grade, vocab.PORTRAIT_GRADES)
    c.not_future("evaluated_on", e.evaluated_on, today)
    c.not_future("term_start", e.term_start, today)
    c.one_of("marking", e.marking, vocab.MARKINGS, optional=False)
    return c.errors


@dataclass(frozen=True)
class MemberAppraisal:
    """巡察干部鉴定表 of one member of the group (mostly 抽调干部)."""

    id: str = ""
    number: str = fields.number()
    round_id: str = fields.round_ref()
    group_id: str = fields.group_ref()
    member_id: str = spec("巡察组成员", "")
    name: str = spec("姓名", "", searchable=True)
    gender: str = fields.gender()
    birth_month: str = fields.birth_month()
    political_status: str = fields.political_status()
    home_unit_post: str = spec("原单位及职务", "", searchable=True)
    duty: str = spec("组内分工", "")
    period_start: date | None = spec("在组开始日期", None, short="开始日期")
    period_end: date | None = spec("在组结束日期", None, short="结束日期")
    conduct_score: Decimal = spec("纪律作风评价得分", Decimal("0"))
    self_summary: str = spec("个人小结", "", searchable=True)
    leader_comments: dict[str, str] = spec("组长评价", default_factory=dict, searchable=True)
    grade: str = spec("鉴定等次", "", filter=True)
    recommend_excellent: bool = spec("推荐为优秀抽调干部", False, short="推荐优秀")
    group_opinion: str = spec("巡察组意见", "", searchable=True)
    office_opinion: str = spec("巡察办意见", "")
    feedback_unit: str = spec("反馈单位", "")
    appraised_on: date | None = spec("鉴定日期", None, date=True)
    marking: str = fields.marking()
    # 抽调干部考核 (added in schema 6): `grade` is the 组长's 推荐等次; the 领导小组's decision is
    # `approved_grade`; each step (推荐, 考核意见, 审定) is stamped in `approvals` by the workflow.
    status: str = spec("考核状态", "待推荐", indexed=True, filter=True, added_in=6)
    approved_grade: str = spec("审定等次", "", added_in=6)
    approvals: list[dict[str, Any]] = spec("考核记录", default_factory=list, added_in=6)
    meta: RecordMeta | None = field(default=None, compare=False)


def validate_appraisal(a: MemberAppraisal, today: date) -> list[FieldError]:
    c = Checker(MemberAppraisal)
    c.required("round_id", a.round_id)
    c.required("group_id", a.group_id)
    c.required("name", a.name)
    c.one_of("gender", a.gender, vocab.GENDERS)
    c.month("birth_month", a.birth_month)
    c.one_of("political_status", a.political_status, vocab.POLITICAL_STATUSES)
    c.one_of("duty", a.duty, vocab.MEMBER_DUTIES)
    c.order("period_end", a.period_start, a.period_end, "结束日期不能早于开始日期")
    if not Decimal(0) <= a.conduct_score <= Decimal(100):
        c.add("conduct_score", "纪律作风评价得分应在 0 至 100 之间")
    unknown = [k for k in a.leader_comments if k not in vocab.APPRAISAL_ASPECTS]
    if unknown:
        c.add("leader_comments", f"评价方面无效：{'、'.join(unknown)}")
    c.one_of("grade", a.grade, vocab.APPRAISAL_GRADES)
    c.one_of("status", a.status, vocab.APPRAISAL_STATES, optional=False)
    c.one_of("approved_grade", a.approved_grade, vocab.APPRAISAL_GRADES)
    # A step's facts must be there once the appraisal is past it (推荐 the grade, 考核意见 the office's).
    stage = vocab.APPRAISAL_STATES.index(a.status) if a.status in vocab.APPRAISAL_STATES else 0
    if stage >= 1:
        c.required("grade", a.grade, "鉴定等次（推荐等次）")
    if stage >= 2:
        c.required("office_opinion", a.office_opinion)
    if stage >= 3 and not a.approved_grade:
        c.add("approved_grade", "已审定的鉴定须填写审定等次")
    if a.recommend_excellent and a.grade and a.grade != "优秀":
        c.add("recommend_excellent", "只有等次为“优秀”的人员才能推荐为优秀抽调干部")
    c.not_future("appraised_on", a.appraised_on, today)
    c.one_of("marking", a.marking, vocab.MARKINGS, optional=False)
    return c.errors
