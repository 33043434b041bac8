"""The demo's context objects and its base record generator (interviews, portraits, appraisals, links);
demo_leads and demo_drafts extend it.

Everything comes from one random.Random, so a seed always gives the same workspace. Dates are fixed in the
2025 round (and clamped to today should the machine's clock be earlier), so content does not depend on the
day the demo is built.
"""

from __future__ import annotations

import random
import uuid
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from xuncha_desktop.domain.interview_records import InterviewRecord
from xuncha_desktop.domain.organization import (
    GroupMember,
    InspectionGroup,
    InspectionRound,
    Person,
    RecordLink,
    TargetUnit,
)
from xuncha_desktop.domain.personnel_evaluations import MemberAppraisal, PersonnelEvaluation
from xuncha_desktop.domain.record_types import APPRAISAL, EVALUATION, INTERVIEW, RecordType
from xuncha_desktop.services.demo import text as text
from xuncha_desktop.services.demo.text.weights import pick, table

ROUND_START, ROUND_END = date(2025, 9, 1), date(2025, 12, 31)
ONSITE_START, ONSITE_END = date(2025, 9, 8), date(2025, 11, 7)
INTERVIEW_TYPES = table(("选谈", "约谈", "主动要求谈话", "回访"), (70, 12, 12, 6))
INTERVIEW_MARKINGS = table(("工作秘密", "内部", "秘密★1年"), (80, 10, 10))


@dataclass(frozen=True)
class Calendar:
    """The days a demo round's records fall on: the round's start, the group's time on site, and the days
    after it (portraits late on site, transfers after the visit, 鉴定 a month later)."""

    start: date
    onsite_start: date
    onsite_end: date
    evaluations_from: date
    period_end: date  # the end of the period a 鉴定 covers
    appraised: tuple[date, date]
    late_transfers: tuple[date, date]  # leads handed over with the report, after the visit

    @classmethod
    def around(cls, start: date, onsite_start: date, onsite_end: date) -> Calendar:
        """The usual spacing: portraits in the last 30 % of the visit, 鉴定 five weeks after it."""
        days = timedelta(days=1)
        span = (onsite_end - onsite_start).days
        return cls(
            start,
            onsite_start,
            onsite_end,
            onsite_start + round(0.7 * span) * days,
            onsite_end + 21 * days,
            (onsite_end + 31 * days, onsite_end + 42 * days),
            (onsite_end + 10 * days, onsite_end + 49 * days),
        )

    @property
    def period(self) -> str:
        """于2025年9月至11月: the months a 鉴定 covers."""
        end = self.period_end
        until = f"{end.month}月" if end.year == self.start.year else f"{end.year}年{end.month}月"
        return f"于{self.start.year}年{self.start.month}月至{until}"


DEMO_CALENDAR = Calendar.around(ROUND_START, ONSITE_START, ONSITE_END)


def new_uuid(rng: random.Random) -> str:
    return str(uuid.UUID(int=rng.getrandbits(128), version=4))


@dataclass
class GroupCtx:
    group: InspectionGroup
    members: list[GroupMember]
    counters: Counter[str] = field(default_factory=Counter)
    workload: dict[str, Counter[str]] = field(default_factory=dict)

    def role(self, role: str) -> list[GroupMember]:
        return [m for m in self.members if m.role == role]

    @property
    def chief(self) -> GroupMember:
        return self.role("组长")[0]

    @property
    def deputies(self) -> list[GroupMember]:
        return self.role("副组长")

    @property
    def staff(self) -> list[GroupMember]:
        return [m for m in self.members if m.role in ("组员", "联络员")]

    def count(self, member: GroupMember, what: str) -> None:
        self.workload.setdefault(member.name, Counter())[what] += 1


@dataclass
class UnitCtx:
    target: TargetUnit
    text: dict[str, Any]  # the unit as demo_text functions take it
    group: GroupCtx
    leaders: list[Person]
    staff: list[Person]
    portfolios: dict[str, str]  # person id → 分管
    interviews: list[tuple[str, date, str, int]] = field(default_factory=list)  # id, date, name, pages
    leads: list[tuple[str, date]] = field(default_factory=list)
    draft_numbers: list[str] = field(default_factory=list)

    def persons_slots(self, rng: random.Random) -> dict[str, str]:
        """Names for the text templates: the top leader, another leader and one of the staff."""
        other = rng.choice(self.leaders[1:] or self.leaders)
        staff = rng.choice(self.staff) if self.staff else other
        return {
            "top": self.leaders[0].name,
            "leader": other.name,
            "lpost": other.post,
            "staff": staff.name,
            "spost": staff.post,
        }


