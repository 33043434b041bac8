"""Workspace statistics count live records, the recycle bin and sync state."""

from __future__ import annotations

import dataclasses

from sqlalchemy import insert

from tests.builders import Context, appraisal, draft, evaluation, interview, lead
from xuncha_desktop.domain.record_types import APPRAISAL, DRAFT, EVALUATION, INTERVIEW, LEAD
from xuncha_desktop.services.attachments import AttachmentService
from xuncha_desktop.services.records import RecordService
from xuncha_desktop.services.statistics import workspace_stats
from xuncha_desktop.services.workspace import Workspace, new_id
from xuncha_desktop.storage.database import write_transaction
from xuncha_desktop.storage.tables import sync_conflict

REQUIRED_KEYS = {"interviews", "drafts", "leads", "evaluations", "attachments"}


def _conflict(status: str) -> dict[str, object]:
    return {
        "id": new_id(),
        "record_type": "draft",
        "record_id": new_id(),
        "kind": "soft",
        "head_rev_ids": "[]",
        "fields": "[]",
        "detected_at": "2025-03-01T00:00:00+00:00",
        "status": status,
    }


def test_stats_of_an_empty_workspace_count_nothing_but_the_setup(workspace: Workspace) -> None:
    stats = workspace_stats(workspace)
    assert set(stats) >= REQUIRED_KEYS
    assert all(stats[key] == 0 for key in REQUIRED_KEYS)
    assert stats["users"] == 1 and stats["recycle_bin"] == 0 and stats["open_conflicts"] == 0
    assert stats["revisions"] > 0 and stats["audit_entries"] > stats["revisions"]  # the init entry too


def test_stats_describe_the_workspace(workspace: Workspace) -> None:
    info = workspace_stats(workspace)["workspace"]
    assert info == {
        "path": str(workspace.path),
        "role": "field",
        "replica_id": workspace.info.replica_id,
        "incarnation": 1,
        "schema_version": workspace.info.schema_version,
    }


def test_stats_count_live_records_and_put_deleted_ones_in_the_recycle_bin(
    workspace: Workspace, ctx: Context
) -> None:
    talks = RecordService(workspace, INTERVIEW)
    gone = talks.save(interview(ctx))
    talks.save(interview(ctx))
    talks.delete(gone.id)
    RecordService(workspace, DRAFT).save(draft(ctx))
    RecordService(workspace, LEAD).save(lead(ctx))
    stats = workspace_stats(workspace)
    assert (stats["interviews"], stats["drafts"], stats["leads"]) == (1, 1, 1)
    assert stats["recycle_bin"] == 1
    assert (stats["rounds"], stats["groups"], stats["targets"]) == (1, 1, 1)


def test_evaluations_are_portraits_plus_appraisals(workspace: Workspace, ctx: Context) -> None:
    RecordService(workspace, EVALUATION).save(evaluation(ctx))
    RecordService(workspace, EVALUATION).save(evaluation(ctx, name="周丽", is_top_leader=False))
    RecordService(workspace, APPRAISAL).save(appraisal(ctx))
    stats = workspace_stats(workspace)
    assert (stats["portraits"], stats["appraisals"], stats["evaluations"]) == (2, 1, 3)


def test_attachments_count_live_attachment_records(workspace: Workspace, ctx: Context) -> None:
    paper = RecordService(workspace, DRAFT).save(draft(ctx))
    attachments = AttachmentService(workspace)
    attachments.add("draft", paper.id, "会议纪要.pdf", b"%PDF-1.4 one")
    removed = attachments.add("draft", paper.id, "凭证.jpg", b"jpeg bytes")
    attachments.remove(removed.id)
    assert workspace_stats(workspace)["attachments"] == 1


def test_status_breakdowns_list_every_state_in_workflow_order(workspace: Workspace, ctx: Context) -> None:
    drafts = RecordService(workspace, DRAFT)
    drafts.save(draft(ctx))
    drafts.save(draft(ctx, status="待复核"))
    drafts.save(draft(ctx, status="待复核"))
    RecordService(workspace, LEAD).save(lead(ctx))
    stats = workspace_stats(workspace)
    assert stats["drafts_by_status"] == {
        "草稿": 1,
        "待复核": 2,
        "待审签": 0,
        "已审签": 0,
        "已归并": 0,
        "已作废": 0,
    }
    assert list(stats["leads_by_status"]) == ["已登记", "已研判", "拟处置", "已移交", "已反馈", "已销号"]
    assert stats["leads_by_status"]["已登记"] == 1


def test_status_breakdown_ignores_deleted_records(workspace: Workspace, ctx: Context) -> None:
    drafts = RecordService(workspace, DRAFT)
    saved = drafts.save(draft(ctx))
    drafts.save(dataclasses.replace(saved, status="待复核"))
    drafts.delete(saved.id)
    assert sum(workspace_stats(workspace)["drafts_by_status"].values()) == 0


def test_only_open_conflicts_are_counted(workspace: Workspace) -> None:
    with write_transaction(workspace.engine) as conn:
        conn.execute(insert(sync_conflict), [_conflict("open"), _conflict("open"), _conflict("resolved")])
    assert workspace_stats(workspace)["open_conflicts"] == 2


def test_every_save_adds_a_revision_and_an_audit_entry(workspace: Workspace, ctx: Context) -> None:
    before = workspace_stats(workspace)
    RecordService(workspace, INTERVIEW).save(interview(ctx))
    after = workspace_stats(workspace)
    assert after["revisions"] == before["revisions"] + 1
    assert after["audit_entries"] == before["audit_entries"] + 1
