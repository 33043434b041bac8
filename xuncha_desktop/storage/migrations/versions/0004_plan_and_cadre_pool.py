"""the office's plan: 党组织名录 and 巡察人才库; members linked to the pool, units to the master list

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-07 15:20:00

- `party_organizations`: the Party organizations under the committee, kept across rounds (全覆盖).
- `cadres`: the 巡察人才库, one entry per person.
- `group_members.cadre_id`, `group_members.avoidance_override`: the pool entry a member is, and why a 回避
  conflict was overridden.
- `target_units.org_id`: the master-list entry a round's target unit is.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _sync_columns() -> list[sa.Column]:  # type: ignore[type-arg]
    """The per-row sync metadata, as of this version."""
    return [
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
    ]


def upgrade() -> None:
    op.create_table(
        "party_organizations",
        *_sync_columns(),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("kind", sa.Text(), nullable=False),
        sa.Column("parent_id", sa.Text(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("retired_reason", sa.Text(), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    for name, columns in (
        ("kind", ("kind",)),
        ("live_number", ("deleted", "number", "id")),
        ("number", ("number",)),
        ("parent_id", ("parent_id",)),
    ):
        op.create_index(f"ix_party_organizations_{name}", "party_organizations", list(columns))
    op.create_table(
        "cadres",
        *_sync_columns(),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("gender", sa.Text(), nullable=False),
        sa.Column("birth_month", sa.Text(), nullable=False),
        sa.Column("political_status", sa.Text(), nullable=False),
        sa.Column("home_unit", sa.Text(), nullable=False),
        sa.Column("home_post", sa.Text(), nullable=False),
        sa.Column("earlier_units", sa.JSON(), nullable=False),
        sa.Column("specialities", sa.JSON(), nullable=False),
        sa.Column("status", sa.Text(), nullable=False),
        sa.Column("status_reason", sa.Text(), nullable=False),
        sa.Column("phone", sa.Text(), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    for name, columns in (
        ("live_number", ("deleted", "number", "id")),
        ("number", ("number",)),
        ("status", ("status",)),
    ):
        op.create_index(f"ix_cadres_{name}", "cadres", list(columns))
    # Rows written before this version have no link: "" (the domain default) for each of them.
    with op.batch_alter_table("group_members", schema=None) as batch_op:
        batch_op.add_column(sa.Column("cadre_id", sa.Text(), nullable=False, server_default=""))
        batch_op.add_column(sa.Column("avoidance_override", sa.Text(), nullable=False, server_default=""))
    op.create_index("ix_group_members_cadre_id", "group_members", ["cadre_id"])
    with op.batch_alter_table("target_units", schema=None) as batch_op:
        batch_op.add_column(sa.Column("org_id", sa.Text(), nullable=False, server_default=""))
    op.create_index("ix_target_units_org_id", "target_units", ["org_id"])


def downgrade() -> None:
    op.drop_index("ix_target_units_org_id", "target_units")
    with op.batch_alter_table("target_units", schema=None) as batch_op:
        batch_op.drop_column("org_id")
    op.drop_index("ix_group_members_cadre_id", "group_members")
    with op.batch_alter_table("group_members", schema=None) as batch_op:
        batch_op.drop_column("avoidance_override")
        batch_op.drop_column("cadre_id")
    op.drop_table("cadres")
    op.drop_table("party_organizations")
