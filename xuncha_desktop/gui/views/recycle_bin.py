"""The 回收站 tab: deleted records of every type, newest first, and restoring them."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QComboBox,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QWidget,
)

from xuncha_desktop.domain.errors import XunchaError
from xuncha_desktop.gui import messages
from xuncha_desktop.gui.forms import child, load_form
from xuncha_desktop.gui.pages.formatting import hlc_text
from xuncha_desktop.gui.pages.page_types import PageSpec
from xuncha_desktop.services.records.record_service import ListQuery
from xuncha_desktop.services.workspace import Workspace

HEADERS = ("记录类型", "编号", "内容", "删除人", "删除时间")
PER_TYPE = 500


class RecycleBin(QWidget):
    restored = Signal(str, str)  # record type key, record id

    def __init__(
        self, workspace: Workspace, specs: Sequence[PageSpec[Any]], parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("recycleBin")
        form = load_form("recycle_bin.ui", self)
        self._ws = workspace
        self._specs = {s.record_type.key: s for s in specs}
        self._rows: list[tuple[PageSpec[Any], Any]] = []
        self._type_combo = child(form, QComboBox, "typeCombo")
        self._table = child(form, QTableWidget, "recycleTable")
        self._count_label = child(form, QLabel, "binCountLabel")
        self._restore_button = child(form, QPushButton, "restoreButton")
        self._type_combo.addItem("全部类型", "")
        for key, spec in self._specs.items():
            self._type_combo.addItem(spec.record_type.label, key)
        self._table.setColumnCount(len(HEADERS))
        self._table.setHorizontalHeaderLabels(list(HEADERS))
        header = self._table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self._type_combo.currentIndexChanged.connect(self.reload)
        child(form, QPushButton, "refreshButton").clicked.connect(self.reload)
        self._restore_button.clicked.connect(self.restore_selected)
        self._table.itemSelectionChanged.connect(self._update_button)
        self._table.itemDoubleClicked.connect(lambda _item: self.restore_selected())
        self._loaded = False  # read when first shown: most sessions never open the bin

    def showEvent(self, event: QShowEvent) -> None:
        if not self._loaded:
            self.reload()
        super().showEvent(event)

    @property
    def table(self) -> QTableWidget:
        return self._table

    def records(self) -> list[Any]:
        if not self._loaded:
            self.reload()
        return [record for _spec, record in self._rows]

    def reload(self) -> None:
        self._loaded = True
        wanted = self._type_combo.currentData() or ""
        rows: list[tuple[PageSpec[Any], Any]] = []
        query = ListQuery(deleted=True, order_by="updated_hlc", descending=True, limit=PER_TYPE)
        for key, spec in self._specs.items():
            if not wanted or wanted == key:
                rows += [(spec, r) for r in spec.service(self._ws).list(query)]
        rows.sort(key=lambda row: row[1].meta.updated_at if row[1].meta else "", reverse=True)
        self._rows = rows
        self._table.setRowCount(0)
        for spec, record in rows:
            row = self._table.rowCount()
            self._table.insertRow(row)
            meta = record.meta
            cells = (
                spec.record_type.label,
                record.number,
                spec.heading(record),
                meta.updated_by if meta else "",
                hlc_text(meta.updated_at) if meta else "",
            )
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setToolTip(text)
                self._table.setItem(row, column, item)
        self._count_label.setText(f"回收站中有 {len(rows)} 条记录" if rows else "回收站中没有记录")
        self._update_button()

    def select_row(self, row: int) -> None:
        self._table.selectRow(row)

    def restore_selected(self) -> None:
        rows = sorted({i.row() for i in self._table.selectedIndexes()})
        if not rows:
            return
        spec, record = self._rows[rows[0]]
        try:
            spec.service(self._ws).restore(record.id)
        except XunchaError as error:
            messages.show_error(self, "无法恢复", str(error))
            return
        self.reload()
        self.restored.emit(spec.record_type.key, record.id)

    def _update_button(self) -> None:
        self._restore_button.setEnabled(bool(self._table.selectedIndexes()))
