"""Which form widget shows which field, for each record type (the widget names are those of ui/*_form.ui)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from xuncha_desktop.domain import vocab
from xuncha_desktop.gui.choices import Choices
from xuncha_desktop.gui.field_bindings import Choice, FieldBinding, TableColumn

B = FieldBinding
JURISDICTIONS = ("县纪委监委", "县委组织部", "市纪委监委", "市委组织部", "乡镇（街道）党（工）委")
RECEIVERS = ("县纪委监委", "县委组织部", "县委巡察办", "县信访局", "有关职能部门")
VERIFIABILITY = ("较强", "一般", "较弱")
DIMENSION_WIDGETS = (
    ("政治素质", "politicalQualityText"),
    ("履职尽责", "dutyPerformanceText"),
    ("民主集中制执行", "democraticCentralismText"),
    ("选人用人", "cadreSelectionText"),
    ("廉洁自律", "integrityText"),
    ("作风", "workStyleText"),
    ("群众口碑", "reputationText"),
)
ASPECT_WIDGETS = (
    ("政治素质", "politicalQualityCommentEdit"),
    ("业务能力", "businessAbilityCommentEdit"),
    ("工作作风", "workStyleCommentEdit"),
    ("纪律执行", "disciplineCommentEdit"),
    ("廉洁自律", "integrityCommentEdit"),
)
EVIDENCE_COLUMNS = (
    TableColumn("name", "材料名称"),
    TableColumn("source", "来源", width=6),
    TableColumn("pages", "页数", integer=True, width=3),
    TableColumn("evidence_no", "证据编号", width=6),
    TableColumn("interview_id"),
    TableColumn("attachment_sha256"),
)
SIGNOFF_COLUMNS = (
    TableColumn("step", "步骤", width=5),
    TableColumn("by", "签署人", width=4),
    TableColumn("role", "角色", width=3),
    TableColumn("at", "时间", width=9, display=lambda at: str(at or "").replace("T", " ")[:16]),
    TableColumn("opinion", "意见"),
    TableColumn("content_hash", "内容校验值", width=8),  # SHA-256; the full value is in the tooltip
)


def _rounds(c: Choices, v: Mapping[str, Any]) -> list[Choice]:
    return c.rounds()


def _groups(c: Choices, v: Mapping[str, Any]) -> list[Choice]:
    return c.groups(v.get("round_id", ""))


def _targets(c: Choices, v: Mapping[str, Any]) -> list[Choice]:
    return c.targets(v.get("round_id", ""), v.get("group_id", ""))


def _persons(c: Choices, v: Mapping[str, Any]) -> list[Choice]:
    return c.persons(v.get("target_id", ""))


def _level1(c: Choices, v: Mapping[str, Any]) -> list[Choice]:
    return c.categories(v.get("round_id", ""))


def _level2(c: Choices, v: Mapping[str, Any]) -> list[Choice]:
    parent = v.get("category_l1", "")
    return c.categories(v.get("round_id", ""), parent) if parent else []


def _members(c: Choices, v: Mapping[str, Any]) -> list[Choice]:
    return c.members(v.get("group_id", ""))


NUMBER = B("number", "numberEdit", read_only=True)
ROUND = B("round_id", "roundCombo", _rounds, optional=True)
GROUP = B("group_id", "groupCombo", _groups, ("round_id",), optional=True)
TARGET = B("target_id", "targetCombo", _targets, ("round_id", "group_id"), optional=True)
MARKING = B("marking", "markingCombo", vocab.MARKINGS)
CONTEXT = (NUMBER, ROUND, GROUP, TARGET)

INTERVIEW_BINDINGS = (
    *CONTEXT,
    B("held_on", "heldOnDate"),
    B("start_time", "startTimeEdit"),
    B("end_time", "endTimeEdit"),
    B("location", "locationEdit"),
    B("interviewer", "interviewerEdit"),
    B("recorder", "recorderEdit"),
    B("interview_type", "interviewTypeCombo", vocab.INTERVIEW_TYPES),
    MARKING,
    B("interviewee_id", "intervieweePersonCombo", _persons, ("target_id",), optional=True),
    B("interviewee_name", "intervieweeNameEdit"),
    B("gender", "genderCombo", vocab.GENDERS, optional=True),
    B("birth_month", "birthMonthEdit"),
    B("political_status", "politicalStatusCombo", vocab.POLITICAL_STATUSES, optional=True),
    B("post", "postEdit"),
    B("rank", "rankCombo", vocab.CADRE_RANKS, optional=True),
    B("contact", "contactEdit"),
    B("notice_given", "noticeGivenCheck"),
    B("outline", "outlineText"),
    B("content", "contentText"),
    B("problems", "problemsText", kind="lines"),
    B("persons_involved", "personsInvolvedText", kind="lines"),
    B("team_evaluation", "teamEvaluationText"),
    B("page_count", "pageCountSpin"),
    B("interviewer_signed", "interviewerSignedCheck"),
    B("recorder_signed", "recorderSignedCheck"),
    B("interviewee_signed", "intervieweeSignedCheck"),
)

DRAFT_BINDINGS = (
    *CONTEXT,
    B("status", "statusLabel", read_only=True),
    B("edited_after_signoff", "editedAfterSignoffCheck", read_only=True),
    B("prepared_on", "preparedOnDate"),
    B("preparer", "preparerEdit"),
    B("source", "sourceCombo", vocab.ISSUE_SOURCES),
    MARKING,
    B("category_l1", "categoryL1Combo", _level1, ("round_id",), optional=True),
    B("category_l2", "categoryL2Combo", _level2, ("round_id", "category_l1"), optional=True),
    B("category_l3", "categoryL3Edit"),
    B("disciplines", "disciplinesChecks", vocab.DISCIPLINES, kind="checks"),
    B("special_tags", "specialTagsChecks", vocab.SPECIAL_TAGS, kind="checks"),
    B("immediate_fix", "immediateFixCheck"),
    B("key_attention", "keyAttentionCheck"),
    B("key_attention_reason", "keyAttentionReasonCombo", vocab.KEY_ATTENTION_REASONS, optional=True),
    B("title", "titleEdit"),
    B("description", "descriptionText"),
    B("discovery", "discoveryText"),
    B("basis", "basisText"),
    B("evidence", "evidenceTable", columns=EVIDENCE_COLUMNS),
    B("responsibility_types", "responsibilityTypesChecks", vocab.RESPONSIBILITY_TYPES, kind="checks"),
    B("responsible_party", "responsiblePartyEdit"),
    B("amount_yuan", "amountSpin", kind="amount"),
    B("suggestion", "suggestionText"),
    B("review_opinion", "reviewOpinionText"),
    B("group_meeting_opinion", "groupMeetingOpinionText"),
    B("approval_opinion", "approvalOpinionText"),
    B("unit_feedback", "unitFeedbackText"),
    B("filing_no", "filingNoEdit"),
    B("signoffs", "signoffsTable", read_only=True, columns=SIGNOFF_COLUMNS),
)

LEAD_BINDINGS = (
    *CONTEXT,
    B("status", "statusLabel", read_only=True),
    B("closed", "closedCheck", read_only=True),
    B("registered_on", "registeredOnDate"),
    B("registered_by", "registeredByEdit"),
    B("source", "sourceCombo", vocab.LEAD_SOURCES),
    MARKING,
    B("anonymous", "anonymousCheck"),
    B("reporter_name", "reporterNameEdit"),
    B("reporter_contact", "reporterContactEdit"),
    B("subject_person_id", "subjectPersonCombo", _persons, ("target_id",), optional=True),
    B("subject_name", "subjectNameEdit"),
    B("subject_post", "subjectPostEdit"),
    B("subject_rank", "subjectRankCombo", vocab.CADRE_RANKS, optional=True),
    B("jurisdiction", "jurisdictionCombo", JURISDICTIONS),
    B("summary", "summaryText"),
    B("disciplines", "disciplinesChecks", vocab.DISCIPLINES, kind="checks"),
    B("amount_yuan", "amountSpin", kind="amount"),
    B("group_opinion", "groupOpinionText"),
    B("group_opinion_on", "groupOpinionOnDate"),
    B("consultation_opinion", "consultationOpinionText"),
    B("consultation_on", "consultationOnDate"),
    B("verifiability", "verifiabilityCombo", VERIFIABILITY),
    B("proposed_disposal", "proposedDisposalCombo", vocab.LEAD_DISPOSALS, optional=True),
    B("on_site_transfer", "onSiteTransferCheck"),
    B("leader_approver", "leaderApproverEdit"),
    B("leader_approved_on", "leaderApprovedOnDate"),
    B("transfer_unit", "transferUnitCombo", RECEIVERS),
    B("transfer_on", "transferOnDate"),
    B("transfer_method", "transferMethodCombo", vocab.TRANSFER_METHODS, optional=True),
    B("receiver", "receiverEdit"),
    B("outcome_type", "outcomeTypeCombo", vocab.LEAD_OUTCOMES, optional=True),
    B("case_opened", "caseOpenedCheck"),
    B("sanction", "sanctionEdit"),
    B("org_handling", "orgHandlingEdit"),
    B("judicial_transfer", "judicialTransferCheck"),
    B("outcome", "outcomeText"),
    B("feedback_on", "feedbackOnDate"),
)

EVALUATION_BINDINGS = (
    *CONTEXT,
    B("person_id", "personCombo", _persons, ("target_id",), optional=True),
    B("name", "nameEdit"),
    B("post", "postEdit"),
    B("term_start", "termStartDate"),
    B("portfolio", "portfolioEdit"),
    B("is_top_leader", "isTopLeaderCheck"),
    B("evaluated_on", "evaluatedOnDate"),
    B("evaluator", "evaluatorEdit"),
    MARKING,
    B("dimensions", "dimensionsGroup", parts=DIMENSION_WIDGETS),
    B("poll_scale", "pollScaleCombo", tuple(vocab.POLL_SCALES)),
    B("poll_tallies", "pollTallyTable", kind="tallies"),
    B("overall", "overallText"),
    B("grade", "gradeCombo", vocab.PORTRAIT_GRADES, optional=True),
    B("flag_for_org", "flagForOrgCheck"),
)

APPRAISAL_BINDINGS = (
    NUMBER,
    ROUND,
    GROUP,
    B("member_id", "memberCombo", _members, ("group_id",), optional=True),
    B("name", "nameEdit"),
    B("gender", "genderCombo", vocab.GENDERS, optional=True),
    B("birth_month", "birthMonthEdit"),
    B("political_status", "politicalStatusCombo", vocab.POLITICAL_STATUSES, optional=True),
    B("home_unit_post", "homeUnitPostEdit"),
    B("duty", "dutyCombo", vocab.MEMBER_DUTIES, optional=True),
    B("period_start", "periodStartDate"),
    B("period_end", "periodEndDate"),
    MARKING,
    B("conduct_score", "conductScoreSpin"),
    B("self_summary", "selfSummaryText"),
    B("leader_comments", "leaderCommentsGroup", parts=ASPECT_WIDGETS),
    B("grade", "gradeCombo", vocab.APPRAISAL_GRADES, optional=True),
    B("recommend_excellent", "recommendExcellentCheck"),
    B("group_opinion", "groupOpinionText"),
    B("office_opinion", "officeOpinionText"),
    B("feedback_unit", "feedbackUnitEdit"),
    B("appraised_on", "appraisedOnDate"),
)
