"""问题线索 of the demo: every state and disposal, with the facts each stage requires (validate_lead)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from xuncha_desktop.domain import vocab
from xuncha_desktop.domain.lead_registrations import LeadRegistration
from xuncha_desktop.domain.record_types import LEAD
from xuncha_desktop.domain.states import LeadState
from xuncha_desktop.services.demo import text as text
from xuncha_desktop.services.demo.records import BaseGenerator, GroupCtx
from xuncha_desktop.services.demo.text.weights import pick, table

LEAD_MARKINGS = table(("工作秘密", "秘密★1年"), (70, 30))


class LeadMaker(BaseGenerator):
    # The first leads: every state and disposal, anonymous ones, on-site (边巡边移) and overdue transfers.
    LEAD_COVERAGE = (
        (LeadState.REGISTERED, "", ""),
        (LeadState.JUDGED, "", "anonymous"),
        (LeadState.PROPOSED, "了结", ""),
        (LeadState.PROPOSED, "暂存", ""),
        (LeadState.TRANSFERRED, "移交纪检监察机关", "on_site"),
        (LeadState.FED_BACK, "移交组织部门", ""),
        (LeadState.CLOSED, "转有关部门", ""),
        (LeadState.TRANSFERRED, "移交组织部门", ""),
        (LeadState.PROPOSED, "移交纪检监察机关", "anonymous"),
        (LeadState.FED_BACK, "移交纪检监察机关", "on_site"),
        (LeadState.CLOSED, "移交纪检监察机关", ""),
    )
    LEAD_STATES = table(vocab.LEAD_STATES, (10, 12, 18, 20, 20, 20))
    TRANSFERS = table(vocab.TRANSFER_DISPOSALS, (65, 20, 15))
    OUTCOMES = table(vocab.LEAD_OUTCOMES, (35, 40, 10, 15))

    def _lead_plan(self, index: int) -> tuple[str, str, str]:
        """(state, disposal, special) where special is '', 'anonymous' or 'on_site'."""
        rng = self.rng
        if index < len(self.LEAD_COVERAGE):
            return self.LEAD_COVERAGE[index]
        state = pick(rng, self.LEAD_STATES)
        stage = vocab.LEAD_STATES.index(state)
        special = "on_site" if stage >= 3 and rng.random() < 0.3 else ""
        if stage < 2:
            return state, "", special
        if stage == 2:
            return state, rng.choice(vocab.LEAD_DISPOSALS), special
        return state, pick(rng, self.TRANSFERS), special

    def _outcome_type(self, disposal: str) -> str:
        if disposal == "移交纪检监察机关":
            return str(pick(self.rng, self.OUTCOMES))
        if disposal == "移交组织部门":
            return self.rng.choice(("谈话函询", "初步核实"))
        return self.rng.choice(("初步核实", "予以了结"))

    def leads(self, count: int) -> Iterator[LeadRegistration]:
        rng = self.rng
        for index in range(count):
            state, disposal, special = self._lead_plan(index)
            stage = vocab.LEAD_STATES.index(state)
            unit = self.pick_unit()
            group = unit.group
            subject = rng.choice(unit.leaders if rng.random() < 0.6 or not unit.staff else unit.staff)
            post = text.full_post(unit.text, subject.post)
            receiver_unit = text.transfer_unit(rng, disposal, unit.text) if stage >= 2 else ""
            outcome_type = self._outcome_type(disposal) if stage >= 4 else ""
            words = text.lead(
                rng,
                subject.name,
                post,
                unit.text,
                disposal=disposal,
                receiver=receiver_unit,
                outcome_type=outcome_type,
                persons=unit.persons_slots(rng),
            )
            facts: dict[str, Any] = {}
            source_interview = None
            if unit.interviews and not special and (index < 4 or rng.random() < 0.7):
                source_interview = rng.choice(unit.interviews)
                registered_on = self.after(source_interview[1], 0, 4)
                facts.update(source="个别谈话", reporter_name=source_interview[2])
            else:
                if special == "anonymous":
                    source = rng.choice(("来信", "码上巡察"))
                else:
                    source = rng.choice(("来信", "来电", "来访", "码上巡察", "调阅资料", "走访", "上级交办"))
                early = special == "on_site"  # found early enough to be handed over during the visit
                start = self.calendar.onsite_start
                registered_on = self.workday(start, start + timedelta(days=14 if early else 60))
                anonymous = special == "anonymous" or (
                    source in ("来信", "来电", "码上巡察") and rng.random() < 0.6
                )
                facts.update(source=source, anonymous=anonymous)
                if not anonymous and source in ("来信", "来电", "来访"):
                    facts.update(
                        reporter_name=text.person_name(rng),
                        reporter_contact=f"1{rng.choice('3578')}{rng.randint(0, 999999999):09d}",
                    )
            registrar = rng.choice(group.staff or group.members)
            group.count(registrar, "leads")
            on_site = special == "on_site"
            facts.update(
                self._lead_stages(stage, disposal, registered_on, receiver_unit, words, group, on_site)
            )
            record = LeadRegistration(
                id=self.new_id(),
                number=self.number(LEAD, group),
                round_id=self.round.id,
                group_id=group.group.id,
                target_id=unit.target.id,
                registered_on=registered_on,
                registered_by=registrar.name,
                subject_person_id=subject.id,
                subject_name=subject.name,
                subject_post=post,
                subject_rank=subject.rank,
                jurisdiction=text.jurisdiction(subject.rank, unit.text),
                summary=words["summary"],
                disciplines=words["disciplines"],
                amount_yuan=Decimal(words["amount_yuan"]),
                status=state,
                marking=pick(rng, LEAD_MARKINGS),
                **facts,
            )
            if source_interview is not None:
                self.link("interview", source_interview[0], "lead", record.id, "线索来源")
            unit.leads.append((record.id, registered_on))
            yield record

    def _lead_stages(
        self,
        stage: int,
        disposal: str,
        registered_on: date,
        receiver_unit: str,
        words: dict[str, Any],
        group: GroupCtx,
        on_site: bool,
    ) -> dict[str, Any]:
        """The 研判, approval, transfer and feedback facts a lead at `stage` must have (validate_lead)."""
        rng = self.rng
        facts: dict[str, Any] = {}
        if stage < 1:
            return facts
        opinion_on = self.after(registered_on, 2, 10)
        facts.update(group_opinion_on=opinion_on, verifiability=words["verifiability"])
        if stage == 1:
            facts["group_opinion"] = words["first_sort"]
            return facts
        facts["group_opinion"] = words["judgement"]
        facts["proposed_disposal"] = disposal
        approved_on = opinion_on
        if disposal in vocab.TRANSFER_DISPOSALS and rng.random() < 0.7:
            consulted_on = self.after(opinion_on, 1, 5)
            facts.update(consultation_opinion=words["consultation"], consultation_on=consulted_on)
            approved_on = consulted_on
        approved_on = self.after(approved_on, 0, 3)
        facts.update(leader_approver=group.chief.name, leader_approved_on=approved_on)
        if stage < 3:
            return facts
        on_site = (
            on_site and approved_on < self.calendar.onsite_end
        )  # 边巡边移 happens while the group is on site
        if on_site:
            transfer_on = min(self.after(approved_on, 1, 5), self.calendar.onsite_end)
        else:
            transfer_on = self.clamp(max(approved_on, self.workday(*self.calendar.late_transfers)))
        method = "密封专人移送" if disposal == "移交纪检监察机关" else rng.choice(vocab.TRANSFER_METHODS)
        facts.update(
            on_site_transfer=on_site,
            transfer_unit=receiver_unit,
            transfer_on=transfer_on,
            transfer_method=method,
            receiver=text.person_name(rng),
        )
        if stage < 4:
            return facts
        late = rng.random() < 0.15  # a few receivers answer after the three months
        feedback_on = self.after(transfer_on, 95, 130) if late else self.after(transfer_on, 25, 88)
        facts.update(
            outcome=words["outcome"],
            outcome_type=words["outcome_type"],
            case_opened=words["case_opened"],
            sanction=words["sanction"],
            org_handling=words["org_handling"],
            judicial_transfer=words["judicial_transfer"],
            feedback_on=feedback_on,
            closed=stage >= 5,
        )
        return facts
