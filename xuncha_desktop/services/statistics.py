"""Every figure the application shows or prints, counted in one place and returned as frozen dataclasses:
the workspace counts of the `stats` command, the statistics workbook's figures per unit, category and
status, and a member's workload (鉴定表 and the 鉴定 form). The CLI, the ledgers and the GUI only lay them
out; the counting rules (what a voided or adopted 底稿 is, what is overdue) live here."""

from __future__ import annotations

import dataclasses
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import ColumnElement, Connection, ScalarSelect, Table, and_, func, or_, select

from xuncha_desktop.domain import vocab
from xuncha_desktop.domain.lead_registrations import is_overdue
from xuncha_desktop.domain.record_types import (
    APPRAISAL,
    ATTACHMENT,
    DICTIONARY,
    DRAFT,
    EVALUATION,
    GROUP,
    INTERVIEW,
    LEAD,
    LINK,
    MAIN_RECORD_TYPES,
    MEMBER,
    PERSON,
    PETITION,
    ROUND,
    TARGET,
    USER,
    record_type,
)
from xuncha_desktop.domain.states import DraftState
from xuncha_desktop.services.records.record_service import ListQuery, RecordService
from xuncha_desktop.services.rectification.figures import rectification_figures
from xuncha_desktop.services.workspace import Workspace
from xuncha_desktop.storage.tables import BUSINESS_TABLES, audit_log, sync_conflict, sync_revision

VOIDED = DraftState.VOID  # a voided 底稿 is no finding: no amount, no category, no workload
ADOPTED = DraftState.ADOPTED  # a 底稿 signed off or merged into another counts as an adopted finding

# JSON key → record type whose live rows it counts, in the order of the `stats` output.
LIVE_COUNTS = {
    "interviews": INTERVIEW,
    "drafts": DRAFT,
    "leads": LEAD,
    "petitions": PETITION,  # 受理信访件次
    "portraits": EVALUATION,
    "appraisals": APPRAISAL,
    "attachments": ATTACHMENT,
    "rounds": ROUND,
    "groups": GROUP,
    "members": MEMBER,
    "targets": TARGET,
    "persons": PERSON,
    "users": USER,
    "links": LINK,
    "dictionary_entries": DICTIONARY,
}


# -- the workspace as a whole (`stats`) -------------------------------------------------------------------


@dataclass(frozen=True)
class WorkspaceIdentity:
    path: str
    role: str
    replica_id: str
    incarnation: int
    schema_version: int


@dataclass(frozen=True)
class WorkspaceFigures:
    """Live record counts (evaluations = 画像 + 鉴定), recycle bin, sync state and workspace identity. The
    field order is the order of the `stats --json` document."""

    workspace: WorkspaceIdentity
    interviews: int
    drafts: int
    leads: int
    petitions: int  # 受理信访件次
    evaluations: int
    portraits: int
    appraisals: int
    attachments: int
    rounds: int
    groups: int
    members: int
    targets: int
    persons: int
    users: int
    links: int
    dictionary_entries: int
    open_conflicts: int
    revisions: int
    audit_entries: int
    recycle_bin: int
    drafts_by_status: dict[str, int]  # every known state in workflow order (zeros included), others last
    leads_by_status: dict[str, int]
    # 整改任务: tasks, done, done_basically, not_done, overdue, completion_rate (rectification_figures)
    rectification: dict[str, Any]

    def count(self, key: str) -> int:
        """One count by its JSON key (e.g. "recycle_bin")."""
        value = getattr(self, key)
        if not isinstance(value, int):
            raise KeyError(key)
        return value

    def as_json(self) -> dict[str, Any]:
        """The `stats --json` document."""
        return dataclasses.asdict(self)


def _count(table: Table, *conditions: Any) -> ScalarSelect[int]:
    return select(func.count()).select_from(table).where(*conditions).scalar_subquery()


def _counts(conn: Connection) -> dict[str, int]:
    """Every count in one SELECT of scalar subqueries, so they all come from the same snapshot."""
    tables = {key: BUSINESS_TABLES[rt.key] for key, rt in LIVE_COUNTS.items()}
    columns = [_count(t, t.c.deleted.is_(False)).label(key) for key, t in tables.items()]
    binned = [BUSINESS_TABLES[rt.key] for rt in MAIN_RECORD_TYPES]
    columns += [_count(t, t.c.deleted.is_(True)).label(f"bin_{t.name}") for t in binned]
    columns += [
        _count(sync_conflict, sync_conflict.c.status == "open").label("open_conflicts"),
        _count(sync_revision).label("revisions"),
        _count(audit_log).label("audit_entries"),
    ]
    row = conn.execute(select(*columns)).one()._asdict()
    counts = {k: int(v) for k, v in row.items() if not k.startswith("bin_")}
    counts["recycle_bin"] = sum(int(v) for k, v in row.items() if k.startswith("bin_"))
    return counts


