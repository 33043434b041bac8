"""SQLAlchemy Core tables: one business table per record type plus the sync bookkeeping of sync.md §3.3.

Business tables are derived from the domain dataclasses so the two can never drift apart; the Alembic
migrations freeze the DDL of each released version, and a test compares them with this module.
Rules for synced tables (sync.md §3.3): UUID string keys, no SQL UNIQUE on business keys, no enforced
foreign keys between synced tables, new columns nullable or defaulted.
"""

from __future__ import annotations

import dataclasses
import functools
import types
import typing
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Column,
    Date,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    TypeDecorator,
    UniqueConstraint,
    false,
)

from xuncha_desktop.domain.common import RecordMeta
from xuncha_desktop.domain.record_types import ALL_RECORD_TYPES, RecordType
from xuncha_desktop.storage.compressed_text import CompressedText

metadata = MetaData()


class Money(TypeDecorator[Decimal]):
    """Amounts in 元 stored as integer 分, so sums are exact on SQLite and PostgreSQL alike."""

    impl = BigInteger
    cache_ok = True

    def process_bind_param(self, value: Decimal | None, dialect: Any) -> int | None:
        return None if value is None else int((Decimal(value) * 100).to_integral_value())

    def process_result_value(self, value: int | None, dialect: Any) -> Decimal | None:
        return None if value is None else (Decimal(value) / 100).quantize(Decimal("0.01"))


def _column_type(tp: Any) -> Any:
    origin = typing.get_origin(tp)
    if origin in (types.UnionType, typing.Union):
        args = [a for a in typing.get_args(tp) if a is not type(None)]
        return _column_type(args[0])
    if origin in (list, dict):
        return JSON()
    if tp is bool:
        return Boolean()
    if tp is int:
        return Integer()
    if tp is date:
        return Date()
    if tp is Decimal:
        return Money()
    if tp is str:
        return Text()
    raise TypeError(f"no column type for {tp!r}")


def _sync_columns() -> list[Column[Any]]:
    """The per-row metadata of sync.md §3.3 (the SyncedRow mixin)."""
    return [
        Column("id", String(36), primary_key=True),
        Column("number", String(64), nullable=False, default="", index=True),
        Column("head_rev", String(64), nullable=False),
        Column("rev_depth", Integer, nullable=False, default=1),
        Column("created_hlc", String(40), nullable=False),
        Column("created_by", String(64), nullable=False),
        Column("created_replica", String(36), nullable=False),
        Column("updated_hlc", String(40), nullable=False),
        Column("updated_by", String(64), nullable=False),
        Column("updated_replica", String(36), nullable=False),
        # No index of its own: a yes/no column is a poor index that SQLite would still pick over a selective
        # one; the composite (deleted, …) indexes below serve the live-row lists.
        Column("deleted", Boolean, nullable=False, default=False),
        Column("conflict", String(16), nullable=True),
        Column("row_hash", String(64), nullable=False),
    ]


