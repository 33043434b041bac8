"""a smaller workspace: the trigram index without a copy of the text, revision bodies compressed

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-07 18:00:00

- `search_fts` is built again without content: `search_doc` keeps which record each index row stands for
  and a digest of the text it was indexed under, no longer the text. The index keeps its positions, so a
  term of three characters or more is still found as the phrase of its trigrams; a short term the
  vocabulary cannot resolve is matched against the records' own text fields (storage.search_index), so
  searches find what they found.
- `sync_head` is a WITHOUT ROWID table: its key is the whole row, stored once instead of twice.
- `sync_revision.body` of every revision is stored zlib-compressed where that is smaller
  (storage.compressed_text); reading gives the same canonical text, so hashes and signatures still hold.
"""

import hashlib
import json
import zlib
from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Frozen copy of storage.search_index.FTS_DDL as of this version.
FTS_DDL = (
    "CREATE VIRTUAL TABLE search_fts USING fts5(body, content='', contentless_delete=1, tokenize='trigram')",
    "CREATE VIRTUAL TABLE search_vocab USING fts5vocab(search_fts, 'row')",
)
# The index of version 7, which a downgrade builds again.
FTS_DDL_7 = (
    "CREATE VIRTUAL TABLE search_fts USING fts5(body, content='search_doc', content_rowid='docid', "
    "tokenize='trigram')",
    "CREATE TRIGGER search_doc_ai AFTER INSERT ON search_doc BEGIN "
    "INSERT INTO search_fts(rowid, body) VALUES (new.docid, new.body); END",
    "CREATE TRIGGER search_doc_ad AFTER DELETE ON search_doc BEGIN "
    "INSERT INTO search_fts(search_fts, rowid, body) VALUES ('delete', old.docid, old.body); END",
    "CREATE TRIGGER search_doc_au AFTER UPDATE ON search_doc BEGIN "
    "INSERT INTO search_fts(search_fts, rowid, body) VALUES ('delete', old.docid, old.body); "
    "INSERT INTO search_fts(rowid, body) VALUES (new.docid, new.body); END",
    "CREATE VIRTUAL TABLE search_vocab USING fts5vocab(search_fts, 'row')",
)
# Frozen copy of the registry's searchable fields as of this version (record type: table, fields), for a
# downgrade to write the documents' text again; JSON_FIELDS hold lists or mappings.
TEXT_FIELDS = {
    "party_org": ("party_organizations", ("name",)),
    "cadre": ("cadres", ("name", "home_unit")),
    "interview": (
        "interview_records",
        (
            "number",
            "location",
            "interviewer",
            "recorder",
            "interviewee_name",
            "post",
            "outline",
            "content",
            "problems",
            "team_evaluation",
        ),
    ),
    "draft": (
        "issue_drafts",
        (
            "number",
            "title",
            "description",
            "discovery",
            "basis",
            "evidence",
            "responsible_party",
            "suggestion",
            "review_opinion",
            "group_meeting_opinion",
            "approval_opinion",
        ),
    ),
    "lead": (
        "lead_registrations",
        (
            "number",
            "subject_name",
            "subject_post",
            "summary",
            "group_opinion",
            "consultation_opinion",
            "transfer_unit",
            "outcome",
        ),
    ),
    "evaluation": ("personnel_evaluations", ("number", "name", "post", "portfolio", "dimensions", "overall")),
    "appraisal": (
        "member_appraisals",
        ("number", "name", "home_unit_post", "self_summary", "leader_comments", "group_opinion"),
    ),
    "feedback": ("rectification_feedbacks", ("number", "note")),
    "task": ("rectification_tasks", ("number", "issue", "responsible_unit", "measures")),
    "supervision": ("supervision_notes", ("progress",)),
    "recheck": ("recheck_results", ("finding",)),
    "petition": ("petitions", ("number", "subject_name", "subject_unit", "summary", "forwarded_to")),
}
JSON_FIELDS = frozenset({"problems", "evidence", "dimensions", "leader_comments"})
DROPPED = (
    "DROP TABLE search_vocab",
    "DROP TRIGGER search_doc_ai",
    "DROP TRIGGER search_doc_ad",
    "DROP TRIGGER search_doc_au",
    "DROP TABLE search_fts",
)
BATCH = 500


def _pack(text: str) -> str | bytes:
    """Frozen copy of storage.compressed_text.pack as of this version."""
    raw = text.encode("utf-8")
    packed = zlib.compress(raw, 9)
    return packed if len(packed) < len(raw) else text


def _compress_revision_bodies(conn: sa.Connection) -> None:
    """Rewrite each plain-text body as its compressed form, a batch at a time (by rowid, in order)."""
    last = 0
    while True:
        rows = conn.exec_driver_sql(
            "SELECT rowid, body FROM sync_revision WHERE rowid > ? AND typeof(body) = 'text' "
            "ORDER BY rowid LIMIT ?",
            (last, BATCH),
        ).fetchall()
        if not rows:
            return
        last = rows[-1][0]
        packed = [(p, rowid) for rowid, body in rows if not isinstance(p := _pack(body), str)]
        if packed:
            conn.exec_driver_sql("UPDATE sync_revision SET body = ? WHERE rowid = ?", packed)


def _digest(body: str) -> int:
    """Frozen copy of storage.search_index.digest as of this version."""
    return int.from_bytes(hashlib.blake2b(body.encode("utf-8"), digest_size=8).digest(), "big", signed=True)


