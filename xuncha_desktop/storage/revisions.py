"""Every local change becomes an immutable, signed revision (sync.md §3.3–3.4), the materialised business
row is updated from it, the search index follows, and the change is appended to the audit hash chain.
All of it happens on the caller's connection, inside the caller's transaction.
"""

from __future__ import annotations

import dataclasses
import json
import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sqlalchemy import Connection, Engine, delete, func, insert, select, update

from xuncha_desktop.domain.codec import canonical_json, sha256_hex, to_body
from xuncha_desktop.domain.common import NON_BODY_FIELDS
from xuncha_desktop.domain.record_types import ATTACHMENT, LINK, RecordType
from xuncha_desktop.storage import revision_body, search_index
from xuncha_desktop.storage.conflict_store import close_conflicts, refresh_identity
from xuncha_desktop.storage.materialize import rematerialize
from xuncha_desktop.storage.revision_body import row_body
from xuncha_desktop.storage.tables import (
    BUSINESS_TABLES,
    audit_log,
    settings,
    sync_head,
    sync_knowledge,
    sync_revision,
    sync_revision_parent,
    sync_self,
)

GENESIS_HASH = "0" * 64
# The chain's last entry and length, rewritten with every append in the same transaction: removing entries
# from the end leaves a consistent chain, and only this mark shows that it once went further.
AUDIT_HEAD_KEY = "audit_head"


def format_hlc(physical_ms: int, logical: int, replica_id: str) -> str:
    return f"{physical_ms:013d}-{logical:05d}-{replica_id[:8]}"


def parse_hlc(hlc: str) -> tuple[int, int]:
    physical, logical, _ = hlc.split("-", 2)
    return int(physical), int(logical)


def hlc_display(hlc: str) -> str:
    """'2025-04-03 10:21:07' in local time, for people."""
    physical, _ = parse_hlc(hlc)
    return time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(physical / 1000))


@dataclass
class ReplicaClock:
    """This workspace's identity and counters; loaded from sync_self, saved back in the same transaction."""

    replica_id: str
    incarnation: int
    next_counter: int
    hlc_last: str
    sign_key: Ed25519PrivateKey

    @staticmethod
    def load(conn: Connection) -> ReplicaClock:
        row = conn.execute(select(sync_self)).one()
        return ReplicaClock(
            row.replica_id,
            row.incarnation,
            row.next_counter,
            row.hlc_last,
            Ed25519PrivateKey.from_private_bytes(row.sign_key),
        )

    def now(self) -> str:
        """The next hybrid logical clock value: never goes back, even if the laptop clock does."""
        now_ms = int(time.time() * 1000)
        last_ms, logical = parse_hlc(self.hlc_last)
        self.hlc_last = (
            format_hlc(now_ms, 0, self.replica_id)
            if now_ms > last_ms
            else format_hlc(last_ms, logical + 1, self.replica_id)
        )
        return self.hlc_last

    def tick(self) -> tuple[int, str]:
        """The next revision counter, with the clock value to stamp the revision with."""
        hlc = self.now()
        counter = self.next_counter
        self.next_counter += 1
        return counter, hlc

    def save(self, conn: Connection) -> None:
        conn.execute(update(sync_self).values(next_counter=self.next_counter, hlc_last=self.hlc_last))
        known = conn.execute(
            select(sync_knowledge.c.max_contiguous).where(
                sync_knowledge.c.replica_id == self.replica_id,
                sync_knowledge.c.incarnation == self.incarnation,
            )
        ).scalar_one_or_none()
        if known is None:
            conn.execute(
                insert(sync_knowledge).values(
                    replica_id=self.replica_id,
                    incarnation=self.incarnation,
                    max_contiguous=self.next_counter - 1,
                    extra_counters="[]",
                )
            )
        else:
            conn.execute(
                update(sync_knowledge)
                .where(
                    sync_knowledge.c.replica_id == self.replica_id,
                    sync_knowledge.c.incarnation == self.incarnation,
                )
                .values(max_contiguous=self.next_counter - 1)
            )