def business_table(rt: RecordType, into: MetaData = metadata) -> Table:
    """The table of `rt` with its indexes, as its dataclass declares them (domain.fields)."""
    hints = typing.get_type_hints(rt.cls)
    columns = _sync_columns()
    for f in dataclasses.fields(rt.cls):
        if f.name in ("id", "number", "meta"):
            continue
        nullable = f.default is None or (typing.get_origin(hints[f.name]) in (types.UnionType, typing.Union))
        columns.append(Column(f.name, _column_type(hints[f.name]), nullable=nullable))
    table = Table(rt.table, into, *columns)
    names = {c.name for c in columns}
    for name in rt.indexed_fields:
        Index(f"ix_{rt.table}_{name}", table.c[name])
    # Lists show live rows in number or date order, a page at a time: (deleted, key) lets the database
    # walk the index instead of sorting every row of a 100,000-record table for each page.
    Index(f"ix_{rt.table}_live_number", table.c.deleted, table.c.number, table.c.id)
    c = table.c
    if {"round_id", "group_id"} <= names:
        Index(f"ix_{rt.table}_live_context", c.deleted, c.round_id, c.group_id, c.number, c.id)
        if "target_id" in names:
            Index(
                f"ix_{rt.table}_live_context_target",
                *(c.deleted, c.round_id, c.group_id, c.target_id, c.number, c.id),
            )
    # A list follows the working context (round and group, perhaps one target unit) and may be narrowed by a
    # filter-bar column and a date range. Each such shape has an index, so a page or a count of a
    # 100,000-record table reads only the matching rows (and, in number order, only the first page of them).
    # They end in the list order (number, id): a page's keys are then read and sorted from the index
    # alone, and only the page's own rows are read from the table (services.records.record_service).
    date_name = rt.date_field
    page = (c.number, c.id)
    if date_name:
        Index(f"ix_{rt.table}_live_{date_name}", c.deleted, c[date_name], *page)
        # No context-and-date index: SQLite would take it for a plain context list as readily as
        # live_context (equal cost to it; which one won depended on the order the indexes were made) and
        # read the context's rows in date order, one 16 KB page each, instead of in number order, several to
        # a page (260 against 60 ms at 100,000 records). A context list with a date range reads its
        # context's rows in number order too.
        for name in rt.filter_fields:
            Index(f"ix_{rt.table}_live_{name}_date", c.deleted, c[name], c[date_name], *page)
    return table


BUSINESS_TABLES: dict[str, Table] = {rt.key: business_table(rt) for rt in ALL_RECORD_TYPES}
META_COLUMNS = tuple(c.name for c in _sync_columns())


def meta_from_row(row: Any) -> RecordMeta:
    return RecordMeta(
        created_at=row.created_hlc,
        created_by=row.created_by,
        updated_at=row.updated_hlc,
        updated_by=row.updated_by,
        deleted=bool(row.deleted),
        conflict=row.conflict,
        head_rev=row.head_rev,
    )


sync_replica = Table(
    "sync_replica",
    metadata,
    Column("replica_id", String(36), primary_key=True),
    Column("label", Text, nullable=False, default=""),
    Column("role", String(16), nullable=False),  # field | office
    Column("sign_pubkey", LargeBinary, nullable=True),
    Column("box_pubkey", LargeBinary, nullable=True),
    Column("is_self", Boolean, nullable=False, default=False),
    Column("revoked_at", String(40), nullable=True),
)

sync_self = Table(
    "sync_self",
    metadata,
    Column("id", Integer, primary_key=True),  # always 1
    Column("workspace_id", String(36), nullable=False),
    Column("replica_id", String(36), nullable=False),
    Column("role", String(16), nullable=False),
    Column("incarnation", Integer, nullable=False),
    Column("next_counter", BigInteger, nullable=False),
    Column("hlc_last", String(40), nullable=False),
    Column(
        "sign_key", LargeBinary, nullable=False
    ),  # Ed25519 private key (raw); the file itself is encrypted
    Column("box_key", LargeBinary, nullable=False),  # age X25519 identity (AGE-SECRET-KEY-…)
    Column("created_at", String(40), nullable=False),
    Column("provisioned_by", String(36), nullable=True),  # office replica that provisioned this laptop
)

# Keys this workspace may encrypt packages to (office and group recipients) and, for groups it belongs
# to, decrypt with. Group keys let members hand packages to their group leader on site.
sync_keyring = Table(
    "sync_keyring",
    metadata,
    Column("key_id", String(64), primary_key=True),  # sha256 of the recipient string
    Column("kind", String(16), nullable=False),  # office | group
    Column("scope_id", String(36), nullable=False),  # office replica id, or group id
    Column("recipient", Text, nullable=False),  # age1…
    Column("identity", LargeBinary, nullable=True),  # AGE-SECRET-KEY-…, only where this workspace may decrypt
    Column("created_at", String(40), nullable=False),
)

