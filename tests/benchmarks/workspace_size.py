"""Issue 17: bytes of a workspace file per record, beside the bytes of the records' own text."""

# Where the bytes of the 100,000-record demo go, in MB (dbstat of an unencrypted copy; 4 KB pages),
# main before issue 17 against now:
#                                   before  after
# sync_revision                        396    217  bodies deflated against a field-name dictionary
# search_doc                           236      6  contentless trigram index: record ids and digests
# search_fts_data                      207    207  with positions (detail=full; 54 without them)
# business tables                      369    343  interviews 185, drafts 102, leads 32, evaluations 25
# audit_log (+ its index)               52     52
# sync_head (+ its index)               34     16  WITHOUT ROWID
# links, other indexes, rest           137    138
# file (encrypted)                    1488   1032  14.9 -> 10.3 KB per record; own text 1.53 KB
# The index keeps its positions: without them (detail=none, 860 MB, 8.60 KB per record) a term of three
# characters or more had to be confirmed against the records' rows, and search_3_chars took 280-500 ms
# instead of 70-100 ms (measured side by side on this machine, under load). What is left: the head
# revision's body repeats its business row (about 1.3 KB per record compressed), every revision, row
# and audit entry carries 64-character hex ids and hashes, and 4 KB pages hold one 3-4 KB row each with
# the rest unused. 16 KB pages gave 743 MB with detail=none but doubled the cost of reading rows.

from __future__ import annotations

from pathlib import Path

from sqlalchemy import Connection, LargeBinary, String, func, select, text

from tests.benchmarks.report import line, note
from xuncha_desktop.domain.record_types import MAIN_RECORD_TYPES
from xuncha_desktop.services.workspace import Workspace
from xuncha_desktop.storage.tables import BUSINESS_TABLES, META_COLUMNS

GOAL_BYTES = 5000  # per record


def _own_text_bytes(ws: Workspace) -> tuple[int, int]:
    """(records, UTF-8 bytes of their text fields): every text column but ids and references."""
    records = text_bytes = 0
    with ws.engine.connect() as conn:
        for rt in MAIN_RECORD_TYPES:
            table = BUSINESS_TABLES[rt.key]
            texts = [
                c
                for c in table.c
                if isinstance(c.type, String) and c.name not in META_COLUMNS and not c.name.endswith("_id")
            ]
            sizes = [func.coalesce(func.sum(func.length(func.cast(c, LargeBinary))), 0) for c in texts]
            row = conn.execute(select(func.count(), *sizes).where(table.c.deleted.is_(False))).one()
            records += row[0]
            text_bytes += sum(row[1:])
    return records, text_bytes


def _payloads(conn: Connection) -> str:
    """The bytes of the largest parts as stored (revision bodies, trigram index, audit log), in MB."""
    parts = {
        "revision bodies": "SELECT sum(length(body)) FROM sync_revision",
        "trigram index": "SELECT sum(length(block)) FROM search_fts_data",
        "audit log": "SELECT sum(length(at) + length(user_login) + length(action) + length(record_type) "
        "+ length(record_id) + length(coalesce(rev_id, '')) + length(changes) + length(prev_hash) "
        "+ length(entry_hash)) FROM audit_log",
    }
    sizes = {name: conn.execute(text(sql)).scalar() or 0 for name, sql in parts.items()}
    return ", ".join(f"{name} {size / 1e6:.0f}" for name, size in sizes.items())


def run_on(path: Path, passphrase: str) -> None:
    """The file's bytes per record with its WAL checkpointed into it."""
    with Workspace.open(path, passphrase) as ws:
        records, text_bytes = _own_text_bytes(ws)
        with ws.engine.connect() as conn:
            conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
            page_size = int(conn.exec_driver_sql("PRAGMA cipher_page_size").scalar() or 0)
            payloads = _payloads(conn)
    size = path.stat().st_size
    per_record = size / records
    note(
        f"{records} records, file {size / 1e6:.0f} MB; the records' own text fields "
        f"{text_bytes / 1e6:.0f} MB UTF-8 = {text_bytes / records / 1000:.2f} KB per record"
    )
    note(f"{page_size // 1024} KB pages; stored bytes of the largest parts (MB): {payloads}")
    line(
        "workspace_bytes_per_record_lower_better",
        per_record / 1000,
        "KB",
        per_record / GOAL_BYTES,
        "1",
    )
