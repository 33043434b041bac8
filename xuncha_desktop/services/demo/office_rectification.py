"""The office demo's rectification after its finished rounds: a 反馈 to each unit handing over its signed 底稿
some weeks after the 撤离, the unit's 整改方案 / 整改报告 / 专题民主生活会 (received, late or overdue), one
整改任务 per issue with its 责任单位, 责任人, 整改措施 and 时限, monthly 督导 notes, 验收 and 销号, a few
evidence files, the 回头看 round's re-check of the first round's tasks, and one 移交线索对账 mark.

Dates follow the rounds' calendars relative to `today`, so the first round's open tasks are overdue and
most of the 回头看 round's are due within the next two weeks. Pure: the records are made from the shared
random.Random; office.py writes them with the demo's batch writer."""

from __future__ import annotations

import dataclasses
import hashlib
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from xuncha_desktop.domain import rectification as rect
from xuncha_desktop.domain.classification import category_label
from xuncha_desktop.domain.issue_drafts import SIGNED, IssueDraft
from xuncha_desktop.domain.lead_registrations import LeadRegistration
from xuncha_desktop.domain.organization import Attachment, Person, RecordLink
from xuncha_desktop.domain.record_types import FEEDBACK, TASK
from xuncha_desktop.services.demo.records import BaseGenerator, UnitCtx
from xuncha_desktop.services.demo.text import rectification as words
from xuncha_desktop.services.demo.text.weights import Table, pick, table
from xuncha_desktop.services.rectification.feedback import with_due_dates
from xuncha_desktop.services.rectification.reconciliation import organ_of
from xuncha_desktop.services.rectification.settings import RectificationSettings

Task = rect.RectificationTask
FEEDBACK_LAG = (12, 16)  # days from 撤离 to 反馈: the 回头看 round's tasks then fall due within 14 days
FORMS = table(rect.FEEDBACK_FORMS, (80, 10, 10))
TERMS = table(("立行立改", "限期整改", "长期整改"), (25, 55, 20))  # 1 month, the 整改报告 date, 6–9 months
PAST_DUE = table(rect.TASK_STATES, (4, 18, 55, 15, 8))  # 未启动 / 整改中 / 已完成 / 基本完成 / 未完成
NOT_YET_DUE = table((rect.NOT_STARTED, rect.IN_PROGRESS, rect.DONE), (5, 70, 25))
FINISHED = (rect.DONE, rect.DONE_BASICALLY)
MAX_NOTES = 8
EVIDENCE_FILES = 5
KEYWORDS = {"A2": ("财务", "财政", "采购", "后勤"), "A3": ("党建", "人事", "组织", "党员")}


@dataclass
class Rectification:
    """Every record of the demo's rectification, in the order they are written."""

    feedbacks: list[rect.RectificationFeedback] = field(default_factory=list)
    tasks: list[Task] = field(default_factory=list)
    notes: list[rect.SupervisionNote] = field(default_factory=list)
    rechecks: list[rect.RecheckResult] = field(default_factory=list)
    reconciliations: list[rect.LeadReconciliation] = field(default_factory=list)
    files: list[tuple[Attachment, bytes]] = field(default_factory=list)
    links: list[RecordLink] = field(default_factory=list)
    rules: dict[str, str] = field(default_factory=dict)  # task id → the rule named in its measures

    @property
    def count(self) -> int:
        parts = (self.feedbacks, self.tasks, self.notes, self.rechecks, self.reconciliations, self.files)
        return sum(len(p) for p in parts) + len(self.links)


def _workday(day: date) -> date:
    """The day, or the Friday before when it falls on a weekend."""
    return day - timedelta(days=max(0, day.weekday() - 4))


