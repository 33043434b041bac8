"""The records behind one number of 统计概览 (records_behind / count_behind of services/office_statistics):
a list of 编号 and 标题 next to the window, each opened on its own tab with a double-click or 打开."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from xuncha_desktop.domain.record_types import BY_KEY
from xuncha_desktop.gui.background_reads import Reader
from xuncha_desktop.gui.statistics.host import ScreenHost
from xuncha_desktop.gui.statistics.tables import Cell
from xuncha_desktop.services.failures import user_message
from xuncha_desktop.services.office_statistics.drilldown import RecordRef, count_behind, records_behind
from xuncha_desktop.services.office_statistics.figures import FIGURE_LABELS
from xuncha_desktop.services.office_statistics.scope import Scope

LIMIT = 200  # rows listed; the count says how many there are in all
RefRole = Qt.ItemDataRole.UserRole + 1


@dataclass(frozen=True)
class Behind:
    refs: list[RecordRef]
    count: int
    error: str = ""


def read_behind(host: ScreenHost, scope: Scope, cell: Cell) -> Behind:
    """Runs on a pool thread: the first LIMIT records and their number (a Chinese message on failure)."""
    try:
        ws, today = host.workspace, host.today()
        refs = records_behind(ws, scope, cell.figure, by=cell.by, key=cell.key, limit=LIMIT, today=today)
        return Behind(refs, count_behind(ws, scope, cell.figure, by=cell.by, key=cell.key, today=today))
    except Exception as error:  # shown in the dialog, never as a traceback
        return Behind([], 0, user_message(error))


class DrilldownDialog(QDialog):
    """Non-modal: the person may open one record after another while it stays open."""

    def __init__(self, host: ScreenHost, scope: Scope, scope_label: str, cell: Cell, parent: QWidget) -> None:
        super().__init__(parent)
        self.setObjectName("drilldownDialog")
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self._host = host
        self.cell = cell
        where = f"（{cell.row_label}）" if cell.row_label and cell.key else ""
        self.setWindowTitle(f"明细：{FIGURE_LABELS[cell.figure]}{where}")
        self.resize(720, 460)
        layout = QVBoxLayout(self)
        self.count_label = QLabel(f"{scope_label}：正在查找记录…", self)
        self.count_label.setObjectName("countLabel")
        self.count_label.setWordWrap(True)
        self.table = QTableWidget(0, 3, self)
        self.table.setObjectName("recordsTable")
        self.table.setHorizontalHeaderLabels(["编号", "标题", "类型"])
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().setVisible(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        self.open_button = QPushButton("打开", self)
        self.open_button.setObjectName("openButton")
        self.open_button.setEnabled(False)
        buttons.addButton(self.open_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.close)
        layout.addWidget(self.count_label)
        layout.addWidget(self.table, 1)
        layout.addWidget(buttons)
        self.open_button.clicked.connect(self.open_current)
        self.table.itemDoubleClicked.connect(lambda _item: self.open_current())
        self.table.currentCellChanged.connect(lambda *_: self._enable_open())
        self.loading = True
        self._scope_label = scope_label
        Reader(self).read(lambda: read_behind(host, scope, cell), self._show)

    def refs(self) -> list[RecordRef]:
        found = []
        for row in range(self.table.rowCount()):
            item = self.table.item(row, 0)
            ref = item.data(RefRole) if item is not None else None
            if isinstance(ref, RecordRef):
                found.append(ref)
        return found

    def _show(self, behind: Behind) -> None:
        self.loading = False
        if behind.error:
            self.count_label.setText(f"无法列出这个数字背后的记录：{behind.error}")
            return
        self.table.setRowCount(len(behind.refs))
        for row, ref in enumerate(behind.refs):
            kind = BY_KEY[ref.type_key].label if ref.type_key in BY_KEY else ref.type_key
            for column, text in enumerate((ref.number or "（无编号）", ref.title, kind)):
                item = QTableWidgetItem(text)
                item.setData(RefRole, ref)
                item.setToolTip(text)
                self.table.setItem(row, column, item)
        more = f"，列出前 {len(behind.refs)} 条" if behind.count > len(behind.refs) else ""
        if not behind.count:
            self.count_label.setText(f"{self._scope_label}：没有记录。")
        else:
            hint = "双击一行在其页面中打开。" if any(self._host.can_open(r.type_key) for r in behind.refs) else ""
            self.count_label.setText(f"{self._scope_label}：共 {behind.count} 条记录{more}。{hint}")
        if behind.refs:
            self.table.selectRow(0)

    def _enable_open(self) -> None:
        ref = self._current_ref()
        self.open_button.setEnabled(ref is not None and self._host.can_open(ref.type_key))
        if ref is not None and not self._host.can_open(ref.type_key):
            self.open_button.setToolTip(f"{BY_KEY[ref.type_key].label}不在记录页中打开")
        else:
            self.open_button.setToolTip("")

    def _current_ref(self) -> RecordRef | None:
        item = self.table.item(self.table.currentRow(), 0) if self.table.currentRow() >= 0 else None
        ref = item.data(RefRole) if item is not None else None
        return ref if isinstance(ref, RecordRef) else None

    def open_current(self) -> None:
        """The selected record on its own tab (the list stays open for the next one)."""
        ref = self._current_ref()
        if ref is not None and self._host.can_open(ref.type_key):
            self._host.navigate(ref.type_key, ref.record_id)
