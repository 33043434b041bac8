"""问题底稿: one issue per paper, with its 承办人 → 副组长复核 → 组长审签 chain (domain README §1.1)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from xuncha_desktop.domain import vocab
from xuncha_desktop.domain.codec import canonical_json, sha256_hex, to_body
from xuncha_desktop.domain.common import Checker, RecordMeta
from xuncha_desktop.domain.errors import FieldError, WorkflowError
from xuncha_desktop.domain.states import DraftState, DraftStep

EVIDENCE_KEYS = ("name", "source", "pages", "evidence_no", "interview_id", "attachment_sha256")
SIGNOFF_STEPS = DraftStep.ALL
SIGNED = DraftState.SIGNED
APPROVAL_STEP = DraftStep.APPROVE
# Workflow state is not content: the hash covers what was written, not where it stands in the chain.
NOT_CONTENT = frozenset({"signoffs", "status", "edited_after_signoff"})


@dataclass(frozen=True)
class IssueDraft:
    id: str = ""
    number: str = ""
    round_id: str = ""
    group_id: str = ""
    target_id: str = ""
    prepared_on: date | None = None
    title: str = ""
    category_l1: str = ""
    category_l2: str = ""
    category_l3: str = ""
    disciplines: list[str] = field(default_factory=list)
    special_tags: list[str] = field(default_factory=list)
    source: str = "个别谈话"
    description: str = ""
    discovery: str = ""
    basis: str = ""
    # 佐证材料目录: dicts with EVIDENCE_KEYS
    evidence: list[dict[str, Any]] = field(default_factory=list)
    responsibility_types: list[str] = field(default_factory=list)
    responsible_party: str = ""
    amount_yuan: Decimal = Decimal("0")
    immediate_fix: bool = False
    suggestion: str = ""
    key_attention: bool = False
    key_attention_reason: str = ""
    preparer: str = ""
    review_opinion: str = ""
    group_meeting_opinion: str = ""
    approval_opinion: str = ""
    unit_feedback: str = ""
    filing_no: str = ""
    status: str = "草稿"
    # each sign-off step: {"step", "by", "role", "at", "content_hash", "opinion"}
    signoffs: list[dict[str, Any]] = field(default_factory=list)
    edited_after_signoff: bool = False
    marking: str = "工作秘密"
    meta: RecordMeta | None = field(default=None, compare=False)


def validate_draft(d: IssueDraft, today: date) -> list[FieldError]:
    c = Checker()
    c.required("round_id", d.round_id, "巡察轮次")
    c.required("group_id", d.group_id, "巡察组")
    c.required("target_id", d.target_id, "被巡察单位")
    c.required("prepared_on", d.prepared_on, "编制日期")
    c.not_future("prepared_on", d.prepared_on, "编制日期", today)
    c.required("title", d.title, "问题标题")
    c.max_len("title", d.title, 80, "问题标题")
    c.required("category_l1", d.category_l1, "问题类别")
    if d.category_l2 and d.category_l1 and not d.category_l2.startswith(d.category_l1):
        c.add("category_l2", "问题子类与问题类别不一致")
    c.all_of("disciplines", d.disciplines, vocab.DISCIPLINES, "涉及纪律")
    c.all_of("special_tags", d.special_tags, vocab.SPECIAL_TAGS, "专项类型")
    c.one_of("source", d.source, vocab.ISSUE_SOURCES, "问题来源", optional=False)
    c.required("description", d.description, "问题描述（事实）")
    c.all_of("responsibility_types", d.responsibility_types, vocab.RESPONSIBILITY_TYPES, "责任主体")
    c.amount("amount_yuan", d.amount_yuan, "涉及金额")
    for i, item in enumerate(d.evidence, start=1):
        if not str(item.get("name", "")).strip():
            c.add("evidence", f"佐证材料第{i}项缺少材料名称")
        pages = item.get("pages", 0)
        if not isinstance(pages, int) or pages < 0:
            c.add("evidence", f"佐证材料第{i}项页数无效")
    if d.key_attention and not d.key_attention_reason:
        c.add("key_attention_reason", "标记为重点关注时请选择重点关注情形")
    c.one_of("status", d.status, vocab.DRAFT_STATES, "状态", optional=False)
    c.required("preparer", d.preparer, "承办人")
    c.one_of("marking", d.marking, vocab.MARKINGS, "密级标识", optional=False)
    return c.errors


class SignoffRevocationRequired(WorkflowError):
    """Saving would change a signed draft, which revokes its sign-off: only with the person's consent."""


def content_hash(draft: IssueDraft) -> str:
    """SHA-256 of the canonical body without the workflow fields."""
    body = {k: v for k, v in to_body(draft).items() if k not in NOT_CONTENT}
    return sha256_hex(canonical_json(body))


def signed_hash(draft: IssueDraft) -> str:
    """The content hash of the last approval, or "" when the draft was never approved."""
    for step in reversed(draft.signoffs):
        if step.get("step") == APPROVAL_STEP:
            return str(step.get("content_hash", ""))
    return ""


def revokes_signoff(stored: IssueDraft, edited: IssueDraft) -> bool:
    """True when saving `edited` over `stored` changes what was signed: the sign-off no longer holds."""
    if stored.status != SIGNED:
        return False
    return content_hash(edited) != (signed_hash(stored) or content_hash(stored))
