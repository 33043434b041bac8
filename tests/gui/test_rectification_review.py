"""整改监督 after the tasks: 回头看 re-checks recorded per issue, the 整改质效评估 with how each score
was reached, 线索对账 per receiving organ marked reconciled, and the reminder days set in 设置."""

from __future__ import annotations

import dataclasses
from datetime import date, timedelta
from typing import Any

import pytest
from PySide6.QtWidgets import QComboBox, QDateEdit, QPlainTextEdit, QPushButton, QSpinBox, QTableWidget
from pytestqt.qtbot import QtBot

from tests.builders import Context, lead
from tests.gui.dialogs import DialogScript
from tests.gui.rect_helpers import choose, fill, octx, office, office_window, open_area, set_date
from xuncha_desktop.domain.lead_registrations import LeadRegistration
from xuncha_desktop.domain.organization import InspectionRound, TargetUnit
from xuncha_desktop.domain.record_types import LEAD, ROUND, TARGET
from xuncha_desktop.domain.rectification import RectificationFeedback
from xuncha_desktop.gui import messages
from xuncha_desktop.gui.main_window import MainWindow
from xuncha_desktop.services.records.record_service import RecordService
from xuncha_desktop.services.rectification.feedback import give_feedback
from xuncha_desktop.services.rectification.settings import load_settings
from xuncha_desktop.services.rectification.tasks import TaskService
from xuncha_desktop.services.workspace import Workspace

__all__ = ["octx", "office", "office_window"]  # fixtures

TODAY = date.today()


def _rectified(ws: Workspace, ctx: Context) -> list[Any]:
    """Feedback given 150 days ago; the first task done, accepted and closed, the others left open."""
    _feedback, tasks = give_feedback(
        ws, RectificationFeedback(**ctx.scope, given_on=TODAY - timedelta(days=150), given_by="王主任")
    )
    service = TaskService(ws)
    done = service.save(
        dataclasses.replace(
            tasks[0], status="已完成", completed_on=TODAY - timedelta(days=60), institutions=2
        )
    )
    service.accept(done.id, by="王主任", on=TODAY - timedelta(days=50), opinion="整改到位")
    service.close(done.id, by="王主任", on=TODAY - timedelta(days=50))
    return tasks


def _recheck_round(ws: Workspace, ctx: Context) -> InspectionRound:
    rnd = RecordService[InspectionRound](ws, ROUND).save(
        InspectionRound(
            name="2026年第1轮巡察（回头看）",
            year=2026,
            ordinal=1,
            kind="回头看",
            start_on=TODAY - timedelta(days=20),
            earlier_round_id=ctx.round.id,
        )
    )
    RecordService[TargetUnit](ws, TARGET).save(
        TargetUnit(round_id=rnd.id, name=ctx.target.name, kind="县直部门")
    )
    return rnd


def test_recheck_then_evaluation(qtbot: QtBot, office_window: MainWindow, octx: Context) -> None:
    ws = office_window.workspace
    tasks = _rectified(ws, octx)
    rnd = _recheck_round(ws, octx)

    screen = open_area(office_window, "回头看")
    screen.select_round(rnd.id)
    editor = screen.editor
    assert [r[3] for r in editor.row_texts()] == [t.issue for t in tasks]
    assert {r[5] for r in editor.row_texts()} == {"未复查"}
    editor.select_row(0)
    assert "已销号" in editor.form.find(type(screen.info_label), "taskStateLabel").text()
    choose(editor.form.find(QComboBox, "resultCombo"), "属实整改")
    fill(editor.form.find(QPlainTextEdit, "findingText"), "议事规则已执行，抽查三次党组会记录均规范")
    assert editor.save()
    editor.select_row(1)
    set_date(editor.form.find(QDateEdit, "checkedOnDate"), TODAY + timedelta(days=3))  # bad: in the future
    choose(editor.form.find(QComboBox, "resultCombo"), "整改不到位")
    assert not editor.save()
    assert editor.form.error_text("checked_on")
    set_date(editor.form.find(QDateEdit, "checkedOnDate"), TODAY)
    assert editor.save()
    assert [r[5] for r in editor.row_texts()][:2] == ["属实整改", "整改不到位"]

    evaluation = open_area(office_window, "整改质效评估")
    evaluation.select_round(rnd.id)
    qtbot.waitUntil(lambda: evaluation.editor.total() == 1, timeout=5000)
    assert evaluation.info_label.text().startswith("评分方案：")
    [row] = evaluation.editor.row_texts()
    assert row[:2] == ["1", octx.target.name]
    evaluation.editor.select_row(0)
    lines = evaluation.editor.form.find(QTableWidget, "linesTable")
    labels = [lines.item(r, 0).text() for r in range(lines.rowCount())]
    assert "整改完成率" in labels and "回头看整改不到位" in labels
    points = sum(float(lines.item(r, 2).text()) for r in range(lines.rowCount()))
    assert abs(points - float(row[2])) < 0.011  # the score is what the lines (from 基础分 on) add up to
    assert all(lines.item(r, 3).text() for r in range(lines.rowCount()))  # each line explained


