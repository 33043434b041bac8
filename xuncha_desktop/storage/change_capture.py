"""What one write transaction changes, row by row, for undoing it later (storage.undo_journal).

Temporary triggers (on this connection only, dropped again at the end) copy the before-image of every
row the transaction updates or deletes, the first time it does, and note the key of every row it
inserts. At the end, `changes()` pairs each with the row as the transaction leaves it. The triggers
cover every ordinary table of the file, so whatever storage writes (records, revisions, conflicts,
sync state, attachments, audit log, settings) is caught without each writer having to report it. The
full-text index is not a table of its own here: undoing `search_doc` indexes the restored records'
text again (storage.search_index.reindex_from_records). Cost grows with the rows the transaction
writes, never with the file.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection

_PREFIX = "xc_undo"


@dataclass(frozen=True)
class TableShape:
    """A table's columns in file order and the columns that identify a row."""

    name: str
    columns: tuple[str, ...]
    keys: tuple[str, ...]


@dataclass(frozen=True)
class RowChange:
    """One row: as it was before the transaction (None: it did not exist) and as it is after it."""

    table: str
    key: tuple[Any, ...]
    before: tuple[Any, ...] | None
    after: tuple[Any, ...] | None


def _q(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def table_shapes(conn: Connection) -> list[TableShape]:
    """Every ordinary table of the main file, without SQLite's own and the shadow tables of virtual
    tables (they follow their content tables)."""
    rows = conn.exec_driver_sql("SELECT name, sql FROM main.sqlite_master WHERE type = 'table'").all()
    virtual = [name for name, sql in rows if (sql or "").upper().startswith("CREATE VIRTUAL")]
    shapes = []
    for name, _sql in sorted(rows):
        if name.startswith("sqlite_") or name in virtual or any(name.startswith(f"{v}_") for v in virtual):
            continue
        info = conn.exec_driver_sql(f"PRAGMA main.table_info({_q(name)})").all()
        columns = tuple(str(r[1]) for r in info)
        keys = tuple(str(r[1]) for r in sorted((r for r in info if r[5]), key=lambda r: r[5]))
        shapes.append(TableShape(name, columns, keys or ("rowid",)))
    return shapes


def sequences(conn: Connection) -> dict[str, int]:
    """AUTOINCREMENT counters (sqlite_sequence), which no trigger can watch."""
    exists = conn.exec_driver_sql(
        "SELECT 1 FROM main.sqlite_master WHERE name = 'sqlite_sequence'"
    ).scalar_one_or_none()
    if not exists:
        return {}
    return {str(n): int(s) for n, s in conn.exec_driver_sql("SELECT name, seq FROM main.sqlite_sequence")}


def current_row(conn: Connection, shape: TableShape, key: tuple[Any, ...]) -> tuple[Any, ...] | None:
    """The row of `shape` under `key` as the file holds it now, in column order."""
    cols = ", ".join(_q(c) for c in shape.columns)
    where = " AND ".join(f"{_q(k)} IS ?" for k in shape.keys)
    row = conn.exec_driver_sql(f"SELECT {cols} FROM main.{_q(shape.name)} WHERE {where}", key).first()
    return tuple(row) if row is not None else None


class ChangeCapture:
    """Start it at the beginning of a transaction, read `changes()` before the commit, then `stop()`."""

    def __init__(self, conn: Connection) -> None:
        self.conn = conn
        self.shapes = table_shapes(conn)
        self.sequences = sequences(conn)
        self._made: list[str] = []
        try:
            for n, shape in enumerate(self.shapes):
                self._watch(n, shape)
        except BaseException:
            self.stop()
            raise

    def _watch(self, n: int, shape: TableShape) -> None:
        old, new = f"temp.{_PREFIX}_old_{n}", f"temp.{_PREFIX}_new_{n}"
        cols = ", ".join(_q(c) for c in shape.columns)
        keys = ", ".join(_q(k) for k in shape.keys)
        # The rowid of a table without a declared key is kept under the name "rowid" too.
        extra = "rowid, " if shape.keys == ("rowid",) else ""
        sql = self._raw
        # Untyped columns keep each value exactly as stored; the key makes "first image only" cheap.
        sql(f"CREATE TEMP TABLE {_PREFIX}_old_{n} ({extra}{cols}, PRIMARY KEY ({keys}))")
        sql(f"CREATE TEMP TABLE {_PREFIX}_new_{n} ({keys}, PRIMARY KEY ({keys}))")
        self._made += [f"{_PREFIX}_old_{n}", f"{_PREFIX}_new_{n}"]

        def match(table: str, side: str) -> str:
            return " AND ".join(f"{table}.{_q(k)} IS {side}.{_q(k)}" for k in shape.keys)

        old_values = ", ".join(f"OLD.{_q(c)}" for c in (*(("rowid",) if extra else ()), *shape.columns))
        new_keys = ", ".join(f"NEW.{_q(k)}" for k in shape.keys)
        first_image = (
            f"WHEN NOT EXISTS (SELECT 1 FROM {new} WHERE {match(new, 'OLD')}) "
            f"BEGIN INSERT OR IGNORE INTO {old} ({extra}{cols}) VALUES ({old_values}); END"
        )
        inserted = (
            f"WHEN NOT EXISTS (SELECT 1 FROM {old} WHERE {match(old, 'NEW')}) "
            f"BEGIN INSERT OR IGNORE INTO {new} ({keys}) VALUES ({new_keys}); END"
        )
        table = f"main.{_q(shape.name)}"
        rekeyed = " OR ".join(f"NEW.{_q(k)} IS NOT OLD.{_q(k)}" for k in shape.keys)
        triggers = {
            "u": f"BEFORE UPDATE ON {table} {first_image}",
            "d": f"BEFORE DELETE ON {table} {first_image}",
            "i": f"AFTER INSERT ON {table} {inserted}",
            "k": f"AFTER UPDATE ON {table} WHEN ({rekeyed}) AND NOT EXISTS "
            f"(SELECT 1 FROM {old} WHERE {match(old, 'NEW')}) "
            f"BEGIN INSERT OR IGNORE INTO {new} ({keys}) VALUES ({new_keys}); END",
        }
        for kind, body in triggers.items():
            name = f"{_PREFIX}_{kind}_{n}"
            sql(f"CREATE TEMP TRIGGER {name} {body}")

    def changes(self) -> list[RowChange]:
        """Every row the transaction changed, with its before- and after-image; rows it left as they
        were (or inserted and removed again) are left out. Two joins per table, whatever the row count."""
        out: list[RowChange] = []
        for n, shape in enumerate(self.shapes):
            width, count = len(shape.keys), len(shape.columns)
            keys = ", ".join(f"o.{_q(k)}" for k in shape.keys)
            old_cols = ", ".join(f"o.{_q(c)}" for c in shape.columns)
            main_cols = ", ".join(f"m.{_q(c)}" for c in shape.columns)
            on = " AND ".join(f"m.{_q(k)} IS o.{_q(k)}" for k in shape.keys)
            table = f"main.{_q(shape.name)}"
            # The key columns of the main row come last: NULL there means the row is gone.
            present = ", ".join(f"m.{_q(k)}" for k in shape.keys)
            for row in self._raw(
                f"SELECT {keys}, {old_cols}, {main_cols}, {present} FROM temp.{_PREFIX}_old_{n} AS o "
                f"LEFT JOIN {table} AS m ON {on}"
            ):
                before = tuple(row[width : width + count])
                gone = all(v is None for v in row[width + 2 * count :])
                after = None if gone else tuple(row[width + count : width + 2 * count])
                if before != after:
                    out.append(RowChange(shape.name, tuple(row[:width]), before, after))
            for row in self._raw(
                # CROSS JOIN keeps the short list of inserted keys as the outer loop: the planner, knowing
                # nothing of a temp table's size, would otherwise scan the whole business table.
                f"SELECT {keys}, {main_cols} FROM temp.{_PREFIX}_new_{n} AS o CROSS JOIN {table} AS m ON {on}"
            ):
                out.append(RowChange(shape.name, tuple(row[:width]), None, tuple(row[width:])))
        return out

    def _raw(self, sql: str) -> list[Any]:
        """Through the driver's own cursor: thousands of rows without SQLAlchemy's per-row work."""
        driver = self.conn.connection.driver_connection
        assert driver is not None
        return list(driver.execute(sql).fetchall())

    def stop(self) -> None:
        """Drop the triggers and their tables (dropping a table drops its triggers)."""
        for n in range(len(self.shapes)):
            for kind in "udik":
                self.conn.exec_driver_sql(f"DROP TRIGGER IF EXISTS temp.{_PREFIX}_{kind}_{n}")
        for name in self._made:
            self.conn.exec_driver_sql(f"DROP TABLE IF EXISTS temp.{name}")
        self._made = []
