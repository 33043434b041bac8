"""问题底稿: the statistics inputs of issue #14 (问题严重程度, 挽回经济损失) typed on the form and saved."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDoubleSpinBox,
    QGroupBox,
    QLineEdit,
    QPushButton,
    QTabWidget,
    QWidget,
)
from pytestqt.qtbot import QtBot

from tests.gui.conftest import Filled
from tests.gui.keys import type_text
from tests.gui.plan_helpers import fill
from xuncha_desktop.gui.main_window import MainWindow
from xuncha_desktop.gui.pages.record_page import RecordPage
from xuncha_desktop.gui.pages.registry import PAGE_SPECS


def _draft_page(window: MainWindow) -> RecordPage[Any]:
    spec = next(s for s in PAGE_SPECS if s.title == "问题底稿")
    page = window.page(spec.title)
    window.show_page(page)
    return page


def _tab_of(page: RecordPage[Any], widget: QWidget) -> str:
    tabs = page.form.find(QTabWidget, "formTabs")
    for i in range(tabs.count()):
        if tabs.widget(i).isAncestorOf(widget):
            return tabs.tabText(i)
    return ""


def test_severity_and_amount_recovered_are_typed_and_saved(
    main_window: MainWindow, filled: Filled, qtbot: QtBot
) -> None:
    page = _draft_page(main_window)
    page.new_record()
    page.form.set_value("target_id", filled.ctx.target.id)
    page.form.set_value("category_l1", "B2")
    page.form.set_value("description", "2024年以加班补助名义发放津贴。")
    title = page.form.find(QLineEdit, "titleEdit")
    type_text(title, "违规发放津贴补贴")

    severity = page.form.find(QComboBox, "severityCombo")
    # beside 问题类别 in the 问题分类 box; blank (not yet judged) first, then the three grades
    box = page.form.find(QGroupBox, "categoryGroup")
    assert box.isAncestorOf(severity) and box.isAncestorOf(page.form.find(QComboBox, "categoryL1Combo"))
    assert [severity.itemText(i) for i in range(severity.count())] == ["", "一般", "较重", "重大"]
    assert page.form.value("severity") == ""
    severity.setCurrentIndex(severity.findText("较重"))

    amount = page.form.find(QDoubleSpinBox, "amountSpin")
    recovered = page.form.find(QDoubleSpinBox, "amountRecoveredSpin")
    assert _tab_of(page, recovered) == _tab_of(page, amount) == "佐证与责任"
    assert recovered.suffix() == amount.suffix() == " 元"
    fill(amount, "180000")
    fill(recovered, "126500.5")
    assert recovered.value() == 126500.5

    with qtbot.waitSignal(page.record_saved):
        qtbot.mouseClick(page.findChild(QPushButton, "saveButton"), Qt.MouseButton.LeftButton)
    assert page.form_error_text() == ""
    saved = page.current_record()
    assert saved is not None
    stored = page.spec.service(main_window.workspace).get(saved.id)
    assert stored.severity == "较重"
    assert stored.amount_yuan == Decimal("180000.00")
    assert stored.amount_recovered_yuan == Decimal("126500.50")

    # shown again when the record is opened anew
    page.new_record()
    page.show_record(stored.id)
    assert severity.currentText() == "较重"
    assert recovered.text() == "126,500.50 元"
