"""生成报告初稿: the kind (巡察报告初稿, 一把手专题材料, 巡察反馈意见, 底稿审批单), the round and the unit
(or every unit of the round, one document each), the 底稿 of a 审批单, Word or PDF, the folder."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from xuncha_desktop.services.security.audit_events import REPORT_TITLES

ALL_UNITS = ""  # the unit box's first entry: every unit of the round
FORMATS = (("Word 文档（.docx，可继续编辑）", ".docx"), ("PDF（.pdf）", ".pdf"))
ERROR_STYLE = "color: #b00020;"

Choice = tuple[str, str]  # (id, what is shown)


@dataclass(frozen=True)
class ReportChoice:
    kind: str
    round_id: str
    unit_ids: tuple[str, ...]  # one unit, or every unit of the round
    draft_id: str  # the 审批单's 底稿
    suffix: str
    folder: Path

    @property
    def batch(self) -> bool:
        return self.kind != "approval" and len(self.unit_ids) != 1


def ask_folder(parent: QWidget | None, start: Path) -> Path | None:
    """The folder dialog behind 选择… (a monkeypatch target in tests)."""
    name = QFileDialog.getExistingDirectory(parent, "报告保存到", str(start))
    return Path(name) if name else None


class ReportDialog(QDialog):
    def __init__(
        self,
        rounds: Sequence[Choice],
        units_of: Callable[[str], Sequence[Choice]],
        drafts_of: Callable[[str], Sequence[Choice]],
        folder: Path,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("生成报告初稿")
        self.setMinimumWidth(520)
        self._units_of, self._drafts_of = units_of, drafts_of
        self.kind_box = QComboBox()
        for kind, title in REPORT_TITLES.items():
            self.kind_box.addItem(title, kind)
        self.round_box = QComboBox()
        for round_id, name in rounds:
            self.round_box.addItem(name, round_id)
        self.unit_box = QComboBox()
        self.draft_box = QComboBox()
        self.format_box = QComboBox()
        for label, suffix in FORMATS:
            self.format_box.addItem(label, suffix)
        self.folder_edit = QLineEdit(str(folder))
        browse = QPushButton("选择…")
        browse.clicked.connect(self._browse)
        where = QHBoxLayout()
        where.addWidget(self.folder_edit, 1)
        where.addWidget(browse)
        self.error = QLabel("")
        self.error.setStyleSheet(ERROR_STYLE)
        self.error.setWordWrap(True)
        self.hint = QLabel("巡察报告初稿只依据经组长审签的问题底稿；Word 文档可在 Word 或 WPS 中继续修改。")
        self.hint.setWordWrap(True)
        form = QFormLayout()
        form.addRow("报告类型", self.kind_box)
        form.addRow("巡察轮次", self.round_box)
        form.addRow("被巡察单位", self.unit_box)
        form.addRow("问题底稿", self.draft_box)
        form.addRow("文件格式", self.format_box)
        form.addRow("保存到文件夹", where)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText("生成")
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("取消")
        self.buttons.accepted.connect(self._accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.hint)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        self.kind_box.currentIndexChanged.connect(self._kind_changed)
        self.round_box.currentIndexChanged.connect(self._round_changed)
        self.unit_box.currentIndexChanged.connect(self._unit_changed)
        self._round_changed()
        self._kind_changed()

    def _kind(self) -> str:
        return str(self.kind_box.currentData())

    def _round_changed(self) -> None:
        self.unit_box.blockSignals(True)
        self.unit_box.clear()
        units = list(self._units_of(str(self.round_box.currentData() or "")))
        if len(units) > 1:
            self.unit_box.addItem(f"（本轮全部 {len(units)} 个单位，各生成一份）", ALL_UNITS)
        for unit_id, name in units:
            self.unit_box.addItem(name, unit_id)
        self.unit_box.blockSignals(False)
        self._kind_changed()

    def _kind_changed(self) -> None:
        approval = self._kind() == "approval"
        every = self.unit_box.findData(ALL_UNITS)
        if every >= 0:  # an approval sheet is of one draft: one unit's
            item = self.unit_box.model().item(every)  # type: ignore[attr-defined]
            item.setEnabled(not approval)
            if approval and self.unit_box.currentIndex() == every and self.unit_box.count() > 1:
                self.unit_box.setCurrentIndex(every + 1)
        self.draft_box.setEnabled(approval)
        self._unit_changed()

    def _unit_changed(self) -> None:
        self.draft_box.clear()
        unit = str(self.unit_box.currentData() or "")
        if self._kind() == "approval" and unit:
            for draft_id, text in self._drafts_of(unit):
                self.draft_box.addItem(text, draft_id)

    def _browse(self) -> None:
        chosen = ask_folder(self, Path(self.folder_edit.text() or "."))
        if chosen is not None:
            self.folder_edit.setText(str(chosen))

    def _accept(self) -> None:
        if self.choice() is not None:
            self.accept()

    def choice(self) -> ReportChoice | None:
        """What was chosen, or None with the reason shown under the form."""
        kind, unit = self._kind(), str(self.unit_box.currentData() or "")
        folder = Path(self.folder_edit.text().strip())
        problem = ""
        if self.round_box.count() == 0 or self.unit_box.count() == 0:
            problem = "没有可选的巡察轮次或被巡察单位。"
        elif kind == "approval" and not self.draft_box.currentData():
            problem = "请选择一份问题底稿（底稿审批单按底稿生成）。"
        elif not self.folder_edit.text().strip() or not folder.is_dir():
            problem = "请选择一个已有的文件夹保存报告。"
        self.error.setText(problem)
        if problem:
            return None
        units = tuple(
            str(self.unit_box.itemData(i)) for i in range(self.unit_box.count()) if self.unit_box.itemData(i)
        )
        return ReportChoice(
            kind=kind,
            round_id=str(self.round_box.currentData()),
            unit_ids=units if unit == ALL_UNITS else (unit,),
            draft_id=str(self.draft_box.currentData() or "") if kind == "approval" else "",
            suffix=str(self.format_box.currentData()),
            folder=folder,
        )
