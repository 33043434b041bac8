"""The 关联记录 panel: every record linked to or from the shown one; double-click opens the other end."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHeaderView, QPushButton, QTableWidget, QTableWidgetItem, QWidget

from xuncha_desktop.domain.errors import RecordNotFound, XunchaError
from xuncha_desktop.domain.record_types import ATTACHMENT, record_type
from xuncha_desktop.gui import messages
from xuncha_desktop.gui.forms import child, load_form
from xuncha_desktop.services.records.links import LinkedRecord, LinkService
from xuncha_desktop.services.records.record_service import RecordService
from xuncha_desktop.services.workspace import Workspace

HEADERS = ("记录类型", "编号", "关系", "方向")
LINK_ROLE = Qt.ItemDataRole.UserRole + 3


class LinksPanel(QWidget):
    open_requested = Signal(str, str)  # record type key, record id
    links_changed = Signal()

    def __init__(self, workspace: Workspace, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        form = load_form("links_panel.ui", self)
        self._ws = workspace
        self._links: list[LinkedRecord] = []
        self._owner: tuple[str, str] = ("", "")
        self._table = child(form, QTableWidget, "linksTable")
        self._open_button = child(form, QPushButton, "openLinkButton")
        self._unlink_button = child(form, QPushButton, "unlinkButton")
        self._table.setColumnCount(len(HEADERS))
        self._table.setHorizontalHeaderLabels(list(HEADERS))
        header = self._table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self._table.itemDoubleClicked.connect(lambda _item: self._open_selected())
        self._open_button.clicked.connect(self._open_selected)
        self._unlink_button.clicked.connect(self._unlink_selected)
        self._table.itemSelectionChanged.connect(self._update_buttons)
        self._update_buttons()

    @property
    def table(self) -> QTableWidget:
        return self._table

    def links(self) -> list[LinkedRecord]:
        return list(self._links)

    def set_record(self, type_key: str, record_id: str) -> None:
        self._owner = (type_key, record_id)
        self._links = LinkService(self._ws).linked(type_key, record_id) if record_id else []
        self._table.setRowCount(0)
        for link in self._links:
            row = self._table.rowCount()
            self._table.insertRow(row)
            label = record_type(link.record_type).label
            number = link.number or self._name_of(link)
            direction = "本记录 → 对方" if link.outgoing else "对方 → 本记录"
            for column, text in enumerate((label, number, link.kind, direction)):
                item = QTableWidgetItem(text)
                item.setData(LINK_ROLE, row)
                self._table.setItem(row, column, item)
        self._update_buttons()

    def _name_of(self, link: LinkedRecord) -> str:
        """Attachments have no number: their file name stands in."""
        if link.record_type != ATTACHMENT.key:
            return "（无编号）"
        try:
            return str(RecordService[Any](self._ws, ATTACHMENT).get(link.record_id).file_name)
        except RecordNotFound:
            return "（附件已删除）"

    def open_row(self, row: int) -> None:
        link = self._links[row]
        self.open_requested.emit(link.record_type, link.record_id)

    def _selected_row(self) -> int | None:
        rows = {i.row() for i in self._table.selectedIndexes()}
        return min(rows) if rows else None

    def _open_selected(self) -> None:
        row = self._selected_row()
        if row is not None:
            self.open_row(row)

    def _unlink_selected(self) -> None:
        row = self._selected_row()
        if row is None:
            return
        link = self._links[row]
        what = f"与{record_type(link.record_type).label}“{link.number}”的关联"
        if not messages.confirm_unlink(self, what):
            return
        try:
            LinkService(self._ws).unlink(link.link_id)
        except XunchaError as error:
            messages.show_error(self, "无法取消关联", str(error))
            return
        self.set_record(*self._owner)
        self.links_changed.emit()

    def _update_buttons(self) -> None:
        selected = self._selected_row() is not None
        self._open_button.setEnabled(selected)
        self._unlink_button.setEnabled(selected)
