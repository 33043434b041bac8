"""干部评价: the 画像 of the inspected unit's leaders (with 民主测评 tallies) and the 鉴定 of the group's own
seconded members (domain README §1.4)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from xuncha_desktop.domain import vocab
from xuncha_desktop.domain.common import Checker, RecordMeta
from xuncha_desktop.domain.errors import FieldError


@dataclass(frozen=True)
class PersonnelEvaluation:
    """政治画像 / 一把手画像 of one leader of the inspected unit."""

    id: str = ""
    number: str = ""
    round_id: str = ""
    group_id: str = ""
    target_id: str = ""
    person_id: str = ""
    name: str = ""
    post: str = ""
    term_start: date | None = None
    portfolio: str = ""
    is_top_leader: bool = False
    dimensions: dict[str, str] = field(default_factory=dict)
    poll_scale: str = "个人测评"
    poll_tallies: dict[str, int] = field(default_factory=dict)
    overall: str = ""
    grade: str = ""
    flag_for_org: bool = False
    evaluated_on: date | None = None
    evaluator: str = ""
    marking: str = "工作秘密"
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
    c = Checker()
    c.required("round_id", e.round_id, "巡察轮次")
    c.required("group_id", e.group_id, "巡察组")
    c.required("target_id", e.target_id, "被巡察单位")
    c.required("name", e.name, "被评价人姓名")
    c.required("post", e.post, "职务")
    unknown = [k for k in e.dimensions if k not in vocab.PORTRAIT_DIMENSIONS]
    if unknown:
        c.add("dimensions", f"画像维度无效：{'、'.join(unknown)}")
    c.one_of("poll_scale", e.poll_scale, tuple(vocab.POLL_SCALES), "测评类型", optional=False)
    scale = vocab.POLL_SCALES.get(e.poll_scale, ())
    for option, count in e.poll_tallies.items():
        if option not in scale:
            c.add("poll_tallies", f"测评选项“{option}”不属于{e.poll_scale}")
        elif not isinstance(count, int) or count < 0:
            c.add("poll_tallies", f"测评票数“{option}”应为不小于 0 的整数")
    c.one_of("grade", e.grade, vocab.PORTRAIT_GRADES, "画像等次")
    c.not_future("evaluated_on", e.evaluated_on, "评价日期", today)
    c.not_future("term_start", e.term_start, "任职时间", today)
    c.one_of("marking", e.marking, vocab.MARKINGS, "密级标识", optional=False)
    return c.errors


@dataclass(frozen=True)
class MemberAppraisal:
    """巡察干部鉴定表 of one member of the group (mostly 抽调干部)."""

    id: str = ""
    number: str = ""
    round_id: str = ""
    group_id: str = ""
    member_id: str = ""
    name: str = ""
    gender: str = ""
    birth_month: str = ""
    political_status: str = ""
    home_unit_post: str = ""
    duty: str = ""
    period_start: date | None = None
    period_end: date | None = None
    conduct_score: Decimal = Decimal("0")
    self_summary: str = ""
    leader_comments: dict[str, str] = field(default_factory=dict)
    grade: str = ""
    recommend_excellent: bool = False
    group_opinion: str = ""
    office_opinion: str = ""
    feedback_unit: str = ""
    appraised_on: date | None = None
    marking: str = "工作秘密"
    meta: RecordMeta | None = field(default=None, compare=False)


def validate_appraisal(a: MemberAppraisal, today: date) -> list[FieldError]:
    c = Checker()
    c.required("round_id", a.round_id, "巡察轮次")
    c.required("group_id", a.group_id, "巡察组")
    c.required("name", a.name, "姓名")
    c.one_of("gender", a.gender, vocab.GENDERS, "性别")
    c.month("birth_month", a.birth_month, "出生年月")
    c.one_of("political_status", a.political_status, vocab.POLITICAL_STATUSES, "政治面貌")
    c.one_of("duty", a.duty, vocab.MEMBER_DUTIES, "组内分工")
    c.order("period_end", a.period_start, a.period_end, "结束日期不能早于开始日期")
    if not Decimal(0) <= a.conduct_score <= Decimal(100):
        c.add("conduct_score", "纪律作风评价得分应在 0 至 100 之间")
    unknown = [k for k in a.leader_comments if k not in vocab.APPRAISAL_ASPECTS]
    if unknown:
        c.add("leader_comments", f"评价方面无效：{'、'.join(unknown)}")
    c.one_of("grade", a.grade, vocab.APPRAISAL_GRADES, "鉴定等次")
    if a.recommend_excellent and a.grade and a.grade != "优秀":
        c.add("recommend_excellent", "只有等次为“优秀”的人员才能推荐为优秀抽调干部")
    c.not_future("appraised_on", a.appraised_on, "鉴定日期", today)
    c.one_of("marking", a.marking, vocab.MARKINGS, "密级标识", optional=False)
    return c.errors
