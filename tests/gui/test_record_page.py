"""Every tab through the real widgets (parametrised over PAGE_SPECS): create, edit, validation, filter,
search, duplicate, delete and restore, and the unsaved-changes guard when switching record."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QLineEdit, QPlainTextEdit, QPushButton
from pytestqt.qtbot import QtBot

from tests.gui.conftest import Filled
from tests.gui.keys import ime_commit, type_text
from xuncha_desktop.gui import messages
from xuncha_desktop.gui.main_window import MainWindow
from xuncha_desktop.gui.pages.field_bindings import select_value
from xuncha_desktop.gui.pages.field_errors import ERROR_COLOR, ERROR_PROPERTY, FORM_STYLE
from xuncha_desktop.gui.pages.page_types import PageSpec
from xuncha_desktop.gui.pages.record_page import RecordPage
from xuncha_desktop.gui.pages.registry import PAGE_SPECS


@dataclass(frozen=True)
class Case:
    typed: tuple[str, str]  # a text field typed in Chinese, key by key
    values: dict[str, Any] = field(default_factory=dict)  # further fields, set as a behaviour would
    invalid: tuple[str, str] = ("", "")  # the field whose message an empty new form shows, and the message
    search: str = ""  # a word found in exactly one stored record
    filter_value: str = ""  # a value of the page's first filter that no stored record has


CASES = {
    "个别谈话记录": Case(
        typed=("interviewee_name", "孙丽娟"),
        values={"interviewer": "张建国", "held_on": date(2025, 3, 6), "post": "清河县财政局会计"},
        invalid=("interviewee_name", "请填写谈话对象姓名"),
        search="王晓东",
        filter_value="回访",
    ),
    "问题底稿": Case(
        typed=("title", "公务接待超标准"),
        values={"category_l1": "B2", "description": "2024年多次超标准接待。"},
        invalid=("title", "请填写问题标题"),
        search="三重一大",
        filter_value="已审签",
    ),
    "问题线索登记": Case(
        typed=("subject_name", "钱某某"),
        values={"summary": "反映其违规经商办企业。", "disciplines": ["廉洁纪律"]},
        invalid=("subject_name", "请填写被反映人姓名"),
        search="赵有才",
        filter_value="已移交",
    ),
    "信访件登记": Case(
        typed=("reporter_name", "孙丽娟"),
        values={
            "summary": "反映其违规经商办企业。",
            "received_on": date(2025, 3, 6),
            "registered_by": "李明",
        },
        invalid=("summary", "请填写内容摘要"),
        search="好处费",
        filter_value="来访",
    ),
    "领导干部画像": Case(
        typed=("name", "吴国平"),
        values={"post": "清河县财政局副局长"},
        invalid=("name", "请填写被评价人姓名"),
        search="孙志强",
        filter_value="差",
    ),
    "巡察干部鉴定": Case(
        typed=("name", "王五"),
        values={"duty": "资料"},
        invalid=("name", "请填写姓名"),
        search="李明",
        filter_value="不称职",
    ),
}
SPECS = pytest.mark.parametrize("spec", PAGE_SPECS, ids=lambda s: s.title)


def front(window: MainWindow, spec: PageSpec[Any]) -> RecordPage[Any]:
    page = window.page(spec.title)
    window.show_page(page)
    return page


def fill_new(page: RecordPage[Any], filled: Filled, case: Case) -> None:
    page.new_record()
    if page.spec.has_field("target_id"):
        page.form.set_value("target_id", filled.ctx.target.id)
    for name, value in case.values.items():
        page.form.set_value(name, value)
    typed, text = case.typed
    widget = page.form.widget_of(typed)
    assert isinstance(widget, QLineEdit | QPlainTextEdit)
    type_text(widget, text)


@SPECS
def test_create_a_record_with_ctrl_s(
    main_window: MainWindow, filled: Filled, qtbot: QtBot, spec: PageSpec[Any]
) -> None:
    page = front(main_window, spec)
    before = page.model.total()
    case = CASES[spec.title]
    fill_new(page, filled, case)
    assert page.is_dirty()
    with qtbot.waitSignal(page.record_saved):
        qtbot.keyClick(main_window, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    saved = page.current_record()
    assert saved is not None and saved.number.startswith("2025-3轮-2组-")
    assert getattr(saved, case.typed[0]) == case.typed[1]
    assert page.model.total() == before + 1 and page.model.row_of(saved.id) is not None
    assert not page.is_dirty() and page.heading_text() == spec.heading(saved)
    assert spec.service(main_window.workspace).get(saved.id) == saved


@SPECS
def test_edit_and_save_a_stored_record(main_window: MainWindow, qtbot: QtBot, spec: PageSpec[Any]) -> None:
    page = front(main_window, spec)
    original = page.current_record()
    name = CASES[spec.title].typed[0]
    widget = page.form.widget_of(name)
    assert isinstance(widget, QLineEdit)
    widget.setCursorPosition(len(widget.text()))
    ime_commit(widget, "（修订）")
    qtbot.waitUntil(lambda: page.findChild(QLabel, "dirtyLabel").isVisible())
    qtbot.mouseClick(page.findChild(QPushButton, "saveButton"), Qt.MouseButton.LeftButton)
    stored = spec.service(main_window.workspace).get(original.id)
    assert getattr(stored, name) == f"{getattr(original, name)}（修订）"
    assert stored.number == original.number
    assert not page.is_dirty() and not page.findChild(QLabel, "dirtyLabel").isVisible()


@SPECS
def test_a_validation_error_is_shown_under_its_field(
    main_window: MainWindow, filled: Filled, spec: PageSpec[Any]
) -> None:
    page = front(main_window, spec)
    page.new_record()
    field_name, message = CASES[spec.title].invalid
    assert not page.save()
    assert message in page.form.error_text(field_name)
    widget = page.form.widget_of(field_name)
    assert widget.property(ERROR_PROPERTY) is True
    assert widget.isVisible()  # its tab was brought forward
    assert page.form_error_text().startswith("有 ")
    fill_new_after_error(page, filled)
    assert page.save()
    assert page.form.error_text(field_name) == "" and widget.property(ERROR_PROPERTY) is False


def fill_new_after_error(page: RecordPage[Any], filled: Filled) -> None:
    case = CASES[page.spec.title]
    if page.spec.has_field("target_id"):
        page.form.set_value("target_id", filled.ctx.target.id)
    for name, value in case.values.items():
        page.form.set_value(name, value)
    page.form.set_value(*case.typed)


@SPECS
def test_search_finds_one_record(main_window: MainWindow, qtbot: QtBot, spec: PageSpec[Any]) -> None:
    page = front(main_window, spec)
    type_text(page.search_edit, CASES[spec.title].search)
    qtbot.waitUntil(lambda: page.model.query.search == CASES[spec.title].search)
    assert page.model.rowCount() == 1
    assert page.findChild(QLabel, "countLabel").text() == "找到 1 条"


@SPECS
def test_filters_narrow_the_list_and_clear_again(main_window: MainWindow, spec: PageSpec[Any]) -> None:
    page = front(main_window, spec)
    total = page.model.total()
    combo = page.filter_bar.combo(spec.filters[0].field)
    select_value(combo, CASES[spec.title].filter_value)
    assert page.model.total() == 0
    select_value(combo, "")
    assert page.model.total() == total
    start, _end = page.filter_bar.date_edits or (None, None)
    if start is not None:
        start.setDate(start.date().currentDate().addDays(1))
        assert page.model.total() == 0
    page.clear_filters()
    assert page.model.total() == total and not page.filter_bar.is_active()


@SPECS
def test_delete_key_moves_to_the_recycle_bin_and_restore_brings_it_back(
    main_window: MainWindow, monkeypatch: pytest.MonkeyPatch, spec: PageSpec[Any]
) -> None:
    asked: list[str] = []
    monkeypatch.setattr(messages, "confirm_delete", lambda parent, what: asked.append(what) or True)
    page = front(main_window, spec)
    victim = page.current_record()
    total = page.model.total()
    page.table.setFocus()
    QtBot.keyClick(page.table, Qt.Key.Key_Delete)
    assert len(asked) == 1 and spec.record_type.label in asked[0]
    assert page.model.total() == total - 1 and page.model.row_of(victim.id) is None
    main_window.show_tab(4)
    bin_ = main_window.recycle_bin
    assert bin_ is not None and [r.id for r in bin_.records()] == [victim.id]
    bin_.select_row(0)
    bin_.restore_selected()
    assert bin_.records() == []
    main_window.show_page(page)
    assert page.model.total() == total and page.model.row_of(victim.id) is not None


@SPECS
def test_duplicate_gets_a_new_identity_on_save(main_window: MainWindow, spec: PageSpec[Any]) -> None:
    page = front(main_window, spec)
    original = page.current_record()
    page.duplicate()
    assert page.current_record() is None and page.is_dirty()
    assert page.form.value(CASES[spec.title].typed[0]) == getattr(original, CASES[spec.title].typed[0])
    assert page.save()
    copy = page.current_record()
    assert copy.id != original.id and copy.number != original.number


@SPECS
def test_the_guard_asks_before_leaving_an_edited_record(
    main_window: MainWindow, monkeypatch: pytest.MonkeyPatch, spec: PageSpec[Any]
) -> None:
    page = front(main_window, spec)
    first = page.current_record()
    page.new_record()
    answers = ["cancel", "discard"]
    asked: list[str] = []

    def answer(parent: object, what: str) -> str:
        asked.append(what)
        return answers.pop(0)

    monkeypatch.setattr(messages, "ask_unsaved_changes", answer)
    page.form.set_value(*CASES[spec.title].typed)
    page.select_row(page.model.row_of(first.id))
    assert page.current_record() is None and page.is_dirty()  # cancelled: still the new record
    assert asked == [f"新的{spec.record_type.label}"]
    assert not page.table.selectionModel().selectedRows()
    page.select_row(page.model.row_of(first.id))
    assert page.current_record() == first and not page.is_dirty()  # discarded


def test_fields_with_errors_are_framed_red_also_in_the_moved_tabs(main_window: MainWindow) -> None:
    # The form's style sheet is applied once the 关联记录 and 附件 tabs are in the form (start-up styles
    # them once, not again on arrival): the same style, over the same widgets, as before.
    page = front(main_window, PAGE_SPECS[0])
    assert page.form.widget.styleSheet() == FORM_STYLE
    assert page.form.widget.isAncestorOf(page.links_panel)
    assert page.form.widget.isAncestorOf(page.attachments_panel)
    page.new_record()
    field_name, _message = CASES[PAGE_SPECS[0].title].invalid
    assert not page.save()
    image = page.form.widget_of(field_name).grab().toImage()
    colours = {image.pixelColor(x, image.height() // 2).name() for x in range(3)}
    assert ERROR_COLOR.lower() in colours  # the left edge of the frame
