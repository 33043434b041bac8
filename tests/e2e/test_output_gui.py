"""打印 → 打印预览 → 另存为 PDF / 打印, and 导出台账 → 导入台账, through the real modal dialogs."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from pypdf import PdfReader
from PySide6.QtCore import QTimer
from PySide6.QtPrintSupport import QPrinter
from PySide6.QtWidgets import QApplication, QMainWindow, QWidget
from pytestqt.qtbot import QtBot

from tests.builders import PASSPHRASE, Context, draft, lead, make_context
from tests.output_helpers import pdf_fonts, pdf_text
from xuncha_desktop.domain.issue_drafts import IssueDraft
from xuncha_desktop.domain.lead_registrations import LeadRegistration
from xuncha_desktop.domain.record_types import DRAFT, LEAD
from xuncha_desktop.gui import messages, output_actions
from xuncha_desktop.gui.dialogs import ledger_import_dialog, pdf_preview_dialog
from xuncha_desktop.gui.dialogs.ledger_import_dialog import LedgerImportDialog
from xuncha_desktop.gui.dialogs.pdf_preview_dialog import PdfPreviewDialog
from xuncha_desktop.services.output.excel_import import ImportContext
from xuncha_desktop.services.records.record_service import ListQuery, RecordService
from xuncha_desktop.services.workspace import Workspace
from xuncha_desktop.storage.keyfile import KdfParams

pytestmark = pytest.mark.e2e
# Read before the dialog guard of tests/conftest.py replaces them: these tests answer the real dialogs.
REAL_DIALOGS = {name: getattr(output_actions, name) for name in ("show_preview", "show_ledger_import")}


@pytest.fixture(autouse=True)
def real_output_dialogs(monkeypatch: pytest.MonkeyPatch) -> None:
    """The preview and the ledger import run modally; each test drives them with _when_modal."""
    for name, real in REAL_DIALOGS.items():
        monkeypatch.setattr(output_actions, name, real)


@pytest.fixture
def window(qtbot: QtBot) -> QMainWindow:
    main = QMainWindow()
    main.resize(1000, 700)
    qtbot.addWidget(main)
    main.show()
    qtbot.waitExposed(main)
    return main


def _when_modal(kind: type[QWidget], act: Callable[[QWidget], None]) -> None:
    """Once a modal dialog of `kind` is up (its own event loop running), do `act` on it."""

    def poll() -> None:
        dialog = QApplication.activeModalWidget()
        if isinstance(dialog, kind) and dialog.isVisible():
            act(dialog)
        else:
            QTimer.singleShot(50, poll)

    QTimer.singleShot(50, poll)


def test_print_preview_then_save_and_print(
    workspace: Workspace,
    ctx: Context,
    window: QMainWindow,
    qtbot: QtBot,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    drafts = RecordService[IssueDraft](workspace, DRAFT)
    first = drafts.save(draft(ctx, title="公务接待超标准问题"))
    second = drafts.save(draft(ctx, title="违规发放津补贴问题"))
    saved = tmp_path / "输出" / "两份底稿.pdf"
    saved.parent.mkdir()
    printed = tmp_path / "打印机.pdf"
    monkeypatch.setattr(messages, "choose_save_file", lambda *_args: saved)

    def to_file(_parent: object, printer: QPrinter, _pages: int) -> bool:
        printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        printer.setOutputFileName(str(printed))
        return True

    monkeypatch.setattr(pdf_preview_dialog, "ask_printer", to_file)
    seen: dict[str, object] = {}

    def use_preview(widget: QWidget) -> None:
        assert isinstance(widget, PdfPreviewDialog)
        seen["pages"], seen["fonts"] = widget.page_count(), widget.font_label.text()
        widget.next_button.click()
        widget.save_button.click()
        widget.print_button.click()
        seen["status"] = widget.status_label.text()
        widget.close_button.click()

    _when_modal(PdfPreviewDialog, use_preview)
    output_actions.print_records(window, workspace, "draft", [first.id, second.id])
    qtbot.waitUntil(lambda: "status" in seen, timeout=30_000)
    qtbot.waitUntil(lambda: QApplication.activeModalWidget() is None)

    pages = len(PdfReader(str(saved)).pages)
    assert pages == seen["pages"] and pages >= 2
    text = "".join(pdf_text(saved).split())
    assert "公务接待超标准问题" in text and "违规发放津补贴问题" in text and "—1—" in text
    assert all(embedded == "yes" for _name, _type, embedded in pdf_fonts(saved))
    assert str(seen["fonts"]).startswith("字体：")
    assert len(PdfReader(str(printed)).pages) == pages
    assert list(saved.parent.iterdir()) == [saved]  # no .part left beside it


def test_export_a_ledger_then_import_it_into_another_workspace_once(
    workspace: Workspace,
    ctx: Context,
    window: QMainWindow,
    qtbot: QtBot,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    leads = RecordService[LeadRegistration](workspace, LEAD)
    for name in ("赵有才", "孙某", "钱某"):
        leads.save(lead(ctx, subject_name=name))
    exported = tmp_path / "线索台账.xlsx"
    infos: list[str] = []
    monkeypatch.setattr(messages, "show_info", lambda _parent, _title, text: infos.append(text))
    monkeypatch.setattr(messages, "choose_save_file", lambda *_args: exported)
    output_actions.export_ledger(window, workspace, "lead")
    qtbot.waitUntil(lambda: bool(infos), timeout=20_000)
    assert infos[-1].endswith("问题线索台账：3 行")

    monkeypatch.setattr(output_actions, "choose_ledger_file", lambda *_args: exported)
    with Workspace.create(tmp_path / "另一台.xcdb", PASSPHRASE, kdf=KdfParams.cheap()) as other:
        there = make_context(other)
        context = ImportContext(there.round.id, there.group.id, there.target.id)
        checked: list[tuple[bool, bool, int]] = []

        def import_all(widget: QWidget) -> None:
            assert isinstance(widget, LedgerImportDialog)
            checked.append(
                (widget.all_button.isEnabled(), widget.valid_button.isEnabled(), widget.table.rowCount())
            )
            (widget.all_button if widget.all_button.isEnabled() else widget.cancel_button).click()

        _when_modal(LedgerImportDialog, import_all)
        assert output_actions.import_ledger(window, other, "lead", context)
        assert infos[-1] == "已从“线索台账.xlsx”导入 3 条记录。"
        copies = RecordService[LeadRegistration](other, LEAD).list(ListQuery(limit=None))
        assert sorted(c.subject_name for c in copies) == ["孙某", "赵有才", "钱某"]

        _when_modal(LedgerImportDialog, import_all)  # the second time every row is already there
        assert not output_actions.import_ledger(window, other, "lead", context)
        assert checked == [(True, False, 0), (False, False, 3)]
    assert ledger_import_dialog.problem_rows(()) == 0
