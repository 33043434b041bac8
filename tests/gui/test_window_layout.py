"""The window on the screens groups carry (1366×768) and the office's (1920×1080): every form's main fields
without scrolling, list and form sharing the width, the window's size and dividers remembered, Qt's own
texts and dates in Chinese, wrong fields counted in the tab headers, and what a new record starts with."""

from __future__ import annotations

import dataclasses
import re
import sys
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path
from xml.etree import ElementTree

import pytest
from PySide6.QtCore import QCoreApplication, QDate, QLocale, QPoint, QRect, QSettings
from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import (
    QApplication,
    QDateEdit,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFileDialog,
    QLabel,
    QLineEdit,
    QScrollArea,
    QSpinBox,
    QSplitter,
    QTabWidget,
    QWidget,
)
from pytestqt.qtbot import QtBot

from tests.builders import PASSPHRASE
from tests.gui.conftest import Filled
from xuncha_desktop.domain.organization import GroupMember, InspectionRound, User
from xuncha_desktop.domain.record_types import ROUND
from xuncha_desktop.gui.appearance import install_font, install_translations, prefer_chinese_system_dates
from xuncha_desktop.gui.main_window import MainWindow
from xuncha_desktop.gui.pages import date_edits
from xuncha_desktop.gui.pages.choices import Choices
from xuncha_desktop.gui.pages.new_record_defaults import day_in_round, signed_in_name
from xuncha_desktop.gui.pages.record_page import RecordPage
from xuncha_desktop.paths import resource_path
from xuncha_desktop.services.records.record_service import RecordService
from xuncha_desktop.services.workspace import Workspace

RECORD_PAGES = ("个别谈话记录", "问题底稿", "问题线索登记", "信访件登记", "领导干部画像", "巡察干部鉴定")
SCREENS = {"1366×768": (1366, 768), "1920×1080": (1920, 1080)}
RECORD_FORMS = (
    "interview_record_form.ui",
    "issue_draft_form.ui",
    "lead_registration_form.ui",
    "petition_form.ui",
    "personnel_evaluation_form.ui",
    "member_appraisal_form.ui",
)


def _sized(window: MainWindow, qtbot: QtBot, size: tuple[int, int]) -> None:
    window.resize(*size)
    qtbot.waitUntil(lambda: (window.width(), window.height()) == size)
    QApplication.processEvents()


def _form_tabs(page: RecordPage) -> QTabWidget:
    tabs = page.form.widget.findChild(QTabWidget, "formTabs")
    assert tabs is not None
    return tabs


def _main_fields(page: RecordPage) -> list[QWidget]:
    """The bound fields on the form's first tab (基本信息, 登记 …): what a person fills in first."""
    first = _form_tabs(page).widget(0)
    found = [page.form.widget_of(b.field) for b in page.form.bindings]
    return [w for w in found if first.isAncestorOf(w) and not w.isHidden()]


def _hidden_parts(page: RecordPage, fields: list[QWidget]) -> list[str]:
    """The fields not wholly inside the form's scroll area as it is shown (nothing scrolled)."""
    area = page.findChild(QScrollArea, "formArea")
    assert area is not None and area.verticalScrollBar().value() == 0
    viewport = area.viewport()
    outside = []
    for widget in fields:
        top_left = widget.mapTo(viewport, QPoint(0, 0))
        if not viewport.rect().contains(QRect(top_left, widget.size())):
            outside.append(widget.objectName())
    return outside


@pytest.mark.parametrize("screen", list(SCREENS))
def test_every_forms_main_fields_are_visible_without_scrolling(
    main_window: MainWindow, qtbot: QtBot, screen: str
) -> None:
    _sized(main_window, qtbot, SCREENS[screen])
    for title in RECORD_PAGES:
        page = main_window.page(title)
        main_window.show_page(page)
        QApplication.processEvents()
        for shown in (page.record, None):  # a stored record, then a new one
            if shown is None:
                page.new_record()
                QApplication.processEvents()
            fields = _main_fields(page)
            assert len(fields) >= 6, title
            assert _hidden_parts(page, fields) == [], f"{title}（{screen}）"


@pytest.mark.parametrize("screen", list(SCREENS))
def test_links_and_attachments_are_tabs_of_the_form_not_a_pane_under_it(
    main_window: MainWindow, qtbot: QtBot, screen: str
) -> None:
    _sized(main_window, qtbot, SCREENS[screen])
    page = main_window.page("个别谈话记录")
    titles = [_form_tabs(page).tabText(i) for i in range(_form_tabs(page).count())]
    assert titles[:4] == ["基本信息", "谈话内容", "问题与评价", "页数与签字"]
    assert re.fullmatch(r"关联记录（\d+）", titles[4]) and re.fullmatch(r"附件（\d+）", titles[5])
    side = page.findChild(QTabWidget, "sideTabs")
    assert side is not None and side.isHidden()
    area = page.findChild(QScrollArea, "formArea")
    detail = page.findChild(QSplitter, "detailSplitter")
    assert area is not None and detail is not None
    assert area.height() >= detail.height() - 2  # the form has the whole height


