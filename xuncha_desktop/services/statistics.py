"""Record counts of a workspace for the `stats` command, all read in one consistent snapshot."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, ScalarSelect, Table, func, select

from xuncha_desktop.domain import vocab
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
    ROUND,
    TARGET,
    USER,
)
from xuncha_desktop.services.workspace import Workspace
from xuncha_desktop.storage.tables import BUSINESS_TABLES, audit_log, sync_conflict, sync_revision

# JSON key → record type whose live rows it counts; the order is the order of the human table too.
LIVE_COUNTS = {
    "interviews": INTERVIEW,
    "drafts": DRAFT,
    "leads": LEAD,
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


def _count(table: Table, *conditions: Any) -> ScalarSelect[int]:
    return select(func.count()).select_from(table).where(*conditions).scalar_subquery()


def _live(table: Table) -> ScalarSelect[int]:
    return _count(table, table.c.deleted.is_(False))


def _counts(conn: Connection) -> dict[str, int]:
    """Every count in one SELECT of scalar subqueries, so they all come from the same snapshot."""
    columns = [_live(BUSINESS_TABLES[rt.key]).label(key) for key, rt in LIVE_COUNTS.items()]
    columns += [
        _count(BUSINESS_TABLES[rt.key], BUSINESS_TABLES[rt.key].c.deleted.is_(True)).label(f"bin_{rt.key}")
        for rt in MAIN_RECORD_TYPES
    ]
    columns += [
        _count(sync_conflict, sync_conflict.c.status == "open").label("open_conflicts"),
        _count(sync_revision).label("revisions"),
        _count(audit_log).label("audit_entries"),
    ]
    row = conn.execute(select(*columns)).one()._asdict()
    counts = {k: int(v) for k, v in row.items() if not k.startswith("bin_")}
    counts["recycle_bin"] = sum(int(v) for k, v in row.items() if k.startswith("bin_"))
    return counts


def _by_status(conn: Connection, table: Table, states: tuple[str, ...]) -> dict[str, int]:
    """Live rows per status: every known status in workflow order (zeros included), unknown ones last."""
    rows = conn.execute(
        select(table.c.status, func.count())
        .where(table.c.deleted.is_(False))
        .group_by(table.c.status)
        .order_by(table.c.status)
    )
    found = {str(status): int(n) for status, n in rows}
    return {s: found.pop(s, 0) for s in states} | found


def workspace_stats(ws: Workspace) -> dict[str, Any]:
    """Live record counts (evaluations = 画像 + 鉴定), recycle bin, sync state and workspace identity."""
    with ws.engine.connect() as conn:
        counts = _counts(conn)
        drafts_by_status = _by_status(conn, BUSINESS_TABLES[DRAFT.key], vocab.DRAFT_STATES)
        leads_by_status = _by_status(conn, BUSINESS_TABLES[LEAD.key], vocab.LEAD_STATES)
    info = ws.info
    return {
        "workspace": {
            "path": str(info.path),
            "role": info.role,
            "replica_id": info.replica_id,
            "incarnation": info.incarnation,
            "schema_version": info.schema_version,
        },
        "interviews": counts.pop("interviews"),
        "drafts": counts.pop("drafts"),
        "leads": counts.pop("leads"),
        "evaluations": counts["portraits"] + counts["appraisals"],
        **counts,
        "drafts_by_status": drafts_by_status,
        "leads_by_status": leads_by_status,
    }
