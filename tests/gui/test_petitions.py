"""信访件登记 through the window: register a petition, 转为问题线索, and the lead exists and links back;
纳入问题底稿 asks the category; 转办 asks the receiving body; the reporter is masked for a member."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLineEdit
from pytestqt.qtbot import QtBot

from tests.builders import MEMBER_PASSPHRASE, give_passphrase, make_context, petition
from tests.gui.conftest import Filled
from xuncha_desktop.domain.organization import User
from xuncha_desktop.domain.record_types import DRAFT, LEAD, PETITION, USER
from xuncha_desktop.gui import messages
from xuncha_desktop.gui.main_window import MainWindow
from xuncha_desktop.gui.pages.petition import FORWARD_BODIES
from xuncha_desktop.gui.pages.record_page import RecordPage
from xuncha_desktop.services.records.links import LinkService
from xuncha_desktop.services.records.record_service import RecordService
from xuncha_desktop.services.workspace import Workspace


def _register(main_window: MainWindow, filled: Filled, **values: Any) -> RecordPage[Any]:
    page = main_window.page("信访件登记")
    main_window.show_page(page)
    page.new_record()
    typed = {
        "round_id": filled.ctx.round.id,
        "group_id": filled.ctx.group.id,
        "target_id": filled.ctx.target.id,
        "received_on": date.today(),
        "channel": "来访",
        "reporter_name": "周某某",
        "reporter_contact": "13800000000",
        "subject_name": "赵有才",
        "subject_unit": "清河县财政局预算股",
        "summary": "反映其在项目资金拨付中收受好处费。",
        **values,
    }
    for name, value in typed.items():
        page.form.set_value(name, value)
    assert page.save()
    return page


def test_register_then_turn_into_a_lead_that_links_back(
    main_window: MainWindow, filled: Filled, qtbot: QtBot
) -> None:
    page = _register(main_window, filled)
    petition = page.current_record()
    assert petition.number.endswith("信访-001") and petition.target_id == filled.ctx.target.id
    assert page.action_button("toLeadButton").isVisible()
    qtbot.mouseClick(page.action_button("toLeadButton"), Qt.MouseButton.LeftButton)
    disposed = page.current_record()
    assert (disposed.disposal, disposed.disposed_on) == ("转为问题线索", date.today())
    assert page.form.value("disposal") == "转为问题线索"
    assert not page.action_button("toLeadButton").isVisible()  # done once
    [link] = page.links_panel.links()
    assert (link.record_type, link.kind) == ("lead", "信访来源")
    ws = main_window.workspace
    lead = RecordService[Any](ws, LEAD).get(link.record_id)
    assert (lead.summary, lead.subject_name, lead.source) == (disposed.summary, "赵有才", "来访")
    assert [x.record_id for x in LinkService(ws).linked("lead", lead.id)] == [petition.id]
    leads = main_window.page("问题线索登记")  # the lead's tab shows it, and its link back
    page.links_panel.open_row(0)
    assert main_window.current_page() is leads and leads.current_record().id == lead.id
    assert [(x.record_type, x.record_id) for x in leads.links_panel.links()] == [("petition", petition.id)]


def test_into_a_draft_asks_the_category_and_forwarding_asks_the_body(
    main_window: MainWindow, filled: Filled, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    asked: list[tuple[str, list[str]]] = []

    def choose(parent: object, title: str, label: str, choices: list[str]) -> str:
        asked.append((title, choices))
        return choices[1]

    monkeypatch.setattr(messages, "ask_choice", choose)
    page = _register(main_window, filled)
    qtbot.mouseClick(page.action_button("toDraftButton"), Qt.MouseButton.LeftButton)
    [link] = page.links_panel.links()
    draft = RecordService[Any](main_window.workspace, DRAFT).get(link.record_id)
    assert asked[0][0] == "纳入问题底稿" and asked[0][1][1].startswith(draft.category_l1 + " ")
    assert (draft.source, draft.description) == ("信访举报", page.current_record().summary)

    other = _register(main_window, filled, within_remit="不属于", subject_name="")
    qtbot.mouseClick(other.action_button("forwardButton"), Qt.MouseButton.LeftButton)
    assert asked[1] == ("转办", list(FORWARD_BODIES)) and FORWARD_BODIES[1] == "县纪委监委"
    assert (other.current_record().disposal, other.current_record().forwarded_to) == ("转办", "县纪委监委")


def test_a_member_sees_the_reporter_hidden_and_read_only(
    qtbot: QtBot, workspace: Workspace, ui_settings: Any
) -> None:
    ctx = make_context(workspace)
    saved = RecordService[Any](workspace, PETITION).save(petition(ctx, registered_by="李明"))
    RecordService[User](workspace, USER).save(User(login="wangfang", display_name="王芳", role="组员"))
    give_passphrase(workspace, "wangfang")
    path = workspace.path
    workspace.close()
    window = MainWindow(
        Workspace.open(path, MEMBER_PASSPHRASE, user_login="wangfang"), settings=ui_settings, recover=False
    )
    qtbot.addWidget(window)
    page = window.page_for(PETITION.key)
    window.show_page(page)
    assert page.show_record(saved.id)
    edit = page.form.widget_of("reporter_name")
    assert isinstance(edit, QLineEdit)
    assert (edit.text(), edit.isReadOnly()) == ("已隐藏", True)
    window.close()