class RectificationMaker:
    """Makes the rectification of the finished rounds of one office demo; `office` are the names of the
    巡察办's own cadres who supervise, accept and close the tasks."""

    def __init__(self, gen: BaseGenerator, office: list[str]) -> None:
        self.gen, self.rng, self.today = gen, gen.rng, gen.today
        self.office = office or ["县委巡察办"]
        self.out = Rectification()
        self.settings = RectificationSettings()

    # -- feedback and the unit's deadlines ---------------------------------------------------------------
    def feedback_round(
        self, gen: BaseGenerator, drafts: list[IssueDraft], leads: list[LeadRegistration]
    ) -> None:
        """A feedback to each unit of the finished round `gen` with one task per signed 底稿."""
        units = list(gen.units)
        self.rng.shuffle(units)  # which unit is late is drawn, not the first of the plan
        recent = gen.round.end_on is not None and gen.round.end_on > self.today - timedelta(days=150)
        pending: list[tuple[Task, rect.RectificationFeedback, IssueDraft]] = []
        for index, unit in enumerate(units):
            signed = [d for d in drafts if d.target_id == unit.target.id and d.status == SIGNED]
            signed.sort(key=lambda d: d.number)
            led = sum(1 for lead in leads if lead.target_id == unit.target.id)
            fb = self._feedback(gen, unit, signed, led)
            fb = self._deadlines(fb, index, recent)
            self.out.feedbacks.append(fb)
            pending += [(self._task(gen, unit, fb, draft), fb, draft) for draft in signed]
        past = [p for p in pending if p[0].due_on is not None and p[0].due_on < self.today]
        states = {id(p[0]): s for p, s in zip(past, self._deck(len(past), PAST_DUE), strict=True)}
        for task, fb, draft in sorted(pending, key=lambda p: p[0].number):
            status = states.get(id(task)) or pick(self.rng, NOT_YET_DUE)
            task = self._outcome(task, fb, draft, status)
            self.out.tasks.append(task)
            self._notes(task, fb)

    def _deck(self, n: int, weighted: Table) -> list[str]:
        """`n` states in the table's proportions, each state at least once when n allows, shuffled."""
        values, cumulative = weighted
        weights = [b - a for a, b in zip((0, *cumulative), cumulative, strict=False)]
        total = cumulative[-1]
        counts = [max(1, int(n * w / total)) if n >= 2 * len(values) else int(n * w / total) for w in weights]
        commonest = weights.index(max(weights))
        counts[commonest] += n - sum(counts)
        deck = [v for v, c in zip(values, counts, strict=True) for _ in range(c)]
        self.rng.shuffle(deck)
        return deck

    def _feedback(
        self, gen: BaseGenerator, unit: UnitCtx, signed: list[IssueDraft], leads: int
    ) -> rect.RectificationFeedback:
        assert gen.round.end_on is not None
        given = _workday(gen.round.end_on + timedelta(days=self.rng.randint(*FEEDBACK_LAG)))
        kind, short = unit.target.kind, unit.text["short"]
        form = "书面" if kind == "村(社区)" and self.rng.random() < 0.5 else pick(self.rng, FORMS)
        fb = rect.RectificationFeedback(
            id=gen.new_id(),
            round_id=gen.round.id,
            group_id=unit.group.group.id,
            target_id=unit.target.id,
            given_on=gen.clamp(given),
            form=form,
            given_by=unit.group.chief.name,
            attendees=words.attendees(short, kind),
            draft_ids=[d.id for d in signed],
            note=words.feedback_note(len(signed), leads),
            marking="工作秘密",
        )
        fb = dataclasses.replace(fb, number=gen.number(FEEDBACK, unit.group))
        return with_due_dates(fb, self.settings)

    def _deadlines(
        self, fb: rect.RectificationFeedback, index: int, recent: bool
    ) -> rect.RectificationFeedback:
        """整改方案, 整改报告 and 民主生活会: the first unit drawn is late with its report (the 回头看
        round's: with its plan), the second sends its plan late; the others keep their dates."""
        rng, given = self.rng, fb.given_on
        assert given is not None and fb.plan_due_on is not None and fb.report_due_on is not None

        def on(day: date) -> date | None:
            day = _workday(max(day, given))
            return day if day <= self.today else None

        plan = None if index == 0 and recent else on(fb.plan_due_on - timedelta(days=rng.randint(0, 8)))
        if index == 1:
            plan = on(fb.plan_due_on + timedelta(days=rng.randint(4, 12)))
        report = on(fb.report_due_on - timedelta(days=rng.randint(0, 12)))
        if index == 0 and not recent:
            report = None
        elif index == 1 and not recent:
            report = on(fb.report_due_on + timedelta(days=rng.randint(5, 20)))
        elif recent:  # not due yet: one unit has sent it early
            report = on(fb.report_due_on - timedelta(days=rng.randint(14, 24))) if index == 2 else None
        meeting = None if index == 0 else on(given + timedelta(days=rng.randint(25, 60)))
        if recent and index > 3:
            meeting = None
        return dataclasses.replace(
            fb, plan_received_on=plan, report_received_on=report, meeting_held_on=meeting
        )

    # -- the tasks --------------------------------------------------------------------------------------
    def _responsible(self, unit: UnitCtx, category: str) -> Person:
        words_of = KEYWORDS.get(category, ())
        for person in unit.leaders[1:]:
            if any(w in unit.portfolios.get(person.id, "") for w in words_of):
                return person
        return unit.leaders[0] if category in ("A1", "A4") or len(unit.leaders) < 2 else unit.leaders[1]

    def _due(self, fb: rect.RectificationFeedback, term: str) -> date:
        assert fb.given_on is not None and fb.report_due_on is not None
        if term == "立行立改":
            return rect.add_months(fb.given_on, 1)
        if term == "限期整改":
            return fb.report_due_on
        return rect.add_months(fb.given_on, self.rng.choice((6, 9)))

    def _task(
        self, gen: BaseGenerator, unit: UnitCtx, fb: rect.RectificationFeedback, draft: IssueDraft
    ) -> Task:
        rng = self.rng
        category = draft.category_l1 or "A9"
        rule = words.rule_name(rng, category)
        text = words.measures(rng, category, draft.title, rule)
        person = self._responsible(unit, category)
        due = self._due(fb, pick(rng, TERMS))
        task = Task(
            id=gen.new_id(),
            number=gen.number(TASK, unit.group),
            round_id=fb.round_id,
            group_id=fb.group_id,
            target_id=fb.target_id,
            feedback_id=fb.id,
            draft_id=draft.id,
            issue=draft.title,
            category=category_label(category),
            responsible_unit=words.responsible_office(unit.target.kind, unit.text["short"], category),
            responsible_person=f"{person.name}（{person.post}）",
            goal=text["goal"],
            measures=text["measures"],
            due_on=due,
            marking=draft.marking,
        )
        self.out.rules[task.id] = rule
        return task

    def _outcome(self, task: Task, fb: rect.RectificationFeedback, draft: IssueDraft, status: str) -> Task:
        """Completion, 建章立制 / 问责 / 挽回损失, 验收 and 销号 of a task in `status`, as of today."""
        rng, today = self.rng, self.today
        assert task.due_on is not None and fb.given_on is not None
        if status not in FINISHED:
            partly = status == rect.IN_PROGRESS and draft.amount_yuan and rng.random() < 0.3
            recovered = Decimal(int(draft.amount_yuan * Decimal("0.4"))) if partly else Decimal("0")
            return dataclasses.replace(task, status=status, amount_recovered_yuan=recovered)
        last = min(
            today, task.due_on + timedelta(days=rng.randint(5, 40)) if rng.random() < 0.2 else task.due_on
        )
        first = min(fb.given_on + timedelta(days=10), last)
        completed = _workday(first + timedelta(days=rng.randint(0, (last - first).days)))
        completed = max(completed, fb.given_on)
        share = Decimal(1) if status == rect.DONE else Decimal(rng.choice(("0.5", "0.7", "0.9")))
        task = dataclasses.replace(
            task,
            status=status,
            completed_on=completed,
            institutions=rng.randint(1, 2) if rng.random() < 0.4 else 0,
            accountability=rng.randint(1, 3) if draft.category_l1 == "A2" and rng.random() < 0.4 else 0,
            amount_recovered_yuan=Decimal(int(draft.amount_yuan * share)),
        )
        if rng.random() > (0.85 if status == rect.DONE else 0.5):
            return task
        accepted = _workday(completed + timedelta(days=rng.randint(7, 30)))
        if accepted > today or accepted < completed:
            return task
        task = dataclasses.replace(
            task,
            accepted_by=rng.choice(self.office),
            accepted_on=accepted,
            acceptance_opinion=words.acceptance(rng, status),
        )
        closed = _workday(accepted + timedelta(days=rng.randint(3, 20)))
        if status == rect.DONE and rng.random() < 0.6 and accepted <= closed <= today:
            task = dataclasses.replace(task, closed_on=closed, closed_by=self.office[0])
        return task

    def _notes(self, task: Task, fb: rect.RectificationFeedback) -> None:
        """Monthly 督导 from a month after the feedback while the task is open (and once when done)."""
        assert fb.given_on is not None and task.due_on is not None
        rng = self.rng
        for month in range(1, MAX_NOTES + 1):
            day = _workday(rect.add_months(fb.given_on, month) + timedelta(days=rng.randint(-3, 3)))
            if day > self.today:
                return
            done = task.completed_on is not None and day >= task.completed_on
            if done:
                stage, status = "done", task.status
            elif task.status == rect.NOT_STARTED:
                stage, status = "slow", rect.NOT_STARTED
            else:
                stage = (
                    "start" if month == 1 else "slow" if day > task.due_on else ("middle", "late")[month > 3]
                )
                status = rect.IN_PROGRESS
            self.out.notes.append(
                rect.SupervisionNote(
                    id=self.gen.new_id(),
                    round_id=task.round_id,
                    group_id=task.group_id,
                    target_id=task.target_id,
                    task_id=task.id,
                    noted_on=day,
                    noted_by=self.office[month % len(self.office)],
                    progress=words.progress(rng, stage),
                    status_then=status,
                )
            )
            if done:
                return

    # -- evidence, 回头看 and 对账 ------------------------------------------------------------------------
    def evidence(self, unit_names: dict[str, str]) -> None:
        """A rule-issuing notice on a few accepted tasks that drew up a rule."""
        picked = [t for t in self.out.tasks if t.institutions and t.accepted_on][:EVIDENCE_FILES]
        for task in picked:
            assert task.completed_on is not None
            day = f"{task.completed_on.year}年{task.completed_on.month}月{task.completed_on.day}日"
            doc = words.evidence_file(self.rng, unit_names[task.target_id], self.out.rules[task.id], day)
            data: bytes = doc["data"]
            attachment = Attachment(
                id=self.gen.new_id(),
                record_type="task",
                record_id=task.id,
                sha256=hashlib.sha256(data).hexdigest(),
                file_name=doc["file_name"],
                mime="text/plain",
                size=len(data),
                note=doc["note"],
            )
            self.out.files.append((attachment, data))
            link = RecordLink(
                self.gen.new_id(), "", "attachment", attachment.id, "task", task.id, "整改佐证材料"
            )
            self.out.links.append(link)

    def rechecks(self, revisit: BaseGenerator, earlier: BaseGenerator) -> None:
        """The 回头看 round `revisit` re-checks the tasks of the units of `earlier` it goes back to."""
        by_org = {u.target.org_id: u for u in revisit.units if u.target.org_id}
        again = {u.target.id: by_org[u.target.org_id] for u in earlier.units if u.target.org_id in by_org}
        cal = revisit.calendar
        for task in self.out.tasks:
            unit = again.get(task.target_id)
            if unit is None:
                continue
            day = revisit.workday(cal.onsite_end - timedelta(days=20), cal.onsite_end)
            self.out.rechecks.append(
                rect.RecheckResult(
                    id=self.gen.new_id(),
                    round_id=revisit.round.id,
                    group_id=unit.group.group.id,
                    target_id=task.target_id,
                    task_id=task.id,
                    checked_on=day,
                    checked_by=self.rng.choice([unit.group.chief, *unit.group.deputies]).name,
                    result=self._result(task, day),
                )
            )
        self._every_result()
        self.out.rechecks = [
            dataclasses.replace(r, finding=words.finding(self.rng, r.result)) for r in self.out.rechecks
        ]

    def _result(self, task: Task, day: date) -> str:
        if task.completed_on is None or task.completed_on > day:
            return "整改不到位"
        if task.status == rect.DONE:
            return "反弹回潮" if self.rng.random() < 0.15 else "属实整改"
        return "整改不到位" if self.rng.random() < 0.5 else "属实整改"

    def _every_result(self) -> None:
        """A newcomer sees each result: a missing one replaces a 属实整改 (or else any other) result."""
        checks = self.out.rechecks
        for wanted in rect.RECHECK_RESULTS:
            have = Counter(r.result for r in checks)
            if have[wanted] or len(checks) < len(rect.RECHECK_RESULTS):
                continue
            spare = max(have, key=lambda r: have[r])
            index = next(i for i, r in enumerate(checks) if r.result == spare)
            checks[index] = dataclasses.replace(checks[index], result=wanted)

    def reconciliation(self, gen: BaseGenerator, leads: list[LeadRegistration]) -> None:
        """The office reconciled the round's leads with the organ that received most of them."""
        sent = [lead for lead in leads if lead.transfer_on is not None]
        if not sent:
            return
        organs = Counter(organ_of(lead.proposed_disposal) for lead in sent)
        organ = organs.most_common(1)[0][0]
        mine = [lead for lead in sent if organ_of(lead.proposed_disposal) == organ]
        last = max(lead.transfer_on for lead in mine if lead.transfer_on is not None)
        day = gen.clamp(_workday(last + timedelta(days=self.rng.randint(90, 120))))
        answered = sum(1 for lead in mine if lead.feedback_on is not None and lead.feedback_on <= day)
        self.out.reconciliations.append(
            rect.LeadReconciliation(
                id=self.gen.new_id(),
                round_id=gen.round.id,
                organ=organ,
                reconciled_on=day,
                reconciled_by=self.office[0],
                note=words.reconciliation_note(organ, len(mine), answered),
            )
        )
