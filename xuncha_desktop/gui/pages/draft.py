"""The 问题底稿 page: list columns, form bindings, the 复核 / 审签 workflow buttons and the page spec."""

from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING, Any

from PySide6.QtWidgets import QPushButton, QTableWidget

from xuncha_desktop.domain import vocab
from xuncha_desktop.domain.classification import category_label
from xuncha_desktop.domain.issue_drafts import IssueDraft
from xuncha_desktop.domain.record_types import DRAFT
from xuncha_desktop.domain.states import DraftState
from xuncha_desktop.domain.workflows import DRAFT_WORKFLOW
from xuncha_desktop.gui import messages
from xuncha_desktop.gui.pages import form_behaviours as behave
from xuncha_desktop.gui.pages import table_rows
from xuncha_desktop.gui.pages.field_bindings import TableColumn
from xuncha_desktop.gui.pages.form_behaviours import FormHost
from xuncha_desktop.gui.pages.page_bindings import CONTEXT, MARKING, B, level1, level2
from xuncha_desktop.gui.pages.page_columns import field_column, target_column
from xuncha_desktop.gui.pages.page_types import (
    FilterSpec,
    PageSpec,
    level1_categories,
    plain,
)
from xuncha_desktop.gui.pages.record_table_model import Column
from xuncha_desktop.gui.pages.workflow_actions import workflow_actions
from xuncha_desktop.services.records.context_names import ContextNames
from xuncha_desktop.services.workspace import Workspace

if TYPE_CHECKING:  # the services of saving and workflow steps are loaded when first used, not at start-up
    from xuncha_desktop.services.records.draft_workflow import DraftWorkflow


def _status(r: IssueDraft) -> str:
    return r.status + ("（审签后修改）" if r.edited_after_signoff else "")


def columns(names: ContextNames) -> list[Column[Any]]:
    def col(name: str, width: int, **how: Any) -> Column[Any]:
        return field_column(DRAFT, name, width, **how)

    return [
        col("number", 13),
        col("title", 16),
        col("status", 5, value=_status),
        col("category_l1", 11, value=lambda r: category_label(r.category_l1) if r.category_l1 else ""),
        target_column(names),
        col("amount_yuan", 8, value=lambda r: r.amount_yuan or None, align_right=True),
        col("preparer", 4),
        col("prepared_on", 6),
        col("source", 5),
    ]


EVIDENCE_COLUMNS = (
    TableColumn("name", "材料名称"),
    TableColumn("source", "来源", width=6),
    TableColumn("pages", "页数", integer=True, width=3),
    TableColumn("evidence_no", "证据编号", width=6),
    TableColumn("interview_id"),
    TableColumn("attachment_sha256"),
)
SIGNOFF_COLUMNS = (
    TableColumn("step", "步骤", width=5),
    TableColumn("by", "签署人", width=4),
    TableColumn("role", "角色", width=3),
    TableColumn("at", "时间", width=9, display=lambda at: str(at or "").replace("T", " ")[:16]),
    TableColumn("opinion", "意见"),
    TableColumn("content_hash", "内容校验值", width=8),  # SHA-256; the full value is in the tooltip
)

BINDINGS = (
    *CONTEXT,
    B("status", "statusLabel", read_only=True),
    B("edited_after_signoff", "editedAfterSignoffCheck", read_only=True),
    B("prepared_on", "preparedOnDate"),
    B("preparer", "preparerEdit"),
    B("source", "sourceCombo", vocab.ISSUE_SOURCES),
    MARKING,
    B("category_l1", "categoryL1Combo", level1, ("round_id",), optional=True),
    B("category_l2", "categoryL2Combo", level2, ("round_id", "category_l1"), optional=True),
    B("category_l3", "categoryL3Edit"),
    B("severity", "severityCombo", vocab.ISSUE_SEVERITIES, optional=True),
    B("disciplines", "disciplinesChecks", vocab.DISCIPLINES, kind="checks"),
    B("special_tags", "specialTagsChecks", vocab.SPECIAL_TAGS, kind="checks"),
    B("immediate_fix", "immediateFixCheck"),
    B("key_attention", "keyAttentionCheck"),
    B("key_attention_reason", "keyAttentionReasonCombo", vocab.KEY_ATTENTION_REASONS, optional=True),
    B("title", "titleEdit"),
    B("description", "descriptionText"),
    B("discovery", "discoveryText"),
    B("basis", "basisText"),
    B("evidence", "evidenceTable", columns=EVIDENCE_COLUMNS),
    B("responsibility_types", "responsibilityTypesChecks", vocab.RESPONSIBILITY_TYPES, kind="checks"),
    B("responsible_party", "responsiblePartyEdit"),
    B("amount_yuan", "amountSpin", kind="amount"),
    B("amount_recovered_yuan", "amountRecoveredSpin", kind="amount"),
    B("suggestion", "suggestionText"),
    B("review_opinion", "reviewOpinionText"),
    B("group_meeting_opinion", "groupMeetingOpinionText"),
    B("approval_opinion", "approvalOpinionText"),
    B("unit_feedback", "unitFeedbackText"),
    B("filing_no", "filingNoEdit"),
    B("signoffs", "signoffsTable", read_only=True, columns=SIGNOFF_COLUMNS),
)


