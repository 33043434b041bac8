"""The records behind a number shown: the same rules (rules.RULES), scope and breakdown row as the figure,
so the count behind always equals it. A count lists its records; a sum (挽回经济损失, 建章立制, 调阅资料 …)
the records adding something to it; 移交问题线索（人） one lead per person; a rate the records of its
numerator (成案率: the cases opened; 整改完成率: the tasks done); 全覆盖进度 none here (the 党组织名录
shows it)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, Connection, func, select

from xuncha_desktop.domain.record_types import (
    DRAFT,
    GROUP,
    INTERVIEW,
    LEAD,
    PETITION,
    ROUND,
    TARGET,
    TASK,
)
from xuncha_desktop.services.office_statistics.breakdowns import BREAKDOWNS, applies
from xuncha_desktop.services.office_statistics.figures import FIGURE_LABELS
from xuncha_desktop.services.office_statistics.query import (
    TOTAL_KEY,
    behind_condition,
    dimension,
    key_condition,
)
from xuncha_desktop.services.office_statistics.rules import Part, parts_of
from xuncha_desktop.services.office_statistics.scope import Scope, conditions
from xuncha_desktop.services.workspace import Workspace

# What a drill-down list shows as a record's title.
TITLE_FIELDS = {
    DRAFT.key: "title",
    LEAD.key: "subject_name",
    INTERVIEW.key: "interviewee_name",
    PETITION.key: "summary",  # never the reporter, whom the list would show unmasked
    TASK.key: "issue",
    TARGET.key: "name",
    GROUP.key: "name",
    ROUND.key: "name",
}


@dataclass(frozen=True)
class RecordRef:
    type_key: str
    record_id: str
    number: str
    title: str


def _check(figure: str, by: str) -> None:
    if figure not in FIGURE_LABELS:
        raise KeyError(figure)
    if by and by not in BREAKDOWNS:
        raise ValueError(f"unknown breakdown {by!r}")


def _selections(
    scope: Scope, figure: str, by: str, key: str, today: date
) -> list[tuple[Part, Any, list[Any]]]:
    """(part, FROM, WHERE) of each part behind the figure in the scope and the breakdown's row; none where
    the breakdown does not split the figure (its rows show 0) — the 合计 row is the scope's figure."""
    if by and key != TOTAL_KEY and not applies(by, figure):
        return []
    out = []
    for part in parts_of(figure):
        t = part.table
        where: list[ColumnElement[Any]] = [
            *conditions(scope, part.type_key),
            behind_condition(part, t, today),
        ]
        source: Any = t
        if by and key != TOTAL_KEY:
            dim = dimension(by, part.type_key)
            if dim is None:
                continue
            source = dim.source
            where.append(key_condition(dim, key))
        out.append((part, source, where))
    return out


def _count(conn: Connection, part: Part, source: Any, where: list[Any]) -> int:
    t = part.table
    counted = func.count(t.c[part.column].distinct()) if part.measure == "distinct" else func.count()
    return int(conn.execute(select(counted).select_from(source).where(*where)).scalar_one())


def count_behind(
    ws: Workspace, scope: Scope, figure: str, *, by: str = "", key: str = "", today: date | None = None
) -> int:
    """How many records stand behind `figure` (in the row `key` of the breakdown `by`; key "" the 合计):
    for a count, the figure itself."""
    _check(figure, by)
    selections = _selections(scope, figure, by, key, today or date.today())
    with ws.engine.connect() as conn:
        return sum(_count(conn, *s) for s in selections)


def leads_without_outcome(ws: Workspace, scope: Scope, *, today: date | None = None) -> int:
    """The transferred leads of `scope` with none of 立案, 党纪政务处分, 组织处理 or 移送司法 recorded (yet):
    the 暂无处置结果 bar of the charts' 移交线索处置结果 (the outcomes overlap: it is no difference of them).
    """
    selections = _selections(scope, "_leads_without_outcome", "", "", today or date.today())
    with ws.engine.connect() as conn:
        return sum(_count(conn, *s) for s in selections)


def _refs(conn: Connection, part: Part, source: Any, where: list[Any], limit: int | None) -> list[RecordRef]:
    t = part.table
    title = t.c[TITLE_FIELDS[part.type_key]]
    stmt = select(t.c.id, t.c.number, title).select_from(source).where(*where)
    if part.measure == "distinct":  # one record per value: the first by number
        seen: set[str] = set()
        out = []
        for rid, number, value in conn.execute(stmt.order_by(t.c[part.column], t.c.number, t.c.id)):
            if value not in seen:
                seen.add(value)
                out.append(RecordRef(part.type_key, rid, number, value))
        out.sort(key=lambda r: (r.number, r.record_id))
        return out[:limit] if limit is not None else out
    stmt = stmt.order_by(t.c.number, t.c.id)
    if limit is not None:
        stmt = stmt.limit(limit)
    return [
        RecordRef(part.type_key, rid, number, str(text or "")) for rid, number, text in conn.execute(stmt)
    ]


def records_behind(
    ws: Workspace,
    scope: Scope,
    figure: str,
    *,
    by: str = "",
    key: str = "",
    limit: int | None = 200,
    today: date | None = None,
) -> list[RecordRef]:
    """The records behind `figure` (see count_behind), by record type then number; at most `limit`
    (None: all of them)."""
    _check(figure, by)
    selections = _selections(scope, figure, by, key, today or date.today())
    out: list[RecordRef] = []
    with ws.engine.connect() as conn:
        for selection in selections:
            left = None if limit is None else limit - len(out)
            if left is not None and left <= 0:
                break
            out += _refs(conn, *selection, left)
    return out
