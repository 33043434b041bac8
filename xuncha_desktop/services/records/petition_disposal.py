"""The disposal of a 信访件: 转为问题线索 and 纳入问题底稿 create the lead or draft, pre-filled from the
petition and linked to it, in the same transaction as the petition's disposal; 转办 and 留存备查 record the
decision only. Every disposal is audited as 信访件处置 (petition_dispose)."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from xuncha_desktop.domain.classification import BUILTIN_CATEGORIES, DEFAULT_FRAMEWORK
from xuncha_desktop.domain.errors import FieldError, ValidationError, WorkflowError
from xuncha_desktop.domain.issue_drafts import IssueDraft
from xuncha_desktop.domain.lead_registrations import LeadRegistration
from xuncha_desktop.domain.organization import InspectionRound
from xuncha_desktop.domain.petitions import (
    CREATING_DISPOSALS,
    DISPOSALS,
    FORWARD,
    LEAD_SOURCE_OF_CHANNEL,
    TO_DRAFT,
    TO_LEAD,
    Petition,
)
from xuncha_desktop.domain.record_types import DRAFT, LEAD, PETITION, ROUND, RecordType
from xuncha_desktop.services.records.links import write_link
from xuncha_desktop.services.records.record_service import RecordService, next_number
from xuncha_desktop.services.workspace import Workspace, new_id
from xuncha_desktop.storage.revisions import RevisionWriter

DISPOSE = "petition_dispose"  # the audit action (services.security.audit_events)
DRAFT_SOURCE = "信访举报"
TITLE_LIMIT = 40  # characters of the summary a draft's title takes


@dataclass(frozen=True)
class Disposed:
    """A disposed petition and the record its disposal created ("" when it created none)."""

    petition: Petition
    created_type: str = ""
    created_id: str = ""
    created_number: str = ""


def lead_from(p: Petition, today: date) -> LeadRegistration:
    """The 问题线索 a petition becomes: its reporter, subject and summary carried over."""
    return LeadRegistration(
        round_id=p.round_id,
        group_id=p.group_id,
        target_id=p.target_id,
        registered_on=today,
        registered_by=p.registered_by,
        source=LEAD_SOURCE_OF_CHANNEL.get(p.channel, "来信"),
        anonymous=p.anonymous,
        reporter_name=p.reporter_name,
        reporter_contact=p.reporter_contact,
        subject_name=p.subject_name,
        subject_post=p.subject_unit,
        summary=p.summary,
        marking=p.marking,
    )


def draft_from(p: Petition, today: date, preparer: str, category_l1: str) -> IssueDraft:
    """The 问题底稿 a petition goes into: the summary as the facts, the petition as how it was found."""
    title = p.summary.strip().splitlines()[0] if p.summary.strip() else ""
    if len(title) > TITLE_LIMIT:
        title = title[: TITLE_LIMIT - 1] + "…"
    received = p.received_on.isoformat() if p.received_on else ""
    return IssueDraft(
        round_id=p.round_id,
        group_id=p.group_id,
        target_id=p.target_id,
        prepared_on=today,
        title=title,
        category_l1=category_l1,
        source=DRAFT_SOURCE,
        description=p.summary,
        discovery=f"{received}收到{p.channel}信访件（{p.number}），经组务会研究纳入问题底稿",
        responsible_party=p.subject_unit,
        preparer=preparer,
        marking=p.marking,
    )


@dataclass(frozen=True)
class Decision:
    """A disposal worked out and checked, not yet written: the petition as disposed and the lead or draft
    it creates (without id or number), or None."""

    petition: Petition
    created: Any = None

    @property
    def created_type(self) -> RecordType | None:
        if self.created is None:
            return None
        return LEAD if self.petition.disposal == TO_LEAD else DRAFT


def _validate(rt: RecordType, record: Any, today: date) -> None:
    errors = rt.validate(record, today)
    if errors:
        raise ValidationError(errors, rt.label)


def decide(
    stored: Petition,
    disposal: str,
    today: date,
    decider: str,
    *,
    forwarded_to: str = "",
    category_l1: str = "",
) -> Decision:
    """`disposal` of the stored petition, decided on `today` by `decider`, and the record it creates —
    checked (the petition's own missing facts named first), nothing written."""
    if disposal not in DISPOSALS:
        raise WorkflowError(f"处置方式“{disposal}”不在可选范围内（{'、'.join(DISPOSALS)}）")
    if stored.disposal in CREATING_DISPOSALS:
        raise WorkflowError(f"信访件“{stored.number}”已{stored.disposal}，不能再次处置")
    petition = dataclasses.replace(
        stored,
        disposal=disposal,
        disposed_on=today,
        decided_by=decider,
        forwarded_to=forwarded_to.strip() if disposal == FORWARD else stored.forwarded_to,
    )
    _validate(PETITION, petition, today)
    decision = Decision(petition)
    if disposal == TO_LEAD:
        if not stored.subject_name.strip():
            missing = FieldError("subject_name", "转为问题线索须先填写被反映人")
            raise ValidationError([missing], PETITION.label)
        decision = Decision(petition, lead_from(petition, today))
    elif disposal == TO_DRAFT:
        decision = Decision(petition, draft_from(petition, today, decider, category_l1))
    if decision.created_type is not None:
        _validate(decision.created_type, decision.created, today)
    return decision


def record_decision(writer: RevisionWriter, decision: Decision, ids: Callable[[], str] = new_id) -> Any:
    """Write a decided disposal inside `writer`'s change (audited as 信访件处置), with the record it creates,
    numbered and linked to the petition as 信访来源; returns that record (None when it creates none).
    `ids` makes the new ids (the demo's come from its seed)."""
    writer.write(PETITION, decision.petition, action=DISPOSE)
    rt = decision.created_type
    if rt is None:
        return None
    created = _write_new(writer, rt, dataclasses.replace(decision.created, id=ids()))
    write_link(writer, PETITION.key, decision.petition.id, rt.key, created.id, link_id=ids())
    return created


class PetitionDisposal:
    def __init__(self, workspace: Workspace, today: Callable[[], date] = date.today) -> None:
        self._ws = workspace
        self._today = today
        self._petitions: RecordService[Petition] = RecordService(workspace, PETITION)

    def _decider(self) -> str:
        user = self._ws.user
        return (user.display_name or user.login).strip()

    def dispose(
        self, petition_id: str, disposal: str, *, forwarded_to: str = "", category_l1: str = ""
    ) -> Disposed:
        """Record `disposal` on the stored petition, decided today by the signed-in user; 转为问题线索 and
        纳入问题底稿 also create the linked lead or draft (`category_l1` its 问题类别), all or nothing."""
        stored = self._petitions.stored(petition_id)
        decision = decide(
            stored,
            disposal,
            self._today(),
            self._decider(),
            forwarded_to=forwarded_to,
            category_l1=category_l1,
        )
        with self._ws.writing() as writer:
            created = record_decision(writer, decision)
        shown = self._petitions.get(stored.id)
        if created is None or decision.created_type is None:
            return Disposed(shown)
        return Disposed(shown, decision.created_type.key, created.id, created.number)


def _write_new(writer: RevisionWriter, rt: RecordType, record: Any) -> Any:
    record = dataclasses.replace(record, number=next_number(writer.conn, rt, record))
    writer.write(rt, record)
    return record


def draft_categories(workspace: Workspace, round_id: str) -> list[tuple[str, str]]:
    """(code, label) of the level-1 问题类别 of the round's framework, for 纳入问题底稿."""
    framework = DEFAULT_FRAMEWORK
    if round_id:
        rnd = RecordService[InspectionRound](workspace, ROUND).get(round_id)
        framework = rnd.framework or DEFAULT_FRAMEWORK
    return [(c.code, c.label) for c in BUILTIN_CATEGORIES if c.framework == framework and c.level == 1]