class Origin(Protocol):
    """Where a revision was made: a ReplicaClock, or the origin columns of a stored revision."""

    @property
    def replica_id(self) -> str: ...

    @property
    def incarnation(self) -> int: ...


def signing_key(engine: Engine) -> Ed25519PrivateKey:
    """This workspace's Ed25519 key (it signs revisions and package manifests)."""
    with engine.connect() as conn:
        raw = conn.execute(select(sync_self.c.sign_key)).scalar_one()
    return Ed25519PrivateKey.from_private_bytes(raw)


def revision_id(header: dict[str, Any]) -> str:
    return sha256_hex(canonical_json(header))


def build_header(
    record_type: str,
    record_id: str,
    parents: Sequence[str],
    clock: Origin,
    counter: int,
    hlc: str,
    author: str,
    schema_version: int,
    deleted: bool,
    body_sha256: str,
) -> dict[str, Any]:
    return {
        "record_type": record_type,
        "record_id": record_id,
        "parents": sorted(parents),
        "origin_replica": clock.replica_id,
        "origin_incarnation": clock.incarnation,
        "origin_counter": counter,
        "hlc": hlc,
        "author_user": author,
        "schema_version": schema_version,
        "deleted": deleted,
        "body_sha256": body_sha256,
    }


def _column_values(record: Any) -> dict[str, Any]:
    return {
        f.name: getattr(record, f.name) for f in dataclasses.fields(record) if f.name not in NON_BODY_FIELDS
    }


def body_diff(before: dict[str, Any], after: dict[str, Any]) -> dict[str, list[Any]]:
    return {
        k: [before.get(k), after.get(k)]
        for k in sorted(set(before) | set(after))
        if before.get(k) != after.get(k)
    }


class AuditChain:
    """Appends entries whose hash covers the previous entry's hash, so an edited or removed row shows."""

    def __init__(self, conn: Connection) -> None:
        last = conn.execute(select(audit_log.c.entry_hash).order_by(audit_log.c.seq.desc()).limit(1))
        self._last = last.scalar_one_or_none() or GENESIS_HASH
        self._pending: list[dict[str, Any]] = []

    def entry(
        self,
        at: str,
        user: str,
        action: str,
        record_type: str = "",
        record_id: str = "",
        rev_id: str | None = None,
        changes: dict[str, Any] | None = None,
    ) -> dict[str, Any]:
        row = {
            "at": at,
            "user_login": user,
            "action": action,
            "record_type": record_type,
            "record_id": record_id,
            "rev_id": rev_id,
            "changes": canonical_json(changes or {}),
        }
        row["prev_hash"] = self._last
        row["entry_hash"] = entry_hash(row)
        self._last = row["entry_hash"]
        self._pending.append(row)
        return row

    def flush(self, conn: Connection) -> None:
        if self._pending:
            head = audit_head(conn)
            conn.execute(insert(audit_log), self._pending)
            _write_head(conn, head["count"] + len(self._pending) if head else None)
            self._pending = []


def _write_head(conn: Connection, count: int | None) -> None:
    """Record the chain's new end; `count` carries the recorded length on (a chain cut short stays short of
    it), and is counted only when none was recorded before."""
    last_seq, last_hash = conn.execute(
        select(audit_log.c.seq, audit_log.c.entry_hash).order_by(audit_log.c.seq.desc()).limit(1)
    ).one()
    if count is None:
        count = int(conn.execute(select(func.count()).select_from(audit_log)).scalar_one())
    value = canonical_json({"seq": int(last_seq), "count": count, "hash": last_hash})
    conn.execute(delete(settings).where(settings.c.key == AUDIT_HEAD_KEY))
    conn.execute(insert(settings).values(key=AUDIT_HEAD_KEY, value=value))


def audit_head(conn: Connection) -> dict[str, Any] | None:
    """The recorded end of the chain: {"seq", "count", "hash"}, or None when none was ever written."""
    value = conn.execute(select(settings.c.value).where(settings.c.key == AUDIT_HEAD_KEY)).scalar()
    return json.loads(value) if value else None


