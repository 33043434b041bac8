"""Text stored zlib-compressed where that is smaller, read back as exactly the text that was written.

Revision bodies are canonical JSON whose hash and signature are over the text itself: they are compressed
only in the file (a BLOB in the TEXT column) and every read gives the canonical text again, so hashes and
signatures are checked on the decompressed body as before. Rows written before compression (TEXT values)
read unchanged, and a short body that zlib would not shrink stays plain text.

A body is compressed against a preset dictionary holding the field names of every record type as canonical
JSON spells them, so even a short body does not spend its bytes naming its fields. The zlib stream names
its dictionary (the Adler-32 in its header): a dictionary, once used, is kept here for ever, and a new one
is added beside it, never changed.
"""

from __future__ import annotations

import zlib
from typing import Any

from sqlalchemy import Text, TypeDecorator

LEVEL = 9  # bodies are written once and read often: the dearest level costs little
FDICT = 0x20  # the bit of a zlib stream's second byte saying a dictionary id follows

# Field names of the record types as of schema version 8 (frozen: the dictionary's bytes must never change),
# the main record types last, where the compressor finds them nearest.
_FIELD_NAMES_V8 = (
    (
        "earlier_round_id",
        "end_on",
        "framework",
        "framework_version",
        "kind",
        "name",
        "number",
        "ordinal",
        "start_on",
        "year",
    ),
    (
        "name",
        "number",
        "ordinal",
        "recommendations",
        "round_id",
        "special_reports",
    ),
    (
        "avoidance_override",
        "birth_month",
        "cadre_id",
        "duty",
        "end_on",
        "gender",
        "group_id",
        "home_post",
        "home_unit",
        "name",
        "number",
        "political_status",
        "role",
        "staffing",
        "start_on",
    ),
    (
        "files_read",
        "group_id",
        "kind",
        "name",
        "number",
        "org_id",
        "questionnaires",
        "round_id",
        "site_visits",
    ),
    (
        "birth_month",
        "gender",
        "is_leadership",
        "leadership_order",
        "name",
        "number",
        "political_status",
        "post",
        "rank",
        "target_id",
        "unit",
    ),
    (
        "active",
        "display_name",
        "login",
        "member_id",
        "number",
        "role",
    ),
    (
        "code",
        "framework",
        "label",
        "number",
        "parent_code",
        "sort_order",
        "version",
    ),
    (
        "active",
        "kind",
        "name",
        "note",
        "number",
        "parent_id",
        "retired_reason",
    ),
    (
        "birth_month",
        "earlier_units",
        "gender",
        "home_post",
        "home_unit",
        "name",
        "note",
        "number",
        "phone",
        "political_status",
        "specialities",
        "status",
        "status_reason",
    ),
    (
        "attendees",
        "draft_ids",
        "form",
        "given_by",
        "given_on",
        "group_id",
        "marking",
        "meeting_held_on",
        "note",
        "number",
        "plan_due_on",
        "plan_received_on",
        "report_due_on",
        "report_received_on",
        "round_id",
        "target_id",
    ),
    (
        "acceptance_opinion",
        "accepted_by",
        "accepted_on",
        "accountability",
        "amount_recovered_yuan",
        "category",
        "closed_by",
        "closed_on",
        "completed_on",
        "draft_id",
        "due_on",
        "feedback_id",
        "goal",
        "group_id",
        "institutions",
        "issue",
        "marking",
        "measures",
        "number",
        "responsible_person",
        "responsible_unit",
        "round_id",
        "status",
        "target_id",
    ),
    (
        "group_id",
        "noted_by",
        "noted_on",
        "number",
        "progress",
        "round_id",
        "status_then",
        "target_id",
        "task_id",
    ),
    (
        "checked_by",
        "checked_on",
        "finding",
        "group_id",
        "number",
        "result",
        "round_id",
        "target_id",
        "task_id",
    ),
    (
        "note",
        "number",
        "organ",
        "reconciled_by",
        "reconciled_on",
        "round_id",
    ),
    (
        "groups",
        "note",
        "number",
        "published_by",
        "published_on",
        "round_id",
        "scheme_version",
    ),
    (
        "file_name",
        "mime",
        "note",
        "number",
        "record_id",
        "record_type",
        "sha256",
        "size",
    ),
    (
        "from_id",
        "from_type",
        "kind",
        "number",
        "to_id",
        "to_type",
    ),
    (
        "birth_month",
        "contact",
        "content",
        "end_time",
        "gender",
        "group_id",
        "held_on",
        "interview_type",
        "interviewee_id",
        "interviewee_name",
        "interviewee_signed",
        "interviewer",
        "interviewer_signed",
        "location",
        "marking",
        "notice_given",
        "number",
        "outline",
        "page_count",
        "persons_involved",
        "political_status",
        "post",
        "problems",
        "rank",
        "recorder",
        "recorder_signed",
        "round_id",
        "start_time",
        "target_id",
        "team_evaluation",
    ),
    (
        "amount_recovered_yuan",
        "amount_yuan",
        "approval_opinion",
        "basis",
        "category_l1",
        "category_l2",
        "category_l3",
        "description",
        "disciplines",
        "discovery",
        "edited_after_signoff",
        "evidence",
        "filing_no",
        "group_id",
        "group_meeting_opinion",
        "immediate_fix",
        "key_attention",
        "key_attention_reason",
        "marking",
        "number",
        "prepared_on",
        "preparer",
        "responsibility_types",
        "responsible_party",
        "review_opinion",
        "round_id",
        "severity",
        "signoffs",
        "source",
        "special_tags",
        "status",
        "suggestion",
        "target_id",
        "title",
        "unit_feedback",
    ),
    (
        "amount_yuan",
        "anonymous",
        "case_opened",
        "closed",
        "consultation_on",
        "consultation_opinion",
        "disciplines",
        "feedback_on",
        "group_id",
        "group_opinion",
        "group_opinion_on",
        "judicial_transfer",
        "jurisdiction",
        "leader_approved_on",
        "leader_approver",
        "marking",
        "number",
        "on_site_transfer",
        "org_handling",
        "outcome",
        "outcome_type",
        "proposed_disposal",
        "receiver",
        "registered_by",
        "registered_on",
        "reporter_contact",
        "reporter_name",
        "round_id",
        "sanction",
        "source",
        "status",
        "subject_name",
        "subject_person_id",
        "subject_post",
        "subject_rank",
        "summary",
        "target_id",
        "transfer_method",
        "transfer_on",
        "transfer_unit",
        "verifiability",
    ),
    (
        "dimensions",
        "evaluated_on",
        "evaluator",
        "flag_for_org",
        "grade",
        "group_id",
        "is_top_leader",
        "marking",
        "name",
        "number",
        "overall",
        "person_id",
        "poll_scale",
        "poll_tallies",
        "portfolio",
        "post",
        "round_id",
        "target_id",
        "term_start",
    ),
    (
        "appraised_on",
        "approvals",
        "approved_grade",
        "birth_month",
        "conduct_score",
        "duty",
        "feedback_unit",
        "gender",
        "grade",
        "group_id",
        "group_opinion",
        "home_unit_post",
        "leader_comments",
        "marking",
        "member_id",
        "name",
        "number",
        "office_opinion",
        "period_end",
        "period_start",
        "political_status",
        "recommend_excellent",
        "round_id",
        "self_summary",
        "status",
    ),
    (
        "anonymous",
        "channel",
        "decided_by",
        "disposal",
        "disposed_on",
        "forwarded_to",
        "group_id",
        "marking",
        "number",
        "received_on",
        "registered_by",
        "reporter_contact",
        "reporter_name",
        "round_id",
        "subject_name",
        "subject_unit",
        "summary",
        "target_id",
        "within_remit",
    ),
)


