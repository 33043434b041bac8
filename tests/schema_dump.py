"""A workspace's schema as plain data, to compare an upgraded file with a fresh one."""

from __future__ import annotations

from pathlib import Path

import sqlcipher3.dbapi2 as sqlcipher
from sqlalchemy import Engine, create_engine, text


def unkeyed_engine(path: Path) -> Engine:
    """An unencrypted database on the SQLite the workspaces run on (sqlcipher3's, which has FTS5's
    contentless_delete; the stdlib's may be older)."""
    return create_engine(f"sqlite:///{path}", module=sqlcipher)


def schema_of(engine: Engine) -> dict[str, object]:
    """Tables with their columns (name, type, notnull, pk), indexes, and the SQLite-only objects."""
    with engine.connect() as conn:
        objects = conn.execute(
            text(
                "SELECT type, name FROM sqlite_master "
                "WHERE name NOT LIKE 'sqlite_%' AND name != 'alembic_version' ORDER BY type, name"
            )
        ).all()
        out: dict[str, object] = {"objects": [tuple(o) for o in objects]}
        for kind, name in objects:
            if kind == "table" and not name.startswith("search_fts"):
                cols = conn.execute(text(f'PRAGMA table_info("{name}")')).all()
                out[name] = [(c.name, c.type.upper(), c.notnull, c.pk) for c in cols]
                idx = conn.execute(text(f'PRAGMA index_list("{name}")')).all()
                out[f"{name}:indexes"] = sorted((i.name, i.unique, _index_columns(conn, i.name)) for i in idx)
            if kind == "trigger":  # what a trigger watches and does (the bodies-in-rows guards)
                sql = conn.execute(
                    text("SELECT sql FROM sqlite_master WHERE name = :n"), {"n": name}
                ).scalar()
                out[f"trigger:{name}"] = " ".join(str(sql).split())
    return out


def _index_columns(conn: object, index: str) -> tuple[str, ...]:
    rows = conn.execute(text(f'PRAGMA index_info("{index}")')).all()  # type: ignore[attr-defined]
    return tuple(str(r.name) for r in sorted(rows, key=lambda r: r.seqno))
