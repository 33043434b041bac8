"""Workflow buttons in the forms: the 底稿 sign-off chain by role, and the stages of a 问题线索."""

from __future__ import annotations

import dataclasses
from datetime import date, timedelta
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QCheckBox, QLabel, QTableWidget
from pytestqt.qtbot import QtBot

from tests.gui.conftest import Filled
from tests.gui.dialogs import DialogScript
from xuncha_desktop.domain.issue_drafts import IssueDraft
from xuncha_desktop.domain.lead_registrations import LeadRegistration
from xuncha_desktop.domain.organization import User
from xuncha_desktop.domain.record_types import DRAFT, LEAD
from xuncha_desktop.gui import messages
from xuncha_desktop.gui.main_window import MainWindow
from xuncha_desktop.gui.pages.field_labels import field_label
from xuncha_desktop.gui.pages.record_page import RecordPage
from xuncha_desktop.gui.pages.record_table_model import highlight_brush
from xuncha_desktop.services.records.record_service import RecordService
from xuncha_desktop.services.security.audit_log import AuditLog, AuditQuery

DRAFT_BUTTONS = ("submitButton", "reviewButton", "approveButton", "returnButton")


def as_user(window: MainWindow, page: RecordPage[Any], user: User) -> None:
    window.workspace.user = user  # as if this user had opened the workspace
    page.refresh()


def shown_buttons(page: RecordPage[Any], names: tuple[str, ...]) -> list[str]:
    return [n for n in names if not page.action_button(n).isHidden()]


def click(qtbot: QtBot, page: RecordPage[Any], name: str) -> None:
    qtbot.mouseClick(page.action_button(name), Qt.MouseButton.LeftButton)


@pytest.fixture
def drafts(main_window: MainWindow, filled: Filled) -> RecordPage[Any]:
    page = main_window.page("问题底稿")
    main_window.show_page(page)
    page.show_record(filled.drafts[0].id)  # prepared by 李明
    return page


def test_a_draft_goes_through_submit_review_and_approval(
    main_window: MainWindow, drafts: RecordPage[Any], filled: Filled, qtbot: QtBot
) -> None:
    as_user(main_window, drafts, filled.member)
    assert shown_buttons(drafts, DRAFT_BUTTONS) == ["submitButton"]
    click(qtbot, drafts, "submitButton")
    assert drafts.form.find(QLabel, "statusLabel").text() == "待复核"
    assert shown_buttons(drafts, DRAFT_BUTTONS) == ["reviewButton", "returnButton"]
    as_user(main_window, drafts, filled.deputy)
    drafts.form.set_value("review_opinion", "事实清楚，证据充分")
    click(qtbot, drafts, "reviewButton")  # the typed opinion is saved first, then signed
    as_user(main_window, drafts, filled.leader)
    click(qtbot, drafts, "approveButton")
    record = drafts.current_record()
    assert record.status == "已审签" and shown_buttons(drafts, DRAFT_BUTTONS) == []
    steps = [(s["step"], s["by"], s["role"], s["opinion"]) for s in record.signoffs]
    assert steps == [
        ("提交复核", "李明", "组员", ""),
        ("复核通过", "赵副组长", "副组长", "事实清楚，证据充分"),
        ("审签通过", "管理员", "组长", ""),
    ]
    table = drafts.form.find(QTableWidget, "signoffsTable")
    assert table.rowCount() == 3 and table.item(1, 1).text() == "赵副组长"
    assert len(table.item(2, 5).toolTip()) == 64  # the SHA-256 of what was signed
    assert drafts.model.record(drafts.model.row_of(record.id)).status == "已审签"


