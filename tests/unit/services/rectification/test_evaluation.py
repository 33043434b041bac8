"""整改质效评估: the versioned scheme, each score explained line by line, ranking, a 回头看 round, and
the whole service path from signed 底稿 to the evaluation."""

from __future__ import annotations

import dataclasses
from datetime import date, datetime
from typing import Any

import pytest

from tests.builders import Context, draft, sign_in_as
from tests.unit.services.rectification.conftest import feedback_for, other_unit, signed
from tests.unit.services.rectification.test_recheck import recheck_round
from xuncha_desktop.domain.errors import RecordNotFound, ValidationError, WorkflowError
from xuncha_desktop.domain.organization import User
from xuncha_desktop.domain.record_types import USER
from xuncha_desktop.domain.rectification import RecheckResult, RectificationTask, SupervisionNote
from xuncha_desktop.services.records.draft_workflow import DraftWorkflow
from xuncha_desktop.services.records.record_service import RecordService
from xuncha_desktop.services.rectification import evaluation as ev
from xuncha_desktop.services.rectification.feedback import give_feedback, signed_drafts
from xuncha_desktop.services.rectification.figures import rectification_figures
from xuncha_desktop.services.rectification.recheck import recheck_items, record_recheck
from xuncha_desktop.services.rectification.settings import RectificationSettings, save_settings
from xuncha_desktop.services.rectification.tasks import TaskQuery, TaskService
from xuncha_desktop.services.workspace import Workspace

TODAY = date(2025, 10, 1)
SIMPLE = ev.EvaluationScheme(
    version="测试-1",
    items=(
        ev.SchemeItem("completion_rate", "整改完成率", 40),
        ev.SchemeItem("overdue_tasks", "逾期未完成任务", -2, 3),
        ev.SchemeItem("institutions", "建章立制", 1, 5),
    ),
)


def _finish(ws: Workspace, tasks: list[RectificationTask], states: list[tuple[str, date | None]]) -> None:
    service = TaskService(ws)
    for task, (status, due) in zip(tasks, states, strict=True):
        done = date(2025, 8, 1) if status in ("已完成", "基本完成持续整改") else None
        service.save(dataclasses.replace(task, status=status, completed_on=done, due_on=due or task.due_on))


def _unit_with_five_tasks(ws: Workspace, ctx: Context) -> list[RectificationTask]:
    for title in ("甲", "乙", "丙", "丁", "戊"):
        signed(ws, ctx, f"{title}问题")
    tasks = give_feedback(ws, feedback_for(ctx), task_due_on=date(2025, 9, 1))[1]
    _finish(
        ws,
        tasks,
        [
            ("已完成", None),
            ("基本完成持续整改", None),
            ("整改中", None),
            ("未启动", None),
            ("整改中", date(2025, 12, 1)),
        ],
    )
    service = TaskService(ws)
    service.save(dataclasses.replace(service.get(tasks[0].id), institutions=7, accountability=2))
    return tasks


def test_each_score_is_explained_line_by_line(office: Workspace, octx: Context) -> None:
    _unit_with_five_tasks(office, octx)
    [unit] = ev.evaluate_round(office, octx.round.id, TODAY, SIMPLE)
    assert (unit.unit_name, unit.rank, unit.scheme_version) == ("清河县财政局党组", 1, "测试-1")
    assert [(line.label, line.value, line.points) for line in unit.lines] == [
        ("基础分", 100.0, 100.0),
        ("整改完成率", 0.4, -24.0),
        ("逾期未完成任务", 2.0, -3.0),  # 2 × -2 = -4, limited to 3
        ("建章立制", 7.0, 5.0),  # 7 × 1, limited to 5
    ]
    assert unit.score == 78.0
    assert unit.lines[1].explanation == (
        "已完成 1 项、基本完成 1 项，共 5 项，整改完成率 40.0%；40 分 × 未达比例 60.0%，扣 24.00 分"
    )
    assert unit.lines[2].explanation == "逾期未完成任务 2 项 × -2 分 = -4.00 分，以 3 分为限，扣 3.00 分"
    assert unit.lines[3].explanation == "建章立制 7 项 × 1 分 = +7.00 分，以 5 分为限，加 5.00 分"


def test_the_default_scheme_scores_every_listed_measure(office: Workspace, octx: Context) -> None:
    _unit_with_five_tasks(office, octx)
    [unit] = ev.evaluate_round(office, octx.round.id, TODAY)
    assert unit.scheme_version == ev.DEFAULT_SCHEME.version
    points = {line.label: line.points for line in unit.lines}
    assert points == {
        "基础分": 100.0,
        "整改完成率": -24.0,
        "按期完成率": -10.0,  # 2 on time of 4 finished or past due (the fifth is due in December)
        "逾期未完成任务": -4.0,
        "未完成任务": 0.0,
        "回头看整改不到位": 0.0,
        "回头看反弹回潮": 0.0,
        "建章立制": 5.0,
        "问责": 1.0,
    }
    assert unit.score == 68.0


