"""全覆盖 for a term: of the active organizations of the 党组织名录, which were inspected (a live target unit
of a live round points at them), in which rounds, and how many of each kind are still due.

The figures are SQL aggregates (GROUP BY kind; inspected = EXISTS a live unit of a live round of the term
naming the organization), and the list is read a page at a time (org_rows, count_orgs, inspections), so a
province's 3,000 organizations open in a few milliseconds. Plain SQLAlchemy Core: SQLite or PostgreSQL."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, Select, and_, case, exists, func, select

from xuncha_desktop.domain import vocab
from xuncha_desktop.domain.party_organizations import PartyOrganization
from xuncha_desktop.domain.plan_rules import same_name
from xuncha_desktop.domain.record_types import PARTY_ORGANIZATION, ROUND, TARGET
from xuncha_desktop.services.workspace import Workspace
from xuncha_desktop.storage.tables import BUSINESS_TABLES, META_COLUMNS, meta_from_row

_ORGS = BUSINESS_TABLES[PARTY_ORGANIZATION.key]
_TARGETS = BUSINESS_TABLES[TARGET.key]
_ROUNDS = BUSINESS_TABLES[ROUND.key]
_FIELDS = [c.name for c in _ORGS.c if c.name not in {*META_COLUMNS, "id", "number"}]


@dataclass(frozen=True)
class KindCoverage:
    """The figures of one unit kind (or of all, kind "合计")."""

    kind: str
    total: int
    inspected: int
    due: int
    percent: float  # inspected / total * 100, 0.0 when there is none


@dataclass(frozen=True)
class OrgCoverage:
    """One active organization and its inspections as (round name, round kind, year), oldest first."""

    org: PartyOrganization
    inspections: list[tuple[str, str, int]]


@dataclass(frozen=True)
class Coverage:
    kinds: list[KindCoverage]  # one per vocab.UNIT_KINDS, in that order
    orgs: list[OrgCoverage]  # every active organization, by kind (in that order) and name
    total: KindCoverage


@dataclass(frozen=True)
class OrgQuery:
    """The filters of the 党组织名录 list: the term's years (first, last; None: every year), the kind, a
    part of the name, and inspected (True: 已巡察, False: 未巡察; both leave out merged organizations)."""

    years: tuple[int, int] | None = None
    kind: str = ""
    text: str = ""
    inspected: bool | None = None


@dataclass(frozen=True)
class OrgRow:
    """What the 党组织名录 list shows of an organization: its columns and its inspections in the term
    (how many rounds, and the latest one's name and kind), without building the whole record."""

    id: str
    number: str
    name: str
    kind: str
    active: bool
    inspections: int
    last_round: str
    last_kind: str


def _figures(kind: str, total: int, inspected: int) -> KindCoverage:
    percent = round(inspected * 100 / total, 1) if total else 0.0
    return KindCoverage(kind, total, inspected, total - inspected, percent)


def _org(row: Any) -> PartyOrganization:
    values = {c: getattr(row, c) for c in _FIELDS}
    return PartyOrganization(id=row.id, number=row.number, meta=meta_from_row(row), **values)


def _visits(years: tuple[int, int] | None) -> Select[Any]:
    """(org_id, round id, name, kind, year, ordinal) of every live target unit of a live round (of
    `years`) that points at an organization of the master list."""
    stmt = (
        select(
            _TARGETS.c.org_id, _ROUNDS.c.id, _ROUNDS.c.name, _ROUNDS.c.kind, _ROUNDS.c.year, _ROUNDS.c.ordinal
        )
        .select_from(_TARGETS.join(_ROUNDS, _ROUNDS.c.id == _TARGETS.c.round_id))
        .where(_TARGETS.c.deleted.is_(False), _ROUNDS.c.deleted.is_(False), _TARGETS.c.org_id != "")
    )
    if years is not None:
        stmt = stmt.where(_ROUNDS.c.year >= years[0], _ROUNDS.c.year <= years[1])
    return stmt


def _inspected(years: tuple[int, int] | None) -> Any:
    """EXISTS a live target unit of a live round of `years` pointing at the organization of the row."""
    visits = _visits(years).subquery()
    return exists().where(visits.c.org_id == _ORGS.c.id)


def _kinds(conn: Connection, years: tuple[int, int] | None) -> list[KindCoverage]:
    """The figures per kind, counted in SQL (GROUP BY kind) over the active organizations."""
    done = func.sum(case((_inspected(years), 1), else_=0))
    stmt = (
        select(_ORGS.c.kind, func.count(_ORGS.c.id), done)
        .where(_ORGS.c.deleted.is_(False), _ORGS.c.active.is_(True))
        .group_by(_ORGS.c.kind)
    )
    counts: dict[str, tuple[int, int]] = {kind: (0, 0) for kind in vocab.UNIT_KINDS}
    for kind, total, inspected in conn.execute(stmt):
        counts[kind] = (int(total), int(inspected or 0))
    return [_figures(kind, total, done) for kind, (total, done) in counts.items()]


def _org_visits(conn: Connection, years: tuple[int, int] | None) -> list[OrgCoverage]:
    rows = conn.execute(select(_ORGS).where(_ORGS.c.deleted.is_(False), _ORGS.c.active.is_(True))).all()
    visits: dict[str, list[tuple[str, str, int]]] = defaultdict(list)
    stmt = _visits(years).order_by(_ROUNDS.c.year, _ROUNDS.c.ordinal, _ROUNDS.c.created_hlc)
    for org_id, _round_id, name, kind, year, _ordinal in conn.execute(stmt):
        visit = (name, kind, year)
        if visit not in visits[org_id]:  # two units of one round may name one organization
            visits[org_id].append(visit)
    order = {kind: i for i, kind in enumerate(vocab.UNIT_KINDS)}
    return sorted(
        (OrgCoverage(_org(row), visits.get(row.id, [])) for row in rows),
        key=lambda o: (order.get(o.org.kind, len(order)), o.org.name, o.org.id),
    )


def term_coverage(ws: Workspace, *, years: tuple[int, int] | None = None, with_orgs: bool = True) -> Coverage:
    """The 全覆盖 figures of the active organizations, counting the rounds of `years` (first, last; both
    included) or of every year. The figures are SQL aggregates; `with_orgs` also lists every active
    organization with its inspections (whole records: for reports, not for a screen, which reads
    org_rows a page at a time)."""
    with ws.engine.connect() as conn:
        kinds = _kinds(conn, years)
        orgs = _org_visits(conn, years) if with_orgs else []
    total = _figures("合计", sum(k.total for k in kinds), sum(k.inspected for k in kinds))
    return Coverage(kinds, orgs, total)


def _listed(q: OrgQuery, *columns: Any) -> Select[Any]:
    conds: list[Any] = [_ORGS.c.deleted.is_(False)]
    if q.kind:
        conds.append(_ORGS.c.kind == q.kind)
    text = same_name(q.text)
    if text:
        conds.append(_ORGS.c.name.contains(text, autoescape=True))
    if q.inspected is not None:
        seen = _inspected(q.years)
        conds += [_ORGS.c.active.is_(True), seen if q.inspected else ~seen]
    return select(*columns).where(and_(*conds))


def org_rows(
    ws: Workspace, query: OrgQuery | None = None, *, offset: int = 0, limit: int | None = None
) -> list[OrgRow]:
    """One page of the live organizations (active or merged) matching `query`, by name, each with its
    inspections in the term counted in SQL."""
    q = query or OrgQuery()
    visits = _visits(q.years).subquery()
    per_org = (
        select(
            visits.c.org_id,
            func.count(func.distinct(visits.c.id)).label("times"),
            func.max(visits.c.year * 100 + visits.c.ordinal).label("last_key"),
        )
        .group_by(visits.c.org_id)
        .subquery()
    )
    columns = [_ORGS.c[c] for c in ("id", "number", "name", "kind", "active")]
    stmt = (
        _listed(q, *columns, func.coalesce(per_org.c.times, 0).label("times"), per_org.c.last_key)
        .select_from(_ORGS.outerjoin(per_org, per_org.c.org_id == _ORGS.c.id))
        .order_by(_ORGS.c.name, _ORGS.c.id)
        .offset(offset)
        .limit(limit)
    )
    with ws.engine.connect() as conn:
        rows = conn.execute(stmt).all()
        names = _round_names(conn, q.years) if rows else {}
    found = []
    for r in rows:
        name, kind = names.get(r.last_key, ("", "")) if r.last_key is not None else ("", "")
        found.append(OrgRow(r.id, r.number, r.name, r.kind, bool(r.active), int(r.times), name, kind))
    return found


def count_orgs(ws: Workspace, query: OrgQuery | None = None) -> int:
    """How many live organizations match `query`."""
    inner = _listed(query or OrgQuery(), _ORGS.c.id).subquery()
    with ws.engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(inner)).scalar_one())


