"""Step 4 of the recipe, the migration (migrations/versions/000N_visit_records.py in the application):
the table and indexes of 走访记录 as storage.tables.business_table builds them, frozen as DDL.

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
INDEXES = (
    ("number", ("number",)),
    ("round_id", ("round_id",)),
    ("group_id", ("group_id",)),
    ("target_id", ("target_id",)),
    ("live_number", ("deleted", "number", "id")),
    ("live_context", ("deleted", "round_id", "group_id", "number", "id")),
    ("live_context_target", ("deleted", "round_id", "group_id", "target_id", "number", "id")),
    ("live_visited_on", ("deleted", "visited_on", "number", "id")),
    ("live_context_date", ("deleted", "round_id", "group_id", "visited_on")),
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


def downgrade() -> None:
    raise NotImplementedError
