"""抽调干部考核 on the 巡察干部鉴定 page: the 推荐等次 / 提出考核意见 / 审定等次 / 退回 buttons by role, the
fields a step settles, the 优秀 cap refused with its message, and the office's 优秀比例 setting."""

from __future__ import annotations

import dataclasses
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QLabel, QTableWidget
from pytestqt.qtbot import QtBot

from tests.gui.conftest import Filled
from tests.gui.test_workflows import as_user, shown_buttons
from xuncha_desktop.domain import vocab
from xuncha_desktop.domain.organization import User
from xuncha_desktop.domain.personnel_evaluations import MemberAppraisal
from xuncha_desktop.domain.record_types import APPRAISAL
from xuncha_desktop.gui import messages
from xuncha_desktop.gui.main_window import MainWindow
from xuncha_desktop.gui.pages.record_page import RecordPage
from xuncha_desktop.services.records.appraisal_workflow import load_excellent_cap
from xuncha_desktop.services.records.record_service import RecordService

BUTTONS = ("recommendButton", "office_opinionButton", "approveButton", "returnButton", "excellentCapButton")
OFFICE = User(login="zhou", display_name="周主任", role=vocab.OFFICE_ADMIN)


@pytest.fixture
def page(main_window: MainWindow) -> RecordPage[Any]:
    shown = main_window.page("巡察干部鉴定")
    main_window.show_page(shown)
    [appraisal] = RecordService[MemberAppraisal](main_window.workspace, APPRAISAL).list()
    shown.show_record(appraisal.id)  # 李明, 称职, 待推荐
    return shown


def click(qtbot: QtBot, page: RecordPage[Any], name: str) -> None:
    button = page.action_button(name)
    assert not button.isHidden(), name
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def status_text(page: RecordPage[Any]) -> str:
    return page.form.find(QLabel, "statusLabel").text()


def listed_status(page: RecordPage[Any]) -> str:
    record = page.current_record()
    return str(page.model.record(page.model.row_of(record.id)).status)


def test_an_appraisal_is_recommended_given_an_opinion_and_approved_through_the_buttons(
    main_window: MainWindow, page: RecordPage[Any], filled: Filled, qtbot: QtBot
) -> None:
    as_user(main_window, page, filled.leader)
    assert status_text(page) == "待推荐" and shown_buttons(page, BUTTONS) == ["recommendButton"]
    page.form.set_value("group_opinion", "工作扎实，完成谈话任务")
    click(qtbot, page, "recommendButton")
    assert status_text(page) == "已推荐" and listed_status(page) == "已推荐"
    assert not page.form.widget_of("grade").isEnabled()  # settled: 退回 first to change it
    assert shown_buttons(page, BUTTONS) == ["office_opinionButton", "returnButton"]
    assert page.action_button("office_opinionButton").toolTip() == (
        "当前用户不能操作：提出考核意见须由巡察办管理员进行，当前用户“管理员”的角色是组长"
    )
    as_user(main_window, page, OFFICE)
    click(qtbot, page, "office_opinionButton")
    assert page.form.error_text("office_opinion") == "请填写巡察办意见"
    assert status_text(page) == "已推荐"
    page.form.set_value("office_opinion", "同意巡察组意见，建议评为优秀")
    click(qtbot, page, "office_opinionButton")
    assert status_text(page) == "已提出考核意见"
    combo = page.form.find(QComboBox, "approvedGradeCombo")
    assert combo.isEnabled()
    page.form.set_value("approved_grade", "优秀")  # the 领导小组 decided otherwise than recommended
    click(qtbot, page, "approveButton")
    record = page.current_record()
    assert (record.status, record.approved_grade, record.grade) == ("已审定", "优秀", "称职")
    assert not combo.isEnabled() and shown_buttons(page, BUTTONS) == ["excellentCapButton"]
    table = page.form.find(QTableWidget, "approvalsTable")
    rows = [[table.item(r, c).text() for c in (0, 1, 2, 4)] for r in range(table.rowCount())]
    assert rows == [
        ["推荐等次", "管理员", "组长", "工作扎实，完成谈话任务"],
        ["提出考核意见", "周主任", "巡察办管理员", "同意巡察组意见，建议评为优秀"],
        ["审定等次", "周主任", "巡察办管理员", "审定等次：优秀（推荐等次：称职）"],
    ]
    assert listed_status(page) == "已审定"


def test_approving_one_excellent_too_many_shows_the_count_and_the_cap(
    main_window: MainWindow,
    page: RecordPage[Any],
    filled: Filled,
    qtbot: QtBot,
    errors: list[tuple[str, str]],
) -> None:
    ws = main_window.workspace
    other = RecordService[MemberAppraisal](ws, APPRAISAL).save(
        dataclasses.replace(
            page.current_record(),
            id="",
            number="",
            name="王强",
            grade="优秀",
            office_opinion="同意",
            status="已审定",
            approved_grade="优秀",
        )
    )
    assert other.status == "已审定"
    as_user(main_window, page, filled.leader)
    click(qtbot, page, "recommendButton")
    as_user(main_window, page, OFFICE)
    page.form.set_value("office_opinion", "同意")
    click(qtbot, page, "office_opinionButton")
    page.form.set_value("approved_grade", "优秀")
    click(qtbot, page, "approveButton")
    assert errors == [
        (
            "审定等次",
            "本轮已审定优秀 1 人，共 2 人，优秀比例不得超过 20%（最多 1 人），不能再将“李明”审定为优秀",
        )
    ]
    assert status_text(page) == "已提出考核意见"
    page.form.set_value("approved_grade", "称职")
    click(qtbot, page, "approveButton")
    assert status_text(page) == "已审定" and len(errors) == 1


def test_returning_asks_for_the_reason_and_frees_the_grade(
    main_window: MainWindow,
    page: RecordPage[Any],
    filled: Filled,
    qtbot: QtBot,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(messages, "ask_text", lambda parent, title, label: "请补充工作实绩")
    as_user(main_window, page, filled.leader)
    click(qtbot, page, "recommendButton")
    as_user(main_window, page, filled.member)
    assert "已推荐的鉴定只能由组长或巡察办管理员退回" in page.action_button("returnButton").toolTip()
    as_user(main_window, page, OFFICE)
    click(qtbot, page, "returnButton")
    record = page.current_record()
    assert (record.status, record.approvals[-1]["step"], record.approvals[-1]["opinion"]) == (
        "待推荐",
        "退回",
        "请补充工作实绩",
    )
    assert page.form.widget_of("grade").isEnabled()


def test_the_office_sets_the_cap_and_a_wrong_value_is_named(
    main_window: MainWindow,
    page: RecordPage[Any],
    filled: Filled,
    qtbot: QtBot,
    monkeypatch: pytest.MonkeyPatch,
    errors: list[tuple[str, str]],
) -> None:
    as_user(main_window, page, filled.leader)
    assert page.action_button("excellentCapButton").isHidden()  # the office's setting
    asked: list[str] = []
    answers = iter(["三成", "30"])

    def answer(_parent: object, _title: str, label: str) -> str:
        asked.append(label)
        return next(answers)

    monkeypatch.setattr(messages, "ask_text", answer)
    as_user(main_window, page, OFFICE)
    click(qtbot, page, "excellentCapButton")
    assert errors == [("优秀比例设置", "优秀比例上限应为 0 至 100 之间的整数，“三成”不是")]
    click(qtbot, page, "excellentCapButton")
    assert load_excellent_cap(main_window.workspace) == 30
    assert "当前上限为 20%" in asked[0]
