"""The temporary triggers see every row a transaction inserts, updates or deletes, once, with its first
before-image, on tables with and without a declared key, and leave nothing behind."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import Engine

from xuncha_desktop.storage.change_capture import ChangeCapture, RowChange, table_shapes
from xuncha_desktop.storage.database import open_engine, write_transaction
from xuncha_desktop.storage.keyfile import new_dek


def _engine(tmp_path: Path) -> Engine:
    engine = open_engine(tmp_path / "变更.db", new_dek())
    with write_transaction(engine) as conn:
        conn.exec_driver_sql("CREATE TABLE 记录 (id TEXT PRIMARY KEY, body TEXT, data BLOB)")
        conn.exec_driver_sql("CREATE TABLE loose (v TEXT)")  # no declared key: rowid
        conn.exec_driver_sql("CREATE VIRTUAL TABLE fts USING fts5(body)")
        conn.exec_driver_sql(
            "INSERT INTO 记录 VALUES ('a', '甲', x'00'), ('b', '乙', NULL), ('c', '丙', NULL)"
        )
        conn.exec_driver_sql("INSERT INTO loose VALUES ('一'), ('二')")
    return engine


def test_shapes_leave_out_virtual_and_shadow_tables(tmp_path: Path) -> None:
    with _engine(tmp_path).connect() as conn:
        shapes = {s.name: s for s in table_shapes(conn)}
    assert set(shapes) == {"记录", "loose"}
    assert shapes["记录"].keys == ("id",) and shapes["loose"].keys == ("rowid",)


def test_every_kind_of_change_with_its_first_before_image(tmp_path: Path) -> None:
    engine = _engine(tmp_path)
    with write_transaction(engine) as conn:
        capture = ChangeCapture(conn)
        sql = conn.exec_driver_sql
        sql("UPDATE 记录 SET body = '甲一' WHERE id = 'a'")
        sql("UPDATE 记录 SET body = '甲二' WHERE id = 'a'")  # the before-image stays the first one
        sql("DELETE FROM 记录 WHERE id = 'b'")
        sql("DELETE FROM 记录 WHERE id = 'c'")
        sql("INSERT INTO 记录 VALUES ('c', '丙又', NULL)")  # deleted and inserted again: an update
        sql("INSERT INTO 记录 VALUES ('d', '丁', NULL)")
        sql("INSERT INTO 记录 VALUES ('e', '戊', NULL)")
        sql("DELETE FROM 记录 WHERE id = 'e'")  # inserted and removed again: no change at all
        sql("UPDATE loose SET v = '一改' WHERE v = '一'")
        changes = sorted(capture.changes(), key=lambda c: (c.table, str(c.key)))
        capture.stop()
        assert conn.exec_driver_sql("SELECT count(*) FROM temp.sqlite_master").scalar() == 0
    assert changes == [
        RowChange("loose", (1,), ("一",), ("一改",)),
        RowChange("记录", ("a",), ("a", "甲", b"\x00"), ("a", "甲二", b"\x00")),
        RowChange("记录", ("b",), ("b", "乙", None), None),
        RowChange("记录", ("c",), ("c", "丙", None), ("c", "丙又", None)),
        RowChange("记录", ("d",), None, ("d", "丁", None)),
    ]


def test_reading_the_changes_walks_the_changed_keys_not_the_tables(tmp_path: Path) -> None:
    """Cost follows the rows a transaction writes: every query that pairs a changed key with its row looks
    the row up by key; none scans a table of the file (a 100,000-row table cost half a second each)."""
    engine = _engine(tmp_path)
    with write_transaction(engine) as conn:
        conn.exec_driver_sql("ANALYZE")  # statistics for the file's tables, none for the temp ones
        capture = ChangeCapture(conn)
        conn.exec_driver_sql("INSERT INTO 记录 VALUES ('d', '丁', NULL)")
        conn.exec_driver_sql("UPDATE 记录 SET body = '甲一' WHERE id = 'a'")
        queries: list[str] = []
        raw = capture._raw
        capture._raw = lambda sql: queries.append(sql) or raw(sql)  # type: ignore[method-assign]
        capture.changes()
        plans = [
            [str(step[3]) for step in conn.exec_driver_sql(f"EXPLAIN QUERY PLAN {sql}")] for sql in queries
        ]
        capture.stop()
    keyed = [plan for sql, plan in zip(queries, plans, strict=True) if '"记录"' in sql]
    assert len(keyed) == 2
    for plan in keyed:
        assert plan[0].startswith("SCAN o"), plan  # the captured keys drive the loop
        assert plan[1].startswith("SEARCH m"), plan