def _field_name_dictionary(types: tuple[tuple[str, ...], ...]) -> bytes:
    """Each type's names as its canonical JSON body spells them: {"a":"","b":""}."""
    return "".join("{" + ",".join(f'"{n}":""' for n in names) + "}" for names in types).encode("utf-8")


DICTIONARY = _field_name_dictionary(_FIELD_NAMES_V8)
# Every dictionary a stored body may name, by its Adler-32.
DICTIONARIES = {zlib.adler32(DICTIONARY): DICTIONARY}


def pack(text: str) -> str | bytes:
    """What the file holds for `text`: its zlib stream when that is smaller, else the text."""
    raw = text.encode("utf-8")
    compressor = zlib.compressobj(LEVEL, zdict=DICTIONARY)
    packed = compressor.compress(raw) + compressor.flush()
    return packed if len(packed) < len(raw) else text


def unpack(value: str | bytes) -> str:
    """The text of a stored value, compressed (bytes) or not (str)."""
    if isinstance(value, str):
        return value
    if len(value) >= 6 and value[1] & FDICT:
        named = int.from_bytes(value[2:6], "big")
        if named not in DICTIONARIES:
            raise zlib.error("unknown preset dictionary")
        decompressor = zlib.decompressobj(zdict=DICTIONARIES[named])
        raw = decompressor.decompress(value) + decompressor.flush()
        if not decompressor.eof:
            raise zlib.error("incomplete stream")
        return raw.decode("utf-8")
    return zlib.decompress(value).decode("utf-8")


class CompressedText(TypeDecorator[str]):
    """A TEXT column whose values the file holds compressed (the DDL stays TEXT: no schema change)."""

    impl = Text
    cache_ok = True

    def process_bind_param(self, value: str | None, dialect: Any) -> str | bytes | None:
        return None if value is None else pack(value)

    def process_result_value(self, value: str | bytes | None, dialect: Any) -> str | None:
        if value is None:
            return None
        try:
            return unpack(value)
        except (zlib.error, UnicodeDecodeError):
            # Damaged bytes: an empty text, which no canonical body's hash matches, so the integrity
            # check names the revision instead of every reader failing on it.
            return ""
