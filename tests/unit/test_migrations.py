"""Schema versions: the frozen migrations build today's schema, older files are backed up and upgraded,
newer ones are refused."""

from __future__ import annotations

import importlib.util
import shutil
from pathlib import Path

import pytest
from sqlalchemy import Connection, Engine, create_engine, text
from sqlalchemy.exc import OperationalError

from tests.builders import PASSPHRASE, interview, make_context
from xuncha_desktop.domain.errors import NewerSchemaError
from xuncha_desktop.domain.record_types import INTERVIEW
from xuncha_desktop.services.records import ListQuery, RecordService
from xuncha_desktop.services.workspace import Workspace
from xuncha_desktop.storage import migrations
from xuncha_desktop.storage.database import open_engine
from xuncha_desktop.storage.keyfile import keyfile_path, read_keyfile
from xuncha_desktop.storage.tables import metadata


def _schema(engine: Engine) -> dict[str, object]:
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


def test_every_migration_from_empty_equals_fresh_schema(tmp_path: Path) -> None:
    fresh = create_engine(f"sqlite:///{tmp_path / 'fresh.db'}")
    metadata.create_all(fresh)
    upgraded = create_engine(f"sqlite:///{tmp_path / 'upgraded.db'}")
    with upgraded.connect() as conn:
        from alembic import command

        command.upgrade(migrations.alembic_config(conn), "head")
        conn.commit()
    assert _schema(upgraded) == _schema(fresh)


def test_new_workspace_is_stamped_with_current_version(workspace: Workspace) -> None:
    assert migrations.stored_version(workspace.engine) == migrations.SCHEMA_VERSION
    assert workspace.migration_backup is None


def _set_user_version(path: Path, version: int) -> None:
    key = read_keyfile(keyfile_path(path)).unlock(PASSPHRASE)
    engine = open_engine(path, key)
    with engine.connect() as conn:
        conn.exec_driver_sql(f"PRAGMA user_version = {version}")
        conn.commit()
    engine.dispose()


def test_newer_schema_is_refused_and_file_untouched(workspace: Workspace, workspace_path: Path) -> None:
    workspace.close()
    _set_user_version(workspace_path, migrations.SCHEMA_VERSION + 5)
    before = workspace_path.read_bytes()
    with pytest.raises(NewerSchemaError, match="更新版本"):
        Workspace.open(workspace_path, PASSPHRASE)
    assert workspace_path.read_bytes() == before


FAKE_STEP = """
from alembic import op
import sqlalchemy as sa

revision = "9999"
down_revision = "{head}"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("interview_records") as batch:
        batch.add_column(sa.Column("weather", sa.Text(), nullable=True))


def downgrade() -> None:
    raise NotImplementedError
"""