def _in_order(found: dict[str, int], states: tuple[str, ...]) -> dict[str, int]:
    """Every known state in workflow order (zeros included), then the unknown ones sorted."""
    rest = {s: n for s, n in sorted(found.items()) if s not in states}
    return {s: found.get(s, 0) for s in states} | rest


def _by_status(conn: Connection, table: Table, states: tuple[str, ...]) -> dict[str, int]:
    rows = conn.execute(
        select(table.c.status, func.count()).where(table.c.deleted.is_(False)).group_by(table.c.status)
    )
    return _in_order({str(status): int(n) for status, n in rows}, states)


def workspace_figures(ws: Workspace, today: date | None = None) -> WorkspaceFigures:
    """The figures of `stats`, all read in one consistent snapshot (the rectification figures in a read
    of their own); `today` (default the real one) is the day overdue tasks are counted on."""
    with ws.engine.connect() as conn:
        counts = _counts(conn)
        drafts_by_status = _by_status(conn, BUSINESS_TABLES[DRAFT.key], vocab.DRAFT_STATES)
        leads_by_status = _by_status(conn, BUSINESS_TABLES[LEAD.key], vocab.LEAD_STATES)
    rectification = rectification_figures(ws, today or date.today())
    info = ws.info
    identity = WorkspaceIdentity(
        str(info.path), info.role, info.replica_id, info.incarnation, info.schema_version
    )
    return WorkspaceFigures(
        workspace=identity,
        evaluations=counts["portraits"] + counts["appraisals"],
        drafts_by_status=drafts_by_status,
        leads_by_status=leads_by_status,
        rectification=rectification,
        **counts,
    )


def record_counts(ws: Workspace, types: Iterable[str]) -> dict[str, int]:
    """Live records per type key as the signed-in user may list them (the status bar's counts)."""
    everything = ListQuery(limit=None)
    return {key: RecordService[Any](ws, record_type(key)).count(everything) for key in types}


# -- the statistics workbook (统计表) ----------------------------------------------------------------------


@dataclass(frozen=True)
class UnitFigures:
    """One inspected unit's row of 按被巡察单位."""

    target_id: str
    interviews: int = 0  # 谈话人次
    drafts: int = 0  # 问题底稿数 (voided ones too)
    signed: int = 0  # 其中已审签
    amount: Decimal = Decimal(0)  # 涉及金额（元） of the drafts that are not voided
    leads: int = 0  # 问题线索数
    transferred: int = 0  # 已移交 (a transfer date is set)
    overdue: int = 0  # 逾期未反馈


@dataclass(frozen=True)
class CategoryFigures:
    """One level-1 problem category of 按问题类别 (not voided drafts only); code "" is 未分类."""

    code: str
    drafts: int
    amount: Decimal


@dataclass(frozen=True)
class StatusFigures:
    """One (record type, status) row of 按状态; every known state is listed, zeros included."""

    record_type: str  # "draft" | "lead"
    status: str
    count: int


@dataclass(frozen=True)
class LedgerFigures:
    units: tuple[UnitFigures, ...]  # in the order units were first met (the workbook sorts by name)
    categories: tuple[CategoryFigures, ...]  # by code
    statuses: tuple[StatusFigures, ...]  # drafts then leads, each in workflow order, unknown states last


Reader = Callable[[str], Iterable[Any]]  # type key → its live records in the filter


