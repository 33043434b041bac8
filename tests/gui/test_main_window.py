"""The real MainWindow over a real encrypted workspace: tabs, lists, search, details, status bar, menus."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QAbstractItemModel, QSettings, Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMenu, QTabWidget
from pytestqt.qtbot import QtBot

from tests.builders import PASSPHRASE, make_context
from tests.gui.conftest import Filled
from tests.gui.keys import ime_commit, type_text
from xuncha_desktop.gui import messages
from xuncha_desktop.gui.forms import child
from xuncha_desktop.gui.main_window import MainWindow
from xuncha_desktop.gui.page_specs import PAGE_SPECS
from xuncha_desktop.services.workspace import Workspace
from xuncha_desktop.storage.keyfile import KdfParams


def _cell(model: QAbstractItemModel, row: int, header: str) -> object:
    headers = [model.headerData(c, Qt.Orientation.Horizontal) for c in range(model.columnCount())]
    return model.index(row, headers.index(header)).data()


def test_main_window_has_the_four_tabs_in_order(main_window: MainWindow) -> None:
    tabs = main_window.tabs
    assert [tabs.tabText(i) for i in range(tabs.count())] == [
        "个别谈话记录",
        "问题底稿",
        "问题线索登记",
        "干部评价",
    ]
    evaluations = tabs.widget(3)
    assert isinstance(evaluations, QTabWidget)
    assert [evaluations.tabText(i) for i in range(evaluations.count())] == ["领导干部画像", "巡察干部鉴定"]
    assert [page.spec for page in main_window.pages] == list(PAGE_SPECS)


def test_each_page_lists_its_records(main_window: MainWindow) -> None:
    rows = {page.spec.title: page.model.rowCount() for page in main_window.pages}
    assert rows == {"个别谈话记录": 3, "问题底稿": 2, "问题线索登记": 1, "领导干部画像": 1, "巡察干部鉴定": 1}
    drafts = main_window.page("问题底稿").model
    assert {_cell(drafts, r, "问题标题") for r in range(2)} == {
        "违规发放津补贴12.6万元",
        "“三重一大”事项未经集体研究",
    }
    assert _cell(drafts, 0, "被巡察单位") == "清河县财政局党组"  # the unit's name, not its id


def test_typing_chinese_into_the_search_box_filters_the_list(main_window: MainWindow, qtbot: QtBot) -> None:
    page = main_window.page("个别谈话记录")
    type_text(page.search_edit, "王晓东")
    assert page.search_edit.text() == "王晓东"
    qtbot.waitUntil(lambda: page.model.rowCount() == 1)
    assert _cell(page.model, 0, "谈话对象") == "王晓东"
    page.search_edit.clear()
    qtbot.waitUntil(lambda: page.model.rowCount() == 3)


def test_a_two_character_search_from_an_input_method_finds_the_record(
    main_window: MainWindow, qtbot: QtBot
) -> None:
    page = main_window.page("个别谈话记录")
    ime_commit(page.search_edit, "刘芳")  # shorter than a trigram: the service's substring path
    qtbot.waitUntil(lambda: page.model.rowCount() == 1)
    assert _cell(page.model, 0, "单位及职务") == "清河县财政局预算股股长"


def test_a_search_finds_text_that_is_not_in_any_column(main_window: MainWindow, qtbot: QtBot) -> None:
    page = main_window.page("个别谈话记录")
    ime_commit(page.search_edit, "主体责任")  # in the interview content only
    qtbot.waitUntil(lambda: page.model.rowCount() == 3)
    ime_commit(page.search_edit, "没有的内容")
    qtbot.waitUntil(lambda: page.model.rowCount() == 0)


def test_the_first_record_is_shown_at_once(main_window: MainWindow) -> None:
    page = main_window.page("问题线索登记")
    assert page.current_record() is not None
    assert page.detail_text("被反映人") == "赵有才"


def test_selecting_a_row_shows_its_fields_in_the_detail_pane(
    main_window: MainWindow, filled: Filled, qtbot: QtBot
) -> None:
    page = main_window.page("个别谈话记录")
    liu = filled.interviews[1]
    row = page.model.row_of(liu.id)
    assert row is not None and page.current_record() != liu
    with qtbot.waitSignal(page.record_selected) as selected:
        page.select_row(row)
    assert selected.args == [liu]
    assert page.current_record() == liu
    assert page.heading_text() == "刘芳 谈话记录（2025-03-05）"
    assert page.detail_text("编号") == liu.number
    assert page.detail_text("谈话对象") == "刘芳"
    assert page.detail_text("单位及职务") == "清河县财政局预算股股长"
    assert page.detail_text("被巡察单位") == "清河县财政局党组"
    assert page.detail_text("巡察轮次") == "2025年第3轮巡察"
    assert page.detail_text("起止时间") == "09:00–10:30"
    assert page.detail_text("谈话内容").startswith("问：请谈谈局党组落实全面从严治党主体责任的情况。")


def test_evaluation_details_show_tallies_and_the_computed_rate(main_window: MainWindow) -> None:
    page = main_window.page("领导干部画像")
    page.select_row(0)
    assert page.detail_text("好评率") == "95.24%"
    assert page.detail_text("测评票数").startswith("共 42 票：优秀 30 票（71.43%）")


def test_a_new_search_clears_the_detail_pane(main_window: MainWindow, qtbot: QtBot) -> None:
    page = main_window.page("问题线索登记")
    assert page.detail_text("被反映人") == "赵有才"
    ime_commit(page.search_edit, "没有的内容")
    qtbot.waitUntil(lambda: page.model.rowCount() == 0)
    assert page.current_record() is None
    assert page.detail_text("被反映人") == "—"


def test_status_bar_shows_workspace_user_role_and_counts(
    main_window: MainWindow, workspace: Workspace
) -> None:
    assert main_window.status_texts() == [
        f"工作库：{workspace.path.name}（巡察组现场工作库）",
        "用户：管理员（组长）",
        "记录：谈话 3 · 底稿 2 · 线索 1 · 画像 1 · 鉴定 1",
    ]
    assert workspace.path.name in main_window.windowTitle()


def test_menus_are_file_and_help_in_chinese(main_window: MainWindow) -> None:
    titles = [a.text() for a in main_window.menuBar().actions()]
    assert titles == ["文件(&F)", "帮助(&H)"]
    file_menu = child(main_window, QMenu, "fileMenu")
    assert [a.text() for a in file_menu.actions() if not a.isSeparator()] == ["打开工作库(&O)…", "退出(&X)"]


def test_about_goes_through_messages(main_window: MainWindow, monkeypatch: pytest.MonkeyPatch) -> None:
    shown: list[object] = []
    monkeypatch.setattr(messages, "show_about", shown.append)
    child(main_window, QAction, "aboutAction").trigger()
    assert shown == [main_window]


def test_open_workspace_switches_to_the_chosen_file(
    main_window: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    other_path = tmp_path / "另一个工作库.xcdb"
    with Workspace.create(other_path, PASSPHRASE, kdf=KdfParams.cheap(), user_name="李明") as other:
        make_context(other)
    monkeypatch.setattr(messages, "choose_workspace_file", lambda parent, start: other_path)
    monkeypatch.setattr(messages, "ask_passphrase", lambda parent, path, error="": PASSPHRASE)
    child(main_window, QAction, "openWorkspaceAction").trigger()
    assert main_window.workspace.path == other_path
    assert main_window.status_texts()[0] == "工作库：另一个工作库.xcdb（巡察组现场工作库）"
    assert main_window.status_texts()[1] == "用户：李明（组长）"
    assert all(page.model.rowCount() == 0 for page in main_window.pages)


def test_window_geometry_is_remembered(
    qtbot: QtBot, workspace: Workspace, filled: Filled, ui_settings: QSettings
) -> None:
    first = MainWindow(workspace, settings=ui_settings)
    qtbot.addWidget(first)
    first.resize(720, 520)  # the offscreen screen is 800×600
    first.show()
    qtbot.waitExposed(first)
    first.close()  # saves the geometry and closes the workspace
    with Workspace.open(workspace.path, PASSPHRASE) as again:
        second = MainWindow(again, settings=ui_settings)
        qtbot.addWidget(second)
        assert (second.width(), second.height()) == (720, 520)
        second.close()
