"""Step 4 of the recipe, the migration (migrations/versions/000N_visit_records.py in the application):
the table and indexes of 走访记录 as storage.tables.business_table builds them, and on SQLite the two
triggers that guard a row whose head revision's body it keeps (storage.revision_body.guard_ddl), frozen
as DDL. (A migration adding a column to an existing business table drops and recreates that table's two
triggers, so that they watch the new column too.)

Revision ID: visit
Revises: the head of the day (the test writes it in)
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "visit"
down_revision: str | None = "HEAD"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TABLE = "visit_records"
_HELD = "EXISTS (SELECT 1 FROM sync_revision WHERE rev_id = OLD.head_rev AND body_in_row)"
_WATCHED = ("head_rev", "number", "round_id", "group_id", "target_id", "visited_on", "kind", "place")
_CHANGED = " OR ".join(
    f'OLD."{c}" IS NOT NEW."{c}"' for c in (*_WATCHED, "visitor", "topics", "findings", "marking")
)
_ABORT = "BEGIN SELECT RAISE(ABORT, '修订内容仍保存在业务记录中，须先写回修订再改动记录（body_in_row）'); END"
GUARDS = (
    f'CREATE TRIGGER "{TABLE}_body_in_row_u" BEFORE UPDATE ON "{TABLE}" '
    f"WHEN ({_CHANGED}) AND {_HELD} {_ABORT}",
    f'CREATE TRIGGER "{TABLE}_body_in_row_d" BEFORE DELETE ON "{TABLE}" WHEN {_HELD} {_ABORT}',
)
INDEXES = (
    ("number", ("number",)),
    ("round_id", ("round_id",)),
    ("group_id", ("group_id",)),
    ("target_id", ("target_id",)),
    ("live_number", ("deleted", "number", "id")),
    ("live_context", ("deleted", "round_id", "group_id", "number", "id")),
    ("live_context_target", ("deleted", "round_id", "group_id", "target_id", "number", "id")),
    ("live_visited_on", ("deleted", "visited_on", "number", "id")),
    ("live_kind_date", ("deleted", "kind", "visited_on", "number", "id")),
)


def upgrade() -> None:
    op.create_table(
        TABLE,
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("number", sa.String(length=64), nullable=False),
        sa.Column("head_rev", sa.String(length=64), nullable=False),
        sa.Column("rev_depth", sa.Integer(), nullable=False),
        sa.Column("created_hlc", sa.String(length=40), nullable=False),
        sa.Column("created_by", sa.String(length=64), nullable=False),
        sa.Column("created_replica", sa.String(length=36), nullable=False),
        sa.Column("updated_hlc", sa.String(length=40), nullable=False),
        sa.Column("updated_by", sa.String(length=64), nullable=False),
        sa.Column("updated_replica", sa.String(length=36), nullable=False),
        sa.Column("deleted", sa.Boolean(), nullable=False),
        sa.Column("conflict", sa.String(length=16), nullable=True),
        sa.Column("row_hash", sa.String(length=64), nullable=False),
        sa.Column("round_id", sa.Text(), nullable=False),
        sa.Column("group_id", sa.Text(), nullable=False),
        sa.Column("target_id", sa.Text(), nullable=False),
        sa.Column("visited_on", sa.Date(), nullable=True),
        sa.Column("kind", sa.Text(), nullable=False),
        sa.Column("place", sa.Text(), nullable=False),
        sa.Column("visitor", sa.Text(), nullable=False),
        sa.Column("topics", sa.JSON(), nullable=False),
        sa.Column("findings", sa.Text(), nullable=False),
        sa.Column("marking", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    for name, columns in INDEXES:
        op.create_index(f"ix_{TABLE}_{name}", TABLE, list(columns))
    if op.get_bind().dialect.name == "sqlite":
        for statement in GUARDS:
            op.execute(statement)


def downgrade() -> None:
    raise NotImplementedError
