"""list pages from the index: the filter-and-date indexes of the business tables end in (number, id)

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-07 22:00:00

A list page filtered by a date range or a filter-bar column was read by fetching every
matching row and sorting them by number. With 16 KB pages (storage.database.PAGE_SIZE) each such row costs
four times the decryption, so these indexes now end in the list order: the page's keys are sorted from the
index alone and only the page's rows are read. The context-and-date indexes go: SQLite took them for plain
context lists as readily as the context index (equal cost; the order the indexes were made decided) and
read the context's rows in date order, one page each, instead of in number order, several to a page.
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

PAGE = ("number", "id")
# (table, index, columns as of this version)
INDEXES: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("interview_records", "ix_interview_records_live_held_on", ("deleted", "held_on", "number", "id")),
    (
        "interview_records",
        "ix_interview_records_live_interview_type_date",
        ("deleted", "interview_type", "held_on", "number", "id"),
    ),
    (
        "issue_drafts",
        "ix_issue_drafts_live_category_l1_date",
        ("deleted", "category_l1", "prepared_on", "number", "id"),
    ),
    ("issue_drafts", "ix_issue_drafts_live_prepared_on", ("deleted", "prepared_on", "number", "id")),
    (
        "issue_drafts",
        "ix_issue_drafts_live_status_date",
        ("deleted", "status", "prepared_on", "number", "id"),
    ),
    (
        "lead_registrations",
        "ix_lead_registrations_live_proposed_disposal_date",
        ("deleted", "proposed_disposal", "registered_on", "number", "id"),
    ),
    (
        "lead_registrations",
        "ix_lead_registrations_live_registered_on",
        ("deleted", "registered_on", "number", "id"),
    ),
    (
        "lead_registrations",
        "ix_lead_registrations_live_status_date",
        ("deleted", "status", "registered_on", "number", "id"),
    ),
    (
        "personnel_evaluations",
        "ix_personnel_evaluations_live_evaluated_on",
        ("deleted", "evaluated_on", "number", "id"),
    ),
    (
        "personnel_evaluations",
        "ix_personnel_evaluations_live_grade_date",
        ("deleted", "grade", "evaluated_on", "number", "id"),
    ),
    (
        "member_appraisals",
        "ix_member_appraisals_live_appraised_on",
        ("deleted", "appraised_on", "number", "id"),
    ),
    (
        "member_appraisals",
        "ix_member_appraisals_live_grade_date",
        ("deleted", "grade", "appraised_on", "number", "id"),
    ),
    (
        "member_appraisals",
        "ix_member_appraisals_live_status_date",
        ("deleted", "status", "appraised_on", "number", "id"),
    ),
    ("petitions", "ix_petitions_live_channel_date", ("deleted", "channel", "received_on", "number", "id")),
    ("petitions", "ix_petitions_live_disposal_date", ("deleted", "disposal", "received_on", "number", "id")),
    ("petitions", "ix_petitions_live_received_on", ("deleted", "received_on", "number", "id")),
    (
        "rectification_feedbacks",
        "ix_rectification_feedbacks_live_form_date",
        ("deleted", "form", "given_on", "number", "id"),
    ),
    (
        "rectification_feedbacks",
        "ix_rectification_feedbacks_live_given_on",
        ("deleted", "given_on", "number", "id"),
    ),
    ("rectification_tasks", "ix_rectification_tasks_live_due_on", ("deleted", "due_on", "number", "id")),
    (
        "rectification_tasks",
        "ix_rectification_tasks_live_status_date",
        ("deleted", "status", "due_on", "number", "id"),
    ),
    ("supervision_notes", "ix_supervision_notes_live_noted_on", ("deleted", "noted_on", "number", "id")),
    ("recheck_results", "ix_recheck_results_live_checked_on", ("deleted", "checked_on", "number", "id")),
    (
        "recheck_results",
        "ix_recheck_results_live_result_date",
        ("deleted", "result", "checked_on", "number", "id"),
    ),
    (
        "lead_reconciliations",
        "ix_lead_reconciliations_live_organ_date",
        ("deleted", "organ", "reconciled_on", "number", "id"),
    ),
    (
        "lead_reconciliations",
        "ix_lead_reconciliations_live_reconciled_on",
        ("deleted", "reconciled_on", "number", "id"),
    ),
    (
        "group_score_results",
        "ix_group_score_results_live_published_on",
        ("deleted", "published_on", "number", "id"),
    ),
)


# The context-and-date indexes this version drops: (table, date column)
CONTEXT_DATE: tuple[tuple[str, str], ...] = (
    ("interview_records", "held_on"),
    ("issue_drafts", "prepared_on"),
    ("lead_registrations", "registered_on"),
    ("personnel_evaluations", "evaluated_on"),
    ("member_appraisals", "appraised_on"),
    ("petitions", "received_on"),
    ("rectification_feedbacks", "given_on"),
    ("rectification_tasks", "due_on"),
    ("supervision_notes", "noted_on"),
    ("recheck_results", "checked_on"),
)


def _recreate(columns_of: dict[str, tuple[str, ...]]) -> None:
    for table, name, _columns in INDEXES:
        op.drop_index(name, table_name=table)
        op.create_index(name, table, list(columns_of[name]))


def upgrade() -> None:
    _recreate({name: columns for _table, name, columns in INDEXES})
    for table, _date in CONTEXT_DATE:
        op.drop_index(f"ix_{table}_live_context_date", table_name=table)


def downgrade() -> None:
    _recreate({name: columns[: -len(PAGE)] for _table, name, columns in INDEXES})
    for table, date in CONTEXT_DATE:
        op.create_index(f"ix_{table}_live_context_date", table, ["deleted", "round_id", "group_id", date])
