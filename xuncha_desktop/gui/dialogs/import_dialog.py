"""The import preview and summary: one row per package with its counts, rejected packages in red with the
reason, totals, and (afterwards) a report that can be saved as CSV or text."""

from __future__ import annotations

import csv
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor, QShowEvent
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QWidget,
)

from xuncha_desktop.domain.record_types import BY_KEY
from xuncha_desktop.gui import messages
from xuncha_desktop.gui.forms import child, load_form
from xuncha_desktop.services.sync import ImportReport

PREVIEW, SUMMARY = "preview", "summary"
HEADERS = ("工作包", "类型", "结果", "新增", "更新", "未变", "冲突", "说明")
COUNT_COLUMNS = range(3, 7)
KIND_LABELS = {"full": "完整工作包", "delta": "增量工作包", "provision": "配置包"}
REJECTED_COLOR = QColor("#b00020")
REPORT_FILTER = "CSV 表格 (*.csv);;文本文件 (*.txt)"


def status_label(report: ImportReport, mode: str) -> str:
    if report.status == "rejected":
        return "已拒绝"
    if report.status == "already_imported":
        return "已导入过"
    if report.status == "cancelled":
        return "已取消"
    return "可导入" if mode == PREVIEW else "已导入"


def note(report: ImportReport, mode: str) -> str:
    """What the user should know about one package: the reason it was rejected, or what will happen."""
    if report.status in ("rejected", "cancelled"):
        return report.error or status_label(report, mode)
    if report.status == "already_imported":
        return "此前已导入，本次跳过，不会改变任何数据"
    if report.conflicts:
        when = "导入后" if mode == PREVIEW else ""
        return f"有 {report.conflicts} 条记录存在冲突，{when}请在“冲突处理”中逐条确认"
    return "" if mode == SUMMARY else "将导入"


def row_texts(report: ImportReport, mode: str) -> list[str]:
    return [
        Path(report.file).name,
        KIND_LABELS.get(report.kind, report.kind or "—"),
        status_label(report, mode),
        str(report.new),
        str(report.updated),
        str(report.unchanged),
        str(report.conflicts),
        note(report, mode),
    ]


@dataclass(frozen=True)
class Totals:
    packages: int
    new: int
    updated: int
    unchanged: int
    conflicts: int
    rejected: int
    importable: int

    def text(self, mode: str) -> str:
        verb = "可导入" if mode == PREVIEW else "已导入"
        return (
            f"合计：{self.packages} 个工作包，{verb} {self.importable} 个，拒绝 {self.rejected} 个；"
            f"新增 {self.new}、更新 {self.updated}、未变 {self.unchanged}、冲突 {self.conflicts}"
        )


def totals(reports: Sequence[ImportReport]) -> Totals:
    return Totals(
        len(reports),
        sum(r.new for r in reports),
        sum(r.updated for r in reports),
        sum(r.unchanged for r in reports),
        sum(r.conflicts for r in reports),
        sum(r.status == "rejected" for r in reports),
        sum(r.status == "imported" for r in reports),
    )


def by_type_text(report: ImportReport) -> str:
    """Per record type counts, e.g. for a tooltip: 问题底稿：新增 1、更新 0、未变 0."""
    lines = []
    for key, counts in sorted(report.by_type.items()):
        label = BY_KEY[key].label if key in BY_KEY else key
        lines.append(
            f"{label}：新增 {counts.get('new', 0)}、更新 {counts.get('updated', 0)}、"
            f"未变 {counts.get('unchanged', 0)}"
        )
    return "\n".join(lines)