class _Tally:
    """The running counts of ledger_figures while the records stream past."""

    def __init__(self) -> None:
        self.units: dict[str, Counter[str]] = defaultdict(Counter)
        self.amounts: dict[str, Decimal] = defaultdict(Decimal)
        self.categories: Counter[str] = Counter()
        self.category_amounts: dict[str, Decimal] = defaultdict(Decimal)
        self.statuses: dict[str, Counter[str]] = {DRAFT.key: Counter(), LEAD.key: Counter()}

    def draft(self, d: Any) -> None:
        unit = self.units[d.target_id]
        unit["drafts"] += 1
        unit["signed"] += d.status == DraftState.SIGNED
        if d.status != VOIDED:
            self.amounts[d.target_id] += d.amount_yuan
            self.categories[d.category_l1] += 1
            self.category_amounts[d.category_l1] += d.amount_yuan
        self.statuses[DRAFT.key][d.status] += 1

    def lead(self, lead: Any, today: date) -> None:
        unit = self.units[lead.target_id]
        unit["leads"] += 1
        unit["transferred"] += lead.transfer_on is not None
        unit["overdue"] += is_overdue(lead, today)
        self.statuses[LEAD.key][lead.status] += 1

    def figures(self) -> LedgerFigures:
        units = tuple(
            UnitFigures(target_id, amount=self.amounts[target_id], **counts)
            for target_id, counts in self.units.items()
        )
        categories = tuple(
            CategoryFigures(code, n, self.category_amounts[code])
            for code, n in sorted(self.categories.items())
        )
        statuses = tuple(
            StatusFigures(key, status, n)
            for key, states in ((DRAFT.key, vocab.DRAFT_STATES), (LEAD.key, vocab.LEAD_STATES))
            for status, n in _in_order(dict(self.statuses[key]), states).items()
        )
        return LedgerFigures(units, categories, statuses)


def ledger_records(ws: Workspace, filters: dict[str, Any]) -> Reader:
    """Reads every live record of a type in the filter (the reader ledger_figures uses by default)."""

    def read(key: str) -> Iterable[Any]:
        return RecordService[Any](ws, record_type(key)).iterate(ListQuery(filters=filters))

    return read


def ledger_figures(
    ws: Workspace, filters: dict[str, Any], today: date, read: Reader | None = None
) -> LedgerFigures:
    """The figures of the statistics workbook for the talks, drafts and leads in `filters` (e.g. a round);
    `read` streams the records (the ledger passes one that reports progress and checks cancel)."""
    records = read or ledger_records(ws, filters)
    tally = _Tally()
    for talk in records(INTERVIEW.key):
        tally.units[talk.target_id]["interviews"] += 1
    for d in records(DRAFT.key):
        tally.draft(d)
    for lead in records(LEAD.key):
        tally.lead(lead, today)
    return tally.figures()


def ledger_total(ws: Workspace, filters: dict[str, Any]) -> int:
    """How many records ledger_figures reads (for progress)."""
    query = ListQuery(filters=filters, limit=None)
    return sum(
        RecordService[Any](ws, record_type(k)).count(query) for k in (INTERVIEW.key, DRAFT.key, LEAD.key)
    )


# -- a member's workload (鉴定) ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Workload:
    """A group member's workload in a round, counted from the records (never typed)."""

    interviews: int = 0  # 谈话人次: talks the member led (主谈) or recorded (记录)
    drafts: int = 0  # 撰写底稿数: drafts the member prepared (承办人), not counting voided ones
    leads: int = 0  # 登记线索数: leads the member registered (登记人)
    adopted: int = 0  # 被采纳问题: of those drafts, the ones signed off or merged into another


def _count_where(conn: Connection, table: Table, *conditions: ColumnElement[Any]) -> int:
    where = [table.c.deleted.is_(False), *conditions]
    return int(conn.execute(select(func.count()).select_from(table).where(*where)).scalar_one())


def member_workload(ws: Workspace, name: str, round_id: str, group_id: str = "") -> Workload:
    """What `name` did in the round (and group, when given); all zero without a name or a round. One rule
    for the 鉴定 form on screen and the printed 巡察干部鉴定表."""
    name = name.strip()
    if not name or not round_id:
        return Workload()
    talks, drafts, leads = (BUSINESS_TABLES[rt.key] for rt in (INTERVIEW, DRAFT, LEAD))

    def scope(table: Table) -> list[ColumnElement[Any]]:
        return [table.c.round_id == round_id] + ([table.c.group_id == group_id] if group_id else [])

    mine = drafts.c.preparer == name
    with ws.engine.connect() as conn:
        return Workload(
            interviews=_count_where(
                conn, talks, or_(talks.c.interviewer == name, talks.c.recorder == name), *scope(talks)
            ),
            drafts=_count_where(conn, drafts, and_(mine, drafts.c.status != VOIDED), *scope(drafts)),
            leads=_count_where(conn, leads, leads.c.registered_by == name, *scope(leads)),
            adopted=_count_where(conn, drafts, and_(mine, drafts.c.status.in_(ADOPTED)), *scope(drafts)),
        )
