"""巡察组质效评估 (domain README §5.2): the groups of a round scored under a configurable, versioned scheme
(services.scoring, the same pattern as 整改质效评估) and ranked, each score explained line by line; a
ranking the office publishes is stored as it was (GroupScoreResult) and never reckoned again.

What is counted for a group, in its round (live records only):
- 一般 / 较重 / 重大问题: its 底稿 adopted as findings (已审签 or 已归并, as the statistics count 发现问题),
  by 问题严重程度 (empty counts as 一般); 立行立改: those of them marked 立行立改.
- 移交问题线索: its leads with a 移交日期; 线索立案: those of them with 立案 (the bonus for a case opened).
- 专题报告 and 意见建议: the numbers entered on the group (InspectionGroup).
- 底稿退回修改: every 退回修改 step in the sign-offs of its 底稿 (a draft returned twice counts twice).
- 底稿逾期审签 (the overdue step chosen): a 底稿 not voided or merged whose 审签通过 came after the
  round's 撤离日期, or that is still not signed once the 撤离日期 has passed (no 撤离日期: none).
- 线索反馈超期: its transferred leads without feedback after three months (the statistics' rule).
- Size: its members (GroupMember) and the units it inspected (TargetUnit of the group).

The score: 基础分 + the count items' points (each limited to its cap) = 计分项小计; then each 折算 item
multiplies the points reached so far by (round average ÷ the group's own figure) ^ weight — 按组员人数折算
with the members, 按被巡察单位数折算 with the units, the averages over the round's groups that have any —
and its line shows the difference it makes. The base is not scaled. A negative total counts as 0."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any, cast

from xuncha_desktop.domain import vocab
from xuncha_desktop.domain.errors import RecordNotFound, WorkflowError, XunchaError
from xuncha_desktop.domain.group_scores import GroupScoreResult
from xuncha_desktop.domain.issue_drafts import IssueDraft
from xuncha_desktop.domain.lead_registrations import LeadRegistration, is_overdue
from xuncha_desktop.domain.organization import GroupMember, InspectionGroup, InspectionRound, TargetUnit
from xuncha_desktop.domain.record_types import DRAFT, GROUP, GROUP_SCORE, LEAD, MEMBER, ROUND, TARGET
from xuncha_desktop.domain.states import DraftState, DraftStep
from xuncha_desktop.services import scoring
from xuncha_desktop.services.records.record_service import ListQuery, RecordService
from xuncha_desktop.services.scoring import COUNT, FACTOR, Scheme, SchemeItem, ScoreLine
from xuncha_desktop.services.workspace import Workspace

PAGE = 2000
METRICS: dict[str, tuple[str, str]] = {
    "issues_general": ("一般问题", COUNT),
    "issues_serious": ("较重问题", COUNT),
    "issues_major": ("重大问题", COUNT),
    "immediate_fixes": ("立行立改", COUNT),
    "leads_transferred": ("移交问题线索", COUNT),
    "cases_opened": ("线索立案", COUNT),
    "special_reports": ("专题报告", COUNT),
    "recommendations": ("意见建议", COUNT),
    "drafts_returned": ("底稿退回修改", COUNT),
    "drafts_late": ("底稿逾期审签", COUNT),
    "leads_overdue": ("线索反馈超期", COUNT),
    "per_member": ("按组员人数折算", FACTOR),
    "per_unit": ("按被巡察单位数折算", FACTOR),
}
UNITS = {key: "个" for key in ("issues_general", "issues_serious", "issues_major", "immediate_fixes")}
UNITS |= {"leads_transferred": "件", "cases_opened": "件", "leads_overdue": "件", "drafts_returned": "次"}
UNITS |= {"special_reports": "份", "recommendations": "条", "drafts_late": "份"}
MEASURES = {
    "issues_general": "本组已审签（含归并）的一般问题底稿（未填严重程度的按一般计）",
    "issues_serious": "本组已审签（含归并）的较重问题底稿",
    "issues_major": "本组已审签（含归并）的重大问题底稿",
    "immediate_fixes": "本组已审签（含归并）底稿中的立行立改问题",
    "leads_transferred": "本组已移交（填有移交日期）的问题线索",
    "cases_opened": "本组已移交线索中已立案的（成案加分）",
    "special_reports": "本组形成的专题报告",
    "recommendations": "本组提出的意见建议",
    "drafts_returned": "本组底稿被副组长、组长退回修改的次数",
    "drafts_late": "撤离日期后才审签、或撤离后仍未审签的底稿（已作废、已归并的不计）",
    "leads_overdue": "本组移交后超过三个月未反馈的线索",
    "per_member": "按本组组员人数与全轮各组平均人数之比折算计分项得分：(平均人数 ÷ 本组人数) 的权重次方",
    "per_unit": "按本组被巡察单位数与全轮各组平均数之比折算计分项得分：(平均单位数 ÷ 本组单位数) 的权重次方",
}


@dataclass(frozen=True)
class GroupScheme(Scheme):
    base: float = 0.0
    name: str = "巡察组质效评估方案"


DEFAULT_SCHEME = GroupScheme(
    version="默认-1",
    items=(
        SchemeItem("issues_general", "一般问题", 1),
        SchemeItem("issues_serious", "较重问题", 2),
        SchemeItem("issues_major", "重大问题", 4),
        SchemeItem("immediate_fixes", "立行立改", 0.5),
        SchemeItem("leads_transferred", "移交问题线索", 3),
        SchemeItem("cases_opened", "线索立案", 2),
        SchemeItem("special_reports", "专题报告", 2),
        SchemeItem("drafts_returned", "底稿退回修改", -0.5, 10),
        SchemeItem("drafts_late", "底稿逾期审签", -1, 10),
        SchemeItem("per_member", "按组员人数折算", 1),
        SchemeItem("per_unit", "按被巡察单位数折算", 1),
    ),
)
FAMILY = scoring.SchemeFamily(
    title="巡察组质效评估方案",
    screen="巡察组质效评估",
    prefix="group_scoring.scheme/",
    current_key="group_scoring.scheme.current",
    audit_action="group_scheme",
    metrics=METRICS,
    units=UNITS,
    measures=MEASURES,
    default=DEFAULT_SCHEME,
    scheme_class=GroupScheme,
    zero_base=True,
    intro=(
        "各巡察组的质效得分 = 基础分 + 计数项按个数加减分（以上限为限）的小计，再按折算项以全轮平均"
        "组员人数、被巡察单位数折算，最低 0 分。已保存的方案版本不能再修改：修改后请另存为新版本；"
        "已发布的评估结果按发布时的版本保存，不随方案改变。"
    ),
)


@dataclass
class GroupFacts:
    """What the scheme scores, counted for one group of the round."""

    members: int = 0
    units: int = 0
    issues_general: int = 0
    issues_serious: int = 0
    issues_major: int = 0
    immediate_fixes: int = 0
    leads_transferred: int = 0
    cases_opened: int = 0
    special_reports: int = 0
    recommendations: int = 0
    drafts_returned: int = 0
    drafts_late: int = 0
    leads_overdue: int = 0


@dataclass
class GroupScore:
    group_id: str
    group_name: str
    score: float
    lines: list[ScoreLine] = field(default_factory=list)
    rank: int = 0
    scheme_version: str = ""


# -- the scheme -------------------------------------------------------------------------------------------


def load_scheme(ws: Workspace, version: str = "") -> GroupScheme:
    return cast(GroupScheme, scoring.load_scheme(ws, FAMILY, version))


def scheme_versions(ws: Workspace) -> list[str]:
    return scoring.scheme_versions(ws, FAMILY)


def save_scheme(ws: Workspace, scheme: Scheme) -> None:
    scoring.save_scheme(ws, FAMILY, scheme)


# -- the facts ---------------------------------------------------------------------------------------------


def _records(ws: Workspace, rt: Any, **filters: str) -> list[Any]:
    return list(RecordService[Any](ws, rt).iterate(ListQuery(filters=filters), batch=PAGE))


def _signed_on(d: IssueDraft) -> date | None:
    """The day of the draft's last 审签通过, None when it has none."""
    days = [s.get("at", "")[:10] for s in d.signoffs if s.get("step") == DraftStep.APPROVE]
    return date.fromisoformat(days[-1]) if days and days[-1] else None