def test_list_and_form_share_the_width_and_a_wider_screen_widens_the_list(
    main_window: MainWindow, qtbot: QtBot
) -> None:
    widths = {}
    for screen, size in SCREENS.items():
        _sized(main_window, qtbot, size)
        page = main_window.page("问题底稿")
        main_window.show_page(page)
        QApplication.processEvents()
        splitter = page.findChild(QSplitter, "pageSplitter")
        assert splitter is not None
        listed, form = splitter.sizes()
        share = listed / (listed + form)
        assert 0.37 <= share <= 0.46, (screen, listed, form)
        assert form >= page.form.widget.sizeHint().width() * 0.9  # the form's two columns fit
        widths[screen] = listed
    assert widths["1920×1080"] > widths["1366×768"] + 200


def test_number_boxes_do_not_stretch_across_the_form(main_window: MainWindow, qtbot: QtBot) -> None:
    _sized(main_window, qtbot, SCREENS["1920×1080"])
    page = main_window.page("问题底稿")
    boxes = [w for w in page.form.widget.findChildren(QDoubleSpinBox)]
    assert {b.objectName() for b in boxes} >= {"amountSpin", "amountRecoveredSpin"}
    line = page.form.widget_of("title")
    for box in boxes:
        assert box.maximumWidth() < line.width() / 3
    pages = main_window.page("个别谈话记录").form.widget.findChild(QSpinBox, "pageCountSpin")
    assert pages is not None and pages.maximumWidth() < 250


# -- the window's size and dividers --------------------------------------------------------------------
def test_the_window_opens_maximised_first_then_as_it_was_left(
    qtbot: QtBot, filled_workspace: Workspace, ui_settings: QSettings
) -> None:
    first = MainWindow(filled_workspace, settings=ui_settings, recover=False)
    qtbot.addWidget(first)
    first.show_remembered()
    qtbot.waitExposed(first)
    assert first.isMaximized()
    first.showNormal()
    first.resize(700, 500)
    qtbot.waitUntil(lambda: (first.width(), first.height()) == (700, 500))
    drafts = first.page("问题底稿")
    first.show_page(drafts)
    splitter = drafts.findChild(QSplitter, "pageSplitter")
    assert splitter is not None
    total = sum(splitter.sizes())
    splitter.setSizes([250, total - 250])  # as the person dragged it
    first.close()  # keeps geometry and dividers, and closes the workspace
    with Workspace.open(filled_workspace.path, PASSPHRASE) as again:
        second = MainWindow(again, settings=ui_settings, recover=False)
        qtbot.addWidget(second)
        second.show_remembered()
        qtbot.waitExposed(second)
        assert not second.isMaximized()
        assert (second.width(), second.height()) == (700, 500)
        page = second.page("问题底稿")
        second.show_page(page)
        QApplication.processEvents()
        restored = page.findChild(QSplitter, "pageSplitter")
        # The divider comes back where it was (Qt shares a few pixels of the window's frame out again).
        assert restored is not None and abs(restored.sizes()[0] - 250) <= 15
        second.showMaximized()
        second.close()
    with Workspace.open(filled_workspace.path, PASSPHRASE) as third_ws:
        third = MainWindow(third_ws, settings=ui_settings, recover=False)
        qtbot.addWidget(third)
        third.show_remembered()
        qtbot.waitExposed(third)
        assert third.isMaximized()  # left maximised, opens maximised
        third.close()


# -- Qt's own texts and dates ---------------------------------------------------------------------------
def test_the_application_font_writes_chinese(qapp: QApplication) -> None:
    """A usual Chinese UI font when one is installed, else the bundled one (registered only then)."""
    before = qapp.font()
    try:
        family = install_font(qapp)
        assert family == qapp.font().family()
        assert QFontDatabase.WritingSystem.SimplifiedChinese in QFontDatabase.writingSystems(family)
    finally:
        qapp.setFont(before)  # the other tests keep the font they were written with


@pytest.fixture
def chinese_qt(qapp: QApplication) -> Iterator[list[str]]:
    """The program's translations and locale, taken away again (other tests run in the C locale)."""
    before = QLocale()
    loaded = install_translations(qapp)
    yield loaded
    from PySide6.QtCore import QTranslator

    for translator in qapp.findChildren(QTranslator):
        qapp.removeTranslator(translator)
        translator.deleteLater()
    QLocale.setDefault(before)


