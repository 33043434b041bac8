"""The real MainWindow over a real encrypted workspace: tabs, lists, search, menus, context, status bar."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QAbstractItemModel, QSettings, Qt
from PySide6.QtWidgets import QApplication, QMenu, QTabWidget
from pytestqt.qtbot import QtBot

from tests.builders import PASSPHRASE, make_context
from tests.gui.conftest import Filled
from tests.gui.keys import ime_commit, type_text
from xuncha_desktop.gui import messages, output_actions
from xuncha_desktop.gui.dialogs import passphrase_dialog
from xuncha_desktop.gui.dialogs.passphrase_dialog import Credentials
from xuncha_desktop.gui.forms import child
from xuncha_desktop.gui.main_window import MainWindow
from xuncha_desktop.gui.pages.field_bindings import select_value
from xuncha_desktop.gui.pages.registry import PAGE_SPECS
from xuncha_desktop.services.workspace import Workspace
from xuncha_desktop.storage.keyfile import KdfParams

TABS = ["个别谈话记录", "问题底稿", "问题线索登记", "信访件登记", "干部评价", "回收站", "冲突处理"]


def cell(model: QAbstractItemModel, row: int, header: str) -> object:
    headers = [model.headerData(c, Qt.Orientation.Horizontal) for c in range(model.columnCount())]
    return model.index(row, headers.index(header)).data()


def test_main_window_has_the_record_tabs_then_recycle_bin_and_conflicts(main_window: MainWindow) -> None:
    tabs = main_window.tabs
    titles = [tabs.tabText(i) for i in range(tabs.count())]
    assert titles == TABS
    evaluations = tabs.widget(4)
    assert isinstance(evaluations, QTabWidget)
    assert [evaluations.tabText(i) for i in range(evaluations.count())] == ["领导干部画像", "巡察干部鉴定"]
    assert [page.spec for page in main_window.pages] == list(PAGE_SPECS)
    assert main_window.conflicts_view is not None


def test_each_page_lists_its_records(main_window: MainWindow) -> None:
    rows = {page.spec.title: page.model.rowCount() for page in main_window.pages}
    assert rows == {
        **{"个别谈话记录": 3, "问题底稿": 2, "问题线索登记": 1, "信访件登记": 1},
        **{"领导干部画像": 1, "巡察干部鉴定": 1},
    }
    drafts = main_window.page("问题底稿").model
    assert {cell(drafts, r, "问题标题") for r in range(2)} == {
        "违规发放津补贴12.6万元",
        "“三重一大”事项未经集体研究",
    }
    assert cell(drafts, 0, "被巡察单位") == "清河县财政局党组"  # the unit's name, not its id


def test_typing_chinese_into_the_search_box_filters_the_list(main_window: MainWindow, qtbot: QtBot) -> None:
    page = main_window.page("个别谈话记录")
    type_text(page.search_edit, "王晓东")
    assert page.search_edit.text() == "王晓东"
    qtbot.waitUntil(lambda: page.model.rowCount() == 1)
    assert cell(page.model, 0, "谈话对象") == "王晓东"
    page.search_edit.clear()
    qtbot.waitUntil(lambda: page.model.rowCount() == 3)


def test_a_two_character_search_from_an_input_method_finds_the_record(
    main_window: MainWindow, qtbot: QtBot
) -> None:
    page = main_window.page("个别谈话记录")
    ime_commit(page.search_edit, "刘芳")  # shorter than a trigram: the service's substring path
    qtbot.waitUntil(lambda: page.model.rowCount() == 1)
    assert cell(page.model, 0, "单位及职务") == "清河县财政局预算股股长"


def test_a_search_finds_text_that_is_not_in_any_column(main_window: MainWindow, qtbot: QtBot) -> None:
    page = main_window.page("个别谈话记录")
    ime_commit(page.search_edit, "主体责任")  # in the interview content only
    qtbot.waitUntil(lambda: page.model.rowCount() == 3)
    ime_commit(page.search_edit, "没有的内容")
    qtbot.waitUntil(lambda: page.model.rowCount() == 0)
    assert page.current_record() is None  # an empty list leaves a new, empty form
    assert page.heading_text() == "新建个别谈话记录"


def test_the_first_record_is_shown_in_the_form_at_once(main_window: MainWindow, filled: Filled) -> None:
    page = main_window.page("问题线索登记")
    assert page.current_record() == filled.lead
    assert page.form.value("subject_name") == "赵有才"
    assert page.heading_text() == "反映 赵有才 的问题线索"
    assert not page.is_dirty()


def test_selecting_a_row_shows_its_fields_in_the_form(
    main_window: MainWindow, filled: Filled, qtbot: QtBot
) -> None:
    page = main_window.page("个别谈话记录")
    liu = filled.interviews[1]
    row = page.model.row_of(liu.id)
    assert row is not None and page.current_record() != liu
    with qtbot.waitSignal(page.record_selected) as selected:
        page.select_row(row)
    assert selected.args == [liu]
    assert page.heading_text() == "刘芳 谈话记录（2025-03-05）"
    assert page.form.value("interviewee_name") == "刘芳"
    assert page.form.value("target_id") == filled.ctx.target.id
    assert page.form.value("content").startswith("问：请谈谈局党组落实全面从严治党主体责任的情况。")


def test_status_bar_shows_workspace_user_role_and_counts(main_window: MainWindow, qtbot: QtBot) -> None:
    # The counts arrive from a background read.
    qtbot.waitUntil(lambda: "谈话 3" in main_window.status_texts()[2])
    assert main_window.status_texts() == [
        "工作库：现场工作库.xcdb（巡察组现场工作库）",
        "用户：管理员（组长）",
        "记录：谈话 3 · 底稿 2 · 线索 1 · 信访 1 · 画像 1 · 鉴定 1",
    ]
    assert "现场工作库.xcdb" in main_window.windowTitle()


def _items(menu: QMenu) -> list[str]:
    return [a.text().split("\t")[0] for a in menu.actions() if not a.isSeparator() and a.isVisible()]


def test_menus_are_file_edit_view_help_in_chinese(main_window: MainWindow) -> None:
    assert [a.text() for a in main_window.menuBar().actions()] == [
        "文件(&F)",
        "编辑(&E)",
        "视图(&V)",
        "安全(&S)",
        "帮助(&H)",
    ]
    assert _items(child(main_window, QMenu, "fileMenu")) == [
        "新建工作库(&N)…",
        "打开工作库(&O)…",
        "导入工作包(&I)…",
        "导出工作包(&E)…",
        "重新确定身份(&D)…",
        "打印(&P)…",
        "打印底稿汇编(&B)…",
        "导出台账(&L)…",
        "生成报告初稿(&R)…",
        "导入台账(&M)…",
        "退出(&X)",
    ]
    assert _items(child(main_window, QMenu, "editMenu"))[:4] == [
        "新建记录(&N)",
        "保存(&S)",
        "复制为新记录(&C)",
        "删除到回收站(&D)",
    ]
    view = _items(child(main_window, QMenu, "viewMenu"))
    assert view[:7] == TABS
    assert _items(child(main_window, QMenu, "helpMenu")) == ["快捷键(&K)", "关于(&A)"]


def test_the_shortcuts_page_lists_every_shortcut(
    main_window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    shown: list[list[tuple[str, str]]] = []
    monkeypatch.setattr(messages, "show_shortcuts", lambda parent, rows: shown.append(list(rows)))
    main_window.actions_by_name["shortcutsAction"].trigger()
    keys = {k: what for k, what in shown[0]}
    assert keys["Ctrl+N"] == "新建记录" and keys["Ctrl+S"] == "保存" and keys["Ctrl+F"] == "查找"
    assert keys["Ctrl+2"] == "问题底稿" and keys["F1"] == "快捷键"
    assert "Delete" in keys


def test_about_goes_through_messages(main_window: MainWindow, monkeypatch: pytest.MonkeyPatch) -> None:
    shown: list[object] = []
    monkeypatch.setattr(messages, "show_about", shown.append)
    main_window.actions_by_name["aboutAction"].trigger()
    assert shown == [main_window]


def test_ctrl_f_puts_the_cursor_in_the_search_box_of_the_shown_page(
    main_window: MainWindow, qtbot: QtBot
) -> None:
    main_window.show_tab(2)
    main_window.activateWindow()
    page = main_window.page("问题线索登记")
    qtbot.keyClick(main_window, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert QApplication.focusWidget() is page.search_edit


def test_ctrl_digit_brings_a_tab_forward(main_window: MainWindow, qtbot: QtBot) -> None:
    qtbot.keyClick(main_window, Qt.Key.Key_3, Qt.KeyboardModifier.ControlModifier)
    assert main_window.current_page() is main_window.page("问题线索登记")


def test_the_working_context_filters_lists_and_prefills_new_records(
    main_window: MainWindow, filled_workspace: Workspace, filled: Filled
) -> None:
    other = make_context(filled_workspace, ordinal=4)
    main_window.reload_choices()
    bar = main_window.context_bar
    assert bar.context().round_id == other.round.id  # the latest round by default … no records in it
    assert main_window.page("个别谈话记录").model.rowCount() == 0
    select_value(bar.round_combo, filled.ctx.round.id)
    page = main_window.page("个别谈话记录")
    assert page.model.rowCount() == 3
    select_value(bar.group_combo, filled.ctx.group.id)
    select_value(bar.target_combo, filled.ctx.target.id)
    page.new_record()
    assert page.form.value("round_id") == filled.ctx.round.id
    assert page.form.value("group_id") == filled.ctx.group.id
    assert page.form.value("target_id") == filled.ctx.target.id
    assert page.form.value("recorder") == "管理员"
    assert not page.filter_bar.combo("target_id").isEnabled()  # the unit is fixed by the context


def test_clicking_a_column_header_sorts_in_the_database(main_window: MainWindow, filled: Filled) -> None:
    page = main_window.page("个别谈话记录")
    headers = [page.model.headerData(c, Qt.Orientation.Horizontal) for c in range(page.model.columnCount())]
    page.table.sortByColumn(headers.index("谈话对象"), Qt.SortOrder.DescendingOrder)
    assert (page.model.query.order_by, page.model.query.descending) == ("interviewee_name", True)
    names = [cell(page.model, r, "谈话对象") for r in range(3)]
    assert names == sorted(names, reverse=True)
    page.table.sortByColumn(headers.index("被巡察单位"), Qt.SortOrder.AscendingOrder)  # not sortable
    assert page.model.query.order_by == "interviewee_name"


def test_open_workspace_switches_to_the_chosen_file(
    main_window: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    other_path = tmp_path / "另一个工作库.xcdb"
    with Workspace.create(other_path, PASSPHRASE, kdf=KdfParams.cheap(), user_name="李明") as other:
        make_context(other)
    monkeypatch.setattr(messages, "choose_workspace_file", lambda parent, start: other_path)
    answer = Credentials("李明", PASSPHRASE)
    monkeypatch.setattr(passphrase_dialog, "ask_passphrase", lambda parent, path, error="", login="": answer)
    main_window.actions_by_name["openWorkspaceAction"].trigger()
    assert main_window.workspace.path == other_path
    assert main_window.status_texts()[0] == "工作库：另一个工作库.xcdb（巡察组现场工作库）"
    assert main_window.status_texts()[1] == "用户：李明（组长）"
    assert all(page.model.rowCount() == 0 for page in main_window.pages)


def test_new_workspace_creates_and_opens_an_empty_file(
    main_window: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, qtbot: QtBot
) -> None:
    target = tmp_path / "新建的工作库.xcdb"
    monkeypatch.setattr(messages, "choose_new_workspace_file", lambda parent, start: target)
    monkeypatch.setattr(passphrase_dialog, "ask_new_passphrase", lambda parent, path, error="": PASSPHRASE)
    main_window.actions_by_name["newWorkspaceAction"].trigger()
    assert main_window.workspace.path == target and target.is_file()
    empty = "记录：谈话 0 · 底稿 0 · 线索 0 · 信访 0 · 画像 0 · 鉴定 0"
    qtbot.waitUntil(lambda: main_window.status_texts()[2] == empty)


def test_window_geometry_and_column_layout_are_remembered(
    qtbot: QtBot, filled_workspace: Workspace, ui_settings: QSettings
) -> None:
    first = MainWindow(filled_workspace, settings=ui_settings, recover=False)
    qtbot.addWidget(first)
    first.resize(780, 560)  # the offscreen screen is 800×600
    first.show()
    qtbot.waitExposed(first)
    first.page("问题底稿").table.horizontalHeader().resizeSection(1, 333)
    first.close()  # saves the geometry and layouts, and closes the workspace
    with Workspace.open(filled_workspace.path, PASSPHRASE) as again:
        second = MainWindow(again, settings=ui_settings, recover=False)
        qtbot.addWidget(second)
        assert (second.width(), second.height()) == (780, 560)
        assert second.page("问题底稿").table.horizontalHeader().sectionSize(1) == 333
        second.close()


def test_print_previews_the_shown_record(
    main_window: MainWindow, monkeypatch: pytest.MonkeyPatch, qtbot: QtBot
) -> None:
    previews: list[Any] = []
    monkeypatch.setattr(output_actions, "show_preview", previews.append)
    main_window.show_tab(1)
    qtbot.keyClick(main_window, Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: bool(previews), timeout=20_000)
    assert "问题底稿" in previews[0].windowTitle()
    previews[0].close()


def test_export_ledger_writes_the_pages_records_to_excel(
    main_window: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, qtbot: QtBot
) -> None:
    target = tmp_path / "线索台账.xlsx"
    done: list[str] = []
    monkeypatch.setattr(messages, "choose_save_file", lambda parent, title, default, kinds: target)
    monkeypatch.setattr(messages, "show_info", lambda parent, title, text: done.append(text))
    main_window.show_tab(2)
    main_window.actions_by_name["exportLedgerAction"].trigger()
    qtbot.waitUntil(lambda: bool(done), timeout=20_000)
    assert target.is_file() and target.stat().st_size > 0


def test_only_the_tab_in_front_is_built_until_another_is_shown(main_window: MainWindow) -> None:
    # Start-up builds one page; the others (and the recycle bin) are built when first brought forward.
    front = main_window.current_page()
    assert front is not None and main_window.built_pages() == [front]
    main_window.show_tab(1)
    shown = main_window.current_page()
    assert shown is not None and shown is not front
    assert main_window.built_pages() == [front, shown]
    assert shown.model.rowCount() > 0  # its list was read when it came forward


def test_a_window_closed_before_its_first_paint_reads_nothing_afterwards(
    qtbot: QtBot, filled_workspace: Workspace, ui_settings: QSettings
) -> None:
    # The crash-recovery offer and the conflicts' count wait for the first paint (or a second): a window
    # closed before then must not reach for its closed workspace (an error would fail this test).
    window = MainWindow(filled_workspace, settings=ui_settings)
    qtbot.addWidget(window)
    window.close()
    assert filled_workspace.is_closed
    qtbot.wait(1300)


def test_about_names_the_log_folder(tmp_path: Path) -> None:
    from xuncha_desktop import diagnostics
    from xuncha_desktop.gui.messages import about_text

    diagnostics.setup_logging(tmp_path / "日志文件夹")
    try:
        text = about_text()
    finally:
        diagnostics.close_logging()
    assert str(tmp_path / "日志文件夹") in text and "日志不含记录内容" in text
