"""Versioned schema through Alembic: a new file is built with create_all and stamped; an older one is backed
up (into a keyed, verified copy) and upgraded step by step with frozen DDL; a newer one is refused.

`PRAGMA user_version` mirrors the number of applied revisions so a newer file is recognised without
Alembic knowing its revision ids.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Connection, Engine, text

from xuncha_desktop.domain.errors import DamagedWorkspace, NewerSchemaError
from xuncha_desktop.storage import revision_body  # noqa: F401  (registers the SQLite guard triggers)
from xuncha_desktop.storage.tables import metadata

if TYPE_CHECKING:
    from alembic.config import Config

MIGRATIONS_DIR = Path(__file__).with_name("migrations")
# The number of revisions in migrations/versions (a test checks it against Alembic's chain). A constant,
# so opening an up-to-date workspace never loads Alembic.
SCHEMA_VERSION = 10
# Workspaces below this version were written before the audit chain's end was recorded (revisions.audit_head).
AUDIT_END_RECORDED_SINCE = 3
# Version 8 made revision bodies and the search index smaller, version 10 keeps the head bodies that the
# rows reproduce only in the rows; the file shrinks once VACUUM rewrites it.
COMPACTED_SINCE = 10
# Since version 10 a head revision's body may be kept in its record's row (storage.revision_body). The
# upgrade's data step uses today's record types, so it runs after every frozen step.
BODIES_IN_ROWS_SINCE = 10


def alembic_config(conn: Connection | None = None) -> Config:
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    cfg.attributes["connection"] = conn
    return cfg


def revision_chain() -> list[str]:
    """Revision ids from the first to the head."""
    from alembic.script import ScriptDirectory

    script = ScriptDirectory.from_config(alembic_config())
    return [r.revision for r in reversed(list(script.walk_revisions()))]


def user_version(conn: Connection) -> int:
    return int(conn.execute(text("PRAGMA user_version")).scalar_one())


def stored_version(engine: Engine) -> int:
    with engine.connect() as conn:
        return user_version(conn)


def create_schema(engine: Engine) -> None:
    """A brand-new workspace gets today's schema directly, stamped as the head revision."""
    from alembic import command

    with engine.connect() as conn, conn.begin():
        metadata.create_all(conn)
        command.stamp(alembic_config(conn), "head")
        conn.exec_driver_sql(f"PRAGMA user_version = {SCHEMA_VERSION}")


def upgrade(engine: Engine, backup: Callable[[int], Path] | None) -> Path | None:
    """Bring an existing workspace to SCHEMA_VERSION; returns the backup taken first, if any."""
    current = stored_version(engine)
    if current > SCHEMA_VERSION:
        raise NewerSchemaError(
            f"该工作库由更新版本的软件创建（数据结构版本 {current}，本软件支持到 {SCHEMA_VERSION}），"
            "请升级软件后再打开"
        )
    if current == SCHEMA_VERSION:
        return None
    from alembic import command
    from alembic.runtime.migration import MigrationContext

    with engine.connect() as conn:
        known = MigrationContext.configure(conn).get_current_revision()
    if known is not None and known not in revision_chain():
        raise NewerSchemaError(f"该工作库的数据结构版本“{known}”不为本软件所知，请升级软件后再打开")
    if current == 0 and known is None:
        raise DamagedWorkspace("工作库中没有数据结构版本信息，无法打开")
    taken = backup(current) if backup is not None else None
    chain = revision_chain()
    for step in range(current, SCHEMA_VERSION):
        # One transaction per step: DDL is transactional because storage.database issues BEGIN itself.
        with engine.connect() as conn, conn.begin():
            command.upgrade(alembic_config(conn), chain[step])
            conn.exec_driver_sql(f"PRAGMA user_version = {step + 1}")
    if current < AUDIT_END_RECORDED_SINCE:
        from xuncha_desktop.storage.revisions import mark_missing_audit_end

        with engine.connect() as conn, conn.begin():
            mark_missing_audit_end(conn)
    if current < BODIES_IN_ROWS_SINCE:
        from xuncha_desktop.storage.revision_body import elide_all

        with engine.connect() as conn, conn.begin():
            elide_all(conn)
    if current < COMPACTED_SINCE:
        vacuum(engine)
    return taken


def vacuum(engine: Engine) -> None:
    """Rewrite the file without its free pages (outside any transaction, as VACUUM must be)."""
    raw = engine.raw_connection()
    try:
        raw.driver_connection.execute("VACUUM")  # type: ignore[union-attr]
    finally:
        raw.close()