def test_a_step_by_the_wrong_role_is_refused_in_chinese(
    main_window: MainWindow,
    drafts: RecordPage[Any],
    filled: Filled,
    qtbot: QtBot,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    errors: list[tuple[str, str]] = []
    monkeypatch.setattr(messages, "show_error", lambda parent, title, text: errors.append((title, text)))
    as_user(main_window, drafts, filled.leader)
    click(qtbot, drafts, "submitButton")  # 管理员 is not the preparer
    assert errors == [("提交复核", "只有承办人（李明）本人可以提交复核")]
    assert drafts.current_record().status == "草稿"
    as_user(main_window, drafts, filled.member)
    click(qtbot, drafts, "submitButton")
    as_user(main_window, drafts, dataclasses.replace(filled.deputy, display_name="李明"))
    assert "承办人不能复核自己编制的底稿" in drafts.action_button("reviewButton").toolTip()
    click(qtbot, drafts, "reviewButton")
    assert errors[-1] == ("复核通过", "承办人不能复核自己编制的底稿")
    assert drafts.current_record().status == "待复核"


def test_returning_asks_for_the_reason(
    main_window: MainWindow,
    drafts: RecordPage[Any],
    filled: Filled,
    qtbot: QtBot,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(messages, "ask_text", lambda parent, title, label: "请补充发放明细")
    as_user(main_window, drafts, filled.member)
    click(qtbot, drafts, "submitButton")
    as_user(main_window, drafts, filled.deputy)
    click(qtbot, drafts, "returnButton")
    record = drafts.current_record()
    assert record.status == "草稿" and record.signoffs[-1]["opinion"] == "请补充发放明细"


def approve(main_window: MainWindow, drafts: RecordPage[Any], filled: Filled, qtbot: QtBot) -> None:
    as_user(main_window, drafts, filled.member)
    click(qtbot, drafts, "submitButton")
    as_user(main_window, drafts, filled.deputy)
    click(qtbot, drafts, "reviewButton")
    as_user(main_window, drafts, filled.leader)
    click(qtbot, drafts, "approveButton")
    assert drafts.current_record().status == "已审签"


def revocations(main_window: MainWindow) -> list[str]:
    log = AuditLog(main_window.workspace, field_label)
    return [e.action_label for e in log.list(AuditQuery(action="revoke_signoff"))]


ADDED = "补充：其中3.2万元已于2025年4月退回。"


def test_editing_a_signed_draft_asks_and_no_keeps_the_typing_unsaved(
    main_window: MainWindow,
    drafts: RecordPage[Any],
    filled: Filled,
    qtbot: QtBot,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    approve(main_window, drafts, filled, qtbot)
    script = DialogScript(lambda box: False)  # 否
    monkeypatch.setattr(messages, "exec_dialog", script)
    drafts.form.set_value("description", ADDED)
    assert not drafts.save()
    [box] = script.dialogs
    assert box.windowTitle() == "撤销审签"
    assert box.text() == (
        f"问题底稿“{filled.drafts[0].title}”已审签。保存这些修改后，审签将被撤销，底稿退回待复核，须重新复核、审签。"
    )
    assert [b.text() for b in box.buttons()] == ["是，保存并撤销审签", "否"]
    assert box.defaultButton().text() == "否"
    stored = RecordService[IssueDraft](main_window.workspace, DRAFT).get(filled.drafts[0].id)
    assert (stored.status, stored.description) == ("已审签", filled.drafts[0].description)
    assert drafts.is_dirty() and drafts.form.value("description") == ADDED  # never lose typing
    assert revocations(main_window) == []


def test_editing_a_signed_draft_yes_revokes_the_signoff_and_audits_it(
    main_window: MainWindow,
    drafts: RecordPage[Any],
    filled: Filled,
    qtbot: QtBot,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    approve(main_window, drafts, filled, qtbot)
    script = DialogScript(lambda box: True)  # 是，保存并撤销审签
    monkeypatch.setattr(messages, "exec_dialog", script)
    drafts.form.set_value("description", ADDED)
    with qtbot.waitSignal(drafts.notice) as notice:
        assert drafts.save()
    assert len(script.dialogs) == 1
    record = drafts.current_record()
    assert (record.status, record.edited_after_signoff, record.description) == ("待复核", True, ADDED)
    assert record.signoffs[-1]["step"] == "审签后修改"
    assert notice.args == ["已保存；状态变为“待复核”"]
    assert drafts.form.find(QCheckBox, "editedAfterSignoffCheck").isChecked()
    assert not drafts.is_dirty() and revocations(main_window) == ["撤销审签"]


def test_a_signed_draft_saved_unchanged_asks_nothing(
    main_window: MainWindow, drafts: RecordPage[Any], filled: Filled, qtbot: QtBot
) -> None:
    approve(main_window, drafts, filled, qtbot)
    drafts.form.set_value("description", ADDED)
    drafts.form.set_value("description", filled.drafts[0].description)
    assert drafts.save()  # exec_dialog is not answered here: any question would fail the test
    assert drafts.current_record().status == "已审签"


LEAD_BUTTONS = ("judgeButton", "proposeButton", "transferButton", "feedbackButton", "closeButton")


@pytest.fixture
def leads(main_window: MainWindow) -> RecordPage[Any]:
    page = main_window.page("问题线索登记")
    main_window.show_page(page)
    return page


def test_a_lead_is_judged_only_with_the_group_opinion(leads: RecordPage[Any], qtbot: QtBot) -> None:
    assert shown_buttons(leads, LEAD_BUTTONS) == ["judgeButton"]
    click(qtbot, leads, "judgeButton")
    assert leads.form.error_text("group_opinion") == "请填写组务会研判意见"
    assert leads.current_record().status == "已登记"
    leads.form.set_value("group_opinion", "反映具体，有可查性，建议移交")
    click(qtbot, leads, "judgeButton")
    record = leads.current_record()
    assert (record.status, record.group_opinion_on) == ("已研判", date.today())
    assert leads.form.find(QLabel, "statusLabel").text() == "已研判"
    assert shown_buttons(leads, LEAD_BUTTONS) == ["proposeButton"]


def test_a_lead_walks_to_closing_through_the_form(leads: RecordPage[Any], qtbot: QtBot) -> None:
    steps = [
        ("judgeButton", {"group_opinion": "有可查性"}),
        ("proposeButton", {"proposed_disposal": "移交纪检监察机关"}),
        (
            "transferButton",
            {"transfer_unit": "县纪委监委", "transfer_on": date.today(), "receiver": "王科长"},
        ),
        ("feedbackButton", {"outcome_type": "初步核实", "feedback_on": date.today(), "case_opened": True}),
        ("closeButton", {}),
    ]
    for button, values in steps:
        for name, value in values.items():
            leads.form.set_value(name, value)
        click(qtbot, leads, button)
        assert leads.form_error_text() == "", button
    record = leads.current_record()
    assert (record.status, record.closed, record.leader_approver) == ("已销号", True, "管理员")
    assert shown_buttons(leads, LEAD_BUTTONS) == []


def test_a_member_may_not_approve_the_disposal(
    main_window: MainWindow,
    leads: RecordPage[Any],
    filled: Filled,
    qtbot: QtBot,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    errors: list[str] = []
    monkeypatch.setattr(messages, "show_error", lambda parent, title, text: errors.append(text))
    as_user(main_window, leads, filled.member)
    leads.form.set_value("group_opinion", "有可查性")
    click(qtbot, leads, "judgeButton")
    assert errors == ["研判须由组长、副组长进行，当前用户“李明”的角色是组员"]
    assert leads.current_record().status == "已登记"


def test_an_overdue_lead_is_highlighted_in_the_list(
    main_window: MainWindow, leads: RecordPage[Any], filled: Filled
) -> None:
    long_ago = date.today() - timedelta(days=120)
    overdue = dataclasses.replace(
        filled.lead,
        status="已移交",
        group_opinion="可查",
        proposed_disposal="移交组织部门",
        transfer_unit="县委组织部",
        transfer_on=long_ago,
        receiver="李科长",
        registered_on=long_ago - timedelta(days=5),
    )
    RecordService[LeadRegistration](main_window.workspace, LEAD).save(overdue)
    leads.refresh()
    index = leads.model.index(leads.model.row_of(overdue.id), 0)
    background = index.data(Qt.ItemDataRole.BackgroundRole)
    assert background.color() == highlight_brush().color() == QColor("#fde2e1")
    assert "超期" in index.data(Qt.ItemDataRole.ToolTipRole)
    assert "已超期" in leads.form.find(QLabel, "feedbackDueLabel").text()
