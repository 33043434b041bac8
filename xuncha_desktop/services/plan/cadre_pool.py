"""巡察人才库: finding cadres to second to a group (by speciality, status, name or unit, times served) and
each cadre's service history, read from the group members linked to the entry and their 鉴定 grades.

Nothing of the history is stored on the entry: times served and the last round are counted in SQL from the
live members linked by cadre_id (GROUP BY cadre_id), and a member added to a group shows in the pool at
once. Lists read a page of PoolRow (the listed columns only) and the count; the selected cadre is read whole
with get(): a province's pool (5,000 cadres) is filtered and paged in a few milliseconds."""

from __future__ import annotations

import dataclasses
import json
from dataclasses import dataclass
from datetime import date
from operator import itemgetter
from typing import Any

from sqlalchemy import Connection, Select, String, and_, cast, func, or_, select

from xuncha_desktop.domain.cadre_pool import Cadre
from xuncha_desktop.domain.errors import RecordNotFound
from xuncha_desktop.domain.organization import GroupMember, InspectionGroup
from xuncha_desktop.domain.plan_rules import avoidance_conflicts
from xuncha_desktop.domain.record_types import APPRAISAL, CADRE, GROUP, MEMBER, ROUND, TARGET
from xuncha_desktop.services.plan.plan_service import AVOIDANCE_OVERRIDE, AvoidanceConflict
from xuncha_desktop.services.records.record_service import ListQuery, RecordService
from xuncha_desktop.services.workspace import Workspace
from xuncha_desktop.storage.revisions import RevisionWriter
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
class PoolRow:
    """What the 人才库 list shows of a cadre: read column by column, without building the whole record (the
    list of a province's pool is read a page at a time; the selected cadre is read with CadrePool.get)."""

    id: str
    number: str
    name: str
    home_unit: str
    home_post: str
    specialities: tuple[str, ...]
    status: str
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
    grade: str  # the member's 审定等次, else the 组长's 推荐等次 marked “（推荐）”; "" without an appraisal


@dataclass(frozen=True)
class PoolQuery:
    """The pool's filters: `text` in the name, home unit or post, `speciality` one of the cadre's, the
    status, and times served within [min_times, max_times] (None: no bound)."""

    speciality: str = ""
    status: str = ""
    text: str = ""
    min_times: int | None = None
    max_times: int | None = None


def _grade(approved: str | None, recommended: str | None) -> str:
    if approved:
        return approved
    return f"{recommended}（推荐）" if recommended else ""


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


def _filtered(q: PoolQuery, *columns: Any, served_needed: bool = True) -> Select[Any]:
    """select(columns) of the live cadres matching `q`, joined to their service counts (`times`,
    `last_key`) when a column or a filter needs them. Every filter is SQL, so counting and paging are
    exact: a speciality is matched as a whole element of the stored JSON list (its quoted JSON string;
    quotes inside an element are escaped there, and specialities come from SPECIALITIES)."""
    conds: list[Any] = [_CADRES.c.deleted.is_(False)]
    if q.status:
        conds.append(_CADRES.c.status == q.status)
    if q.text.strip():
        text = q.text.strip()
        conds.append(
            or_(*(_CADRES.c[c].contains(text, autoescape=True) for c in ("name", "home_unit", "home_post")))
        )
    if q.speciality:
        as_text = cast(_CADRES.c.specialities, String)
        # Escaped as files before version 8 hold it, or as typed (storage.database's JSON serializer).
        forms = sorted({json.dumps(q.speciality), json.dumps(q.speciality, ensure_ascii=False)})
        conds.append(or_(*(as_text.contains(form, autoescape=True) for form in forms)))
    source: Any = _CADRES
    if served_needed or q.min_times is not None or q.max_times is not None:
        served = _served().subquery()
        times = func.coalesce(served.c.times, 0)
        source = _CADRES.outerjoin(served, served.c.cadre_id == _CADRES.c.id)
        if q.min_times is not None:
            conds.append(times >= q.min_times)
        if q.max_times is not None:
            conds.append(times <= q.max_times)
        columns = (*columns, times.label("times"), served.c.last_key)
    return select(*columns).select_from(source).where(and_(*conds))


def _round_names(conn: Connection) -> dict[int, str]:
    """year * 100 + ordinal → the round's name (the latest made when two share them)."""
    rows = conn.execute(
        select(_ROUNDS.c.year, _ROUNDS.c.ordinal, _ROUNDS.c.name)
        .where(_ROUNDS.c.deleted.is_(False))
        .order_by(_ROUNDS.c.created_hlc)
    )
    return {r.year * 100 + r.ordinal: r.name for r in rows}


_ROW_COLUMNS = tuple(
    _CADRES.c[name] for name in ("id", "number", "name", "home_unit", "home_post", "specialities", "status")
)