def test_older_workspace_is_backed_up_then_upgraded(
    workspace: Workspace, workspace_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    ctx = make_context(workspace)
    RecordService(workspace, INTERVIEW).save(interview(ctx))
    workspace.close()
    scripts = tmp_path / "migrations"
    shutil.copytree(migrations.MIGRATIONS_DIR, scripts)
    head = migrations.revision_chain()[-1]
    (scripts / "versions" / "9999_weather.py").write_text(FAKE_STEP.format(head=head), encoding="utf-8")
    monkeypatch.setattr(migrations, "MIGRATIONS_DIR", scripts)
    monkeypatch.setattr(migrations, "SCHEMA_VERSION", migrations.SCHEMA_VERSION + 1)

    with Workspace.open(workspace_path, PASSPHRASE) as upgraded:
        assert migrations.stored_version(upgraded.engine) == migrations.SCHEMA_VERSION
        with upgraded.engine.connect() as conn:
            cols = {c.name for c in conn.execute(text('PRAGMA table_info("interview_records")'))}
        assert "weather" in cols
        backup = upgraded.migration_backup
    assert backup is not None and backup.is_file() and keyfile_path(backup).is_file()
    monkeypatch.setattr(migrations, "SCHEMA_VERSION", migrations.SCHEMA_VERSION - 1)
    monkeypatch.setattr(
        migrations, "MIGRATIONS_DIR", migrations.Path(migrations.__file__).with_name("migrations")
    )
    with Workspace.open(backup, PASSPHRASE) as old:
        assert RecordService(old, INTERVIEW).count() == 1


def test_failing_step_rolls_back(
    workspace: Workspace, workspace_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    workspace.close()
    scripts = tmp_path / "migrations"
    shutil.copytree(migrations.MIGRATIONS_DIR, scripts)
    head = migrations.revision_chain()[-1]
    broken = FAKE_STEP.format(head=head).replace(
        '        batch.add_column(sa.Column("weather", sa.Text(), nullable=True))',
        '        batch.add_column(sa.Column("weather", sa.Text(), nullable=True))\n'
        '    op.execute("SELECT no_such_function()")',
    )
    (scripts / "versions" / "9999_broken.py").write_text(broken, encoding="utf-8")
    monkeypatch.setattr(migrations, "MIGRATIONS_DIR", scripts)
    monkeypatch.setattr(migrations, "SCHEMA_VERSION", migrations.SCHEMA_VERSION + 1)
    with pytest.raises(OperationalError, match="no_such_function"):
        Workspace.open(workspace_path, PASSPHRASE)
    monkeypatch.undo()
    with Workspace.open(workspace_path, PASSPHRASE) as ws, ws.engine.connect() as conn:
        cols = {c.name for c in conn.execute(text('PRAGMA table_info("interview_records")'))}
        assert "weather" not in cols


def test_schema_version_counts_the_alembic_revisions() -> None:
    # Opening compares with the constant and loads Alembic only to upgrade.
    assert len(migrations.revision_chain()) == migrations.SCHEMA_VERSION


def _undo_version_3(conn: Connection) -> None:
    """What 0003 adds: the acknowledgement's incarnation, retired revisions and identity changes."""
    conn.exec_driver_sql("DROP TABLE sync_retired_revision")
    conn.exec_driver_sql("DROP TABLE sync_identity_change")
    conn.exec_driver_sql("ALTER TABLE sync_peer_ack DROP COLUMN peer_incarnation")


def _back_to_first_schema(path: Path) -> None:
    """Turn a current workspace into what version 1 left behind (the data and indexes 0002 changes)."""
    script = migrations.MIGRATIONS_DIR / "versions" / "0002_list_indexes_short_search.py"
    spec = importlib.util.spec_from_file_location("version_2", script)
    assert spec is not None and spec.loader is not None
    version_2 = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(version_2)
    engine = open_engine(path, read_keyfile(keyfile_path(path)).unlock(PASSPHRASE))
    with engine.connect() as conn:
        for name, _table, _columns in version_2.CREATED:
            conn.exec_driver_sql(f"DROP INDEX {name}")
        for name in version_2.DROPPED:
            table = name.removeprefix("ix_").removesuffix("_deleted")
            conn.exec_driver_sql(f"CREATE INDEX {name} ON {table} (deleted)")
        conn.exec_driver_sql("DROP TABLE search_vocab")
        _undo_version_3(conn)
        conn.exec_driver_sql("UPDATE search_doc SET body = substr(body, 1, length(body) - 2)")
        conn.exec_driver_sql("UPDATE alembic_version SET version_num = '0001'")
        conn.exec_driver_sql("PRAGMA user_version = 1")
        conn.commit()
    engine.dispose()


def test_version_1_workspace_gets_list_indexes_and_short_term_search(
    workspace: Workspace, workspace_path: Path, tmp_path: Path
) -> None:
    ctx = make_context(workspace)
    # A two-character term at the very end of the document (the last indexed field).
    record = RecordService(workspace, INTERVIEW).save(interview(ctx, team_evaluation="建议移交纪委"))
    workspace.close()
    _back_to_first_schema(workspace_path)

    with Workspace.open(workspace_path, PASSPHRASE) as upgraded:
        assert upgraded.migration_backup is not None
        assert migrations.stored_version(upgraded.engine) == migrations.SCHEMA_VERSION
        found = RecordService(upgraded, INTERVIEW).list(ListQuery(search="纪委"))
        assert [r.id for r in found] == [record.id]
        upgraded_schema = _schema(upgraded.engine)
    fresh = Workspace.create(tmp_path / "fresh.xcdb", PASSPHRASE)
    with fresh:
        assert _schema(fresh.engine) == upgraded_schema
