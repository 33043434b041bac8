"""打印 / 另存为 PDF / 导出台账 / 导入台账 through the real dialogs, with only the modal calls replaced."""

from __future__ import annotations

import dataclasses
import json
import os
import subprocess
import tempfile
import time
from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest
import shiboken6
from openpyxl import Workbook, load_workbook
from pypdf import PdfReader
from PySide6.QtPrintSupport import QPrinter
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from tests.builders import Context, draft, interview, lead
from tests.output_helpers import pdf_text
from xuncha_desktop.domain.issue_drafts import IssueDraft
from xuncha_desktop.domain.lead_registrations import LeadRegistration
from xuncha_desktop.domain.record_types import DRAFT, INTERVIEW, LEAD
from xuncha_desktop.gui import messages, output_actions
from xuncha_desktop.gui.dialogs import pdf_preview_dialog
from xuncha_desktop.gui.dialogs.ledger_import_dialog import VALID, Choice, LedgerImportDialog
from xuncha_desktop.gui.dialogs.pdf_preview_dialog import PdfPreviewDialog
from xuncha_desktop.services.output.excel_import import ImportContext
from xuncha_desktop.services.output.pdf_fonts import FontFace, FontSet, load_fonts
from xuncha_desktop.services.progress import NullProgress
from xuncha_desktop.services.records.record_service import ListQuery, RecordService
from xuncha_desktop.services.workspace import Workspace
from xuncha_desktop.storage.tables import audit_log

LEAD_HEADER = ["序号", "登记时间", "被反映人姓名", "职务", "反映主要问题", "线索来源", "涉及金额（万元）"]
GOOD_LEAD = [1, datetime(2025, 3, 12), "赵有才", "预算股股长", "收受好处费", "个别谈话", 1.5]


@pytest.fixture
def previews(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[PdfPreviewDialog]]:
    """Preview dialogs shown (non-modally) instead of exec'd, for the test to drive; closed afterwards."""
    shown: list[PdfPreviewDialog] = []

    def show(dialog: PdfPreviewDialog) -> None:
        dialog.show()
        shown.append(dialog)

    monkeypatch.setattr(output_actions, "show_preview", show)
    yield shown
    for dialog in shown:
        if shiboken6.isValid(dialog):  # deleted on close
            dialog.close()


