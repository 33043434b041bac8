"""评分方案 of 整改质效评估: the office changes the scheme in its dialog and saves it as a new version, the
screen scores the round with the version chosen (an earlier one still gives the earlier scores), a refused
change is shown at its row with nothing saved, and anyone but the 巡察办管理员 sees the scheme read-only."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from datetime import date, timedelta
from typing import Any

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QComboBox, QDialog, QDoubleSpinBox, QPushButton
from pytestqt.qtbot import QtBot

from tests.builders import Context, sign_in_as
from tests.gui.dialogs import DialogScript
from tests.gui.rect_helpers import choose, fill, octx, office, office_window, open_area
from xuncha_desktop.domain.organization import User
from xuncha_desktop.domain.record_types import USER
from xuncha_desktop.domain.rectification import RectificationFeedback
from xuncha_desktop.gui import messages
from xuncha_desktop.gui.main_window import MainWindow
from xuncha_desktop.gui.rectification import scheme_dialog
from xuncha_desktop.gui.rectification.round_screen import RoundScreen
from xuncha_desktop.gui.rectification.scheme_dialog import CAP, EXPLANATION, POINTS, SchemeDialog
from xuncha_desktop.services.records.record_service import RecordService
from xuncha_desktop.services.rectification.evaluation import (
    DEFAULT_SCHEME,
    evaluate_round,
    load_scheme,
    scheme_versions,
)
from xuncha_desktop.services.rectification.feedback import give_feedback
from xuncha_desktop.services.rectification.tasks import TaskService
from xuncha_desktop.services.security.audit_log import AuditLog, AuditQuery
from xuncha_desktop.services.workspace import Workspace

__all__ = ["octx", "office", "office_window"]  # fixtures

TODAY = date.today()
NEW_VERSION = f"{TODAY.year}-1"


def _rectified(ws: Workspace, ctx: Context) -> None:
    """Feedback 150 days ago (its three tasks now overdue); the first task done with 2 建章立制."""
    _feedback, tasks = give_feedback(
        ws, RectificationFeedback(**ctx.scope, given_on=TODAY - timedelta(days=150), given_by="王主任")
    )
    TaskService(ws).save(
        dataclasses.replace(
            tasks[0], status="已完成", completed_on=TODAY - timedelta(days=60), institutions=2
        )
    )


def _evaluation_screen(qtbot: QtBot, window: MainWindow) -> RoundScreen:
    screen = open_area(window, "整改质效评估")
    qtbot.waitUntil(lambda: screen.editor.total() == 1, timeout=5000)
    return screen


def _shown_score(qtbot: QtBot, screen: RoundScreen, expected: float) -> str:
    """The score the screen lists once it has read the rows again (background reader)."""
    qtbot.waitUntil(lambda: screen.editor.row_texts()[0][2] == f"{expected:.2f}", timeout=5000)
    return screen.editor.row_texts()[0][2]


def _set_points(dialog: SchemeDialog, metric: str, text: str, col: int = POINTS) -> None:
    spin = dialog.spin(dialog.row_of(metric), col)
    assert isinstance(spin, QDoubleSpinBox)
    fill(spin, text)
    spin.interpretText()


def _scores(ws: Workspace, round_id: str, version: str) -> float:
    [unit] = evaluate_round(ws, round_id, TODAY, load_scheme(ws, version))
    return unit.score


def test_a_changed_scheme_saved_as_a_new_version_scores_the_round(
    qtbot: QtBot, office_window: MainWindow, octx: Context, monkeypatch: pytest.MonkeyPatch
) -> None:
    ws = office_window.workspace
    _rectified(ws, octx)
    screen = _evaluation_screen(qtbot, office_window)
    combo = screen.findChild(QComboBox, "schemeCombo")
    assert combo.currentData() == DEFAULT_SCHEME.version and combo.currentText() == "默认-1（当前）"
    before = _scores(ws, octx.round.id, DEFAULT_SCHEME.version)
    assert _shown_score(qtbot, screen, before)
    asked: list[str] = []

    def answer_version(_parent: Any, suggested: str) -> str:
        asked.append(suggested)
        return suggested

    def change_completion_rate(dialog: SchemeDialog) -> bool:
        assert dialog.version_label.text() == "默认-1（当前使用）" and dialog.editing
        row = dialog.row_of("completion_rate")
        assert [dialog.table.item(row, c).text() for c in (0, 1, CAP)] == ["整改完成率", "比率", "—"]
        assert "每低 1 个百分点扣 0.4 分，最多扣 40 分" in dialog.table.item(row, EXPLANATION).text()
        _set_points(dialog, "completion_rate", "60")
        assert "最多扣 60 分" in dialog.table.item(row, EXPLANATION).text()  # the explanation follows
        _set_points(dialog, "overdue_tasks", "4", CAP)
        dialog.save_button.click()
        return dialog.result() == QDialog.DialogCode.Accepted

    monkeypatch.setattr(scheme_dialog, "ask_version", answer_version)
    script = DialogScript(change_completion_rate)
    monkeypatch.setattr(messages, "exec_dialog", script)
    screen.findChild(QPushButton, "schemeButton").click()

    assert asked == [NEW_VERSION]
    saved = load_scheme(ws)
    assert saved.version == NEW_VERSION
    changed = {i.metric: (i.points, i.cap) for i in saved.items}
    assert changed["completion_rate"] == (60, 0) and changed["overdue_tasks"] == (-2, 4)
    assert load_scheme(ws, DEFAULT_SCHEME.version) == DEFAULT_SCHEME  # the earlier version unchanged
    [entry] = AuditLog(ws).list(AuditQuery(action="rect_scheme"))
    assert NEW_VERSION in entry.summary

    after = _scores(ws, octx.round.id, NEW_VERSION)
    assert after < before  # more points on the 2/3 not completed, less on the overdue tasks
    assert combo.currentData() == NEW_VERSION and combo.currentText() == f"{NEW_VERSION}（当前）"
    assert _shown_score(qtbot, screen, after)
    assert screen.info_label.text() == f"评分方案：整改质效评估方案（{NEW_VERSION}）"
    screen.editor.select_row(0)
    assert screen.editor.form.find(type(screen.info_label), "schemeLabel").text() == NEW_VERSION

    choose(combo, DEFAULT_SCHEME.version)  # the earlier version still gives the earlier scores
    assert _shown_score(qtbot, screen, before)
    assert screen.info_label.text() == "评分方案：整改质效评估方案（默认-1）"
    qtbot.waitUntil(
        lambda: screen.editor.form.find(type(screen.info_label), "schemeLabel").text() == "默认-1",
        timeout=5000,
    )


def test_a_refused_change_is_shown_at_its_row_and_nothing_is_saved(
    qtbot: QtBot, office_window: MainWindow, octx: Context, monkeypatch: pytest.MonkeyPatch
) -> None:
    ws = office_window.workspace
    _rectified(ws, octx)
    screen = _evaluation_screen(qtbot, office_window)
    shown: dict[str, Any] = {}

    def negative_rate_points(dialog: SchemeDialog) -> bool:
        _set_points(dialog, "on_time_rate", "-5")
        dialog.save_button.click()  # refused before any version is asked (ask_version is not answered)
        row = dialog.row_of("on_time_rate")
        shown["row"], shown["errors"] = row, dict(dialog.row_errors)
        shown["cell"] = dialog.table.item(row, EXPLANATION).text()
        shown["label"] = dialog.error_label.text() if dialog.error_label.isVisibleTo(dialog) else ""
        _set_points(dialog, "on_time_rate", "20")  # corrected: the mark goes
        shown["after"] = dialog.table.item(row, EXPLANATION).text()
        dialog.reject()
        return False

    monkeypatch.setattr(messages, "exec_dialog", DialogScript(negative_rate_points))
    screen.findChild(QPushButton, "schemeButton").click()

    assert shown["errors"] == {shown["row"]: "第2项（按期完成率）的分值不能为负数"}
    assert shown["cell"] == "⚠ 第2项（按期完成率）的分值不能为负数"
    assert shown["label"].startswith("有 1 处填写有误，未保存。")
    assert not shown["after"].startswith("⚠") and "最多扣 20 分" in shown["after"]
    assert scheme_versions(ws) == [DEFAULT_SCHEME.version]
    assert load_scheme(ws) == DEFAULT_SCHEME
    assert AuditLog(ws).list(AuditQuery(action="rect_scheme")) == []


def test_items_added_and_removed_and_a_used_version_refused(
    qtbot: QtBot, office: Workspace, octx: Context, monkeypatch: pytest.MonkeyPatch
) -> None:
    dialog = SchemeDialog(office, lambda: TODAY)
    qtbot.addWidget(dialog)
    assert dialog.add_combo.currentText() == "回头看属实整改率（比率）"  # the one metric not yet used
    dialog.add_button.click()
    assert not dialog.add_button.isEnabled()
    _set_points(dialog, "recheck_rate", "10")
    dialog.table.selectRow(dialog.row_of("accountability"))
    dialog.remove_button.click()
    with pytest.raises(KeyError):
        dialog.row_of("accountability")
    assert dialog.add_combo.currentText() == "问责（计数）" and dialog.add_button.isEnabled()

    monkeypatch.setattr(scheme_dialog, "ask_version", lambda _parent, _suggested: DEFAULT_SCHEME.version)
    assert not dialog.save_as_new_version()
    assert "方案版本“默认-1”已使用" in dialog.error_label.text()
    assert scheme_versions(office) == [DEFAULT_SCHEME.version]

    monkeypatch.setattr(scheme_dialog, "ask_version", lambda _parent, _suggested: "2026-春")
    assert dialog.save_as_new_version()
    metrics = [i.metric for i in load_scheme(office, "2026-春").items]
    assert metrics[-1] == "recheck_rate" and "accountability" not in metrics

    again = SchemeDialog(office, lambda: TODAY)  # the earlier version is listed and shown read-only
    qtbot.addWidget(again)
    assert again.versions() == ["2026-春", "默认-1"]  # the saved ones first, the default last
    assert again.version_list.currentItem().text() == "2026-春（当前）"
    again.show_version(DEFAULT_SCHEME.version)
    assert not again.editing and not again.save_button.isEnabled() and again.name_edit.isReadOnly()
    assert again.spin(0, POINTS) is None and again.table.item(0, POINTS).text() == "40"
    assert again.table.item(again.row_of("overdue_tasks"), CAP).text() == "20"
    assert again.mode_label.text().startswith("早期版本“默认-1”，只供查看")
    assert again.table.rowCount() == len(DEFAULT_SCHEME.items)


@pytest.fixture
def liaison_window(
    qtbot: QtBot, office: Workspace, octx: Context, ui_settings: QSettings
) -> Iterator[MainWindow]:
    """The office workspace opened by its 联络员 (not the 巡察办管理员)."""
    _rectified(office, octx)
    RecordService[User](office, USER).save(User(login="lianluo", display_name="刘联络", role="联络员"))
    liaison = sign_in_as(office, "lianluo")
    window = MainWindow(liaison, settings=ui_settings, recover=False)
    window.resize(1366, 768)
    window.show()
    qtbot.waitExposed(window)
    yield window
    window.close()
    window.deleteLater()
    liaison.close()


def test_anyone_but_the_office_administrator_sees_the_scheme_read_only(
    qtbot: QtBot, liaison_window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    screen = _evaluation_screen(qtbot, liaison_window)
    seen: dict[str, Any] = {}

    def look(dialog: SchemeDialog) -> bool:
        seen["save"] = dialog.save_button.isVisibleTo(dialog)
        seen["add"] = dialog.add_button.isVisibleTo(dialog) or dialog.remove_button.isVisibleTo(dialog)
        seen["spins"] = dialog.table.findChildren(QDoubleSpinBox)
        seen["name"] = dialog.name_edit.isReadOnly() and dialog.base_spin.isReadOnly()
        seen["note"] = dialog.mode_label.text()
        seen["points"] = dialog.table.item(0, POINTS).text()
        dialog.reject()
        return False

    monkeypatch.setattr(messages, "exec_dialog", DialogScript(look))
    screen.findChild(QPushButton, "schemeButton").click()
    assert seen["save"] is False and seen["add"] is False and seen["spins"] == [] and seen["name"]
    assert (
        seen["note"] == "只有巡察办管理员可以修改评分方案（当前用户“刘联络”的角色是联络员），此处只供查看。"
    )
    assert seen["points"] == "40"
    assert screen.findChild(QComboBox, "schemeCombo").isEnabled()  # choosing a version to score by: reading
