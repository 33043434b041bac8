"""Issue 17: bytes of a workspace file per record, beside the bytes of the records' own text."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import LargeBinary, String, func, select

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


def run_on(path: Path, passphrase: str) -> None:
    """The file's bytes per record with its WAL checkpointed into it."""
    with Workspace.open(path, passphrase) as ws:
        records, text_bytes = _own_text_bytes(ws)
        with ws.engine.connect() as conn:
            conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    size = path.stat().st_size
    per_record = size / records
    note(
        f"{records} records, file {size / 1e6:.0f} MB; the records' own text fields "
        f"{text_bytes / 1e6:.0f} MB UTF-8 = {text_bytes / records / 1000:.2f} KB per record"
    )
    line(
        "workspace_bytes_per_record_lower_better",
        per_record / 1000,
        "KB",
        per_record / GOAL_BYTES,
        "1",
    )
