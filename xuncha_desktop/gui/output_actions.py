"""打印, 导出台账 and 导入台账: PDFs rendered in the background and previewed from memory, ledgers written
and read in the background. The small `show_*` / `choose_*` functions are the modal dialogs tests replace."""

from __future__ import annotations

import io
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any, BinaryIO

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

from xuncha_desktop.domain.organization import TargetUnit
from xuncha_desktop.domain.record_types import TARGET, record_type
from xuncha_desktop.gui import export_folder, messages
from xuncha_desktop.gui.background import error_text, run_and_wait, run_with_progress
from xuncha_desktop.gui.dialogs.ledger_import_dialog import KIND_LABELS, VALID, Choice, LedgerImportDialog
from xuncha_desktop.gui.dialogs.pdf_preview_dialog import PdfPreviewDialog
from xuncha_desktop.services.office_statistics.scope import Scope
from xuncha_desktop.services.output import excel_import, pdf_export
from xuncha_desktop.services.output.excel_export import (
    LEDGER_KINDS,
    LEDGERS,
    LedgerResult,
    ListSelection,
    write_ledger,
)
from xuncha_desktop.services.output.excel_import import (
    IMPORT_KINDS,
    ImportContext,
    ImportPreview,
    ImportResult,
)
from xuncha_desktop.services.output.output_files import OutputAudit, log_output, save_output
from xuncha_desktop.services.output.pdf_export import (
    PDF_KINDS,
    PDF_WRITERS,
    MissingChar,
    PdfResult,
    PdfWriter,
    write_draft_batch,
    write_transfer_list,
)
from xuncha_desktop.services.output.pdf_fonts import ROLE_LABELS, FontSet, load_fonts
from xuncha_desktop.services.output.pdf_rectification import write_unit_reports
from xuncha_desktop.services.output.pdf_rectification_evaluation import write_evaluation
from xuncha_desktop.services.output.pdf_statistics_brief import write_statistics_brief
from xuncha_desktop.services.output.rectification_data import chosen_feedbacks
from xuncha_desktop.services.output.rectification_ledgers import (
    NEEDS_ROUND,
    RECTIFICATION_LEDGER_TITLES,
    write_rectification_ledger,
)
from xuncha_desktop.services.progress import Cancelled, Progress
from xuncha_desktop.services.records.context_names import load_context_names
from xuncha_desktop.services.records.record_service import ListQuery, RecordService
from xuncha_desktop.services.records.visibility import hides_reporter_in_output
from xuncha_desktop.services.security.audit_events import PRINT_TITLES
from xuncha_desktop.services.workspace import Workspace

# What can be printed: the record kinds of pdf_export, plus the 移交清单 of selected leads.
WRITERS: dict[str, PdfWriter] = {**PDF_WRITERS, "transfer": write_transfer_list}
RECORD_KEYS = {"transfer": "lead"}
KIND_TITLES = PRINT_TITLES
LEDGER_TITLES = {kind: title for kind, (title, _sheets) in LEDGERS.items()} | {"statistics": "统计表"}
LEDGER_ALIASES = {"appraisal": "evaluation"}  # 鉴定表 are the second sheet of 干部评价汇总
XLSX_FILTER = "Excel 工作簿 (*.xlsx)"
OPEN_XLSX_FILTER = "Excel 工作簿 (*.xlsx);;所有文件 (*)"
SKIPPED_SHOWN = 20
_UNSAFE_NAME = re.compile(r'[\\/:*?"<>|\s]+')


@dataclass(frozen=True)
class RenderedPdf:
    """A PDF rendered into memory, with what the preview tells the user and a suggested file name."""

    data: bytes
    pages: int
    records: int
    fonts: tuple[str, ...]
    font_summary: str
    missing: tuple[MissingChar, ...]
    file_name: str


@dataclass(frozen=True)
class PrintRecorder:
    """The audit entries of a previewed print: saved as a file, or sent to a printer."""

    workspace: Workspace
    kind: str
    records: int

    def save(self, path: Path, data: bytes) -> None:
        save_output(path, data, OutputAudit(self.workspace, "print", self.kind, self.records))

    def printed(self, printer: str, file: str) -> None:
        where = {"file": Path(file).name} if file else {"printer": printer or "打印机"}
        log_output(self.workspace, "print", self.kind, self.records, **where)


# -- dialogs (monkeypatch targets in tests) --------------------------------------------------------------


def show_preview(dialog: PdfPreviewDialog) -> None:
    """Show the print preview modally (tests replace this to drive the dialog themselves)."""
    dialog.exec()


