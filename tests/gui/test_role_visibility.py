"""Roles in the window: a lead's reporter is shown only to 组长, 副组长 and whoever registered it
(domain README §3.2), in the list, the form and what the form saves."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtWidgets import QAbstractButton, QApplication, QLabel, QLineEdit, QTableView, QWidget
from pytestqt.qtbot import QtBot

from tests.builders import MEMBER_PASSPHRASE, give_passphrase, make_context
from tests.builders import lead as lead_record
from tests.gui.keys import type_text
from xuncha_desktop.domain.lead_registrations import LeadRegistration
from xuncha_desktop.domain.organization import User
from xuncha_desktop.domain.record_types import LEAD, USER
from xuncha_desktop.gui.main_window import MainWindow
from xuncha_desktop.services.records.record_service import RecordService
from xuncha_desktop.services.workspace import Workspace

REPORTER, CONTACT = "钱多多", "13900001111"


def _prepare(ws: Workspace) -> str:
    ctx = make_context(ws)
    saved = RecordService[LeadRegistration](ws, LEAD).save(
        lead_record(ctx, registered_by="李明", reporter_name=REPORTER, reporter_contact=CONTACT)
    )
    users = RecordService[User](ws, USER)
    users.save(User(login="wangfang", display_name="王芳", role="组员"))
    users.save(User(login="liming2", display_name="李明", role="组员"))
    give_passphrase(ws, "wangfang")
    give_passphrase(ws, "liming2")
    return saved.id


def _window(qtbot: QtBot, path: Path, login: str, settings: Any) -> MainWindow:
    opened = Workspace.open(path, MEMBER_PASSPHRASE, user_login=login)
    window = MainWindow(opened, settings=settings, recover=False)
    qtbot.addWidget(window)
    window.resize(1400, 900)
    window.show()
    return window


def _visible_texts(window: QWidget) -> str:
    texts = []
    for widget in window.findChildren(QWidget):
        if not widget.isVisible():
            continue
        if isinstance(widget, QLineEdit | QLabel | QAbstractButton):
            texts.append(widget.text())
        if isinstance(widget, QTableView) and widget.model() is not None:
            model = widget.model()
            for row in range(model.rowCount()):
                for column in range(model.columnCount()):
                    texts.append(str(model.index(row, column).data() or ""))
    return "\n".join(texts)


def test_a_member_sees_the_reporter_hidden_and_cannot_overwrite_it(
    qtbot: QtBot, workspace: Workspace, ui_settings: Any
) -> None:
    lead_id = _prepare(workspace)
    path = workspace.path
    workspace.close()
    window = _window(qtbot, path, "wangfang", ui_settings)
    page = window.page_for(LEAD.key)
    window.show_page(page)
    assert page.show_record(lead_id)
    name_edit = page.form.widget_of("reporter_name")
    contact_edit = page.form.widget_of("reporter_contact")
    assert isinstance(name_edit, QLineEdit) and isinstance(contact_edit, QLineEdit)
    assert (name_edit.text(), contact_edit.text()) == ("已隐藏", "已隐藏")
    assert name_edit.isReadOnly() and "仅组长、副组长和登记人可见" in name_edit.toolTip()
    everything = _visible_texts(window)
    assert REPORTER not in everything and CONTACT not in everything

    summary = page.form.widget_of("summary")
    summary.setFocus()
    type_text(summary, "（补充）")
    page.save()
    stored = RecordService[LeadRegistration](window.workspace, LEAD).stored(lead_id)
    assert (stored.reporter_name, stored.reporter_contact) == (REPORTER, CONTACT)
    assert "（补充）" in stored.summary  # typed where the cursor was
    window.close()
    QApplication.processEvents()


def test_the_registrant_sees_and_edits_the_reporter(
    qtbot: QtBot, workspace: Workspace, ui_settings: Any
) -> None:
    lead_id = _prepare(workspace)
    path = workspace.path
    workspace.close()
    window = _window(qtbot, path, "liming2", ui_settings)
    page = window.page_for(LEAD.key)
    window.show_page(page)
    assert page.show_record(lead_id)
    name_edit = page.form.widget_of("reporter_name")
    assert isinstance(name_edit, QLineEdit)
    assert name_edit.text() == REPORTER and not name_edit.isReadOnly()
    window.close()
    QApplication.processEvents()
