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
                out[f"{name}:indexes"] = sorted((i.name, i.unique) for i in idx)
    return out
