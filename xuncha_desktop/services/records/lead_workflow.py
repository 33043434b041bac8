"""问题线索 stages 已登记 → 已研判 → 拟处置 → 已移交 → 已反馈 → 已销号 (domain.workflows.LEAD_WORKFLOW).

A step only changes the stage (and stamps the approval or closing); the facts it needs are typed into the
form first, and domain.lead_registrations.validate_lead refuses a stage whose facts are missing.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, time

from xuncha_desktop.domain.lead_registrations import LeadRegistration
from xuncha_desktop.domain.organization import User
from xuncha_desktop.domain.record_types import LEAD
from xuncha_desktop.domain.workflow import Move, Transition
from xuncha_desktop.domain.workflows import (
    LEAD_CLOSE,
    LEAD_FEEDBACK,
    LEAD_JUDGE,
    LEAD_PROPOSE,
    LEAD_TRANSFER,
    LEAD_WORKFLOW,
)
from xuncha_desktop.services.records.workflow import WorkflowService
from xuncha_desktop.services.workspace import Workspace

JUDGE, PROPOSE, TRANSFER, FEEDBACK, CLOSE = LEAD_JUDGE, LEAD_PROPOSE, LEAD_TRANSFER, LEAD_FEEDBACK, LEAD_CLOSE
STEPS = LEAD_WORKFLOW.transitions


def _start_of(day: date) -> datetime:
    return datetime.combine(day, time())


def refusal(step: Transition, lead: LeadRegistration, user: User) -> str:
    """Why `user` may not take `step` now, in Chinese; "" when allowed (the facts are checked on saving)."""
    return LEAD_WORKFLOW.refusal(step, lead, user)


def take_step(step: Transition, lead: LeadRegistration, user: User, today: date) -> LeadRegistration:
    return LEAD_WORKFLOW.apply(step, lead, Move(user, _start_of(today)))


class LeadWorkflow(WorkflowService[LeadRegistration]):
    """Moves stored leads along their stages as the workspace's current user."""

    def __init__(self, workspace: Workspace, today: Callable[[], date] = date.today) -> None:
        super().__init__(workspace, LEAD, LEAD_WORKFLOW, lambda: _start_of(today()))
