"""A group member's workload in a round, counted from the records (never typed): talks, drafts, leads."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, Table, func, or_, select

from xuncha_desktop.domain.record_types import DRAFT, INTERVIEW, LEAD
from xuncha_desktop.services.workspace import Workspace
from xuncha_desktop.storage.tables import BUSINESS_TABLES


@dataclass(frozen=True)
class Workload:
    interviews: int = 0  # 谈话人次: talks the member led (主谈) or recorded (记录)
    drafts: int = 0  # 撰写底稿数: drafts the member prepared (承办人)
    leads: int = 0  # 登记线索数: leads the member registered (登记人)


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
        drafts=_count(ws, drafts, drafts.c.preparer == name, round_id, group_id),
        leads=_count(ws, leads, leads.c.registered_by == name, round_id, group_id),
    )
