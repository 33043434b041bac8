"""GUI fixtures: isolated UI settings, a workspace with a few records of each kind, the real main window."""

from __future__ import annotations

import gc
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QSettings
from pytestqt.qtbot import QtBot

from tests.builders import (
    PASSPHRASE,
    Context,
    appraisal,
    draft,
    evaluation,
    interview,
    lead,
    make_context,
    petition,
)
from xuncha_desktop.domain.interview_records import InterviewRecord
from xuncha_desktop.domain.issue_drafts import IssueDraft
from xuncha_desktop.domain.lead_registrations import LeadRegistration
from xuncha_desktop.domain.organization import GroupMember, Person, User
from xuncha_desktop.domain.personnel_evaluations import MemberAppraisal, PersonnelEvaluation
from xuncha_desktop.domain.record_types import (
    APPRAISAL,
    DRAFT,
    EVALUATION,
    INTERVIEW,
    LEAD,
    MEMBER,
    PERSON,
    PETITION,
    USER,
)
from xuncha_desktop.gui import messages, workspace_opener
from xuncha_desktop.gui.main_window import MainWindow
from xuncha_desktop.services.records.record_service import RecordService
from xuncha_desktop.services.workspace import Workspace
from xuncha_desktop.storage.keyfile import KdfParams

INTERVIEWEES = (
    ("王晓东", "清河县财政局副局长"),
    ("刘芳", "清河县财政局预算股股长"),
    ("陈卫国", "清河县财政局办公室主任"),
)


@dataclass(frozen=True)
class Filled:
    """What the `filled` workspace holds (the same ids in every test: it is copied from one template)."""

    ctx: Context
    interviews: tuple[InterviewRecord, ...]
    drafts: tuple[IssueDraft, ...]
    lead: LeadRegistration
    leader: User  # 管理员, the workspace's own first user
    deputy: User
    member: User
    person: Person
    group_member: GroupMember


@pytest.fixture
def ui_settings(tmp_path: Path) -> QSettings:
    """UI state in a throw-away file, never in the tester's own configuration."""
    return QSettings(str(tmp_path / "界面设置.ini"), QSettings.Format.IniFormat)


@pytest.fixture(autouse=True)
def opener_settings(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> QSettings:
    """The login the opener remembers goes to a throw-away file too."""
    settings = QSettings(str(tmp_path / "登录设置.ini"), QSettings.Format.IniFormat)
    monkeypatch.setattr(workspace_opener, "default_settings", lambda: settings)
    return settings


@pytest.fixture
def errors(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, str]]:
    """The error messages shown (title, text), instead of message boxes."""
    shown: list[tuple[str, str]] = []
    monkeypatch.setattr(messages, "show_error", lambda _parent, title, text: shown.append((title, text)))
    return shown


def _fill(ws: Workspace) -> Filled:
    ctx = make_context(ws)
    interviews = RecordService[InterviewRecord](ws, INTERVIEW)
    saved = tuple(interviews.save(interview(ctx, interviewee_name=n, post=p)) for n, p in INTERVIEWEES)
    drafts = RecordService[IssueDraft](ws, DRAFT)
    first = drafts.save(draft(ctx))
    second = drafts.save(
        draft(ctx, title="“三重一大”事项未经集体研究", category_l1="B1", amount_yuan=Decimal("0"))
    )
    one_lead = RecordService[LeadRegistration](ws, LEAD).save(lead(ctx))
    RecordService[PersonnelEvaluation](ws, EVALUATION).save(evaluation(ctx))
    RecordService[MemberAppraisal](ws, APPRAISAL).save(appraisal(ctx))
    RecordService[Any](ws, PETITION).save(petition(ctx))
    users = RecordService[User](ws, USER)
    deputy = users.save(User(login="zhaofu", display_name="赵副组长", role="副组长"))
    member = users.save(User(login="liming", display_name="李明", role="组员"))
    person = RecordService[Person](ws, PERSON).save(
        Person(
            target_id=ctx.target.id,
            name="周建华",
            gender="男",
            birth_month="1972-05",
            political_status="中共党员",
            post="清河县财政局党组成员、副局长",
            rank="科级干部",
        )
    )
    group_member = RecordService[GroupMember](ws, MEMBER).save(
        GroupMember(
            group_id=ctx.group.id,
            name="李明",
            role="组员",
            home_unit="清河县审计局",
            home_post="科员",
            duty="谈话",
            gender="男",
            birth_month="1990-07",
            start_on=date(2025, 3, 1),
            end_on=date(2025, 4, 15),
        )
    )
    return Filled(ctx, saved, (first, second), one_lead, ws.user, deputy, member, person, group_member)


@pytest.fixture(scope="session")
def filled_template(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Filled]:
    """One filled workspace made per session; each test works on its own copy of the files."""
    folder = tmp_path_factory.mktemp("filled-template")
    ws = Workspace.create(folder / "现场工作库.xcdb", PASSPHRASE, kdf=KdfParams.cheap())
    try:
        filled = _fill(ws)
    finally:
        ws.close()
    return folder / "现场工作库.xcdb", filled


@pytest.fixture
def filled_workspace(tmp_path: Path, filled_template: tuple[Path, Filled]) -> Iterator[Workspace]:
    source, _ = filled_template
    folder = tmp_path / "工作库"
    shutil.copytree(source.parent, folder)
    ws = Workspace.open(folder / source.name, PASSPHRASE)
    yield ws
    ws.close()


@pytest.fixture
def filled(filled_template: tuple[Path, Filled]) -> Filled:
    return filled_template[1]


@pytest.fixture
def main_window(qtbot: QtBot, filled_workspace: Workspace, ui_settings: QSettings) -> Iterator[MainWindow]:
    window = MainWindow(filled_workspace, settings=ui_settings, recover=False)
    window.resize(1500, 950)
    window.show()
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)  # keyboard shortcuts reach the active window only
    yield window
    # Closed here rather than by qtbot (which closes before fixtures end): edits a test left behind are
    # dropped first, so the unsaved-changes guard does not ask.
    for page in window.built_pages():  # a page never shown has no edits (and is not built now)
        if page.is_dirty():
            page.discard_changes()
    window.close()
    window.deleteLater()


@pytest.fixture(autouse=True)
def collect_garbage() -> Iterator[None]:
    """Collect after every test: a Python wrapper outliving its Qt object then fails here, at once, rather
    than as a missing widget several tests later."""
    yield
    gc.collect()
