"""The office demo (`demo --office`): an office workspace a newcomer can explore — 清河县's 党组织名录 for the
term, the 巡察人才库, two finished rounds and one on site today with their groups staffed from the pool, and
the merged records of every group (talks, drafts, leads, 信访件, portraits and, for the finished rounds,
a 鉴定 of every member), and the finished rounds' rectification: 反馈, 整改任务 with 督导 notes, 验收 and
销号, the 回头看 round's re-checks of the first round and a 移交线索对账 mark (office_rectification).

The plan comes from office_plan; the records from the field demo's generators (records, drafts, leads), one
per round, with the round's calendar. Everything is written by the demo's batch writer in one transaction;
the same seed and day give the same workspace."""

from __future__ import annotations

import dataclasses
import random
from collections.abc import Iterator
from dataclasses import dataclass, fields, replace
from datetime import date, datetime, time, timedelta
from typing import Any

from xuncha_desktop.domain import vocab
from xuncha_desktop.domain.errors import XunchaError
from xuncha_desktop.domain.issue_drafts import IssueDraft
from xuncha_desktop.domain.organization import GroupMember, User
from xuncha_desktop.domain.personnel_evaluations import MemberAppraisal
from xuncha_desktop.domain.record_types import (
    APPRAISAL,
    ATTACHMENT,
    CADRE,
    DRAFT,
    EVALUATION,
    FEEDBACK,
    GROUP,
    INTERVIEW,
    LEAD,
    LINK,
    MEMBER,
    PARTY_ORGANIZATION,
    PERSON,
    PETITION,
    RECHECK,
    RECONCILIATION,
    ROUND,
    SUPERVISION,
    TARGET,
    TASK,
    USER,
)
from xuncha_desktop.domain.states import DraftState, LeadState
from xuncha_desktop.domain.workflow import Move
from xuncha_desktop.domain.workflows import (
    APPRAISAL_APPROVE,
    APPRAISAL_OPINION,
    APPRAISAL_RECOMMEND,
    APPRAISAL_WORKFLOW,
    excellent_limit,
)
from xuncha_desktop.services.demo import office_figures
from xuncha_desktop.services.demo import text as text
from xuncha_desktop.services.demo.build import Generator, Sink, split_records, unit_person
from xuncha_desktop.services.demo.office_plan import OfficePlan, RoundPlan, office_plan
from xuncha_desktop.services.demo.office_rectification import Rectification, RectificationMaker
from xuncha_desktop.services.demo.petitions import demo_petitions
from xuncha_desktop.services.demo.records import GroupCtx, UnitCtx, new_uuid
from xuncha_desktop.services.demo.text.weights import pick, table
from xuncha_desktop.services.progress import NullProgress, Progress
from xuncha_desktop.services.workspace import Workspace
from xuncha_desktop.storage.blobs import put_blob

RECORDS = 360  # main records of all rounds together
PETITIONS_PER_ROUND = 6  # 信访件: the field demo's planned ones and one that became a lead
ROUND_SHARES = (0.38, 0.32, 0.30)  # of the records: the first, the second and the current round
FINISHED_DRAFTS = table((DraftState.SIGNED, DraftState.MERGED, DraftState.VOID), (86, 8, 6))
# Leads of a finished round were all handed over; the older round's receivers have answered more of them.
FINISHED_LEADS = (
    table((LeadState.TRANSFERRED, LeadState.FED_BACK, LeadState.CLOSED), (15, 35, 50)),
    table((LeadState.TRANSFERRED, LeadState.FED_BACK, LeadState.CLOSED), (40, 40, 20)),
)
CURRENT_LEADS = table(
    (LeadState.REGISTERED, LeadState.JUDGED, LeadState.PROPOSED, LeadState.TRANSFERRED), (30, 30, 25, 15)
)