def _workflow(ws: Workspace) -> DraftWorkflow:
    from xuncha_desktop.services.records.draft_workflow import DraftWorkflow  # when a draft is saved

    return DraftWorkflow(ws)


ACTIONS = workflow_actions(DRAFT_WORKFLOW, _workflow)


def _save(ws: Workspace, draft: IssueDraft, **how: Any) -> IssueDraft:
    return _workflow(ws).save(draft, **how)


def _write_evidence_links(writer: Any, draft: IssueDraft) -> int:
    """The draft's save also links the talks and attachments its evidence names (in its transaction)."""
    from xuncha_desktop.services.records.evidence_links import write_evidence_links

    return write_evidence_links(writer, draft)


def _fresh(d: IssueDraft) -> IssueDraft:
    return dataclasses.replace(
        d,
        status=DraftState.DRAFT,
        signoffs=[],
        edited_after_signoff=False,
        review_opinion="",
        group_meeting_opinion="",
        approval_opinion="",
        filing_no="",
    )


def evidence_rows(host: FormHost) -> None:
    """佐证材料目录: add or remove rows, or pick talks and files of the unit as evidence."""
    form = host.form
    table = form.widget_of("evidence")
    assert isinstance(table, QTableWidget)

    def add() -> None:
        row = table_rows.append_row(table, EVIDENCE_COLUMNS, {"pages": 0})
        table.setCurrentCell(row, 0)
        first = table.item(row, 0)
        if first is not None:
            table.editItem(first)

    def remove() -> None:
        for row in sorted({i.row() for i in table.selectedIndexes()}, reverse=True):
            table.removeRow(row)

    def pick() -> None:
        from xuncha_desktop.services.records.evidence_links import evidence_candidates

        candidates = evidence_candidates(host.workspace, form.record())
        present = {(r.get("interview_id"), r.get("attachment_sha256")) for r in form.value("evidence")}
        offered = [
            c for c in candidates if (c.row["interview_id"], c.row["attachment_sha256"]) not in present
        ]
        if not offered:
            messages.show_info(
                host.dialog_parent,
                "选择佐证材料",
                "没有可添加的谈话记录或附件：请先选择巡察轮次和被巡察单位，或先添加附件。",
            )
            return
        for chosen in messages.pick_evidence(host.dialog_parent, offered):
            table_rows.append_row(table, EVIDENCE_COLUMNS, chosen.row)

    form.find(QPushButton, "addEvidenceButton").clicked.connect(add)
    form.find(QPushButton, "removeEvidenceButton").clicked.connect(remove)
    form.find(QPushButton, "pickEvidenceButton").clicked.connect(pick)


PAGE = PageSpec[IssueDraft](
    tab="问题底稿",
    title="问题底稿",
    record_type=DRAFT,
    columns=columns,
    heading=lambda r: r.title,
    form_file="issue_draft_form.ui",
    bindings=BINDINGS,
    new_record=lambda c: IssueDraft(
        round_id=c.round_id,
        group_id=c.group_id,
        target_id=c.target_id,
        prepared_on=c.today,
        preparer=c.user_name,
    ),
    filters=(
        FilterSpec("status", "状态", plain(vocab.DRAFT_STATES)),
        FilterSpec("category_l1", "类别", level1_categories()),
    ),
    actions=ACTIONS,
    behaviours=(
        behave.enable_when_checked("key_attention", "key_attention_reason"),
        evidence_rows,
    ),
    save_record=_save,
    after_save=_write_evidence_links,
    fresh_copy=_fresh,
)