def test_units_are_ranked_and_equal_scores_share_a_rank(office: Workspace, octx: Context) -> None:
    _unit_with_five_tasks(office, octx)
    units = []
    for name in ("第一单位党组", "第二单位党组"):
        ctx = other_unit(office, octx, name)
        signed(office, ctx, "问题")
        [task] = give_feedback(office, feedback_for(ctx))[1]
        _finish(office, [task], [("已完成", None)])
        units.append(ctx)
    result = ev.evaluate_round(office, octx.round.id, TODAY, SIMPLE)
    assert [(u.unit_name, u.rank, u.score) for u in result] == [
        ("第一单位党组", 1, 100.0),
        ("第二单位党组", 1, 100.0),
        ("清河县财政局党组", 3, 78.0),
    ]


def test_a_score_never_falls_below_zero(office: Workspace, octx: Context) -> None:
    _unit_with_five_tasks(office, octx)
    harsh = ev.EvaluationScheme("严-1", (ev.SchemeItem("overdue_tasks", "逾期", -80),))
    [unit] = ev.evaluate_round(office, octx.round.id, TODAY, harsh)
    assert unit.score == 0.0 and unit.lines[-1].label == "最低分"


def test_a_saved_scheme_becomes_current_and_its_version_cannot_be_reused(office: Workspace) -> None:
    assert ev.load_scheme(office) == ev.DEFAULT_SCHEME
    ev.save_scheme(office, SIMPLE)
    assert ev.load_scheme(office) == SIMPLE
    changed = dataclasses.replace(SIMPLE, items=SIMPLE.items[:1])
    with pytest.raises(ValidationError) as caught:
        ev.save_scheme(office, changed)
    assert [e.field for e in caught.value.errors] == ["version"]
    ev.save_scheme(office, dataclasses.replace(changed, version="测试-2"))
    assert ev.load_scheme(office).version == "测试-2"
    assert ev.load_scheme(office, "测试-1") == SIMPLE  # what an export under 测试-1 was scored with
    ev.save_scheme(office, ev.DEFAULT_SCHEME)  # the default again, as it was
    assert ev.load_scheme(office) == ev.DEFAULT_SCHEME
    assert ev.scheme_versions(office) == ["默认-1", "测试-1", "测试-2"]
    with pytest.raises(RecordNotFound):
        ev.load_scheme(office, "没有这个版本")


def test_a_result_under_an_old_version_does_not_change_when_the_scheme_does(
    office: Workspace, octx: Context
) -> None:
    _unit_with_five_tasks(office, octx)
    ev.save_scheme(office, SIMPLE)
    exported = ev.evaluate_round(office, octx.round.id, TODAY)
    ev.save_scheme(office, dataclasses.replace(SIMPLE, version="测试-2", items=SIMPLE.items[:1]))
    scheme = ev.load_scheme(office, exported[0].scheme_version)
    assert ev.evaluate_round(office, octx.round.id, TODAY, scheme) == exported
    assert ev.evaluate_round(office, octx.round.id, TODAY)[0].score != exported[0].score


@pytest.mark.parametrize(
    ("scheme", "field"),
    [
        (dataclasses.replace(SIMPLE, version=" "), "version"),
        (dataclasses.replace(SIMPLE, items=()), "items"),
        (dataclasses.replace(SIMPLE, items=(ev.SchemeItem("speed", "速度", 1),)), "items"),
        (dataclasses.replace(SIMPLE, items=(ev.SchemeItem("on_time_rate", "按期", -5),)), "items"),
        (dataclasses.replace(SIMPLE, items=SIMPLE.items + SIMPLE.items[:1]), "items"),
        (dataclasses.replace(SIMPLE, base=0), "base"),
    ],
)
def test_a_bad_scheme_is_refused_at_its_field(office: Workspace, scheme: Any, field: str) -> None:
    with pytest.raises(ValidationError) as caught:
        ev.save_scheme(office, scheme)
    assert [e.field for e in caught.value.errors] == [field]
    assert ev.load_scheme(office) == ev.DEFAULT_SCHEME


def _sign_through_the_workflow(ws: Workspace, ctx: Context, title: str) -> str:
    """A 底稿 prepared, reviewed and signed by the people whose step it is."""
    flow = DraftWorkflow(ws, clock=lambda: datetime(2025, 4, 20, 9, 0))
    office_user = ws.user
    ws.user = User(login="liming", display_name="李明", role="组员")
    saved = flow.save(draft(ctx, title=title, preparer="李明"))
    flow.perform("submit", saved.id)
    ws.user = User(login="zhao", display_name="赵副组长", role="副组长")
    flow.perform("review", saved.id, opinion="事实清楚")
    ws.user = User(login="zhang", display_name="张组长", role="组长")
    flow.perform("approve", saved.id, opinion="同意")
    ws.user = office_user
    return saved.id