@dataclass(frozen=True)
class OfficeSummary:
    """How many records of each type the office demo wrote."""

    party_orgs: int = 0
    cadres: int = 0
    rounds: int = 0
    groups: int = 0
    members: int = 0
    users: int = 0
    targets: int = 0
    persons: int = 0
    interviews: int = 0
    drafts: int = 0
    leads: int = 0
    evaluations: int = 0
    appraisals: int = 0
    feedbacks: int = 0
    tasks: int = 0
    supervisions: int = 0
    rechecks: int = 0
    reconciliations: int = 0
    attachments: int = 0
    links: int = 0
    petitions: int = 0

    def describe(self) -> str:
        """The summary line the command prints, in Chinese."""
        parts = (
            f"党组织 {self.party_orgs} 个",
            f"人才库 {self.cadres} 人",
            f"巡察轮次 {self.rounds} 轮",
            f"巡察组 {self.groups} 个",
            f"组员 {self.members} 人次",
            f"被巡察单位 {self.targets} 个次",
            f"个别谈话记录 {self.interviews}",
            f"问题底稿 {self.drafts}",
            f"问题线索 {self.leads}",
            f"信访件 {self.petitions}",
            f"干部画像 {self.evaluations}",
            f"巡察干部鉴定 {self.appraisals}",
            f"巡察反馈 {self.feedbacks}",
            f"整改任务 {self.tasks}",
            f"督导记录 {self.supervisions}",
            f"回头看复查 {self.rechecks}",
        )
        return "、".join(parts)


class OfficeGenerator(Generator):
    """The field demo's generator for one round of the office demo: a finished round's drafts are signed
    (a few merged or voided) and its leads handed over; the current round's work is under way."""

    def __init__(
        self, rng: random.Random, today: date, plan: RoundPlan, older: bool, figures: random.Random
    ) -> None:
        super().__init__(rng, today, plan.round, plan.calendar)
        self.finished = plan.finished
        self.closing = FINISHED_LEADS[0 if older else 1]
        self.figures = figures  # office_figures' own random source

    def _workflow(
        self, state: str, edited: bool, draft: IssueDraft, group: GroupCtx, reviewer: GroupMember, other: str
    ) -> dict[str, Any]:
        # 严重程度 and 挽回经济损失 go in before the sign-offs hash the draft's content.
        inputs = office_figures.draft_outcome(self.figures, draft, state)
        flow = super()._workflow(state, edited, replace(draft, **inputs), group, reviewer, other)
        return {**inputs, **flow}

    def _draft_plan(self, index: int) -> tuple[str, bool]:
        if not self.finished:
            return super()._draft_plan(index)
        return pick(self.rng, FINISHED_DRAFTS), False

    def appraisals(self) -> Iterator[MemberAppraisal]:
        """A finished round's 鉴定 went through 抽调干部考核 on the engine: each 组长 recommended (one 优秀
        a group at most), the office gave its opinion, the 领导小组 approved within the round's 20 % cap
        (an 优秀 beyond it is approved 称职)."""
        made = list(super().appraisals())
        room = excellent_limit(len(made), round(vocab.EXCELLENT_SHARE_CAP * 100))
        chiefs = {g.group.id: g.chief.name for g in self.groups}
        office = User(login="xcb", display_name="县委巡察办", role=vocab.OFFICE_ADMIN)
        flow = APPRAISAL_WORKFLOW

        def at(day: date, later: int) -> datetime:
            return datetime.combine(self.clamp(day + timedelta(days=later)), time(16))

        for a in made:
            day = a.appraised_on or self.today
            chief = User(login="zz", display_name=chiefs.get(a.group_id, "组长"), role="组长")
            a = flow.apply(APPRAISAL_RECOMMEND, a, Move(chief, at(day, 0), a.group_opinion))
            a = flow.apply(APPRAISAL_OPINION, a, Move(office, at(day, 3), a.office_opinion))
            decided = a.grade
            if a.grade == "优秀":
                decided = "优秀" if room > 0 else "称职"
                room -= 1
            a = dataclasses.replace(a, approved_grade=decided)
            yield flow.apply(APPRAISAL_APPROVE, a, Move(office, at(day, 7)))

    def _lead_plan(self, index: int) -> tuple[str, str, str]:
        rng = self.rng
        if self.finished:
            on_site = "on_site" if rng.random() < 0.2 else ""
            return pick(rng, self.closing), pick(rng, self.TRANSFERS), on_site
        state = pick(rng, CURRENT_LEADS)
        if state == LeadState.PROPOSED:
            return state, rng.choice(vocab.LEAD_DISPOSALS), ""
        if state == LeadState.TRANSFERRED:  # 边巡边移: handed over while the group is still on site
            return state, pick(rng, self.TRANSFERS), "on_site"
        return state, "", ""