@pytest.fixture
def infos(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    shown: list[str] = []
    monkeypatch.setattr(messages, "show_info", lambda _parent, _title, text: shown.append(text))
    return shown


def _drafts(ws: Workspace, ctx: Context, *titles: str) -> list[IssueDraft]:
    service = RecordService[IssueDraft](ws, DRAFT)
    return [service.save(draft(ctx, title=t)) for t in titles]


def _preview(
    qtbot: QtBot, previews: list[PdfPreviewDialog], ws: Workspace, kind: str, ids: list[str]
) -> PdfPreviewDialog:
    before = len(previews)
    output_actions.print_records(None, ws, kind, ids)
    qtbot.waitUntil(lambda: len(previews) > before, timeout=30_000)
    dialog = previews[-1]
    qtbot.waitUntil(lambda: dialog.page_count() > 0, timeout=5_000)
    return dialog


def _pdf_pages(data_or_path: Path) -> int:
    return len(PdfReader(str(data_or_path)).pages)


def test_preview_shows_every_page_and_the_fonts_used(
    workspace: Workspace, ctx: Context, qtbot: QtBot, previews: list[PdfPreviewDialog]
) -> None:
    drafts = _drafts(workspace, ctx, "违规发放津补贴12.6万元", "“三重一大”事项未经集体研究")
    dialog = _preview(qtbot, previews, workspace, "draft", [d.id for d in drafts])
    fonts = load_fonts()
    _data, expected = output_actions.render_to_bytes(
        lambda path: output_actions.WRITERS["draft"](
            workspace, [d.id for d in drafts], path, fonts, NullProgress()
        )
    )
    assert dialog.page_count() == expected.pages >= 2
    assert dialog.pages_label.text() == f"/ 共 {expected.pages} 页"
    assert dialog.font_label.text() == "字体：" + output_actions.font_summary(fonts)
    assert "文泉驿微米黑" in dialog.font_label.text() or "仿宋" in dialog.font_label.text()
    assert dialog.font_label.toolTip() == "\n".join(expected.fonts)
    assert not dialog.missing_label.isVisible()
    assert dialog.windowTitle() == "打印预览 — 问题底稿"
    dialog.go_to_page(2)
    qtbot.waitUntil(lambda: dialog.current_page() == 2)
    assert dialog.previous_button.isEnabled()
    before = dialog.zoom_factor()
    dialog.zoom_in_button.click()
    assert dialog.zoom_factor() == pytest.approx(before * 1.25, rel=0.05)
    dialog.reject()


def test_font_summary_names_each_face_once_and_the_styles_replaced() -> None:
    def face(family: str, file_name: str, bundled: bool = False) -> FontFace:
        return FontFace(family, family, Path("C:/Windows/Fonts") / file_name, bundled=bundled)

    fangsong, heiti = face("仿宋", "simfang.ttf"), face("黑体", "simhei.ttf")
    fonts = FontSet(
        body=fangsong,
        heading=heiti,
        kai=fangsong,
        title=heiti,
        number=fangsong,
        substitutes=frozenset({"kai", "title", "number"}),
    )
    assert output_actions.font_summary(fonts) == (
        "仿宋（simfang.ttf）用于正文、小标题、页码；黑体（simhei.ttf）用于标题、大标题；"
        "本机未安装楷体、小标宋、宋体字体，已替代"
    )


def test_missing_characters_are_named_under_the_preview(
    workspace: Workspace, ctx: Context, qtbot: QtBot, previews: list[PdfPreviewDialog]
) -> None:
    found = RecordService[LeadRegistration](workspace, LEAD).save(
        lead(ctx, subject_name="王㵘", reporter_name="刘𠮷", source="来信")
    )
    dialog = _preview(qtbot, previews, workspace, "lead", [found.id])
    text = dialog.missing_label.text()
    assert dialog.missing_label.isVisible() and "□" in text
    assert "㵘" in text and "𠮷（U+20BB7）" in text


def test_save_as_writes_the_previewed_pdf_atomically(
    workspace: Workspace,
    ctx: Context,
    qtbot: QtBot,
    previews: list[PdfPreviewDialog],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    documents_folder: Path,
) -> None:
    (one,) = _drafts(workspace, ctx, "公务接待超标准")
    dialog = _preview(qtbot, previews, workspace, "draft", [one.id])
    asked: list[Path] = []

    def choose(_parent: object, _title: str, default: Path, _filter: str) -> Path:
        asked.append(default)
        return tmp_path / "底稿副本"  # no suffix: .pdf is added

    monkeypatch.setattr(messages, "choose_save_file", choose)
    dialog.save_button.click()
    target = tmp_path / "底稿副本.pdf"
    assert asked == [documents_folder / f"问题底稿-{one.number}.pdf"]
    assert target.read_bytes().startswith(b"%PDF") and _pdf_pages(target) == dialog.page_count()
    assert "公务接待超标准" in pdf_text(target)
    assert list(tmp_path.glob("*.part")) == []
    assert dialog.status_label.text() == f"已保存：{target}"


def test_print_renders_the_pages_onto_the_printer(
    workspace: Workspace,
    ctx: Context,
    qtbot: QtBot,
    previews: list[PdfPreviewDialog],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    drafts = _drafts(workspace, ctx, "违规发放津补贴", "公车私用")
    dialog = _preview(qtbot, previews, workspace, "draft", [d.id for d in drafts])
    printed = tmp_path / "打印机输出.pdf"
    asked: list[int] = []

    def printer_dialog(_parent: object, printer: QPrinter, pages: int) -> bool:
        asked.append(pages)
        printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        printer.setOutputFileName(str(printed))
        return True

    monkeypatch.setattr(pdf_preview_dialog, "ask_printer", printer_dialog)
    dialog.print_button.click()
    assert asked == [dialog.page_count()]
    assert _pdf_pages(printed) == dialog.page_count()
    assert "已发送" in dialog.status_label.text()
    page = PdfReader(str(printed)).pages[0]
    assert (round(float(page.mediabox.width)), round(float(page.mediabox.height))) == (595, 842)


def test_print_sends_only_the_chosen_page_range(
    workspace: Workspace, ctx: Context, qtbot: QtBot, previews: list[PdfPreviewDialog], tmp_path: Path
) -> None:
    drafts = _drafts(workspace, ctx, "甲问题", "乙问题", "丙问题")
    dialog = _preview(qtbot, previews, workspace, "draft", [d.id for d in drafts])
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(tmp_path / "第2页.pdf"))
    printer.setPrintRange(QPrinter.PrintRange.PageRange)
    printer.setFromTo(2, 2)
    assert dialog.print_to(printer) == 1
    assert _pdf_pages(tmp_path / "第2页.pdf") == 1


def test_cancelled_print_dialog_prints_nothing(
    workspace: Workspace,
    ctx: Context,
    qtbot: QtBot,
    previews: list[PdfPreviewDialog],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    (one,) = _drafts(workspace, ctx, "公车私用")
    dialog = _preview(qtbot, previews, workspace, "draft", [one.id])
    monkeypatch.setattr(pdf_preview_dialog, "ask_printer", lambda *_args: False)
    assert dialog.print_document() == 0
    assert not dialog.status_label.isVisible()


def test_a_member_sees_the_reporter_hidden_in_the_print(
    workspace: Workspace,
    ctx: Context,
    qtbot: QtBot,
    previews: list[PdfPreviewDialog],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    found = RecordService[LeadRegistration](workspace, LEAD).save(
        lead(ctx, reporter_name="钱多多", reporter_contact="13900001111", source="来信")
    )
    monkeypatch.setattr(workspace, "user", dataclasses.replace(workspace.user, role="组员"))
    assert output_actions.hide_reporter(workspace)
    dialog = _preview(qtbot, previews, workspace, "lead", [found.id])
    monkeypatch.setattr(messages, "choose_save_file", lambda *_args: tmp_path / "线索.pdf")
    dialog.save_as()
    text = pdf_text(tmp_path / "线索.pdf")
    assert "钱多多" not in text and "13900001111" not in text and "已隐藏" in text


def test_nothing_selected_asks_for_a_selection(workspace: Workspace, infos: list[str]) -> None:
    output_actions.print_records(None, workspace, "draft", [])
    output_actions.print_batch(None, workspace, "")
    assert infos == ["请先在列表中选择要打印的已保存记录（可多选）。", "请先选择被巡察单位。"]


def test_batch_of_signed_drafts_is_previewed(
    workspace: Workspace, ctx: Context, qtbot: QtBot, previews: list[PdfPreviewDialog]
) -> None:
    service = RecordService[IssueDraft](workspace, DRAFT)
    service.save(draft(ctx, title="公务接待超标准", status="已审签"))
    service.save(draft(ctx, title="违规发放津补贴", status="已审签"))
    output_actions.print_batch(None, workspace, ctx.target.id)
    qtbot.waitUntil(lambda: bool(previews), timeout=30_000)
    dialog = previews[0]
    assert dialog.windowTitle() == "打印预览 — 问题底稿汇编" and dialog.page_count() >= 4  # cover, contents
    assert dialog._default_path.name.startswith("清河县财政局党组问题底稿汇编-")


def test_a_unit_without_signed_drafts_gets_a_chinese_error_and_no_preview(
    workspace: Workspace,
    ctx: Context,
    qtbot: QtBot,
    previews: list[PdfPreviewDialog],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    _drafts(workspace, ctx, "尚未审签的问题")
    errors: list[str] = []
    monkeypatch.setattr(messages, "show_error", lambda _parent, _title, text: errors.append(text))
    output_actions.print_batch(None, workspace, ctx.target.id)
    qtbot.waitUntil(lambda: bool(errors), timeout=20_000)
    assert errors == ["“清河县财政局党组”还没有已审签的问题底稿"] and previews == []


def test_transfer_list_of_selected_leads_is_previewed(
    workspace: Workspace, ctx: Context, qtbot: QtBot, previews: list[PdfPreviewDialog]
) -> None:
    leads = RecordService[LeadRegistration](workspace, LEAD)
    ids = [leads.save(lead(ctx, subject_name=n)).id for n in ("赵有才", "钱某")]
    dialog = _preview(qtbot, previews, workspace, "transfer", ids)
    assert dialog.windowTitle() == "打印预览 — 问题线索移交清单" and dialog.page_count() >= 1


def _spy_on_scratch_folders(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Any temporary folder made while previewing (there should be none: the PDF is rendered in memory)."""
    made: list[str] = []
    original = tempfile.mkdtemp

    def spy(*args: Any, **kwargs: Any) -> str:
        made.append(original(*args, **kwargs))
        return made[-1]

    monkeypatch.setattr(tempfile, "mkdtemp", spy)
    return made


def test_render_to_bytes_keeps_the_pdf_in_memory() -> None:
    def writes_a_stream(stream: Any) -> Any:
        assert not isinstance(stream, str | Path)  # a stream, never a path on disk
        stream.write(b"%PDF-1.4 in memory")
        return "result"

    assert output_actions.render_to_bytes(writes_a_stream) == (b"%PDF-1.4 in memory", "result")


def _text_of(path: Path) -> str:
    try:
        return pdf_text(path)
    except subprocess.CalledProcessError:  # another program's half-written PDF
        return ""


def _new_files_mentioning(marker: str, since: float) -> list[Path]:
    """Files under the temp folder changed since `since` whose bytes or PDF text contain `marker`."""
    found = []
    for root, _dirs, files in os.walk(tempfile.gettempdir()):
        for name in files:
            path = Path(root, name)
            try:
                info = path.lstat()
                if path.is_symlink() or info.st_mtime < since or info.st_size > 50_000_000:
                    continue
                data = path.read_bytes()
            except OSError:
                continue
            if marker.encode() in data or (data.startswith(b"%PDF") and marker in _text_of(path)):
                found.append(path)
    return found


def test_no_decrypted_pdf_is_left_in_the_temp_folder(
    workspace: Workspace,
    ctx: Context,
    qtbot: QtBot,
    previews: list[PdfPreviewDialog],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    marker = f"泄漏检查{os.getpid()}号"
    made = _spy_on_scratch_folders(monkeypatch)
    start = time.time() - 1
    (one,) = _drafts(workspace, ctx, marker)
    interviews = RecordService[Any](workspace, INTERVIEW)
    talk = interviews.save(interview(ctx, content=f"问：{marker}？\n答：是。"))
    for kind, record_id in (("draft", one.id), ("interview", talk.id)):
        dialog = _preview(qtbot, previews, workspace, kind, [record_id])
        assert dialog.page_count() > 0
        dialog.close()
    assert made == []
    assert _new_files_mentioning(marker, start) == []


# -- ledgers ---------------------------------------------------------------------------------------------


def test_export_ledger_writes_every_record_with_a_dated_default_name(
    workspace: Workspace,
    ctx: Context,
    qtbot: QtBot,
    infos: list[str],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    documents_folder: Path,
) -> None:
    leads = RecordService[LeadRegistration](workspace, LEAD)
    for name in ("赵有才", "钱某", "孙某"):
        leads.save(lead(ctx, subject_name=name))
    asked: list[Path] = []

    def choose(_parent: object, _title: str, default: Path, _filter: str) -> Path:
        asked.append(default)
        return tmp_path / "线索台账"

    monkeypatch.setattr(messages, "choose_save_file", choose)
    output_actions.export_ledger(None, workspace, "lead")
    qtbot.waitUntil(lambda: bool(infos), timeout=20_000)
    assert asked == [documents_folder / f"问题线索台账-{date.today():%Y%m%d}.xlsx"]
    target = tmp_path / "线索台账.xlsx"
    book = load_workbook(target, read_only=True)
    rows = list(book["问题线索台账"].iter_rows(values_only=True))
    book.close()
    assert len(rows) == 1 + 3 + 1 and rows[0][0] == "序号" and rows[-1][:2] == ("合计", "共 3 件")
    assert infos == [f"已导出问题线索台账：\n{target}\n\n问题线索台账：3 行"]


def test_cancelled_save_dialog_exports_nothing(
    workspace: Workspace, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr(messages, "choose_save_file", lambda *_args: None)
    output_actions.export_ledger(None, workspace, "draft")
    assert list(tmp_path.rglob("*.xlsx")) == []


def _ledger_file(path: Path, rows: list[list[Any]]) -> Path:
    wb = Workbook()
    ws = wb.active
    ws.append(["问题线索台账"])
    ws.append(LEAD_HEADER)
    for row in rows:
        ws.append(row)
    wb.save(path)
    return path


def _leads(ws: Workspace) -> list[str]:
    rows = RecordService[LeadRegistration](ws, LEAD).list(ListQuery(order_by="subject_name", limit=None))
    return sorted(r.subject_name for r in rows)


def test_import_lists_every_problem_and_imports_only_the_valid_rows_when_asked(
    workspace: Workspace,
    ctx: Context,
    qtbot: QtBot,
    infos: list[str],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    bad = [
        GOOD_LEAD,
        [2, "2025-13-40", "孙某", "主任", "违规兼职", "走访", None],
        [3, "2025-03-15", "", "副局长", "公车私用", "走访", "很多"],
        [4, "2025-03-16", "钱某", "科员", "违规吃喝", "走访", None],
    ]
    path = _ledger_file(tmp_path / "线索台账.xlsx", bad)
    monkeypatch.setattr(output_actions, "choose_ledger_file", lambda *_args: path)
    seen: list[LedgerImportDialog] = []

    def answer(dialog: LedgerImportDialog) -> Choice | None:
        qtbot.addWidget(dialog)
        seen.append(dialog)
        assert not dialog.all_button.isEnabled() and dialog.valid_button.isEnabled()
        dialog.valid_button.click()
        return dialog.choice()

    monkeypatch.setattr(output_actions, "show_ledger_import", answer)
    context = ImportContext(ctx.round.id, ctx.group.id, ctx.target.id)
    assert output_actions.import_ledger(None, workspace, "lead", context)
    (dialog,) = seen
    shown = dialog.problems_shown()
    assert (4, "登记时间", "日期“2025-13-40”不存在") in shown
    assert (5, "被反映人姓名", "必填项为空") in shown
    assert (5, "涉及金额（万元）", "金额“很多”不是数字") in shown
    assert [row for row, _column, _reason in shown] == sorted(row for row, _c, _r in shown)
    assert dialog.summary_label.text() == "共 4 行数据，其中可导入 2 行，有问题 2 行（3 处）。"
    assert dialog.valid_button.text() == "仅导入有效行（2 行）" and dialog.choice() == VALID
    assert _leads(workspace) == ["赵有才", "钱某"]
    assert infos == ["已从“线索台账.xlsx”导入 2 条记录。\n跳过了有问题的第 4、5 行。"]


def test_import_of_a_clean_file_offers_to_import_everything(
    workspace: Workspace,
    ctx: Context,
    qtbot: QtBot,
    infos: list[str],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    path = _ledger_file(tmp_path / "好台账.xlsx", [GOOD_LEAD])
    monkeypatch.setattr(output_actions, "choose_ledger_file", lambda *_args: path)

    def answer(dialog: LedgerImportDialog) -> Choice | None:
        qtbot.addWidget(dialog)
        assert dialog.all_button.isEnabled() and not dialog.valid_button.isEnabled()
        assert dialog.table.rowCount() == 0 and "通过检查" in dialog.hint_label.text()
        dialog.all_button.click()
        return dialog.choice()

    monkeypatch.setattr(output_actions, "show_ledger_import", answer)
    context = ImportContext(ctx.round.id, ctx.group.id, ctx.target.id)
    assert output_actions.import_ledger(None, workspace, "lead", context)
    assert _leads(workspace) == ["赵有才"] and infos == ["已从“好台账.xlsx”导入 1 条记录。"]


def test_cancelling_the_import_dialog_imports_nothing(
    workspace: Workspace, ctx: Context, qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = _ledger_file(tmp_path / "台账.xlsx", [GOOD_LEAD])
    monkeypatch.setattr(output_actions, "choose_ledger_file", lambda *_args: path)

    def cancel(dialog: LedgerImportDialog) -> Choice | None:
        qtbot.addWidget(dialog)
        dialog.cancel_button.click()
        return dialog.choice()

    monkeypatch.setattr(output_actions, "show_ledger_import", cancel)
    context = ImportContext(ctx.round.id, ctx.group.id, ctx.target.id)
    assert not output_actions.import_ledger(None, workspace, "lead", context)
    assert _leads(workspace) == []


def test_an_unreadable_file_is_reported_in_chinese(
    workspace: Workspace, ctx: Context, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "不是表格.xlsx"
    path.write_text("hello", encoding="utf-8")
    errors: list[str] = []
    monkeypatch.setattr(output_actions, "choose_ledger_file", lambda *_args: path)
    monkeypatch.setattr(messages, "show_error", lambda _parent, _title, text: errors.append(text))
    context = ImportContext(ctx.round.id, ctx.group.id, ctx.target.id)
    assert not output_actions.import_ledger(None, workspace, "draft", context)
    assert len(errors) == 1 and errors[0].startswith("无法读取“不是表格.xlsx”")


def test_saving_and_printing_the_preview_are_audited(
    workspace: Workspace,
    ctx: Context,
    qtbot: QtBot,
    previews: list[PdfPreviewDialog],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    drafts = _drafts(workspace, ctx, "违规发放津补贴", "公车私用")
    dialog = _preview(qtbot, previews, workspace, "draft", [d.id for d in drafts])
    assert _print_entries(workspace) == []  # previewing alone writes nothing

    def to_file(_parent: object, printer: QPrinter, _pages: int) -> bool:
        printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        printer.setOutputFileName(str(tmp_path / "打印机输出.pdf"))
        return True

    monkeypatch.setattr(messages, "choose_save_file", lambda *_args: tmp_path / "底稿副本.pdf")
    monkeypatch.setattr(pdf_preview_dialog, "ask_printer", to_file)
    dialog.save_as()
    dialog.print_document()
    assert _print_entries(workspace) == [
        ("管理员", {"kind": "draft", "records": 2, "file": "底稿副本.pdf"}),
        ("管理员", {"kind": "draft", "records": 2, "file": "打印机输出.pdf"}),
    ]


def _print_entries(ws: Workspace) -> list[tuple[str, dict[str, Any]]]:
    with ws.engine.connect() as conn:
        rows = conn.execute(select(audit_log).where(audit_log.c.action == "print").order_by(audit_log.c.seq))
        return [(r.user_login, json.loads(r.changes)) for r in rows]


# -- 导出当前筛选的 N 条，还是全部 M 条？ ------------------------------------------------------------
def _draft_rows(path: Path) -> list[str]:
    book = load_workbook(path, read_only=True)
    sheet = book["问题清单"]
    column = list(next(sheet.iter_rows(max_row=1, values_only=True))).index("问题标题")
    rows = [str(r[column]) for r in sheet.iter_rows(min_row=2, values_only=True) if r[0] != "合计"]
    book.close()
    return rows


@pytest.mark.parametrize(
    ("answer", "expected"),
    [
        (output_actions.FILTERED, ["“三重一大”事项未经集体研究"]),
        (output_actions.EVERYTHING, ["违规发放津补贴12.6万元", "“三重一大”事项未经集体研究"]),
        (None, None),
    ],
)
def test_a_filtered_list_asks_whether_to_export_it_or_everything(
    main_window: Any,
    qtbot: QtBot,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    answer: str | None,
    expected: list[str] | None,
) -> None:
    asked: list[tuple[str, int, int]] = []
    done: list[str] = []

    def ask(_parent: object, label: str, filtered: int, total: int) -> str | None:
        asked.append((label, filtered, total))
        return answer

    target = tmp_path / "底稿台账.xlsx"
    monkeypatch.setattr(output_actions, "ask_ledger_scope", ask)
    monkeypatch.setattr(messages, "choose_save_file", lambda *_args: target)
    monkeypatch.setattr(messages, "show_info", lambda _parent, _title, text: done.append(text))
    main_window.show_tab(1)
    page = main_window.current_page()
    page.search_edit.setText("三重一大")
    page.reload()
    assert page.total() == 1

    main_window.actions_by_name["exportLedgerAction"].trigger()
    assert asked == [("问题底稿", 1, 2)]
    if expected is None:
        assert not target.exists() and done == []
        return
    qtbot.waitUntil(lambda: bool(done), timeout=20_000)
    assert sorted(_draft_rows(target)) == sorted(expected)


def test_an_unfiltered_list_exports_everything_without_asking(
    main_window: Any, qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    done: list[str] = []
    target = tmp_path / "底稿台账.xlsx"
    monkeypatch.setattr(messages, "choose_save_file", lambda *_args: target)
    monkeypatch.setattr(messages, "show_info", lambda _parent, _title, text: done.append(text))
    main_window.show_tab(1)  # the working context is the only round: nothing is left out
    main_window.actions_by_name["exportLedgerAction"].trigger()  # ask_ledger_scope would fail the test
    qtbot.waitUntil(lambda: bool(done), timeout=20_000)
    assert len(_draft_rows(target)) == 2
