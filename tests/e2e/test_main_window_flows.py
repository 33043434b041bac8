"""A day of field work through the real main window over a real encrypted workspace, start to close."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtGui import QTextCursor
from PySide6.QtWidgets import QPlainTextEdit, QPushButton
from pytestqt.qtbot import QtBot

from tests.builders import PASSPHRASE, Context, make_context
from tests.gui.keys import ime_commit, type_text
from xuncha_desktop.domain.organization import User
from xuncha_desktop.domain.record_types import USER
from xuncha_desktop.gui import messages
from xuncha_desktop.gui.main_window import RECYCLE_BIN_TITLE, MainWindow
from xuncha_desktop.gui.pages.record_page import RecordPage
from xuncha_desktop.services.records.links import LinkService
from xuncha_desktop.services.records.record_service import RecordService
from xuncha_desktop.services.workspace import Workspace
from xuncha_desktop.storage.keyfile import KdfParams

pytestmark = pytest.mark.e2e
TALK = "问：单位有没有违规发放津补贴？\n答：2024年以加班费名义向全体干部发放过补贴，每人每月500元。"
FINDING = "2024年以加班费名义向全体干部发放过补贴"


class Dialogs:
    """Stands in for every dialog of gui/messages.py; the test says how the user answers."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.unsaved: list[str] = []
        self.errors: list[str] = []
        self.deleted: list[str] = []
        monkeypatch.setattr(messages, "ask_unsaved_changes", self._unsaved)
        monkeypatch.setattr(
            messages, "confirm_delete", lambda parent, what: self.deleted.append(what) or True
        )
        monkeypatch.setattr(messages, "show_error", lambda parent, title, text: self.errors.append(text))
        monkeypatch.setattr(messages, "show_info", lambda parent, title, text: None)
        monkeypatch.setattr(messages, "ask_text", lambda parent, title, label: "证据不足，请补充")
        monkeypatch.setattr(messages, "ask_recover_form", lambda parent, what, when: False)
        monkeypatch.setattr(messages, "exec_dialog", lambda box: self.asked.append(box.text()) or True)
        self.answers: list[str] = []
        self.asked: list[str] = []  # questions answered Yes (e.g. revoking a sign-off)

    def _unsaved(self, parent: object, what: str) -> str:
        self.unsaved.append(what)
        return self.answers.pop(0) if self.answers else "discard"  # e.g. when a failed test closes


@pytest.fixture
def setting(tmp_path: Path) -> Iterator[tuple[Workspace, Context, User]]:
    ws = Workspace.create(tmp_path / "第二巡察组.xcdb", PASSPHRASE, kdf=KdfParams.cheap(), user_name="张组长")
    ctx = make_context(ws)
    deputy = RecordService[User](ws, USER).save(User(login="zhao", display_name="赵副组长", role="副组长"))
    yield ws, ctx, deputy
    ws.close()


def select(edit: QPlainTextEdit, text: str) -> None:
    start = edit.toPlainText().index(text)
    cursor = edit.textCursor()
    cursor.setPosition(start)
    cursor.setPosition(start + len(text), QTextCursor.MoveMode.KeepAnchor)
    edit.setTextCursor(cursor)


def click(qtbot: QtBot, button: QPushButton) -> None:
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def save(qtbot: QtBot, window: MainWindow, page: RecordPage[Any]) -> None:
    with qtbot.waitSignal(page.record_saved):
        qtbot.keyClick(window, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)


def tab_index(window: MainWindow, title: str) -> int:
    """The main tab titled `title` (the record tabs before it grow as record types are added)."""
    titles = [window.tabs.tabText(i) for i in range(window.tabs.count())]
    return titles.index(title)


