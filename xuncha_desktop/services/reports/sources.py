"""What the reports read, through the record services: a unit with its round and group, its signed 底稿
in number order, its talks, leads and 画像, and its latest 巡察反馈. Units and rounds named on a command
line are resolved by the rules of the other outputs (services.output.rectification_data)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from xuncha_desktop.domain.errors import RecordNotFound, XunchaError
from xuncha_desktop.domain.interview_records import InterviewRecord
from xuncha_desktop.domain.issue_drafts import SIGNED, IssueDraft
from xuncha_desktop.domain.lead_registrations import LeadRegistration
from xuncha_desktop.domain.organization import InspectionGroup, InspectionRound, TargetUnit
from xuncha_desktop.domain.personnel_evaluations import PersonnelEvaluation
from xuncha_desktop.domain.record_types import DRAFT, EVALUATION, INTERVIEW, LEAD
from xuncha_desktop.domain.rectification import RectificationFeedback
from xuncha_desktop.services.output.rectification_data import feedbacks, resolve_round, resolve_unit
from xuncha_desktop.services.progress import NullProgress, Progress
from xuncha_desktop.services.records.context_names import ContextNames, load_context_names
from xuncha_desktop.services.records.record_service import ListQuery, RecordService
from xuncha_desktop.services.workspace import Workspace


@dataclass(frozen=True)
class UnitRecords:
    """Everything about one inspected unit that a report of it may say."""

    unit: TargetUnit
    round: InspectionRound | None
    group: InspectionGroup | None
    signed: tuple[IssueDraft, ...]  # 已审签 底稿 only: the report rests on nothing else
    interviews: int
    leads: tuple[LeadRegistration, ...]
    portraits: tuple[PersonnelEvaluation, ...]
    feedback: RectificationFeedback | None  # the latest 巡察反馈 given to the unit, if any

    @property
    def round_name(self) -> str:
        return self.round.name if self.round else ""

    @property
    def group_name(self) -> str:
        return self.group.name if self.group else "巡察组"

    @property
    def framework(self) -> str:
        return self.round.framework if self.round and self.round.framework else "四个聚焦"

    @property
    def period(self) -> tuple[date | None, date | None]:
        return (self.round.start_on, self.round.end_on) if self.round else (None, None)


def find_unit(
    ws: Workspace, unit: str, round_name: str = "", names: ContextNames | None = None
) -> TargetUnit:
    """The unit a command line names (name or id), within the named round where given."""
    names = names or load_context_names(ws)
    round_id = resolve_round(ws, round_name, names).id if round_name else ""
    return resolve_unit(ws, unit, round_id, names)


def units_of_round(ws: Workspace, round_id: str) -> list[TargetUnit]:
    """The round's inspected units by name: "all units of a round", one report each."""
    names = load_context_names(ws)
    return sorted((t for t in names.targets.values() if t.round_id == round_id), key=lambda t: t.name)


def unit_records(
    ws: Workspace, target_id: str, names: ContextNames | None = None, progress: Progress | None = None
) -> UnitRecords:
    names = names or load_context_names(ws)
    unit = names.targets.get(target_id)
    if unit is None:
        raise RecordNotFound(f"找不到被巡察单位（{target_id}）")
    progress = progress or NullProgress()
    mine = {"target_id": target_id}
    drafts = RecordService[IssueDraft](ws, DRAFT)
    signed = []
    for d in drafts.iterate(ListQuery(filters={**mine, "status": SIGNED})):
        progress.check_cancelled()
        signed.append(d)
    leads = RecordService[LeadRegistration](ws, LEAD).list(ListQuery(filters=mine, limit=None))
    portraits = RecordService[PersonnelEvaluation](ws, EVALUATION).list(ListQuery(filters=mine, limit=None))
    given = feedbacks(ws, target_id=target_id)
    return UnitRecords(
        unit=unit,
        round=names.rounds.get(unit.round_id),
        group=names.groups.get(unit.group_id),
        signed=tuple(signed),
        interviews=RecordService[InterviewRecord](ws, INTERVIEW).count(ListQuery(filters=mine)),
        leads=tuple(leads),
        portraits=tuple(portraits),
        feedback=max(given, key=lambda f: (f.given_on or date.min, f.number)) if given else None,
    )


def draft_for_approval(ws: Workspace, draft_id: str) -> IssueDraft:
    """The 底稿 of a 审批单, in any state but not in the recycle bin."""
    draft = RecordService[IssueDraft](ws, DRAFT).get(draft_id)
    if draft.meta is not None and draft.meta.deleted:
        raise XunchaError(f"问题底稿“{draft.number}”在回收站中，不能生成审批单")
    return draft


def drafts_by_id(ws: Workspace, ids: list[str]) -> list[IssueDraft]:
    """The live drafts of `ids` (a feedback's 问题清单) in number order."""
    service = RecordService[IssueDraft](ws, DRAFT)
    found = []
    for draft_id in ids:
        try:
            d = service.get(draft_id)
        except RecordNotFound:
            continue  # a draft the office has not received: the list says what is there
        if d.meta is None or not d.meta.deleted:
            found.append(d)
    return sorted(found, key=lambda d: d.number)
