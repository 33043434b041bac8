"""Linking: 登记线索 / 生成底稿 from selected interview text, a draft's evidence, and 关联记录 both ways."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QTextCursor
from PySide6.QtWidgets import QPlainTextEdit, QPushButton, QTableWidget
from pytestqt.qtbot import QtBot

from tests.gui.conftest import Filled
from xuncha_desktop.gui import messages
from xuncha_desktop.gui.main_window import MainWindow
from xuncha_desktop.gui.pages.interview import NO_SELECTION
from xuncha_desktop.gui.pages.record_page import RecordPage
from xuncha_desktop.services.records.links import LinkService

SELECTED = "局里每季度专题研究一次"


def select_in_content(page: RecordPage[Any], text: str) -> None:
    edit = page.form.widget_of("content")
    assert isinstance(edit, QPlainTextEdit)
    start = edit.toPlainText().index(text)
    cursor = edit.textCursor()
    cursor.setPosition(start)
    cursor.setPosition(start + len(text), QTextCursor.MoveMode.KeepAnchor)
    edit.setTextCursor(cursor)


@pytest.fixture
def talk_page(main_window: MainWindow, filled: Filled) -> RecordPage[Any]:
    page = main_window.page("个别谈话记录")
    main_window.show_page(page)
    page.show_record(filled.interviews[0].id)
    return page


def test_register_lead_from_selected_text_links_back_to_the_talk(
    main_window: MainWindow, talk_page: RecordPage[Any], filled: Filled, qtbot: QtBot
) -> None:
    talk = filled.interviews[0]
    select_in_content(talk_page, SELECTED)
    qtbot.mouseClick(talk_page.action_button("registerLeadButton"), Qt.MouseButton.LeftButton)
    leads = main_window.page("问题线索登记")
    assert main_window.current_page() is leads
    assert leads.current_record() is None and leads.is_dirty()  # prefilled, not yet saved
    assert leads.form.value("summary") == SELECTED
    assert leads.form.value("source") == "个别谈话"
    assert leads.form.value("target_id") == talk.target_id
    leads.form.set_value("subject_name", "孙某")
    assert leads.save()
    lead = leads.current_record()
    assert [(x.record_type, x.record_id, x.kind) for x in leads.links_panel.links()] == [
        ("interview", talk.id, "线索来源")
    ]
    assert [x.record_id for x in LinkService(main_window.workspace).linked("interview", talk.id)] == [lead.id]
    leads.links_panel.open_row(0)  # what a double-click does
    assert main_window.current_page() is talk_page and talk_page.current_record() == talk
    assert [x.number for x in talk_page.links_panel.links()] == [lead.number]
    table = talk_page.links_panel.table
    where = table.visualItemRect(table.item(0, 1)).center()
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=where)  # Qt wants the press first
    qtbot.mouseDClick(table.viewport(), Qt.MouseButton.LeftButton, pos=where)
    assert main_window.current_page() is leads and leads.current_record() == lead


def test_make_draft_from_selected_text_cites_the_talk_as_evidence(
    main_window: MainWindow, talk_page: RecordPage[Any], filled: Filled, qtbot: QtBot
) -> None:
    talk = filled.interviews[0]
    select_in_content(talk_page, SELECTED)
    qtbot.mouseClick(talk_page.action_button("makeDraftButton"), Qt.MouseButton.LeftButton)
    drafts = main_window.page("问题底稿")
    assert main_window.current_page() is drafts
    assert drafts.form.value("title") == SELECTED and drafts.form.value("description") == SELECTED
    evidence = drafts.form.value("evidence")
    assert len(evidence) == 1 and evidence[0]["interview_id"] == talk.id
    assert evidence[0]["name"] == f"个别谈话记录（王晓东，{talk.number}）"
    drafts.form.set_value("category_l1", "B1")
    assert drafts.save()
    links = drafts.links_panel.links()
    assert [(x.record_type, x.record_id, x.kind) for x in links] == [("interview", talk.id, "佐证材料")]


def test_without_a_selection_the_user_is_told_what_to_do(
    talk_page: RecordPage[Any], qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    shown: list[str] = []
    monkeypatch.setattr(messages, "show_error", lambda parent, title, text: shown.append(text))
    qtbot.mouseClick(talk_page.action_button("registerLeadButton"), Qt.MouseButton.LeftButton)
    assert shown == [NO_SELECTION]


def test_a_draft_chooses_talks_and_files_as_evidence(
    main_window: MainWindow, filled: Filled, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    offered: list[str] = []

    def pick(parent: object, candidates: list[Any]) -> list[Any]:
        offered.extend(c.label for c in candidates)
        return [c for c in candidates if "刘芳" in c.label or "陈卫国" in c.label]

    monkeypatch.setattr(messages, "pick_evidence", pick)
    drafts = main_window.page("问题底稿")
    main_window.show_page(drafts)
    drafts.show_record(filled.drafts[0].id)
    qtbot.mouseClick(drafts.form.find(QPushButton, "pickEvidenceButton"), Qt.MouseButton.LeftButton)
    assert len(offered) == 3  # the three talks with this unit
    table = drafts.form.find(QTableWidget, "evidenceTable")
    assert table.rowCount() == 2 and drafts.is_dirty()
    qtbot.mouseClick(drafts.form.find(QPushButton, "addEvidenceButton"), Qt.MouseButton.LeftButton)
    table.item(2, 0).setText("津补贴发放表（复印件）")
    assert drafts.save()
    names = [row["name"] for row in drafts.current_record().evidence]
    assert names[2] == "津补贴发放表（复印件）"
    linked = {x.record_id for x in drafts.links_panel.links()}
    assert linked == {filled.interviews[1].id, filled.interviews[2].id}
    talk = main_window.page("个别谈话记录")
    main_window.show_page(talk)
    talk.show_record(filled.interviews[1].id)
    assert [x.record_type for x in talk.links_panel.links()] == ["draft"]


def test_unlinking_keeps_both_records(
    main_window: MainWindow, talk_page: RecordPage[Any], filled: Filled, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(messages, "confirm_unlink", lambda parent, what: True)
    LinkService(main_window.workspace).link("interview", filled.interviews[0].id, "lead", filled.lead.id)
    talk_page.refresh()
    assert len(talk_page.links_panel.links()) == 1
    talk_page.links_panel.table.selectRow(0)
    talk_page.links_panel.findChild(QPushButton, "unlinkButton").click()
    assert talk_page.links_panel.links() == []
    assert talk_page.current_record() == filled.interviews[0]
