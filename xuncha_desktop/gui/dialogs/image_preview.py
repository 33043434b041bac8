"""Preview of an image attachment, decoded from bytes in memory: nothing is written to disk."""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QImage, QPixmap, QResizeEvent
from PySide6.QtWidgets import QCheckBox, QDialog, QDialogButtonBox, QLabel, QScrollArea, QWidget

from xuncha_desktop.gui.forms import child, load_into


def decode_image(data: bytes) -> QImage:
    """The picture in `data`; a null image when the bytes are no picture Qt can read."""
    return QImage.fromData(data)


class ImagePreviewDialog(QDialog):
    def __init__(self, title: str, data: bytes, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        load_into("image_preview_dialog.ui", self)
        self.setWindowTitle(f"图片预览 — {title}")
        self._image = decode_image(data)
        self._label = child(self, QLabel, "imageLabel")
        self._area = child(self, QScrollArea, "imageArea")
        self._actual = child(self, QCheckBox, "actualSizeCheck")
        info = child(self, QLabel, "infoLabel")
        if self._image.isNull():
            self._label.setText("无法显示：文件不是可识别的图片格式，或内容已损坏。")
            info.setText(title)
            self._actual.setEnabled(False)
        else:
            info.setText(f"{title}　{self._image.width()} × {self._image.height()} 像素")
        child(self, QDialogButtonBox, "buttonBox").rejected.connect(self.reject)
        self._actual.toggled.connect(self._show)
        self._show()

    def image_size(self) -> QSize:
        return self._image.size()

    def _show(self) -> None:
        if self._image.isNull():
            return
        pixmap = QPixmap.fromImage(self._image)
        if not self._actual.isChecked():
            room = self._area.viewport().size() - QSize(4, 4)
            if pixmap.width() > room.width() or pixmap.height() > room.height():
                pixmap = pixmap.scaled(
                    room, Qt.AspectRatioMode.KeepAspectRatio, Qt.TransformationMode.SmoothTransformation
                )
        self._label.setPixmap(pixmap)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._show()
