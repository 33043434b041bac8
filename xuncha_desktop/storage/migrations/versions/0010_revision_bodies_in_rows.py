"""a revision body that its record's row reproduces is kept only in the row

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-07 22:00:00

- `sync_revision.body_in_row` (NOT NULL, default false): true where `body` is NULL because the record's
  business row rebuilds exactly that body (storage.revision_body reads, spills and elides it).
- On SQLite, BEFORE UPDATE / BEFORE DELETE triggers on every business table refuse to change a row's body
  columns or head, or to remove the row, while its head revision is kept in it.
- The data step (eliding the head bodies that the rows reproduce) needs today's record types, so it runs
  right after the frozen steps, in storage.migrations.upgrade (see BODIES_IN_ROWS_SINCE); the downgrade
  writes every such body back before the column goes.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Frozen copies as of this version: the business tables, their metadata columns (storage.tables), and the
# guard's message (storage.revision_body.REFUSED).
BUSINESS_TABLES = (
    "inspection_rounds", "inspection_groups", "group_members", "target_units", "persons", "users",
    "dictionary_entries", "party_organizations", "cadres", "interview_records", "issue_drafts",
    "lead_registrations", "personnel_evaluations", "member_appraisals", "petitions",
    "rectification_feedbacks", "rectification_tasks", "supervision_notes", "recheck_results",
    "lead_reconciliations", "group_score_results", "attachments", "record_links",
)  # fmt: skip
META_COLUMNS = frozenset(
    {
        "id", "number", "head_rev", "rev_depth", "created_hlc", "created_by", "created_replica",
        "updated_hlc", "updated_by", "updated_replica", "deleted", "conflict", "row_hash",
    }
)  # fmt: skip
REFUSED = "修订内容仍保存在业务记录中，须先写回修订再改动记录（body_in_row）"


def _guard_ddl(table: str, body_columns: Sequence[str]) -> tuple[str, str]:
    """Frozen copy of storage.revision_body.guard_ddl as of this version."""
    held = "EXISTS (SELECT 1 FROM sync_revision WHERE rev_id = OLD.head_rev AND body_in_row)"
    changed = " OR ".join(f'OLD."{c}" IS NOT NEW."{c}"' for c in ("head_rev", "number", *body_columns))
    abort = f"BEGIN SELECT RAISE(ABORT, '{REFUSED}'); END"
    return (
        f'CREATE TRIGGER "{table}_body_in_row_u" BEFORE UPDATE ON "{table}" '
        f"WHEN ({changed}) AND {held} {abort}",
        f'CREATE TRIGGER "{table}_body_in_row_d" BEFORE DELETE ON "{table}" WHEN {held} {abort}',
    )


def upgrade() -> None:
    op.add_column(
        "sync_revision", sa.Column("body_in_row", sa.Boolean(), nullable=False, server_default=sa.false())
    )
    conn = op.get_bind()
    if conn.dialect.name != "sqlite":
        return
    for table in BUSINESS_TABLES:
        columns = [str(r[1]) for r in conn.exec_driver_sql(f'PRAGMA table_info("{table}")')]
        for statement in _guard_ddl(table, [c for c in columns if c not in META_COLUMNS]):
            op.execute(statement)


def downgrade() -> None:
    conn = op.get_bind()
    # Bodies kept in rows go back into their revisions first (rebuilt and verified by today's code).
    from xuncha_desktop.storage.revision_body import spill_all

    spill_all(conn)
    if conn.dialect.name == "sqlite":
        for table in BUSINESS_TABLES:
            op.execute(f'DROP TRIGGER IF EXISTS "{table}_body_in_row_u"')
            op.execute(f'DROP TRIGGER IF EXISTS "{table}_body_in_row_d"')
    op.execute("ALTER TABLE sync_revision DROP COLUMN body_in_row")
