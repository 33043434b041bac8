"""全局搜索 (Ctrl+K): results of every record type grouped by type; Enter or a double-click opens one."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMenu
from pytestqt.qtbot import QtBot

from tests.builders import interview, make_context
from tests.gui.conftest import Filled
from tests.gui.keys import type_text
from tests.gui.rect_helpers import octx, office
from xuncha_desktop.domain.record_types import INTERVIEW
from xuncha_desktop.gui import messages
from xuncha_desktop.gui.dialogs.global_search_dialog import GlobalSearchDialog
from xuncha_desktop.gui.forms import child
from xuncha_desktop.gui.main_window import MainWindow
from xuncha_desktop.gui.pages.page_types import WorkContext
from xuncha_desktop.services.records.record_service import RecordService

__all__ = ["octx", "office"]  # fixtures

# Text each record of the `filled` workspace holds (in a field that is not a list column for most).
BY_TYPE = {
    "interview": ("个别谈话记录", "王晓东"),
    "draft": ("问题底稿", "12.6万元"),
    "lead": ("问题线索", "好处费"),
    "evaluation": ("干部画像", "孙志强"),
    "appraisal": ("巡察干部鉴定", "李明"),
}


def _open_search(window: MainWindow, qtbot: QtBot) -> GlobalSearchDialog:
    qtbot.keyClick(window, Qt.Key.Key_K, Qt.KeyboardModifier.ControlModifier)
    dialog = window.findChild(GlobalSearchDialog)
    assert dialog is not None
    qtbot.waitUntil(dialog.isVisible)
    return dialog


def _search(dialog: GlobalSearchDialog, qtbot: QtBot, text: str) -> None:
    dialog.search_edit.selectAll()
    type_text(dialog.search_edit, text)
    qtbot.waitUntil(lambda: dialog.status_label.text().startswith(("找到", "没有")), timeout=10_000)


def test_the_edit_menu_offers_global_search_with_ctrl_k(main_window: MainWindow) -> None:
    texts = [a.text() for a in child(main_window, QMenu, "editMenu").actions()]
    assert texts[texts.index("查找(&F)") + 1] == "全局搜索(&K)…"
    [action] = [a for a in main_window.actions() if a.objectName() == "globalSearchAction"]
    assert action.shortcut().toString() == "Ctrl+K"


@pytest.mark.parametrize("type_key", list(BY_TYPE))
def test_global_search_finds_a_record_of_each_type_and_opens_it_in_its_tab(
    main_window: MainWindow, qtbot: QtBot, filled: Filled, type_key: str
) -> None:
    label, text = BY_TYPE[type_key]
    main_window.show_tab(0)
    dialog = _open_search(main_window, qtbot)
    _search(dialog, qtbot, text)

    assert any(g.startswith(f"{label}（") for g in dialog.group_labels())
    [item] = [i for i in dialog.hit_items() if i.data(0, Qt.ItemDataRole.UserRole + 1).type_key == type_key][
        :1
    ]
    hit = item.data(0, Qt.ItemDataRole.UserRole + 1)
    dialog.tree.setCurrentItem(item)
    qtbot.keyClick(dialog.tree, Qt.Key.Key_Return)

    qtbot.waitUntil(lambda: not dialog.isVisible())
    page = main_window.current_page()
    assert page is not None and page.type_key == type_key
    shown = page.current_record()
    assert shown is not None and shown.id == hit.record_id
    rows = page.table.selectionModel().selectedRows()
    assert [page.model.record(r.row()).id for r in rows] == [hit.record_id]  # selected in its list


def test_results_are_grouped_with_counts_and_a_snippet_of_the_match(
    main_window: MainWindow, qtbot: QtBot, filled: Filled
) -> None:
    dialog = _open_search(main_window, qtbot)
    _search(dialog, qtbot, "清河县财政局")  # in talks, the evaluation and the lead
    labels = dialog.group_labels()
    assert labels[0] == "个别谈话记录（3 条）"
    assert [label.split("（")[0] for label in labels] == ["个别谈话记录", "问题线索", "干部画像"]
    assert all("清河县财政局" in hit.snippet for hit in dialog.hits())
    assert dialog.status_label.text().startswith("找到 5 条（3 类记录）")
    _search(dialog, qtbot, "没有这个词")
    assert dialog.group_labels() == [] and dialog.status_label.text() == "没有找到包含“没有这个词”的记录"


def test_enter_in_the_box_opens_the_first_result(
    main_window: MainWindow, qtbot: QtBot, filled: Filled
) -> None:
    dialog = _open_search(main_window, qtbot)
    _search(dialog, qtbot, "好处费")
    qtbot.keyClick(dialog.search_edit, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not dialog.isVisible())
    page = main_window.current_page()
    assert page is not None and page.type_key == "lead"
    assert page.current_record().id == filled.lead.id  # type: ignore[union-attr]


def test_a_filter_and_another_round_hiding_the_record_are_cleared(
    main_window: MainWindow, qtbot: QtBot, filled: Filled
) -> None:
    """The list shows the record after opening it: the page's search and the context that hid it give way."""
    ws = main_window.workspace
    other = make_context(ws, year=2026, ordinal=1, group=1)
    hidden: Any = RecordService[Any](ws, INTERVIEW).save(interview(other, interviewee_name="欧阳修远"))
    main_window.refresh_all()
    main_window.context_bar.set_context(WorkContext(filled.ctx.round.id))
    page = main_window.page_for("interview")
    main_window.show_page(page)
    page.search_edit.setText("王晓东")
    page.reload()
    assert page.model.row_of(hidden.id) is None

    dialog = _open_search(main_window, qtbot)
    _search(dialog, qtbot, "欧阳修远")
    qtbot.keyClick(dialog.search_edit, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not dialog.isVisible())
    assert main_window.context_bar.context().round_id == other.round.id
    assert page.model.row_of(hidden.id) is not None
    assert page.current_record().id == hidden.id  # type: ignore[union-attr]


def test_a_type_without_a_page_says_where_to_look(
    main_window: MainWindow, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    from xuncha_desktop.gui.dialogs import global_search_dialog
    from xuncha_desktop.services.records.global_search import SearchHit

    told: list[str] = []
    monkeypatch.setattr(messages, "show_info", lambda _parent, _title, text: told.append(text))
    hit = SearchHit("cadre", "巡察人才库", "c1", "", "张三", "姓名：张三")
    assert not global_search_dialog.open_hit(main_window, hit)
    assert told == ["巡察人才库没有单独的记录页面，请在相应的页面中查看。"]


def test_a_task_found_in_an_office_opens_in_rectification(
    qtbot: QtBot, office: Any, octx: Any, ui_settings: Any
) -> None:
    from tests.rectification_output_builders import _feedback
    from xuncha_desktop.gui.dialogs import global_search_dialog

    _, [task] = _feedback(office, octx, octx.target.id, ("公务接待超标准、无公函",))
    window = MainWindow(office, settings=ui_settings, recover=False)
    qtbot.addWidget(window)
    window.resize(1366, 768)
    window.show()
    qtbot.waitExposed(window)
    [hit] = [h for h in _hits_of(window, qtbot, "无公函") if h.type_key == "task"]
    assert global_search_dialog.open_hit(window, hit)
    area: Any = window.rectification_area
    assert area.currentWidget() is area.task_page and area.task_page.current_record().id == task.id


def _hits_of(window: MainWindow, qtbot: QtBot, text: str) -> list[Any]:
    window.findChild(QAction, "globalSearchAction").trigger()
    dialog = window.findChild(GlobalSearchDialog)
    _search(dialog, qtbot, text)
    dialog.hide()
    return dialog.hits()
