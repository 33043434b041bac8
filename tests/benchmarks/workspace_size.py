"""Issue 17: bytes of a workspace file per record, beside the bytes of the records' own text."""

# Where the bytes of the 100,000-record demo go, in MB. The per-table columns are dbstat of an unencrypted
# copy written with 4 KB pages (sqlcipher_export repacks it, so these are the tables' contents, not the
# as-built layout; dbstat cannot read an encrypted file):
#                          start of #17  session 6  now
# sync_revision                     396        217   49  a head's body is kept only in its row (revision_body)
# search_doc                        236          6    6  contentless trigram index: record ids and digests
# search_fts_data                   207        207  207  with positions (detail=full; 54 without them)
# business tables                   369        343  343  interviews 185, drafts 102, leads 32, evaluations 25
# audit_log (+ its index)            52         52   52
# sync_head (+ its index)            34         16   16  WITHOUT ROWID
# links, other indexes, rest        137        138  153  the filter-and-date indexes end in (number, id)
# The encrypted file as the demo builds it (what an office accumulates) and after VACUUM:
# file, 4 KB pages               1488       1032  1050  (the elided bodies leave their space inside pages)
# file, 16 KB pages (as built)      -          -   914  9.1 KB per record; 753 after VACUUM (7.5 KB)
# own text: 1.53 KB per record. 16 KB pages hold several 3-4 KB rows where a 4 KB page held one, and carry
# SQLCipher's IV and HMAC a quarter as often. What stands between this and 5 KB per record: the trigram
# index with positions (2.07 KB per record) plus the text itself (1.53) leave 1.4 KB for the bookkeeping
# of revisions, heads, audit chain, links and list indexes, which take 3.8 KB now. Dropping positions
# (detail=none, 54 MB) means confirming every term of four or more characters against the records' rows:
# counting "公务接待" then reads ~7,000 interview rows (150-300 ms against the 100 ms goal of the lists).

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
