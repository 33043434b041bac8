"""What the record dataclasses declare (domain.fields), pinned to the lists storage, merge, imports and sync
kept by hand before: a changed declaration changes indexes, merges or what a group's laptops receive."""

from __future__ import annotations

from xuncha_desktop.domain import record_types as rts


def test_list_dates_and_filters() -> None:
    assert {rt.key: rt.date_field for rt in rts.MAIN_RECORD_TYPES} == {
        "interview": "held_on",
        "draft": "prepared_on",
        "lead": "registered_on",
        "evaluation": "evaluated_on",
        "appraisal": "appraised_on",
        "petition": "received_on",
    }
    assert {rt.key: rt.date_field for rt in rts.RECTIFICATION_TYPES} == {
        "feedback": "given_on",
        "task": "due_on",
        "supervision": "noted_on",
        "recheck": "checked_on",
        "reconciliation": "reconciled_on",
    }
    assert rts.GROUP_SCORE.date_field == "published_on"
    others = (*rts.MAIN_RECORD_TYPES, *rts.RECTIFICATION_TYPES, rts.GROUP_SCORE)
    assert not any(rt.date_field for rt in rts.ALL_RECORD_TYPES if rt not in others)
    assert {rt.key: rt.filter_fields for rt in rts.MAIN_RECORD_TYPES} == {
        "interview": ("interview_type",),
        "draft": ("category_l1", "status"),
        "lead": ("proposed_disposal", "status"),
        "evaluation": ("grade",),
        "appraisal": ("grade", "status"),
        "petition": ("channel", "disposal"),
    }


def test_single_column_indexes() -> None:
    indexed = {rt.key: rt.indexed_fields for rt in rts.ALL_RECORD_TYPES if rt.indexed_fields}
    assert indexed == {
        "group": ("round_id",),
        "member": ("group_id", "cadre_id"),
        "target": ("round_id", "group_id", "org_id"),
        "person": ("target_id",),
        "interview": ("round_id", "group_id", "target_id"),
        "draft": ("round_id", "group_id", "target_id", "status"),
        "lead": ("round_id", "group_id", "target_id", "status"),
        "evaluation": ("round_id", "group_id", "target_id"),
        "appraisal": ("round_id", "group_id", "status"),
        "petition": ("round_id", "group_id", "target_id"),
        "attachment": ("record_id",),
        "link": ("from_id", "to_id"),
        "party_org": ("kind", "parent_id"),
        "cadre": ("status",),
        "feedback": ("round_id", "group_id", "target_id"),
        "task": ("round_id", "group_id", "target_id", "feedback_id", "draft_id", "status"),
        "supervision": ("round_id", "group_id", "target_id", "task_id"),
        "recheck": ("round_id", "group_id", "target_id", "task_id"),
        "reconciliation": ("round_id",),
        "group_score": ("round_id",),
    }


def test_sets_lists_and_group_scope() -> None:
    assert rts.set_fields() == {
        *("disciplines", "special_tags", "responsibility_types", "persons_involved"),
        *("earlier_units", "specialities"),  # 人才库
        "draft_ids",  # 反馈问题
    }
    assert rts.list_fields() == rts.set_fields() | {"problems"}  # 反映问题摘要 keep the order told
    assert {rt for rt in rts.ALL_RECORD_TYPES if rt.group_scoped} == {
        rts.MEMBER,
        rts.TARGET,
        *rts.MAIN_RECORD_TYPES,
        *(rts.FEEDBACK, rts.TASK, rts.SUPERVISION, rts.RECHECK),  # numbered in the group; kept at the office
    }  # MEMBER, TARGET and MAIN_RECORD_TYPES are what services.sync sends to a group's laptops by group_id


def test_full_text_fields() -> None:
    assert {rt.key: set(rt.text_fields) for rt in rts.ALL_RECORD_TYPES if rt.text_fields} == {
        "interview": {
            *("number", "interviewee_name", "post", "location", "interviewer", "recorder"),
            *("outline", "content", "problems", "team_evaluation"),
        },
        "draft": {
            *("number", "title", "description", "discovery", "basis", "suggestion", "responsible_party"),
            *("evidence", "review_opinion", "group_meeting_opinion", "approval_opinion"),
        },
        "lead": {
            *("number", "subject_name", "subject_post", "summary", "group_opinion"),
            *("consultation_opinion", "transfer_unit", "outcome"),
        },
        "evaluation": {"number", "name", "post", "portfolio", "dimensions", "overall"},
        "appraisal": {"number", "name", "home_unit_post", "self_summary", "leader_comments", "group_opinion"},
        "petition": {"number", "subject_name", "subject_unit", "summary", "forwarded_to"},
        "party_org": {"name"},
        "cadre": {"name", "home_unit"},
        "feedback": {"note", "number"},
        "task": {"issue", "measures", "responsible_unit", "number"},
        "supervision": {"progress"},
        "recheck": {"finding"},
    }


def test_every_field_of_a_main_record_has_a_label() -> None:
    for rt in rts.MAIN_RECORD_TYPES:
        assert [f.name for f in rt.fields if not f.label] == [], rt.key
