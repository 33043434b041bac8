"""Generic record use cases shared by every record type: list pages, search, save with validation and
numbering, soft delete to the recycle bin, restore, duplicate and history. One class serves all tabs."""

from __future__ import annotations

import builtins
import dataclasses
import json
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Generic, TypeVar, cast

from sqlalchemy import Connection, Select, and_, func, or_, select

from xuncha_desktop.domain.codec import from_body
from xuncha_desktop.domain.common import Record
from xuncha_desktop.domain.errors import FieldError, RecordNotFound, ValidationError, WorkflowError
from xuncha_desktop.domain.issue_drafts import SIGNED, SignoffRevocationRequired, revokes_signoff
from xuncha_desktop.domain.record_types import DRAFT, GROUP, ROUND, RecordType
from xuncha_desktop.services.records import visibility
from xuncha_desktop.services.workspace import Workspace, new_id
from xuncha_desktop.storage import revision_body, search_index
from xuncha_desktop.storage.revisions import RevisionWriter, hlc_display
from xuncha_desktop.storage.tables import BUSINESS_TABLES, record_from_row, sync_revision

R = TypeVar("R", bound=Record)
# More writes that belong to a record's save (its links), run in the save's transaction with the record as
# written (its id and number given).
SaveStep = Callable[[RevisionWriter, Any], object]

REVOKE_SIGNOFF = "revoke_signoff"  # the audit action of a save that revokes a 底稿's sign-off


@dataclass(frozen=True)
class ListQuery:
    """What a list shows: equality filters, a date range, full-text search, order and one page."""

    search: str = ""
    filters: dict[str, Any] = field(default_factory=dict)
    date_from: date | None = None
    date_to: date | None = None
    deleted: bool = False  # True: the recycle bin
    order_by: str = "number"
    descending: bool = False
    offset: int = 0
    limit: int | None = 200


@dataclass(frozen=True)
class RevisionInfo:
    rev_id: str
    at: str
    author: str
    deleted: bool
    body: dict[str, Any]