def test_leads_reconciled_per_organ(office_window: MainWindow, octx: Context) -> None:
    leads = RecordService[LeadRegistration](office_window.workspace, LEAD)
    for name, disposal, feedback in (
        ("赵有才", "移交纪检监察机关", TODAY - timedelta(days=30)),
        ("钱多多", "移交纪检监察机关", None),
        ("孙某", "移交组织部门", None),
    ):
        leads.save(
            lead(
                octx,
                subject_name=name,
                proposed_disposal=disposal,
                transfer_on=TODAY - timedelta(days=120),
                feedback_on=feedback,
                case_opened=feedback is not None,
            )
        )
    screen = open_area(office_window, "线索对账")
    screen.select_round(octx.round.id)
    editor = screen.editor
    rows = {r[0]: r for r in editor.row_texts()}
    assert rows["纪委监委"][1:5] == ["2", "2", "1", "1"] and rows["纪委监委"][8] == "⚠ 1"
    assert rows["组织部"][1] == "1" and rows["组织部"][9] == "未对账"
    editor.select_row(0)
    set_date(editor.form.find(QDateEdit, "reconciledOnDate"), TODAY - timedelta(days=1))
    fill(editor.form.find(QPlainTextEdit, "noteText"), "与县纪委案管室核对一致")
    assert editor.save_button.text() == "标记已对账"
    editor.save_button.click()
    rows = {r[0]: r for r in editor.row_texts()}
    assert rows["纪委监委"][9] == (TODAY - timedelta(days=1)).isoformat()
    set_date(editor.form.find(QDateEdit, "reconciledOnDate"), TODAY + timedelta(days=2))
    editor.save_button.click()
    assert "不能晚于今天" in editor.form.error_text("reconciled_on") or editor.form.error_text(
        "reconciled_on"
    )


def test_reminder_days_come_from_the_settings(
    qtbot: QtBot, office_window: MainWindow, octx: Context, monkeypatch: pytest.MonkeyPatch
) -> None:
    ws = office_window.workspace
    tasks = _rectified(ws, octx)
    TaskService(ws).save(dataclasses.replace(tasks[1], due_on=TODAY + timedelta(days=20)))
    screen = open_area(office_window, "到期提醒")
    qtbot.waitUntil(lambda: "（共" in screen.editor.count_text(), timeout=5000)
    assert not any(r[0] == "20 天后到期" for r in screen.editor.row_texts())

    def set_30_days(dialog: Any) -> bool:
        spin = dialog.form.find(QSpinBox, "dueSoonDaysSpin")
        spin.setFocus()
        spin.selectAll()
        fill(spin, "30")
        dialog.accept()
        return dialog.result() == 1

    monkeypatch.setattr(messages, "exec_dialog", DialogScript(set_30_days))
    screen.findChild(QPushButton, "settingsButton").click()
    assert load_settings(ws).due_soon_days == 30
    qtbot.waitUntil(lambda: any(r[0] == "20 天后到期" for r in screen.editor.row_texts()), timeout=5000)
    assert "30 天内到期" in screen.info_label.text()
