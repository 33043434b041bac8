"""The one statistics service: workspace counts (the `stats` command), the statistics workbook's figures
per unit, category and status, and the member workload, checked with exact numbers on built workspaces."""

from __future__ import annotations

import dataclasses
from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import insert, update

from tests.builders import Context, appraisal, draft, evaluation, interview, lead, petition
from xuncha_desktop.domain.lead_registrations import LeadRegistration
from xuncha_desktop.domain.organization import TargetUnit
from xuncha_desktop.domain.record_types import (
    APPRAISAL,
    DRAFT,
    EVALUATION,
    INTERVIEW,
    LEAD,
    PETITION,
    TARGET,
    record_type,
)
from xuncha_desktop.services.records.attachments import AttachmentService
from xuncha_desktop.services.records.record_service import RecordService
from xuncha_desktop.services.statistics import (
    CategoryFigures,
    UnitFigures,
    ledger_figures,
    ledger_total,
    workspace_figures,
)
from xuncha_desktop.services.workspace import Workspace, new_id
from xuncha_desktop.storage import revision_body
from xuncha_desktop.storage.database import write_transaction
from xuncha_desktop.storage.tables import BUSINESS_TABLES, sync_conflict

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
    stats = workspace_figures(workspace).as_json()
    assert set(stats) >= REQUIRED_KEYS
    assert all(stats[key] == 0 for key in REQUIRED_KEYS)
    assert stats["users"] == 1 and stats["recycle_bin"] == 0 and stats["open_conflicts"] == 0
    assert stats["revisions"] > 0 and stats["audit_entries"] > stats["revisions"]  # the init entry too


def test_stats_describe_the_workspace(workspace: Workspace) -> None:
    info = workspace_figures(workspace).as_json()["workspace"]
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
    petitions = RecordService(workspace, PETITION)
    petitions.save(petition(ctx))
    petitions.delete(petitions.save(petition(ctx, channel="来电")).id)
    stats = workspace_figures(workspace).as_json()
    assert (stats["interviews"], stats["drafts"], stats["leads"]) == (1, 1, 1)
    assert stats["petitions"] == 1  # 受理信访件次: the live ones
    assert stats["recycle_bin"] == 2
    assert (stats["rounds"], stats["groups"], stats["targets"]) == (1, 1, 1)


def test_evaluations_are_portraits_plus_appraisals(workspace: Workspace, ctx: Context) -> None:
    RecordService(workspace, EVALUATION).save(evaluation(ctx))
    RecordService(workspace, EVALUATION).save(evaluation(ctx, name="周丽", is_top_leader=False))
    RecordService(workspace, APPRAISAL).save(appraisal(ctx))
    stats = workspace_figures(workspace).as_json()
    assert (stats["portraits"], stats["appraisals"], stats["evaluations"]) == (2, 1, 3)


def test_attachments_count_live_attachment_records(workspace: Workspace, ctx: Context) -> None:
    paper = RecordService(workspace, DRAFT).save(draft(ctx))
    attachments = AttachmentService(workspace)
    attachments.add("draft", paper.id, "会议纪要.pdf", b"%PDF-1.4 one")
    removed = attachments.add("draft", paper.id, "凭证.jpg", b"jpeg bytes")
    attachments.remove(removed.id)
    assert workspace_figures(workspace).as_json()["attachments"] == 1


def test_status_breakdowns_list_every_state_in_workflow_order(workspace: Workspace, ctx: Context) -> None:
    drafts = RecordService(workspace, DRAFT)
    drafts.save(draft(ctx))
    drafts.save(draft(ctx, status="待复核"))
    drafts.save(draft(ctx, status="待复核"))
    RecordService(workspace, LEAD).save(lead(ctx))
    stats = workspace_figures(workspace).as_json()
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
    assert sum(workspace_figures(workspace).as_json()["drafts_by_status"].values()) == 0


