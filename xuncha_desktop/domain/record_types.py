"""The registry of every stored record type: its key, table, dataclass, Chinese label, number label and
validator. What each field is (label, date, filter, index, full text, set) is declared on the dataclass
(domain.fields) and read here, so storage, merge, imports and the GUI need no lists of field names."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from functools import cached_property
from typing import Any

from xuncha_desktop.domain import organization as org
from xuncha_desktop.domain import rectification as rect
from xuncha_desktop.domain.cadre_pool import Cadre, validate_cadre
from xuncha_desktop.domain.errors import FieldError
from xuncha_desktop.domain.fields import FieldSpec, field_specs
from xuncha_desktop.domain.group_scores import GroupScoreResult, validate_group_score
from xuncha_desktop.domain.interview_records import InterviewRecord, validate_interview
from xuncha_desktop.domain.issue_drafts import IssueDraft, validate_draft
from xuncha_desktop.domain.lead_registrations import LeadRegistration, validate_lead
from xuncha_desktop.domain.party_organizations import PartyOrganization, validate_party_organization
from xuncha_desktop.domain.personnel_evaluations import (
    MemberAppraisal,
    PersonnelEvaluation,
    validate_appraisal,
    validate_evaluation,
)
from xuncha_desktop.domain.petitions import Petition, validate_petition


@dataclass(frozen=True)
class RecordType:
    key: str
    table: str
    cls: type[Any]
    label: str
    validate: Callable[[Any, date], list[FieldError]]
    number_label: str = ""  # e.g. "底稿" in 2025-3轮-2组-底稿-017; empty: no human number

    @cached_property
    def fields(self) -> tuple[FieldSpec, ...]:
        """Every stored field but the id, in declaration order, as the dataclass declares it."""
        return field_specs(self.cls)

    def field(self, name: str) -> FieldSpec:
        for f in self.fields:
            if f.name == name:
                return f
        raise KeyError(f"{self.key} has no field {name!r}")

    def _names(self, flag: str) -> tuple[str, ...]:
        return tuple(f.name for f in self.fields if getattr(f, flag))

    @cached_property
    def labels(self) -> dict[str, str]:
        """The Chinese label of each labelled field."""
        return {f.name: f.label for f in self.fields if f.label}

    def header(self, name: str) -> str:
        """The label of field `name` where columns are narrow: its short label, else its label."""
        return self.field(name).header

    @cached_property
    def date_field(self) -> str:
        """The date a list's date range applies to; "" when the type has none."""
        dates = self._names("date")
        if len(dates) > 1:
            raise TypeError(f"{self.key} declares more than one list date: {dates}")
        return dates[0] if dates else ""

    @cached_property
    def filter_fields(self) -> tuple[str, ...]:
        return self._names("filter")

    @cached_property
    def indexed_fields(self) -> tuple[str, ...]:
        return self._names("indexed")

    @cached_property
    def text_fields(self) -> tuple[str, ...]:
        """The fields fed to the full-text index."""
        return self._names("searchable")

    @cached_property
    def set_fields(self) -> tuple[str, ...]:
        return self._names("set_valued")

    @cached_property
    def list_fields(self) -> tuple[str, ...]:
        """Lists of strings (one per line in forms, joined in ledgers)."""
        return tuple(f.name for f in self.fields if f.kind == "list")

    @cached_property
    def group_scoped(self) -> bool:
        """True when each record belongs to one group, whose laptops receive it."""
        return bool(self._names("group_scoped"))


