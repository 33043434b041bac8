"""a smaller workspace: the trigram index without positions, revision bodies compressed

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-07 18:00:00

- `search_fts` is built again with `detail=none` (which documents hold a trigram, not where): a longer
  term is confirmed against `search_doc.body` (storage.search_index), so searches find what they found.
- `sync_revision.body` of every revision is stored zlib-compressed where that is smaller
  (storage.compressed_text); reading gives the same canonical text, so hashes and signatures still hold.
"""

import zlib
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Frozen copy of storage.search_index.FTS_DDL as of this version.
FTS_DDL = (
    "CREATE VIRTUAL TABLE search_fts USING fts5(body, content='search_doc', content_rowid='docid', "
    "tokenize='trigram', detail=none)",
    "CREATE TRIGGER search_doc_ai AFTER INSERT ON search_doc BEGIN "
    "INSERT INTO search_fts(rowid, body) VALUES (new.docid, new.body); END",
    "CREATE TRIGGER search_doc_ad AFTER DELETE ON search_doc BEGIN "
    "INSERT INTO search_fts(search_fts, rowid, body) VALUES ('delete', old.docid, old.body); END",
    "CREATE TRIGGER search_doc_au AFTER UPDATE ON search_doc BEGIN "
    "INSERT INTO search_fts(search_fts, rowid, body) VALUES ('delete', old.docid, old.body); "
    "INSERT INTO search_fts(rowid, body) VALUES (new.docid, new.body); END",
    "CREATE VIRTUAL TABLE search_vocab USING fts5vocab(search_fts, 'row')",
)
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


def upgrade() -> None:
    conn = op.get_bind()
    if conn.dialect.name != "sqlite":
        return
    for statement in DROPPED:
        op.execute(statement)
    for statement in FTS_DDL:
        op.execute(statement)
    op.execute("INSERT INTO search_fts(search_fts) VALUES ('rebuild')")
    _compress_revision_bodies(conn)


def downgrade() -> None:
    conn = op.get_bind()
    if conn.dialect.name != "sqlite":
        return
    for statement in DROPPED:
        op.execute(statement)
    for statement in FTS_DDL:
        op.execute(statement.replace(", detail=none)", ")"))
    op.execute("INSERT INTO search_fts(search_fts) VALUES ('rebuild')")
    rows = conn.exec_driver_sql("SELECT rowid, body FROM sync_revision WHERE typeof(body) = 'blob'")
    plain = [(zlib.decompress(body).decode("utf-8"), rowid) for rowid, body in rows.fetchall()]
    if plain:
        conn.exec_driver_sql("UPDATE sync_revision SET body = ? WHERE rowid = ?", plain)
