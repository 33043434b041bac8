"""rectification after the round: 反馈, 整改任务, 督导记录, 回头看复查, 移交线索对账; 回头看 rounds name the round they revisit

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-07 15:40:00

- `rectification_feedbacks`, `rectification_tasks`, `supervision_notes`, `recheck_results`,
  `lead_reconciliations`: the office's rectification work (domain.rectification).
- `inspection_rounds.earlier_round_id`: the round a 回头看 round revisits.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TABLES = (
    "rectification_feedbacks",
    "rectification_tasks",
    "supervision_notes",
    "recheck_results",
    "lead_reconciliations",
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
    op.create_table(
        "rectification_feedbacks",
        *_sync_columns(),
        sa.Column("round_id", sa.Text(), nullable=False),
        sa.Column("group_id", sa.Text(), nullable=False),
        sa.Column("target_id", sa.Text(), nullable=False),
        sa.Column("given_on", sa.Date(), nullable=True),
        sa.Column("form", sa.Text(), nullable=False),
        sa.Column("given_by", sa.Text(), nullable=False),
        sa.Column("attendees", sa.Text(), nullable=False),
        sa.Column("draft_ids", sa.JSON(), nullable=False),
        sa.Column("plan_due_on", sa.Date(), nullable=True),
        sa.Column("plan_received_on", sa.Date(), nullable=True),
        sa.Column("report_due_on", sa.Date(), nullable=True),
        sa.Column("report_received_on", sa.Date(), nullable=True),
        sa.Column("meeting_held_on", sa.Date(), nullable=True),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("marking", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    for name, columns in [
        ("group_id", ("group_id",)),
        ("live_context", ("deleted", "round_id", "group_id", "number", "id")),
        ("live_context_date", ("deleted", "round_id", "group_id", "given_on")),
        ("live_context_target", ("deleted", "round_id", "group_id", "target_id", "number", "id")),
        ("live_form_date", ("deleted", "form", "given_on")),
        ("live_given_on", ("deleted", "given_on")),
        ("live_number", ("deleted", "number", "id")),
        ("number", ("number",)),
        ("round_id", ("round_id",)),
        ("target_id", ("target_id",)),
    ]:
        op.create_index(f"ix_rectification_feedbacks_{name}", "rectification_feedbacks", list(columns))
    op.create_table(
        "rectification_tasks",
        *_sync_columns(),
        sa.Column("round_id", sa.Text(), nullable=False),
        sa.Column("group_id", sa.Text(), nullable=False),
        sa.Column("target_id", sa.Text(), nullable=False),
        sa.Column("feedback_id", sa.Text(), nullable=False),
        sa.Column("draft_id", sa.Text(), nullable=False),
        sa.Column("issue", sa.Text(), nullable=False),
        sa.Column("category", sa.Text(), nullable=False),
        sa.Column("responsible_unit", sa.Text(), nullable=False),
        sa.Column("responsible_person", sa.Text(), nullable=False),
        sa.Column("goal", sa.Text(), nullable=False),
        sa.Column("measures", sa.Text(), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=True),
        sa.Column("status", sa.Text(), nullable=False),
        sa.Column("completed_on", sa.Date(), nullable=True),
        sa.Column("institutions", sa.Integer(), nullable=False),
        sa.Column("accountability", sa.Integer(), nullable=False),
        sa.Column("amount_recovered_yuan", sa.BigInteger(), nullable=False),
        sa.Column("accepted_by", sa.Text(), nullable=False),
        sa.Column("accepted_on", sa.Date(), nullable=True),
        sa.Column("acceptance_opinion", sa.Text(), nullable=False),
        sa.Column("closed_on", sa.Date(), nullable=True),
        sa.Column("closed_by", sa.Text(), nullable=False),
        sa.Column("marking", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    for name, columns in [
        ("draft_id", ("draft_id",)),
        ("feedback_id", ("feedback_id",)),
        ("group_id", ("group_id",)),
        ("live_context", ("deleted", "round_id", "group_id", "number", "id")),
        ("live_context_date", ("deleted", "round_id", "group_id", "due_on")),
        ("live_context_target", ("deleted", "round_id", "group_id", "target_id", "number", "id")),
        ("live_due_on", ("deleted", "due_on")),
        ("live_number", ("deleted", "number", "id")),
        ("live_status_date", ("deleted", "status", "due_on")),
        ("number", ("number",)),
        ("round_id", ("round_id",)),
        ("status", ("status",)),
        ("target_id", ("target_id",)),
    ]:
        op.create_index(f"ix_rectification_tasks_{name}", "rectification_tasks", list(columns))
    op.create_table(
        "supervision_notes",
        *_sync_columns(),
        sa.Column("round_id", sa.Text(), nullable=False),
        sa.Column("group_id", sa.Text(), nullable=False),
        sa.Column("target_id", sa.Text(), nullable=False),
        sa.Column("task_id", sa.Text(), nullable=False),
        sa.Column("noted_on", sa.Date(), nullable=True),
        sa.Column("noted_by", sa.Text(), nullable=False),
        sa.Column("progress", sa.Text(), nullable=False),
        sa.Column("status_then", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    for name, columns in [
        ("group_id", ("group_id",)),
        ("live_context", ("deleted", "round_id", "group_id", "number", "id")),
        ("live_context_date", ("deleted", "round_id", "group_id", "noted_on")),
        ("live_context_target", ("deleted", "round_id", "group_id", "target_id", "number", "id")),
        ("live_noted_on", ("deleted", "noted_on")),
        ("live_number", ("deleted", "number", "id")),
        ("number", ("number",)),
        ("round_id", ("round_id",)),
        ("target_id", ("target_id",)),
        ("task_id", ("task_id",)),
    ]:
        op.create_index(f"ix_supervision_notes_{name}", "supervision_notes", list(columns))
    op.create_table(
        "recheck_results",
        *_sync_columns(),
        sa.Column("round_id", sa.Text(), nullable=False),
        sa.Column("group_id", sa.Text(), nullable=False),
        sa.Column("target_id", sa.Text(), nullable=False),
        sa.Column("task_id", sa.Text(), nullable=False),
        sa.Column("checked_on", sa.Date(), nullable=True),
        sa.Column("checked_by", sa.Text(), nullable=False),
        sa.Column("result", sa.Text(), nullable=False),
        sa.Column("finding", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    for name, columns in [
        ("group_id", ("group_id",)),
        ("live_checked_on", ("deleted", "checked_on")),
        ("live_context", ("deleted", "round_id", "group_id", "number", "id")),
        ("live_context_date", ("deleted", "round_id", "group_id", "checked_on")),
        ("live_context_target", ("deleted", "round_id", "group_id", "target_id", "number", "id")),
        ("live_number", ("deleted", "number", "id")),
        ("live_result_date", ("deleted", "result", "checked_on")),
        ("number", ("number",)),
        ("round_id", ("round_id",)),
        ("target_id", ("target_id",)),
        ("task_id", ("task_id",)),
    ]:
        op.create_index(f"ix_recheck_results_{name}", "recheck_results", list(columns))
    op.create_table(
        "lead_reconciliations",
        *_sync_columns(),
        sa.Column("round_id", sa.Text(), nullable=False),
        sa.Column("organ", sa.Text(), nullable=False),
        sa.Column("reconciled_on", sa.Date(), nullable=True),
        sa.Column("reconciled_by", sa.Text(), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    for name, columns in [
        ("live_number", ("deleted", "number", "id")),
        ("live_organ_date", ("deleted", "organ", "reconciled_on")),
        ("live_reconciled_on", ("deleted", "reconciled_on")),
        ("number", ("number",)),
        ("round_id", ("round_id",)),
    ]:
        op.create_index(f"ix_lead_reconciliations_{name}", "lead_reconciliations", list(columns))
    # Rounds written before this version revisit none: "" (the domain default) for each of them.
    with op.batch_alter_table("inspection_rounds", schema=None) as batch_op:
        batch_op.add_column(sa.Column("earlier_round_id", sa.Text(), nullable=False, server_default=""))


def downgrade() -> None:
    with op.batch_alter_table("inspection_rounds", schema=None) as batch_op:
        batch_op.drop_column("earlier_round_id")
    for table in reversed(TABLES):
        op.drop_table(table)
