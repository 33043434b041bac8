"""生成报告初稿…: the dialog's choice written in the background (one document, or one per unit of a round
with progress and cancel), then announced with an offer to open it (a document) or its folder (a round)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QMessageBox, QWidget

from xuncha_desktop.domain.issue_drafts import IssueDraft
from xuncha_desktop.domain.record_types import DRAFT
from xuncha_desktop.gui import export_folder, messages
from xuncha_desktop.gui.background import run_with_progress
from xuncha_desktop.gui.dialogs.report_dialog import Choice, ReportChoice, ReportDialog
from xuncha_desktop.services.progress import Progress
from xuncha_desktop.services.records.context_names import load_context_names
from xuncha_desktop.services.records.record_service import ListQuery, RecordService
from xuncha_desktop.services.reports.generate import (
    REPORT_TITLES,
    BatchResult,
    ReportResult,
    file_name,
    generate,
    generate_for_units,
)
from xuncha_desktop.services.reports.sources import units_of_round
from xuncha_desktop.services.workspace import Workspace

TITLE = "生成报告初稿"


def show_report_dialog(dialog: ReportDialog) -> ReportChoice | None:
    """Show the dialog modally (tests replace this to fill it in themselves)."""
    return dialog.choice() if messages.exec_dialog(dialog) else None


def ask_open(parent: QWidget | None, text: str, what: str) -> bool:
    box = QMessageBox(QMessageBox.Icon.Information, TITLE, text, QMessageBox.StandardButton.NoButton, parent)
    box.addButton(what, QMessageBox.ButtonRole.YesRole)
    box.addButton("关闭", QMessageBox.ButtonRole.RejectRole)
    return messages.exec_dialog(box)


def open_path(path: Path) -> None:
    """The document in Word or WPS, or a folder in the file manager (tests replace this)."""
    QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))


def report_choices(workspace: Workspace) -> tuple[list[Choice], dict[str, list[Choice]]]:
    """The rounds (latest first) and each round's units, read once when the dialog opens."""
    names = load_context_names(workspace)
    rounds = sorted(names.rounds.values(), key=lambda r: (-r.year, -r.ordinal, r.name))
    units = {r.id: [(t.id, t.name) for t in units_of_round(workspace, r.id)] for r in rounds}
    return [(r.id, r.name) for r in rounds], units


def drafts_of(workspace: Workspace, unit_id: str) -> list[Choice]:
    """A unit's 底稿 (any state) for a 审批单: number, title and where it stands."""
    query = ListQuery(filters={"target_id": unit_id}, limit=None)
    return [
        (d.id, f"{d.number}　{d.title}（{d.status}）")
        for d in RecordService[IssueDraft](workspace, DRAFT).list(query)
    ]


def generate_reports(parent: QWidget | None, workspace: Workspace) -> None:
    rounds, units = report_choices(workspace)
    if not rounds:
        messages.show_info(parent, TITLE, "还没有巡察轮次和被巡察单位，无法生成报告。")
        return
    dialog = ReportDialog(
        rounds,
        lambda r: units.get(r, []),
        lambda u: drafts_of(workspace, u),
        export_folder.start_folder(parent),
        parent,
    )
    choice = show_report_dialog(dialog)
    if choice is None:
        return
    names = load_context_names(workspace)
    if choice.kind == "approval":
        draft = RecordService[IssueDraft](workspace, DRAFT).get(choice.draft_id)
        target = choice.folder / file_name(draft.number, "approval", choice.suffix)
    else:
        target = choice.folder / file_name(names.target(choice.unit_ids[0]), choice.kind, choice.suffix)
    if not export_folder.accept(parent, target, encrypted=False):
        return
    if choice.batch:
        _batch(parent, workspace, choice)
    else:
        _one(parent, workspace, choice, target)


def _one(parent: QWidget | None, workspace: Workspace, choice: ReportChoice, target: Path) -> None:
    title = REPORT_TITLES[choice.kind]

    def job(progress: Progress) -> ReportResult:
        unit = choice.unit_ids[0] if choice.kind != "approval" else ""
        return generate(
            workspace, choice.kind, target, target_id=unit, draft_id=choice.draft_id, progress=progress
        )

    def done(result: ReportResult) -> None:
        if ask_open(parent, f"已生成{title}：\n{result.path}", "打开文档"):
            open_path(result.path)

    run_with_progress(parent, f"正在生成{title}", job, done)


def _batch(parent: QWidget | None, workspace: Workspace, choice: ReportChoice) -> None:
    title = REPORT_TITLES[choice.kind]

    def job(progress: Progress) -> BatchResult:
        return generate_for_units(
            workspace, choice.kind, choice.unit_ids, choice.folder, choice.suffix, progress=progress
        )

    def done(result: BatchResult) -> None:
        text = f"已生成{title} {len(result.written)} 份，保存在：\n{choice.folder}"
        if result.skipped:
            text += "\n\n未生成：\n" + "\n".join(f"{unit}：{why}" for unit, why in result.skipped)
        if ask_open(parent, text, "打开文件夹"):
            open_path(choice.folder)

    run_with_progress(parent, f"正在生成{title}", job, done)
