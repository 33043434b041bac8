"""Full-text search behind one interface: FTS5 trigram on SQLite, plain substring search elsewhere.

The application writes `search_doc` (a portable table naming which record each index row stands for, with
a digest of the text it was indexed under) and, on SQLite, a contentless FTS5 index: the index keeps no
copy of the text, which the records' own columns already hold. Trigram MATCH never finds a query shorter
than three characters, so short terms are matched through the index's vocabulary or with instr() on the
records' text fields (LIKE is wrong on trigram tables before SQLite 3.51; toolchain.md §6).

The index keeps where each trigram occurs (detail=full), so a term of three characters or more is found
exactly, as the phrase of its trigrams, without reading the records. Only a short term whose prefix
trigrams are too many is matched against the records' own text fields.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from types import SimpleNamespace
from typing import Any

from sqlalchemy import (
    DDL,
    JSON,
    ColumnElement,
    Connection,
    Select,
    Text,
    and_,
    bindparam,
    cast,
    column,
    event,
    exists,
    false,
    func,
    literal,
    or_,
    select,
    table,
    text,
    update,
)
from sqlalchemy.sql.util import find_tables

from xuncha_desktop.domain.record_types import BY_KEY
from xuncha_desktop.storage.tables import BUSINESS_TABLES, search_doc

FTS_DDL = (
    "CREATE VIRTUAL TABLE search_fts USING fts5(body, content='', contentless_delete=1, tokenize='trigram')",
    "CREATE VIRTUAL TABLE search_vocab USING fts5vocab(search_fts, 'row')",
)
for _statement in FTS_DDL:
    event.listen(search_doc, "after_create", DDL(_statement).execute_if(dialect="sqlite"))

MIN_TRIGRAM = 3
DOC_END = "\n\n"
# Beyond this many trigrams a short term is so common that scanning the documents is as quick.
MAX_PREFIX_TRIGRAMS = 1500
BATCH = 500
# Lightweight handles on the SQLite-only virtual tables (not part of the portable metadata).
_FTS = table("search_fts", column("rowid"), column("search_fts"))
_VOCAB = table("search_vocab", column("term"))
_INDEX_ROW = text("INSERT INTO search_fts(rowid, body) VALUES (:docid, :body)")
_UNINDEX_ROW = text("DELETE FROM search_fts WHERE rowid = :docid")
# JSON leaves that flatten_text turns into text (booleans and nulls give none).
_TEXT_LEAVES = ("text", "integer", "real")


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


def digest(body: str) -> int:
    """A signed 64-bit digest of a document's text: tells whether a record's text changed since it was
    indexed without keeping the text."""
    return int.from_bytes(hashlib.blake2b(body.encode("utf-8"), digest_size=8).digest(), "big", signed=True)


def upsert(conn: Connection, record_type: str, record_id: str, body: str) -> None:
    upsert_many(conn, record_type, {record_id: body})


def upsert_many(conn: Connection, record_type: str, docs: dict[str, str]) -> None:
    """Set the documents of many records of one type, batched. A document whose text is unchanged is not
    indexed again: re-indexing trigrams is the dearest part of an import."""
    if not docs:
        return
    ids = list(docs)
    known = _known(conn, record_type, ids)
    changed = [
        (known[rid][0], digest(body), body)
        for rid, body in docs.items()
        if rid in known and known[rid][1] != digest(body)
    ]
    if changed:
        conn.execute(
            update(search_doc).where(search_doc.c.docid == bindparam("b_docid")),
            [{"b_docid": docid, "body_digest": new_digest} for docid, new_digest, _ in changed],
        )
        _index(conn, [(docid, body) for docid, _, body in changed], replace=True)
    new = [rid for rid in ids if rid not in known]
    if not new:
        return
    conn.execute(
        search_doc.insert(),
        [{"record_type": record_type, "record_id": rid, "body_digest": digest(docs[rid])} for rid in new],
    )
    docids = _known(conn, record_type, new)
    _index(conn, [(docids[rid][0], docs[rid]) for rid in new], replace=False)


def insert_many(conn: Connection, rows: list[dict[str, str]]) -> None:
    """Bulk indexing of brand-new records (demo data, imports of unseen records)."""
    by_type: dict[str, dict[str, str]] = {}
    for row in rows:
        by_type.setdefault(row["record_type"], {})[row["record_id"]] = row["body"]
    for record_type, docs in by_type.items():
        upsert_many(conn, record_type, docs)


def _known(conn: Connection, record_type: str, ids: list[str]) -> dict[str, tuple[int, int]]:
    """record_id → (docid, digest) of the records of `ids` that have a document."""
    known: dict[str, tuple[int, int]] = {}
    for start in range(0, len(ids), BATCH):
        chunk = ids[start : start + BATCH]
        for row in conn.execute(
            select(search_doc.c.record_id, search_doc.c.docid, search_doc.c.body_digest).where(
                search_doc.c.record_type == record_type, search_doc.c.record_id.in_(chunk)
            )
        ):
            known[row.record_id] = (row.docid, row.body_digest)
    return known


def _index(conn: Connection, rows: list[tuple[int, str]], *, replace: bool) -> None:
    """Put the text of documents into the trigram index (SQLite only), dropping what they had first."""
    if conn.dialect.name != "sqlite" or not rows:
        return
    if replace:
        conn.execute(_UNINDEX_ROW, [{"docid": docid} for docid, _ in rows])
    conn.execute(_INDEX_ROW, [{"docid": docid, "body": body} for docid, body in rows])


def reindex_from_records(conn: Connection, docids: Iterable[int]) -> None:
    """Make the index hold, for each of `docids`, the text of the record its `search_doc` row names now,
    or nothing where that row is gone. For rows put back by undoing an import (storage.undo_journal):
    `search_doc` holds no text to follow, the records' restored rows do."""
    ids = sorted(set(docids))
    if conn.dialect.name != "sqlite" or not ids:
        return
    conn.execute(_UNINDEX_ROW, [{"docid": docid} for docid in ids])
    rows: list[tuple[int, str]] = []
    for start in range(0, len(ids), BATCH):
        by_type: dict[str, dict[str, int]] = {}
        for doc in conn.execute(
            select(search_doc.c.docid, search_doc.c.record_type, search_doc.c.record_id).where(
                search_doc.c.docid.in_(ids[start : start + BATCH])
            )
        ):
            by_type.setdefault(doc.record_type, {})[doc.record_id] = doc.docid
        for record_type, docid_of in by_type.items():
            t, fields = BUSINESS_TABLES[record_type], BY_KEY[record_type].text_fields
            found = conn.execute(select(t.c.id, *(t.c[f] for f in fields)).where(t.c.id.in_(list(docid_of))))
            rows.extend(
                (docid_of[row["id"]], document_text(SimpleNamespace(**row), fields))
                for row in found.mappings()
            )
    _index(conn, rows, replace=False)


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


