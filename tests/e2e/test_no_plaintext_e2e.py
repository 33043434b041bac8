"""Create, edit, attach, print preview (locked while open), export, import and backup through the GUI, with
HOME, the XDG folders, TMPDIR and QSettings inside the test folder; then every file written on the way is
scanned for the record texts in UTF-8, UTF-16 (LE, BE) and GB18030."""

from __future__ import annotations

import os
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QSettings, QStandardPaths, Qt, QTimer
from PySide6.QtWidgets import QDialog, QLineEdit, QPlainTextEdit, QPushButton, QWidget
from pytestqt.qtbot import QtBot

from tests.builders import PASSPHRASE, draft, make_context
from tests.gui.keys import ime_commit, type_text
from tests.sync_helpers import open_world
from tests.unit.services.security.test_no_plaintext_leaks import Needles, scan
from xuncha_desktop import APP_NAME
from xuncha_desktop.domain.issue_drafts import IssueDraft
from xuncha_desktop.domain.record_types import DRAFT
from xuncha_desktop.gui import messages, output_actions, sync_actions
from xuncha_desktop.gui.auto_lock import controller_of
from xuncha_desktop.gui.dialogs.import_dialog import ImportDialog
from xuncha_desktop.gui.dialogs.pdf_preview_dialog import PdfPreviewDialog
from xuncha_desktop.gui.forms import child
from xuncha_desktop.gui.main_window import MainWindow
from xuncha_desktop.gui.pages.record_page import RecordPage
from xuncha_desktop.services.records.record_service import RecordService
from xuncha_desktop.services.security import backups
from xuncha_desktop.services.workspace import Workspace

pytestmark = pytest.mark.e2e
# Distinctive texts found nowhere else (not those of the services-level scan, which may run alongside).
TEXTS = (
    "珊瑚礁街道违规发放慰问金",
    "孔雀河闸口工程款另行支付",
    "琉璃厂账外账户存放资金",
    "枫林渡拆迁补偿款被截留",
    "枫丹桥附件清单",
)
NEEDLES = Needles(TEXTS)
_WRITE_FLAGS = os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_APPEND | os.O_TRUNC
_written: list[str] | None = None  # paths Python opened for writing while a test records them
_hooked = False


def _audit(event: str, args: tuple[Any, ...]) -> None:
    if _written is None:
        return
    if event == "open" and isinstance(args[0], str | os.PathLike):
        mode, flags = args[1], args[2]
        writes = isinstance(mode, str) and bool(set(mode) & set("wax+"))
        if writes or (isinstance(flags, int) and flags & _WRITE_FLAGS):
            _written.append(os.path.abspath(os.fspath(args[0])))
    elif event in ("tempfile.mkdtemp", "tempfile.mkstemp"):
        _written.append(os.path.abspath(os.fspath(args[0])))


@contextmanager
def recording_writes() -> Iterator[list[str]]:
    """Every file (and temp folder) Python code opens for writing meanwhile, even if deleted again at once.
    Writes inside SQLCipher and Qt bypass this; the folder scans catch what they leave behind."""
    global _written, _hooked
    if not _hooked:
        sys.addaudithook(_audit)  # cannot be removed again: idle while _written is None
        _hooked = True
    found: list[str] = []
    _written = found
    try:
        yield found
    finally:
        _written = None


@dataclass(frozen=True)
class Places:
    home: Path
    temp: Path


@pytest.fixture
def places(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Places]:
    """HOME, XDG config/cache/data, TMPDIR and the QSettings user folder, all inside the test folder."""
    home, temp = tmp_path / "家", tmp_path / "临时"
    for folder in (home / ".config", home / ".cache", home / ".local" / "share", temp):
        folder.mkdir(parents=True)
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / ".config"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(home / ".cache"))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / ".local" / "share"))
    monkeypatch.setenv("TMPDIR", str(temp))
    monkeypatch.setattr(tempfile, "tempdir", str(temp))
    ini, user = QSettings.Format.IniFormat, QSettings.Scope.UserScope
    before = Path(QSettings(ini, user, "o", "a").fileName()).parent.parent  # QSettings caches its folder
    QSettings.setPath(ini, user, str(home / ".config"))
    yield Places(home, temp)
    QSettings.setPath(ini, user, str(before))


def save(qtbot: QtBot, window: MainWindow, page: RecordPage[Any]) -> None:
    with qtbot.waitSignal(page.record_saved):
        qtbot.keyClick(window, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)


def import_at_office(office: Workspace, package: Path, monkeypatch: pytest.MonkeyPatch, qtbot: QtBot) -> None:
    """文件 → 导入工作包 at the office: preview, 导入, summary (an automatic backup comes first)."""
    parent = QWidget()
    qtbot.addWidget(parent)

    def show(dialog: ImportDialog) -> bool:
        if dialog.import_button is None:
            return True
        dialog.import_button.click()
        return dialog.result() == QDialog.DialogCode.Accepted

    monkeypatch.setattr(sync_actions, "ask_open_packages", lambda _parent, _start: [package])
    monkeypatch.setattr(sync_actions, "show_import_dialog", show)
    assert sync_actions.import_packages(parent, office) is True