sync_revision = Table(
    "sync_revision",
    metadata,
    Column("rev_id", String(64), primary_key=True),
    Column("record_type", String(16), nullable=False),
    Column("record_id", String(36), nullable=False),
    Column("origin_replica", String(36), nullable=False),
    Column("origin_incarnation", Integer, nullable=False),
    Column("origin_counter", BigInteger, nullable=False),
    Column("hlc", String(40), nullable=False),
    Column("author_user", String(64), nullable=False),
    Column("schema_version", Integer, nullable=False),
    Column("deleted", Boolean, nullable=False),
    # Canonical JSON exactly as written (read back so; the file holds it compressed); NULL only once purged.
    Column("body", CompressedText, nullable=True),
    Column("body_sha256", String(64), nullable=False),
    Column("origin_sig", LargeBinary, nullable=False),
    Column("received_package", String(36), nullable=True),
    Column("received_at", String(40), nullable=True),
    # True: `body` is NULL because the record's business row reproduces it exactly (storage.revision_body);
    # it is rebuilt from the row when read and written back before the row changes.
    Column("body_in_row", Boolean, nullable=False, server_default=false()),
    UniqueConstraint(
        "origin_replica", "origin_incarnation", "origin_counter", name="uq_sync_revision_origin"
    ),
    Index("ix_sync_revision_record", "record_type", "record_id"),
)

sync_revision_parent = Table(
    "sync_revision_parent",
    metadata,
    Column("rev_id", String(64), primary_key=True),
    Column("parent_rev_id", String(64), primary_key=True),
    Index("ix_sync_revision_parent_parent", "parent_rev_id"),
)

sync_head = Table(
    "sync_head",
    metadata,
    Column("record_type", String(16), primary_key=True),
    Column("record_id", String(36), primary_key=True),
    Column("rev_id", String(64), primary_key=True),
    # The key is the whole row: without a rowid it is stored once, not as a table and an index.
    sqlite_with_rowid=False,
)

sync_knowledge = Table(
    "sync_knowledge",
    metadata,
    Column("replica_id", String(36), primary_key=True),
    Column("incarnation", Integer, primary_key=True),
    Column("max_contiguous", BigInteger, nullable=False, default=0),
    Column("extra_counters", Text, nullable=False, default="[]"),
)

# What each peer said it holds. A peer restored from a backup holds less than it once said: its knowledge
# is tagged with the peer's incarnation, and a newer incarnation replaces it instead of adding to it.
sync_peer_ack = Table(
    "sync_peer_ack",
    metadata,
    Column("peer_replica", String(36), primary_key=True),
    Column("knowledge", Text, nullable=False),
    Column("updated_at", String(40), nullable=False),
    Column("peer_incarnation", Integer, nullable=True),  # NULL: stored before incarnations were tagged
)

# Revisions of a copied workspace's former identity that it made again under a new one (sync.md §3.2): each
# is replaced by the revision with the same record and content under the new identity, is never sent or
# stored again, and lets the office skip copies of it that other laptops relay.
sync_retired_revision = Table(
    "sync_retired_revision",
    metadata,
    Column("rev_id", String(64), primary_key=True),
    Column("replaced_by", String(64), nullable=False),
    Column("record_type", String(16), nullable=False),
    Column("record_id", String(36), nullable=False),
    Column("origin_replica", String(36), nullable=False),
    Column("origin_incarnation", Integer, nullable=False),
    Column("origin_counter", BigInteger, nullable=False),
    Column("retired_at", String(40), nullable=False),
)

# A copied workspace that took a new identity: the statement (canonical JSON naming the former and the new
# replica and the new signing key) signed with the former key, which proves the copy held that key. At the
# office a person confirms it before anything from the new identity is accepted.
sync_identity_change = Table(
    "sync_identity_change",
    metadata,
    Column("new_replica", String(36), primary_key=True),
    Column("old_replica", String(36), nullable=False),
    Column("statement", Text, nullable=False),
    Column("proof", LargeBinary, nullable=False),
    Column("accepted_at", String(40), nullable=True),
    Column("accepted_by", String(64), nullable=True),
)