def mark_missing_audit_end(conn: Connection) -> None:
    """Record the end of a chain written before ends were recorded (schema versions 1 and 2), so the first
    check after the upgrade does not report the log as cut short. Only the upgrade may call this: on a
    current file a missing end is the sign of a cut tail whose mark was removed too."""
    count = int(conn.execute(select(func.count()).select_from(audit_log)).scalar_one())
    if count and audit_head(conn) is None:
        _write_head(conn, count)


def head_problem(head: dict[str, Any] | None, count: int, last_seq: int, last_hash: str) -> str | None:
    """What is wrong with a chain of `count` entries ending at `last_seq`/`last_hash` against its recorded
    end, or None when they agree."""
    if head is None:
        return "审计日志缺少末尾标记（日志末尾可能被截断）" if count else None
    if (count, last_seq, last_hash) == (head["count"], head["seq"], head["hash"]):
        return None
    if last_seq < head["seq"]:
        return (
            f"审计日志末尾的记录缺失：应有 {head['count']} 条、最后一条为第 {head['seq']} 条，"
            f"现只有 {count} 条、到第 {last_seq} 条为止（日志末尾被截断）"
        )
    if (last_seq, last_hash) == (head["seq"], head["hash"]):
        return f"审计日志应有 {head['count']} 条，现有 {count} 条（其间的记录被删除或插入）"
    return f"审计日志的最后一条与末尾标记不符：应为第 {head['seq']} 条、共 {head['count']} 条（日志被改写）"


def entry_hash(row: dict[str, Any]) -> str:
    payload = {
        k: row[k]
        for k in ("at", "user_login", "action", "record_type", "record_id", "rev_id", "changes", "prev_hash")
    }
    return sha256_hex(canonical_json(payload))


