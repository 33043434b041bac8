"""A record in conflict, opened in its form: the note, the marked fields, a save that leaves the conflict
open, and the link to 冲突处理 on that record."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from typing import Any

import pytest
from PySide6.QtCore import QSettings
from pytestqt.qtbot import QtBot

from tests.builders import draft
from tests.sync_helpers import World
from xuncha_desktop.domain.issue_drafts import IssueDraft
from xuncha_desktop.domain.record_types import DRAFT
from xuncha_desktop.gui import messages
from xuncha_desktop.gui.main_window import MainWindow
from xuncha_desktop.gui.pages.record_page import RecordPage
from xuncha_desktop.gui.views.conflict_banner import CONFLICT_PROPERTY, FIELD_TIP
from xuncha_desktop.services import sync
from xuncha_desktop.services.records.conflicts import ConflictService
from xuncha_desktop.services.records.record_service import RecordService
from xuncha_desktop.services.workspace import Workspace


def drafts(ws: Workspace) -> RecordService[IssueDraft]:
    return RecordService(ws, DRAFT)


def titles_apart(world: World) -> IssueDraft:
    """One draft whose title was changed differently on two laptops, and a suggestion on one of them."""
    a, b = world.fields[:2]
    base = drafts(a).save(draft(world.ctx))
    sync.import_packages(b, [world.export(a)])
    drafts(a).save(dataclasses.replace(base, title="标题甲", suggestion="建议甲"))
    drafts(b).save(dataclasses.replace(drafts(b).get(base.id), title="标题乙"))
    sync.import_packages(world.office, [world.export(a), world.export(b)])
    return base


@pytest.fixture
def office_window(qtbot: QtBot, world: World, ui_settings: QSettings) -> Iterator[MainWindow]:
    window = MainWindow(world.office, settings=ui_settings, recover=False)
    window.resize(1500, 950)
    window.show()
    yield window
    for page in window.built_pages():
        if page.is_dirty():
            page.discard_changes()
    window.close()
    window.deleteLater()


def open_draft(window: MainWindow, record_id: str) -> RecordPage[Any]:
    page = window.page("问题底稿")
    window.show_page(page)
    assert page.show_record(record_id)
    return page


def test_the_form_marks_the_undecided_field_and_a_save_keeps_the_conflict(
    world: World, office_window: MainWindow
) -> None:
    base = titles_apart(world)
    [conflict] = ConflictService(world.office).list_open()
    page = open_draft(office_window, base.id)
    banner = page.conflict_banner
    assert banner.isVisible()
    assert banner.text() == (
        "此记录有未处理的冲突：“问题标题”在不同电脑上被改成了不同内容，表单中标出的是暂定值。"
        "保存只记下您改动的内容，不会解决冲突；请在“冲突处理”中逐项确认。"
        ' <a href="conflict">打开冲突处理</a>'
    )
    title = page.form.widget_of("title")
    assert banner.marked_fields() == ["title"]
    assert title.property(CONFLICT_PROPERTY) is True and title.toolTip() == FIELD_TIP
    assert page.form.widget_of("basis").property(CONFLICT_PROPERTY) in (None, False)

    page.form.set_value("basis", "《党政机关厉行节约反对浪费条例》第二十条")
    assert page.save()
    [still] = ConflictService(world.office).list_open()
    assert (still.id, still.kind) == (conflict.id, "hard")
    assert banner.isVisible() and banner.marked_fields() == ["title"]
    detail = ConflictService(world.office).detail(conflict.id)
    assert {s.body["title"] for s in detail.sides} == {"标题甲", "标题乙"}


def test_the_link_opens_conflict_handling_on_that_record(
    world: World, office_window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    base = titles_apart(world)
    other = drafts(world.office).save(draft(world.ctx, title="另一份底稿"))
    page = open_draft(office_window, other.id)
    assert not page.conflict_banner.isVisible() and page.conflict_banner.marked_fields() == []
    assert page.show_record(base.id)
    page.form.set_value("basis", "尚未保存的依据")
    asked: list[str] = []
    monkeypatch.setattr(messages, "ask_unsaved_changes", lambda _p, what: asked.append(what) or "cancel")
    page.conflict_banner.linkActivated.emit("conflict")  # as a click on 打开冲突处理
    assert len(asked) == 1 and office_window.current_page() is page  # the typing stays, unsaved
    assert page.form.value("basis") == "尚未保存的依据"
    page.discard_changes()
    page.conflict_banner.linkActivated.emit("conflict")
    view = office_window.conflicts_view
    assert office_window.tabs.currentWidget() is view.parentWidget()
    shown = view.current_conflict()
    assert shown is not None and (shown.record_id, shown.kind) == (base.id, "hard")
    assert list(view.field_choices()) == ["title", "suggestion"]


def test_a_resolved_record_shows_no_note(world: World, office_window: MainWindow) -> None:
    base = titles_apart(world)
    conflicts = ConflictService(world.office)
    conflicts.resolve(conflicts.list_open()[0].id, {"title": "标题乙"})
    page = open_draft(office_window, base.id)
    assert not page.conflict_banner.isVisible()
    assert page.form.widget_of("title").property(CONFLICT_PROPERTY) in (None, False)


def test_the_conflicts_tab_counts_the_open_conflicts_once_the_window_has_painted(
    qtbot: QtBot, world: World, ui_settings: QSettings
) -> None:
    titles_apart(world)
    window = MainWindow(world.office, settings=ui_settings, recover=False)
    qtbot.addWidget(window)
    tabs = window.tabs
    index = next(i for i in range(tabs.count()) if tabs.tabText(i).startswith("冲突处理"))
    # Counting is not on the way to the first paint: the title gains its count right after it.
    assert tabs.tabText(index) == "冲突处理"
    window.show()
    qtbot.waitUntil(lambda: tabs.tabText(index) == "冲突处理（1）")
    assert window.conflicts_view.open_count() == 1  # the view, built when asked for, agrees
    window.close()
