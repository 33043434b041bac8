"""Which records a statistic counts: one round, the rounds of a year, the whole term (everything in the
workspace), or the records whose list date falls in a date range."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, and_, select

from xuncha_desktop.domain.errors import XunchaError
from xuncha_desktop.domain.record_types import BY_KEY, GROUP, ROUND, TARGET
from xuncha_desktop.services.workspace import Workspace
from xuncha_desktop.storage.tables import BUSINESS_TABLES

_ROUNDS = BUSINESS_TABLES[ROUND.key]
# Context records have no list date of their own: in a date range they count with their round, when the
# round went on site (进驻日期) within the range.
_BY_ROUND_START = (GROUP.key, TARGET.key)


@dataclass(frozen=True)
class Scope:
    """Empty: the whole term. round_id: that round's records; year: the records of that year's rounds;
    start/end (either may be open): the records whose list date (谈话日期, 编制日期, 登记日期, 整改时限 …)
    falls in the range, both ends included."""

    round_id: str = ""
    year: int = 0
    start: date | None = None
    end: date | None = None

    @property
    def is_range(self) -> bool:
        return self.start is not None or self.end is not None

    def label(self, ws: Workspace) -> str:
        """How the scope is named on screen and in print, e.g. "2026年第三轮巡察" or "2026年度"."""
        if self.round_id:
            with ws.engine.connect() as conn:
                name = conn.execute(
                    select(_ROUNDS.c.name).where(_ROUNDS.c.id == self.round_id)
                ).scalar_one_or_none()
            return str(name) if name else "（已删除的轮次）"
        if self.year:
            return f"{self.year}年度"
        if self.is_range:
            start = self.start.isoformat() if self.start else "最早"
            end = self.end.isoformat() if self.end else "今"
            return f"{start} 至 {end}"
        return "全部（本届）"


def _live_rounds(*conditions: Any) -> Any:
    return select(_ROUNDS.c.id).where(_ROUNDS.c.deleted.is_(False), *conditions)


def _in_range(column: Any, scope: Scope) -> list[ColumnElement[bool]]:
    out: list[ColumnElement[bool]] = []
    if scope.start is not None:
        out.append(column >= scope.start)
    if scope.end is not None:
        out.append(column <= scope.end)
    return out


def conditions(scope: Scope, type_key: str) -> list[ColumnElement[bool]]:
    """The WHERE conditions that keep the live rows of `type_key` inside `scope` (portable SQL)."""
    table = BUSINESS_TABLES[type_key]
    c = table.c
    where: list[ColumnElement[bool]] = [c.deleted.is_(False)]
    if type_key == ROUND.key:
        if scope.round_id:
            where.append(c.id == scope.round_id)
        if scope.year:
            where.append(c.year == scope.year)
        if scope.is_range:
            where += _in_range(c.start_on, scope)
        return where
    if scope.round_id:
        where.append(c.round_id == scope.round_id)
    if scope.year:
        where.append(c.round_id.in_(_live_rounds(_ROUNDS.c.year == scope.year)))
    if scope.is_range:
        date_name = BY_KEY[type_key].date_field
        if type_key in _BY_ROUND_START or not date_name:
            where.append(c.round_id.in_(_live_rounds(and_(*_in_range(_ROUNDS.c.start_on, scope)))))
        else:
            where += _in_range(c[date_name], scope)
    return where


def scope_for(ws: Workspace, *, round_name: str = "", year: int = 0) -> Scope:
    """The scope of the command line's --round NAME or --year YYYY (neither: the term). A round is named
    as the list shows it; an unknown name is refused in Chinese."""
    name = round_name.strip()
    if name:
        with ws.engine.connect() as conn:
            found = conn.execute(
                select(_ROUNDS.c.id)
                .where(_ROUNDS.c.deleted.is_(False), _ROUNDS.c.name == name)
                .order_by(_ROUNDS.c.year, _ROUNDS.c.ordinal)
            ).all()
        if not found:
            raise XunchaError(f"工作库中没有名为“{name}”的巡察轮次")
        if len(found) > 1:
            raise XunchaError(f"工作库中有 {len(found)} 个名为“{name}”的巡察轮次，请先在轮次管理中区分其名称")
        return Scope(round_id=str(found[0][0]))
    if year:
        if not 2000 <= year <= 2100:
            raise XunchaError(f"年度 {year} 无效，应在 2000 至 2100 之间")
        return Scope(year=year)
    return Scope()