def test_the_whole_path_from_signed_drafts_to_the_evaluation(office: Workspace, octx: Context) -> None:
    ids = [_sign_through_the_workflow(office, octx, t) for t in ("违规发放津补贴", "公务接待超标准")]
    assert [d.id for d in signed_drafts(office, octx.target.id)] == ids
    fb, tasks = give_feedback(office, feedback_for(octx), task_due_on=date(2025, 9, 10))
    assert [t.draft_id for t in tasks] == ids and signed_drafts(office, octx.target.id) == []
    service = TaskService(office)
    first, second = tasks
    service.add_note(
        first.id, SupervisionNote(noted_on=date(2025, 7, 10), noted_by="王主任", progress="已退还")
    )
    service.save(dataclasses.replace(service.get(first.id), status="整改中", measures="清退违规津补贴"))
    assert [n.status_then for n in service.notes(first.id)] == ["未启动"]
    save_settings(office, RectificationSettings(due_soon_days=10))
    assert service.count(TaskQuery(due="soon", today=date(2025, 8, 30))) == 0
    assert service.count(TaskQuery(due="soon", today=date(2025, 8, 31))) == 2
    late = TaskQuery(due="overdue", today=date(2025, 9, 11))
    assert [t.id for t in service.list(late)] == [first.id, second.id]
    with pytest.raises(ValidationError) as refused:
        service.close(first.id, by="王主任", on=date(2025, 9, 5))
    assert "closed_on" in [e.field for e in refused.value.errors]
    service.save(dataclasses.replace(service.get(first.id), status="已完成", completed_on=date(2025, 9, 1)))
    service.accept(first.id, by="王主任", on=date(2025, 9, 3), opinion="整改到位")
    closed = service.close(first.id, by="王主任", on=date(2025, 9, 5))
    assert closed.closed_on == date(2025, 9, 5)
    assert [t.id for t in service.list(late)] == [second.id]
    figures = rectification_figures(office, date(2025, 9, 11), round_id=octx.round.id)
    assert figures == {
        "tasks": 2,
        "done": 1,
        "done_basically": 0,
        "not_done": 0,
        "overdue": 1,
        "completion_rate": 0.5,
    }
    rnd = recheck_round(office, octx, "清河县财政局党组")
    assert [i.task.id for i in recheck_items(office, rnd.id)] == [first.id, second.id]
    for task, result in ((first, "反弹回潮"), (second, "整改不到位")):
        record_recheck(
            office,
            RecheckResult(round_id=rnd.id, task_id=task.id, checked_on=date(2026, 3, 10), result=result),
        )
    [unit] = ev.evaluate_round(office, rnd.id, date(2026, 3, 11))
    lines = {line.label: line for line in unit.lines}
    assert lines["回头看反弹回潮"].points == -5.0 and lines["回头看整改不到位"].points == -3.0
    assert lines["回头看反弹回潮"].explanation == "回头看反弹回潮 1 项 × -5 分 = -5.00 分，扣 5.00 分"
    assert lines["整改完成率"].points == -20.0 and lines["逾期未完成任务"].points == -2.0
    assert unit.score == round(sum(line.points for line in unit.lines), 2)
    assert fb.target_id == unit.target_id


def test_each_bad_item_is_named_by_its_row(office: Workspace) -> None:
    items = (
        ev.SchemeItem("completion_rate", "整改完成率", 40),
        ev.SchemeItem("on_time_rate", "按期完成率", -5),
        ev.SchemeItem("completion_rate", "整改完成率", 10),
        ev.SchemeItem("institutions", "建章立制", 1, -2),
    )
    scheme = dataclasses.replace(SIMPLE, items=items)
    assert [i for i, _message in ev.item_errors(scheme)] == [1, 2, 3]
    assert "第2项（按期完成率）的分值不能为负数" in ev.item_errors(scheme)[0][1]
    assert [e.message for e in ev.scheme_errors(scheme)] == [m for _i, m in ev.item_errors(scheme)]


def test_only_the_office_administrator_saves_a_scheme(office: Workspace) -> None:
    assert ev.may_save_scheme(office)
    RecordService[User](office, USER).save(User(login="lianluo", display_name="刘联络", role="联络员"))
    liaison = sign_in_as(office, "lianluo")
    try:
        assert not ev.may_save_scheme(liaison)
        with pytest.raises(WorkflowError, match="只有巡察办管理员"):
            ev.save_scheme(liaison, SIMPLE)
        assert ev.scheme_versions(liaison) == [ev.DEFAULT_SCHEME.version]
    finally:
        liaison.close()


@pytest.mark.parametrize(
    ("item", "words"),
    [
        (ev.SchemeItem("completion_rate", "整改完成率", 40), "每低 1 个百分点扣 0.4 分，最多扣 40 分"),
        (ev.SchemeItem("overdue_tasks", "逾期未完成任务", -2, 20), "每项扣 2 分，最多扣 20 分"),
        (ev.SchemeItem("accountability", "问责", 0.5, 0), "每人次加 0.5 分，不设上限"),
        (ev.SchemeItem("institutions", "建章立制", 0, 5), "不计分"),
    ],
)
def test_an_item_is_described_in_plain_words(item: ev.SchemeItem, words: str) -> None:
    assert ev.describe_item(item).endswith(words)