class RecordService(Generic[R]):
    def __init__(self, workspace: Workspace, rt: RecordType) -> None:
        self._ws = workspace
        self.rt = rt
        self._table = BUSINESS_TABLES[rt.key]

    # -- reading ---------------------------------------------------------------------------------------
    def _to_record(self, row: Any) -> R:
        return cast(R, record_from_row(self.rt, row))

    def _shown(self, record: R) -> R:
        """The record as this workspace's user may see it: a lead's reporter is masked for those who may
        not know it (domain README §3.2), in every list, form, print and ledger that reads through here."""
        if not visibility.has_reporter(self.rt.key):
            return record
        lead: Any = record
        office = self._ws.info.is_office
        if visibility.can_see_reporter(self._ws.user, lead, office=office):
            return record  # no copy: ledgers and exports read every lead through here
        return cast(R, visibility.mask_lead(lead, self._ws.user, office=office))

    def _where(self, q: ListQuery, conn: Connection) -> list[Any]:
        t = self._table
        conds: list[Any] = [t.c.deleted.is_(q.deleted)]
        for name, value in q.filters.items():
            if name not in t.c:
                raise ValueError(f"{self.rt.key} has no column {name!r}")
            if value not in (None, ""):
                conds.append(t.c[name] == value)
        date_field = self.rt.date_field  # the date a date range applies to
        if date_field and q.date_from:
            conds.append(t.c[date_field] >= q.date_from)
        if date_field and q.date_to:
            conds.append(t.c[date_field] <= q.date_to)
        if q.search.strip():
            conds.append(t.c.id.in_(search_index.matching_ids(conn, self.rt.key, q.search)))
        return conds

    def _select(self, q: ListQuery, conn: Connection) -> Select[Any]:
        return select(self._table).where(and_(*self._where(q, conn)))

    def list(self, query: ListQuery | None = None) -> builtins.list[R]:
        q = query or ListQuery()
        t = self._table
        column = t.c.get(q.order_by, t.c.number)
        order = (column.desc() if q.descending else column, t.c.id)
        with self._ws.engine.connect() as conn:
            if q.limit is None:
                stmt = self._select(q, conn).order_by(*order).offset(q.offset)
            else:
                # The page's keys first, then only its rows: the keys come from an index that holds the
                # filter and the order (storage.tables), so a filter matching thousands sorts index entries,
                # not thousands of rows read from all over the file.
                page = select(t.c.id).where(and_(*self._where(q, conn))).order_by(*order)
                keys = page.offset(q.offset).limit(q.limit)
                stmt = select(t).where(t.c.id.in_(keys)).order_by(*order)
            return [self._shown(self._to_record(row)) for row in conn.execute(stmt)]

    def values(self, query: ListQuery, fields: Sequence[str]) -> builtins.list[tuple[Any, ...]]:
        """Only `fields` of the matching records, in the query's order: a drop-down of hundreds needs a
        name and an id, not whole records. Never a field a lead may hide from this user (read whole leads)."""
        if visibility.has_reporter(self.rt.key) and set(fields) & set(visibility.REPORTER_FIELDS):
            raise ValueError(f"{self.rt.key}: read {visibility.REPORTER_FIELDS} through list() or get()")
        t = self._table
        with self._ws.engine.connect() as conn:
            column = t.c.get(query.order_by, t.c.number)
            stmt = select(*(t.c[name] for name in fields)).where(and_(*self._where(query, conn)))
            stmt = stmt.order_by(column.desc() if query.descending else column, t.c.id)
            return [tuple(row) for row in conn.execute(stmt.offset(query.offset).limit(query.limit))]

    def iterate(self, query: ListQuery | None = None, batch: int = 2000) -> Iterator[R]:
        """Every matching record in number order, fetched in batches by key (not by offset, whose cost
        grows with the depth of the page), for ledgers, printing and exports of any size."""
        q = query or ListQuery()
        t = self._table
        last: tuple[str, str] | None = None
        while True:
            with self._ws.engine.connect() as conn:
                stmt = self._select(q, conn)
                if last is not None:
                    stmt = stmt.where(
                        or_(t.c.number > last[0], and_(t.c.number == last[0], t.c.id > last[1]))
                    )
                rows = conn.execute(stmt.order_by(t.c.number, t.c.id).limit(batch)).all()
            for row in rows:
                yield self._shown(self._to_record(row))
            if len(rows) < batch:
                return
            last = (rows[-1].number, rows[-1].id)

    def count(self, query: ListQuery | None = None) -> int:
        q = query or ListQuery()
        with self._ws.engine.connect() as conn:
            stmt = select(func.count()).select_from(self._table).where(and_(*self._where(q, conn)))
            return int(conn.execute(stmt).scalar_one())

    def get(self, record_id: str) -> R:
        return self._shown(self.stored(record_id))

    def stored(self, record_id: str) -> R:
        """The record as stored, unmasked: for code that writes it back, never for showing it."""
        with self._ws.engine.connect() as conn:
            row = conn.execute(select(self._table).where(self._table.c.id == record_id)).one_or_none()
        if row is None:
            raise RecordNotFound(f"找不到{self.rt.label}（{record_id}）")
        return self._to_record(row)

    def history(self, record_id: str) -> builtins.list[RevisionInfo]:
        """Every revision of the record, oldest first."""
        with self._ws.engine.connect() as conn:
            rows = revision_body.fill_bodies(
                conn,
                conn.execute(
                    select(sync_revision)
                    .where(sync_revision.c.record_type == self.rt.key, sync_revision.c.record_id == record_id)
                    .order_by(sync_revision.c.hlc)
                ),
            )
            revisions = [
                RevisionInfo(
                    r.rev_id,
                    hlc_display(r.hlc),
                    r.author_user,
                    bool(r.deleted),
                    json.loads(r.body) if r.body else {},
                )
                for r in rows
            ]
        if visibility.has_reporter(self.rt.key) and revisions:
            stored: Any = self.stored(record_id)
            if not visibility.can_see_reporter(self._ws.user, stored, office=self._ws.info.is_office):
                shown = visibility.mask_lead(stored, self._ws.user, office=self._ws.info.is_office)
                for rev in revisions:  # earlier versions hide the reporter as the current one does
                    for name in visibility.REPORTER_FIELDS:
                        if rev.body.get(name):
                            rev.body[name] = getattr(shown, name)
        return revisions

    def as_of(self, rev: RevisionInfo, record_id: str) -> R:
        return from_body(self.rt.cls, rev.body, id=record_id)

    # -- writing ---------------------------------------------------------------------------------------
    def validate(self, record: R) -> None:
        errors = self.rt.validate(record, date.today())
        if errors:
            raise ValidationError(errors, self.rt.label)

    def _keep_hidden(self, record: R) -> R:
        """A lead saved by someone who sees its reporter masked keeps the stored reporter: the mask shown
        to them must never overwrite the real name and contact."""
        if not visibility.has_reporter(self.rt.key) or not record.id:
            return record
        try:
            stored: Any = self.stored(record.id)
        except RecordNotFound:
            return record
        if visibility.can_see_reporter(self._ws.user, stored, office=self._ws.info.is_office):
            return record
        kept = {f: getattr(stored, f) for f in (*visibility.REPORTER_FIELDS, "anonymous")}
        return cast(R, dataclasses.replace(cast(Any, record), **kept))

    def _signoff_action(self, record: R, revoke_signoff: bool) -> str:
        """A change to a signed (已审签) 底稿 revokes its sign-off: never silently, from any caller (form,
        CLI, ledger import). Refused unless `revoke_signoff`; then its audit action says so."""
        if self.rt.key != DRAFT.key or not record.id:
            return ""
        try:
            stored: Any = self.stored(record.id)
        except RecordNotFound:
            return ""
        if not revokes_signoff(stored, cast(Any, record)):
            return ""
        if not revoke_signoff:
            raise SignoffRevocationRequired(
                f"问题底稿“{stored.number}”已审签，修改内容将撤销审签，底稿退回待复核；"
                "须确认撤销审签后才能保存"
            )
        if cast(Any, record).status == SIGNED:
            raise WorkflowError(f"问题底稿“{stored.number}”撤销审签后应退回待复核，不能仍为“已审签”")
        return REVOKE_SIGNOFF

    def save(self, record: R, *, revoke_signoff: bool = False, links: SaveStep | None = None) -> R:
        """Validate, give a new record its id and number, and store a revision; returns the stored record.
        `revoke_signoff` consents to a change of a signed 底稿 (see _signoff_action). `links` writes the
        record's links in the same transaction: if it fails, neither the record nor any link is stored."""
        record = self._keep_hidden(record)
        self.validate(record)
        action = self._signoff_action(record, revoke_signoff)
        with self._ws.writing() as writer:
            if not record.id:
                record = dataclasses.replace(record, id=new_id())  # type: ignore[type-var]
            if self.rt.number_label and not record.number:
                record = dataclasses.replace(  # type: ignore[type-var]
                    record, number=next_number(writer.conn, self.rt, record)
                )
            writer.write(self.rt, record, action=action)
            if links is not None:
                links(writer, record)
        return self.get(record.id)

    def save_many(self, records: Sequence[R]) -> builtins.list[str]:
        """Save several records in one transaction (all or nothing); returns their ids. A change to a
        signed 底稿 is refused here (it needs the one-record save with the person's consent)."""
        records = [self._keep_hidden(r) for r in records]
        for r in records:
            self.validate(r)
            self._signoff_action(r, False)
        ids = []
        with self._ws.writing() as writer:
            for record in records:
                if not record.id:
                    record = dataclasses.replace(record, id=new_id())  # type: ignore[type-var]
                if self.rt.number_label and not record.number:
                    record = dataclasses.replace(  # type: ignore[type-var]
                        record, number=next_number(writer.conn, self.rt, record)
                    )
                writer.write(self.rt, record)
                ids.append(record.id)
        return ids

    def _set_deleted(self, record_id: str, deleted: bool) -> None:
        record = self.stored(record_id)
        with self._ws.writing() as writer:
            writer.write(self.rt, record, deleted=deleted, action="delete" if deleted else "restore")

    def delete(self, record_id: str) -> None:
        """Move to the recycle bin: a tombstone revision; the row and its history stay."""
        self._set_deleted(record_id, True)

    def restore(self, record_id: str) -> None:
        self._set_deleted(record_id, False)

    def duplicate(self, record_id: str) -> R:
        """An unsaved copy with a new identity: no id, no number, no sync metadata (sync.md §2 row 2)."""
        original = self.get(record_id)
        return dataclasses.replace(original, id="", number="", meta=None)  # type: ignore[type-var]


def number_prefix(conn: Connection, rt: RecordType, record: Any) -> str:
    rounds, groups = BUSINESS_TABLES[ROUND.key], BUSINESS_TABLES[GROUP.key]
    rnd = conn.execute(select(rounds.c.year, rounds.c.ordinal).where(rounds.c.id == record.round_id)).first()
    grp = conn.execute(select(groups.c.ordinal).where(groups.c.id == record.group_id)).first()
    if rnd is None or grp is None:
        raise ValidationError([FieldError("group_id", "所属轮次或巡察组不存在")], rt.label)
    return f"{rnd.year}-{rnd.ordinal}轮-{grp.ordinal}组-{rt.number_label}-"


def next_number(conn: Connection, rt: RecordType, record: Any) -> str:
    """The next human number in the record's round and group, e.g. 2025-3轮-2组-底稿-017."""
    prefix = number_prefix(conn, rt, record)
    table = BUSINESS_TABLES[rt.key]
    numbers = conn.execute(select(table.c.number).where(table.c.number.startswith(prefix, autoescape=True)))
    highest = 0
    for (number,) in numbers:
        tail = number[len(prefix) :]
        if tail.isdigit():
            highest = max(highest, int(tail))
    return f"{prefix}{highest + 1:03d}"