def is_late(d: IssueDraft, end_on: date | None, today: date) -> bool:
    """底稿逾期审签: signed after the 撤离日期, or still unsigned once it has passed."""
    if end_on is None or d.status in (DraftState.VOID, DraftState.MERGED):
        return False
    if d.status == DraftState.SIGNED:
        signed = _signed_on(d)
        return signed is not None and signed > end_on
    return today > end_on


def _add_draft(f: GroupFacts, d: IssueDraft, end_on: date | None, today: date) -> None:
    f.drafts_returned += sum(1 for s in d.signoffs if s.get("step") == DraftStep.RETURN)
    f.drafts_late += is_late(d, end_on, today)
    if d.status not in DraftState.ADOPTED:
        return
    severity = d.severity or vocab.ISSUE_SEVERITIES[0]
    name = {"一般": "issues_general", "较重": "issues_serious", "重大": "issues_major"}.get(severity)
    if name:
        setattr(f, name, getattr(f, name) + 1)
    f.immediate_fixes += d.immediate_fix


def _add_lead(f: GroupFacts, lead: LeadRegistration, today: date) -> None:
    if lead.transfer_on is None:
        return
    f.leads_transferred += 1
    f.cases_opened += lead.case_opened
    f.leads_overdue += is_overdue(lead, today)


