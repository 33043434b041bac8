"""The journal file: encrypted, written whole or not at all, and applied only to rows still as the
transaction left them."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import Engine

from xuncha_desktop.storage import undo_journal
from xuncha_desktop.storage.change_capture import ChangeCapture
from xuncha_desktop.storage.database import open_engine, write_transaction
from xuncha_desktop.storage.keyfile import new_dek

KEY = new_dek()


def _engine(tmp_path: Path) -> Engine:
    engine = open_engine(tmp_path / "库.db", KEY)
    with write_transaction(engine) as conn:
        conn.exec_driver_sql("CREATE TABLE t (id TEXT PRIMARY KEY, body TEXT UNIQUE, data BLOB)")
        conn.exec_driver_sql("INSERT INTO t VALUES ('a', '甲', x'01'), ('b', '乙', NULL)")
    return engine


def _rows(engine: Engine) -> list[tuple[object, ...]]:
    with engine.connect() as conn:
        return [tuple(r) for r in conn.exec_driver_sql("SELECT * FROM t ORDER BY id")]


def _journaled_change(engine: Engine, target: Path) -> Path:
    with write_transaction(engine) as conn:
        capture = ChangeCapture(conn)
        conn.exec_driver_sql("UPDATE t SET body = '乙二', data = x'02' WHERE id = 'b'")
        conn.exec_driver_sql("DELETE FROM t WHERE id = 'a'")
        conn.exec_driver_sql("INSERT INTO t VALUES ('c', '甲', NULL)")  # takes the unique value of 'a'
        path = undo_journal.write(target, KEY, {"marker": "m"}, capture.shapes, capture.changes())
        capture.stop()
    return path


def test_undo_restores_the_rows_and_is_encrypted(tmp_path: Path) -> None:
    engine = _engine(tmp_path)
    before = _rows(engine)
    path = _journaled_change(engine, tmp_path / "备份" / f"库.导入撤销-1{undo_journal.SUFFIX}")
    assert "甲".encode() not in path.read_bytes() and not path.with_name(path.name + ".part").exists()
    info = undo_journal.read_info(path, KEY)
    assert info is not None and info.marker == "m"
    assert undo_journal.read_info(path, new_dek()) is None  # another key opens nothing
    with write_transaction(engine) as conn:
        assert undo_journal.undo(conn, path, KEY) == {"t": 3}
    assert _rows(engine) == before


def test_a_row_changed_later_refuses_the_whole_undo(tmp_path: Path) -> None:
    engine = _engine(tmp_path)
    path = _journaled_change(engine, tmp_path / f"j{undo_journal.SUFFIX}")
    with write_transaction(engine) as conn:
        conn.exec_driver_sql("UPDATE t SET body = '后来' WHERE id = 'c'")
    later = _rows(engine)
    with pytest.raises(undo_journal.UndoRefused), write_transaction(engine) as conn:
        undo_journal.undo(conn, path, KEY)
    assert _rows(engine) == later
