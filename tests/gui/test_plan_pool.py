"""巡察计划 → 人才库: the cadre form, the filters, 加入巡察组 with the 回避 warning, the history table."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QCheckBox, QComboBox, QLabel, QLineEdit, QPlainTextEdit
from pytestqt.qtbot import QtBot

from tests.builders import Context, appraisal
from tests.gui import plan_helpers
from tests.gui.dialogs import DialogScript
from tests.gui.keys import type_text
from tests.gui.plan_helpers import fill, open_screen, settle
from xuncha_desktop.domain.cadre_pool import Cadre
from xuncha_desktop.domain.organization import InspectionGroup, InspectionRound, TargetUnit
from xuncha_desktop.domain.personnel_evaluations import MemberAppraisal
from xuncha_desktop.domain.record_types import APPRAISAL
from xuncha_desktop.gui import messages
from xuncha_desktop.gui.main_window import MainWindow
from xuncha_desktop.gui.plan import plan_editor
from xuncha_desktop.gui.plan.avoidance_dialog import AvoidanceDialog
from xuncha_desktop.gui.plan.join_dialog import JoinDialog
from xuncha_desktop.services.plan.cadre_pool import CadrePool
from xuncha_desktop.services.plan.plan_service import PlanService
from xuncha_desktop.services.records.record_service import RecordService
from xuncha_desktop.services.security.audit_log import AuditLog

office = plan_helpers.office  # the fixtures every plan test uses
office_window = plan_helpers.office_window


def _round(plan: PlanService, name: str, year: int, unit: str) -> tuple[InspectionRound, InspectionGroup]:
    rnd = plan.save(InspectionRound(name=name, year=year, ordinal=1))
    group = plan.save(InspectionGroup(round_id=rnd.id, ordinal=1, name="第一巡察组"))
    plan.save(TargetUnit(round_id=rnd.id, group_id=group.id, name=unit, kind="县直部门"))
    return rnd, group


def test_a_new_cadre_with_errors_at_the_field(qtbot: QtBot, office_window: MainWindow) -> None:
    screen = open_screen(office_window, "人才库")
    editor = screen.editor
    settle(qtbot, editor)
    editor.new_button.click()
    form = editor.form
    fill(form.find(QLineEdit, "nameEdit"), "王志强")
    fill(form.find(QLineEdit, "homeUnitEdit"), "清河县审计局")
    fill(form.find(QLineEdit, "homePostEdit"), "副局长")
    earlier = form.find(QPlainTextEdit, "earlierUnitsText")
    earlier.setFocus()
    type_text(earlier, "清河县财政局")
    qtbot.keyClick(earlier, Qt.Key.Key_Return)
    type_text(earlier, "东坝镇人民政府")
    form.find(QCheckBox, "specialitiesGrid_0").setChecked(True)  # 财务
    form.find(QCheckBox, "specialitiesGrid_1").setChecked(True)  # 审计
    form.find(QComboBox, "statusCombo").setCurrentText("暂停")
    editor.save_button.click()
    assert "请填写状态说明" in form.error_text("status_reason")
    fill(form.find(QLineEdit, "statusReasonEdit"), "借调省纪委")
    editor.save_button.click()
    settle(qtbot, editor)
    assert editor.error_text() == ""
    [entry] = CadrePool(office_window.workspace).find()
    assert entry.cadre.earlier_units == ["清河县财政局", "东坝镇人民政府"]
    assert entry.cadre.specialities == ["财务", "审计"]
    assert editor.row_texts()[0][:5] == ["王志强", "清河县审计局", "副局长", "财务、审计", "暂停"]


def test_filters_by_speciality_status_and_times_served(qtbot: QtBot, office_window: MainWindow) -> None:
    ws = office_window.workspace
    pool, plan = CadrePool(ws), PlanService(ws)
    a = pool.save(Cadre(name="李红梅", home_unit="县委组织部", specialities=["组织人事"]))
    pool.save(Cadre(name="刘芳", home_unit="县信访局", specialities=["信访"]))
    pool.save(
        Cadre(name="陈卫东", home_unit="县司法局", specialities=["法律"], status="退出", status_reason="退休")
    )
    _rnd, group = _round(plan, "2025年第一轮巡察", 2025, "清河县财政局党组")
    plan.add_from_pool(group.id, a.id)
    screen = open_screen(office_window, "人才库")
    settle(qtbot, screen.editor)
    names = lambda: [row[0] for row in screen.editor.row_texts()]  # noqa: E731
    assert names() == sorted(["李红梅", "刘芳", "陈卫东"])
    screen.speciality_combo.setCurrentText("信访")
    settle(qtbot, screen.editor)
    assert names() == ["刘芳"]
    screen.speciality_combo.setCurrentIndex(0)
    screen.status_combo.setCurrentText("在库")
    settle(qtbot, screen.editor)
    assert sorted(names()) == sorted(["李红梅", "刘芳"])
    screen.min_spin.setValue(1)
    qtbot.waitUntil(lambda: names() == ["李红梅"], timeout=3000)
    screen.min_spin.setValue(-1)
    screen.max_spin.setValue(0)
    qtbot.waitUntil(lambda: names() == ["刘芳"], timeout=3000)
    screen.max_spin.setValue(-1)
    fill(screen.text_edit, "组织部")
    qtbot.waitUntil(lambda: names() == ["李红梅"], timeout=3000)


def _join(round_name: str, role: str = "组员") -> Any:
    def answer(dialog: JoinDialog) -> bool:
        dialog.choose(round_name, "第一巡察组", role)
        return True

    return answer


def test_joining_a_group_warns_of_avoidance_and_needs_a_reason(
    qtbot: QtBot, office_window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    ws = office_window.workspace
    plan = PlanService(ws)
    cadre = CadrePool(ws).save(Cadre(name="赵丽娟", home_unit="清河县住建局", earlier_units=["清河县财政局"]))
    _rnd, group = _round(plan, "2025年第一轮巡察", 2025, "清河县财政局党组")
    screen = open_screen(office_window, "人才库")
    settle(qtbot, screen.editor)
    assert screen.editor.record.name == "赵丽娟"

    def decline(dialog: AvoidanceDialog) -> bool:
        assert dialog.conflicts() == [
            "赵丽娟曾在“清河县财政局”工作，与被巡察单位“清河县财政局党组”相同或隶属"
        ]
        assert not dialog.override_button.isEnabled()  # no reason typed: it cannot be confirmed
        return False

    script = DialogScript(_join("2025年第一轮巡察"), decline)
    monkeypatch.setattr(messages, "exec_dialog", script)
    screen.join_button.click()
    assert [type(d) for d in script.dialogs] == [JoinDialog, AvoidanceDialog]
    assert plan.members(group.id) == []  # declined: nothing saved

    def give_reason(dialog: AvoidanceDialog) -> bool:
        dialog.reason_edit.setFocus()
        type_text(dialog.reason_edit, "调离财政局已满五年，经领导小组同意")
        assert dialog.override_button.isEnabled()
        return True

    monkeypatch.setattr(
        messages, "exec_dialog", DialogScript(_join("2025年第一轮巡察", "副组长"), give_reason)
    )
    screen.join_button.click()
    [member] = plan.members(group.id)
    assert (member.cadre_id, member.role) == (cadre.id, "副组长")
    assert member.avoidance_override == "调离财政局已满五年，经领导小组同意"
    assert "avoidance_override" in [e.action for e in AuditLog(ws).list()]
    assert screen.history_rows()[0][:5] == ["2025年第一轮巡察", "2025", "常规", "第一巡察组", "副组长"]


def test_history_after_two_rounds(
    qtbot: QtBot, office_window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    ws = office_window.workspace
    plan = PlanService(ws)
    cadre = CadrePool(ws).save(Cadre(name="孙海涛", home_unit="县信访局", specialities=["信访"]))
    first, g1 = _round(plan, "2024年第一轮巡察", 2024, "东坝镇党委")
    _round(plan, "2025年第一轮巡察", 2025, "西营乡党委")
    member = plan.add_from_pool(g1.id, cadre.id, role="组长", staffing="专职")
    [unit] = plan.targets(g1.id)
    RecordService[MemberAppraisal](ws, APPRAISAL).save(
        appraisal(
            Context(first, g1, unit),
            member_id=member.id,
            name="孙海涛",
            grade="优秀",
            status="已审定",
            approved_grade="优秀",
            office_opinion="同意",
        )
    )
    screen = open_screen(office_window, "人才库")
    settle(qtbot, screen.editor)
    assert screen.history_rows() == [
        ["2024年第一轮巡察", "2024", "常规", "第一巡察组", "组长", "专职", "优秀"]
    ]
    monkeypatch.setattr(messages, "exec_dialog", DialogScript(_join("2025年第一轮巡察")))
    screen.join_button.click()
    settle(qtbot, screen.editor)
    rows = screen.history_rows()
    assert [r[0] for r in rows] == ["2024年第一轮巡察", "2025年第一轮巡察"]
    assert [(r[4], r[6]) for r in rows] == [("组长", "优秀"), ("组员", "—")]
    assert "共参加巡察 2 次" in screen.history_summary.text()
    assert screen.editor.row_texts()[0][5:] == ["2", "2025年第一轮巡察"]


def test_the_pool_lists_a_page_at_a_time_with_the_count(
    qtbot: QtBot, office_window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(plan_editor, "PAGE_SIZE", 2)
    pool = CadrePool(office_window.workspace)
    names = ["陈一", "陈二", "陈三", "陈四", "陈五"]
    for name in names:
        pool.save(Cadre(name=name, home_unit="县审计局", specialities=["审计"], earlier_units=["县财政局"]))
    pages: list[tuple[int, int | None]] = []
    read = CadrePool.rows

    def rows(self: CadrePool, query: Any = None, *, offset: int = 0, limit: int | None = None) -> Any:
        pages.append((offset, limit))
        return read(self, query, offset=offset, limit=limit)

    monkeypatch.setattr(CadrePool, "rows", rows)
    screen = open_screen(office_window, "人才库")
    editor = screen.editor
    settle(qtbot, editor)
    assert editor.count_text() == "（共 5 项）"
    editor.table.scrollToBottom()
    qtbot.waitUntil(lambda: len(editor.row_texts()) == 5)
    assert [r[0] for r in editor.row_texts()] == sorted(names)
    assert pages == [(0, 2), (2, 2), (4, 2)]  # a page at a time, never the whole pool
    editor.select_row(4)
    assert editor.record.name == sorted(names)[4]
    assert editor.record.earlier_units == ["县财政局"]  # the whole entry of the selected one
    screen.status_combo.setCurrentText("暂停")
    settle(qtbot, editor)
    assert editor.count_text() == "（共 0 项）" and editor.row_texts() == []


def test_editing_a_serving_cadres_unit_asks_for_the_avoidance_reason(
    qtbot: QtBot, office_window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    ws = office_window.workspace
    plan = PlanService(ws)
    cadre = CadrePool(ws).save(Cadre(name="赵丽娟", home_unit="清河县住建局"))
    _rnd, group = _round(plan, "2025年第一轮巡察", 2025, "清河县财政局")
    member = plan.add_from_pool(group.id, cadre.id)
    screen = open_screen(office_window, "人才库")
    editor = screen.editor
    settle(qtbot, editor)
    form = editor.form
    fill(form.find(QLineEdit, "homeUnitEdit"), "清河县财政局")

    def decline(dialog: AvoidanceDialog) -> bool:
        assert dialog.conflicts() == ["赵丽娟现工作单位“清河县财政局”与被巡察单位“清河县财政局”相同或隶属"]
        return False

    monkeypatch.setattr(messages, "exec_dialog", DialogScript(decline))
    editor.save_button.click()
    assert CadrePool(ws).get(cadre.id).home_unit == "清河县住建局"  # declined: nothing saved
    assert editor.is_dirty()

    def give_reason(dialog: AvoidanceDialog) -> bool:
        dialog.reason_edit.setFocus()
        type_text(dialog.reason_edit, "巡察期间调入，经领导小组同意继续在组")
        return True

    monkeypatch.setattr(messages, "exec_dialog", DialogScript(give_reason))
    editor.save_button.click()
    assert not editor.is_dirty()
    assert CadrePool(ws).get(cadre.id).home_unit == "清河县财政局"
    [stored] = plan.members(group.id)
    assert stored.id == member.id
    assert stored.avoidance_override == "巡察期间调入，经领导小组同意继续在组"


@pytest.mark.parametrize("status", ["暂停", "退出"])
def test_a_cadre_not_in_the_pool_is_not_offered_for_a_group(
    qtbot: QtBot, office_window: MainWindow, status: str
) -> None:
    pool = CadrePool(office_window.workspace)
    pool.save(Cadre(name="钱伟", home_unit="县审计局", status=status, status_reason="已退休"))
    pool.save(Cadre(name="周敏", home_unit="县审计局"))
    screen = open_screen(office_window, "人才库")
    editor = screen.editor
    settle(qtbot, editor)
    assert [r[0] for r in editor.row_texts()] == ["周敏", "钱伟"]
    assert screen.join_button.isEnabled()
    editor.select_row(1)
    assert editor.record.name == "钱伟"
    assert not screen.join_button.isEnabled()
    assert screen.join_button.toolTip() == f"此人状态为“{status}”（已退休），只有“在库”人员才能选入巡察组"
    editor.select_row(0)
    assert screen.join_button.isEnabled()


def test_a_saved_cadre_stays_selected_on_a_later_page_or_is_said_hidden_by_the_filter(
    qtbot: QtBot, office_window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(plan_editor, "PAGE_SIZE", 25)
    pool = CadrePool(office_window.workspace)
    for i in range(100):
        pool.save(Cadre(name=f"陈{i:03d}", home_unit="县审计局"))
    screen = open_screen(office_window, "人才库")
    editor = screen.editor
    settle(qtbot, editor)
    assert len(editor.row_texts()) < 100  # not every page read
    form = editor.form

    # a new cadre sorting onto the third page: the pages up to it are read and its row is selected
    editor.new_button.click()
    fill(form.find(QLineEdit, "nameEdit"), "陈六")  # after 陈099
    fill(form.find(QLineEdit, "homeUnitEdit"), "县统计局")
    editor.save_button.click()
    settle(qtbot, editor)
    qtbot.waitUntil(lambda: bool(editor.table.selectionModel().selectedRows()))
    [selected] = editor.table.selectionModel().selectedRows()
    assert editor.row_texts()[selected.row()][0] == "陈六"
    assert editor.record.name == "陈六" and editor.heading_text() == "陈六（县统计局）"

    # a filter the saved cadre does not match: the form keeps it and the list says why it is not there
    screen.text_edit.setText("陈")
    screen.apply_filters()
    settle(qtbot, editor)
    editor.new_button.click()
    fill(form.find(QLineEdit, "nameEdit"), "王五")
    editor.save_button.click()
    settle(qtbot, editor)
    assert editor.record.name == "王五" and editor.heading_text() == "王五"
    assert not editor.table.selectionModel().selectedRows()
    hint = editor.findChild(QLabel, "hintLabel")
    assert hint.isVisible() and "人员“王五”不符合当前筛选条件，列表中未显示" in hint.text()
    screen.refresh()  # a later re-read (a change elsewhere) keeps both
    settle(qtbot, editor)
    assert editor.record.name == "王五" and hint.isVisible()
    assert editor.row_texts()[0][0] == "陈000"
    editor.select_row(0)
    assert editor.record.name == "陈000" and hint.isHidden()