def group_facts(
    ws: Workspace, round_id: str, today: date
) -> tuple[list[InspectionGroup], dict[str, GroupFacts]]:
    """The round's groups (in number order) and what is counted for each."""
    rnd: InspectionRound = RecordService[Any](ws, ROUND).stored(round_id)
    groups: list[InspectionGroup] = _records(ws, GROUP, round_id=round_id)
    facts = {
        g.id: GroupFacts(special_reports=g.special_reports, recommendations=g.recommendations) for g in groups
    }
    for unit in cast(list[TargetUnit], _records(ws, TARGET, round_id=round_id)):
        if unit.group_id in facts:
            facts[unit.group_id].units += 1
    for g in groups:
        facts[g.id].members = len(cast(list[GroupMember], _records(ws, MEMBER, group_id=g.id)))
    for d in cast(list[IssueDraft], _records(ws, DRAFT, round_id=round_id)):
        if d.group_id in facts:
            _add_draft(facts[d.group_id], d, rnd.end_on, today)
    for lead in cast(list[LeadRegistration], _records(ws, LEAD, round_id=round_id)):
        if lead.group_id in facts:
            _add_lead(facts[lead.group_id], lead, today)
    return groups, facts


# -- scoring -----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Averages:
    """The round's average members and units per group (over the groups that have any; 0: none has)."""

    members: float
    units: float


def averages(facts: dict[str, GroupFacts]) -> Averages:
    def mean(values: list[int]) -> float:
        present = [v for v in values if v > 0]
        return sum(present) / len(present) if present else 0.0

    return Averages(mean([f.members for f in facts.values()]), mean([f.units for f in facts.values()]))


def factor_line(item: SchemeItem, own: int, average: float, reached: float) -> ScoreLine:
    """A 折算 item applied: `reached` (the points of the count items, scaled by the factors before) times
    (average ÷ own) ^ weight, minus `reached`; explained with every number used."""
    noun, unit = ("组员", "人") if item.metric == "per_member" else ("被巡察单位", "个")
    if not item.points:
        return ScoreLine(item.label, 1.0, 0.0, "折算权重为 0，不折算")
    if own <= 0 or average <= 0:
        return ScoreLine(item.label, 1.0, 0.0, f"本组未登记{noun}，不折算")
    factor = (average / own) ** item.points
    points = round(reached * (factor - 1), 2)
    power = "" if item.points == 1 else f" 的 {item.points:g} 次方"
    text = (
        f"本组{noun} {own} {unit}，全轮各组平均 {average:.2f} {unit}；系数 = ({average:.2f} ÷ {own}){power}"
        f" = {factor:.4f}；已计得分 {reached:.2f} 分 × ({factor:.4f} − 1) = {points:+.2f} 分"
    )
    return ScoreLine(item.label, round(factor, 4), points, text)