class RevisionWriter:
    """Writes local edits. One instance serves one transaction; call finish() before commit."""

    def __init__(self, conn: Connection, author: str, schema_version: int) -> None:
        self.conn = conn
        self.author = author
        self.schema_version = schema_version
        self.clock = ReplicaClock.load(conn)
        self.audit = AuditChain(conn)
        # Type keys of the records written, and of the records a written link or attachment belongs to:
        # what views showing them must re-read once this transaction commits.
        self.touched: set[str] = set()

    def _touch(self, rt: RecordType, record: Any) -> None:
        self.touched.add(rt.key)
        if rt.key == LINK.key:
            self.touched.update((record.from_type, record.to_type))
        elif rt.key == ATTACHMENT.key:
            self.touched.add(record.record_type)

    def _heads(self, rt: RecordType, record_id: str) -> list[Any]:
        return list(
            self.conn.execute(
                select(
                    sync_revision.c.rev_id,
                    sync_revision.c.record_type,
                    sync_revision.c.record_id,
                    sync_revision.c.body,
                    sync_revision.c.body_sha256,
                    sync_revision.c.body_in_row,
                    sync_revision.c.deleted,
                    sync_revision.c.hlc,
                    sync_revision.c.origin_replica,
                )
                .join(sync_head, sync_head.c.rev_id == sync_revision.c.rev_id)
                .where(sync_head.c.record_type == rt.key, sync_head.c.record_id == record_id)
            )
        )

    def _revision_rows(
        self, rt: RecordType, record_id: str, body: dict[str, Any], parents: list[str], deleted: bool
    ) -> tuple[dict[str, Any], list[dict[str, str]], str]:
        body_json = canonical_json(body)
        body_sha = sha256_hex(body_json)
        counter, hlc = self.clock.tick()
        header = build_header(
            rt.key,
            record_id,
            parents,
            self.clock,
            counter,
            hlc,
            self.author,
            self.schema_version,
            deleted,
            body_sha,
        )
        rev_id = revision_id(header)
        rev = {
            "rev_id": rev_id,
            "record_type": rt.key,
            "record_id": record_id,
            "origin_replica": self.clock.replica_id,
            "origin_incarnation": self.clock.incarnation,
            "origin_counter": counter,
            "hlc": hlc,
            "author_user": self.author,
            "schema_version": self.schema_version,
            "deleted": deleted,
            "body": body_json,
            "body_sha256": body_sha,
            "origin_sig": self.clock.sign_key.sign(rev_id.encode("ascii")),
            "received_package": None,
            "received_at": None,
        }
        links = [{"rev_id": rev_id, "parent_rev_id": p} for p in parents]
        return rev, links, body_sha

    def write(
        self,
        rt: RecordType,
        record: Any,
        *,
        deleted: bool = False,
        action: str = "",
        resolves: bool = False,
    ) -> str | None:
        """Store `record` (id and number already set) as a new revision; None when nothing changed.

        Over concurrent heads (a record in conflict) only a resolution (`resolves`, from 冲突处理) writes
        one revision on all of them; any other save keeps them apart (see _write_over_heads)."""
        self._touch(rt, record)
        table = BUSINESS_TABLES[rt.key]
        body = to_body(record)
        heads = self._heads(rt, record.id)
        if len(heads) > 1 and not resolves:
            return self._write_over_heads(rt, record, heads, deleted=deleted, action=action)
        body_sha = sha256_hex(canonical_json(body))
        if len(heads) == 1 and heads[0].body_sha256 == body_sha and bool(heads[0].deleted) == deleted:
            return None
        current = self.conn.execute(select(table).where(table.c.id == record.id)).first()
        before = row_body(rt, current) if current is not None else {}
        parents = [h.rev_id for h in heads]
        rev, links, body_sha = self._revision_rows(rt, record.id, body, parents, deleted)
        self.conn.execute(insert(sync_revision).values(**rev))
        if links:
            self.conn.execute(insert(sync_revision_parent), links)
        self.conn.execute(
            delete(sync_head).where(sync_head.c.record_type == rt.key, sync_head.c.record_id == record.id)
        )
        self.conn.execute(
            insert(sync_head).values(record_type=rt.key, record_id=record.id, rev_id=rev["rev_id"])
        )
        meta = self._row_meta(rev, deleted, body_sha)
        existing = current.rev_depth if current is not None else None
        if existing is None:
            self.conn.execute(
                insert(table).values(
                    id=record.id,
                    rev_depth=1,
                    created_hlc=rev["hlc"],
                    created_by=self.author,
                    created_replica=self.clock.replica_id,
                    **meta,
                    **_column_values(record),
                )
            )
            action = action or "create"
        else:
            revision_body.spill(self.conn, rt.key, [record.id])  # the head's body leaves the row now
            self.conn.execute(
                update(table)
                .where(table.c.id == record.id)
                .values(rev_depth=existing + 1, **meta, **_column_values(record))
            )
            action = action or ("delete" if deleted else "update")
        revision_body.elide(self.conn, rt.key, [record.id])
        if rt.text_fields:
            search_index.upsert(
                self.conn, rt.key, record.id, search_index.document_text(record, rt.text_fields)
            )
        if rt.number_label:
            refresh_identity(
                self.conn, rt.key, {before.get("number", ""), record.number}, at=rev["hlc"], package_id=None
            )
        if len(heads) > 1:  # saving over concurrent heads is the resolution of their conflict
            close_conflicts(self.conn, rt.key, record.id, rev_id=rev["rev_id"], by=self.author, at=rev["hlc"])
            action = "resolve" if action in ("update", "") else action
        changes = body_diff(before, body) if before else {}
        self.audit.entry(rev["hlc"], self.author, action, rt.key, record.id, rev["rev_id"], changes)
        return str(rev["rev_id"])

    def _row_meta(self, rev: dict[str, Any], deleted: bool, body_sha: str) -> dict[str, Any]:
        """The metadata columns of a record's row whose single head is `rev`."""
        return {
            "head_rev": rev["rev_id"],
            "updated_hlc": rev["hlc"],
            "updated_by": self.author,
            "updated_replica": self.clock.replica_id,
            "deleted": deleted,
            "conflict": None,
            "row_hash": body_sha,
        }

    def _write_over_heads(
        self, rt: RecordType, record: Any, heads: list[Any], *, deleted: bool, action: str
    ) -> str | None:
        """A save of a record in conflict decides nothing the person did not change: the fields that differ
        from the merged row they saw are written on top of each live head (every head when all are
        deleted), one revision each, so the heads stay concurrent and the conflict stays open, with its
        untouched fields as they were, until it is resolved in 冲突处理. Returns the last revision id."""
        table = BUSINESS_TABLES[rt.key]
        current = self.conn.execute(select(table).where(table.c.id == record.id)).first()
        shown = row_body(rt, current) if current is not None else {}
        changed = {k: v for k, v in to_body(record).items() if shown.get(k) != v}
        heads = revision_body.fill_bodies(self.conn, heads)
        live = [h for h in heads if not h.deleted] or heads
        last: str | None = None
        # The merge's provisional values come from the newest head: written last, the revision over the
        # head that provides them now is the newest, so the form shows the same values after the save.
        for head in sorted(live, key=lambda h: (h.hlc, h.origin_replica, h.rev_id)):
            before = json.loads(head.body) if head.body else {}
            body = {**before, **changed}
            if body == before and bool(head.deleted) == deleted:
                continue
            rev, links, _sha = self._revision_rows(rt, record.id, body, [head.rev_id], deleted)
            self.conn.execute(insert(sync_revision).values(**rev))
            self.conn.execute(insert(sync_revision_parent), links)
            kind = action or ("delete" if deleted else "restore" if head.deleted else "update")
            self.audit.entry(
                rev["hlc"], self.author, kind, rt.key, record.id, rev["rev_id"], body_diff(before, body)
            )
            last = rev["rev_id"]
        if last is not None:
            rematerialize(self.conn, rt.key, record.id, at=self.clock.hlc_last, package_id=None)
        return last

    def write_new_many(self, rt: RecordType, records: Sequence[Any]) -> None:
        """Bulk creation of records that do not exist yet (demo data): same rows as write(), batched."""
        table = BUSINESS_TABLES[rt.key]
        revs, rows, heads, docs = [], [], [], []
        for record in records:
            self._touch(rt, record)
            body = to_body(record)
            rev, _, body_sha = self._revision_rows(rt, record.id, body, [], False)
            revs.append(rev)
            heads.append({"record_type": rt.key, "record_id": record.id, "rev_id": rev["rev_id"]})
            rows.append(
                {
                    "id": record.id,
                    "head_rev": rev["rev_id"],
                    "rev_depth": 1,
                    "created_hlc": rev["hlc"],
                    "created_by": self.author,
                    "created_replica": self.clock.replica_id,
                    "updated_hlc": rev["hlc"],
                    "updated_by": self.author,
                    "updated_replica": self.clock.replica_id,
                    "deleted": False,
                    "conflict": None,
                    "row_hash": body_sha,
                    **_column_values(record),
                }
            )
            if rt.text_fields:
                docs.append(
                    {
                        "record_type": rt.key,
                        "record_id": record.id,
                        "body": search_index.document_text(record, rt.text_fields),
                    }
                )
            self.audit.entry(rev["hlc"], self.author, "create", rt.key, record.id, rev["rev_id"], {})
        if not records:
            return
        self.conn.execute(insert(sync_revision), revs)
        self.conn.execute(insert(sync_head), heads)
        self.conn.execute(insert(table), rows)
        revision_body.elide(self.conn, rt.key, [r["id"] for r in rows])
        search_index.insert_many(self.conn, docs)

    def log(self, action: str, record_type: str = "", record_id: str = "", **changes: Any) -> None:
        """An audit entry for an event that is not a record edit (login, export, migration …)."""
        self.audit.entry(self.clock.now(), self.author, action, record_type, record_id, None, changes)

    def finish(self) -> None:
        self.audit.flush(self.conn)
        self.clock.save(self.conn)


def count_live(conn: Connection, rt: RecordType) -> int:
    table = BUSINESS_TABLES[rt.key]
    return int(
        conn.execute(select(func.count()).select_from(table).where(table.c.deleted.is_(False))).scalar_one()
    )
