"""Schema versions: the frozen migrations build today's schema, older files are backed up and upgraded,
newer ones are refused."""

from __future__ import annotations

import dataclasses
import shutil
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select, text
from sqlalchemy.exc import OperationalError

from tests.builders import PASSPHRASE, interview, make_context
from tests.schema_dump import schema_of, unkeyed_engine
from xuncha_desktop.domain.errors import NewerSchemaError
from xuncha_desktop.domain.record_types import INTERVIEW
from xuncha_desktop.services.records.record_service import ListQuery, RecordService
from xuncha_desktop.services.workspace import Workspace
from xuncha_desktop.storage import migrations
from xuncha_desktop.storage.compressed_text import unpack
from xuncha_desktop.storage.database import open_engine
from xuncha_desktop.storage.keyfile import keyfile_path, read_keyfile
from xuncha_desktop.storage.tables import BUSINESS_TABLES, metadata


def test_every_migration_from_empty_equals_freshschema_of(tmp_path: Path) -> None:
    fresh = unkeyed_engine(tmp_path / "fresh.db")
    metadata.create_all(fresh)
    upgraded = unkeyed_engine(tmp_path / "upgraded.db")
    with upgraded.connect() as conn:
        from alembic import command

        command.upgrade(migrations.alembic_config(conn), "head")
        conn.commit()
    assert schema_of(upgraded) == schema_of(fresh)


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


def upgraded_ids(ws: Workspace) -> list[str]:
    """Every record's id in the workspace's revision log (each has one head here)."""
    with ws.engine.connect() as conn:
        return list(conn.exec_driver_sql("SELECT DISTINCT record_id FROM sync_revision").scalars())


def _sql_of(conn: Any, name: str) -> str:
    return str(conn.exec_driver_sql("SELECT sql FROM sqlite_master WHERE name = ?", (name,)).scalar())


def test_version_8_compresses_revision_bodies_and_keeps_what_searches_find(
    workspace: Workspace, workspace_path: Path
) -> None:
    from alembic import command

    from xuncha_desktop.services.security.integrity import check_workspace

    ctx = make_context(workspace)
    service = RecordService(workspace, INTERVIEW)
    talk = "问：公务接待有没有超标准？\n答：有，去年审计又查出一样的问题。\n" * 12
    found = service.save(interview(ctx, content=talk))
    apart = service.save(interview(ctx, content="公务接站，务接待处。" * 12, problems=["食堂账目不清"]))
    found = service.save(dataclasses.replace(service.get(found.id), location="第二会议室"))  # a stored body
    workspace.close()
    key = read_keyfile(keyfile_path(workspace_path)).unlock(PASSPHRASE)
    engine = open_engine(workspace_path, key)
    with engine.connect() as conn, conn.begin():  # the file as version 7 wrote it
        command.downgrade(migrations.alembic_config(conn), "0007")
        conn.exec_driver_sql("PRAGMA user_version = 7")
    with engine.connect() as conn:
        kinds = set(conn.exec_driver_sql("SELECT typeof(body) FROM sync_revision").scalars())
        fts = _sql_of(conn, "search_fts")
        texts = set(conn.exec_driver_sql("SELECT body FROM search_doc").scalars())
        head = _sql_of(conn, "sync_head")
    engine.dispose()
    assert kinds == {"text"} and "content='search_doc'" in fts
    assert any("公务接待" in t for t in texts) and any("食堂账目不清" in t for t in texts)
    assert "WITHOUT ROWID" not in head

    with Workspace.open(workspace_path, PASSPHRASE) as upgraded:
        assert migrations.stored_version(upgraded.engine) == migrations.SCHEMA_VERSION
        with upgraded.engine.connect() as conn:
            kinds = set(
                conn.exec_driver_sql(
                    "SELECT typeof(body) FROM sync_revision WHERE record_id IN (?, ?) AND NOT body_in_row",
                    (found.id, apart.id),
                ).scalars()
            )
            fts = _sql_of(conn, "search_fts")
            doc_columns = {r[1] for r in conn.exec_driver_sql("PRAGMA table_info(search_doc)")}
            head = _sql_of(conn, "sync_head")
            heads = conn.exec_driver_sql("SELECT count(*) FROM sync_head").scalar()
        assert kinds == {"blob"} and "content=''" in fts and "detail=" not in fts  # positions kept
        assert "body" not in doc_columns  # the index keeps no copy of the text
        assert "WITHOUT ROWID" in head and heads == len(upgraded_ids(upgraded))
        service = RecordService(upgraded, INTERVIEW)
        assert [r.id for r in service.list(ListQuery(search="公务接待"))] == [found.id]
        assert {r.id for r in service.list(ListQuery(search="务接待"))} == {found.id, apart.id}
        assert [r.id for r in service.list(ListQuery(search="账目不清"))] == [apart.id]  # a list field
        assert [r.id for r in service.list(ListQuery(search="食堂"))] == [apart.id]
        assert [r.id for r in service.list(ListQuery(search="公务接待 超标准？"))] == [found.id]
        edited = service.save(dataclasses.replace(service.get(apart.id), problems=["车辆管理混乱"]))
        assert service.list(ListQuery(search="食堂账目")) == []
        assert [r.id for r in service.list(ListQuery(search="车辆管理"))] == [edited.id]
        assert service.get(found.id).content == talk
        assert len(service.history(found.id)) == 2
        assert check_workspace(upgraded) == []