def _field_holds(conn: Connection, field: Any, needle: ColumnElement[str]) -> ColumnElement[bool]:
    """One text field holds `needle` (already lower-cased as wanted), ignoring the case of ASCII letters.
    A list or mapping field holds it when one of its text leaves does, as in flatten_text: a term holds no
    white space, so it can never span two leaves or two fields of the document."""
    if not isinstance(field.type, JSON):
        return func.instr(func.lower(field), needle) > 0
    if conn.dialect.name != "sqlite":
        return func.instr(func.lower(cast(field, Text)), needle) > 0
    leaves = func.json_tree(field).table_valued("type", "value")
    return exists(
        select(literal(1))
        .select_from(leaves)
        .where(leaves.c.type.in_(_TEXT_LEAVES), func.instr(func.lower(leaves.c.value), needle) > 0)
    )


def _holds(conn: Connection, record_type: str, needle: ColumnElement[str]) -> ColumnElement[bool]:
    """The record's text fields hold `needle` (the plain columns are tried before the JSON ones)."""
    t = BUSINESS_TABLES[record_type]
    fields = sorted((t.c[f] for f in BY_KEY[record_type].text_fields), key=lambda c: isinstance(c.type, JSON))
    return or_(*(_field_holds(conn, f, needle) for f in fields))


def term_condition(conn: Connection, record_type: str, term: str) -> ColumnElement[bool]:
    if conn.dialect.name != "sqlite":
        return _holds(conn, record_type, literal(term.lower()))
    if len(term) >= MIN_TRIGRAM:
        expression = _quote_fts(term)  # a phrase of its trigrams, in order
    else:
        trigrams = _prefix_trigrams(conn, term)
        if trigrams is None:
            return _holds(conn, record_type, literal(term.lower()))
        if not trigrams:
            return false()
        expression = " OR ".join(_quote_fts(t) for t in trigrams)
    match = select(_FTS.c.rowid).where(_FTS.c.search_fts.op("MATCH")(expression))
    return search_doc.c.docid.in_(match)


def matching_ids(conn: Connection, record_type: str, query: str) -> Select[Any]:
    """SELECT the id of every record of `record_type` whose text holds all whitespace-separated terms.
    Short terms are resolved against the vocabulary on `conn` first, so run the result on `conn`."""
    t = BUSINESS_TABLES[record_type]
    conds = [term_condition(conn, record_type, term) for term in query.split() if term]
    found = select(search_doc.c.record_id).where(and_(search_doc.c.record_type == record_type, *conds))
    # The records' rows are read only where a short term is matched against their text.
    if any(t in find_tables(c, check_columns=True) for c in conds):
        found = found.join_from(search_doc, t, t.c.id == search_doc.c.record_id)
    return found