class CadrePool:
    """The 人才库 of one (office) workspace."""

    def __init__(self, ws: Workspace) -> None:
        self._ws = ws

    def rows(
        self, query: PoolQuery | None = None, *, offset: int = 0, limit: int | None = None
    ) -> list[PoolRow]:
        """One page of the cadres matching `query`, by name: only the listed columns."""
        stmt = _filtered(query or PoolQuery(), *_ROW_COLUMNS)
        stmt = stmt.order_by(_CADRES.c.name, _CADRES.c.id).offset(offset).limit(limit)
        with self._ws.engine.connect() as conn:
            rows = conn.execute(stmt).all()
            names = _round_names(conn) if rows else {}
        return [
            PoolRow(
                r.id,
                r.number,
                r.name,
                r.home_unit,
                r.home_post,
                tuple(r.specialities or ()),
                r.status,
                int(r.times),
                names.get(r.last_key, "") if r.last_key is not None else "",
            )
            for r in rows
        ]

    def count(self, query: PoolQuery | None = None) -> int:
        """How many cadres match `query`."""
        q = query or PoolQuery()
        inner = _filtered(q, _CADRES.c.id, served_needed=False).subquery()
        with self._ws.engine.connect() as conn:
            return int(conn.execute(select(func.count()).select_from(inner)).scalar_one())

    def get(self, cadre_id: str) -> Cadre:
        """The whole entry of one cadre (RecordNotFound when there is none)."""
        cadre: Cadre = RecordService[Cadre](self._ws, CADRE).stored(cadre_id)
        return cadre

    def find(
        self,
        *,
        speciality: str = "",
        status: str = "",
        text: str = "",
        min_times: int | None = None,
        max_times: int | None = None,
        limit: int | None = None,
        offset: int = 0,
    ) -> list[PoolEntry]:
        """Live cadres matching every filter given (see PoolQuery), by name, each as its whole record; for
        lists, CadrePool.rows reads only what is shown."""
        q = PoolQuery(speciality, status, text, min_times, max_times)
        stmt = _filtered(q, _CADRES).order_by(_CADRES.c.name, _CADRES.c.id).offset(offset).limit(limit)
        with self._ws.engine.connect() as conn:
            rows = conn.execute(stmt).all()
            names = _round_names(conn) if rows else {}
        return [
            PoolEntry(_cadre(r), int(r.times), names.get(r.last_key, "") if r.last_key is not None else "")
            for r in rows
        ]

    def history(self, cadre_id: str) -> list[ServiceLine]:
        """Every live group the cadre served in, oldest round first, with that round's 鉴定 grade: the one the
        领导小组 approved, or until then the recommended one marked （推荐）."""
        grades = (
            select(
                _APPRAISALS.c.member_id,
                func.max(_APPRAISALS.c.approved_grade).label("approved"),
                func.max(_APPRAISALS.c.grade).label("grade"),
            )
            .where(_APPRAISALS.c.deleted.is_(False))
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
                grades.c.approved,
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
            ServiceLine(
                r.round_name, r.year, r.kind, r.group_name, r.role, r.staffing, _grade(r.approved, r.grade)
            )
            for r in rows
        ]

    def save(self, cadre: Cadre, *, override: str = "") -> Cadre:
        """Validate and store a pool entry (audited); returns it as stored.

        A change of 现工作单位 or 曾任职单位 is checked against the groups the cadre serves in now (rounds not
        finished: no end date, or one not before today): a new 回避 conflict there raises AvoidanceConflict
        unless `override` gives the reason, which is then kept on each affected member with an audit entry
        “回避例外”, all in the save's transaction (as PlanService.save does for an assignment)."""
        svc = RecordService[Cadre](self._ws, CADRE)
        svc.validate(cadre)
        pending = self._new_conflicts(cadre)
        reason = override.strip()
        if pending and not reason:
            raise AvoidanceConflict([c for _member, _group, conflicts in pending for c in conflicts])
        if not pending:
            saved: Cadre = svc.save(cadre)
            return saved

        def overrides(writer: RevisionWriter, _saved: Cadre) -> None:
            for member, group_name, conflicts in pending:
                kept = member.avoidance_override.strip()
                note = f"{kept}；{reason}" if kept and reason not in kept.split("；") else kept or reason
                writer.write(MEMBER, dataclasses.replace(member, avoidance_override=note))
                writer.log(
                    AVOIDANCE_OVERRIDE,
                    MEMBER.key,
                    member.id,
                    member=member.name,
                    group=group_name,
                    conflicts="；".join(conflicts),
                )

        saved = svc.save(cadre, links=overrides)
        return saved

    def _new_conflicts(self, cadre: Cadre) -> list[tuple[GroupMember, str, list[str]]]:
        """(member, group name, conflicts) for each group of an unfinished round the cadre serves in where
        the edited units create a 回避 conflict the stored entry did not have."""
        if not cadre.id:
            return []
        try:
            before: Cadre = RecordService[Cadre](self._ws, CADRE).stored(cadre.id)
        except RecordNotFound:
            return []
        if (before.home_unit, list(before.earlier_units)) == (cadre.home_unit, list(cadre.earlier_units)):
            return []
        before = dataclasses.replace(before, name=cadre.name)  # a rename alone is no new conflict
        found = []
        for member, group in self._serving(cadre.id):
            units = self._live(TARGET, group_id=group.id)
            known = set(avoidance_conflicts(before, units))
            fresh = [c for c in avoidance_conflicts(cadre, units) if c not in known]
            if fresh:
                found.append((member, group.name, fresh))
        return found

    def _serving(self, cadre_id: str) -> list[tuple[GroupMember, InspectionGroup]]:
        """The cadre's live members in live groups of live rounds that are not finished."""
        today = date.today()
        serving = []
        for listed in self._live(MEMBER, cadre_id=cadre_id):
            member = self._stored(MEMBER, listed.id)  # unmasked: it may be written back
            group = self._stored(GROUP, member.group_id) if member is not None else None
            rnd = self._stored(ROUND, group.round_id) if group is not None else None
            if member is None or group is None or rnd is None:
                continue
            if rnd.end_on is None or rnd.end_on >= today:
                serving.append((member, group))
        return serving

    def _live(self, rt: Any, **filters: str) -> list[Any]:
        query = ListQuery(filters=filters, order_by="created_hlc", limit=None)
        return list(RecordService[Any](self._ws, rt).list(query))

    def _stored(self, rt: Any, record_id: str) -> Any:
        """The live record, or None (missing or in the recycle bin)."""
        try:
            record: Any = RecordService[Any](self._ws, rt).stored(record_id)
        except RecordNotFound:
            return None
        return None if record.meta is not None and record.meta.deleted else record