def _unit_text(kind: str, short: str, name: str, town: str) -> dict[str, Any]:
    unit = text.unit_from(kind, short, name)
    if town:
        unit["town"] = town
    return unit


def _generator(
    rng: random.Random, today: date, plan: RoundPlan, older: bool, figures: random.Random
) -> OfficeGenerator:
    """A generator with the round's groups and its units, each with its leaders and some of its staff."""
    gen = OfficeGenerator(rng, today, plan, older, figures)
    for group in plan.groups:
        ctx = GroupCtx(group.group, group.members)
        gen.groups.append(ctx)
        for target, org in group.targets:
            unit = _unit_text(org.kind, org.short, org.record.name, org.town)
            leaders, portfolios = [], {}
            for rank in range(rng.randint(3, 5)):
                post = text.leader_post(rng, org.kind, rank, unit)
                person = unit_person(gen, target, unit, post, rank + 1)
                leaders.append(person)
                portfolios[person.id] = post["portfolio"]
            staff = [
                unit_person(gen, target, unit, text.staff_post(rng, org.kind), 0)
                for _ in range(rng.randint(6, 10))
            ]
            gen.units.append(UnitCtx(target, unit, ctx, leaders, staff, portfolios))
    return gen


def _work_done(plan: OfficePlan, figures: random.Random) -> None:
    """Each group's 专题报告 and 意见建议 and each unit's 调阅资料, 走访 and 问卷 (office_figures)."""
    for rp in plan.rounds:
        for g in rp.groups:
            g.group = office_figures.group_outputs(figures, g.group, rp.finished)
            g.targets = [(office_figures.unit_work(figures, t, rp.finished), org) for t, org in g.targets]


def _users(plan: OfficePlan, new_id: Any) -> list[User]:
    """A login for every member of the round on site today (the 组长 sets their passphrases)."""
    current = plan.rounds[-1]
    return [
        User(id=new_id(), login=m.name, display_name=m.name, role=m.role, member_id=m.id)
        for g in current.groups
        for m in g.members
    ]


def _rectification(
    plan: OfficePlan, made: list[tuple[OfficeGenerator, list[Any], list[Any]]]
) -> Rectification:
    """The finished rounds' 反馈 and 整改, the 回头看 round's re-checks of the first round's tasks and a
    移交线索对账 mark of the first round."""
    office = [p.cadre.name for p in plan.pool if p.source == "office" and "组长" not in p.cadre.home_post]
    maker = RectificationMaker(made[0][0], office)
    finished = [m for m in made if m[0].finished]
    for gen, drafts, leads in finished:
        maker.feedback_round(gen, drafts, leads)
    revisits = [gen for gen, _, _ in finished if gen.round.kind == "回头看"]
    if revisits:
        maker.rechecks(revisits[0], finished[0][0])
    maker.reconciliation(finished[0][0], finished[0][2])
    maker.evidence({u.target.id: u.text["short"] for gen, _, _ in finished for u in gen.units})
    return maker.out


def _write_rectification(sink: Sink, out: Rectification) -> None:
    for _, data in out.files:
        put_blob(sink.writer.conn, data, "text/plain")
    sink.write(FEEDBACK, out.feedbacks)
    sink.write(TASK, out.tasks)
    sink.write(SUPERVISION, out.notes)
    sink.write(RECHECK, out.rechecks)
    sink.write(RECONCILIATION, out.reconciliations)
    sink.write(ATTACHMENT, [a for a, _ in out.files])


