"""问题底稿 of the demo: every workflow state, with a consistent 承办人 → 副组长复核 → 组长审签 chain."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from xuncha_desktop.domain import vocab
from xuncha_desktop.domain.classification import FOUR_IMPLEMENTATIONS
from xuncha_desktop.domain.codec import canonical_json, sha256_hex, to_body
from xuncha_desktop.domain.issue_drafts import EVIDENCE_KEYS, IssueDraft
from xuncha_desktop.domain.organization import GroupMember
from xuncha_desktop.domain.record_types import DRAFT
from xuncha_desktop.domain.states import DraftState, DraftStep
from xuncha_desktop.services.demo import text as text
from xuncha_desktop.services.demo.records import (
    BaseGenerator,
    GroupCtx,
)
from xuncha_desktop.services.demo.text.weights import pick, table

# Fields of a draft that record its workflow rather than its content: a sign-off hashes the rest.
WORKFLOW_FIELDS = frozenset(
    {"status", "signoffs", "edited_after_signoff", "review_opinion", "group_meeting_opinion"}
    | {"approval_opinion", "unit_feedback", "filing_no"}
)

# Where the drafts' problems lie: 四个落实 sub-categories, the common ones more often
DRAFT_CODES = table(
    *zip(
        *(
            (
                c.code,
                {"A2.3": 5, "A2.4": 5, "A2.5": 5, "A3.4": 4, "A2.1": 3, "A3.2": 3, "A4.2": 2}.get(c.code, 1),
            )
            for c in FOUR_IMPLEMENTATIONS
            if c.level == 2 or c.code == "A9"
        ),
        strict=True,
    )
)


class DraftMaker(BaseGenerator):
    DRAFT_COVERAGE = (*((s, False) for s in vocab.DRAFT_STATES), (DraftState.PENDING_REVIEW, True))
    DRAFT_STATES = table(vocab.DRAFT_STATES, (12, 14, 14, 45, 8, 5))
    REVIEW_OPINIONS = (
        "事实清楚，定性依据充分，佐证材料齐全，同意提交组长审签。",
        "问题事实清楚，责任主体明确，同意。",
        "经复核，底稿要素齐全，建议审签后纳入巡察报告。",
    )
    RETURN_OPINIONS = (
        "问题描述缺少具体时间和金额，佐证材料不完整，请补充后重新提交。",
        "定性依据引用不准确，请对照有关规定修改后重新提交。",
    )
    APPROVAL_OPINIONS = ("同意，纳入巡察报告。", "同意。", "同意，作为巡察报告问题依据，并按程序反馈。")
    MEETING_OPINIONS = (
        "经组务会集体研究，问题事实清楚、证据充分，同意写入巡察报告。",
        "经组务会研究，同意底稿定性，责任主体按底稿意见认定。",
    )
    VOID_OPINIONS = (
        "经组务会研究，该问题经进一步核实依据不足，予以作废。",
        "经组务会研究，被巡察单位补充提供了相关审批材料，问题不成立，予以作废。",
    )
    EDIT_NOTE = "（审签后，承办人根据被巡察单位补充提供的凭证，对问题发生时间和涉及人数作了修正。）"

    def _draft_plan(self, index: int) -> tuple[str, bool]:
        if index < len(self.DRAFT_COVERAGE):
            return self.DRAFT_COVERAGE[index]
        if self.rng.random() < 0.04:
            return DraftState.PENDING_REVIEW, True
        return pick(self.rng, self.DRAFT_STATES), False

    def _signoff(
        self, step: str, member: GroupMember, day: date, content_hash: str, opinion: str
    ) -> dict[str, Any]:
        return {
            "step": step,
            "by": member.name,
            "role": member.role,
            "at": self.stamp(day),
            "content_hash": content_hash,
            "opinion": opinion,
        }

    def _workflow(
        self, state: str, edited: bool, draft: IssueDraft, group: GroupCtx, reviewer: GroupMember, other: str
    ) -> dict[str, Any]:
        """status, signoffs and opinions consistent with `state` (承办人 → 副组长复核 → 组长审签)."""
        rng = self.rng
        body = {k: v for k, v in to_body(draft).items() if k not in WORKFLOW_FIELDS}
        signed_hash = sha256_hex(canonical_json(body))
        if edited:  # the sign-offs were given on the text before the correction
            body["description"] = draft.description.removesuffix(self.EDIT_NOTE)
            current_hash, signed_hash = signed_hash, sha256_hex(canonical_json(body))
        preparer = next(m for m in group.members if m.name == draft.preparer)
        assert draft.prepared_on is not None
        day = self.after(draft.prepared_on, 0, 3)
        out: dict[str, Any] = {"status": state, "signoffs": []}
        steps: list[dict[str, Any]] = out["signoffs"]
        returned = state == DraftState.VOID or (state == DraftState.DRAFT and rng.random() < 0.3)
        if state == DraftState.DRAFT and not returned:
            return out
        steps.append(self._signoff(DraftStep.SUBMIT, preparer, day, signed_hash, ""))
        day = self.after(day, 1, 4)
        if returned:
            opinion = rng.choice(self.RETURN_OPINIONS)
            steps.append(self._signoff(DraftStep.RETURN, reviewer, day, signed_hash, opinion))
            out["review_opinion"] = opinion
            if state == DraftState.VOID:
                out["group_meeting_opinion"] = rng.choice(self.VOID_OPINIONS)
            return out
        if state == DraftState.PENDING_REVIEW and not edited:
            return out
        opinion = rng.choice(self.REVIEW_OPINIONS)
        steps.append(self._signoff(DraftStep.REVIEW, reviewer, day, signed_hash, opinion))
        out["review_opinion"] = opinion
        if state == DraftState.MERGED:
            out["group_meeting_opinion"] = (
                f"经组务会集体会商，本底稿反映问题与{other}属同类问题，归并至该底稿。"
            )
            return out
        if state == DraftState.PENDING_APPROVAL:
            return out
        day = self.after(day, 1, 4)
        opinion = rng.choice(self.APPROVAL_OPINIONS)
        steps.append(self._signoff(DraftStep.APPROVE, group.chief, day, signed_hash, opinion))
        out.update(approval_opinion=opinion, group_meeting_opinion=rng.choice(self.MEETING_OPINIONS))
        if edited:
            edited_on = self.after(day, 2, 10)
            edit = self._signoff(DraftStep.EDITED_AFTER_SIGNOFF, preparer, edited_on, current_hash, "")
            steps.append(edit)
            out.update(status=DraftState.PENDING_REVIEW, edited_after_signoff=True)
        elif rng.random() < 0.5:
            out["filing_no"] = (
                f"清巡办备〔{self.round.year}〕{self.round.ordinal}-{group.group.ordinal}-"
                f"{group.counters['filing'] + 1:03d}号"
            )
            group.counters["filing"] += 1
        return out

    def _evidence(self, words: dict[str, Any], serial: str) -> list[dict[str, Any]]:
        items = []
        for item in words["evidence"]:
            row = dict.fromkeys(EVIDENCE_KEYS, "")
            row.update(item)
            items.append(row)
        for i, row in enumerate(items, start=1):
            row["evidence_no"] = f"{serial}-{i}"
        return items

    def drafts(self, count: int) -> Iterator[IssueDraft]:
        rng = self.rng
        for index in range(count):
            state, edited = self._draft_plan(index)
            pinned = self.attach_to.get(index)
            unit = self.units[pinned[0]] if pinned else self.pick_unit()
            group = unit.group
            deputies = group.deputies
            writers = group.staff + (deputies if len(deputies) > 1 else [])
            preparer = rng.choice(writers)
            reviewer = rng.choice([d for d in deputies if d is not preparer])
            code = pick(rng, DRAFT_CODES)
            words = text.issue(rng, code, unit.text, unit.persons_slots(rng))
            number = self.number(DRAFT, group)
            draft_id = self.new_id()
            evidence = self._evidence(words, number.rsplit("-", 1)[1])
            cal = self.calendar
            prepared_on = self.workday(
                cal.onsite_start + timedelta(days=7), cal.onsite_end + timedelta(days=7)
            )
            sources = rng.sample(unit.interviews, k=min(len(unit.interviews), rng.randint(1, 2)))
            if index >= 3 and rng.random() < 0.4:
                sources = []
            for interview_id, held_on, name, pages in sources:
                prepared_on = max(prepared_on, self.after(held_on, 1, 3))
                evidence.append(
                    dict.fromkeys(EVIDENCE_KEYS, "")
                    | {
                        "name": f"{name}个别谈话记录",
                        "source": "个别谈话",
                        "pages": pages,
                        "evidence_no": f"{number.rsplit('-', 1)[1]}-{len(evidence) + 1}",
                        "interview_id": interview_id,
                    }
                )
                self.link("interview", interview_id, "draft", draft_id, "佐证材料")
            for item in pinned[1] if pinned else ():
                evidence.append(item | {"evidence_no": f"{number.rsplit('-', 1)[1]}-{len(evidence) + 1}"})
                self.attached[index] = draft_id
            description = words["description"] + (self.EDIT_NOTE if edited else "")
            draft = IssueDraft(
                id=draft_id,
                number=number,
                round_id=self.round.id,
                group_id=group.group.id,
                target_id=unit.target.id,
                prepared_on=self.clamp(prepared_on),
                title=words["title"],
                category_l1=code.split(".")[0],
                category_l2=code if "." in code else "",
                disciplines=words["disciplines"],
                special_tags=words["special_tags"],
                source="个别谈话" if sources and rng.random() < 0.5 else words["source"],
                description=description,
                discovery=words["discovery"],
                basis=words["basis"],
                evidence=evidence,
                responsibility_types=words["responsibility_types"],
                responsible_party=words["responsible_party"],
                amount_yuan=Decimal(words["amount_yuan"]),
                immediate_fix=words["immediate_fix"],
                suggestion=words["suggestion"],
                preparer=preparer.name,
                marking="工作秘密",
            )
            if rng.random() < 0.08:
                draft = replace(
                    draft, key_attention=True, key_attention_reason=rng.choice(vocab.KEY_ATTENTION_REASONS)
                )
            other = f"底稿{rng.choice(unit.draft_numbers)}" if unit.draft_numbers else "本组同类问题底稿"
            flow = self._workflow(state, edited, draft, group, reviewer, other)
            if state == DraftState.SIGNED and rng.random() < 0.3:
                flow["unit_feedback"] = f"经与{unit.text['short']}主要负责人核对，对问题事实无异议。"
            draft = replace(draft, **flow)
            if unit.leads and (index < 3 or rng.random() < 0.2):
                self.link("draft", draft.id, "lead", rng.choice(unit.leads)[0], "关联线索")
            unit.draft_numbers.append(number)
            group.count(preparer, "drafts")
            yield draft
