"""A dump of every table of a workspace file, to show that an undone import left nothing behind."""

from __future__ import annotations

from typing import Any

from xuncha_desktop.services.workspace import Workspace
from xuncha_desktop.storage.change_capture import sequences, table_shapes

# Search terms whose hits show that the full-text index itself (not only search_doc) is as it was.
SEARCH_PROBES = ("巡察组", "问题线索", "谈话记录", "底稿", "修改后")


def dump_everything(ws: Workspace) -> dict[str, Any]:
    """Every row of every table (in key order), AUTOINCREMENT counters, and what the full-text index
    finds: its vocabulary with counts and the hits of a few searches."""
    out: dict[str, Any] = {}
    with ws.engine.connect() as conn:
        for shape in table_shapes(conn):
            order = ", ".join(f'"{k}"' for k in shape.keys)
            rows = conn.exec_driver_sql(f'SELECT * FROM "{shape.name}" ORDER BY {order}')
            out[shape.name] = [r._asdict() for r in rows]
        out["sqlite_sequence"] = sequences(conn)
        out["fts_vocabulary"] = conn.exec_driver_sql(
            "SELECT term, doc, cnt FROM search_vocab ORDER BY term"
        ).all()
        out["fts_hits"] = {
            probe: conn.exec_driver_sql(
                "SELECT rowid FROM search_fts WHERE search_fts MATCH ? ORDER BY rowid", (f'"{probe}"',)
            ).all()
            for probe in SEARCH_PROBES
            if len(probe) >= 3
        }
        out["fts_integrity"] = conn.exec_driver_sql(
            "INSERT INTO search_fts(search_fts, rank) VALUES ('integrity-check', 1)"
        ).rowcount
    return out


def without_undo_entry(after: dict[str, Any], before: dict[str, Any]) -> dict[str, Any]:
    """`after` with the undo's own traces taken out: its audit entry, the audit end mark it moved, the
    clock it advanced; the caller compares the rest with `before`."""
    trimmed = dict(after)
    assert len(after["audit_log"]) == len(before["audit_log"]) + 1
    *kept, undo_entry = after["audit_log"]
    assert undo_entry["action"] == "undo_import"
    trimmed["audit_log"] = kept
    trimmed["settings"] = [r for r in after["settings"] if r["key"] != "audit_head"]
    trimmed["sync_self"] = [{**r, "hlc_last": ""} for r in after["sync_self"]]
    return trimmed


def comparable(before: dict[str, Any]) -> dict[str, Any]:
    trimmed = dict(before)
    trimmed["settings"] = [r for r in before["settings"] if r["key"] != "audit_head"]
    trimmed["sync_self"] = [{**r, "hlc_last": ""} for r in before["sync_self"]]
    return trimmed