def test_a_day_of_field_work(
    qtbot: QtBot, tmp_path: Path, setting: tuple[Workspace, Context, User], monkeypatch: pytest.MonkeyPatch
) -> None:
    ws, ctx, deputy = setting
    dialogs = Dialogs(monkeypatch)
    settings = QSettings(str(tmp_path / "界面.ini"), QSettings.Format.IniFormat)
    window = MainWindow(ws, settings=settings)
    qtbot.addWidget(window)
    window.resize(1400, 900)
    window.show()
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)  # keyboard shortcuts reach the active window only
    leader = ws.user

    # 1. Record a talk, typed in Chinese, saved with Ctrl+S.
    talks = window.page("个别谈话记录")
    qtbot.keyClick(window, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    talks.form.set_value("target_id", ctx.target.id)
    type_text(talks.form.widget_of("interviewee_name"), "王晓东")
    ime_commit(talks.form.widget_of("interviewer"), "张组长")
    talks.form.set_value("recorder", "李明")
    content = talks.form.widget_of("content")
    assert isinstance(content, QPlainTextEdit)
    content.setPlainText(TALK)
    save(qtbot, window, talks)
    talk = talks.current_record()
    assert talk.number == "2025-3轮-2组-谈话-001" and talk.held_on == date.today()

    # 2. Register the finding as a lead and as a draft, both linked back to the talk.
    select(content, FINDING)
    click(qtbot, talks.action_button("registerLeadButton"))
    leads = window.page("问题线索登记")
    assert window.current_page() is leads
    type_text(leads.form.widget_of("subject_name"), "孙志强")
    save(qtbot, window, leads)
    window.navigate("interview", talk.id)
    select(content, FINDING)
    click(qtbot, talks.action_button("makeDraftButton"))
    drafts = window.page("问题底稿")
    drafts.form.set_value("category_l1", "B2")
    save(qtbot, window, drafts)
    draft = drafts.current_record()
    linked = {x.record_type for x in LinkService(ws).linked("interview", talk.id)}
    assert linked == {"lead", "draft"}

    # 3. The draft goes through review (副组长) and approval (组长); the wrong user is refused.
    click(qtbot, drafts.action_button("submitButton"))
    click(qtbot, drafts.action_button("reviewButton"))
    assert dialogs.errors[-1].startswith("复核须由副组长进行")
    ws.user = deputy
    drafts.refresh()
    click(qtbot, drafts.action_button("reviewButton"))
    ws.user = leader
    drafts.refresh()
    click(qtbot, drafts.action_button("approveButton"))
    assert drafts.current_record().status == "已审签"
    assert [s["by"] for s in drafts.current_record().signoffs] == ["张组长", "赵副组长", "张组长"]

    # 4. The lead is deleted by mistake and restored from the recycle bin.
    window.show_page(leads)
    leads.table.setFocus()
    qtbot.keyClick(leads.table, Qt.Key.Key_Delete)
    assert leads.model.total() == 0 and dialogs.deleted
    window.show_tab(tab_index(window, RECYCLE_BIN_TITLE))
    assert window.recycle_bin is not None
    window.recycle_bin.select_row(0)
    window.recycle_bin.restore_selected()
    window.show_page(leads)
    assert leads.model.total() == 1

    # 5. An unsaved edit of the signed draft is caught on closing; saving it, after agreeing that the
    # sign-off is revoked, lets the window close.
    window.show_page(drafts)
    drafts.show_record(draft.id)
    drafts.form.set_value("suggestion", "责令清退违规发放的补贴")
    dialogs.answers = ["save"]
    assert window.close()
    assert dialogs.unsaved == [f"问题底稿“{draft.title}”"]
    assert len(dialogs.asked) == 1 and "审签将被撤销，底稿退回待复核" in dialogs.asked[0]
    with Workspace.open(ws.path, PASSPHRASE) as again:
        stored = RecordService[Any](again, drafts.spec.record_type).get(draft.id)
    assert (stored.suggestion, stored.status) == ("责令清退违规发放的补贴", "待复核")
    assert stored.status == "待复核" and stored.edited_after_signoff  # edited after 审签


def test_an_unanswered_dialog_fails_a_window_flow_too(qtbot: QtBot) -> None:
    """The guard of tests/conftest.py covers every test with Qt, not only those under tests/gui."""
    from tests.conftest import unexpected_dialog

    assert messages.show_info is unexpected_dialog  # checked first: the real dialog would hang the run
    with pytest.raises(AssertionError, match=r"^unexpected dialog: "):
        messages.show_info(None, "提示", "已保存")
