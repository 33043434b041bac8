"""信访件登记: the petitions a group receives on site (domain.petitions)

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-14 10:00:00

- `petitions`: channel, reporter (masked like a lead's), 被反映人 and unit, summary, 受理范围 and the
  disposal (转为问题线索 / 纳入问题底稿 / 转办 / 留存备查) with its date and who decided.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TABLE = "petitions"
INDEXES = (
    ("number", ("number",)),
    ("round_id", ("round_id",)),
    ("group_id", ("group_id",)),
    ("target_id", ("target_id",)),
    ("live_number", ("deleted", "number", "id")),
    ("live_context", ("deleted", "round_id", "group_id", "number", "id")),
    ("live_context_target", ("deleted", "round_id", "group_id", "target_id", "number", "id")),
    ("live_received_on", ("deleted", "received_on")),
    ("live_context_date", ("deleted", "round_id", "group_id", "received_on")),
    ("live_channel_date", ("deleted", "channel", "received_on")),
    ("live_disposal_date", ("deleted", "disposal", "received_on")),
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
        sa.Column("received_on", sa.Date(), nullable=True),
        sa.Column("registered_by", sa.Text(), nullable=False),
        sa.Column("channel", sa.Text(), nullable=False),
        sa.Column("anonymous", sa.Boolean(), nullable=False),
        sa.Column("reporter_name", sa.Text(), nullable=False),
        sa.Column("reporter_contact", sa.Text(), nullable=False),
        sa.Column("subject_name", sa.Text(), nullable=False),
        sa.Column("subject_unit", sa.Text(), nullable=False),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.Column("within_remit", sa.Text(), nullable=False),
        sa.Column("disposal", sa.Text(), nullable=False),
        sa.Column("forwarded_to", sa.Text(), nullable=False),
        sa.Column("disposed_on", sa.Date(), nullable=True),
        sa.Column("decided_by", sa.Text(), nullable=False),
        sa.Column("marking", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    for name, columns in INDEXES:
        op.create_index(f"ix_{TABLE}_{name}", TABLE, list(columns))


def downgrade() -> None:
    op.drop_table(TABLE)
