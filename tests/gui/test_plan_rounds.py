"""巡察计划 → 轮次与巡察组, driven through the real window of an office workspace."""

from __future__ import annotations

import dataclasses
import time
from datetime import date

import pytest
from PySide6.QtCore import QDate
from PySide6.QtWidgets import QCheckBox, QComboBox, QDateEdit, QLabel, QLineEdit, QSpinBox
from pytestqt.qtbot import QtBot

from tests.gui import plan_helpers
from tests.gui.keys import type_text
from tests.gui.plan_helpers import fill, open_screen
from xuncha_desktop.domain.cadre_pool import Cadre
from xuncha_desktop.domain.organization import GroupMember, InspectionGroup, InspectionRound, TargetUnit
from xuncha_desktop.domain.party_organizations import PartyOrganization
from xuncha_desktop.domain.record_types import PARTY_ORGANIZATION
from xuncha_desktop.gui import messages
from xuncha_desktop.gui.main_window import PLAN_TITLE, MainWindow
from xuncha_desktop.gui.plan.rounds_screen import RoundsScreen
from xuncha_desktop.services.plan.cadre_pool import CadrePool
from xuncha_desktop.services.plan.plan_service import PlanService
from xuncha_desktop.services.security.audit_log import AuditLog
from xuncha_desktop.services.workspace import Workspace, new_id

office = plan_helpers.office  # the fixtures every plan test uses
office_window = plan_helpers.office_window


def _new_round(screen: RoundsScreen, name: str, start: QDate, end: QDate) -> None:
    screen.rounds.new_button.click()
    form = screen.rounds.form
    fill(form.find(QLineEdit, "nameEdit"), name)
    form.find(QComboBox, "kindCombo").setCurrentText("专项")
    form.find(QDateEdit, "startOnDate").setDate(start)
    form.find(QDateEdit, "endOnDate").setDate(end)


def test_a_field_workspace_has_no_plan_tab(main_window: MainWindow) -> None:
    titles = [main_window.tabs.tabText(i) for i in range(main_window.tabs.count())]
    assert PLAN_TITLE not in titles
    assert main_window.plan_area is None


def test_office_adds_a_round_with_errors_shown_at_the_field(office_window: MainWindow) -> None:
    screen = open_screen(office_window, "轮次与巡察组")
    _new_round(screen, "2025年第二轮巡察", QDate(2025, 5, 10), QDate(2025, 4, 1))
    screen.rounds.save_button.click()
    assert screen.rounds.form.error_text("end_on") == "结束日期不能早于开始日期"
    assert "有 1 处填写有误" in screen.rounds.error_text()
    assert PlanService(office_window.workspace).rounds() == []

    screen.rounds.form.find(QDateEdit, "endOnDate").setDate(QDate(2025, 6, 20))
    screen.rounds.save_button.click()
    assert screen.rounds.error_text() == ""
    assert screen.rounds.row_texts()[0][:2] == ["2025年第二轮巡察", "专项"]
    [stored] = PlanService(office_window.workspace).rounds()
    assert (stored.kind, stored.start_on, stored.end_on) == ("专项", date(2025, 5, 10), date(2025, 6, 20))
    # the context bar of the record tabs offers the new round at once
    bar = office_window.context_bar.round_combo
    assert "2025年第二轮巡察" in [bar.itemText(i) for i in range(bar.count())]

    # a second round of the same name: the plan's cross-record rule, at the name field
    _new_round(screen, "2025年第二轮巡察", QDate(2025, 9, 1), QDate(2025, 10, 1))
    screen.rounds.save_button.click()
    assert "已有名为“2025年第二轮巡察”的轮次" in screen.rounds.form.error_text("name")
    assert len(PlanService(office_window.workspace).rounds()) == 1


