"""The unsaved-changes guard on every way out (tab, new record, closing) and crash recovery of a form."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from PySide6.QtCore import QSettings, Qt
from pytestqt.qtbot import QtBot

from tests.builders import PASSPHRASE
from tests.gui.conftest import Filled
from xuncha_desktop.gui import messages
from xuncha_desktop.gui.main_window import MainWindow
from xuncha_desktop.gui.pages.choices import load_choices
from xuncha_desktop.gui.pages.draft import PAGE as ISSUE_DRAFTS
from xuncha_desktop.gui.pages.record_page import RecordPage
from xuncha_desktop.services.records.form_recovery import FormRecovery
from xuncha_desktop.services.workspace import Workspace


def answering(monkeypatch: pytest.MonkeyPatch, *answers: str) -> list[str]:
    asked: list[str] = []
    queue = list(answers)

    def answer(parent: object, what: str) -> str:
        asked.append(what)
        return queue.pop(0)

    monkeypatch.setattr(messages, "ask_unsaved_changes", answer)
    return asked


def edited_interview(window: MainWindow) -> RecordPage[Any]:
    page = window.page("个别谈话记录")
    window.show_page(page)
    page.form.set_value("location", "县财政局五楼小会议室")
    assert page.is_dirty()
    return page


def test_switching_tab_asks_and_cancel_stays(
    main_window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    page = edited_interview(main_window)
    asked = answering(monkeypatch, "cancel", "save")
    main_window.show_tab(1)
    assert main_window.current_page() is page and main_window.tabs.currentIndex() == 0
    assert asked == ["个别谈话记录“王晓东 谈话记录（2025-03-05）”"]
    main_window.show_tab(1)
    assert main_window.current_page() is main_window.page("问题底稿")
    assert page.current_record().location == "县财政局五楼小会议室" and not page.is_dirty()


def test_switching_sub_tab_is_guarded_too(main_window: MainWindow, monkeypatch: pytest.MonkeyPatch) -> None:
    portraits = main_window.page("领导干部画像")
    main_window.show_page(portraits)
    portraits.form.set_value("overall", "综合评价较好")
    answering(monkeypatch, "cancel")
    inner = main_window.tabs.currentWidget()
    inner.setCurrentIndex(1)
    assert main_window.current_page() is portraits and portraits.is_dirty()


def test_new_record_asks_first(
    main_window: MainWindow, monkeypatch: pytest.MonkeyPatch, qtbot: QtBot
) -> None:
    page = edited_interview(main_window)
    answering(monkeypatch, "discard")
    qtbot.keyClick(main_window, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    assert page.current_record() is None and not page.is_dirty()
    assert page.heading_text() == "新建个别谈话记录"


def test_closing_the_window_asks_and_cancel_keeps_it_open(
    main_window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    page = edited_interview(main_window)
    answering(monkeypatch, "cancel", "discard")
    assert not main_window.close()
    assert main_window.isVisible() and page.is_dirty()
    assert main_window.close()


def test_a_failed_save_keeps_the_user_on_the_page(
    main_window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    page = edited_interview(main_window)
    page.form.set_value("interviewee_name", "")
    answering(monkeypatch, "save")
    main_window.show_tab(2)
    assert main_window.current_page() is page
    assert page.form.error_text("interviewee_name") == "请填写谈话对象姓名"


def test_an_edited_form_is_kept_and_offered_after_a_crash(
    qtbot: QtBot, filled_workspace: Workspace, ui_settings: QSettings, monkeypatch: pytest.MonkeyPatch
) -> None:
    crashed = MainWindow(filled_workspace, settings=ui_settings, recover=False)
    qtbot.addWidget(crashed)
    page = edited_interview(crashed)
    page.keep_for_recovery()  # what the 30-second timer does
    assert FormRecovery(filled_workspace).pending() == ["interview"]
    offered: list[str] = []

    def accept(parent: object, what: str, saved_at: str) -> bool:
        offered.append(what)
        return True

    monkeypatch.setattr(messages, "ask_recover_form", accept)
    # The restarted program: in this one process it shares the crashed window's hold on the workspace.
    with Workspace.open(filled_workspace.path, PASSPHRASE, lock=filled_workspace.file_lock) as again:
        restarted = MainWindow(again, settings=ui_settings)
        qtbot.addWidget(restarted)
        qtbot.waitUntil(lambda: bool(offered))
        recovered = restarted.page("个别谈话记录")
        assert offered == ["“个别谈话记录”页面"]
        assert recovered.is_dirty() and recovered.form.value("location") == "县财政局五楼小会议室"
        assert restarted.current_page() is recovered
        assert recovered.save()
        assert FormRecovery(again).pending() == []
    page.discard_changes()


def test_a_declined_recovery_is_dropped(
    filled_workspace: Workspace, filled: Filled, monkeypatch: pytest.MonkeyPatch, qtbot: QtBot
) -> None:
    FormRecovery(filled_workspace).save("draft", filled.drafts[0])
    monkeypatch.setattr(messages, "ask_recover_form", lambda parent, what, saved_at: False)
    page = make_page(qtbot, filled_workspace)
    assert not page.offer_recovery()
    assert FormRecovery(filled_workspace).pending() == []


def make_page(qtbot: QtBot, ws: Workspace, **options: Any) -> RecordPage[Any]:
    page: RecordPage[Any] = RecordPage(ISSUE_DRAFTS, ws, load_choices(ws), **options)
    qtbot.addWidget(page)
    page.activate()  # not shown: read its list now
    return page


def test_the_recovery_timer_keeps_an_edited_form_and_saving_drops_it(
    filled_workspace: Workspace, qtbot: QtBot
) -> None:
    page = make_page(qtbot, filled_workspace, recovery_interval_ms=20)
    recovery = FormRecovery(filled_workspace)
    pending: Callable[[], list[str]] = recovery.pending
    with qtbot.waitSignal(page._recovery_timer.timeout, timeout=5_000):
        pass  # the timer has looked at the form once (its own slot runs first)
    assert pending() == []  # a clean form is not kept
    page.form.set_value("title", "违规发放津补贴（补充）")
    qtbot.waitUntil(lambda: pending() == ["draft"])
    found = recovery.load("draft")
    assert found is not None and found.record.title == "违规发放津补贴（补充）"
    assert page.save()
    assert pending() == []