def test_only_open_conflicts_are_counted(workspace: Workspace) -> None:
    with write_transaction(workspace.engine) as conn:
        conn.execute(insert(sync_conflict), [_conflict("open"), _conflict("open"), _conflict("resolved")])
    assert workspace_figures(workspace).as_json()["open_conflicts"] == 2


def test_every_save_adds_a_revision_and_an_audit_entry(workspace: Workspace, ctx: Context) -> None:
    before = workspace_figures(workspace).as_json()
    RecordService(workspace, INTERVIEW).save(interview(ctx))
    after = workspace_figures(workspace).as_json()
    assert after["revisions"] == before["revisions"] + 1
    assert after["audit_entries"] == before["audit_entries"] + 1


def test_the_json_document_keeps_its_fields_and_their_order(workspace: Workspace) -> None:
    document = workspace_figures(workspace).as_json()
    assert list(document) == [
        "workspace",
        "interviews",
        "drafts",
        "leads",
        "petitions",
        "evaluations",
        "portraits",
        "appraisals",
        "attachments",
        "rounds",
        "groups",
        "members",
        "targets",
        "persons",
        "users",
        "links",
        "dictionary_entries",
        "open_conflicts",
        "revisions",
        "audit_entries",
        "recycle_bin",
        "drafts_by_status",
        "leads_by_status",
        "rectification",
    ]
    assert workspace_figures(workspace).count("users") == document["users"] == 1
    with pytest.raises(KeyError):
        workspace_figures(workspace).count("drafts_by_status")


def test_unknown_statuses_follow_the_workflow_in_sorted_order(workspace: Workspace, ctx: Context) -> None:
    drafts = RecordService(workspace, DRAFT)
    for status in ("草稿", "乙状态", "甲状态", "乙状态"):
        saved = drafts.save(draft(ctx))
        with write_transaction(workspace.engine) as conn:  # a state from a newer version, arrived by sync
            table = BUSINESS_TABLES[DRAFT.key]
            revision_body.spill(conn, DRAFT.key, [saved.id])  # the row stops being its head's body
            conn.execute(update(table).where(table.c.id == saved.id).values(status=status))
    by_status = workspace_figures(workspace).drafts_by_status
    assert list(by_status)[-2:] == sorted(["乙状态", "甲状态"])
    assert (by_status["草稿"], by_status["乙状态"], by_status["甲状态"]) == (1, 2, 1)


# -- the statistics workbook's figures ----------------------------------------------------------------------


def _transferred(ctx: Context, transfer_on: date, **kw: object) -> LeadRegistration:
    values: dict[str, object] = dict(
        status="已移交",
        group_opinion="具有可查性",
        group_opinion_on=date(2025, 3, 13),
        proposed_disposal="移交纪检监察机关",
        transfer_unit="县纪委监委",
        transfer_on=transfer_on,
        receiver="周某",
        transfer_method="密封专人移送",
    )
    return lead(ctx, **(values | kw))


def _second_unit(workspace: Workspace, ctx: Context) -> Context:
    other = RecordService[TargetUnit](workspace, TARGET).save(
        TargetUnit(round_id=ctx.round.id, group_id=ctx.group.id, name="清河县教育局党组", kind="县直部门")
    )
    return dataclasses.replace(ctx, target=other)


