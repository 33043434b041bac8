"""The office demo's rectification: every record keeps its validator and the services' cross-record rules,
and a newcomer finds the 整改监督 screens filled — overdue and due-soon tasks, every state, 督导 notes,
验收 and 销号, evidence, the unit's deadlines (received and overdue), a 回头看 with each re-check result, a
移交线索对账 mark, a ranked and explained evaluation and non-trivial figures."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from datetime import date, timedelta
from itertools import pairwise
from pathlib import Path
from typing import Any

import pytest

from tests.builders import PASSPHRASE
from tests.unit.services.demo.reading import all_records
from xuncha_desktop.domain import rectification as rect
from xuncha_desktop.domain.record_types import (
    DRAFT,
    FEEDBACK,
    RECHECK,
    RECONCILIATION,
    ROUND,
    SUPERVISION,
    TARGET,
    TASK,
)
from xuncha_desktop.services.demo.office import OfficeSummary, build_office_demo
from xuncha_desktop.services.records.attachments import AttachmentService
from xuncha_desktop.services.rectification.evaluation import evaluate_round
from xuncha_desktop.services.rectification.feedback import signed_drafts
from xuncha_desktop.services.rectification.figures import rectification_figures
from xuncha_desktop.services.rectification.recheck import recheck_items
from xuncha_desktop.services.rectification.reconciliation import reconcile_round
from xuncha_desktop.services.rectification.tasks import TaskQuery, TaskService, deadlines
from xuncha_desktop.services.security.integrity import check_workspace
from xuncha_desktop.services.workspace import Workspace
from xuncha_desktop.storage.keyfile import KdfParams

TODAY = date.today()  # the services check "not in the future" against the real today


def _office(path: Path, seed: int = 1, today: date = TODAY) -> tuple[Workspace, OfficeSummary]:
    ws = Workspace.create(path, PASSPHRASE, kdf=KdfParams.cheap(), office=True)
    return ws, build_office_demo(ws, seed=seed, today=today)


@pytest.fixture(scope="module")
def office(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Workspace, OfficeSummary]]:
    ws, summary = _office(tmp_path_factory.mktemp("office") / "巡察办演示.xcdb")
    yield ws, summary
    ws.close()


def _rounds(ws: Workspace) -> list[Any]:
    return sorted(all_records(ws, ROUND), key=lambda r: r.start_on)


# -- every record keeps the rules -------------------------------------------------------------------------
def test_every_task_keeps_the_cross_record_rules_and_the_workspace_passes_the_check(
    office: tuple[Workspace, OfficeSummary],
) -> None:
    ws, summary = office
    service = TaskService(ws)
    tasks = all_records(ws, TASK)
    assert summary.tasks == len(tasks) > 20
    for task in tasks:
        assert TASK.validate(task, TODAY) == [] and service.cross_errors(task) == [], task.number
    assert check_workspace(ws) == []


def test_every_feedback_hands_over_the_units_signed_drafts_after_the_round_left(
    office: tuple[Workspace, OfficeSummary],
) -> None:
    ws, summary = office
    rounds = {r.id: r for r in all_records(ws, ROUND)}
    finished = {r.id for r in rounds.values() if r.end_on < TODAY}
    targets = {t.id: t for t in all_records(ws, TARGET)}
    drafts = {d.id: d for d in all_records(ws, DRAFT)}
    feedbacks = all_records(ws, FEEDBACK)
    assert summary.feedbacks == len(feedbacks) == sum(1 for t in targets.values() if t.round_id in finished)
    for fb in feedbacks:
        assert FEEDBACK.validate(fb, TODAY) == [], fb.number
        assert targets[fb.target_id].round_id == fb.round_id in finished
        assert rounds[fb.round_id].end_on < fb.given_on <= TODAY
        assert all(drafts[d].target_id == fb.target_id and drafts[d].status == "已审签" for d in fb.draft_ids)
        assert signed_drafts(ws, fb.target_id) == []  # nothing left to hand over
    tasks = all_records(ws, TASK)
    by_feedback = Counter(t.feedback_id for t in tasks)
    assert all(by_feedback[fb.id] == len(fb.draft_ids) for fb in feedbacks)
    assert len({t.draft_id for t in tasks}) == len(tasks)


def test_notes_rechecks_and_the_reconciliation_keep_their_rules(
    office: tuple[Workspace, OfficeSummary],
) -> None:
    ws, summary = office
    tasks = {t.id: t for t in all_records(ws, TASK)}
    feedbacks = {f.id: f for f in all_records(ws, FEEDBACK)}
    notes = all_records(ws, SUPERVISION)
    assert summary.supervisions == len(notes) > len(tasks)
    for note in notes:
        task = tasks[note.task_id]
        assert SUPERVISION.validate(note, TODAY) == []
        assert (note.round_id, note.target_id) == (task.round_id, task.target_id)
        assert feedbacks[task.feedback_id].given_on < note.noted_on <= TODAY
    recheck_round = next(r for r in all_records(ws, ROUND) if r.kind == "回头看")
    items = {i.task.id: i for i in recheck_items(ws, recheck_round.id)}
    for result in all_records(ws, RECHECK):
        assert RECHECK.validate(result, TODAY) == []
        assert result.round_id == recheck_round.id and items[result.task_id].result == result
    for mark in all_records(ws, RECONCILIATION):
        assert RECONCILIATION.validate(mark, TODAY) == []


# -- what a newcomer sees ---------------------------------------------------------------------------------
def test_overdue_and_due_soon_tasks_stand_out(office: tuple[Workspace, OfficeSummary]) -> None:
    ws, _ = office
    service = TaskService(ws)
    first, revisit, _current = _rounds(ws)
    overdue = service.list(TaskQuery(due="overdue", today=TODAY))
    soon = service.list(TaskQuery(due="soon", today=TODAY))
    assert len(overdue) == service.count(TaskQuery(due="overdue", today=TODAY)) >= 3
    assert len(soon) == service.count(TaskQuery(due="soon", today=TODAY)) >= 3
    assert all(rect.is_overdue(t, TODAY) for t in overdue) and all(rect.is_due_soon(t, TODAY) for t in soon)
    assert any(t.round_id == first.id for t in overdue)
    assert any(t.round_id == revisit.id for t in soon)


def test_tasks_are_in_every_state_with_acceptance_closing_and_results(
    office: tuple[Workspace, OfficeSummary],
) -> None:
    ws, summary = office
    tasks = all_records(ws, TASK)
    states = Counter(t.status for t in tasks)
    assert {rect.DONE, rect.DONE_BASICALLY, rect.IN_PROGRESS, rect.NOT_DONE} <= set(states)
    assert states[rect.DONE] > states[rect.NOT_DONE]
    accepted = [t for t in tasks if t.accepted_on]
    closed = [t for t in tasks if t.closed_on]
    assert closed and len(closed) < len(accepted) < len(tasks)
    assert all(t.acceptance_opinion and t.accepted_by for t in accepted)
    assert any(t.institutions for t in tasks) and any(t.accountability for t in tasks)
    assert any(t.amount_recovered_yuan > 0 for t in tasks)
    assert all(t.responsible_person and t.measures.startswith("一是") and t.goal for t in tasks)
    assert len({t.responsible_unit for t in tasks}) > 5
    evidence = [t for t in tasks if AttachmentService(ws).of_record("task", t.id)]
    assert 1 <= len(evidence) == summary.attachments <= 10
    data = AttachmentService(ws).data(AttachmentService(ws).of_record("task", evidence[0].id)[0].sha256)
    assert "关于印发" in data.decode("utf-8")


def test_supervision_is_monthly(office: tuple[Workspace, OfficeSummary]) -> None:
    ws, _ = office
    service = TaskService(ws)
    first = _rounds(ws)[0]
    open_tasks = [t for t in all_records(ws, TASK) if t.round_id == first.id and t.status == rect.IN_PROGRESS]
    notes = service.notes(open_tasks[0].id)
    assert len(notes) >= 4
    gaps = [(b.noted_on - a.noted_on).days for a, b in pairwise(notes)]
    assert all(20 <= g <= 40 for g in gaps), gaps
    assert {n.status_then for n in notes} == {rect.IN_PROGRESS}


def test_the_units_deadlines_are_received_or_overdue(office: tuple[Workspace, OfficeSummary]) -> None:
    ws, _ = office
    lines = deadlines(ws, TODAY)
    for what in ("整改方案", "整改报告"):
        mine = [d for d in lines if d.what == what]
        assert any(d.overdue for d in mine) and any(d.done_on for d in mine), what
    assert any(d.done_on and d.due_on and d.done_on > d.due_on for d in lines)  # sent late
    assert any(d.days_left is not None and d.days_left >= 0 for d in lines)  # not due yet


def test_the_recheck_round_has_every_result(office: tuple[Workspace, OfficeSummary]) -> None:
    ws, summary = office
    first, revisit, _ = _rounds(ws)
    assert revisit.kind == "回头看" and revisit.earlier_round_id == first.id
    items = recheck_items(ws, revisit.id)
    assert items and all(i.result is not None and i.task.round_id == first.id for i in items)
    results = Counter(i.result.result for i in items if i.result)
    assert set(results) == set(rect.RECHECK_RESULTS) and results["属实整改"] >= 2
    assert summary.rechecks == len(items) and all(i.result and i.result.finding for i in items)


def test_one_organ_of_the_first_round_is_reconciled(office: tuple[Workspace, OfficeSummary]) -> None:
    ws, summary = office
    first = _rounds(ws)[0]
    lines = reconcile_round(ws, first.id, TODAY)
    marked = [line for line in lines if line.reconciled_on]
    assert summary.reconciliations == len(marked) == 1
    assert marked[0].transferred == max(line.transferred for line in lines) > 0


def test_the_evaluation_ranks_the_units_and_explains_every_line(
    office: tuple[Workspace, OfficeSummary],
) -> None:
    ws, _ = office
    first, revisit, _ = _rounds(ws)
    ranked = evaluate_round(ws, first.id, TODAY)
    assert len(ranked) >= 5
    assert [e.score for e in ranked] == sorted((e.score for e in ranked), reverse=True)
    assert ranked[0].rank == 1 and ranked[-1].rank > 1 and ranked[0].score > ranked[-1].score
    assert all(line.explanation for e in ranked for line in e.lines)
    assert any(line.points < 0 for e in ranked for line in e.lines)
    rechecked = evaluate_round(ws, revisit.id, TODAY)
    labels = {line.label for e in rechecked for line in e.lines if line.points < 0}
    assert rechecked and {"回头看整改不到位"} <= labels


def test_the_figures_are_not_trivial(office: tuple[Workspace, OfficeSummary]) -> None:
    ws, summary = office
    figures = rectification_figures(ws, TODAY)
    assert figures["tasks"] == summary.tasks
    assert 0 < figures["completion_rate"] < 1
    assert figures["overdue"] > 0 and figures["not_done"] > 0 and figures["done_basically"] > 0


@pytest.mark.parametrize(("seed", "day"), [(2, date(2026, 3, 3)), (7, TODAY - timedelta(days=40))])
def test_other_seeds_and_days_also_show_overdue_soon_and_every_recheck_result(
    tmp_path: Path, seed: int, day: date
) -> None:
    ws, _ = _office(tmp_path / "其他.xcdb", seed, day)
    try:
        service = TaskService(ws)
        assert service.count(TaskQuery(due="overdue", today=day)) > 0
        assert service.count(TaskQuery(due="soon", today=day)) > 0
        assert {r.result for r in all_records(ws, RECHECK)} == set(rect.RECHECK_RESULTS)
        assert 0 < rectification_figures(ws, day)["completion_rate"] < 1
    finally:
        ws.close()
