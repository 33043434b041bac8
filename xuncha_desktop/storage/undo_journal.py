"""The undo journal of one imported package: an encrypted side file in the 备份 folder that holds the
before-image of every row the import changed or deleted, the key of every row it inserted, and a hash
of each row as the import left it. Its size follows the package, never the workspace.

It is written and fsynced before the import commits. It belongs to that import only while the import's
audit entry (its `marker`) is in the workspace: a journal of an import that never committed (a kill
before the commit) or that was undone already is stale and is removed unread. Undoing applies it in one
transaction, and only while every row it names is still exactly as the import left it, so an undo never
overwrites anything done after the import.
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import json
import os
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import sqlcipher3.dbapi2 as sqlcipher
from sqlalchemy import Connection, desc, select

from xuncha_desktop.domain.errors import DamagedWorkspace, WorkspaceError
from xuncha_desktop.storage import faults, search_index
from xuncha_desktop.storage.change_capture import RowChange, TableShape, current_row, table_shapes
from xuncha_desktop.storage.database import connect_raw
from xuncha_desktop.storage.tables import BUSINESS_TABLES, audit_log, search_doc, sync_revision

SUFFIX = ".xcundo"
LABEL = "导入撤销"
FORMAT = 1
# Tables whose later change means someone changed the imported records (else: any later action).
RECORD_TABLES = {t.name for t in BUSINESS_TABLES.values()} | {"search_doc", "sync_conflict", "blob"}


class UndoRefused(WorkspaceError):
    """The workspace changed after the import in a row the import wrote: undoing would lose that."""


def _encode(values: Iterable[Any] | None) -> str | None:
    if values is None:
        return None
    return json.dumps(
        [{"b": base64.b64encode(v).decode()} if isinstance(v, bytes | memoryview) else v for v in values],
        ensure_ascii=False,
        separators=(",", ":"),
    )


def _decode(text: str | None) -> tuple[Any, ...] | None:
    if text is None:
        return None
    return tuple(base64.b64decode(v["b"]) if isinstance(v, dict) else v for v in json.loads(text))


def newest_audit_entry(conn: Connection) -> str | None:
    """The hash of the newest audit entry: the marker of the import that just wrote it."""
    newest = select(audit_log.c.entry_hash).order_by(desc(audit_log.c.seq)).limit(1)
    value = conn.execute(newest).scalar()
    return None if value is None else str(value)


def marked(conn: Connection, marker: str) -> bool:
    """Whether the import of a journal with this marker is (still) in the workspace."""
    return conn.execute(select(audit_log.c.seq).where(audit_log.c.entry_hash == marker)).first() is not None


def row_hash(values: tuple[Any, ...] | None) -> str | None:
    encoded = _encode(values)
    return None if encoded is None else hashlib.sha256(encoded.encode()).hexdigest()


@dataclass(frozen=True)
class JournalInfo:
    """What a journal says about its import (read from the file's `meta` table)."""

    path: Path
    meta: dict[str, Any]

    @property
    def marker(self) -> str:
        return str(self.meta["marker"])

    @property
    def batch(self) -> str:
        return str(self.meta["batch"])

    @property
    def order(self) -> int:
        return int(self.meta["order"])


_SCHEMA = (
    "CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
    "CREATE TABLE shape (tbl TEXT PRIMARY KEY, columns TEXT NOT NULL, keys TEXT NOT NULL)",
    "CREATE TABLE entry (n INTEGER PRIMARY KEY, tbl TEXT NOT NULL, key TEXT NOT NULL, "
    "before TEXT, after_hash TEXT)",
)


def _fsync_folder(folder: Path) -> None:
    if os.name == "nt":
        return  # Windows has no directory handles to flush; NTFS journals the rename itself
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _put_in_place(partial: Path, target: Path) -> None:
    os.replace(partial, target)
    _fsync_folder(target.parent)


def remove(path: Path) -> None:
    for leftover in (path, Path(f"{path}-journal"), Path(f"{path}-wal"), Path(f"{path}-shm")):
        with contextlib.suppress(FileNotFoundError):
            leftover.unlink()


def write(
    target: Path,
    key: bytes,
    meta: dict[str, Any],
    shapes: list[TableShape],
    changes: list[RowChange],
) -> Path:
    """Write the journal to `target` (through a `.part` file, fsynced, then renamed into place)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(target.name + ".part")
    remove(partial)
    used = {c.table for c in changes}
    try:
        con = connect_raw(partial, key)
        try:
            con.execute("PRAGMA journal_mode = DELETE")  # one self-contained file
            con.execute("BEGIN")
            for statement in _SCHEMA:
                con.execute(statement)
            con.executemany(
                "INSERT INTO meta VALUES (?, ?)",
                [(k, json.dumps(v, ensure_ascii=False)) for k, v in {**meta, "format": FORMAT}.items()],
            )
            con.executemany(
                "INSERT INTO shape VALUES (?, ?, ?)",
                [(s.name, json.dumps(s.columns), json.dumps(s.keys)) for s in shapes if s.name in used],
            )
            con.executemany(
                "INSERT INTO entry (tbl, key, before, after_hash) VALUES (?, ?, ?, ?)",
                [(c.table, _encode(c.key), _encode(c.before), row_hash(c.after)) for c in changes],
            )
            con.execute("COMMIT")
        finally:
            con.close()
        with open(partial, "rb+") as f:
            os.fsync(f.fileno())
        _put_in_place(partial, target)
    except sqlcipher.Error as exc:
        remove(partial)
        raise faults.database_error(exc, target) or DamagedWorkspace("导入撤销记录未能写入") from exc
    except BaseException:
        remove(partial)
        raise
    return target


def read_info(path: Path, key: bytes) -> JournalInfo | None:
    """The journal's meta, or None when the file is not a journal of this workspace (or damaged)."""
    try:
        con = connect_raw(path, key)
    except WorkspaceError:
        return None
    try:
        meta = {k: json.loads(v) for k, v in con.execute("SELECT key, value FROM meta")}
    except (sqlcipher.Error, ValueError):
        return None
    finally:
        con.close()
    return JournalInfo(path, meta) if meta.get("format") == FORMAT and "marker" in meta else None


def _q(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _entries(path: Path, key: bytes) -> tuple[dict[str, TableShape], list[RowChange]]:
    con = connect_raw(path, key)
    try:
        shapes = {
            t: TableShape(t, tuple(json.loads(c)), tuple(json.loads(k)))
            for t, c, k in con.execute("SELECT tbl, columns, keys FROM shape")
        }
        changes = [
            RowChange(t, _decode(k) or (), _decode(b), None if h is None else (h,))
            for t, k, b, h in con.execute("SELECT tbl, key, before, after_hash FROM entry ORDER BY n")
        ]
    finally:
        con.close()
    return shapes, changes


def _problem(conn: Connection, shapes: dict[str, TableShape], changes: list[RowChange]) -> str | None:
    """Which table holds a row that is no longer as the import left it (None: all are)."""
    here = {s.name: s for s in table_shapes(conn)}
    for name, shape in shapes.items():
        if here.get(name) != shape:
            return "工作库在导入后已升级，表结构不同"
    for change in changes:
        now = row_hash(current_row(conn, shapes[change.table], change.key))
        if now != (change.after[0] if change.after else None):
            return change.table
    return None


def undo(conn: Connection, path: Path, key: bytes) -> dict[str, int]:
    """Put every row of the journal back as it was before the import, on the caller's transaction;
    {table: rows} restored. UndoRefused (nothing written) when a row changed after the import."""
    shapes, changes = _entries(path, key)
    conn.exec_driver_sql("PRAGMA defer_foreign_keys = ON")  # rows come back table by table
    problem = _problem(conn, shapes, changes)
    if problem is not None:
        raise UndoRefused(problem)
    sql = conn.exec_driver_sql
    # Inserted rows go first, so a restored row never meets one that took its unique value. Within each
    # kind, revisions go before records: a record's row may change only once no revision it no longer
    # reproduces is marked as kept in it (the body_in_row guard of storage.revision_body).
    ordered = sorted(
        changes, key=lambda c: (c.before is not None, c.after is None, c.table != sync_revision.name)
    )
    for change in ordered:
        shape = shapes[change.table]
        table = f"main.{_q(shape.name)}"
        where = " AND ".join(f"{_q(k)} IS ?" for k in shape.keys)
        if change.before is None:
            sql(f"DELETE FROM {table} WHERE {where}", change.key)
        elif change.after is None:
            names = list(shape.columns)
            values = list(change.before)
            if shape.keys == ("rowid",):
                names, values = ["rowid", *names], [change.key[0], *values]
            marks = ", ".join("?" for _ in names)
            sql(f"INSERT INTO {table} ({', '.join(map(_q, names))}) VALUES ({marks})", tuple(values))
        else:
            sets = ", ".join(f"{_q(c)} = ?" for c in shape.columns)
            sql(f"UPDATE {table} SET {sets} WHERE {where}", (*change.before, *change.key))
    # The trigram index keeps no text and follows no trigger: it takes the restored records' text again.
    search_index.reindex_from_records(conn, [c.key[0] for c in changes if c.table == search_doc.name])
    counts: dict[str, int] = {}
    for change in changes:
        counts[change.table] = counts.get(change.table, 0) + 1
    return counts


def restore_sequences(conn: Connection, saved: dict[str, int]) -> None:
    """Put the AUTOINCREMENT counters back, so the next audit entry takes the number the import took."""
    for name, seq in saved.items():
        conn.exec_driver_sql("UPDATE main.sqlite_sequence SET seq = ? WHERE name = ?", (seq, name))
