"""list indexes by filter and date; short search terms through the trigram vocabulary

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-22 14:40:00

- Drops the single-column `deleted` indexes: SQLite picked them over selective ones (a link lookup by id
  scanned every live link) and the (deleted, …) composites serve every live-row list.
- Adds indexes for the working context (round, group, target unit) and for each filter-bar column with the
  date, so a filtered list or count reads only matching rows.
- Ends every search document with two line breaks and adds the `search_vocab` view of the trigram index, so a
  one- or two-character term is found through the index (storage.search_index).
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Frozen as of this version.
DROPPED = (
    "ix_attachments_deleted",
    "ix_dictionary_entries_deleted",
    "ix_group_members_deleted",
    "ix_inspection_groups_deleted",
    "ix_inspection_rounds_deleted",
    "ix_interview_records_deleted",
    "ix_issue_drafts_deleted",
    "ix_lead_registrations_deleted",
    "ix_member_appraisals_deleted",
    "ix_personnel_evaluations_deleted",
    "ix_persons_deleted",
    "ix_record_links_deleted",
    "ix_target_units_deleted",
    "ix_users_deleted",
)
CREATED = (
    (
        "ix_interview_records_live_context",
        "interview_records",
        ("deleted", "round_id", "group_id", "number", "id"),
    ),
    (
        "ix_interview_records_live_context_date",
        "interview_records",
        ("deleted", "round_id", "group_id", "held_on"),
    ),
    (
        "ix_interview_records_live_context_target",
        "interview_records",
        ("deleted", "round_id", "group_id", "target_id", "number", "id"),
    ),
    (
        "ix_interview_records_live_interview_type_date",
        "interview_records",
        ("deleted", "interview_type", "held_on"),
    ),
    ("ix_issue_drafts_live_category_l1_date", "issue_drafts", ("deleted", "category_l1", "prepared_on")),
    ("ix_issue_drafts_live_context", "issue_drafts", ("deleted", "round_id", "group_id", "number", "id")),
    ("ix_issue_drafts_live_context_date", "issue_drafts", ("deleted", "round_id", "group_id", "prepared_on")),
    (
        "ix_issue_drafts_live_context_target",
        "issue_drafts",
        ("deleted", "round_id", "group_id", "target_id", "number", "id"),
    ),
    ("ix_issue_drafts_live_status_date", "issue_drafts", ("deleted", "status", "prepared_on")),
    (
        "ix_lead_registrations_live_context",
        "lead_registrations",
        ("deleted", "round_id", "group_id", "number", "id"),
    ),
    (
        "ix_lead_registrations_live_context_date",
        "lead_registrations",
        ("deleted", "round_id", "group_id", "registered_on"),
    ),
    (
        "ix_lead_registrations_live_context_target",
        "lead_registrations",
        ("deleted", "round_id", "group_id", "target_id", "number", "id"),
    ),
    (
        "ix_lead_registrations_live_proposed_disposal_date",
        "lead_registrations",
        ("deleted", "proposed_disposal", "registered_on"),
    ),
    ("ix_lead_registrations_live_status_date", "lead_registrations", ("deleted", "status", "registered_on")),
    (
        "ix_member_appraisals_live_context",
        "member_appraisals",
        ("deleted", "round_id", "group_id", "number", "id"),
    ),
    (
        "ix_member_appraisals_live_context_date",
        "member_appraisals",
        ("deleted", "round_id", "group_id", "appraised_on"),
    ),
    ("ix_member_appraisals_live_grade_date", "member_appraisals", ("deleted", "grade", "appraised_on")),
    (
        "ix_personnel_evaluations_live_context",
        "personnel_evaluations",
        ("deleted", "round_id", "group_id", "number", "id"),
    ),
    (
        "ix_personnel_evaluations_live_context_date",
        "personnel_evaluations",
        ("deleted", "round_id", "group_id", "evaluated_on"),
    ),
    (
        "ix_personnel_evaluations_live_context_target",
        "personnel_evaluations",
        ("deleted", "round_id", "group_id", "target_id", "number", "id"),
    ),
    (
        "ix_personnel_evaluations_live_grade_date",
        "personnel_evaluations",
        ("deleted", "grade", "evaluated_on"),
    ),
    ("ix_target_units_live_context", "target_units", ("deleted", "round_id", "group_id", "number", "id")),
)
VOCAB_DDL = "CREATE VIRTUAL TABLE search_vocab USING fts5vocab(search_fts, 'row')"


def upgrade() -> None:
    for name in DROPPED:
        op.drop_index(name)
    for name, table, columns in CREATED:
        op.create_index(name, table, list(columns), unique=False)
    docs = sa.table("search_doc", sa.column("body", sa.Text()))
    # Through the update triggers the trigram index follows each rewritten document.
    op.execute(docs.update().values(body=docs.c.body + "\n\n"))
    if op.get_bind().dialect.name == "sqlite":
        op.execute(VOCAB_DDL)


def downgrade() -> None:
    raise NotImplementedError("workspaces are never downgraded; restore a backup instead")