INTERVIEW = RecordType(
    "interview",
    "interview_records",
    InterviewRecord,
    "个别谈话记录",
    validate_interview,
    "谈话",
)
DRAFT = RecordType(
    "draft",
    "issue_drafts",
    IssueDraft,
    "问题底稿",
    validate_draft,
    "底稿",
)
LEAD = RecordType(
    "lead",
    "lead_registrations",
    LeadRegistration,
    "问题线索",
    validate_lead,
    "线索",
)
EVALUATION = RecordType(
    "evaluation",
    "personnel_evaluations",
    PersonnelEvaluation,
    "干部画像",
    validate_evaluation,
    "画像",
)
APPRAISAL = RecordType(
    "appraisal",
    "member_appraisals",
    MemberAppraisal,
    "巡察干部鉴定",
    validate_appraisal,
    "鉴定",
)
PETITION = RecordType(
    "petition",
    "petitions",
    Petition,
    "信访件",
    validate_petition,
    "信访",
)
ROUND = RecordType("round", "inspection_rounds", org.InspectionRound, "巡察轮次", org.validate_round)
GROUP = RecordType("group", "inspection_groups", org.InspectionGroup, "巡察组", org.validate_group)
MEMBER = RecordType("member", "group_members", org.GroupMember, "巡察组成员", org.validate_member)
TARGET = RecordType("target", "target_units", org.TargetUnit, "被巡察单位", org.validate_target)
PERSON = RecordType("person", "persons", org.Person, "人员", org.validate_person)
USER = RecordType("user", "users", org.User, "用户", org.validate_user)
ATTACHMENT = RecordType("attachment", "attachments", org.Attachment, "附件", org.validate_attachment)
LINK = RecordType("link", "record_links", org.RecordLink, "记录关联", org.validate_link)
DICTIONARY = RecordType(
    "dictionary", "dictionary_entries", org.DictionaryEntry, "分类字典", org.validate_dictionary_entry
)
# The office's own plan data, never sent to a laptop (storage.sync_state.group_scope leaves them out).
PARTY_ORGANIZATION = RecordType(
    "party_org", "party_organizations", PartyOrganization, "党组织名录", validate_party_organization
)
CADRE = RecordType("cadre", "cadres", Cadre, "巡察人才库", validate_cadre)
# The office's rectification work after a round (domain.rectification); group-scoped for numbering and
# context, but not sent to laptops (storage.sync_state.group_scope sends MAIN_RECORD_TYPES only).
FEEDBACK = RecordType(
    "feedback",
    "rectification_feedbacks",
    rect.RectificationFeedback,
    "巡察反馈",
    rect.validate_feedback,
    "反馈",
)
TASK = RecordType(
    "task", "rectification_tasks", rect.RectificationTask, "整改任务", rect.validate_task, "整改"
)
SUPERVISION = RecordType(
    "supervision", "supervision_notes", rect.SupervisionNote, "督导记录", rect.validate_supervision
)
RECHECK = RecordType("recheck", "recheck_results", rect.RecheckResult, "回头看复查", rect.validate_recheck)
RECONCILIATION = RecordType(
    "reconciliation",
    "lead_reconciliations",
    rect.LeadReconciliation,
    "移交线索对账",
    rect.validate_reconciliation,
)
RECTIFICATION_TYPES = (FEEDBACK, TASK, SUPERVISION, RECHECK, RECONCILIATION)
# 巡察组质效评估 as published (office only).
GROUP_SCORE = RecordType(
    "group_score", "group_score_results", GroupScoreResult, "巡察组质效评估结果", validate_group_score
)

MAIN_RECORD_TYPES = (INTERVIEW, DRAFT, LEAD, EVALUATION, APPRAISAL, PETITION)
ALL_RECORD_TYPES = (
    ROUND,
    GROUP,
    MEMBER,
    TARGET,
    PERSON,
    USER,
    DICTIONARY,
    PARTY_ORGANIZATION,
    CADRE,
    INTERVIEW,
    DRAFT,
    LEAD,
    EVALUATION,
    APPRAISAL,
    PETITION,
    *RECTIFICATION_TYPES,
    GROUP_SCORE,
    ATTACHMENT,
    LINK,
)
BY_KEY = {t.key: t for t in ALL_RECORD_TYPES}
BY_CLASS: dict[type[Any], RecordType] = {t.cls: t for t in ALL_RECORD_TYPES}


def record_type(key: str) -> RecordType:
    try:
        return BY_KEY[key]
    except KeyError:
        raise KeyError(f"unknown record type {key!r}") from None


def set_fields() -> frozenset[str]:
    """Every set-valued field name of any record type (merge treats them as sets)."""
    return frozenset(name for rt in ALL_RECORD_TYPES for name in rt.set_fields)


def list_fields() -> frozenset[str]:
    """Every field name of any record type that holds a list of strings."""
    return frozenset(name for rt in ALL_RECORD_TYPES for name in rt.list_fields)