def _create_search_doc(column: sa.Column[Any]) -> None:
    op.create_table(
        "search_doc",
        sa.Column("docid", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("record_type", sa.String(16), nullable=False),
        sa.Column("record_id", sa.String(36), nullable=False),
        column,
        sa.UniqueConstraint("record_type", "record_id", name="uq_search_doc_record"),
    )


def _index_without_text(conn: sa.Connection) -> None:
    """search_doc rows keep their docid and record; the contentless index gets each text once."""
    op.execute("ALTER TABLE search_doc RENAME TO search_doc_old")
    _create_search_doc(sa.Column("body_digest", sa.BigInteger(), nullable=False))
    for statement in FTS_DDL:
        op.execute(statement)
    last = 0
    while True:
        rows = conn.exec_driver_sql(
            "SELECT docid, record_type, record_id, body FROM search_doc_old WHERE docid > ? "
            "ORDER BY docid LIMIT ?",
            (last, BATCH),
        ).fetchall()
        if not rows:
            break
        last = rows[-1][0]
        conn.exec_driver_sql(
            "INSERT INTO search_doc (docid, record_type, record_id, body_digest) VALUES (?, ?, ?, ?)",
            [(docid, rt, rid, _digest(body)) for docid, rt, rid, body in rows],
        )
        conn.exec_driver_sql(
            "INSERT INTO search_fts (rowid, body) VALUES (?, ?)", [(r[0], r[3]) for r in rows]
        )
    op.execute("DROP TABLE search_doc_old")


def _flatten(value: Any) -> str:
    """Frozen copy of storage.search_index.flatten_text as of this version."""
    if value is None or isinstance(value, bool):
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, list | tuple):
        return " ".join(_flatten(v) for v in value)
    if isinstance(value, dict):
        return " ".join(_flatten(v) for v in value.values())
    return str(value)


def _document_texts(conn: sa.Connection, record_type: str, ids: list[str]) -> dict[str, str]:
    """The documents version 7 kept for these records, written from their text fields again."""
    if record_type not in TEXT_FIELDS:
        return {}
    table, fields = TEXT_FIELDS[record_type]
    marks = ", ".join("?" * len(ids))
    rows = conn.exec_driver_sql(
        f"SELECT id, {', '.join(fields)} FROM {table} WHERE id IN ({marks})", tuple(ids)
    ).fetchall()
    texts = {}
    for row in rows:
        values = [
            json.loads(v) if f in JSON_FIELDS and isinstance(v, str) else v
            for f, v in zip(fields, row[1:], strict=True)
        ]
        texts[row[0]] = "\n".join(t for t in map(_flatten, values) if t) + "\n\n"
    return texts


def _index_with_text(conn: sa.Connection) -> None:
    """Version 7's search_doc with the text, and its index kept up by triggers."""
    op.execute("DROP TABLE search_vocab")
    op.execute("DROP TABLE search_fts")
    op.execute("ALTER TABLE search_doc RENAME TO search_doc_new")
    _create_search_doc(sa.Column("body", sa.Text(), nullable=False))
    for statement in FTS_DDL_7:
        op.execute(statement)
    last = 0
    while True:
        rows = conn.exec_driver_sql(
            "SELECT docid, record_type, record_id FROM search_doc_new WHERE docid > ? ORDER BY docid LIMIT ?",
            (last, BATCH),
        ).fetchall()
        if not rows:
            break
        last = rows[-1][0]
        texts: dict[tuple[str, str], str] = {}
        for rt in {r[1] for r in rows}:
            found = _document_texts(conn, rt, [r[2] for r in rows if r[1] == rt])
            texts.update(((rt, rid), text) for rid, text in found.items())
        conn.exec_driver_sql(
            "INSERT INTO search_doc (docid, record_type, record_id, body) VALUES (?, ?, ?, ?)",
            [(docid, rt, rid, texts.get((rt, rid), "\n\n")) for docid, rt, rid in rows],
        )
    op.execute("DROP TABLE search_doc_new")


def _rebuild_sync_head(*, with_rowid: bool) -> None:
    op.execute("ALTER TABLE sync_head RENAME TO sync_head_old")
    op.create_table(
        "sync_head",
        sa.Column("record_type", sa.String(16), primary_key=True),
        sa.Column("record_id", sa.String(36), primary_key=True),
        sa.Column("rev_id", sa.String(64), primary_key=True),
        sqlite_with_rowid=with_rowid,
    )
    op.execute(
        "INSERT INTO sync_head (record_type, record_id, rev_id) "
        "SELECT record_type, record_id, rev_id FROM sync_head_old"
    )
    op.execute("DROP TABLE sync_head_old")


def upgrade() -> None:
    conn = op.get_bind()
    if conn.dialect.name != "sqlite":
        return
    for statement in DROPPED:
        op.execute(statement)
    _index_without_text(conn)
    _compress_revision_bodies(conn)
    _rebuild_sync_head(with_rowid=False)


def downgrade() -> None:
    conn = op.get_bind()
    if conn.dialect.name != "sqlite":
        return
    _index_with_text(conn)
    _rebuild_sync_head(with_rowid=True)
    rows = conn.exec_driver_sql("SELECT rowid, body FROM sync_revision WHERE typeof(body) = 'blob'")
    # Bodies written since may name a preset dictionary; storage.compressed_text keeps every one for ever.
    from xuncha_desktop.storage.compressed_text import unpack

    plain = [(unpack(body), rowid) for rowid, body in rows.fetchall()]
    if plain:
        conn.exec_driver_sql("UPDATE sync_revision SET body = ? WHERE rowid = ?", plain)