def test_groups_members_and_units_of_a_round(
    office_window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    ws = office_window.workspace
    plan = PlanService(ws)
    plan.save(InspectionRound(name="2025年第一轮巡察", year=2025, ordinal=1))
    screen = open_screen(office_window, "轮次与巡察组")
    assert screen.rounds.row_texts()[0][0] == "2025年第一轮巡察"

    screen.groups.new_button.click()
    fill(screen.groups.form.find(QLineEdit, "nameEdit"), "第一巡察组")
    screen.groups.save_button.click()
    screen.groups.new_button.click()
    fill(screen.groups.form.find(QLineEdit, "nameEdit"), "第一巡察组")
    screen.groups.save_button.click()
    assert "本轮已有名为“第一巡察组”的巡察组" in screen.groups.form.error_text("name")
    screen.groups.discard_changes()
    screen.groups.select_row(0)
    assert screen.groups.record.name == "第一巡察组"

    members = screen.members
    members.new_button.click()
    fill(members.form.find(QLineEdit, "nameEdit"), "张建国")
    members.form.find(QComboBox, "roleCombo").setCurrentText("组长")
    members.form.find(QComboBox, "staffingCombo").setCurrentText("专职")
    fill(members.form.find(QLineEdit, "homeUnitEdit"), "清河县委巡察办")
    fill(members.form.find(QLineEdit, "homePostEdit"), "副主任")
    members.save_button.click()
    assert members.row_texts() == [["张建国", "组长", "专职", "清河县委巡察办副主任"]]

    # a login for the member, typed on the member form; a login already taken is refused at the field
    fill(screen.login_box.login_edit, "巡察办管理员")
    screen.login_box.give_button.click()
    assert "已由" in screen.login_box.error_text()
    fill(screen.login_box.login_edit, "zhangjg")
    screen.login_box.give_button.click()
    assert plan.login_of(members.record.id) == "zhangjg"
    assert screen.login_box.login_edit.isReadOnly()

    screen.detail_tabs.setCurrentWidget(screen.targets)
    screen.targets.new_button.click()
    fill(screen.targets.form.find(QLineEdit, "nameEdit"), "清河县财政局党组")
    screen.targets.save_button.click()
    assert screen.targets.row_texts()[0][:2] == ["清河县财政局党组", "县直部门"]
    [unit] = plan.targets(screen.groups.record.id)
    assert unit.round_id == screen.rounds.record.id

    # retiring a group that still has members is refused with the reason; a unit goes to the recycle bin
    shown: list[str] = []
    monkeypatch.setattr(messages, "show_error", lambda _p, _t, text: shown.append(text))
    monkeypatch.setattr(messages, "confirm_delete", lambda _p, _what: True)
    screen.groups.retire_button.click()
    assert shown and "不能撤销巡察组“第一巡察组”" in shown[0]
    screen.targets.retire_button.click()
    assert screen.targets.row_texts() == []
    retired = screen.targets.findChild(QCheckBox, "showRetiredCheck")
    retired.setChecked(True)
    assert screen.targets.row_texts()[0][0] == "清河县财政局党组"
    screen.targets.restore_button.click()
    retired.setChecked(False)
    assert screen.targets.row_texts()[0][0] == "清河县财政局党组"
    audited = [(e.action, e.record_type) for e in AuditLog(ws).list()]
    assert ("delete", "target") in audited and ("restore", "target") in audited


def test_a_plan_written_elsewhere_shows_up(
    qtbot: QtBot, office_window: MainWindow, office: Workspace
) -> None:
    screen = open_screen(office_window, "轮次与巡察组")
    assert screen.rounds.row_texts() == []
    plan = PlanService(office)
    rnd = plan.save(InspectionRound(name="2024年第三轮巡察", year=2024, ordinal=3, kind="机动"))
    group = plan.save(InspectionGroup(round_id=rnd.id, ordinal=1, name="第一巡察组"))
    plan.save(GroupMember(group_id=group.id, name="李红梅", role="组员"))
    plan.save(TargetUnit(round_id=rnd.id, group_id=group.id, name="东坝镇党委", kind="乡镇(街道)"))
    qtbot.waitUntil(lambda: len(screen.rounds.row_texts()) == 1)
    assert screen.rounds.row_texts()[0][:2] == ["2024年第三轮巡察", "机动"]
    qtbot.waitUntil(lambda: screen.members.row_texts() != [])
    assert screen.members.row_texts()[0][0] == "李红梅"
    assert screen.targets.row_texts()[0][0] == "东坝镇党委"


def test_a_member_whose_cadre_left_the_pool_is_marked(qtbot: QtBot, office_window: MainWindow) -> None:
    ws = office_window.workspace
    plan = PlanService(ws)
    pool = CadrePool(ws)
    rnd = plan.save(InspectionRound(name="2025年第一轮巡察", year=2025, ordinal=1))
    group = plan.save(InspectionGroup(round_id=rnd.id, ordinal=1, name="第一巡察组"))
    leaving = pool.save(Cadre(name="钱伟", home_unit="县审计局"))
    staying = pool.save(Cadre(name="周敏", home_unit="县统计局"))
    plan.add_from_pool(group.id, leaving.id, role="组长", staffing="专职")
    plan.add_from_pool(group.id, staying.id)
    plan.save(GroupMember(group_id=group.id, name="吴刚", role="联络员"))
    pool.save(dataclasses.replace(pool.get(leaving.id), status="退出", status_reason="已退休"))
    screen = open_screen(office_window, "轮次与巡察组")
    members = screen.members
    assert [r[0] for r in members.row_texts()] == ["钱伟（退出）", "周敏", "吴刚"]
    members.select_row(0)
    cadre_label = members.form.find(QLabel, "cadreLabel")
    assert cadre_label.text() == "已关联人才库；人员状态为“退出”（已退休），请核实是否仍在组"
    members.select_row(1)
    assert cadre_label.text() == "已关联人才库，参加巡察的履历自动记入"


def test_the_unit_is_found_among_thousands_of_organizations_by_any_part_of_its_name(
    qtbot: QtBot, office_window: MainWindow
) -> None:
    ws = office_window.workspace
    kinds = ["县直部门", "乡镇(街道)", "村(社区)"]
    orgs = [PartyOrganization(id=new_id(), name=f"第{i:04d}村党支部", kind="村(社区)") for i in range(2998)]
    orgs += [
        PartyOrganization(id=new_id(), name="清河县财政局党组", kind=kinds[0]),
        PartyOrganization(id=new_id(), name="东坝镇财政所党支部", kind=kinds[1]),
    ]
    with ws.writing() as writer:  # in bulk, as the 名录 import does
        writer.write_new_many(PARTY_ORGANIZATION, orgs)
    plan = PlanService(ws)
    rnd = plan.save(InspectionRound(name="2025年第一轮巡察", year=2025, ordinal=1))
    plan.save(InspectionGroup(round_id=rnd.id, ordinal=1, name="第一巡察组"))
    screen = open_screen(office_window, "轮次与巡察组")
    screen.detail_tabs.setCurrentWidget(screen.targets)
    targets = screen.targets
    targets.new_button.click()
    search = screen.org_search
    assert "名录共 3000 个" in search.placeholderText()

    started = time.perf_counter()
    search.setFocus()
    type_text(search, "财政")
    qtbot.waitUntil(lambda: len(search.matches()) == 2)
    assert time.perf_counter() - started < 1.0
    assert search.matches() == ["东坝镇财政所党支部（乡镇(街道)）", "清河县财政局党组（县直部门）"]
    assert search.pick("东坝镇财政所党支部（乡镇(街道)）")
    form = targets.form
    assert form.find(QLineEdit, "nameEdit").text() == "东坝镇财政所党支部"
    assert form.find(QComboBox, "kindCombo").currentText() == "乡镇(街道)"
    assert form.find(QComboBox, "orgCombo").currentText() == "东坝镇财政所党支部（乡镇(街道)）"
    assert search.text() == ""
    targets.save_button.click()
    [unit] = plan.targets(targets.parent_id)
    assert (unit.name, unit.kind, unit.org_id != "") == ("东坝镇财政所党支部", "乡镇(街道)", True)


def test_a_follow_up_round_names_the_round_it_revisits(office_window: MainWindow) -> None:
    screen = open_screen(office_window, "轮次与巡察组")
    _new_round(screen, "2025年第一轮巡察", QDate(2025, 3, 1), QDate(2025, 4, 15))
    screen.rounds.save_button.click()
    [first] = PlanService(office_window.workspace).rounds()
    _new_round(screen, "2025年第二轮巡察", QDate(2025, 9, 1), QDate(2025, 10, 15))
    form = screen.rounds.form
    form.find(QComboBox, "kindCombo").setCurrentText("回头看")
    screen.rounds.save_button.click()
    assert form.error_text("earlier_round_id") == "回头看轮次须指明所针对的前一轮巡察"
    combo = form.find(QComboBox, "earlierRoundCombo")
    assert [combo.itemText(i) for i in range(combo.count())] == ["", "2025年第一轮巡察"]
    combo.setCurrentText("2025年第一轮巡察")
    screen.rounds.save_button.click()
    assert screen.rounds.error_text() == ""
    follow_up = next(r for r in PlanService(office_window.workspace).rounds() if r.kind == "回头看")
    assert follow_up.earlier_round_id == first.id


def test_a_group_and_a_unit_record_the_counts_of_their_work(qtbot: QtBot, office_window: MainWindow) -> None:
    """专题报告、意见建议 of a group and 调阅资料、走访核查、测评问卷 at a unit (the statistics' inputs)."""
    ws = office_window.workspace
    plan = PlanService(ws)
    rnd = plan.save(InspectionRound(name="2025年第一轮巡察", year=2025, ordinal=1))
    group = plan.save(InspectionGroup(round_id=rnd.id, ordinal=1, name="第一巡察组"))
    plan.save(TargetUnit(round_id=rnd.id, group_id=group.id, name="清河县财政局党组"))
    screen = open_screen(office_window, "轮次与巡察组")
    groups = screen.groups
    groups.select_row(0)
    name_edit = groups.form.find(QLineEdit, "nameEdit")
    for spin_name, typed in (("specialReportsSpin", "3"), ("recommendationsSpin", "12")):
        spin = groups.form.find(QSpinBox, spin_name)
        qtbot.waitUntil(lambda s=spin: s.width() < name_edit.width() / 2)  # a count, not a line of text
        fill(spin, typed)
    groups.save_button.click()
    assert groups.error_text() == ""
    stored = plan.groups(rnd.id)[0]
    assert (stored.special_reports, stored.recommendations) == (3, 12)

    screen.detail_tabs.setCurrentWidget(screen.targets)
    targets = screen.targets
    qtbot.waitUntil(lambda: targets.row_texts() != [])
    targets.select_row(0)
    unit_name = targets.form.find(QLineEdit, "nameEdit")
    typed = {"filesReadSpin": "85", "siteVisitsSpin": "6", "questionnairesSpin": "1260"}
    for spin_name, text in typed.items():
        spin = targets.form.find(QSpinBox, spin_name)
        qtbot.waitUntil(lambda s=spin: s.width() < unit_name.width() / 2)
        fill(spin, text)
    targets.save_button.click()
    assert targets.error_text() == ""
    [unit] = plan.targets(group.id)
    assert (unit.files_read, unit.site_visits, unit.questionnaires) == (85, 6, 1260)
    assert unit.name == "清河县财政局党组"

    # shown again when the unit is selected anew
    targets.select_row(0)
    assert targets.form.find(QSpinBox, "questionnairesSpin").value() == 1260
