"""问题线索 stages 已登记 → 已研判 → 拟处置 → 已移交 → 已反馈 → 已销号, each with the role that may take it.

A step only changes the stage (and stamps the approval or closing); the facts it needs are typed into the
form first, and domain.lead_registrations.validate_lead refuses a stage whose facts are missing.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from xuncha_desktop.domain import vocab
from xuncha_desktop.domain.errors import WorkflowError
from xuncha_desktop.domain.lead_registrations import LeadRegistration
from xuncha_desktop.domain.organization import User
from xuncha_desktop.domain.record_types import LEAD
from xuncha_desktop.services.records import RecordService
from xuncha_desktop.services.workspace import Workspace


@dataclass(frozen=True)
class LeadStep:
    key: str
    label: str
    from_state: str
    to_state: str
    roles: tuple[str, ...]
    needs: str  # the facts to fill in first, for tooltips


JUDGE = LeadStep("judge", "研判", "已登记", "已研判", ("组长", "副组长"), "组务会研判意见")
PROPOSE = LeadStep("propose", "拟处置（组长审批）", "已研判", "拟处置", ("组长",), "拟处置建议")
TRANSFER = LeadStep(
    "transfer",
    "移交",
    "拟处置",
    "已移交",
    ("组长", "联络员", vocab.OFFICE_ADMIN),
    "移交单位、移交日期、接收人",
)
FEEDBACK = LeadStep(
    "feedback", "登记反馈", "已移交", "已反馈", ("组长", "联络员", vocab.OFFICE_ADMIN), "办理方式、反馈日期"
)
CLOSE = LeadStep("close", "销号", "已反馈", "已销号", ("组长", vocab.OFFICE_ADMIN), "")
STEPS = (JUDGE, PROPOSE, TRANSFER, FEEDBACK, CLOSE)
BY_KEY = {s.key: s for s in STEPS}


def refusal(step: LeadStep, lead: LeadRegistration, user: User) -> str:
    """Why `user` may not take `step` now, in Chinese; "" when allowed (the facts are checked on saving)."""
    if lead.status != step.from_state:
        return f"线索当前状态为“{lead.status}”，不能{step.label}"
    if user.role not in step.roles:
        return (
            f"{step.label}须由{'、'.join(step.roles)}进行，当前用户“{user.display_name}”的角色是{user.role}"
        )
    if step is TRANSFER and lead.proposed_disposal not in vocab.TRANSFER_DISPOSALS:
        return f"拟处置建议为“{lead.proposed_disposal or '未填写'}”的线索不需要移交"
    return ""


def take_step(step: LeadStep, lead: LeadRegistration, user: User, today: date) -> LeadRegistration:
    reason = refusal(step, lead, user)
    if reason:
        raise WorkflowError(reason)
    moved = dataclasses.replace(lead, status=step.to_state)
    if step is JUDGE and moved.group_opinion_on is None:
        moved = dataclasses.replace(moved, group_opinion_on=today)
    if step is PROPOSE:
        moved = dataclasses.replace(
            moved,
            leader_approver=moved.leader_approver or user.display_name,
            leader_approved_on=moved.leader_approved_on or today,
        )
    if step is CLOSE:
        moved = dataclasses.replace(moved, closed=True)
    return moved


class LeadWorkflow:
    """Moves stored leads along their stages as the workspace's current user."""

    def __init__(self, workspace: Workspace, today: Callable[[], date] = date.today) -> None:
        self._ws = workspace
        self._records: RecordService[LeadRegistration] = RecordService(workspace, LEAD)
        self._today = today

    def available(self, lead: LeadRegistration) -> list[LeadStep]:
        return [s for s in STEPS if s.from_state == lead.status] if lead.id else []

    def refusal(self, key: str, lead: LeadRegistration) -> str:
        return refusal(BY_KEY[key], lead, self._ws.user)

    def perform(self, key: str, lead_id: str) -> LeadRegistration:
        """Take step `key`; WorkflowError for a wrong stage or role, ValidationError for missing facts."""
        stored = self._records.get(lead_id)
        return self._records.save(take_step(BY_KEY[key], stored, self._ws.user, self._today()))
