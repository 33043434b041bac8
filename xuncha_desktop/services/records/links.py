"""Navigable links between records (interview → lead, interview → draft evidence, draft ↔ lead)."""

from __future__ import annotations

import contextlib
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import Connection, select

from xuncha_desktop.domain.errors import RecordNotFound, ValidationError
from xuncha_desktop.domain.organization import LINK_KINDS, RecordLink, validate_link
from xuncha_desktop.domain.record_types import LINK, record_type
from xuncha_desktop.services.records.record_service import SaveStep
from xuncha_desktop.services.workspace import Workspace, new_id
from xuncha_desktop.storage.revisions import RevisionWriter
from xuncha_desktop.storage.tables import BUSINESS_TABLES


@dataclass(frozen=True)
class LinkedRecord:
    """The other end of a link, seen from one record: enough to show and open it."""

    link_id: str
    record_type: str
    record_id: str
    number: str
    kind: str
    outgoing: bool


class LinkService:
    def __init__(self, workspace: Workspace) -> None:
        self._ws = workspace
        self._links = BUSINESS_TABLES[LINK.key]

    def link(self, from_type: str, from_id: str, to_type: str, to_id: str) -> RecordLink:
        """Link two existing records; linking twice returns the existing link."""
        with self._ws.writing() as writer:
            return write_link(writer, from_type, from_id, to_type, to_id)

    def unlink(self, link_id: str) -> None:
        t = self._links
        with self._ws.engine.connect() as conn:
            row = conn.execute(select(t).where(t.c.id == link_id)).one()
        link = _row_link(row)
        with self._ws.writing() as writer:
            writer.write(LINK, link, deleted=True)

    def linked(self, rtype: str, record_id: str) -> list[LinkedRecord]:
        """Everything linked to or from the record, both directions, with the other side's number."""
        t = self._links
        with self._ws.engine.connect() as conn:
            # Two queries, each on its own index: an OR across from/to makes SQLite scan every link.
            rows = [
                *conn.execute(
                    select(t).where(t.c.from_id == record_id, t.c.from_type == rtype, t.c.deleted.is_(False))
                ),
                *conn.execute(
                    select(t).where(t.c.to_id == record_id, t.c.to_type == rtype, t.c.deleted.is_(False))
                ),
            ]
            out = []
            for row in rows:
                outgoing = row.from_type == rtype and row.from_id == record_id
                other_type, other_id = (row.to_type, row.to_id) if outgoing else (row.from_type, row.from_id)
                other = BUSINESS_TABLES[record_type(other_type).key]
                number = conn.execute(
                    select(other.c.number).where(other.c.id == other_id)
                ).scalar_one_or_none()
                out.append(LinkedRecord(row.id, other_type, other_id, number or "", row.kind, outgoing))
        return sorted(out, key=lambda x: (x.record_type, x.number))


def _row_link(row: Any) -> RecordLink:
    return RecordLink(
        id=row.id,
        from_type=row.from_type,
        from_id=row.from_id,
        to_type=row.to_type,
        to_id=row.to_id,
        kind=row.kind,
    )


def _find(conn: Connection, from_type: str, from_id: str, to_type: str, to_id: str) -> RecordLink | None:
    t = BUSINESS_TABLES[LINK.key]
    row = conn.execute(
        select(t).where(
            t.c.from_type == from_type,
            t.c.from_id == from_id,
            t.c.to_type == to_type,
            t.c.to_id == to_id,
            t.c.deleted.is_(False),
        )
    ).first()
    return None if row is None else _row_link(row)


def write_link(
    writer: RevisionWriter, from_type: str, from_id: str, to_type: str, to_id: str, *, link_id: str = ""
) -> RecordLink:
    """Link two existing records within the writer's transaction (so a record and its links are saved
    together, see RecordService.save); linking twice returns the existing link. RecordNotFound when either
    end is missing or deleted. `link_id`: the new link's id (the demo's are reproducible), else a new one."""
    kind = LINK_KINDS.get((from_type, to_type), "")
    link = RecordLink(
        id=link_id or new_id(), from_type=from_type, from_id=from_id, to_type=to_type, to_id=to_id, kind=kind
    )
    errors = validate_link(link, date.today())
    if errors:
        raise ValidationError(errors, "记录关联")
    for t, i in ((from_type, from_id), (to_type, to_id)):
        table = BUSINESS_TABLES[record_type(t).key]
        found = writer.conn.execute(select(table.c.id).where(table.c.id == i, table.c.deleted.is_(False)))
        if found.first() is None:
            raise RecordNotFound(f"要关联的{record_type(t).label}不存在或已删除")
    existing = _find(writer.conn, from_type, from_id, to_type, to_id)
    if existing is not None:
        return existing
    writer.write(LINK, link)
    return link


def save_links(type_key: str, link_from: tuple[str, str] | None, more: SaveStep | None) -> SaveStep | None:
    """The links written with a record's save (RecordService.save's `links`): from the record it was
    started from (a lead registered from a talk: type key and id), then `more` (a draft's evidence). A
    starting record deleted meanwhile is not linked: the new record is still saved."""
    if link_from is None:
        return more

    def write(writer: RevisionWriter, saved: Any) -> None:
        with contextlib.suppress(RecordNotFound):  # raised before anything of this link is written
            write_link(writer, link_from[0], link_from[1], type_key, saved.id)
        if more is not None:
            more(writer, saved)

    return write