def show_ledger_import(dialog: LedgerImportDialog) -> Choice | None:
    """Show the import check; ALL, VALID, or None when cancelled."""
    dialog.exec()
    return dialog.choice()


def choose_ledger_file(parent: QWidget | None, start_dir: Path) -> Path | None:
    name, _ = QFileDialog.getOpenFileName(parent, "选择要导入的台账", str(start_dir), OPEN_XLSX_FILTER)
    return Path(name) if name else None


FILTERED, EVERYTHING = "filtered", "everything"


def ask_ledger_scope(parent: QWidget | None, label: str, filtered: int, total: int) -> str | None:
    """导出当前筛选的 N 条，还是全部 M 条？ FILTERED, EVERYTHING, or None when cancelled."""
    box = QMessageBox(QMessageBox.Icon.Question, "导出台账", f"{label}列表当前有筛选条件。", parent=parent)
    box.setInformativeText(f"导出当前筛选的 {filtered} 条，还是全部 {total} 条？")
    chosen = box.addButton(f"当前筛选的 {filtered} 条", QMessageBox.ButtonRole.AcceptRole)
    every = box.addButton(f"全部 {total} 条", QMessageBox.ButtonRole.AcceptRole)
    box.addButton("取消", QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(chosen)
    box.exec()
    clicked = box.clickedButton()
    return FILTERED if clicked is chosen else EVERYTHING if clicked is every else None


# -- helpers -------------------------------------------------------------------------------------------------


def hide_reporter(workspace: Workspace) -> bool:
    """Only 组长, 副组长 and 巡察办管理员 see the 反映人 in prints and ledgers (as in the CLI)."""
    return hides_reporter_in_output(workspace.user)


def _stamp() -> str:
    return date.today().strftime("%Y%m%d")


def safe_file_name(stem: str, suffix: str) -> str:
    """A file name without characters Windows forbids, e.g. 问题底稿-2025-3轮-2组-底稿-001.pdf."""
    return _UNSAFE_NAME.sub("_", stem).strip("._") + suffix


def render_to_bytes(write: Callable[[BinaryIO], PdfResult]) -> tuple[bytes, PdfResult]:
    """Run a pdf_export writer into memory: the decrypted PDF never touches the disk (issue 6)."""
    stream = io.BytesIO()
    result = write(stream)
    return stream.getvalue(), result


def font_summary(fonts: FontSet) -> str:
    """One short line: each face and what it sets, and which preferred styles this machine lacks, e.g.
    文泉驿微米黑（随程序附带）用于正文、标题、小标题、大标题、页码；本机未安装仿宋、黑体…，已替代."""
    uses: dict[tuple[str, str], list[str]] = {}
    for role, label in ROLE_LABELS.items():
        face = fonts.role(role)
        where = face.source if face.bundled else face.path.name
        uses.setdefault((face.family, where), []).append(label.split("（")[0])
    parts = [f"{family}（{where}）用于{'、'.join(roles)}" for (family, where), roles in uses.items()]
    lacking = [ROLE_LABELS[r].split("（")[1].rstrip("）") for r in ROLE_LABELS if r in fonts.substitutes]
    if lacking:
        parts.append(f"本机未安装{'、'.join(lacking)}字体，已替代")
    return "；".join(parts)


def _rendered(data: bytes, result: PdfResult, fonts: FontSet, stem: str) -> RenderedPdf:
    return RenderedPdf(
        data,
        result.pages,
        result.records,
        result.fonts,
        font_summary(fonts),
        result.missing,
        safe_file_name(stem, ".pdf"),
    )


def _print_stem(workspace: Workspace, kind: str, ids: Sequence[str]) -> str:
    title = KIND_TITLES[kind]
    if len(ids) == 1:
        service: RecordService[Any] = RecordService(workspace, record_type(RECORD_KEYS.get(kind, kind)))
        number = service.get(ids[0]).number
        if number:
            return f"{title}-{number}"
    return f"{title}-{_stamp()}"


def _open_preview(
    parent: QWidget | None, workspace: Workspace, kind: str, title: str, pdf: RenderedPdf, records: int
) -> None:
    dialog = PdfPreviewDialog(
        pdf.data,
        title=title,
        default_path=export_folder.start_folder(parent) / pdf.file_name,
        fonts=pdf.fonts,
        font_summary=pdf.font_summary,
        missing=pdf.missing,
        parent=parent,
        recorder=PrintRecorder(workspace, kind, records),
    )
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    show_preview(dialog)


# -- printing --------------------------------------------------------------------------------------------


def print_records(parent: QWidget | None, workspace: Workspace, kind: str, ids: list[str]) -> None:
    """打印 the given records (the shown one or a selection): render in the background, then preview."""
    if kind not in WRITERS:
        messages.show_info(parent, "打印", "这一页的记录没有打印格式。")
        return
    chosen = [record_id for record_id in ids if record_id]
    if not chosen:
        messages.show_info(parent, "打印", "请先在列表中选择要打印的已保存记录（可多选）。")
        return
    writer, hide, title = WRITERS[kind], hide_reporter(workspace), KIND_TITLES[kind]

    def job(progress: Progress) -> RenderedPdf:
        fonts = load_fonts()
        data, result = render_to_bytes(
            lambda path: writer(workspace, chosen, path, fonts, progress, hide_reporter=hide)
        )
        return _rendered(data, result, fonts, _print_stem(workspace, kind, chosen))

    run_with_progress(
        parent,
        f"正在生成{title}",
        job,
        lambda pdf: _open_preview(parent, workspace, kind, title, pdf, len(chosen)),
    )


def print_batch(parent: QWidget | None, workspace: Workspace, target_id: str) -> None:
    """打印底稿汇编: all 已审签 drafts of one inspected unit with cover and contents, previewed."""
    if not target_id:
        messages.show_info(parent, "打印底稿汇编", "请先选择被巡察单位。")
        return

    def job(progress: Progress) -> RenderedPdf:
        unit = RecordService[TargetUnit](workspace, TARGET).get(target_id)
        fonts = load_fonts()
        data, result = render_to_bytes(
            lambda path: write_draft_batch(workspace, target_id, path, fonts, progress)
        )
        return _rendered(data, result, fonts, f"{unit.name}问题底稿汇编-{_stamp()}")

    run_with_progress(
        parent,
        "正在生成问题底稿汇编",
        job,
        lambda pdf: _open_preview(parent, workspace, "batch", "问题底稿汇编", pdf, pdf.records),
    )


def print_rectification(
    parent: QWidget | None,
    workspace: Workspace,
    *,
    target_id: str = "",
    round_id: str = "",
    today: date | None = None,
) -> None:
    """打印整改情况: of one unit (`target_id`, in `round_id` when given), or of a whole round, one unit after
    another; rendered in the background and previewed."""
    title = KIND_TITLES["rectification"]
    if not target_id and not round_id:
        messages.show_info(parent, f"打印{title}", "请先选择被巡察单位或巡察轮次。")
        return

    def job(progress: Progress) -> RenderedPdf:
        chosen = chosen_feedbacks(workspace, target_id=target_id, round_id=round_id)
        names = load_context_names(workspace)
        whose = names.target(target_id) if target_id else names.round(round_id)
        fonts = load_fonts()
        data, result = render_to_bytes(
            lambda out: write_unit_reports(
                workspace, [f.id for f in chosen], out, fonts, progress, today=today
            )
        )
        return _rendered(data, result, fonts, f"{whose}整改情况-{_stamp()}")

    run_with_progress(
        parent,
        f"正在生成{title}",
        job,
        lambda pdf: _open_preview(parent, workspace, "rectification", title, pdf, pdf.records),
    )


def print_rectification_evaluation(
    parent: QWidget | None, workspace: Workspace, round_id: str, *, today: date | None = None
) -> None:
    """打印整改质效评估结果 of a round: the ranking and how each unit's score was reached, previewed."""
    kind = "rectification-evaluation"
    title = KIND_TITLES[kind]
    if not round_id:
        messages.show_info(parent, f"打印{title}", "请先选择巡察轮次。")
        return

    def job(progress: Progress) -> RenderedPdf:
        fonts = load_fonts()
        data, result = render_to_bytes(
            lambda out: write_evaluation(workspace, round_id, out, fonts, progress, today=today)
        )
        stem = f"{load_context_names(workspace).round(round_id)}{title}-{_stamp()}"
        return _rendered(data, result, fonts, stem)

    run_with_progress(
        parent,
        f"正在生成{title}",
        job,
        lambda pdf: _open_preview(parent, workspace, kind, title, pdf, pdf.records),
    )


def print_statistics_brief(
    parent: QWidget | None, workspace: Workspace, scope: Scope, *, today: date | None = None
) -> None:
    """打印统计简报: the one-page 统计简报 of `scope` (a round, a year, the term or a date range), rendered
    in the background and previewed; saved as e.g. 2026年度统计简报-20261207.pdf."""
    kind = "statistics-brief"
    title = KIND_TITLES[kind]
    day = today or date.today()

    def job(progress: Progress) -> RenderedPdf:
        fonts = load_fonts()
        data, result = render_to_bytes(
            lambda out: write_statistics_brief(
                workspace, scope, out, fonts=fonts, progress=progress, today=day
            )
        )
        return _rendered(data, result, fonts, f"{scope.label(workspace)}{title}-{day:%Y%m%d}")

    run_with_progress(
        parent,
        f"正在生成{title}",
        job,
        lambda pdf: _open_preview(parent, workspace, kind, title, pdf, pdf.records),
    )


def print_record(parent: QWidget | None, workspace: Workspace, kind: str, record: Any) -> None:
    """The shown record straight to a PDF file (the old 打印 of main_menu; print_records previews instead)."""
    title = "打印"
    if kind not in PDF_KINDS or record is None or not record.id:
        messages.show_info(parent, title, "请先在列表中选择一条已保存的记录。")
        return
    stem = f"{KIND_TITLES[kind]}-{record.number}" if record.number else f"{KIND_TITLES[kind]}-{_stamp()}"
    default = export_folder.start_folder(parent) / safe_file_name(stem, ".pdf")
    target = messages.choose_save_file(parent, "打印为 PDF", default, "PDF 文件 (*.pdf)")
    if target is None or not export_folder.accept(parent, target, encrypted=False):
        return
    hide = hide_reporter(workspace)

    def job(progress: Progress) -> PdfResult:
        return pdf_export.print_records(
            workspace, kind, target, record_id=record.id, progress=progress, hide_reporter=hide
        )

    run_with_progress(
        parent,
        title,
        job,
        lambda _result: messages.show_info(parent, title, f"已生成：{target}\n可用 PDF 阅读器打印。"),
    )


# -- ledgers ---------------------------------------------------------------------------------------------


def rows_text(result: LedgerResult) -> str:
    """One line per sheet: 问题线索台账：12 行."""
    return "\n".join(f"{sheet}：{count} 行" for sheet, count in result.rows.items())


def export_ledger(
    parent: QWidget | None,
    workspace: Workspace,
    kind: str,
    label: str | None = None,
    filters: dict[str, Any] | None = None,
    *,
    shown: ListSelection | None = None,
) -> None:
    """导出台账: the kind's ledger (optionally filtered) as .xlsx, written in the background; `label` is
    accepted for older callers and not used (the ledger's own title names the file). `shown` is the list
    of the page in front: when it is filtered, the person chooses between it and every record."""
    del label
    title = "导出台账"
    kind = LEDGER_ALIASES.get(kind, kind)
    if kind not in LEDGER_KINDS:
        kind = "statistics"
    selection = None
    if shown is not None and kind != "statistics":
        scope = _ledger_scope(parent, workspace, shown)
        if scope is None:
            return
        selection = shown if scope == FILTERED else None
        filters = None  # the choice replaces the page's filters
    name = LEDGER_TITLES[kind]
    default = export_folder.start_folder(parent) / safe_file_name(f"{name}-{_stamp()}", ".xlsx")
    chosen = messages.choose_save_file(parent, title, default, XLSX_FILTER)
    if chosen is None or not export_folder.accept(parent, chosen, encrypted=False):
        return
    target = chosen if chosen.suffix.lower() == ".xlsx" else chosen.with_name(chosen.name + ".xlsx")
    hide, where = hide_reporter(workspace), dict(filters or {})

    def job(progress: Progress) -> LedgerResult:
        return write_ledger(
            workspace, kind, target, progress, hide_reporter=hide, filters=where, selection=selection
        )

    def done(result: LedgerResult) -> None:
        messages.show_info(parent, title, f"已导出{name}：\n{result.path}\n\n{rows_text(result)}")

    run_with_progress(parent, f"正在导出{name}", job, done)


def _ledger_scope(parent: QWidget | None, workspace: Workspace, shown: ListSelection) -> str | None:
    """FILTERED or EVERYTHING; asked only when the list leaves records out (two quick counts)."""
    service = RecordService[Any](workspace, record_type(shown.record_key))
    filtered = service.count(shown.query)
    total = service.count(ListQuery())
    if filtered == total:
        return EVERYTHING
    return ask_ledger_scope(parent, record_type(shown.record_key).label, filtered, total)


def export_rectification_ledger(
    parent: QWidget | None,
    workspace: Workspace,
    kind: str,
    *,
    round_id: str = "",
    today: date | None = None,
) -> None:
    """导出整改台账 / 移交线索对账表 / 整改质效评估 (kind rectification / reconciliation /
    rectification-evaluation) of one round, or of the whole workspace when no round is given."""
    name = RECTIFICATION_LEDGER_TITLES[kind]
    title = f"导出{name}"
    if kind in NEEDS_ROUND and not round_id:
        messages.show_info(parent, title, f"请先选择巡察轮次：{name}按轮次导出。")
        return
    scope = load_context_names(workspace).round(round_id) if round_id else ""
    stem = f"{scope}{name}-{_stamp()}"
    default = export_folder.start_folder(parent) / safe_file_name(stem, ".xlsx")
    chosen = messages.choose_save_file(parent, title, default, XLSX_FILTER)
    if chosen is None or not export_folder.accept(parent, chosen, encrypted=False):
        return
    target = chosen if chosen.suffix.lower() == ".xlsx" else chosen.with_name(chosen.name + ".xlsx")

    def job(progress: Progress) -> LedgerResult:
        return write_rectification_ledger(workspace, kind, target, progress, round_id=round_id, today=today)

    def done(result: LedgerResult) -> None:
        messages.show_info(parent, title, f"已导出{name}：\n{result.path}\n\n{rows_text(result)}")

    run_with_progress(parent, f"正在导出{name}", job, done)


def export_statistics(
    parent: QWidget | None, workspace: Workspace, scope: Scope, *, today: date | None = None
) -> None:
    """导出统计表: the statistics workbook of `scope` (统计概览, a sheet per breakdown with 合计 rows and
    charts), written in the background; offered as e.g. 2026年度统计表-20261207.xlsx."""
    name = LEDGER_TITLES["statistics"]
    title = f"导出{name}"
    day = today or date.today()
    stem = f"{scope.label(workspace)}{name}-{day:%Y%m%d}"
    default = export_folder.start_folder(parent) / safe_file_name(stem, ".xlsx")
    chosen = messages.choose_save_file(parent, title, default, XLSX_FILTER)
    if chosen is None or not export_folder.accept(parent, chosen, encrypted=False):
        return
    target = chosen if chosen.suffix.lower() == ".xlsx" else chosen.with_name(chosen.name + ".xlsx")

    def job(progress: Progress) -> LedgerResult:
        return write_ledger(workspace, "statistics", target, progress, today=day, scope=scope)

    def done(result: LedgerResult) -> None:
        messages.show_info(parent, title, f"已导出{name}：\n{result.path}\n\n{rows_text(result)}")

    run_with_progress(parent, f"正在导出{name}", job, done)


def _skipped_text(rows: Sequence[int]) -> str:
    shown = "、".join(str(r) for r in rows[:SKIPPED_SHOWN])
    more = f"等 {len(rows)} 行" if len(rows) > SKIPPED_SHOWN else ""
    return f"\n跳过了有问题的第 {shown} 行{more}。"


def _in_background(parent: QWidget | None, title: str, job: Callable[[Progress], Any]) -> Any:
    """run_and_wait, with a failure shown in Chinese; None when cancelled or failed."""
    try:
        return run_and_wait(parent, title, job)
    except Cancelled:
        return None
    except Exception as error:
        messages.show_error(parent, title, error_text(error))
        return None


def import_ledger(parent: QWidget | None, workspace: Workspace, kind: str, context: ImportContext) -> bool:
    """导入台账: choose an .xlsx, check every row in the background, show the problems, then import all rows
    or only the valid ones; True when records were imported."""
    if kind not in IMPORT_KINDS:
        messages.show_info(parent, "导入台账", "只能导入问题线索台账、问题清单（底稿台账）和谈话登记表。")
        return False
    title = f"导入{KIND_LABELS[kind]}"
    path = choose_ledger_file(parent, export_folder.start_folder(parent))
    if path is None:
        return False
    export_folder.remember(parent, path)
    preview: ImportPreview | None = _in_background(
        parent, "正在检查台账", lambda _progress: excel_import.preview_import(workspace, kind, path, context)
    )
    if preview is None:
        return False
    if preview.total_rows == 0 and not preview.problems:
        messages.show_info(parent, title, f"“{path.name}”的表头下没有数据行，没有可导入的记录。")
        return False
    choice = show_ledger_import(LedgerImportDialog(preview, file_name=path.name, kind=kind, parent=parent))
    if choice is None:
        return False
    only_valid = choice == VALID

    def job(progress: Progress) -> ImportResult:
        return excel_import.import_ledger(
            workspace, kind, path, context, only_valid=only_valid, progress=progress
        )

    result: ImportResult | None = _in_background(parent, "正在导入台账", job)
    if result is None:
        return False
    text = f"已从“{path.name}”导入 {result.imported} 条记录。"
    if result.skipped_rows:
        text += _skipped_text(result.skipped_rows)
    messages.show_info(parent, title, text)
    return result.imported > 0
