"""巡察计划 → 党组织名录: adding organizations, the kind and 已巡察/未巡察 filters, the 全覆盖 figures."""

from __future__ import annotations

from PySide6.QtWidgets import QCheckBox, QComboBox, QLineEdit
from pytestqt.qtbot import QtBot

from tests.gui import plan_helpers
from tests.gui.plan_helpers import fill, open_screen
from xuncha_desktop.domain.organization import InspectionGroup, InspectionRound, TargetUnit
from xuncha_desktop.domain.party_organizations import PartyOrganization
from xuncha_desktop.domain.record_types import PARTY_ORGANIZATION
from xuncha_desktop.gui.main_window import MainWindow
from xuncha_desktop.services.plan.plan_service import PlanService
from xuncha_desktop.services.records.record_service import RecordService

office = plan_helpers.office  # the fixtures every plan test uses
office_window = plan_helpers.office_window


def _add(screen: object, name: str, kind: str) -> None:
    editor = screen.editor  # type: ignore[attr-defined]
    editor.new_button.click()
    fill(editor.form.find(QLineEdit, "nameEdit"), name)
    editor.form.find(QComboBox, "kindCombo").setCurrentText(kind)
    editor.save_button.click()


def test_organizations_filters_and_coverage(qtbot: QtBot, office_window: MainWindow) -> None:
    ws = office_window.workspace
    screen = open_screen(office_window, "党组织名录")
    _add(screen, "清河县财政局党组", "县直部门")
    _add(screen, "清河县教育局党组", "县直部门")
    _add(screen, "东坝镇党委", "乡镇(街道)")
    assert [r[0] for r in screen.editor.row_texts()] == ["东坝镇党委", "清河县教育局党组", "清河县财政局党组"]
    assert screen.figure("合计", "总数") == "3"
    assert screen.figure("合计", "覆盖率") == "0.0%"

    # a round inspects one of them, linked to the master list: the figures and the list follow
    orgs = {o.name: o for o in RecordService[PartyOrganization](ws, PARTY_ORGANIZATION).list()}
    plan = PlanService(ws)
    rnd = plan.save(InspectionRound(name="2025年第一轮巡察", year=2025, ordinal=1, kind="常规"))
    group = plan.save(InspectionGroup(round_id=rnd.id, ordinal=1, name="第一巡察组"))
    finance = orgs["清河县财政局党组"]
    plan.save(
        TargetUnit(round_id=rnd.id, group_id=group.id, name=finance.name, kind="县直部门", org_id=finance.id)
    )
    qtbot.waitUntil(lambda: screen.figure("县直部门", "已巡察") == "1")
    assert (screen.figure("县直部门", "总数"), screen.figure("县直部门", "覆盖率")) == ("2", "50.0%")
    assert (screen.figure("合计", "已巡察"), screen.figure("合计", "未巡察")) == ("1", "2")
    assert screen.figure("乡镇(街道)", "覆盖率") == "0.0%"

    screen.inspected_combo.setCurrentText("已巡察")
    assert screen.editor.row_texts() == [["清河县财政局党组", "县直部门", "2025年第一轮巡察（常规）"]]
    assert screen.inspection_rows() == [["2025年第一轮巡察", "常规", "2025"]]
    screen.inspected_combo.setCurrentText("未巡察")
    assert [r[0] for r in screen.editor.row_texts()] == ["东坝镇党委", "清河县教育局党组"]
    screen.kind_combo.setCurrentText("乡镇(街道)")
    assert [r[0] for r in screen.editor.row_texts()] == ["东坝镇党委"]

    # the term: rounds of other years do not count
    screen.from_spin.setValue(2026)
    screen.to_spin.setValue(2030)
    qtbot.waitUntil(lambda: screen.figure("合计", "已巡察") == "0")


def test_a_dissolved_organization_needs_its_reason_at_the_field(office_window: MainWindow) -> None:
    screen = open_screen(office_window, "党组织名录")
    _add(screen, "西营乡党委", "乡镇(街道)")
    form = screen.editor.form
    form.find(QCheckBox, "activeCheck").setChecked(False)
    screen.editor.save_button.click()
    assert "请填写撤并说明" in form.error_text("retired_reason")
    fill(form.find(QLineEdit, "retiredReasonEdit"), "2024年并入东坝镇")
    screen.editor.save_button.click()
    assert screen.editor.error_text() == ""
    assert screen.editor.row_texts() == [["西营乡党委", "乡镇(街道)", "已撤并"]]
    assert screen.figure("合计", "总数") == "0"  # only organizations that still exist count
