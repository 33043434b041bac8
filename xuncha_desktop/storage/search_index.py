"""Full-text search behind one interface: FTS5 trigram on SQLite, plain substring search elsewhere.

Only `search_doc` (a portable table) is written by the application; on SQLite, triggers keep an FTS5
external-content index over it. Trigram MATCH never finds a query shorter than three characters, so
short terms are matched with instr() (LIKE is wrong on trigram tables before SQLite 3.51; toolchain.md §6).

The index keeps which documents hold each trigram but not where (detail=none: a quarter of the size of
the positions). A three-character term is one trigram, found exactly; a longer term is found as the
documents holding all its trigrams, narrowed to those whose text holds the term itself.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import (
    DDL,
    ColumnElement,
    Connection,
    Select,
    and_,
    bindparam,
    column,
    event,
    false,
    func,
    select,
    table,
    update,
)
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from xuncha_desktop.storage.tables import search_doc

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
for _statement in FTS_DDL:
    event.listen(search_doc, "after_create", DDL(_statement).execute_if(dialect="sqlite"))

MIN_TRIGRAM = 3
DOC_END = "\n\n"
# Beyond this many trigrams a short term is so common that scanning the documents is as quick.
MAX_PREFIX_TRIGRAMS = 1500
# Lightweight handles on the SQLite-only virtual tables (not part of the portable metadata).
_FTS = table("search_fts", column("rowid"), column("search_fts"))
_VOCAB = table("search_vocab", column("term"))


def flatten_text(value: Any) -> str:
    """Text of a field value for indexing: lists and dicts contribute their string leaves."""
    if value is None or isinstance(value, bool):
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, list | tuple):
        return " ".join(flatten_text(v) for v in value)
    if isinstance(value, dict):
        return " ".join(flatten_text(v) for v in value.values())
    return str(value)


def document_text(record: Any, fields: tuple[str, ...]) -> str:
    """The searchable text of a record: its text fields, one per line, each document ending in DOC_END."""
    return "\n".join(t for t in (flatten_text(getattr(record, f)) for f in fields) if t) + DOC_END


def upsert(conn: Connection, record_type: str, record_id: str, body: str) -> None:
    updated = conn.execute(
        update(search_doc)
        .where(search_doc.c.record_type == record_type, search_doc.c.record_id == record_id)
        .values(body=body)
    )
    if updated.rowcount == 0:
        conn.execute(search_doc.insert().values(record_type=record_type, record_id=record_id, body=body))


def upsert_many(conn: Connection, record_type: str, docs: dict[str, str]) -> None:
    """Set the documents of many records of one type, batched. A document whose text is unchanged is not
    rewritten: re-indexing trigrams is the dearest part of an import."""
    if not docs:
        return
    ids = list(docs)
    known: dict[str, tuple[int, str]] = {}
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        for row in conn.execute(
            select(search_doc.c.record_id, search_doc.c.docid, search_doc.c.body).where(
                search_doc.c.record_type == record_type, search_doc.c.record_id.in_(chunk)
            )
        ):
            known[row.record_id] = (row.docid, row.body)
    changed = [
        {"b_docid": known[rid][0], "body": body}
        for rid, body in docs.items()
        if rid in known and known[rid][1] != body
    ]
    if changed:
        conn.execute(update(search_doc).where(search_doc.c.docid == bindparam("b_docid")), changed)
    insert_many(
        conn,
        [
            {"record_type": record_type, "record_id": rid, "body": body}
            for rid, body in docs.items()
            if rid not in known
        ],
    )


def insert_many(conn: Connection, rows: list[dict[str, str]]) -> None:
    """Bulk insert for brand-new records (demo data, imports of unseen records)."""
    if rows:
        if conn.dialect.name == "sqlite":
            conn.execute(sqlite_insert(search_doc).on_conflict_do_nothing(), rows)
        else:
            conn.execute(search_doc.insert(), rows)


def _quote_fts(term: str) -> str:
    return '"' + term.replace('"', '""') + '"'


def _prefix_trigrams(conn: Connection, term: str) -> list[str] | None:
    """Trigrams of the index that start with `term` (case-folded as the index is); None when too many."""
    folded = term.lower()
    terms = (
        conn.execute(
            select(_VOCAB.c.term)
            .where(_VOCAB.c.term >= folded, _VOCAB.c.term < folded + "\U0010ffff")
            .limit(MAX_PREFIX_TRIGRAMS + 1)
        )
        .scalars()
        .all()
    )
    return None if len(terms) > MAX_PREFIX_TRIGRAMS else list(terms)


def _holds(term: str) -> ColumnElement[bool]:
    """The document's text holds `term`, ignoring the case of ASCII letters (SQLite's lower() on both
    sides; the trigrams already matched ignoring case, so this only confirms they follow one another)."""
    return func.instr(func.lower(search_doc.c.body), func.lower(term)) > 0


def term_condition(conn: Connection, term: str) -> ColumnElement[bool]:
    if conn.dialect.name != "sqlite":
        return search_doc.c.body.icontains(term, autoescape=True)
    if len(term) >= MIN_TRIGRAM:
        own = dict.fromkeys(term[i : i + MIN_TRIGRAM] for i in range(len(term) - 2))
        match = select(_FTS.c.rowid).where(
            _FTS.c.search_fts.op("MATCH")(" AND ".join(_quote_fts(t) for t in own))
        )
        if len(term) == MIN_TRIGRAM:
            return search_doc.c.docid.in_(match)
        # The index does not say whether the trigrams follow one another: the text does.
        return and_(search_doc.c.docid.in_(match), _holds(term))
    else:
        trigrams = _prefix_trigrams(conn, term)
        if trigrams is None:
            return func.instr(func.lower(search_doc.c.body), term.lower()) > 0
        if not trigrams:
            return false()
        expression = " OR ".join(_quote_fts(t) for t in trigrams)
    match = select(_FTS.c.rowid).where(_FTS.c.search_fts.op("MATCH")(expression))
    return search_doc.c.docid.in_(match)


def matching_ids(conn: Connection, record_type: str, query: str) -> Select[Any]:
    """SELECT record_id of every document of `record_type` containing all whitespace-separated terms.
    Short terms are resolved against the vocabulary on `conn` first, so run the result on `conn`."""
    conds = [term_condition(conn, t) for t in query.split() if t]
    return select(search_doc.c.record_id).where(and_(search_doc.c.record_type == record_type, *conds))