def build_office_demo(
    ws: Workspace,
    *,
    seed: int = 1,
    records: int = RECORDS,
    today: date | None = None,
    progress: Progress | None = None,
) -> OfficeSummary:
    """Fill the empty office workspace `ws` with the office demo, dated relative to `today` (default: the
    real today): the current round went on site a month ago and leaves in a month. `records` main records
    are shared among the rounds (≈45 % talks, 25 % drafts, 18 % leads, the rest portraits), plus a 鉴定 of
    every member of a finished round."""
    if not ws.info.is_office:
        raise XunchaError("巡察办演示数据只能写入巡察办工作库")
    if records < 0:
        raise XunchaError("演示记录份数不能为负数")
    progress = progress or NullProgress()
    rng = random.Random(seed)
    today = today or date.today()

    def new_id() -> str:
        return new_uuid(rng)

    plan = office_plan(rng, new_id, today)
    figures = office_figures.figures_rng(seed)
    _work_done(plan, figures)
    users = _users(plan, new_id)
    gens = [_generator(rng, today, rp, i == 0, figures) for i, rp in enumerate(plan.rounds)]
    shares = [round(records * s) for s in ROUND_SHARES[:-1]]
    counts = [split_records(n) for n in (*shares, records - sum(shares))]
    groups = [g for rp in plan.rounds for g in rp.groups]
    members = [m for g in groups for m in g.members]
    persons = [p for gen in gens for u in gen.units for p in (*u.leaders, *u.staff)]
    finished_members = sum(len(g.members) for rp in plan.rounds if rp.finished for g in rp.groups)
    context = len(plan.orgs) + len(plan.pool) + len(plan.rounds) + len(groups) + len(members)
    total = context + len(users) + sum(len(g.targets) for g in groups) + len(persons) + records
    with ws.writing() as writer:
        sink = Sink(writer, progress, total + finished_members, today)
        sink.write(PARTY_ORGANIZATION, [o.record for o in plan.orgs])
        sink.write(CADRE, [p.cadre for p in plan.pool])
        sink.write(ROUND, [rp.round for rp in plan.rounds])
        sink.write(GROUP, [g.group for g in groups])
        sink.write(MEMBER, members)
        sink.write(USER, users)
        sink.write(TARGET, [t for g in groups for t, _ in g.targets])
        sink.write(PERSON, persons)
        made = []
        for gen, count in zip(gens, counts, strict=True):
            sink.write(INTERVIEW, gen.interviews(count["interviews"]))
            leads = list(gen.leads(count["leads"]))
            drafts = list(gen.drafts(count["drafts"]))
            sink.write(LEAD, leads)
            sink.write(DRAFT, drafts)
            sink.write(EVALUATION, gen.evaluations(count["evaluations"]))
            if gen.finished:
                sink.write(APPRAISAL, gen.appraisals())
            made.append((gen, drafts, leads))
        rectification = _rectification(plan, made)
        sink.total += rectification.count
        _write_rectification(sink, rectification)
        # after everything else drew from the generator, so adding them left the other records as they were
        petitions = [p for gen, _, leads in made for p in demo_petitions(gen, leads, PETITIONS_PER_ROUND)]
        sink.total += len(petitions)
        sink.write(PETITION, petitions)
        sink.write(LINK, [link for gen in gens for link in gen.links] + rectification.links)
    from xuncha_desktop.services.demo.field_sync import discard_a_duplicate

    discard_a_duplicate(ws)  # something in 回收站 too
    return OfficeSummary(**{f.name: sink.counts.get(_TYPES[f.name], 0) for f in fields(OfficeSummary)})


_TYPES = {
    "party_orgs": PARTY_ORGANIZATION.key,
    "cadres": CADRE.key,
    "rounds": ROUND.key,
    "groups": GROUP.key,
    "members": MEMBER.key,
    "users": USER.key,
    "targets": TARGET.key,
    "persons": PERSON.key,
    "interviews": INTERVIEW.key,
    "drafts": DRAFT.key,
    "leads": LEAD.key,
    "evaluations": EVALUATION.key,
    "appraisals": APPRAISAL.key,
    "feedbacks": FEEDBACK.key,
    "tasks": TASK.key,
    "supervisions": SUPERVISION.key,
    "rechecks": RECHECK.key,
    "reconciliations": RECONCILIATION.key,
    "attachments": ATTACHMENT.key,
    "links": LINK.key,
    "petitions": PETITION.key,
}
