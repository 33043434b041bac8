"""巡察人才库: finding cadres to second to a group (by speciality, status, name or unit, times served) and
each cadre's service history, read from the group members linked to the entry and their 鉴定 grades.

Nothing of the history is stored on the entry: times served and the last round are counted in SQL from the
live members linked by cadre_id (GROUP BY cadre_id), so a province's pool is filtered in a few milliseconds
and a member added to a group shows in the pool at once."""

from __future__ import annotations

import json
from dataclasses import dataclass
from operator import itemgetter
from typing import Any

from sqlalchemy import Select, String, and_, cast, func, or_, select

from xuncha_desktop.domain.cadre_pool import Cadre
from xuncha_desktop.domain.record_types import APPRAISAL, CADRE, GROUP, MEMBER, ROUND
from xuncha_desktop.services.records.record_service import RecordService
from xuncha_desktop.services.workspace import Workspace
from xuncha_desktop.storage.tables import BUSINESS_TABLES, META_COLUMNS, meta_from_row

_CADRES = BUSINESS_TABLES[CADRE.key]
_MEMBERS = BUSINESS_TABLES[MEMBER.key]
_GROUPS = BUSINESS_TABLES[GROUP.key]
_ROUNDS = BUSINESS_TABLES[ROUND.key]
_APPRAISALS = BUSINESS_TABLES[APPRAISAL.key]
_FIELDS = [c.name for c in _CADRES.c if c.name not in {*META_COLUMNS, "id", "number"}]
# Where the fields sit in a row of select(_CADRES, …): read by position, 5,000 rows at a time.
_FIELD_VALUES = itemgetter(*(list(_CADRES.c.keys()).index(name) for name in _FIELDS))


@dataclass(frozen=True)
class PoolEntry:
    """A cadre of the pool with the count of groups served in and the name of the latest round."""

    cadre: Cadre
    times_served: int
    last_round: str


@dataclass(frozen=True)
class ServiceLine:
    """One group a cadre served in: the round, the group, the role and the 鉴定 grade of that round."""

    round_name: str
    year: int
    round_kind: str
    group_name: str
    role: str
    staffing: str
    grade: str  # 鉴定等次 of the member's MemberAppraisal, "" when there is none