def test_qt_dialogs_buttons_and_dates_are_in_chinese(chinese_qt: list[str], qtbot: QtBot) -> None:
    assert chinese_qt == ["qtbase"]
    buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Open | QDialogButtonBox.StandardButton.Cancel)
    qtbot.addWidget(buttons)
    assert sorted(b.text() for b in buttons.buttons()) == sorted(["打开", "取消"])
    assert QCoreApplication.translate("QFileDialog", "Look in:") == "查找范围："
    assert QCoreApplication.translate("QFileDialog", "Files of type:") == "文件类型："
    dialog = QFileDialog(None, "选择附件")
    qtbot.addWidget(dialog)
    dialog.setOption(QFileDialog.Option.DontUseNativeDialog)  # Qt's own dialog, as on Linux desktops
    labels = {label.objectName(): label.text() for label in dialog.findChildren(QLabel)}
    # Qt 6.9+ added mnemonics to these two that its catalogue lacks: the program supplies them (6.8: none)
    assert re.fullmatch(r"查找范围(\(&L\))?：", labels["lookInLabel"])
    assert re.fullmatch(r"文件类型(\(&T\))?：", labels["fileTypeLabel"])
    assert labels["fileNameLabel"] == "文件名称(&N)："
    line = QLineEdit()
    qtbot.addWidget(line)
    menu = line.createStandardContextMenu()
    assert [a.text().split("\t")[0] for a in menu.actions() if a.text()][:2] == ["撤消(&U)", "重做(&R)"]
    assert QLocale().name() == "zh_CN"
    prepared = QDateEdit()
    qtbot.addWidget(prepared)
    date_edits.prepare(prepared)
    date_edits.set_value(prepared, date(2026, 12, 7))
    assert prepared.text() == "2026-12-07"
    plain = QDateEdit(QDate(2026, 12, 7))  # any date edit Qt formats itself: year first
    qtbot.addWidget(plain)
    assert plain.text().startswith("2026") and "12" in plain.text()
    assert QLocale().toString(QDate(2026, 12, 7), QLocale.FormatType.LongFormat) == "2026年12月7日星期一"


def test_dates_qt_formats_the_systems_way_are_in_chinese_order_on_linux_too() -> None:
    english = {"LANG": "C.UTF-8"}
    assert prefer_chinese_system_dates(english) == (sys.platform != "win32")
    if sys.platform != "win32":
        assert english["LC_TIME"] == "zh_CN.UTF-8"
    chinese = {"LANG": "zh_CN.UTF-8"}
    assert not prefer_chinese_system_dates(chinese) and "LC_TIME" not in chinese
    forced = {"LC_ALL": "C", "LANG": "C"}  # a locale the person forced stays
    assert not prefer_chinese_system_dates(forced) and "LC_TIME" not in forced


def test_the_installer_ships_the_chinese_qt_translations() -> None:
    spec = (Path(__file__).resolve().parents[2] / "build_installer.spec").read_text(encoding="utf-8")
    assert '"qtbase_zh_CN.qm"' in spec and "*qt_translations()" in spec


# -- wrong fields counted in the tab headers -----------------------------------------------------------
def test_tab_headers_count_the_wrong_fields_and_the_cursor_goes_to_the_first(
    main_window: MainWindow, qtbot: QtBot
) -> None:
    page = main_window.page("个别谈话记录")
    main_window.show_page(page)
    page.new_record()
    page.form.set_value("start_time", "9点")
    page.form.set_value("end_time", "25:99")
    tabs = _form_tabs(page)
    tabs.setCurrentIndex(3)  # the person was on 页数与签字
    assert not page.save()
    wrong = page.form.wrong_fields()
    on_basic = [f for f in wrong if tabs.widget(0).isAncestorOf(page.form.widget_of(f))]
    assert {"start_time", "end_time"} <= set(on_basic)
    assert tabs.tabText(0) == f"基本信息（{len(on_basic)}）"
    assert main_window.tabs.tabText(0) == "个别谈话记录"  # the window's record tabs are not counted
    for index in range(1, 4):  # the other tabs say how many of theirs are wrong, or nothing
        on_tab = [f for f in wrong if tabs.widget(index).isAncestorOf(page.form.widget_of(f))]
        assert tabs.tabText(index).endswith(f"（{len(on_tab)}）") == bool(on_tab)
    assert tabs.currentIndex() == 0  # the first wrong field's tab came forward …
    qtbot.waitUntil(lambda: QApplication.focusWidget() is page.form.widget_of(wrong[0]))  # … with the cursor
    assert "处填写有误" in page.form_error_text()
    start = page.form.widget_of("start_time")
    assert isinstance(start, QLineEdit)
    start.selectAll()
    qtbot.keyClicks(start, "09:00")  # the person corrects one field: it is no longer counted
    assert "start_time" not in page.form.wrong_fields()
    left = len(on_basic) - 1
    assert tabs.tabText(0) == (f"基本信息（{left}）" if left else "基本信息")
    page.discard_changes()  # another form: no counts left
    assert [tabs.tabText(i) for i in range(4)] == ["基本信息", "谈话内容", "问题与评价", "页数与签字"]


