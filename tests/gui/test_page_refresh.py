"""A change re-reads only the pages that show it: the services report what they changed (Changes), the
window marks those pages stale, and a package import re-reads everything."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QDialog
from pytestqt.qtbot import QtBot

from tests.builders import draft
from tests.sync_helpers import World, open_world
from xuncha_desktop.domain.record_types import DRAFT
from xuncha_desktop.gui import main_menu, sync_actions
from xuncha_desktop.gui.dialogs.import_dialog import ImportDialog
from xuncha_desktop.gui.main_window import MainWindow
from xuncha_desktop.gui.pages.record_page import RecordPage
from xuncha_desktop.services import sync
from xuncha_desktop.services.changes import Changes
from xuncha_desktop.services.records.record_service import RecordService


def _count_refreshes(pages: list[RecordPage[Any]], monkeypatch: pytest.MonkeyPatch) -> dict[str, int]:
    counts = {page.type_key: 0 for page in pages}
    for page in pages:

        def counted(page: RecordPage[Any] = page, refresh: Any = page.refresh) -> None:
            counts[page.type_key] += 1
            refresh()

        monkeypatch.setattr(page, "refresh", counted)
    return counts


def _visit_every_page(window: MainWindow) -> list[RecordPage[Any]]:
    pages = [window.page(spec.title) for spec in window._specs]
    for page in pages:
        window.show_page(page)
    return pages


def test_saving_an_interview_reloads_only_the_pages_that_show_interviews(
    main_window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    pages = _visit_every_page(main_window)
    counts = _count_refreshes(pages, monkeypatch)
    talks = main_window.page("个别谈话记录")
    main_window.show_page(talks)
    shown = talks.current_record()
    assert shown is not None
    talks.form.set_value("location", "县财政局五楼会议室")
    assert talks.save()
    for page in pages:  # every other page comes to the front once
        main_window.show_page(page)
    assert counts == {
        "interview": 0,
        "draft": 0,
        "lead": 0,
        "petition": 0,
        "evaluation": 0,
        "appraisal": 1,
    }  # 鉴定: workload
    stored = talks.spec.service(main_window.workspace).get(shown.id)
    assert stored.location == "县财政局五楼会议室"


def test_a_saved_draft_with_evidence_marks_the_talk_page_for_its_links(
    main_window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    pages = _visit_every_page(main_window)
    counts = _count_refreshes(pages, monkeypatch)
    reported: list[Changes] = []
    stop = main_window.workspace.on_changes(reported.append)
    drafts = main_window.page("问题底稿")
    main_window.show_page(drafts)
    talk = main_window.page("个别谈话记录").model.record(0)
    row = {"name": "谈话记录", "source": "个别谈话", "pages": 1, "interview_id": talk.id}
    drafts.form.set_value("evidence", [row])
    assert drafts.save()
    stop()
    assert reported == [Changes(frozenset({"draft", "link", "interview"}), links=True)]  # one transaction
    for page in pages:
        main_window.show_page(page)
    assert counts == {"interview": 1, "draft": 0, "lead": 0, "petition": 0, "evaluation": 0, "appraisal": 1}


@pytest.fixture
def world(world_template: Path, tmp_path: Path) -> Iterator[World]:
    w = open_world(world_template, tmp_path / "world")
    yield w
    w.close()


def test_importing_a_package_refreshes_every_page(
    world: World, qtbot: QtBot, ui_settings: QSettings, monkeypatch: pytest.MonkeyPatch
) -> None:
    field = world.fields[0]
    sent = RecordService(field, DRAFT).save(draft(world.ctx, title="公务接待超标准"))
    package = world.export(field)
    window = MainWindow(world.office, settings=ui_settings, recover=False)
    qtbot.addWidget(window)
    window.show()
    pages = _visit_every_page(window)
    counts = _count_refreshes(pages, monkeypatch)

    def click_through(dialog: ImportDialog) -> bool:
        if dialog.import_button is None:  # the summary
            return True
        dialog.import_button.click()
        return dialog.result() == QDialog.DialogCode.Accepted

    monkeypatch.setattr(sync_actions, "ask_open_packages", lambda _parent, _start: [package])
    monkeypatch.setattr(sync_actions, "show_import_dialog", click_through)
    main_menu.import_packages(window)
    assert counts == {page.type_key: 1 for page in pages}
    assert window.page("问题底稿").model.row_of(sent.id) is not None
    window._stop_listening()  # the world closes the office workspace, not the window


def test_a_dry_run_or_a_repeated_import_reports_no_change(world: World) -> None:
    field = world.fields[0]
    RecordService(field, DRAFT).save(draft(world.ctx))
    package = world.export(field)
    reported: list[Changes] = []
    world.office.on_changes(reported.append)
    sync.import_packages(world.office, [package], dry_run=True)
    assert reported == []
    sync.import_packages(world.office, [package])
    assert reported == [Changes(everything=True)]
    sync.import_packages(world.office, [package])
    assert len(reported) == 1


def test_changes_combine_and_say_what_they_touch() -> None:
    talk = Changes.of_types({"interview"})
    linked = Changes.of_types({"link", "draft", "interview"})
    assert not Changes() and talk and (talk | linked) == linked and linked.links
    assert talk.touches({"interview", "round"}) and not talk.touches({"draft"})
    assert Changes(everything=True).touches(set()) and dataclasses.replace(talk, everything=True)
