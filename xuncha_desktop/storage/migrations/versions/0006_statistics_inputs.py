"""statistics inputs and the 抽调干部考核 flow; published 巡察组质效评估 results

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-07 16:00:00

- `inspection_groups.special_reports`, `.recommendations`: 专题报告 and 意见建议 of a group.
- `target_units.files_read`, `.site_visits`, `.questionnaires`: 调阅资料, 走访核查, 民主测评及问卷 at a unit.
- `issue_drafts.amount_recovered_yuan`, `.severity`: 挽回经济损失 and 一般/较重/重大.
- `member_appraisals.status`, `.approved_grade`, `.approvals`: 推荐 → 考核意见 → 审定.
- `group_score_results`: a round's 巡察组质效评估 as published.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Rows written before this version hold the domain default of each new column.
ADDED = (
    ("inspection_groups", "special_reports", sa.Integer(), "0"),
    ("inspection_groups", "recommendations", sa.Integer(), "0"),
    ("target_units", "files_read", sa.Integer(), "0"),
    ("target_units", "site_visits", sa.Integer(), "0"),
    ("target_units", "questionnaires", sa.Integer(), "0"),
    ("issue_drafts", "amount_recovered_yuan", sa.BigInteger(), "0"),
    ("issue_drafts", "severity", sa.Text(), ""),
    ("member_appraisals", "status", sa.Text(), "待推荐"),
    ("member_appraisals", "approved_grade", sa.Text(), ""),
    ("member_appraisals", "approvals", sa.JSON(), "[]"),
)


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
    for table in dict.fromkeys(t for t, *_ in ADDED):
        with op.batch_alter_table(table, schema=None) as batch_op:
            for _, name, type_, default in (a for a in ADDED if a[0] == table):
                batch_op.add_column(sa.Column(name, type_, nullable=False, server_default=default))
    op.create_index("ix_member_appraisals_status", "member_appraisals", ["status"])
    # the 鉴定 list's filter bar offers 考核状态 (a filter field: indexed with the list date)
    op.create_index(
        "ix_member_appraisals_live_status_date", "member_appraisals", ["deleted", "status", "appraised_on"]
    )
    op.create_table(
        "group_score_results",
        *_sync_columns(),
        sa.Column("round_id", sa.Text(), nullable=False),
        sa.Column("scheme_version", sa.Text(), nullable=False),
        sa.Column("published_on", sa.Date(), nullable=True),
        sa.Column("published_by", sa.Text(), nullable=False),
        sa.Column("groups", sa.JSON(), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    for name, columns in (
        ("live_number", ("deleted", "number", "id")),
        ("live_published_on", ("deleted", "published_on")),
        ("number", ("number",)),
        ("round_id", ("round_id",)),
    ):
        op.create_index(f"ix_group_score_results_{name}", "group_score_results", list(columns))


def downgrade() -> None:
    op.drop_table("group_score_results")
    op.drop_index("ix_member_appraisals_live_status_date", "member_appraisals")
    op.drop_index("ix_member_appraisals_status", "member_appraisals")
    for table in dict.fromkeys(t for t, *_ in ADDED):
        with op.batch_alter_table(table, schema=None) as batch_op:
            for _, name, *_rest in (a for a in ADDED if a[0] == table):
                batch_op.drop_column(name)
