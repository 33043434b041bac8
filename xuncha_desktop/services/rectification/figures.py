"""The rectification figures of `stats --json` ("rectification") and of the office's summaries: tasks,
how they ended, how many are overdue, and the completion rate."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import and_, case, func, select

from xuncha_desktop.domain import rectification as rect
from xuncha_desktop.domain.record_types import TASK
from xuncha_desktop.services.workspace import Workspace
from xuncha_desktop.storage.tables import BUSINESS_TABLES


def _count_if(condition: Any) -> Any:
    return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)


def rectification_figures(ws: Workspace, today: date, *, round_id: str = "") -> dict[str, Any]:
    """Live 整改任务 (of one round, or all): `tasks`, `done` (已完成), `done_basically` (基本完成持续整改),
    `not_done` (未完成), `overdue` (still open after the 时限, as of `today`) and `completion_rate`, the
    share 已完成 or 基本完成 (0–1, four decimals; 0.0 without tasks). One SELECT, portable SQL."""
    t = BUSINESS_TABLES[TASK.key]
    conds = [t.c.deleted.is_(False)] + ([t.c.round_id == round_id] if round_id else [])
    with ws.engine.connect() as conn:
        counted = conn.execute(
            select(
                func.count().label("tasks"),
                _count_if(t.c.status == rect.DONE).label("done"),
                _count_if(t.c.status == rect.DONE_BASICALLY).label("done_basically"),
                _count_if(t.c.status == rect.NOT_DONE).label("not_done"),
                _count_if(and_(t.c.status.in_(rect.OPEN_STATES), t.c.due_on < today)).label("overdue"),
            ).where(*conds)
        ).one()
    row: dict[str, Any] = {k: int(v) for k, v in counted._asdict().items()}
    finished = row["done"] + row["done_basically"]
    row["completion_rate"] = round(finished / row["tasks"], 4) if row["tasks"] else 0.0
    return row