def test_no_record_text_in_any_file_written_on_the_way(
    world_template: Path, tmp_path: Path, places: Places, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    user_files, usb = tmp_path / "用户文件", tmp_path / "U盘"  # the user's own scan, and the stick
    user_files.mkdir()
    usb.mkdir()
    scan_file = user_files / f"{TEXTS[4]}.txt"
    scan_file.write_bytes(f"{TEXTS[3]}\n".encode() + TEXTS[3].encode("utf-16-le"))
    assert NEEDLES.found_in(scan_file)  # the scanner sees the texts in the user's own file
    world = open_world(world_template, tmp_path / "world")
    laptop = world.fields[0]
    settings = QSettings(QSettings.Format.IniFormat, QSettings.Scope.UserScope, APP_NAME, APP_NAME)
    assert Path(settings.fileName()).is_relative_to(places.home)
    locations = QStandardPaths.StandardLocation
    for where in (locations.CacheLocation, locations.GenericCacheLocation, locations.TempLocation):
        assert Path(QStandardPaths.writableLocation(where)).is_relative_to(tmp_path)  # Qt's own folders
    window = MainWindow(laptop, settings=settings, recover=False)
    qtbot.addWidget(window)
    window.resize(1400, 900)
    window.show()
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    infos: list[str] = []
    monkeypatch.setattr(sync_actions, "show_info", lambda _parent, _title, text: infos.append(text))
    try:
        with recording_writes() as written:
            # Create a draft, typed in Chinese, and edit it.
            page = window.page("问题底稿")
            window.show_page(page)
            qtbot.keyClick(window, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
            page.form.set_value("target_id", world.ctx.target.id)
            page.form.set_value("category_l1", "B2")
            ime_commit(page.form.widget_of("title"), TEXTS[0])
            description = page.form.widget_of("description")
            assert isinstance(description, QPlainTextEdit)
            ime_commit(description, TEXTS[2])
            save(qtbot, window, page)
            title = page.form.widget_of("title")
            assert isinstance(title, QLineEdit)
            title.setFocus()
            title.setCursorPosition(len(TEXTS[0]))
            ime_commit(title, TEXTS[1])
            save(qtbot, window, page)

            # Attach the user's scan.
            monkeypatch.setattr(messages, "choose_attachment_files", lambda _parent, _start: [scan_file])
            child(page.attachments_panel, QPushButton, "addAttachmentButton").click()
            assert [a.file_name for a in page.attachments_panel.attachments()] == [scan_file.name]

            # Print preview, from memory; the idle lock strikes while it is open and closes it.
            previews: list[PdfPreviewDialog] = []

            def preview(dialog: PdfPreviewDialog) -> None:
                previews.append(dialog)
                assert dialog.page_count() >= 1
                QTimer.singleShot(0, controller_of(window).lock)
                dialog.exec()

            monkeypatch.setattr(output_actions, "show_preview", preview)
            window.actions_by_name["printAction"].trigger()
            qtbot.waitUntil(lambda: laptop.is_locked, timeout=30_000)
            assert len(previews) == 1
            screen = controller_of(window).screen
            assert screen is not None
            type_text(screen.passphrase_edit, PASSPHRASE)
            qtbot.mouseClick(screen.unlock_button, Qt.MouseButton.LeftButton)
            assert not laptop.is_locked and page.form.value("title") == TEXTS[0] + TEXTS[1]

            # Export the work package to the stick, import it at the office, back the laptop up.
            package = usb / "组员1.xcpkg"
            monkeypatch.setattr(sync_actions, "ask_export_mode", lambda _parent: False)
            monkeypatch.setattr(sync_actions, "ask_save_package", lambda _parent, _title, _default: package)
            window.actions_by_name["exportWorkspaceAction"].trigger()
            qtbot.waitUntil(lambda: bool(infos), timeout=20_000)
            import_at_office(world.office, package, monkeypatch, qtbot)
            backups.take_backup(laptop)
            titles = {d.title for d in RecordService[IssueDraft](world.office, DRAFT).list()}
            assert TEXTS[0] + TEXTS[1] in titles
    finally:
        window.close()
        world.close()
    settings.sync()
    assert Path(settings.fileName()).is_file()
    found: dict[str, list[str]] = {}
    for root in (world.root, usb, places.home, places.temp):
        found.update(scan(root, 0.0, NEEDLES, temp=False))
    assert found == {}
    assert written and all(Path(p).is_relative_to(tmp_path) for p in written), written


def test_print_preview_writes_no_file_at_all(
    workspace: Workspace, places: Places, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    shown = RecordService[IssueDraft](workspace, DRAFT).save(draft(make_context(workspace), title=TEXTS[0]))
    parent = QWidget()
    qtbot.addWidget(parent)
    pages: list[int] = []
    monkeypatch.setattr(output_actions, "show_preview", lambda dialog: pages.append(dialog.page_count()))
    with recording_writes() as written:
        output_actions.print_records(parent, workspace, "draft", [shown.id])
        qtbot.waitUntil(lambda: bool(pages), timeout=30_000)
    assert pages[0] >= 1
    assert written == []
