"""全覆盖 for a term: of the active organizations of the 党组织名录, which were inspected (a live target unit
of a live round points at them), in which rounds, and how many of each kind are still due."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select

from xuncha_desktop.domain import vocab
from xuncha_desktop.domain.party_organizations import PartyOrganization
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


def _figures(kind: str, total: int, inspected: int) -> KindCoverage:
    percent = round(inspected * 100 / total, 1) if total else 0.0
    return KindCoverage(kind, total, inspected, total - inspected, percent)


def _org(row: Any) -> PartyOrganization:
    values = {c: getattr(row, c) for c in _FIELDS}
    return PartyOrganization(id=row.id, number=row.number, meta=meta_from_row(row), **values)


def term_coverage(ws: Workspace, *, years: tuple[int, int] | None = None) -> Coverage:
    """The 全覆盖 figures of the active organizations, counting the rounds of `years` (first, last; both
    included) or of every year."""
    inspected = (
        select(_TARGETS.c.org_id, _ROUNDS.c.name, _ROUNDS.c.kind, _ROUNDS.c.year)
        .select_from(_TARGETS.join(_ROUNDS, _ROUNDS.c.id == _TARGETS.c.round_id))
        .where(_TARGETS.c.deleted.is_(False), _ROUNDS.c.deleted.is_(False), _TARGETS.c.org_id != "")
        .order_by(_ROUNDS.c.year, _ROUNDS.c.ordinal, _ROUNDS.c.created_hlc)
    )
    if years is not None:
        inspected = inspected.where(_ROUNDS.c.year >= years[0], _ROUNDS.c.year <= years[1])
    with ws.engine.connect() as conn:
        rows = conn.execute(select(_ORGS).where(_ORGS.c.deleted.is_(False), _ORGS.c.active.is_(True))).all()
        visits: dict[str, list[tuple[str, str, int]]] = defaultdict(list)
        for org_id, name, kind, year in conn.execute(inspected):
            visit = (name, kind, year)
            if visit not in visits[org_id]:  # two units of one round may name one organization
                visits[org_id].append(visit)
    order = {kind: i for i, kind in enumerate(vocab.UNIT_KINDS)}
    orgs = sorted(
        (OrgCoverage(_org(row), visits.get(row.id, [])) for row in rows),
        key=lambda o: (order.get(o.org.kind, len(order)), o.org.name, o.org.id),
    )
    counts: dict[str, list[int]] = {kind: [0, 0] for kind in vocab.UNIT_KINDS}
    for o in orgs:
        figures = counts.setdefault(o.org.kind, [0, 0])
        figures[0] += 1
        figures[1] += bool(o.inspections)
    kinds = [_figures(kind, total, done) for kind, (total, done) in counts.items()]
    total = _figures("合计", sum(k.total for k in kinds), sum(k.inspected for k in kinds))
    return Coverage(kinds, orgs, total)
