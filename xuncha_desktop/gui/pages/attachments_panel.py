"""The 附件 panel of a record: add scans and photos, see size and SHA-256, preview images, remove."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHeaderView, QLabel, QPushButton, QTableWidget, QTableWidgetItem, QWidget

from xuncha_desktop.domain.errors import XunchaError
from xuncha_desktop.domain.organization import Attachment
from xuncha_desktop.gui import messages
from xuncha_desktop.gui.forms import child, load_form
from xuncha_desktop.services.records.attachments import AttachmentService
from xuncha_desktop.services.workspace import Workspace

HEADERS = ("文件名", "大小", "SHA-256 校验值", "类型")
NEEDS_SAVE = "保存记录后才能添加附件"
READY = "附件加密保存在工作库中；双击图片可预览"


def size_text(size: int) -> str:
    if size < 1024:
        return f"{size} 字节"
    if size < 1024 * 1024:
        return f"{size / 1024:.1f} KB"
    return f"{size / 1024 / 1024:.1f} MB"


def is_image(attachment: Attachment) -> bool:
    return attachment.mime.startswith("image/")


class AttachmentsPanel(QWidget):
    attachments_changed = Signal()

    def __init__(self, workspace: Workspace, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        form = load_form("attachments_panel.ui", self)
        self._service = AttachmentService(workspace)
        self._owner: tuple[str, str] = ("", "")
        self._items: list[Attachment] = []
        self._start_dir = Path.home()
        self._table = child(form, QTableWidget, "attachmentsTable")
        self._hint = child(form, QLabel, "attachmentsHintLabel")
        self._add_button = child(form, QPushButton, "addAttachmentButton")
        self._preview_button = child(form, QPushButton, "previewAttachmentButton")
        self._remove_button = child(form, QPushButton, "removeAttachmentButton")
        self._table.setColumnCount(len(HEADERS))
        self._table.setHorizontalHeaderLabels(list(HEADERS))
        header = self._table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self._connect_signals()
        self._update_buttons()

    def _connect_signals(self) -> None:
        self._add_button.clicked.connect(self.add_files)
        self._preview_button.clicked.connect(self._preview_selected)
        self._remove_button.clicked.connect(self._remove_selected)
        self._table.itemDoubleClicked.connect(lambda _item: self._preview_selected())
        self._table.itemSelectionChanged.connect(self._update_buttons)

    @property
    def table(self) -> QTableWidget:
        return self._table

    def attachments(self) -> list[Attachment]:
        return list(self._items)

    def set_record(self, type_key: str, record_id: str) -> None:
        self._owner = (type_key, record_id)
        self._items = self._service.of_record(type_key, record_id) if record_id else []
        self._table.setRowCount(0)
        for attachment in self._items:
            row = self._table.rowCount()
            self._table.insertRow(row)
            cells = (
                attachment.file_name,
                size_text(attachment.size),
                f"{attachment.sha256[:16]}…",
                attachment.mime,
            )
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setToolTip(attachment.sha256 if column == 2 else text)
                if column == 1:
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                self._table.setItem(row, column, item)
        self._hint.setText(READY if record_id else NEEDS_SAVE)
        self._update_buttons()

    def add_files(self) -> None:
        type_key, record_id = self._owner
        if not record_id:
            return
        added = 0
        for path in messages.choose_attachment_files(self, self._start_dir):
            self._start_dir = path.parent
            try:
                self._service.add(type_key, record_id, path.name, path.read_bytes())
            except (OSError, XunchaError) as error:
                messages.show_error(self, "无法添加附件", f"{path.name}：{error}")
                continue
            added += 1
        if added:
            self.set_record(type_key, record_id)
            self.attachments_changed.emit()

    def preview(self, attachment: Attachment) -> None:
        if not is_image(attachment):
            messages.show_info(
                self, "预览附件", f"“{attachment.file_name}”不是图片，只能预览 JPG、PNG 等图片格式的附件。"
            )
            return
        try:
            data = self._service.data(attachment.sha256)
        except XunchaError as error:
            messages.show_error(self, "无法预览附件", str(error))
            return
        messages.show_image(self, attachment.file_name, data)

    def preview_id(self, attachment_id: str) -> bool:
        """Preview the attachment with this id if it belongs to the shown record."""
        found = next((a for a in self._items if a.id == attachment_id), None)
        if found is not None:
            self.preview(found)
        return found is not None

    def _selected(self) -> Attachment | None:
        rows = {i.row() for i in self._table.selectedIndexes()}
        return self._items[min(rows)] if rows else None

    def _preview_selected(self) -> None:
        found = self._selected()
        if found is not None:
            self.preview(found)

    def _remove_selected(self) -> None:
        found = self._selected()
        if found is None or not messages.confirm_delete(self, f"附件“{found.file_name}”"):
            return
        self._service.remove(found.id)
        self.set_record(*self._owner)
        self.attachments_changed.emit()

    def _update_buttons(self) -> None:
        selected = self._selected() is not None
        self._add_button.setEnabled(bool(self._owner[1]))
        self._preview_button.setEnabled(selected)
        self._remove_button.setEnabled(selected)
