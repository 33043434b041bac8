"""The registry of every stored record type: its key, dataclass, Chinese label, number label and validator."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from xuncha_desktop.domain import organization as org
from xuncha_desktop.domain.errors import FieldError
from xuncha_desktop.domain.interview_records import InterviewRecord, validate_interview
from xuncha_desktop.domain.issue_drafts import IssueDraft, validate_draft
from xuncha_desktop.domain.lead_registrations import LeadRegistration, validate_lead
from xuncha_desktop.domain.personnel_evaluations import (
    MemberAppraisal,
    PersonnelEvaluation,
    validate_appraisal,
    validate_evaluation,
)


@dataclass(frozen=True)
class RecordType:
    key: str
    table: str
    cls: type[Any]
    label: str
    validate: Callable[[Any, date], list[FieldError]]
    number_label: str = ""  # e.g. "底稿" in 2025-3轮-2组-底稿-017; empty: no human number
    text_fields: tuple[str, ...] = ()  # fields fed to the full-text index


INTERVIEW = RecordType(
    "interview",
    "interview_records",
    InterviewRecord,
    "个别谈话记录",
    validate_interview,
    "谈话",
    (
        "number",
        "interviewee_name",
        "post",
        "location",
        "interviewer",
        "recorder",
        "outline",
        "content",
        "problems",
        "team_evaluation",
    ),
)
DRAFT = RecordType(
    "draft",
    "issue_drafts",
    IssueDraft,
    "问题底稿",
    validate_draft,
    "底稿",
    (
        "number",
        "title",
        "description",
        "discovery",
        "basis",
        "suggestion",
        "responsible_party",
        "evidence",
        "review_opinion",
        "group_meeting_opinion",
        "approval_opinion",
    ),
)
LEAD = RecordType(
    "lead",
    "lead_registrations",
    LeadRegistration,
    "问题线索",
    validate_lead,
    "线索",
    (
        "number",
        "subject_name",
        "subject_post",
        "summary",
        "group_opinion",
        "consultation_opinion",
        "transfer_unit",
        "outcome",
    ),
)
EVALUATION = RecordType(
    "evaluation",
    "personnel_evaluations",
    PersonnelEvaluation,
    "干部画像",
    validate_evaluation,
    "画像",
    ("number", "name", "post", "portfolio", "dimensions", "overall"),
)
APPRAISAL = RecordType(
    "appraisal",
    "member_appraisals",
    MemberAppraisal,
    "巡察干部鉴定",
    validate_appraisal,
    "鉴定",
    ("number", "name", "home_unit_post", "self_summary", "leader_comments", "group_opinion"),
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

MAIN_RECORD_TYPES = (INTERVIEW, DRAFT, LEAD, EVALUATION, APPRAISAL)
ALL_RECORD_TYPES = (
    ROUND,
    GROUP,
    MEMBER,
    TARGET,
    PERSON,
    USER,
    DICTIONARY,
    INTERVIEW,
    DRAFT,
    LEAD,
    EVALUATION,
    APPRAISAL,
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
