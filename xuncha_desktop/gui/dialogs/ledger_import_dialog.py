"""Preview of a ledger import: valid and total rows, every problem (行, 列, 原因), and what to import."""

from __future__ import annotations

from typing import Literal

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from xuncha_desktop.services.output.excel_import import ImportPreview, ImportProblem

Choice = Literal["all", "valid"]
ALL: Choice = "all"
VALID: Choice = "valid"
HEADERS = ("行", "列", "原因")
KIND_LABELS = {"lead": "问题线索台账", "draft": "问题清单（底稿台账）", "interview": "谈话登记表"}
WARNING_STYLE = "color: #b00020;"
OK_STYLE = "color: #1b5e20;"


def problem_rows(problems: tuple[ImportProblem, ...]) -> int:
    """How many rows of the file have at least one problem."""
    return len({p.row for p in problems})


def summary_text(preview: ImportPreview) -> str:
    """共 N 行，其中可导入 M 行，有问题 K 行 — the line at the top of the dialog."""
    bad = problem_rows(preview.problems)
    text = f"共 {preview.total_rows} 行数据，其中可导入 {preview.valid_rows} 行"
    return text + (f"，有问题 {bad} 行（{len(preview.problems)} 处）。" if preview.problems else "。")


def columns_text(preview: ImportPreview) -> str:
    """Which headers of the file were recognised and which are not imported."""
    used = "、".join(preview.matched.values()) or "（无）"
    text = f"已识别的列：{used}"
    if preview.ignored_headers:
        text += f"\n不导入的列：{'、'.join(preview.ignored_headers)}"
    return text


class LedgerImportDialog(QDialog):
    """Shows what preview_import found; `choice()` is ALL, VALID, or None when the user cancelled."""

    def __init__(
        self, preview: ImportPreview, *, file_name: str, kind: str, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.preview = preview
        self._choice: Choice | None = None
        self.setWindowTitle(f"导入{KIND_LABELS.get(kind, '台账')}")
        self.file_label = QLabel(f"文件：{file_name}　工作表：{preview.sheet}")
        self.file_label.setWordWrap(True)
        self.summary_label = QLabel(summary_text(preview))
        self.summary_label.setStyleSheet(WARNING_STYLE if preview.problems else OK_STYLE)
        self.summary_label.setWordWrap(True)
        self.columns_label = QLabel(columns_text(preview))
        self.columns_label.setWordWrap(True)
        self.columns_label.setStyleSheet("color: #555555;")
        self.table = self._problem_table(preview.problems)
        self.hint_label = QLabel(self._hint())
        self.hint_label.setWordWrap(True)

        self.all_button = QPushButton("全部导入")
        self.all_button.setEnabled(not preview.problems and preview.valid_rows > 0)
        self.all_button.setToolTip("文件中所有行都通过检查时才能全部导入")
        self.all_button.clicked.connect(lambda: self._finish(ALL))
        self.valid_button = QPushButton(f"仅导入有效行（{preview.valid_rows} 行）")
        self.valid_button.setEnabled(bool(preview.problems) and preview.valid_rows > 0)
        self.valid_button.setToolTip("跳过有问题的行，只导入通过检查的行")
        self.valid_button.clicked.connect(lambda: self._finish(VALID))
        self.cancel_button = QPushButton("取消")
        self.cancel_button.clicked.connect(self.reject)
        default = self.all_button if self.all_button.isEnabled() else self.cancel_button
        default.setDefault(True)

        buttons = QHBoxLayout()
        buttons.addStretch(1)
        for button in (self.all_button, self.valid_button, self.cancel_button):
            buttons.addWidget(button)
        layout = QVBoxLayout(self)
        for label in (self.file_label, self.summary_label, self.columns_label):
            layout.addWidget(label)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.hint_label)
        layout.addLayout(buttons)
        self.table.setVisible(bool(preview.problems))
        self.resize(760, 520 if preview.problems else 260)

    def _problem_table(self, problems: tuple[ImportProblem, ...]) -> QTableWidget:
        table = QTableWidget(len(problems), len(HEADERS), self)
        table.setHorizontalHeaderLabels(list(HEADERS))
        table.verticalHeader().setVisible(False)
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.setWordWrap(False)
        table.setTextElideMode(Qt.TextElideMode.ElideRight)
        table.setAlternatingRowColors(True)
        for r, problem in enumerate(sorted(problems, key=lambda p: p.row)):
            row_item = QTableWidgetItem()
            row_item.setData(Qt.ItemDataRole.DisplayRole, problem.row)  # sorts as a number
            row_item.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
            table.setItem(r, 0, row_item)
            table.setItem(r, 1, QTableWidgetItem(problem.column))
            reason = QTableWidgetItem(problem.reason)
            reason.setToolTip(problem.reason)
            table.setItem(r, 2, reason)
        header = table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        table.setColumnWidth(1, 150)
        return table

    def _hint(self) -> str:
        if not self.preview.problems:
            return "所有行均通过检查，可以全部导入。"
        if self.preview.valid_rows == 0:
            return "没有可以导入的行。请按上表在 Excel 中修改后重新导入。"
        return "请按上表在 Excel 中修改后重新导入；或选择“仅导入有效行”，有问题的行将被跳过。"

    def _finish(self, choice: Choice) -> None:
        self._choice = choice
        self.accept()

    def choice(self) -> Choice | None:
        return self._choice

    def problems_shown(self) -> list[tuple[int, str, str]]:
        """The table's rows as (行, 列, 原因), as the user sees them."""
        rows = []
        for r in range(self.table.rowCount()):
            cells = [self.table.item(r, c) for c in range(len(HEADERS))]
            row, column, reason = (cell.text() if cell is not None else "" for cell in cells)
            rows.append((int(row), column, reason))
        return rows
