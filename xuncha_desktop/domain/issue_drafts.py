"""问题底稿: one issue per paper, with its 承办人 → 副组长复核 → 组长审签 chain (domain README §1.1)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from xuncha_desktop.domain import fields, vocab
from xuncha_desktop.domain.codec import canonical_json, sha256_hex, to_body
from xuncha_desktop.domain.common import Checker, RecordMeta
from xuncha_desktop.domain.errors import FieldError, WorkflowError
from xuncha_desktop.domain.fields import spec
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
    number: str = fields.number()
    round_id: str = fields.round_ref()
    group_id: str = fields.group_ref()
    target_id: str = fields.target_ref()
    prepared_on: date | None = spec("编制日期", None, date=True)
    title: str = spec("问题标题", "", searchable=True)
    category_l1: str = spec("问题类别", "", filter=True)
    category_l2: str = spec("问题子类", "")
    category_l3: str = spec("具体问题", "")
    disciplines: list[str] = fields.disciplines()
    special_tags: list[str] = spec("专项类型", default_factory=list, set_valued=True)
    source: str = spec("问题来源", "个别谈话")
    description: str = spec("问题描述（事实）", "", short="问题描述", searchable=True)
    discovery: str = spec("发现过程", "", searchable=True)
    basis: str = spec("定性依据", "", searchable=True)
    # 佐证材料目录: dicts with EVIDENCE_KEYS
    evidence: list[dict[str, Any]] = spec("佐证材料目录", default_factory=list, searchable=True)
    responsibility_types: list[str] = spec("责任主体", default_factory=list, set_valued=True)
    responsible_party: str = spec("责任单位或个人", "", searchable=True)
    amount_yuan: Decimal = fields.amount()
    immediate_fix: bool = spec("立行立改", False)
    suggestion: str = spec("整改建议", "", searchable=True)
    key_attention: bool = spec("重点关注", False)
    key_attention_reason: str = spec("重点关注情形", "")
    preparer: str = spec("承办人", "")
    review_opinion: str = spec("副组长复核意见", "", searchable=True)
    group_meeting_opinion: str = spec("组务会研究意见", "", searchable=True)
    approval_opinion: str = spec("组长审签意见", "", searchable=True)
    unit_feedback: str = spec("被巡察单位意见", "")
    filing_no: str = spec("巡察办备案号", "")
    status: str = fields.status("草稿")
    # each sign-off step: {"step", "by", "role", "at", "content_hash", "opinion"}
    signoffs: list[dict[str, Any]] = spec("审签记录", default_factory=list)
    edited_after_signoff: bool = spec("审签后修改", False)
    marking: str = fields.marking()
    # 挽回经济损失 the issue led to (reported later by the unit or the 纪检监察机关), for the statistics.
    amount_recovered_yuan: Decimal = spec("挽回经济损失（元）", Decimal("0"), short="挽回损失", added_in=6)
    # 一般 / 较重 / 重大: weights the issue in the scoring of groups (domain README §5.2).
    severity: str = spec("问题严重程度", "", short="严重程度", added_in=6)
    meta: RecordMeta | None = field(default=None, compare=False)


def validate_draft(d: IssueDraft, today: date) -> list[FieldError]:
    c = Checker(IssueDraft)
    c.required("round_id", d.round_id)
    c.required("group_id", d.group_id)
    c.required("target_id", d.target_id)
    c.required("prepared_on", d.prepared_on)
    c.not_future("prepared_on", d.prepared_on, today)
    c.required("title", d.title)
    c.max_len("title", d.title, 80)
    c.required("category_l1", d.category_l1)
    if d.category_l2 and d.category_l1 and not d.category_l2.startswith(d.category_l1):
        c.add("category_l2", "问题子类与问题类别不一致")
    c.all_of("disciplines", d.disciplines, vocab.DISCIPLINES)
    c.all_of("special_tags", d.special_tags, vocab.SPECIAL_TAGS)
    c.one_of("source", d.source, vocab.ISSUE_SOURCES, optional=False)
    c.required("description", d.description)
    c.all_of("responsibility_types", d.responsibility_types, vocab.RESPONSIBILITY_TYPES)
    c.amount("amount_yuan", d.amount_yuan, "涉及金额")  # the label without its unit
    c.amount("amount_recovered_yuan", d.amount_recovered_yuan, "挽回经济损失")
    c.one_of("severity", d.severity, vocab.ISSUE_SEVERITIES)
    for i, item in enumerate(d.evidence, start=1):
        if not str(item.get("name", "")).strip():
            c.add("evidence", f"佐证材料第{i}项缺少材料名称")
        pages = item.get("pages", 0)
        if not isinstance(pages, int) or pages < 0:
            c.add("evidence", f"佐证材料第{i}项页数无效")
    if d.key_attention and not d.key_attention_reason:
        c.add("key_attention_reason", "标记为重点关注时请选择重点关注情形")
    c.one_of("status", d.status, vocab.DRAFT_STATES, optional=False)
    c.required("preparer", d.preparer)
    c.one_of("marking", d.marking, vocab.MARKINGS, optional=False)
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
