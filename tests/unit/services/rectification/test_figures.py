"""The rectification figures of `stats --json`: counts by how tasks ended, overdue as of a day, the
completion rate; per round or for the whole workspace; deleted tasks not counted."""

from __future__ import annotations

import dataclasses
from datetime import date
from typing import Any

from tests.builders import Context, make_context
from tests.unit.services.rectification.conftest import feedback_for, signed
from xuncha_desktop.domain.record_types import TASK
from xuncha_desktop.services.records.record_service import RecordService
from xuncha_desktop.services.rectification.feedback import give_feedback
from xuncha_desktop.services.rectification.figures import rectification_figures
from xuncha_desktop.services.rectification.tasks import TaskService
from xuncha_desktop.services.statistics import workspace_figures
from xuncha_desktop.services.workspace import Workspace

EMPTY = {"tasks": 0, "done": 0, "done_basically": 0, "not_done": 0, "overdue": 0, "completion_rate": 0.0}


def _tasks(ws: Workspace, ctx: Context, states: list[str]) -> list[Any]:
    for i, _ in enumerate(states):
        signed(ws, ctx, f"问题{i}")
    tasks = give_feedback(ws, feedback_for(ctx), task_due_on=date(2025, 9, 1))[1]
    service = TaskService(ws)
    for task, status in zip(tasks, states, strict=True):
        done = date(2025, 8, 1) if status in ("已完成", "基本完成持续整改") else None
        service.save(dataclasses.replace(task, status=status, completed_on=done))
    return tasks


def test_without_tasks_every_figure_is_zero(office: Workspace) -> None:
    assert rectification_figures(office, date(2025, 9, 2)) == EMPTY
    assert workspace_figures(office).as_json()["rectification"] == EMPTY


def test_figures_count_how_tasks_ended_and_which_are_overdue(office: Workspace, octx: Context) -> None:
    tasks = _tasks(
        office, octx, ["已完成", "已完成", "基本完成持续整改", "未完成", "整改中", "未启动", "整改中"]
    )
    RecordService[Any](office, TASK).delete(tasks[-1].id)
    later = make_context(office, ordinal=4)
    _tasks(office, later, ["未启动"])
    assert rectification_figures(office, date(2025, 9, 1), round_id=octx.round.id) == {
        "tasks": 6,
        "done": 2,
        "done_basically": 1,
        "not_done": 1,
        "overdue": 0,  # due today is not overdue yet
        "completion_rate": 0.5,
    }
    whole = rectification_figures(office, date(2025, 9, 2))
    assert (whole["tasks"], whole["overdue"], whole["completion_rate"]) == (7, 3, round(3 / 7, 4))
    stats = workspace_figures(office, date(2025, 9, 2)).as_json()
    assert stats["rectification"] == whole
    assert stats["drafts"] == 8 and "drafts_by_status" in stats  # the existing keys stay
