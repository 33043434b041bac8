"""The recipe's GUI steps with the throw-away 走访记录 (tests/recipe): its page module and .ui file give a
page whose list columns, form and labels come from the field declarations, stored through the generic
services, and listing the page (gui/pages/registry.py) gives it its tab."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QLineEdit, QPlainTextEdit
from pytestqt.qtbot import QtBot

from tests.builders import PASSPHRASE, make_context
from tests.recipe import visit_page
from tests.recipe.visits import VISIT, VisitRecord
from xuncha_desktop.domain import record_types
from xuncha_desktop.gui import forms
from xuncha_desktop.gui.main_window import MainWindow
from xuncha_desktop.gui.pages.choices import load_choices
from xuncha_desktop.gui.pages.field_labels import field_label
from xuncha_desktop.gui.pages.page_types import WorkContext
from xuncha_desktop.gui.pages.record_page import RecordPage
from xuncha_desktop.gui.pages.registry import PAGE_SPECS, tab_titles
from xuncha_desktop.services.records.record_service import ListQuery, RecordService
from xuncha_desktop.services.workspace import Workspace
from xuncha_desktop.storage import tables
from xuncha_desktop.storage.keyfile import KdfParams

RECIPE = Path(visit_page.__file__).parent


@pytest.fixture
def visits(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Workspace]:
    """A workspace in which 走访记录 is registered, as step 1 (record_types) and step 4 (its table) make it;
    the form is read from tests/recipe instead of ui/."""
    table = tables.business_table(VISIT)
    monkeypatch.setitem(tables.BUSINESS_TABLES, VISIT.key, table)
    monkeypatch.setitem(record_types.BY_KEY, VISIT.key, VISIT)
    monkeypatch.setitem(record_types.BY_CLASS, VisitRecord, VISIT)
    in_ui = forms.resource_path
    monkeypatch.setattr(
        forms,
        "resource_path",
        lambda *parts: RECIPE / parts[-1] if parts[-1] == visit_page.FORM_FILE else in_ui(*parts),
    )
    try:
        ws = Workspace.create(tmp_path / "走访.xcdb", PASSPHRASE, kdf=KdfParams.cheap())
        yield ws
        ws.close()
    finally:
        tables.metadata.remove(table)


def test_the_page_lists_searches_and_edits_the_new_type(visits: Workspace, qtbot: QtBot) -> None:
    ctx = make_context(visits)
    service = RecordService[VisitRecord](visits, VISIT)
    stored = service.save(
        VisitRecord(
            **ctx.scope,
            visited_on=date(2025, 3, 6),
            visitor="张建国",
            place="清河县城关镇东街社区",
            topics=["惠民资金发放"],
            findings="群众反映低保评定不公开。",
        )
    )
    assert stored.number.startswith("2025-3轮-2组-走访-")
    assert [r.id for r in service.list(ListQuery(search="低保"))] == [stored.id]  # its searchable fields

    page: RecordPage[Any] = RecordPage(visit_page.PAGE, visits, load_choices(visits))
    qtbot.addWidget(page)
    page.set_context(WorkContext(ctx.round.id, ctx.group.id))
    page.show()
    qtbot.waitUntil(lambda: page.model.total() == 1)
    model = page.model
    headers = [model.headerData(i, Qt.Orientation.Horizontal) for i in range(model.columnCount())]
    assert headers == ["编号", "走访日期", "走访方式", "走访人", "被巡察单位"]

    page.select_row(0)
    qtbot.waitUntil(lambda: page.current_record() is not None)
    visitor = page.form.widget_of("visitor")
    assert isinstance(visitor, QLineEdit) and visitor.text() == "张建国"
    assert isinstance(page.form.widget_of("topics"), QPlainTextEdit)
    visitor.setText("李明")
    assert page.save()
    assert service.get(stored.id).visitor == "李明"
    assert field_label(VISIT.key, "findings") == "走访情况"  # conflicts and the audit log name it so


def test_a_listed_page_gets_its_tab(visits: Workspace, qtbot: QtBot, ui_settings: QSettings) -> None:
    make_context(visits)
    specs = (*PAGE_SPECS, visit_page.PAGE)  # as listing tests.recipe.visit_page in PAGE_MODULES makes them
    assert tab_titles(specs)[-1] == "走访记录"
    window = MainWindow(visits, specs=specs, settings=ui_settings, recover=False)
    qtbot.addWidget(window)
    page = window.page("走访记录")
    window.show_page(page)
    assert page.spec is visit_page.PAGE and page.model.total() == 0
    window.close()


@pytest.mark.parametrize("spec", (*PAGE_SPECS, visit_page.PAGE), ids=lambda s: s.title)
def test_every_filter_of_a_page_is_a_declared_filter_field(spec: Any) -> None:
    """A filter-bar column is declared `filter=True` on its field, which gives it its (filter, date) index."""
    assert {f.field for f in spec.filters} <= set(spec.record_type.filter_fields)
    assert spec.date_field == spec.record_type.date_field != ""
