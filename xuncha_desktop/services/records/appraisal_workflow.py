"""抽调干部考核 (domain.workflows.APPRAISAL_WORKFLOW): 组长 推荐等次 → 巡察办 考核意见 → 领导小组 审定,
with the share of 优秀 per round capped by the office's setting, and the edits an appraisal may take.

The cap (excellent_cap_refusal) is checked when a step is taken, over the live appraisals of the round in
this workspace: in a group's workspace that is the group's own, at the office every group's. The cap is kept
in the workspace's settings table (not synced: each office decides its own) as a whole percentage.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Callable
from datetime import datetime

from sqlalchemy import and_, case, func, select

from xuncha_desktop.domain import vocab
from xuncha_desktop.domain.errors import FieldError, ValidationError, WorkflowError
from xuncha_desktop.domain.personnel_evaluations import MemberAppraisal
from xuncha_desktop.domain.record_types import APPRAISAL
from xuncha_desktop.domain.states import AppraisalState
from xuncha_desktop.domain.workflow import Move
from xuncha_desktop.domain.workflows import (
    APPRAISAL_WORKFLOW,
    EXCELLENT,
    RoundGrades,
    excellent_cap_refusal,
)
from xuncha_desktop.services.records.record_service import SaveStep
from xuncha_desktop.services.records.workflow import WorkflowService, now
from xuncha_desktop.services.rectification.settings import read_setting, write_setting
from xuncha_desktop.services.workspace import Workspace
from xuncha_desktop.storage.tables import BUSINESS_TABLES

SETTINGS_KEY = "appraisal.excellent_share_percent"
AUDIT_ACTION = "appraisal_settings"  # the audit entry of a change of the cap
DEFAULT_CAP_PERCENT = round(vocab.EXCELLENT_SHARE_CAP * 100)
CAP_LABEL = "优秀比例上限"

_TABLE = BUSINESS_TABLES[APPRAISAL.key]


# -- the cap setting ---------------------------------------------------------------------------------------
def parse_cap(text: str) -> int:
    """A typed cap ("20", "20%", "２０") as a whole percentage 0–100; ValidationError otherwise."""
    cleaned = text.strip().rstrip("%％").strip()
    try:
        value = int(cleaned)
    except ValueError:
        value = -1
    if not 0 <= value <= 100:
        shown = text.strip() or "（空）"
        raise ValidationError(
            [FieldError("excellent_share_percent", f"{CAP_LABEL}应为 0 至 100 之间的整数，“{shown}”不是")]
        )
    return value


def _stored_cap(text: str | None) -> int:
    try:
        value = json.loads(text) if text else DEFAULT_CAP_PERCENT
    except ValueError:
        return DEFAULT_CAP_PERCENT
    ok = isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= 100
    return value if ok else DEFAULT_CAP_PERCENT


def load_excellent_cap(ws: Workspace) -> int:
    """The office's cap on the share of 优秀 per round, in percent (the default 20 where none was saved, or
    what is stored is unreadable)."""
    with ws.engine.connect() as conn:
        return _stored_cap(read_setting(conn, SETTINGS_KEY))


def save_excellent_cap(ws: Workspace, percent: int) -> None:
    """Store the cap (ValidationError outside 0–100); audited as before → after."""
    value = parse_cap(str(percent))
    with ws.writing() as writer:
        before = _stored_cap(read_setting(writer.conn, SETTINGS_KEY))
        write_setting(writer.conn, SETTINGS_KEY, json.dumps(value))
        writer.log(AUDIT_ACTION, "", "", excellent_share_percent=[before, value])


# -- the round's grades ------------------------------------------------------------------------------------
def round_grades(ws: Workspace, round_id: str, excluding: str) -> RoundGrades:
    """The live appraisals of `round_id` other than `excluding`, counted for the cap."""
    t = _TABLE
    recommended = and_(t.c.status != AppraisalState.PENDING, t.c.grade == EXCELLENT)
    approved = and_(t.c.status == AppraisalState.APPROVED, t.c.approved_grade == EXCELLENT)
    stmt = select(
        func.count(),
        func.coalesce(func.sum(case((recommended, 1), else_=0)), 0),
        func.coalesce(func.sum(case((approved, 1), else_=0)), 0),
    ).where(t.c.round_id == round_id, t.c.deleted.is_(False), t.c.id != excluding)
    with ws.engine.connect() as conn:
        others, rec, app = conn.execute(stmt).one()
    return RoundGrades(int(others), int(rec), int(app))


# -- the workflow ------------------------------------------------------------------------------------------
def _keeps(stored: MemberAppraisal, edited: MemberAppraisal) -> list[FieldError]:
    """What an edit may not change in the appraisal's state: the 推荐等次 once recommended (return it
    first), the 审定等次 except while the 领导小组's decision is being recorded (已提出考核意见)."""
    errors = []
    if stored.status != AppraisalState.PENDING and edited.grade != stored.grade:
        errors.append(
            FieldError("grade", f"鉴定“{stored.status}”，不能再修改鉴定等次（推荐等次）；如需修改，请先退回")
        )
    if stored.status != AppraisalState.OPINION_GIVEN and edited.approved_grade != stored.approved_grade:
        errors.append(FieldError("approved_grade", "审定等次只能在巡察办提出考核意见后、审定前填写"))
    return errors


class AppraisalWorkflow(WorkflowService[MemberAppraisal]):
    """Saves appraisals and moves them along 推荐 → 考核意见 → 审定 as the workspace's current user."""

    def __init__(self, workspace: Workspace, clock: Callable[[], datetime] | None = None) -> None:
        super().__init__(workspace, APPRAISAL, APPRAISAL_WORKFLOW, clock or now)

    def cap_refusal(self, key: str, moved: MemberAppraisal) -> str:
        """Why the appraisal `moved` by step `key` would pass the round's 优秀 cap; "" when within."""
        step = self.workflow.transition(key)
        grades = round_grades(self._ws, moved.round_id, moved.id)
        return excellent_cap_refusal(step, moved, grades, load_excellent_cap(self._ws))

    def perform(self, key: str, record_id: str, opinion: str = "") -> MemberAppraisal:
        """Take step `key` (WorkflowError naming the reason, the cap's with the count and the limit)."""
        stored = self._records.get(record_id)
        moved = self.workflow.apply(
            self.workflow.transition(key), stored, Move(self._ws.user, self._clock(), opinion)
        )
        if reason := self.cap_refusal(key, moved):
            raise WorkflowError(reason)
        return self._records.save(moved)

    def save(
        self, appraisal: MemberAppraisal, *, revoke_signoff: bool = False, links: SaveStep | None = None
    ) -> MemberAppraisal:
        """Save an edit: a new appraisal starts 待推荐 with an empty 考核记录; an edit keeps the stored state
        and 考核记录, and may not change what a step settled (ValidationError naming the field)."""
        del revoke_signoff  # appraisals have no sign-off to revoke
        if not appraisal.id:
            fresh = dataclasses.replace(
                appraisal, status=APPRAISAL_WORKFLOW.initial, approvals=[], approved_grade=""
            )
            return self._records.save(fresh, links=links)
        stored = self._records.get(appraisal.id)
        if errors := _keeps(stored, appraisal):
            raise ValidationError(errors, "巡察干部鉴定")
        kept = dataclasses.replace(appraisal, status=stored.status, approvals=list(stored.approvals))
        return self._records.save(kept, links=links)