def _two_units(workspace: Workspace, ctx: Context) -> Context:
    """财政局: 2 talks (one deleted besides), drafts 已审签 B2 100.50 + 草稿 B1 20 + 已作废 B1 999,
    leads: one overdue transfer, one answered transfer, one registered.
    教育局: 1 talk, 1 draft 待复核 B2 5."""
    edu = _second_unit(workspace, ctx)
    talks = RecordService(workspace, INTERVIEW)
    talks.save(interview(ctx))
    talks.save(interview(ctx))
    talks.delete(talks.save(interview(ctx)).id)
    talks.save(interview(edu))
    drafts = RecordService(workspace, DRAFT)
    drafts.save(draft(ctx, status="已审签", amount_yuan=Decimal("100.50")))
    drafts.save(draft(ctx, category_l1="B1", amount_yuan=Decimal("20")))
    drafts.save(draft(ctx, category_l1="B1", status="已作废", amount_yuan=Decimal("999")))
    drafts.save(draft(edu, status="待复核", amount_yuan=Decimal("5")))
    leads = RecordService(workspace, LEAD)
    leads.save(_transferred(ctx, date(2025, 3, 20)))  # due 2025-06-20, no feedback: overdue on 07-01
    leads.save(
        _transferred(
            ctx, date(2025, 3, 20), feedback_on=date(2025, 5, 1), outcome_type="初步核实", status="已反馈"
        )
    )
    leads.save(lead(ctx))
    return edu


def test_ledger_figures_count_per_unit_with_exact_numbers(workspace: Workspace, ctx: Context) -> None:
    edu = _two_units(workspace, ctx)
    figures = ledger_figures(workspace, {}, date(2025, 7, 1))
    assert {u.target_id: u for u in figures.units} == {
        ctx.target.id: UnitFigures(
            ctx.target.id,
            interviews=2,
            drafts=3,
            signed=1,
            amount=Decimal("120.50"),
            leads=3,
            transferred=2,
            overdue=1,
        ),
        edu.target.id: UnitFigures(edu.target.id, interviews=1, drafts=1, amount=Decimal("5")),
    }


def test_ledger_figures_count_categories_without_voided_drafts(workspace: Workspace, ctx: Context) -> None:
    _two_units(workspace, ctx)
    figures = ledger_figures(workspace, {}, date(2025, 7, 1))
    assert figures.categories == (
        CategoryFigures("B1", 1, Decimal("20")),
        CategoryFigures("B2", 2, Decimal("105.50")),
    )


def test_ledger_figures_list_every_state_in_workflow_order(workspace: Workspace, ctx: Context) -> None:
    _two_units(workspace, ctx)
    statuses = ledger_figures(workspace, {}, date(2025, 7, 1)).statuses
    assert [(s.record_type, s.status, s.count) for s in statuses] == [
        ("draft", "草稿", 1),
        ("draft", "待复核", 1),
        ("draft", "待审签", 0),
        ("draft", "已审签", 1),
        ("draft", "已归并", 0),
        ("draft", "已作废", 1),
        ("lead", "已登记", 1),
        ("lead", "已研判", 0),
        ("lead", "拟处置", 0),
        ("lead", "已移交", 1),
        ("lead", "已反馈", 1),
        ("lead", "已销号", 0),
    ]


def test_ledger_figures_follow_the_filter_and_the_day(workspace: Workspace, ctx: Context) -> None:
    edu = _two_units(workspace, ctx)
    only_edu = ledger_figures(workspace, {"target_id": edu.target.id}, date(2025, 7, 1))
    assert [u.target_id for u in only_edu.units] == [edu.target.id]
    assert only_edu.categories == (CategoryFigures("B2", 1, Decimal("5")),)
    before_due = ledger_figures(workspace, {"target_id": ctx.target.id}, date(2025, 6, 20))
    assert [u.overdue for u in before_due.units] == [0]
    assert ledger_total(workspace, {}) == 3 + 4 + 3


def test_ledger_figures_read_through_the_given_reader(workspace: Workspace, ctx: Context) -> None:
    _two_units(workspace, ctx)
    seen: list[str] = []

    def read(key: str) -> list[object]:
        seen.append(key)
        return list(RecordService(workspace, record_type(key)).iterate()) if key == "interview" else []

    figures = ledger_figures(workspace, {}, date(2025, 7, 1), read=read)
    assert seen == ["interview", "draft", "lead"]
    assert sorted(u.interviews for u in figures.units) == [1, 2] and figures.categories == ()
