"""acknowledgements tagged with the peer's incarnation; retired revisions and identity changes

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-07 07:10:00

- `sync_peer_ack.peer_incarnation`: the incarnation of the peer whose knowledge the row holds, so a peer
  restored from a backup (a new incarnation) replaces what it once acknowledged instead of adding to it.
- `sync_retired_revision`: revisions a copied workspace made again under a new identity.
- `sync_identity_change`: the new identity of a copied workspace, with the proof signed by the former key.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("sync_peer_ack", schema=None) as batch_op:
        batch_op.add_column(sa.Column("peer_incarnation", sa.Integer(), nullable=True))
    op.create_table(
        "sync_retired_revision",
        sa.Column("rev_id", sa.String(length=64), nullable=False),
        sa.Column("replaced_by", sa.String(length=64), nullable=False),
        sa.Column("record_type", sa.String(length=16), nullable=False),
        sa.Column("record_id", sa.String(length=36), nullable=False),
        sa.Column("origin_replica", sa.String(length=36), nullable=False),
        sa.Column("origin_incarnation", sa.Integer(), nullable=False),
        sa.Column("origin_counter", sa.BigInteger(), nullable=False),
        sa.Column("retired_at", sa.String(length=40), nullable=False),
        sa.PrimaryKeyConstraint("rev_id"),
    )
    op.create_table(
        "sync_identity_change",
        sa.Column("new_replica", sa.String(length=36), nullable=False),
        sa.Column("old_replica", sa.String(length=36), nullable=False),
        sa.Column("statement", sa.Text(), nullable=False),
        sa.Column("proof", sa.LargeBinary(), nullable=False),
        sa.Column("accepted_at", sa.String(length=40), nullable=True),
        sa.Column("accepted_by", sa.String(length=64), nullable=True),
        sa.PrimaryKeyConstraint("new_replica"),
    )


def downgrade() -> None:
    op.drop_table("sync_identity_change")
    op.drop_table("sync_retired_revision")
    with op.batch_alter_table("sync_peer_ack", schema=None) as batch_op:
        batch_op.drop_column("peer_incarnation")
