"""GUI fixtures: isolated UI settings, a workspace with a few records of each kind, the real main window."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings
from pytestqt.qtbot import QtBot

from tests.builders import Context, appraisal, draft, evaluation, interview, lead
from xuncha_desktop.domain.interview_records import InterviewRecord
from xuncha_desktop.domain.issue_drafts import IssueDraft
from xuncha_desktop.domain.lead_registrations import LeadRegistration
from xuncha_desktop.domain.personnel_evaluations import MemberAppraisal, PersonnelEvaluation
from xuncha_desktop.domain.record_types import APPRAISAL, DRAFT, EVALUATION, INTERVIEW, LEAD
from xuncha_desktop.gui import messages
from xuncha_desktop.gui.main_window import MainWindow
from xuncha_desktop.services.records import RecordService
from xuncha_desktop.services.workspace import Workspace

INTERVIEWEES = (
    ("王晓东", "清河县财政局副局长"),
    ("刘芳", "清河县财政局预算股股长"),
    ("陈卫国", "清河县财政局办公室主任"),
)


@dataclass(frozen=True)
class Filled:
    """What the `filled` workspace holds."""

    ctx: Context
    interviews: tuple[InterviewRecord, ...]


@pytest.fixture
def ui_settings(tmp_path: Path) -> QSettings:
    """UI state in a throw-away file, never in the tester's own configuration."""
    return QSettings(str(tmp_path / "界面设置.ini"), QSettings.Format.IniFormat)


@pytest.fixture(autouse=True)
def no_real_dialogs(monkeypatch: pytest.MonkeyPatch) -> None:
    """A modal dialog would block the test run: any one not replaced by the test fails it instead."""

    def unexpected(*args: object, **kwargs: object) -> None:
        raise AssertionError(f"unexpected dialog: {args} {kwargs}")

    for name in (
        "show_error",
        "show_about",
        "ask_create_workspace",
        "ask_passphrase",
        "ask_new_passphrase",
        "choose_workspace_file",
    ):
        monkeypatch.setattr(messages, name, unexpected)


@pytest.fixture
def filled(workspace: Workspace, ctx: Context) -> Filled:
    interviews = RecordService[InterviewRecord](workspace, INTERVIEW)
    saved = tuple(interviews.save(interview(ctx, interviewee_name=n, post=p)) for n, p in INTERVIEWEES)
    drafts = RecordService[IssueDraft](workspace, DRAFT)
    drafts.save(draft(ctx))
    drafts.save(draft(ctx, title="“三重一大”事项未经集体研究", category_l1="B1"))
    RecordService[LeadRegistration](workspace, LEAD).save(lead(ctx))
    RecordService[PersonnelEvaluation](workspace, EVALUATION).save(evaluation(ctx))
    RecordService[MemberAppraisal](workspace, APPRAISAL).save(appraisal(ctx))
    return Filled(ctx, saved)


@pytest.fixture
def main_window(
    qtbot: QtBot, workspace: Workspace, filled: Filled, ui_settings: QSettings
) -> Iterator[MainWindow]:
    window = MainWindow(workspace, settings=ui_settings)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    yield window
