""" "The body is the row": a revision whose body is exactly what its record's business row reproduces is
stored without it (`sync_revision.body_in_row`), since the row already holds the same data.

One reader and one writer keep that safe:
- `fill_bodies` / `bodies_of` give every caller the stored body or the one rebuilt from the row, and a
  rebuilt body must hash to the revision's `body_sha256` (else DamagedWorkspace, never wrong data).
- `spill` writes the body back into the revision before the row's body columns change or the row goes;
  `elide` drops it again once a row has been written from its head revision, only when the body rebuilt
  from the row as stored has the revision's sha256.
- On SQLite a BEFORE UPDATE/DELETE trigger per business table refuses to change a row while its head
  revision is still in the row, so a forgotten spill fails loudly instead of losing history.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from sqlalchemy import DDL, Connection, Table, and_, bindparam, event, select, update

from xuncha_desktop.domain.codec import canonical_json, sha256_hex, to_body
from xuncha_desktop.domain.errors import DamagedWorkspace
from xuncha_desktop.domain.record_types import BY_KEY, RecordType
from xuncha_desktop.storage.tables import BUSINESS_TABLES, META_COLUMNS, sync_revision

CHUNK = 500
# What the safety trigger says when a row would change under a revision that still lives in it.
REFUSED = "修订内容仍保存在业务记录中，须先写回修订再改动记录（body_in_row）"


class RevisionBodyMismatch(DamagedWorkspace):
    """A revision kept in its record's row that the row no longer reproduces."""


def row_body(rt: RecordType, row: Any) -> dict[str, Any]:
    """The body of a materialised business row (what the user currently sees)."""
    values = {c: getattr(row, c) for c in row._fields if c not in META_COLUMNS}
    return to_body(rt.cls(id=row.id, number=row.number, **values))


def _chunks(items: Sequence[str]) -> Iterable[list[str]]:
    for start in range(0, len(items), CHUNK):
        yield list(items[start : start + CHUNK])


