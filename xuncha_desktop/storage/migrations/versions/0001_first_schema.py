"""first schema: records, organisation, sync bookkeeping, audit, search

Revision ID: 0001
Revises:
Create Date: 2026-11-22 11:43:35.756751
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

# Frozen copy of storage.search_index.FTS_DDL as of this version.
FTS_DDL = (
    "CREATE VIRTUAL TABLE search_fts USING fts5(body, content='search_doc', content_rowid='docid', "
    "tokenize='trigram')",
    "CREATE TRIGGER search_doc_ai AFTER INSERT ON search_doc BEGIN "
    "INSERT INTO search_fts(rowid, body) VALUES (new.docid, new.body); END",
    "CREATE TRIGGER search_doc_ad AFTER DELETE ON search_doc BEGIN "
    "INSERT INTO search_fts(search_fts, rowid, body) VALUES ('delete', old.docid, old.body); END",
    "CREATE TRIGGER search_doc_au AFTER UPDATE ON search_doc BEGIN "
    "INSERT INTO search_fts(search_fts, rowid, body) VALUES ('delete', old.docid, old.body); "
    "INSERT INTO search_fts(rowid, body) VALUES (new.docid, new.body); END",
)


revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "attachments",
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
        sa.Column("record_type", sa.Text(), nullable=False),
        sa.Column("record_id", sa.Text(), nullable=False),
        sa.Column("sha256", sa.Text(), nullable=False),
        sa.Column("file_name", sa.Text(), nullable=False),
        sa.Column("mime", sa.Text(), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("attachments", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_attachments_deleted"), ["deleted"], unique=False)
        batch_op.create_index(batch_op.f("ix_attachments_number"), ["number"], unique=False)
        batch_op.create_index("ix_attachments_record_id", ["record_id"], unique=False)

    op.create_table(
        "audit_log",
        sa.Column("seq", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("at", sa.String(length=40), nullable=False),
        sa.Column("user_login", sa.String(length=64), nullable=False),
        sa.Column("action", sa.String(length=16), nullable=False),
        sa.Column("record_type", sa.String(length=16), nullable=False),
        sa.Column("record_id", sa.String(length=36), nullable=False),
        sa.Column("rev_id", sa.String(length=64), nullable=True),
        sa.Column("changes", sa.Text(), nullable=False),
        sa.Column("prev_hash", sa.String(length=64), nullable=False),
        sa.Column("entry_hash", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("seq"),
    )
    with op.batch_alter_table("audit_log", schema=None) as batch_op:
        batch_op.create_index("ix_audit_log_record", ["record_type", "record_id"], unique=False)

    op.create_table(
        "blob",
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("size", sa.BigInteger(), nullable=False),
        sa.Column("mime", sa.String(length=100), nullable=False),
        sa.Column("storage", sa.String(length=8), nullable=False),
        sa.Column("data", sa.LargeBinary(), nullable=True),
        sa.Column("path", sa.Text(), nullable=True),
        sa.Column("file_key", sa.LargeBinary(), nullable=True),
        sa.Column("present", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("sha256"),
    )
    op.create_table(
        "dictionary_entries",
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
        sa.Column("framework", sa.Text(), nullable=False),
        sa.Column("version", sa.Text(), nullable=False),
        sa.Column("code", sa.Text(), nullable=False),
        sa.Column("label", sa.Text(), nullable=False),
        sa.Column("parent_code", sa.Text(), nullable=False),
        sa.Column("sort_order", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("dictionary_entries", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_dictionary_entries_deleted"), ["deleted"], unique=False)
        batch_op.create_index(batch_op.f("ix_dictionary_entries_number"), ["number"], unique=False)

    op.create_table(
        "group_members",
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
        sa.Column("group_id", sa.Text(), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("role", sa.Text(), nullable=False),
        sa.Column("staffing", sa.Text(), nullable=False),
        sa.Column("home_unit", sa.Text(), nullable=False),
        sa.Column("home_post", sa.Text(), nullable=False),
        sa.Column("duty", sa.Text(), nullable=False),
        sa.Column("gender", sa.Text(), nullable=False),
        sa.Column("birth_month", sa.Text(), nullable=False),
        sa.Column("political_status", sa.Text(), nullable=False),
        sa.Column("start_on", sa.Date(), nullable=True),
        sa.Column("end_on", sa.Date(), nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("group_members", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_group_members_deleted"), ["deleted"], unique=False)
        batch_op.create_index("ix_group_members_group_id", ["group_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_group_members_number"), ["number"], unique=False)

    op.create_table(
        "inspection_groups",
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
        sa.Column("ordinal", sa.Integer(), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("inspection_groups", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_inspection_groups_deleted"), ["deleted"], unique=False)
        batch_op.create_index(batch_op.f("ix_inspection_groups_number"), ["number"], unique=False)
        batch_op.create_index("ix_inspection_groups_round_id", ["round_id"], unique=False)

    op.create_table(
        "inspection_rounds",
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
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("ordinal", sa.Integer(), nullable=False),
        sa.Column("kind", sa.Text(), nullable=False),
        sa.Column("start_on", sa.Date(), nullable=True),
        sa.Column("end_on", sa.Date(), nullable=True),
        sa.Column("framework", sa.Text(), nullable=False),
        sa.Column("framework_version", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("inspection_rounds", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_inspection_rounds_deleted"), ["deleted"], unique=False)
        batch_op.create_index(batch_op.f("ix_inspection_rounds_number"), ["number"], unique=False)

    op.create_table(
        "interview_records",
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
        sa.Column("held_on", sa.Date(), nullable=True),
        sa.Column("start_time", sa.Text(), nullable=False),
        sa.Column("end_time", sa.Text(), nullable=False),
        sa.Column("location", sa.Text(), nullable=False),
        sa.Column("interviewer", sa.Text(), nullable=False),
        sa.Column("recorder", sa.Text(), nullable=False),
        sa.Column("interview_type", sa.Text(), nullable=False),
        sa.Column("interviewee_id", sa.Text(), nullable=False),
        sa.Column("interviewee_name", sa.Text(), nullable=False),
        sa.Column("gender", sa.Text(), nullable=False),
        sa.Column("birth_month", sa.Text(), nullable=False),
        sa.Column("political_status", sa.Text(), nullable=False),
        sa.Column("post", sa.Text(), nullable=False),
        sa.Column("rank", sa.Text(), nullable=False),
        sa.Column("contact", sa.Text(), nullable=False),
        sa.Column("notice_given", sa.Boolean(), nullable=False),
        sa.Column("outline", sa.Text(), nullable=False),
        sa.Column("content", sa.Text(), nullable=False),
        sa.Column("problems", sa.JSON(), nullable=False),
        sa.Column("persons_involved", sa.JSON(), nullable=False),
        sa.Column("team_evaluation", sa.Text(), nullable=False),
        sa.Column("page_count", sa.Integer(), nullable=False),
        sa.Column("interviewer_signed", sa.Boolean(), nullable=False),
        sa.Column("recorder_signed", sa.Boolean(), nullable=False),
        sa.Column("interviewee_signed", sa.Boolean(), nullable=False),
        sa.Column("marking", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("interview_records", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_interview_records_deleted"), ["deleted"], unique=False)
        batch_op.create_index("ix_interview_records_group_id", ["group_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_interview_records_number"), ["number"], unique=False)
        batch_op.create_index("ix_interview_records_round_id", ["round_id"], unique=False)
        batch_op.create_index("ix_interview_records_target_id", ["target_id"], unique=False)

    op.create_table(
        "issue_drafts",
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
        sa.Column("prepared_on", sa.Date(), nullable=True),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("category_l1", sa.Text(), nullable=False),
        sa.Column("category_l2", sa.Text(), nullable=False),
        sa.Column("category_l3", sa.Text(), nullable=False),
        sa.Column("disciplines", sa.JSON(), nullable=False),
        sa.Column("special_tags", sa.JSON(), nullable=False),
        sa.Column("source", sa.Text(), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("discovery", sa.Text(), nullable=False),
        sa.Column("basis", sa.Text(), nullable=False),
        sa.Column("evidence", sa.JSON(), nullable=False),
        sa.Column("responsibility_types", sa.JSON(), nullable=False),
        sa.Column("responsible_party", sa.Text(), nullable=False),
        sa.Column("amount_yuan", sa.BigInteger(), nullable=False),
        sa.Column("immediate_fix", sa.Boolean(), nullable=False),
        sa.Column("suggestion", sa.Text(), nullable=False),
        sa.Column("key_attention", sa.Boolean(), nullable=False),
        sa.Column("key_attention_reason", sa.Text(), nullable=False),
        sa.Column("preparer", sa.Text(), nullable=False),
        sa.Column("review_opinion", sa.Text(), nullable=False),
        sa.Column("group_meeting_opinion", sa.Text(), nullable=False),
        sa.Column("approval_opinion", sa.Text(), nullable=False),
        sa.Column("unit_feedback", sa.Text(), nullable=False),
        sa.Column("filing_no", sa.Text(), nullable=False),
        sa.Column("status", sa.Text(), nullable=False),
        sa.Column("signoffs", sa.JSON(), nullable=False),
        sa.Column("edited_after_signoff", sa.Boolean(), nullable=False),
        sa.Column("marking", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("issue_drafts", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_issue_drafts_deleted"), ["deleted"], unique=False)
        batch_op.create_index("ix_issue_drafts_group_id", ["group_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_issue_drafts_number"), ["number"], unique=False)
        batch_op.create_index("ix_issue_drafts_round_id", ["round_id"], unique=False)
        batch_op.create_index("ix_issue_drafts_status", ["status"], unique=False)
        batch_op.create_index("ix_issue_drafts_target_id", ["target_id"], unique=False)

    op.create_table(
        "lead_registrations",
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
        sa.Column("registered_on", sa.Date(), nullable=True),
        sa.Column("registered_by", sa.Text(), nullable=False),
        sa.Column("source", sa.Text(), nullable=False),
        sa.Column("anonymous", sa.Boolean(), nullable=False),
        sa.Column("reporter_name", sa.Text(), nullable=False),
        sa.Column("reporter_contact", sa.Text(), nullable=False),
        sa.Column("subject_person_id", sa.Text(), nullable=False),
        sa.Column("subject_name", sa.Text(), nullable=False),
        sa.Column("subject_post", sa.Text(), nullable=False),
        sa.Column("subject_rank", sa.Text(), nullable=False),
        sa.Column("jurisdiction", sa.Text(), nullable=False),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.Column("disciplines", sa.JSON(), nullable=False),
        sa.Column("amount_yuan", sa.BigInteger(), nullable=False),
        sa.Column("group_opinion", sa.Text(), nullable=False),
        sa.Column("group_opinion_on", sa.Date(), nullable=True),
        sa.Column("consultation_opinion", sa.Text(), nullable=False),
        sa.Column("consultation_on", sa.Date(), nullable=True),
        sa.Column("verifiability", sa.Text(), nullable=False),
        sa.Column("proposed_disposal", sa.Text(), nullable=False),
        sa.Column("on_site_transfer", sa.Boolean(), nullable=False),
        sa.Column("leader_approver", sa.Text(), nullable=False),
        sa.Column("leader_approved_on", sa.Date(), nullable=True),
        sa.Column("transfer_unit", sa.Text(), nullable=False),
        sa.Column("transfer_on", sa.Date(), nullable=True),
        sa.Column("transfer_method", sa.Text(), nullable=False),
        sa.Column("receiver", sa.Text(), nullable=False),
        sa.Column("outcome_type", sa.Text(), nullable=False),
        sa.Column("case_opened", sa.Boolean(), nullable=False),
        sa.Column("sanction", sa.Text(), nullable=False),
        sa.Column("org_handling", sa.Text(), nullable=False),
        sa.Column("judicial_transfer", sa.Boolean(), nullable=False),
        sa.Column("outcome", sa.Text(), nullable=False),
        sa.Column("feedback_on", sa.Date(), nullable=True),
        sa.Column("closed", sa.Boolean(), nullable=False),
        sa.Column("status", sa.Text(), nullable=False),
        sa.Column("marking", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("lead_registrations", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_lead_registrations_deleted"), ["deleted"], unique=False)
        batch_op.create_index("ix_lead_registrations_group_id", ["group_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_lead_registrations_number"), ["number"], unique=False)
        batch_op.create_index("ix_lead_registrations_round_id", ["round_id"], unique=False)
        batch_op.create_index("ix_lead_registrations_status", ["status"], unique=False)
        batch_op.create_index("ix_lead_registrations_target_id", ["target_id"], unique=False)

    op.create_table(
        "member_appraisals",
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
        sa.Column("member_id", sa.Text(), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("gender", sa.Text(), nullable=False),
        sa.Column("birth_month", sa.Text(), nullable=False),
        sa.Column("political_status", sa.Text(), nullable=False),
        sa.Column("home_unit_post", sa.Text(), nullable=False),
        sa.Column("duty", sa.Text(), nullable=False),
        sa.Column("period_start", sa.Date(), nullable=True),
        sa.Column("period_end", sa.Date(), nullable=True),
        sa.Column("conduct_score", sa.BigInteger(), nullable=False),
        sa.Column("self_summary", sa.Text(), nullable=False),
        sa.Column("leader_comments", sa.JSON(), nullable=False),
        sa.Column("grade", sa.Text(), nullable=False),
        sa.Column("recommend_excellent", sa.Boolean(), nullable=False),
        sa.Column("group_opinion", sa.Text(), nullable=False),
        sa.Column("office_opinion", sa.Text(), nullable=False),
        sa.Column("feedback_unit", sa.Text(), nullable=False),
        sa.Column("appraised_on", sa.Date(), nullable=True),
        sa.Column("marking", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("member_appraisals", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_member_appraisals_deleted"), ["deleted"], unique=False)
        batch_op.create_index("ix_member_appraisals_group_id", ["group_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_member_appraisals_number"), ["number"], unique=False)
        batch_op.create_index("ix_member_appraisals_round_id", ["round_id"], unique=False)

    op.create_table(
        "personnel_evaluations",
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
        sa.Column("person_id", sa.Text(), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("post", sa.Text(), nullable=False),
        sa.Column("term_start", sa.Date(), nullable=True),
        sa.Column("portfolio", sa.Text(), nullable=False),
        sa.Column("is_top_leader", sa.Boolean(), nullable=False),
        sa.Column("dimensions", sa.JSON(), nullable=False),
        sa.Column("poll_scale", sa.Text(), nullable=False),
        sa.Column("poll_tallies", sa.JSON(), nullable=False),
        sa.Column("overall", sa.Text(), nullable=False),
        sa.Column("grade", sa.Text(), nullable=False),
        sa.Column("flag_for_org", sa.Boolean(), nullable=False),
        sa.Column("evaluated_on", sa.Date(), nullable=True),
        sa.Column("evaluator", sa.Text(), nullable=False),
        sa.Column("marking", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("personnel_evaluations", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_personnel_evaluations_deleted"), ["deleted"], unique=False)
        batch_op.create_index("ix_personnel_evaluations_group_id", ["group_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_personnel_evaluations_number"), ["number"], unique=False)
        batch_op.create_index("ix_personnel_evaluations_round_id", ["round_id"], unique=False)
        batch_op.create_index("ix_personnel_evaluations_target_id", ["target_id"], unique=False)

    op.create_table(
        "persons",
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
        sa.Column("target_id", sa.Text(), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("gender", sa.Text(), nullable=False),
        sa.Column("birth_month", sa.Text(), nullable=False),
        sa.Column("political_status", sa.Text(), nullable=False),
        sa.Column("unit", sa.Text(), nullable=False),
        sa.Column("post", sa.Text(), nullable=False),
        sa.Column("rank", sa.Text(), nullable=False),
        sa.Column("is_leadership", sa.Boolean(), nullable=False),
        sa.Column("leadership_order", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("persons", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_persons_deleted"), ["deleted"], unique=False)
        batch_op.create_index(batch_op.f("ix_persons_number"), ["number"], unique=False)
        batch_op.create_index("ix_persons_target_id", ["target_id"], unique=False)

    op.create_table(
        "record_links",
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
        sa.Column("from_type", sa.Text(), nullable=False),
        sa.Column("from_id", sa.Text(), nullable=False),
        sa.Column("to_type", sa.Text(), nullable=False),
        sa.Column("to_id", sa.Text(), nullable=False),
        sa.Column("kind", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("record_links", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_record_links_deleted"), ["deleted"], unique=False)
        batch_op.create_index("ix_record_links_from_id", ["from_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_record_links_number"), ["number"], unique=False)
        batch_op.create_index("ix_record_links_to_id", ["to_id"], unique=False)

    op.create_table(
        "search_doc",
        sa.Column("docid", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("record_type", sa.String(length=16), nullable=False),
        sa.Column("record_id", sa.String(length=36), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("docid"),
        sa.UniqueConstraint("record_type", "record_id", name="uq_search_doc_record"),
    )
    op.create_index(
        "ix_dictionary_entries_live_number", "dictionary_entries", ["deleted", "number", "id"], unique=False
    )
    op.create_index(
        "ix_group_members_live_number", "group_members", ["deleted", "number", "id"], unique=False
    )
    op.create_index(
        "ix_inspection_groups_live_number", "inspection_groups", ["deleted", "number", "id"], unique=False
    )
    op.create_index(
        "ix_inspection_rounds_live_number", "inspection_rounds", ["deleted", "number", "id"], unique=False
    )
    op.create_index(
        "ix_interview_records_live_held_on", "interview_records", ["deleted", "held_on"], unique=False
    )
    op.create_index(
        "ix_interview_records_live_number", "interview_records", ["deleted", "number", "id"], unique=False
    )
    op.create_index(
        "ix_issue_drafts_live_prepared_on", "issue_drafts", ["deleted", "prepared_on"], unique=False
    )
    op.create_index(
        "ix_lead_registrations_live_number", "lead_registrations", ["deleted", "number", "id"], unique=False
    )
    op.create_index(
        "ix_lead_registrations_live_registered_on",
        "lead_registrations",
        ["deleted", "registered_on"],
        unique=False,
    )
    op.create_index(
        "ix_member_appraisals_live_appraised_on",
        "member_appraisals",
        ["deleted", "appraised_on"],
        unique=False,
    )
    op.create_index(
        "ix_member_appraisals_live_number", "member_appraisals", ["deleted", "number", "id"], unique=False
    )
    op.create_index(
        "ix_personnel_evaluations_live_evaluated_on",
        "personnel_evaluations",
        ["deleted", "evaluated_on"],
        unique=False,
    )
    op.create_index(
        "ix_personnel_evaluations_live_number",
        "personnel_evaluations",
        ["deleted", "number", "id"],
        unique=False,
    )
    if op.get_bind().dialect.name == "sqlite":
        for statement in FTS_DDL:
            op.execute(statement)
    op.create_table(
        "settings",
        sa.Column("key", sa.String(length=64), nullable=False),
        sa.Column("value", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("key"),
    )
    op.create_table(
        "sync_conflict",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("record_type", sa.String(length=16), nullable=False),
        sa.Column("record_id", sa.String(length=36), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("head_rev_ids", sa.Text(), nullable=False),
        sa.Column("base_rev_id", sa.String(length=64), nullable=True),
        sa.Column("fields", sa.Text(), nullable=False),
        sa.Column("detected_at", sa.String(length=40), nullable=False),
        sa.Column("detected_package", sa.String(length=36), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("resolution_rev_id", sa.String(length=64), nullable=True),
        sa.Column("resolved_by", sa.String(length=64), nullable=True),
        sa.Column("resolved_at", sa.String(length=40), nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("sync_conflict", schema=None) as batch_op:
        batch_op.create_index("ix_sync_conflict_record", ["record_type", "record_id"], unique=False)

    op.create_table(
        "sync_head",
        sa.Column("record_type", sa.String(length=16), nullable=False),
        sa.Column("record_id", sa.String(length=36), nullable=False),
        sa.Column("rev_id", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("record_type", "record_id", "rev_id"),
    )
    op.create_table(
        "sync_knowledge",
        sa.Column("replica_id", sa.String(length=36), nullable=False),
        sa.Column("incarnation", sa.Integer(), nullable=False),
        sa.Column("max_contiguous", sa.BigInteger(), nullable=False),
        sa.Column("extra_counters", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("replica_id", "incarnation"),
    )
    op.create_table(
        "sync_package",
        sa.Column("package_id", sa.String(length=36), nullable=False),
        sa.Column("direction", sa.String(length=8), nullable=False),
        sa.Column("peer_replica", sa.String(length=36), nullable=True),
        sa.Column("manifest_sha256", sa.String(length=64), nullable=False),
        sa.Column("created_hlc", sa.String(length=40), nullable=False),
        sa.Column("imported_at", sa.String(length=40), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("package_id"),
    )
    op.create_table(
        "sync_peer_ack",
        sa.Column("peer_replica", sa.String(length=36), nullable=False),
        sa.Column("knowledge", sa.Text(), nullable=False),
        sa.Column("updated_at", sa.String(length=40), nullable=False),
        sa.PrimaryKeyConstraint("peer_replica"),
    )
    op.create_table(
        "sync_replica",
        sa.Column("replica_id", sa.String(length=36), nullable=False),
        sa.Column("label", sa.Text(), nullable=False),
        sa.Column("role", sa.String(length=16), nullable=False),
        sa.Column("sign_pubkey", sa.LargeBinary(), nullable=True),
        sa.Column("box_pubkey", sa.LargeBinary(), nullable=True),
        sa.Column("is_self", sa.Boolean(), nullable=False),
        sa.Column("revoked_at", sa.String(length=40), nullable=True),
        sa.PrimaryKeyConstraint("replica_id"),
    )
    op.create_table(
        "sync_keyring",
        sa.Column("key_id", sa.String(length=64), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("scope_id", sa.String(length=36), nullable=False),
        sa.Column("recipient", sa.Text(), nullable=False),
        sa.Column("identity", sa.LargeBinary(), nullable=True),
        sa.Column("created_at", sa.String(length=40), nullable=False),
        sa.PrimaryKeyConstraint("key_id"),
    )
    op.create_table(
        "sync_revision",
        sa.Column("rev_id", sa.String(length=64), nullable=False),
        sa.Column("record_type", sa.String(length=16), nullable=False),
        sa.Column("record_id", sa.String(length=36), nullable=False),
        sa.Column("origin_replica", sa.String(length=36), nullable=False),
        sa.Column("origin_incarnation", sa.Integer(), nullable=False),
        sa.Column("origin_counter", sa.BigInteger(), nullable=False),
        sa.Column("hlc", sa.String(length=40), nullable=False),
        sa.Column("author_user", sa.String(length=64), nullable=False),
        sa.Column("schema_version", sa.Integer(), nullable=False),
        sa.Column("deleted", sa.Boolean(), nullable=False),
        sa.Column("body", sa.Text(), nullable=True),
        sa.Column("body_sha256", sa.String(length=64), nullable=False),
        sa.Column("origin_sig", sa.LargeBinary(), nullable=False),
        sa.Column("received_package", sa.String(length=36), nullable=True),
        sa.Column("received_at", sa.String(length=40), nullable=True),
        sa.PrimaryKeyConstraint("rev_id"),
        sa.UniqueConstraint(
            "origin_replica", "origin_incarnation", "origin_counter", name="uq_sync_revision_origin"
        ),
    )
    with op.batch_alter_table("sync_revision", schema=None) as batch_op:
        batch_op.create_index("ix_sync_revision_record", ["record_type", "record_id"], unique=False)

    op.create_table(
        "sync_revision_parent",
        sa.Column("rev_id", sa.String(length=64), nullable=False),
        sa.Column("parent_rev_id", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("rev_id", "parent_rev_id"),
    )
    with op.batch_alter_table("sync_revision_parent", schema=None) as batch_op:
        batch_op.create_index("ix_sync_revision_parent_parent", ["parent_rev_id"], unique=False)

    op.create_table(
        "sync_self",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("workspace_id", sa.String(length=36), nullable=False),
        sa.Column("replica_id", sa.String(length=36), nullable=False),
        sa.Column("role", sa.String(length=16), nullable=False),
        sa.Column("incarnation", sa.Integer(), nullable=False),
        sa.Column("next_counter", sa.BigInteger(), nullable=False),
        sa.Column("hlc_last", sa.String(length=40), nullable=False),
        sa.Column("sign_key", sa.LargeBinary(), nullable=False),
        sa.Column("box_key", sa.LargeBinary(), nullable=False),
        sa.Column("created_at", sa.String(length=40), nullable=False),
        sa.Column("provisioned_by", sa.String(length=36), nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_table(
        "target_units",
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
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("kind", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("target_units", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_target_units_deleted"), ["deleted"], unique=False)
        batch_op.create_index("ix_target_units_group_id", ["group_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_target_units_number"), ["number"], unique=False)
        batch_op.create_index("ix_target_units_round_id", ["round_id"], unique=False)

    op.create_table(
        "users",
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
        sa.Column("login", sa.Text(), nullable=False),
        sa.Column("display_name", sa.Text(), nullable=False),
        sa.Column("role", sa.Text(), nullable=False),
        sa.Column("member_id", sa.Text(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_users_deleted"), ["deleted"], unique=False)
        batch_op.create_index(batch_op.f("ix_users_number"), ["number"], unique=False)

    op.create_index("ix_attachments_live_number", "attachments", ["deleted", "number", "id"], unique=False)
    op.create_index("ix_issue_drafts_live_number", "issue_drafts", ["deleted", "number", "id"], unique=False)
    op.create_index("ix_persons_live_number", "persons", ["deleted", "number", "id"], unique=False)
    op.create_index("ix_record_links_live_number", "record_links", ["deleted", "number", "id"], unique=False)
    op.create_index("ix_target_units_live_number", "target_units", ["deleted", "number", "id"], unique=False)
    op.create_index("ix_users_live_number", "users", ["deleted", "number", "id"], unique=False)


def downgrade() -> None:
    raise NotImplementedError("workspaces are never downgraded; restore a backup instead")
