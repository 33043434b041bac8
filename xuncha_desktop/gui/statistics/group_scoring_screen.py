"""巡察组质效评估 (a 统计分析 sub-screen): choose a round and a scheme version and see the groups ranked,
the selected group's score explained line by line; 评分方案… edits the versioned scheme (the shared scheme
dialog), 发布结果 stores the ranking as published; a published result chosen in the list is shown exactly
as stored, whatever the scheme is now. 导出 Excel / 打印 PDF lay out what is shown (gui/output_actions'
machinery: in the background, previewed, saved under a Chinese name in the export folder)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from xuncha_desktop.domain.errors import XunchaError
from xuncha_desktop.domain.record_types import DRAFT, GROUP, GROUP_SCORE, LEAD, MEMBER, ROUND, TARGET
from xuncha_desktop.gui import export_folder, messages
from xuncha_desktop.gui.background import run_with_progress
from xuncha_desktop.gui.rectification.scheme_dialog import SchemeDialog
from xuncha_desktop.gui.statistics.host import ScreenHost
from xuncha_desktop.services.office_statistics import group_scoring as gs
from xuncha_desktop.services.output.rectification_data import points_text
from xuncha_desktop.services.progress import Progress
from xuncha_desktop.services.records.context_names import load_context_names

if TYPE_CHECKING:
    from xuncha_desktop.services.output.excel_export import LedgerResult

TITLE = "巡察组质效评估"
RANK_COLUMNS = ("名次", "巡察组", "得分")
LINE_COLUMNS = ("评分项目", "取值", "得分", "计分说明")
CURRENT = ""  # the published list's first entry: scored now under the chosen version


def confirm_publish(parent: QWidget | None, text: str) -> bool:
    """Ask before publishing (a monkeypatch target in tests)."""
    answer = QMessageBox.question(parent, "发布评估结果", text)
    return answer == QMessageBox.StandardButton.Yes


def _cell(text: str, right: bool = False) -> QTableWidgetItem:
    item = QTableWidgetItem(text)
    item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEditable)
    if right:
        item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
    return item


class GroupScoringScreen(QWidget):
    """The screen; `shown` is the ranking on screen, `result_id` the published result shown ("": scored
    now)."""

    reads = frozenset({ROUND.key, GROUP.key, MEMBER.key, TARGET.key, DRAFT.key, LEAD.key, GROUP_SCORE.key})

    def __init__(self, host: ScreenHost, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("groupScoringScreen")
        self.host = host
        self.ws = host.workspace
        self.shown: list[gs.GroupScore] = []
        self.result_id = CURRENT
        self._build()

    # -- building ----------------------------------------------------------------------------------------
    def _build(self) -> None:
        layout = QVBoxLayout(self)
        bar = QHBoxLayout()
        self.round_combo = QComboBox(self)
        self.round_combo.setObjectName("roundCombo")
        self.round_combo.setMinimumContentsLength(14)
        self.scheme_combo = QComboBox(self)
        self.scheme_combo.setObjectName("schemeCombo")
        self.scheme_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        for caption, combo in (("巡察轮次：", self.round_combo), ("评分方案版本：", self.scheme_combo)):
            label = QLabel(caption, self)
            label.setBuddy(combo)
            bar.addWidget(label)
            bar.addWidget(combo)
        self.buttons: dict[str, QPushButton] = {}
        for name, text, run in (
            ("schemeButton", "评分方案…", self.edit_scheme),
            ("publishButton", "发布结果", self.publish),
            ("exportButton", "导出 Excel", self.export_xlsx),
            ("printButton", "打印 PDF", self.print_pdf),
        ):
            button = QPushButton(text, self)
            button.setObjectName(name)
            button.clicked.connect(run)
            self.buttons[name] = button
            bar.addWidget(button)
        bar.addStretch(1)
        layout.addLayout(bar)
        self.info_label = QLabel(self)
        self.info_label.setObjectName("infoLabel")
        self.info_label.setWordWrap(True)
        layout.addWidget(self.info_label)
        layout.addWidget(self._build_body(), 1)
        self.round_combo.currentIndexChanged.connect(self._round_chosen)
        self.scheme_combo.currentIndexChanged.connect(lambda _i: self._show_current())

    def _build_body(self) -> QSplitter:
        splitter = QSplitter(Qt.Orientation.Horizontal, self)
        left = QWidget(splitter)
        column = QVBoxLayout(left)
        column.setContentsMargins(0, 0, 0, 0)
        self.ranking = self._table("rankingTable", RANK_COLUMNS, left)
        self.ranking.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.ranking.currentCellChanged.connect(lambda row, *_: self._show_lines(row))
        column.addWidget(QLabel("<b>评估排名</b>", left))
        column.addWidget(self.ranking, 3)
        column.addWidget(QLabel("<b>已发布的结果</b>（选中查看发布时保存的排名）", left))
        self.published_list = QListWidget(left)
        self.published_list.setObjectName("publishedList")
        self.published_list.currentItemChanged.connect(lambda item, _prev: self._published_chosen(item))
        column.addWidget(self.published_list, 1)
        right = QWidget(splitter)
        column = QVBoxLayout(right)
        column.setContentsMargins(0, 0, 0, 0)
        self.group_label = QLabel(right)
        self.group_label.setObjectName("groupLabel")
        column.addWidget(self.group_label)
        self.lines = self._table("linesTable", LINE_COLUMNS, right)
        self.lines.setWordWrap(True)
        self.lines.horizontalHeader().setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        column.addWidget(self.lines, 1)
        splitter.setStretchFactor(0, 2)
        splitter.setStretchFactor(1, 5)
        splitter.setSizes([330, 900])
        return splitter

    def _table(self, name: str, headers: tuple[str, ...], parent: QWidget) -> QTableWidget:
        table = QTableWidget(0, len(headers), parent)
        table.setObjectName(name)
        table.setHorizontalHeaderLabels(list(headers))
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.verticalHeader().setVisible(False)
        return table

    # -- reading -----------------------------------------------------------------------------------------
    def refresh(self) -> None:
        """Rounds, versions and the published list again; the shown result again (a published one as
        stored)."""
        chosen = self.round_id()
        rounds = sorted(load_context_names(self.ws).rounds.values(), key=lambda r: (-r.year, -r.ordinal))
        blocked = self.round_combo.blockSignals(True)
        self.round_combo.clear()
        for r in rounds:
            self.round_combo.addItem(r.name, r.id)
        self.round_combo.setCurrentIndex(max(0, self.round_combo.findData(chosen)))
        self.round_combo.blockSignals(blocked)
        self._fill_versions("")
        self._fill_published(self.result_id)

    def follow(self, context: Any) -> None:
        """The toolbar's round, when it names one."""
        round_id = getattr(context, "round_id", "")
        index = self.round_combo.findData(round_id) if round_id else -1
        if index >= 0 and index != self.round_combo.currentIndex():
            self.round_combo.setCurrentIndex(index)

    def round_id(self) -> str:
        return str(self.round_combo.currentData() or "")

    def version(self) -> str:
        return str(self.scheme_combo.currentData() or "")

    def _fill_versions(self, select: str) -> None:
        current = gs.load_scheme(self.ws).version
        chosen = select or self.version() or current
        blocked = self.scheme_combo.blockSignals(True)
        self.scheme_combo.clear()
        for version in reversed(gs.scheme_versions(self.ws)):
            self.scheme_combo.addItem(f"{version}（当前）" if version == current else version, version)
        self.scheme_combo.setCurrentIndex(max(0, self.scheme_combo.findData(chosen)))
        self.scheme_combo.blockSignals(blocked)

    def _fill_published(self, select: str) -> None:
        """The first entry scores now; then the round's published results, newest first."""
        blocked = self.published_list.blockSignals(True)
        self.published_list.clear()
        QListWidgetItem("按所选方案现在计算（未发布）", self.published_list).setData(
            Qt.ItemDataRole.UserRole, CURRENT
        )
        for r in gs.published(self.ws, self.round_id()) if self.round_id() else []:
            text = f"{r.published_on}　{r.published_by}发布（方案 {r.scheme_version}）"
            QListWidgetItem(text, self.published_list).setData(Qt.ItemDataRole.UserRole, r.id)
        rows = [
            self.published_list.item(i).data(Qt.ItemDataRole.UserRole)
            for i in range(self.published_list.count())
        ]
        self.published_list.setCurrentRow(rows.index(select) if select in rows else 0)
        self.published_list.blockSignals(blocked)
        self._published_chosen(self.published_list.currentItem())

    def published_entries(self) -> list[str]:
        return [self.published_list.item(i).text() for i in range(self.published_list.count())]

    def _round_chosen(self, _index: int = 0) -> None:
        self.result_id = CURRENT
        self._fill_published(CURRENT)

    def _published_chosen(self, item: QListWidgetItem | None) -> None:
        self.result_id = str(item.data(Qt.ItemDataRole.UserRole)) if item is not None else CURRENT
        self.scheme_combo.setEnabled(self.result_id == CURRENT)
        if self.result_id == CURRENT:
            self._show_current()
            return
        result = gs.published_result(self.ws, self.result_id)
        self.info_label.setText(
            f"显示 {result.published_on} {result.published_by}发布的结果"
            f"（评分方案 {result.scheme_version}），"
            "按发布时保存的内容显示，不随评分方案改变。"
        )
        self._show(gs.from_groups(result))

    def _show_current(self) -> None:
        if self.result_id != CURRENT:
            return
        if not self.round_id():
            self.info_label.setText("请先建立巡察轮次。")
            self._show([])
            return
        scheme = gs.load_scheme(self.ws, self.version())
        self.info_label.setText(f"按评分方案“{scheme.name}”{scheme.version} 现在计算，尚未发布。")
        self._show(gs.score_round(self.ws, self.round_id(), scheme, today=self.host.today()))

    def _show(self, ranked: list[gs.GroupScore]) -> None:
        self.shown = ranked
        self.ranking.setRowCount(len(ranked))
        for row, s in enumerate(ranked):
            self.ranking.setItem(row, 0, _cell(str(s.rank), right=True))
            self.ranking.setItem(row, 1, _cell(s.group_name))
            self.ranking.setItem(row, 2, _cell(points_text(s.score), right=True))
        self.ranking.resizeColumnToContents(0)
        if ranked:
            self.ranking.setCurrentCell(0, 0)
        self._show_lines(0 if ranked else -1)

    def _show_lines(self, row: int) -> None:
        if not 0 <= row < len(self.shown):
            self.group_label.setText("本轮没有巡察组。" if not self.shown else "")
            self.lines.setRowCount(0)
            return
        s = self.shown[row]
        self.group_label.setText(f"<b>第 {s.rank} 名　{s.group_name}　{points_text(s.score)} 分</b>")
        self.lines.setRowCount(len(s.lines))
        for i, x in enumerate(s.lines):
            value = f"{x.value:.4f}".rstrip("0").rstrip(".") or "0"
            self.lines.setItem(i, 0, _cell(x.label))
            self.lines.setItem(i, 1, _cell(value, right=True))
            self.lines.setItem(i, 2, _cell(points_text(x.points), right=True))
            self.lines.setItem(i, 3, _cell(x.explanation))
        self.lines.resizeColumnsToContents()
        self.lines.horizontalHeader().setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        self.lines.resizeRowsToContents()

    def line_rows(self) -> list[tuple[str, str, str, str]]:
        """The lines table as shown."""
        return [
            tuple(  # type: ignore[misc]
                (i.text() if (i := self.lines.item(r, c)) else "") for c in range(len(LINE_COLUMNS))
            )
            for r in range(self.lines.rowCount())
        ]

    # -- doing -------------------------------------------------------------------------------------------
    def edit_scheme(self) -> None:
        dialog = SchemeDialog(self.ws, self.host.today, self, family=gs.FAMILY)
        if messages.exec_dialog(dialog) and dialog.saved_version:
            self._fill_versions(dialog.saved_version)
            self._show_current()

    def publish(self) -> None:
        round_id, version = self.round_id(), self.version()
        if not round_id:
            messages.show_info(self, "发布结果", "请先选择巡察轮次。")
            return
        if not gs.may_publish(self.ws):
            messages.show_info(
                self, "发布结果", f"只有巡察办管理员可以发布评估结果（当前角色：{self.ws.user.role}）。"
            )
            return
        name = self.round_combo.currentText()
        text = (
            f"按评分方案 {version} 发布“{name}”的巡察组质效评估结果？\n"
            "发布后结果按发布时的内容保存，以后修改评分方案不会改变它。"
        )
        if not confirm_publish(self, text):
            return
        try:
            result = gs.publish(self.ws, round_id, version, today=self.host.today())
        except XunchaError as error:
            messages.show_error(self, "发布结果", str(error))
            return
        self._fill_published(result.id)

    def _stem(self) -> str:
        kind = "（已发布）" if self.result_id else ""
        return f"{self.round_combo.currentText()}{TITLE}{kind}-{self.host.today().strftime('%Y%m%d')}"

    def export_xlsx(self) -> None:
        """导出 Excel of what is shown (a published result as stored), written in the background."""
        from xuncha_desktop.gui import output_actions as actions
        from xuncha_desktop.services.output.group_scoring_output import write_group_scoring_ledger

        if not self.round_id():
            messages.show_info(self, "导出 Excel", "请先选择巡察轮次。")
            return
        default = export_folder.start_folder(self) / actions.safe_file_name(self._stem(), ".xlsx")
        chosen = messages.choose_save_file(self, "导出 Excel", default, actions.XLSX_FILTER)
        if chosen is None or not export_folder.accept(self, chosen, encrypted=False):
            return
        target = chosen if chosen.suffix.lower() == ".xlsx" else chosen.with_name(chosen.name + ".xlsx")
        round_id, result_id, today = self.round_id(), self.result_id, self.host.today()

        def job(_progress: Progress) -> LedgerResult:
            return write_group_scoring_ledger(self.ws, target, round_id, result_id=result_id, today=today)

        def done(result: LedgerResult) -> None:
            messages.show_info(
                self, "导出 Excel", f"已导出{TITLE}：\n{result.path}\n\n{actions.rows_text(result)}"
            )

        run_with_progress(self, f"正在导出{TITLE}", job, done)

    def print_pdf(self) -> None:
        """打印 PDF of what is shown: rendered in the background into memory, then previewed."""
        from xuncha_desktop.gui import output_actions as actions
        from xuncha_desktop.gui.dialogs.pdf_preview_dialog import PdfPreviewDialog
        from xuncha_desktop.services.output.group_scoring_output import KIND, write_group_scoring_pdf
        from xuncha_desktop.services.output.pdf_fonts import load_fonts

        if not self.round_id():
            messages.show_info(self, "打印 PDF", "请先选择巡察轮次。")
            return
        round_id, result_id, version, today = (
            self.round_id(),
            self.result_id,
            self.version(),
            self.host.today(),
        )
        name = actions.safe_file_name(self._stem(), ".pdf")

        def job(progress: Progress) -> Any:
            fonts = load_fonts()
            data, result = actions.render_to_bytes(
                lambda out: write_group_scoring_pdf(
                    self.ws, round_id, out, fonts, progress, result_id=result_id, version=version, today=today
                )
            )
            return data, result, actions.font_summary(fonts)

        def done(rendered: Any) -> None:
            data, result, summary = rendered
            dialog = PdfPreviewDialog(
                data,
                title=TITLE,
                default_path=export_folder.start_folder(self) / name,
                fonts=result.fonts,
                font_summary=summary,
                missing=result.missing,
                parent=self,
                recorder=actions.PrintRecorder(self.ws, KIND, result.records),
            )
            dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
            actions.show_preview(dialog)

        run_with_progress(self, f"正在生成{TITLE}", job, done)