def inspections(
    ws: Workspace, org_id: str, *, years: tuple[int, int] | None = None
) -> list[tuple[str, str, int]]:
    """The organization's inspections in the term as (round name, round kind, year), oldest first; a
    round counts once however many of its units name the organization."""
    stmt = (
        _visits(years)
        .where(_TARGETS.c.org_id == org_id)
        .order_by(_ROUNDS.c.year, _ROUNDS.c.ordinal, _ROUNDS.c.created_hlc)
    )
    found: list[tuple[str, str, int]] = []
    with ws.engine.connect() as conn:
        for _org_id, _round_id, name, kind, year, _ordinal in conn.execute(stmt):
            if (name, kind, year) not in found:
                found.append((name, kind, year))
    return found


def _round_names(conn: Connection, years: tuple[int, int] | None) -> dict[int, tuple[str, str]]:
    """year * 100 + ordinal → (name, kind) of the live rounds (the latest made when two share them)."""
    stmt = select(_ROUNDS.c.year, _ROUNDS.c.ordinal, _ROUNDS.c.name, _ROUNDS.c.kind).where(
        _ROUNDS.c.deleted.is_(False)
    )
    if years is not None:
        stmt = stmt.where(_ROUNDS.c.year >= years[0], _ROUNDS.c.year <= years[1])
    return {
        r.year * 100 + r.ordinal: (r.name, r.kind) for r in conn.execute(stmt.order_by(_ROUNDS.c.created_hlc))
    }


def org_names(ws: Workspace) -> list[tuple[str, str, str, bool]]:
    """(id, name, kind, active) of every live organization, by name: the choices of a target unit's
    党组织 (the four columns only, not the records)."""
    stmt = (
        select(_ORGS.c.id, _ORGS.c.name, _ORGS.c.kind, _ORGS.c.active)
        .where(_ORGS.c.deleted.is_(False))
        .order_by(_ORGS.c.name, _ORGS.c.id)
    )
    with ws.engine.connect() as conn:
        return [(r.id, r.name, r.kind, bool(r.active)) for r in conn.execute(stmt)]