def test_a_later_tabs_errors_are_counted_on_that_tab(main_window: MainWindow) -> None:
    page = main_window.page("问题底稿")
    main_window.show_page(page)
    page.new_record()
    assert not page.save()  # no unit, category, title or facts
    assert set(page.form.wrong_fields()) == {"target_id", "category_l1", "title", "description"}
    tabs = _form_tabs(page)
    titles = [tabs.tabText(i) for i in range(4)]
    assert titles == ["基本信息（3）", "问题事实（1）", "佐证与责任", "审核与审签"]
    page.discard_changes()  # a fresh form: no counts left anywhere
    assert [tabs.tabText(i) for i in range(4)] == ["基本信息", "问题事实", "佐证与责任", "审核与审签"]


# -- what a new record starts with ---------------------------------------------------------------------
def test_new_records_take_the_members_name_the_context_and_a_day_inside_the_round(
    qtbot: QtBot, filled_workspace: Workspace, filled: Filled, ui_settings: QSettings
) -> None:
    end = date.today() - timedelta(days=30)
    rounds = RecordService[InspectionRound](filled_workspace, ROUND)
    rounds.save(dataclasses.replace(rounds.get(filled.ctx.round.id), end_on=end))
    window = MainWindow(filled_workspace, settings=ui_settings, recover=False)
    qtbot.addWidget(window)
    window.resize(1366, 768)
    window.show()
    bar = window.context_bar
    for combo, wanted in (
        (bar.round_combo, filled.ctx.round.id),
        (bar.group_combo, filled.ctx.group.id),
        (bar.target_combo, filled.ctx.target.id),
    ):
        combo.setCurrentIndex(combo.findData(wanted))
    for title, date_field, name_field in (
        ("个别谈话记录", "held_on", "recorder"),
        ("问题底稿", "prepared_on", "preparer"),
        ("问题线索登记", "registered_on", "registered_by"),
    ):
        page = window.page(title)
        window.show_page(page)
        page.new_record()
        assert page.form.value("group_id") == filled.ctx.group.id
        assert page.form.value("target_id") == filled.ctx.target.id
        assert page.form.value(name_field) == filled_workspace.user.display_name
        assert page.form.value(date_field) == end  # today is after the round: its last day
        assert end.isoformat() in page.date_note() and "请核对" in page.date_note()
        page.show_record(page.model.record(0).id)
        assert page.date_note() == ""  # a stored record has no such note
    window.close()


def test_the_name_is_the_rosters_not_the_login() -> None:
    member = GroupMember(id="m1", group_id="g1", name="李明", role="组员")
    choices = Choices(members_by_id={"m1": member})
    assert signed_in_name(User(login="liming", display_name="liming", member_id="m1"), choices) == "李明"
    assert signed_in_name(User(login="liming", display_name="李明"), Choices()) == "李明"
    assert signed_in_name(User(login="liming", display_name="liming"), Choices()) == ""
    assert signed_in_name(User(login="管理员", display_name="管理员"), Choices()) == "管理员"


def test_the_day_is_kept_inside_the_rounds_dates_with_a_note() -> None:
    rnd = InspectionRound(name="2025年第三轮巡察", start_on=date(2025, 9, 1), end_on=date(2025, 11, 15))
    assert day_in_round(date(2025, 10, 1), rnd) == (date(2025, 10, 1), "")
    day, note = day_in_round(date(2026, 12, 7), rnd)
    assert day == date(2025, 11, 15)
    assert note.startswith("今天（2026-12-07）不在“2025年第三轮巡察”的日期（2025-09-01 至 2025-11-15）内")
    assert day_in_round(date(2025, 8, 1), rnd)[0] == date(2025, 9, 1)
    assert day_in_round(date(2030, 1, 1), None) == (date(2030, 1, 1), "")
    open_ended = InspectionRound(name="x", start_on=date(2025, 9, 1))
    assert day_in_round(date(2030, 1, 1), open_ended) == (date(2030, 1, 1), "")


VALUE_LIKE = re.compile(r"[\d:：\-./年月日元]+")  # a time, date or amount alone: it would look filled in


@pytest.mark.parametrize("form", RECORD_FORMS)
def test_no_placeholder_looks_like_a_value(form: str) -> None:
    tree = ElementTree.parse(resource_path("ui", form))
    placeholders = [
        (p.findtext("string") or "") for p in tree.iter("property") if p.get("name") == "placeholderText"
    ]
    assert placeholders
    assert [p for p in placeholders if VALUE_LIKE.fullmatch(p.strip())] == []