def score_group(group: InspectionGroup, f: GroupFacts, avg: Averages, scheme: Scheme) -> GroupScore:
    """One group under the scheme: base, each count item, 计分项小计, each 折算 item, total."""
    lines = [scoring.base_line(scheme, f"基础分 {scheme.base:g} 分（不参与折算），按以下各项加分、扣分")]
    counts = [i for i in scheme.items if METRICS[i.metric][1] == COUNT]
    lines += [scoring.count_line(i, getattr(f, i.metric), UNITS.get(i.metric, "项")) for i in counts]
    reached = round(sum(line.points for line in lines[1:]), 2)
    factors = [i for i in scheme.items if METRICS[i.metric][1] == FACTOR]
    if factors:
        lines.append(
            ScoreLine("计分项小计", reached, 0.0, f"以上计分项合计 {reached:.2f} 分，下面按规模折算")
        )
    for item in factors:
        own, average = (f.members, avg.members) if item.metric == "per_member" else (f.units, avg.units)
        line = factor_line(item, own, average, reached)
        lines.append(line)
        reached = round(reached + line.points, 2)
    total = scoring.total_of(lines)
    return GroupScore(group.id, group.name, total, lines, scheme_version=scheme.version)


def score_round(
    ws: Workspace, round_id: str, scheme: Scheme | None = None, *, today: date | None = None
) -> list[GroupScore]:
    """Every group of the round scored under `scheme` (default: the current one) and ranked: highest
    first, equal scores share a rank; each carries the scheme's version."""
    scheme = scheme or load_scheme(ws)
    groups, facts = group_facts(ws, round_id, today or date.today())
    avg = averages(facts)
    scored = [score_group(g, facts[g.id], avg, scheme) for g in groups]
    return scoring.rank(scored, lambda s: (s.group_name, s.group_id))


# -- publishing --------------------------------------------------------------------------------------------


def _num(x: float) -> str:
    """A number as stored in a record body (no floats there): 7.5 → "7.5", 1.0 → "1"."""
    return f"{x:.4f}".rstrip("0").rstrip(".") or "0"


def as_groups(ranked: list[GroupScore]) -> list[dict[str, Any]]:
    """The stored form of a ranking (GroupScoreResult.groups); numbers as text, read back exactly."""
    return [
        {
            "group_id": s.group_id,
            "group_name": s.group_name,
            "rank": s.rank,
            "score": _num(s.score),
            "lines": [
                {
                    "label": x.label,
                    "value": _num(x.value),
                    "points": _num(x.points),
                    "explanation": x.explanation,
                }
                for x in s.lines
            ],
        }
        for s in ranked
    ]


def from_groups(result: GroupScoreResult) -> list[GroupScore]:
    """A published result as it was stored, never reckoned again."""
    return [
        GroupScore(
            g["group_id"],
            g["group_name"],
            float(g["score"]),
            [
                ScoreLine(x["label"], float(x["value"]), float(x["points"]), x["explanation"])
                for x in g["lines"]
            ],
            int(g["rank"]),
            result.scheme_version,
        )
        for g in result.groups
    ]


def may_publish(ws: Workspace) -> bool:
    """Only the 巡察办管理员 publishes a ranking."""
    return ws.user.role == vocab.OFFICE_ADMIN


def publish(
    ws: Workspace, round_id: str, scheme_version: str, *, today: date | None = None, note: str = ""
) -> GroupScoreResult:
    """Score the round under `scheme_version` and store the ranking as published (a GroupScoreResult
    saved through RecordService: audited as any record). Only the 巡察办管理员 publishes."""
    if not may_publish(ws):
        raise WorkflowError(f"只有{vocab.OFFICE_ADMIN}可以发布巡察组质效评估结果（当前用户为{ws.user.role}）")
    day = today or date.today()
    scheme = load_scheme(ws, scheme_version)
    ranked = score_round(ws, round_id, scheme, today=day)
    if not ranked:
        raise XunchaError("本轮没有巡察组，无法发布质效评估结果")
    result = GroupScoreResult(
        round_id=round_id,
        scheme_version=scheme.version,
        published_on=day,
        published_by=ws.user.display_name,
        groups=as_groups(ranked),
        note=note,
    )
    return RecordService[GroupScoreResult](ws, GROUP_SCORE).save(result)


def published(ws: Workspace, round_id: str) -> list[GroupScoreResult]:
    """The round's published results, newest first."""
    found = _records(ws, GROUP_SCORE, round_id=round_id)

    def when(r: GroupScoreResult) -> tuple[date, str, str]:
        return (r.published_on or date.min, r.meta.created_at if r.meta else "", r.number)

    return sorted(found, key=when, reverse=True)


def published_result(ws: Workspace, result_id: str) -> GroupScoreResult:
    try:
        return RecordService[GroupScoreResult](ws, GROUP_SCORE).get(result_id)
    except RecordNotFound:
        raise RecordNotFound("找不到这份已发布的巡察组质效评估结果") from None