def _guards(conn: Any) -> dict[str, str]:
    rows = conn.exec_driver_sql(
        "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND name LIKE '%body_in_row%'"
    )
    return {str(name): str(sql) for name, sql in rows}


def test_version_10_keeps_the_head_bodies_the_rows_reproduce_and_the_downgrade_writes_them_back(
    workspace: Workspace, workspace_path: Path, tmp_path: Path
) -> None:
    from alembic import command

    from xuncha_desktop.services.security.integrity import check_workspace
    from xuncha_desktop.storage import revision_body

    ctx = make_context(workspace)
    service = RecordService(workspace, INTERVIEW)
    talk = service.save(interview(ctx, content="第一版谈话"))
    service.save(dataclasses.replace(service.get(talk.id), content="第二版谈话"))
    other = service.save(interview(ctx, content="另一份谈话"))
    with workspace.engine.connect() as conn:
        bodies_10 = revision_body.bodies_of(conn, upgraded_rev_ids(conn))
    workspace.close()
    key = read_keyfile(keyfile_path(workspace_path)).unlock(PASSPHRASE)
    engine = open_engine(workspace_path, key)
    with engine.connect() as conn, conn.begin():  # the file as version 9 wrote it
        command.downgrade(migrations.alembic_config(conn), "0009")
        conn.exec_driver_sql("PRAGMA user_version = 9")
    with engine.connect() as conn:
        columns = {r[1] for r in conn.exec_driver_sql("PRAGMA table_info(sync_revision)")}
        stored = dict(conn.exec_driver_sql("SELECT rev_id, body FROM sync_revision").all())
        guards = _guards(conn)
    engine.dispose()
    assert "body_in_row" not in columns and guards == {}
    assert {k: unpack(v) for k, v in stored.items()} == bodies_10  # every body written back, the same

    with Workspace.open(workspace_path, PASSPHRASE) as upgraded:
        assert migrations.stored_version(upgraded.engine) == migrations.SCHEMA_VERSION
        with upgraded.engine.connect() as conn:
            kept = dict(conn.exec_driver_sql("SELECT rev_id, body_in_row FROM sync_revision").all())
            assert revision_body.bodies_of(conn, list(kept)) == bodies_10
            guards = _guards(conn)
        heads = every_head(upgraded)
        assert {rev for rev, in_row in kept.items() if in_row} == heads  # only the heads, all of them
        assert len(kept) == len(heads) + 1  # the interview's first version stays stored
        service = RecordService(upgraded, INTERVIEW)
        assert [r.body["content"] for r in service.history(talk.id)] == ["第一版谈话", "第二版谈话"]
        assert service.get(other.id).content == "另一份谈话"
        assert check_workspace(upgraded) == []
    fresh = unkeyed_engine(tmp_path / "fresh.db")
    metadata.create_all(fresh)
    with fresh.connect() as conn:
        assert guards == _guards(conn) and len(guards) == 2 * len(BUSINESS_TABLES)


def upgraded_rev_ids(conn: Any) -> list[str]:
    return list(conn.exec_driver_sql("SELECT rev_id FROM sync_revision").scalars())


def every_head(ws: Workspace) -> set[str]:
    with ws.engine.connect() as conn:
        return {h for t in BUSINESS_TABLES.values() for h in conn.execute(select(t.c.head_rev)).scalars()}