def _rows(conn: Connection, table: Table, ids: Sequence[str]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for chunk in _chunks(list(dict.fromkeys(ids))):
        out.update((r.id, r) for r in conn.execute(select(table).where(table.c.id.in_(chunk))))
    return out


def row_texts(conn: Connection, rtype: str, record_ids: Sequence[str]) -> dict[str, tuple[str, Any]]:
    """{record: (canonical body text rebuilt from its row, the row)} for the records that have a row."""
    rt = BY_KEY[rtype]
    rows = _rows(conn, BUSINESS_TABLES[rt.key], record_ids)
    return {rid: (canonical_json(row_body(rt, row)), row) for rid, row in rows.items()}


def _describe(rtype: str, record_id: str, rev_id: str) -> str:
    label = BY_KEY[rtype].label if rtype in BY_KEY else rtype
    return f"{label}（{record_id}）的修订 {rev_id[:12]}"


def rebuild(
    conn: Connection, wanted: Iterable[tuple[str, str, str, str]], rows: dict[str, Any] | None = None
) -> tuple[dict[str, str], list[str]]:
    """Bodies of in-row revisions, given as (rev_id, record_type, record_id, body_sha256), rebuilt from
    their rows (read here, or full rows already read, by record id), batched by type. Returns
    ({rev_id: body}, [rev_ids the rows no longer reproduce])."""
    by_type: dict[str, list[tuple[str, str, str]]] = defaultdict(list)
    for rev_id, rtype, record_id, sha in wanted:
        by_type[rtype].append((rev_id, record_id, sha))
    bodies: dict[str, str] = {}
    bad: list[str] = []
    for rtype, revs in by_type.items():
        if rtype not in BY_KEY:
            texts = {}
        elif rows is not None:
            rt = BY_KEY[rtype]
            texts = {r[1]: (canonical_json(row_body(rt, rows[r[1]])), None) for r in revs if r[1] in rows}
        else:
            texts = row_texts(conn, rtype, [r[1] for r in revs])
        for rev_id, record_id, sha in revs:
            text = texts.get(record_id, ("", None))[0]
            if text and sha256_hex(text) == sha:
                bodies[rev_id] = text
            else:
                bad.append(rev_id)
    return bodies, bad


def mismatch(rtype: str, record_id: str, rev_id: str) -> RevisionBodyMismatch:
    return RevisionBodyMismatch(
        f"{_describe(rtype, record_id, rev_id)}保存在记录中，但记录现在的内容与该修订的校验值不符，"
        "无法还原这一版本（工作库可能已损坏，请从备份恢复）"
    )


def rebuild_strict(
    conn: Connection, wanted: list[tuple[str, str, str, str]], rows: dict[str, Any] | None = None
) -> dict[str, str]:
    bodies, bad = rebuild(conn, wanted, rows)
    if bad:
        first = next(w for w in wanted if w[0] == bad[0])
        raise mismatch(first[1], first[2], first[0])
    return bodies


class FilledRevision:
    """A stored revision row with its body in place (attribute access and `_asdict()` like a Row)."""

    __slots__ = ("_values",)

    def __init__(self, values: dict[str, Any]) -> None:
        self._values = values

    def __getattr__(self, name: str) -> Any:
        try:
            return self._values[name]
        except KeyError:
            raise AttributeError(name) from None

    def _asdict(self) -> dict[str, Any]:
        return dict(self._values)


def fill_bodies(conn: Connection, rows: Iterable[Any]) -> list[Any]:
    """Stored revision rows (rev_id, record_type, record_id, body, body_sha256, body_in_row among their
    columns) with every in-row body rebuilt and verified; others are returned as they are."""
    rows = list(rows)
    wanted = [(r.rev_id, r.record_type, r.record_id, r.body_sha256) for r in rows if r.body_in_row]
    if not wanted:
        return rows
    bodies = rebuild_strict(conn, wanted)
    return [
        FilledRevision({**r._asdict(), "body": bodies[r.rev_id], "body_in_row": False})
        if r.body_in_row
        else r
        for r in rows
    ]


def bodies_of(conn: Connection, rev_ids: Sequence[str]) -> dict[str, str | None]:
    """{rev_id: body} of stored revisions (None: purged), in-row ones rebuilt and verified."""
    c = sync_revision.c
    rows: list[Any] = []
    for chunk in _chunks(list(dict.fromkeys(rev_ids))):
        stmt = select(c.rev_id, c.record_type, c.record_id, c.body, c.body_sha256, c.body_in_row)
        rows.extend(conn.execute(stmt.where(c.rev_id.in_(chunk))))
    return {r.rev_id: r.body for r in fill_bodies(conn, rows)}


def spill(conn: Connection, rtype: str, record_ids: Sequence[str], rows: dict[str, Any] | None = None) -> int:
    """Write the in-row revision bodies of these records back into their revisions (before their rows
    change or go); `rows`: their full rows by id when the caller has read them already. Returns how many
    were written back."""
    c = sync_revision.c
    wanted: list[tuple[str, str, str, str]] = []
    for chunk in _chunks(list(dict.fromkeys(record_ids))):
        stmt = select(c.rev_id, c.record_type, c.record_id, c.body_sha256).where(
            c.record_type == rtype, c.record_id.in_(chunk), c.body_in_row.is_(True)
        )
        wanted.extend((r.rev_id, r.record_type, r.record_id, r.body_sha256) for r in conn.execute(stmt))
    if not wanted:
        return 0
    bodies = rebuild_strict(conn, wanted, rows)
    conn.execute(
        update(sync_revision)
        .where(c.rev_id == bindparam("b_rev"))
        .values(body=bindparam("b_body"), body_in_row=False),
        [{"b_rev": rev_id, "b_body": body} for rev_id, body in bodies.items()],
    )
    return len(bodies)


def elide(conn: Connection, rtype: str, record_ids: Sequence[str]) -> int:
    """Drop the stored body of each record's head revision where the row, as written, reproduces it
    exactly (same canonical text, so the same sha256); keep it whenever in doubt. Returns how many."""
    texts = row_texts(conn, rtype, record_ids)
    heads = {row.head_rev: text for text, row in texts.values()}
    c = sync_revision.c
    dropped: list[dict[str, str]] = []
    for chunk in _chunks(list(heads)):
        # Purged bodies (NULL) stay purged; the sha256 over the canonical text is the revision's own.
        stmt = select(c.rev_id, c.body_sha256).where(
            and_(c.rev_id.in_(chunk), c.body_in_row.is_(False), c.body.is_not(None))
        )
        for r in conn.execute(stmt):
            if sha256_hex(heads[r.rev_id]) == r.body_sha256:
                dropped.append({"b_rev": r.rev_id})
    if dropped:
        conn.execute(
            update(sync_revision).where(c.rev_id == bindparam("b_rev")).values(body=None, body_in_row=True),
            dropped,
        )
    return len(dropped)


def _every_record(conn: Connection, step: Callable[[Connection, str, Sequence[str]], int]) -> int:
    """`step` over every record of every business table, a batch at a time; the sum of what it returns."""
    total = 0
    for rtype, table in BUSINESS_TABLES.items():
        ids = [r[0] for r in conn.execute(select(table.c.id))]
        for chunk in _chunks(ids):
            total += step(conn, rtype, chunk)
    return total


def elide_all(conn: Connection) -> int:
    """Every record's head revision that its row reproduces, kept in the row (a migration's data step)."""
    return _every_record(conn, elide)


def spill_all(conn: Connection) -> int:
    """Every in-row revision body written back (a downgrade)."""
    return _every_record(conn, spill)


def guard_ddl(table: str, body_columns: Sequence[str]) -> tuple[str, str]:
    """The SQLite triggers that refuse to change or remove a row of `table` while its head revision is
    kept in it. A rewrite that leaves the body columns and head as they were passes."""
    held = "EXISTS (SELECT 1 FROM sync_revision WHERE rev_id = OLD.head_rev AND body_in_row)"
    changed = " OR ".join(f'OLD."{c}" IS NOT NEW."{c}"' for c in ("head_rev", "number", *body_columns))
    abort = f"BEGIN SELECT RAISE(ABORT, '{REFUSED}'); END"
    return (
        f'CREATE TRIGGER "{table}_body_in_row_u" BEFORE UPDATE ON "{table}" '
        f"WHEN ({changed}) AND {held} {abort}",
        f'CREATE TRIGGER "{table}_body_in_row_d" BEFORE DELETE ON "{table}" WHEN {held} {abort}',
    )


def _body_columns(table: Table) -> list[str]:
    return [c.name for c in table.columns if c.name not in META_COLUMNS]


def attach_guard(table: Table) -> None:
    """Create the guard triggers with `table` on SQLite (create_all). A migration that adds a business
    table, or a column to one, writes the same triggers as frozen DDL (the schema test compares them)."""
    for statement in guard_ddl(table.name, _body_columns(table)):
        event.listen(table, "after_create", DDL(statement).execute_if(dialect="sqlite"))


for _table in BUSINESS_TABLES.values():
    attach_guard(_table)
