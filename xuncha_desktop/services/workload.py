"""A group member's workload in a round, counted from the records (never typed): talks, drafts, leads.
One rule for the 鉴定 form on screen and the printed 巡察干部鉴定表."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, Table, and_, func, or_, select

from xuncha_desktop.domain.record_types import DRAFT, INTERVIEW, LEAD
from xuncha_desktop.domain.states import DraftState
from xuncha_desktop.services.workspace import Workspace
from xuncha_desktop.storage.tables import BUSINESS_TABLES


@dataclass(frozen=True)
class Workload:
    interviews: int = 0  # 谈话人次: talks the member led (主谈) or recorded (记录)
    drafts: int = 0  # 撰写底稿数: drafts the member prepared (承办人), not counting 已作废 ones
    leads: int = 0  # 登记线索数: leads the member registered (登记人)
    adopted: int = (
        0  # 被采纳问题: of those drafts, the ones signed off (已审签) or merged into another (已归并)
    )


VOIDED = DraftState.VOID
ADOPTED = DraftState.ADOPTED


def _count(ws: Workspace, table: Table, who: ColumnElement[Any], round_id: str, group_id: str) -> int:
    conds: list[ColumnElement[Any]] = [table.c.deleted.is_(False), table.c.round_id == round_id, who]
    if group_id:
        conds.append(table.c.group_id == group_id)
    with ws.engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(table).where(*conds)).scalar_one())


def member_workload(ws: Workspace, name: str, round_id: str, group_id: str = "") -> Workload:
    """What `name` did in the round (and group, when given); all zero without a name or a round."""
    name = name.strip()
    if not name or not round_id:
        return Workload()
    talks = BUSINESS_TABLES[INTERVIEW.key]
    drafts = BUSINESS_TABLES[DRAFT.key]
    leads = BUSINESS_TABLES[LEAD.key]
    return Workload(
        interviews=_count(
            ws, talks, or_(talks.c.interviewer == name, talks.c.recorder == name), round_id, group_id
        ),
        drafts=_count(
            ws, drafts, and_(drafts.c.preparer == name, drafts.c.status != VOIDED), round_id, group_id
        ),
        leads=_count(ws, leads, leads.c.registered_by == name, round_id, group_id),
        adopted=_count(
            ws, drafts, and_(drafts.c.preparer == name, drafts.c.status.in_(ADOPTED)), round_id, group_id
        ),
    )