def write_report(path: Path, reports: Sequence[ImportReport], mode: str = SUMMARY) -> Path:
    """Save the table as CSV (UTF-8 with BOM, so Excel shows Chinese) or, for other suffixes, as text."""
    rows = [row_texts(r, mode) for r in reports]
    stamp = datetime.now().strftime("%Y-%m-%d %H:%M")
    if path.suffix.lower() == ".csv":
        with open(path, "w", encoding="utf-8-sig", newline="") as f:
            writer = csv.writer(f)
            writer.writerow(HEADERS)
            writer.writerows(rows)
        return path
    lines = [f"工作包导入报告（{stamp}）", ""]
    for report, row in zip(reports, rows, strict=True):
        lines.append(f"{row[0]}（{row[1]}）：{row[2]}")
        lines.append(f"  新增 {row[3]}，更新 {row[4]}，未变 {row[5]}，冲突 {row[6]}")
        if row[7]:
            lines.append(f"  说明：{row[7]}")
        if report.by_type:
            lines.extend(f"  {line}" for line in by_type_text(report).splitlines())
    lines += ["", totals(reports).text(mode)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def ask_report_path(parent: QWidget | None, default: Path) -> Path | None:
    """Where to save the import report (a monkeypatch target in tests)."""
    name, chosen = QFileDialog.getSaveFileName(parent, "保存导入报告", str(default), REPORT_FILTER)
    if not name:
        return None
    path = Path(name)
    if path.suffix.lower() not in (".csv", ".txt"):
        path = path.with_suffix(".txt" if "txt" in chosen else ".csv")
    return path


class ImportDialog(QDialog):
    """The preview (导入 / 取消) or the summary (保存报告… / 关闭) of importing some packages."""

    def __init__(
        self,
        reports: Sequence[ImportReport],
        *,
        mode: str = PREVIEW,
        report_dir: Path | None = None,
        parent: QWidget | None = None,
        undo: Callable[[QWidget], bool] | None = None,
    ) -> None:
        super().__init__(parent)
        self._reports = list(reports)
        self._undo = undo  # 撤销本次导入 (the summary of an import that wrote something)
        self._undo_button: QPushButton | None = None
        self._mode = mode
        self._report_dir = report_dir or Path.home()
        self.setWindowTitle("导入工作包 — 预览" if mode == PREVIEW else "导入工作包 — 结果")
        form = load_form("import_dialog.ui", self)
        self._header_label = child(form, QLabel, "headerLabel")
        self._table = child(form, QTableWidget, "reportTable")
        self._totals_label = child(form, QLabel, "totalsLabel")
        self._buttons = child(form, QDialogButtonBox, "buttonBox")
        self._import_button: QPushButton | None = None
        self._save_button: QPushButton | None = None
        self._header_label.setText(self._header_text())
        self._fill_table()
        self._totals_label.setText(totals(self._reports).text(mode))
        self._setup_buttons()
        self.resize(960, 380)

    # -- public ----------------------------------------------------------------------------------------
    @property
    def reports(self) -> list[ImportReport]:
        return list(self._reports)

    @property
    def table(self) -> QTableWidget:
        return self._table

    @property
    def import_button(self) -> QPushButton | None:
        return self._import_button

    @property
    def save_button(self) -> QPushButton | None:
        return self._save_button

    def totals_text(self) -> str:
        return self._totals_label.text()

    # -- building --------------------------------------------------------------------------------------
    def _header_text(self) -> str:
        if self._mode == PREVIEW:
            return (
                "以下是导入预览，尚未写入任何数据。各工作包分别预览，同时导入多个工作包时，"
                "冲突数以实际导入结果为准。点击“导入”开始导入；导入会记下撤销所需的内容，之后可以撤销本次导入。"
            )
        text = "导入已完成。在工作库没有其他改动之前，可以点击“撤销本次导入…”回到导入前。"
        if any(r.status == "cancelled" for r in self._reports):
            text = "导入已取消：取消前已完成的工作包已导入，其余工作包未写入任何数据。"
        if totals(self._reports).conflicts:
            text += "有冲突的记录请在“冲突处理”中逐条确认。"
        roster = [r.roster for r in self._reports if r.roster]  # after a provisioning package
        return "\n".join([text, *roster])

    def _fill_table(self) -> None:
        table = self._table
        table.setColumnCount(len(HEADERS))
        table.setHorizontalHeaderLabels(list(HEADERS))
        table.setRowCount(len(self._reports))
        table.verticalHeader().setVisible(False)
        for row, report in enumerate(self._reports):
            tooltip = by_type_text(report) or note(report, self._mode)
            for column, text in enumerate(row_texts(report, self._mode)):
                item = QTableWidgetItem(text)
                item.setToolTip(text if column == len(HEADERS) - 1 and text else tooltip)
                if column in COUNT_COLUMNS:
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                if report.status == "rejected":
                    item.setForeground(QBrush(REJECTED_COLOR))
                table.setItem(row, column, item)
        header = table.horizontalHeader()
        for column in range(len(HEADERS)):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(len(HEADERS) - 1, QHeaderView.ResizeMode.Stretch)
        header.setMinimumSectionSize(52)
        header.sectionResized.connect(lambda *_: table.resizeRowsToContents())

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self._table.resizeRowsToContents()  # wrapped reasons need the final column widths

    def _setup_buttons(self) -> None:
        buttons = self._buttons
        buttons.clear()
        if self._mode == PREVIEW:
            self._import_button = buttons.addButton("导入", QDialogButtonBox.ButtonRole.AcceptRole)
            self._import_button.setEnabled(totals(self._reports).importable > 0)
            self._import_button.setDefault(True)
            buttons.addButton("取消", QDialogButtonBox.ButtonRole.RejectRole)
        else:
            self._save_button = buttons.addButton("保存报告…", QDialogButtonBox.ButtonRole.ActionRole)
            self._save_button.clicked.connect(self.save_report)
            if self._undo is not None and any(r.status == "imported" for r in self._reports):
                self._undo_button = buttons.addButton("撤销本次导入…", QDialogButtonBox.ButtonRole.ActionRole)
                self._undo_button.clicked.connect(self.undo_import)
            buttons.addButton("关闭", QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)

    # -- actions ---------------------------------------------------------------------------------------
    @property
    def undo_button(self) -> QPushButton | None:
        return self._undo_button

    def undo_import(self) -> None:
        """Undo the import just shown; once undone the dialog closes (its rows no longer hold)."""
        if self._undo is not None and self._undo(self):
            self.accept()

    def save_report(self) -> Path | None:
        """Ask where, then write the report; returns the file written."""
        default = self._report_dir / f"导入报告-{datetime.now().strftime('%Y%m%d-%H%M')}.csv"
        path = ask_report_path(self, default)
        if path is None:
            return None
        try:
            write_report(path, self._reports, self._mode)
        except OSError as error:
            messages.show_error(self, "保存导入报告", f"无法保存报告“{path}”：{error.strerror or error}")
            return None
        self._header_label.setText(f"{self._header_text()}\n报告已保存到：{path}")
        return path