def _like(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def _served() -> Select[Any]:
    """Per cadre: the live member rows linked to it (in live groups of live rounds) and the latest round's
    sort key year * 100 + ordinal."""
    joined = _MEMBERS.join(_GROUPS, _GROUPS.c.id == _MEMBERS.c.group_id).join(
        _ROUNDS, _ROUNDS.c.id == _GROUPS.c.round_id
    )
    return (
        select(
            _MEMBERS.c.cadre_id.label("cadre_id"),
            func.count(_MEMBERS.c.id).label("times"),
            func.max(_ROUNDS.c.year * 100 + _ROUNDS.c.ordinal).label("last_key"),
        )
        .select_from(joined)
        .where(
            _MEMBERS.c.deleted.is_(False),
            _GROUPS.c.deleted.is_(False),
            _ROUNDS.c.deleted.is_(False),
            _MEMBERS.c.cadre_id != "",
        )
        .group_by(_MEMBERS.c.cadre_id)
    )


def _cadre(row: Any) -> Cadre:
    values = dict(zip(_FIELDS, _FIELD_VALUES(row), strict=True))
    return Cadre(id=row.id, number=row.number, meta=meta_from_row(row), **values)


class CadrePool:
    """The 人才库 of one (office) workspace."""

    def __init__(self, ws: Workspace) -> None:
        self._ws = ws

    def find(
        self,
        *,
        speciality: str = "",
        status: str = "",
        text: str = "",
        min_times: int | None = None,
        max_times: int | None = None,
        limit: int | None = None,
    ) -> list[PoolEntry]:
        """Live cadres matching every filter given, by name: `text` in the name, home unit or post,
        `speciality` one of theirs, times served within [min_times, max_times]."""
        served = _served().subquery()
        times = func.coalesce(served.c.times, 0)
        stmt = (
            select(_CADRES, times.label("times"), served.c.last_key)
            .select_from(_CADRES.outerjoin(served, served.c.cadre_id == _CADRES.c.id))
            .where(_CADRES.c.deleted.is_(False))
            .order_by(_CADRES.c.name, _CADRES.c.id)
        )
        if status:
            stmt = stmt.where(_CADRES.c.status == status)
        if text.strip():
            pattern = _like(text.strip())
            stmt = stmt.where(
                or_(*(_CADRES.c[c].like(pattern, escape="\\") for c in ("name", "home_unit", "home_post")))
            )
        if min_times is not None:
            stmt = stmt.where(times >= min_times)
        if max_times is not None:
            stmt = stmt.where(times <= max_times)
        if speciality:
            # Narrowed in SQL by the text of the stored JSON list (portable: a LIKE on the column as text,
            # in the serializer's own escaping), then checked exactly on the decoded list below.
            as_text = cast(_CADRES.c.specialities, String)
            stmt = stmt.where(as_text.like(_like(json.dumps(speciality)), escape="\\"))
        if limit is not None and not speciality:
            stmt = stmt.limit(limit)
        with self._ws.engine.connect() as conn:
            rows = conn.execute(stmt).all()
            round_names = {
                r.year * 100 + r.ordinal: r.name
                for r in conn.execute(
                    select(_ROUNDS.c.year, _ROUNDS.c.ordinal, _ROUNDS.c.name)
                    .where(_ROUNDS.c.deleted.is_(False))
                    .order_by(_ROUNDS.c.created_hlc)
                )
            }
        entries = []
        for row in rows:
            # The JSON list is filtered here: portable SQL has no test for a member of a JSON array.
            if speciality and speciality not in (row.specialities or []):
                continue
            last = round_names.get(row.last_key, "") if row.last_key is not None else ""
            entries.append(PoolEntry(_cadre(row), int(row.times), last))
            if limit is not None and len(entries) >= limit:
                break
        return entries

    def history(self, cadre_id: str) -> list[ServiceLine]:
        """Every live group the cadre served in, oldest round first, with that round's 鉴定 grade."""
        grades = (
            select(_APPRAISALS.c.member_id, func.max(_APPRAISALS.c.grade).label("grade"))
            .where(_APPRAISALS.c.deleted.is_(False), _APPRAISALS.c.grade != "")
            .group_by(_APPRAISALS.c.member_id)
            .subquery()
        )
        joined = (
            _MEMBERS.join(_GROUPS, _GROUPS.c.id == _MEMBERS.c.group_id)
            .join(_ROUNDS, _ROUNDS.c.id == _GROUPS.c.round_id)
            .outerjoin(grades, grades.c.member_id == _MEMBERS.c.id)
        )
        stmt = (
            select(
                _ROUNDS.c.name.label("round_name"),
                _ROUNDS.c.year,
                _ROUNDS.c.kind,
                _GROUPS.c.name.label("group_name"),
                _MEMBERS.c.role,
                _MEMBERS.c.staffing,
                grades.c.grade,
            )
            .select_from(joined)
            .where(
                and_(
                    _MEMBERS.c.cadre_id == cadre_id,
                    _MEMBERS.c.deleted.is_(False),
                    _GROUPS.c.deleted.is_(False),
                    _ROUNDS.c.deleted.is_(False),
                )
            )
            .order_by(_ROUNDS.c.year, _ROUNDS.c.ordinal, _GROUPS.c.ordinal, _MEMBERS.c.id)
        )
        with self._ws.engine.connect() as conn:
            rows = conn.execute(stmt).all()
        return [
            ServiceLine(r.round_name, r.year, r.kind, r.group_name, r.role, r.staffing, r.grade or "")
            for r in rows
        ]

    def save(self, cadre: Cadre) -> Cadre:
        """Validate and store a pool entry (audited); returns it as stored."""
        saved: Cadre = RecordService[Cadre](self._ws, CADRE).save(cadre)
        return saved
