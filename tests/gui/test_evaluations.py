"""干部评价: the 画像 with live poll rates, the 鉴定 with counted workload, and prefills from lists."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QTableWidget
from pytestqt.qtbot import QtBot

from tests.builders import interview
from tests.gui.conftest import Filled
from xuncha_desktop.domain.interview_records import InterviewRecord
from xuncha_desktop.domain.record_types import INTERVIEW
from xuncha_desktop.gui.main_window import MainWindow
from xuncha_desktop.gui.pages.field_bindings import select_value
from xuncha_desktop.gui.pages.record_page import RecordPage
from xuncha_desktop.services.records.record_service import RecordService


@pytest.fixture
def portraits(main_window: MainWindow) -> RecordPage[Any]:
    page = main_window.page("领导干部画像")
    main_window.show_page(page)
    return page


@pytest.fixture
def appraisals(main_window: MainWindow) -> RecordPage[Any]:
    page = main_window.page("巡察干部鉴定")
    main_window.show_page(page)
    return page


def shares(table: QTableWidget) -> dict[str, str]:
    return {table.item(r, 0).text(): table.item(r, 2).text() for r in range(table.rowCount())}


def test_poll_rates_are_computed_and_follow_typed_votes(portraits: RecordPage[Any]) -> None:
    table = portraits.form.find(QTableWidget, "pollTallyTable")
    rate = portraits.form.find(QLabel, "favourableRateLabel")
    assert shares(table) == {"优秀": "71.43%", "称职": "23.81%", "基本称职": "4.76%", "不称职": "0.00%"}
    assert rate.text().startswith("95.24%")
    assert portraits.form.find(QLabel, "pollTotalLabel").text() == "42 票"
    table.item(3, 1).setData(Qt.ItemDataRole.EditRole, 8)  # as the spin-box editor would
    assert rate.text().startswith("80.00%")
    assert shares(table)["不称职"] == "16.00%" and portraits.is_dirty()
    assert portraits.save()
    assert portraits.current_record().poll_tallies["不称职"] == 8


def test_changing_the_poll_type_offers_its_options(portraits: RecordPage[Any]) -> None:
    select_value(portraits.form.widget_of("poll_scale"), "选人用人评议")
    table = portraits.form.find(QTableWidget, "pollTallyTable")
    assert [table.item(r, 0).text() for r in range(4)] == ["满意", "基本满意", "不满意", "不了解"]
    assert portraits.form.find(QLabel, "favourableRateLabel").text() == "—（尚无票数）"


def test_all_seven_portrait_dimensions_are_kept(portraits: RecordPage[Any]) -> None:
    portraits.form.set_value("dimensions", {"政治素质": "政治站位高", "群众口碑": "口碑较好"})
    assert portraits.save()
    assert portraits.current_record().dimensions == {"政治素质": "政治站位高", "群众口碑": "口碑较好"}


def test_choosing_a_person_fills_name_and_post(portraits: RecordPage[Any], filled: Filled) -> None:
    portraits.new_record()
    portraits.form.set_value("target_id", filled.ctx.target.id)
    select_value(portraits.form.widget_of("person_id"), filled.person.id)
    assert portraits.form.value("name") == "周建华"
    assert portraits.form.value("post") == "清河县财政局党组成员、副局长"


def test_the_person_list_shows_name_and_post_and_a_choice_reads_the_whole_person(
    portraits: RecordPage[Any], filled: Filled
) -> None:
    choices = portraits.form.choices
    assert choices.persons(filled.ctx.target.id) == [
        (filled.person.id, "周建华（清河县财政局党组成员、副局长）")
    ]
    assert choices.person(filled.ctx.target.id, filled.person.id) == filled.person
    assert choices.person("another-unit", filled.person.id) is None  # only one of that unit's persons
    assert choices.persons("") == []


def test_workload_is_counted_from_the_records_and_read_only(
    main_window: MainWindow, appraisals: RecordPage[Any], filled: Filled, qtbot: QtBot
) -> None:
    labels = [
        appraisals.form.find(QLabel, n) for n in ("interviewCountLabel", "draftCountLabel", "leadCountLabel")
    ]
    # Counted off the GUI thread: wait for the labels.
    qtbot.waitUntil(lambda: [label.text() for label in labels] == ["3 人次", "2 份", "1 件"])
    RecordService[InterviewRecord](main_window.workspace, INTERVIEW).save(
        interview(filled.ctx, recorder="李明")
    )
    appraisals.refresh()
    qtbot.waitUntil(lambda: labels[0].text() == "4 人次")
    appraisals.form.set_value("name", "张建国")
    qtbot.waitUntil(lambda: labels[0].text() == "4 人次" and labels[1].text() == "0 份")


def test_choosing_a_group_member_fills_the_appraisal(appraisals: RecordPage[Any], filled: Filled) -> None:
    appraisals.new_record()
    select_value(appraisals.form.widget_of("member_id"), filled.group_member.id)
    values = appraisals.form.values()
    assert (values["name"], values["home_unit_post"], values["duty"]) == ("李明", "清河县审计局科员", "谈话")
    assert (values["period_start"], values["period_end"]) == (
        filled.group_member.start_on,
        filled.group_member.end_on,
    )