class BaseGenerator:
    """Makes the records of one demo workspace; the context (round, groups, units) is set by the caller.

    This part makes interviews, portraits and appraisals; demo_leads and demo_drafts add the rest.
    """

    def __init__(
        self, rng: random.Random, today: date, rnd: InspectionRound, calendar: Calendar = DEMO_CALENDAR
    ) -> None:
        self.rng = rng
        self.today = today
        self.round = rnd
        self.calendar = calendar
        self.groups: list[GroupCtx] = []
        self.units: list[UnitCtx] = []
        self.links: list[RecordLink] = []
        # draft index → (index of its unit, evidence items of the attachments it carries)
        self.attach_to: dict[int, tuple[int, list[dict[str, Any]]]] = {}
        self.attached: dict[int, str] = {}  # draft index → id of the draft that carries them

    # -- helpers ----------------------------------------------------------------------------------------
    def new_id(self) -> str:
        return new_uuid(self.rng)

    def number(self, rt: RecordType, group: GroupCtx) -> str:
        """Like services.records.next_number: 2025-3轮-2组-底稿-017, counted per type within the group."""
        group.counters[rt.key] += 1
        rnd, serial = self.round, group.counters[rt.key]
        return f"{rnd.year}-{rnd.ordinal}轮-{group.group.ordinal}组-{rt.number_label}-{serial:03d}"

    def clamp(self, day: date) -> date:
        return min(day, self.today)

    def workday(self, start: date, end: date) -> date:
        day = start + timedelta(days=self.rng.randint(0, max(0, (end - start).days)))
        if day.weekday() >= 5:  # a Saturday or Sunday moves to the Friday before
            day -= timedelta(days=day.weekday() - 4)
        return self.clamp(max(day, start))

    def after(self, day: date, lo: int, hi: int) -> date:
        return self.clamp(day + timedelta(days=self.rng.randint(lo, hi)))

    def stamp(self, day: date) -> str:
        """A sign-off time on `day` in office hours, ISO 8601 with the China offset."""
        return f"{day.isoformat()}T{self.rng.randint(8, 17):02d}:{self.rng.randrange(0, 60, 5):02d}:00+08:00"

    def link(self, from_type: str, from_id: str, to_type: str, to_id: str, kind: str) -> None:
        self.links.append(RecordLink(self.new_id(), "", from_type, from_id, to_type, to_id, kind))

    def pick_unit(self) -> UnitCtx:
        return self.rng.choice(self.units)

    # -- 个别谈话记录 ---------------------------------------------------------------------------------------
    def interviews(self, count: int) -> Iterator[InterviewRecord]:
        rng = self.rng
        for _ in range(count):
            unit = self.pick_unit()
            group = unit.group
            talkers = [group.chief, *group.deputies, *group.role("组员")]
            interviewer = rng.choice(talkers)
            recorder = rng.choice([m for m in group.members if m is not interviewer and m.role != "组长"])
            leader = rng.random() < 0.35 or not unit.staff
            person = rng.choice(unit.leaders if leader else unit.staff)
            kind = "必谈" if leader else pick(rng, INTERVIEW_TYPES)
            held_on = self.workday(self.calendar.onsite_start + timedelta(days=1), self.calendar.onsite_end)
            start = rng.randint(16, 32) * 30  # 08:00 to 16:00
            end = start + rng.randint(3, 12) * 10
            words = text.interview(
                rng,
                person.name,
                text.full_post(unit.text, person.post),
                unit.text,
                interviewer=interviewer.name,
                recorder=recorder.name,
                group_ordinal=group.group.ordinal,
                persons=unit.persons_slots(rng),
                portfolio=unit.portfolios.get(person.id, ""),
                birth_year=int(person.birth_month[:4]),
            )
            record = InterviewRecord(
                id=self.new_id(),
                number=self.number(INTERVIEW, group),
                round_id=self.round.id,
                group_id=group.group.id,
                target_id=unit.target.id,
                held_on=held_on,
                start_time=f"{start // 60:02d}:{start % 60:02d}",
                end_time=f"{end // 60:02d}:{end % 60:02d}",
                location=text.place(rng, unit.text),
                interviewer=interviewer.name,
                recorder=recorder.name,
                interview_type=kind,
                interviewee_id=person.id,
                interviewee_name=person.name,
                gender=person.gender,
                birth_month=person.birth_month,
                political_status=person.political_status,
                post=text.full_post(unit.text, person.post),
                rank=person.rank,
                contact=f"1{rng.choice('3578')}{rng.randint(0, 9)}{rng.randint(0, 99999999):08d}",
                notice_given=True,
                outline=words["outline"],
                content=words["content"],
                problems=words["problems"],
                persons_involved=words["persons_involved"],
                team_evaluation=words["team_evaluation"],
                page_count=words["page_count"],
                interviewer_signed=True,
                recorder_signed=True,
                interviewee_signed=rng.random() < 0.8,
                marking=pick(rng, INTERVIEW_MARKINGS),
            )
            unit.interviews.append((record.id, held_on, person.name, record.page_count))
            group.count(interviewer, "interviews")
            group.count(recorder, "interviews")
            yield record

    # -- 干部画像 and 巡察干部鉴定 ---------------------------------------------------------------------------
    def evaluations(self, count: int) -> Iterator[PersonnelEvaluation]:
        rng, cal = self.rng, self.calendar
        seen: Counter[str] = Counter()
        for _ in range(count):
            unit = self.pick_unit()
            group = unit.group
            people = unit.leaders + unit.staff
            person = people[seen[unit.target.id] % len(people)]  # the leaders first, then the middle ranks
            seen[unit.target.id] += 1
            post = text.full_post(unit.text, person.post)
            words = text.portrait(rng, person.name, post, unit.text)
            yield PersonnelEvaluation(
                id=self.new_id(),
                number=self.number(EVALUATION, group),
                round_id=self.round.id,
                group_id=group.group.id,
                target_id=unit.target.id,
                person_id=person.id,
                name=person.name,
                post=post,
                term_start=date(rng.randint(2017, 2024), rng.randint(1, 12), 1),
                portfolio=unit.portfolios.get(person.id, ""),
                is_top_leader=person is unit.leaders[0],
                dimensions=words["dimensions"],
                poll_scale="个人测评",
                poll_tallies=words["poll_tallies"],
                overall=words["overall"],
                grade=words["grade"],
                flag_for_org=words["flag_for_org"],
                evaluated_on=self.workday(cal.evaluations_from, cal.onsite_end + timedelta(days=7)),
                evaluator=rng.choice([group.chief, *group.deputies]).name,
            )

    def appraisals(self) -> Iterator[MemberAppraisal]:
        """One 鉴定 per member; at most one seconded member per group is 优秀 (within the 20 % cap)."""
        rng, cal = self.rng, self.calendar
        for group in self.groups:
            seconded = [m for m in group.members if m.staffing == "抽调"]
            best = rng.choice(seconded) if seconded else None
            for member in group.members:
                grade = "优秀" if member is best else "称职"
                work = group.workload.get(member.name, Counter())
                words = text.appraisal(
                    rng,
                    member.name,
                    member.role,
                    member.duty,
                    f"{member.home_unit}{member.home_post}",
                    grade=grade,
                    group_label=group.group.name,
                    staffing=member.staffing,
                    period=cal.period,
                    workload={k: work[k] for k in ("interviews", "drafts", "leads")},
                )
                yield MemberAppraisal(
                    id=self.new_id(),
                    number=self.number(APPRAISAL, group),
                    round_id=self.round.id,
                    group_id=group.group.id,
                    member_id=member.id,
                    name=member.name,
                    gender=member.gender,
                    birth_month=member.birth_month,
                    political_status=member.political_status,
                    home_unit_post=f"{member.home_unit}{member.home_post}",
                    duty=member.duty,
                    period_start=cal.start,
                    period_end=cal.period_end,
                    conduct_score=Decimal(words["conduct_score"]),
                    self_summary=words["self_summary"],
                    leader_comments=words["leader_comments"],
                    grade=grade,
                    recommend_excellent=grade == "优秀",
                    group_opinion=words["group_opinion"],
                    office_opinion=words["office_opinion"],
                    feedback_unit=member.home_unit,
                    appraised_on=self.workday(*cal.appraised),
                )
