"""整改监督 in the real main window: signed 底稿 → 反馈 (one action) → 整改任务 → 督导 → overdue shown →
验收 → 销号; bad input at the field; a field laptop has no 整改监督."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QLineEdit,
    QListWidget,
    QPlainTextEdit,
    QPushButton,
    QTableWidget,
)
from pytestqt.qtbot import QtBot

from tests.builders import PASSPHRASE, Context
from tests.gui.dialogs import DialogScript
from tests.gui.rect_helpers import ISSUES, choose, fill, octx, office, office_window, open_area, set_date
from tests.gui.test_rectification_output import SaveAs, exported, file_menu, infos, previews, saved_preview
from tests.output_helpers import pdf_text
from xuncha_desktop.gui import messages
from xuncha_desktop.gui.main_window import RECT_TITLE, MainWindow
from xuncha_desktop.services.rectification.tasks import TaskQuery, TaskService
from xuncha_desktop.services.workspace import Workspace
from xuncha_desktop.storage.keyfile import KdfParams

__all__ = ["infos", "octx", "office", "office_window", "previews"]  # fixtures

GIVEN_ON = date.today() - timedelta(days=150)  # the report (and the tasks) fell due about a month ago


def _give_feedback(window: MainWindow, ctx: Context) -> Any:
    page = open_area(window, "巡察反馈")
    page.new_record()
    form = page.form
    choose(form.find(QComboBox, "roundCombo"), ctx.round.id)
    choose(form.find(QComboBox, "groupCombo"), ctx.group.id)
    choose(form.find(QComboBox, "targetCombo"), ctx.target.id)
    set_date(form.find(QDateEdit, "givenOnDate"), GIVEN_ON)
    choose(form.find(QComboBox, "formCombo"), "集中反馈")
    fill(form.find(QLineEdit, "givenByEdit"), "县委巡察办王主任")
    fill(form.find(QLineEdit, "attendeesEdit"), "局领导班子成员、中层干部")
    return page


def test_a_field_laptop_has_no_rectification_area(qtbot: QtBot, tmp_path: Path, ui_settings: Any) -> None:
    ws = Workspace.create(tmp_path / "组.xcdb", PASSPHRASE, kdf=KdfParams.cheap())
    window = MainWindow(ws, settings=ui_settings, recover=False)
    qtbot.addWidget(window)
    titles = [window.tabs.tabText(i) for i in range(window.tabs.count())]
    assert RECT_TITLE not in titles and window.rectification_area is None
    window.close()


def test_feedback_hands_over_the_ticked_drafts_and_refuses_a_deadline_before_it(
    office_window: MainWindow, octx: Context
) -> None:
    page = _give_feedback(office_window, octx)
    drafts = page.form.find(QListWidget, "draftIdsList")
    assert drafts.count() == 3  # the unit's signed 底稿 not yet fed back, all ticked
    assert all(drafts.item(i).checkState() == Qt.CheckState.Checked for i in range(3))
    drafts.item(2).setCheckState(Qt.CheckState.Unchecked)  # this one is handed over later
    set_date(page.form.find(QDateEdit, "planDueOnDate"), GIVEN_ON - timedelta(days=1))

    assert not page.save()
    assert "整改方案应报送日期不能早于反馈日期" in page.form.error_text("plan_due_on")
    assert TaskService(office_window.workspace).count(TaskQuery()) == 0  # nothing stored

    set_date(page.form.find(QDateEdit, "planDueOnDate"), None)  # the settings' 15 working days
    assert page.save()
    tasks = TaskService(office_window.workspace).list(TaskQuery())
    assert sorted(t.issue for t in tasks) == sorted(ISSUES[:2])
    deadlines = page.form.find(QTableWidget, "deadlinesTable")
    shown = {deadlines.item(r, 0).text(): deadlines.item(r, 3).text() for r in range(deadlines.rowCount())}
    assert shown["整改方案"].startswith("【逾期】") and shown["整改报告"].startswith("【逾期】")
    assert page.table.model().index(0, 10).data() == "整改方案、整改报告逾期未报送"


def test_a_task_from_feedback_to_closing(
    qtbot: QtBot,
    office_window: MainWindow,
    octx: Context,
    monkeypatch: pytest.MonkeyPatch,
    previews: list[Any],
    infos: list[str],
    tmp_path: Path,
) -> None:
    assert _give_feedback(office_window, octx).save()
    page = open_area(office_window, "整改任务")
    assert page.total() == 3
    model = page.table.model()
    assert model.index(0, 1).data().startswith("逾期")  # the text mark goes with the colour
    assert model.index(0, 0).data(Qt.ItemDataRole.BackgroundRole) is not None

    # 逾期 filter; a task's 时限 moved into the next days → 即将到期
    page.select_row(1)
    set_date(page.form.find(QDateEdit, "dueOnDate"), date.today() + timedelta(days=5))
    fill(page.form.find(QLineEdit, "responsiblePersonEdit"), "办公室主任刘强")
    assert page.save()
    due = page.filter_bar.combo("due")
    choose(due, "overdue")
    assert page.total() == 2
    choose(due, "soon")
    assert page.total() == 1 and model.index(0, 1).data() == "5 天后到期"
    choose(due, "")

    # the 问题底稿 the task came from opens on its own tab
    page.select_row(0)
    task = page.current_record()
    page.form.find(QPushButton, "draftLinkButton").click()
    assert office_window.current_page() is office_window.page_for("draft")
    assert office_window.page_for("draft").current_record().id == task.draft_id
    page = open_area(office_window, "整改任务")

    # 督导: a note typed in the dialog
    def note(dialog: Any) -> bool:
        fill(dialog.form.find(QPlainTextEdit, "progressText"), "已修订党组会议事规则，待党组会审议")
        dialog.accept()
        return dialog.result() == 1

    monkeypatch.setattr(messages, "exec_dialog", DialogScript(note))
    page.form.find(QPushButton, "addNoteButton").click()
    notes = page.form.find(QTableWidget, "notesTable")
    assert notes.rowCount() == 1 and "议事规则" in notes.item(0, 3).text()

    # 销号 before 验收 is refused at the field
    page.action_button("closeAction").click()
    assert "销号前须先验收" in page.form.error_text("closed_on")

    # done, accepted, closed
    choose(page.form.find(QComboBox, "statusCombo"), "已完成")
    set_date(page.form.find(QDateEdit, "completedOnDate"), date.today())
    assert page.save()

    def accept_it(dialog: Any) -> bool:
        fill(dialog.form.find(QPlainTextEdit, "acceptanceOpinionText"), "整改到位，同意验收")
        dialog.accept()
        return dialog.result() == 1

    monkeypatch.setattr(messages, "exec_dialog", DialogScript(accept_it))
    page.action_button("acceptAction").click()
    assert page.current_record().accepted_on == date.today()
    assert page.current_record().acceptance_opinion == "整改到位，同意验收"
    assert page.action_button("acceptAction").isHidden()
    page.action_button("closeAction").click()
    closed = page.current_record()
    assert closed.closed_on == date.today() and closed.closed_by == office_window.workspace.user.display_name
    assert model.index(page.table.currentIndex().row(), 1).data() == "已销号"

    # the 整改台账 and the unit's 整改情况, from the File menu on this page, read back
    answer = SaveAs(tmp_path, "整改台账.xlsx")
    header, *rows, total = exported(
        qtbot, infos, monkeypatch, answer, lambda: file_menu(office_window, "exportLedgerAction")
    )
    row = next(dict(zip(header, r, strict=True)) for r in rows if r[1] == closed.number)
    assert row["反馈问题"] == closed.issue and row["销号日期"].date() == date.today()
    assert row["验收意见"] == "整改到位，同意验收"
    assert "办公室主任刘强" in [r[header.index("责任人")] for r in rows]  # typed into the second task
    assert total[0] == "合计" and total[1] == "共 3 项"
    pdf = SaveAs(tmp_path, "整改情况.pdf")
    file_menu(office_window, "printAction")
    saved_preview(qtbot, previews, monkeypatch, pdf)
    text = pdf_text(pdf.target)
    assert octx.target.name in text and all(issue in text for issue in ISSUES)
    assert "议事规则" in text and "整改到位，同意验收" in text


def test_reminders_list_overdue_tasks_and_unit_deadlines(
    qtbot: QtBot, office_window: MainWindow, octx: Context
) -> None:
    assert _give_feedback(office_window, octx).save()
    screen = open_area(office_window, "到期提醒")
    qtbot.waitUntil(lambda: screen.editor.total() == 6, timeout=5000)  # 3 tasks, 方案, 报告, 民主生活会
    rows = screen.editor.row_texts()
    assert sum(r[1] == "整改任务" and r[0].startswith("⚠ 逾期") for r in rows) == 3
    assert {r[1] for r in rows} == {"整改任务", "整改方案", "整改报告", "专题民主生活会"}
    row = next(i for i, r in enumerate(rows) if r[1] == "整改任务")
    screen.editor.select_row(row)
    screen.editor.findChild(QPushButton, "openReminderAction").click()
    area = office_window.rectification_area
    assert area.currentWidget() is area.task_page
    assert area.task_page.current_record().id == screen.editor.record.id


def test_the_edit_menu_acts_on_the_rectification_pages(office_window: MainWindow, octx: Context) -> None:
    assert _give_feedback(office_window, octx).save()
    page = open_area(office_window, "整改任务")
    assert office_window.current_page() is page
    page.select_row(0)
    fill(page.form.find(QLineEdit, "responsiblePersonEdit"), "副局长王海")
    office_window.actions_by_name["saveRecordAction"].trigger()  # 编辑 → 保存, not a button of the page
    assert not page.is_dirty()
    assert any(
        t.responsible_person == "副局长王海" for t in TaskService(office_window.workspace).list(TaskQuery())
    )