sync_package = Table(
    "sync_package",
    metadata,
    Column("package_id", String(36), primary_key=True),
    Column("direction", String(8), nullable=False),  # in | out
    Column("peer_replica", String(36), nullable=True),
    Column("manifest_sha256", String(64), nullable=False),
    Column("created_hlc", String(40), nullable=False),
    Column("imported_at", String(40), nullable=True),
    Column("status", String(16), nullable=False),
    Column("summary", Text, nullable=False, default="{}"),
)

sync_conflict = Table(
    "sync_conflict",
    metadata,
    Column("id", String(36), primary_key=True),
    Column("record_type", String(16), nullable=False),
    Column("record_id", String(36), nullable=False),
    Column("kind", String(16), nullable=False),  # soft | hard | delete_edit | identity | dangling_ref
    Column("head_rev_ids", Text, nullable=False),
    Column("base_rev_id", String(64), nullable=True),
    Column("fields", Text, nullable=False, default="[]"),
    Column("detected_at", String(40), nullable=False),
    Column("detected_package", String(36), nullable=True),
    Column("status", String(16), nullable=False, default="open"),
    Column("resolution_rev_id", String(64), nullable=True),
    Column("resolved_by", String(64), nullable=True),
    Column("resolved_at", String(40), nullable=True),
    Index("ix_sync_conflict_record", "record_type", "record_id"),
)

blob = Table(
    "blob",
    metadata,
    Column("sha256", String(64), primary_key=True),
    Column("size", BigInteger, nullable=False),
    Column("mime", String(100), nullable=False, default=""),
    Column("storage", String(8), nullable=False, default="inline"),
    Column("data", LargeBinary, nullable=True),
    Column("path", Text, nullable=True),
    Column("file_key", LargeBinary, nullable=True),
    Column("present", Boolean, nullable=False, default=True),
)

# Local, never synchronised: the tamper-evident change log of this workspace (hash chain).
audit_log = Table(
    "audit_log",
    metadata,
    Column("seq", Integer, primary_key=True, autoincrement=True),
    Column("at", String(40), nullable=False),
    Column("user_login", String(64), nullable=False),
    Column("action", String(16), nullable=False),  # create | update | delete | restore | signoff | import …
    Column("record_type", String(16), nullable=False, default=""),
    Column("record_id", String(36), nullable=False, default=""),
    Column("rev_id", String(64), nullable=True),
    Column("changes", Text, nullable=False, default="{}"),  # {field: [before, after]} for updates
    Column("prev_hash", String(64), nullable=False),
    Column("entry_hash", String(64), nullable=False),
    Index("ix_audit_log_record", "record_type", "record_id"),
)

# Local settings the user sees (unit name on prints, auto-lock minutes …), typed by the settings service.
settings = Table(
    "settings",
    metadata,
    Column("key", String(64), primary_key=True),
    Column("value", Text, nullable=False),
)

# The records in the full-text index: its row ids, and a digest of the text each was indexed under (the
# text itself is in the records' columns). The FTS5 index is created by storage.search_index on SQLite only.
search_doc = Table(
    "search_doc",
    metadata,
    Column("docid", Integer, primary_key=True, autoincrement=True),
    Column("record_type", String(16), nullable=False),
    Column("record_id", String(36), nullable=False),
    Column("body_digest", BigInteger, nullable=False),
    UniqueConstraint("record_type", "record_id", name="uq_search_doc_record"),
)


@functools.cache
def _body_columns(fields: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(c for c in fields if c not in META_COLUMNS)


def record_from_row(rt: RecordType, row: Any) -> Any:
    """The record of a full row of its business table (select(table))."""
    values = {c: getattr(row, c) for c in _body_columns(row._fields)}  # a list reads hundreds of rows
    return rt.cls(id=row.id, number=row.number, meta=meta_from_row(row), **values)
