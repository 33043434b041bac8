"""Attachments on a record: add files, see size and SHA-256, preview images from memory, remove."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QBuffer, QByteArray, QIODevice
from PySide6.QtGui import QColor, QImage
from PySide6.QtWidgets import QPushButton, QTabWidget
from pytestqt.qtbot import QtBot

from xuncha_desktop.gui import messages
from xuncha_desktop.gui.dialogs.image_preview import ImagePreviewDialog
from xuncha_desktop.gui.main_window import MainWindow
from xuncha_desktop.gui.pages.page_types import PageSpec
from xuncha_desktop.gui.pages.registry import PAGE_SPECS


def png_bytes(width: int = 40, height: int = 30) -> bytes:
    image = QImage(width, height, QImage.Format.Format_RGB32)
    image.fill(QColor("#b71c1c"))
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")
    return bytes(data.data())


@pytest.fixture
def files(tmp_path: Path) -> list[Path]:
    photo = tmp_path / "现场照片.png"
    photo.write_bytes(png_bytes())
    scan = tmp_path / "会议记录扫描件.pdf"
    scan.write_bytes(b"%PDF-1.4 scan")
    return [photo, scan]


@pytest.mark.parametrize("spec", PAGE_SPECS, ids=lambda s: s.title)
def test_add_list_preview_and_remove_attachments(
    main_window: MainWindow, files: list[Path], monkeypatch: pytest.MonkeyPatch, spec: PageSpec[Any]
) -> None:
    page = main_window.page(spec.title)
    main_window.show_page(page)
    panel = page.attachments_panel
    monkeypatch.setattr(messages, "choose_attachment_files", lambda parent, start: files)
    panel.findChild(QPushButton, "addAttachmentButton").click()
    assert [a.file_name for a in panel.attachments()] == ["会议记录扫描件.pdf", "现场照片.png"]
    photo = panel.attachments()[1]
    assert photo.sha256 == hashlib.sha256(files[0].read_bytes()).hexdigest()
    table = panel.table
    assert table.item(1, 1).text().endswith("字节") and table.item(1, 2).toolTip() == photo.sha256
    shown: list[tuple[str, bytes]] = []
    monkeypatch.setattr(messages, "show_image", lambda parent, title, data: shown.append((title, data)))
    table.selectRow(1)
    panel.findChild(QPushButton, "previewAttachmentButton").click()
    assert shown == [("现场照片.png", files[0].read_bytes())]
    monkeypatch.setattr(messages, "confirm_delete", lambda parent, what: True)
    panel.findChild(QPushButton, "removeAttachmentButton").click()
    assert [a.file_name for a in panel.attachments()] == ["会议记录扫描件.pdf"]
    form_tabs = page.findChild(QTabWidget, "formTabs")  # the panels are the last tabs of the form
    assert form_tabs.tabText(form_tabs.count() - 1) == "附件（1）"


def test_a_new_record_cannot_take_attachments_until_saved(main_window: MainWindow) -> None:
    page = main_window.page("问题底稿")
    main_window.show_page(page)
    page.new_record()
    assert not page.attachments_panel.findChild(QPushButton, "addAttachmentButton").isEnabled()


def test_a_pdf_is_not_previewed_as_an_image(
    main_window: MainWindow, files: list[Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    told: list[str] = []
    monkeypatch.setattr(messages, "choose_attachment_files", lambda parent, start: files[1:])
    monkeypatch.setattr(messages, "show_info", lambda parent, title, text: told.append(text))
    panel = main_window.page("个别谈话记录").attachments_panel
    panel.add_files()
    panel.preview(panel.attachments()[0])
    assert "不是图片" in told[0]


def test_the_preview_dialog_decodes_bytes_in_memory(qtbot: QtBot, tmp_path: Path) -> None:
    dialog = ImagePreviewDialog("现场照片.png", png_bytes(1200, 900))
    qtbot.addWidget(dialog)
    assert (dialog.image_size().width(), dialog.image_size().height()) == (1200, 900)
    assert list(tmp_path.iterdir()) == []
    broken = ImagePreviewDialog("坏文件.png", b"not an image")
    qtbot.addWidget(broken)
    assert broken.image_size().isEmpty()


def test_double_clicking_an_attachment_link_previews_it(
    main_window: MainWindow, files: list[Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    page = main_window.page("问题底稿")
    main_window.show_page(page)
    monkeypatch.setattr(messages, "choose_attachment_files", lambda parent, start: files[:1])
    page.attachments_panel.add_files()
    monkeypatch.setattr(
        messages, "pick_evidence", lambda parent, found: [c for c in found if c.kind == "attachment"]
    )
    page.form.find(QPushButton, "pickEvidenceButton").click()
    assert page.save()
    shown: list[str] = []
    monkeypatch.setattr(messages, "show_image", lambda parent, title, data: shown.append(title))
    links = page.links_panel
    assert [x.record_type for x in links.links()] == ["attachment"]
    links.open_row(0)
    assert shown == ["现场照片.png"]
