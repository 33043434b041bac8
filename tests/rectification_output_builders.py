"""A round in rectification for the output tests: two units given feedback, their tasks in every state (one
accepted and closed, one overdue), 督导 notes, and leads transferred to the 纪委监委 and 组织部."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from tests.builders import Context, draft, lead, make_context
from xuncha_desktop.domain.issue_drafts import IssueDraft
from xuncha_desktop.domain.lead_registrations import LeadRegistration
from xuncha_desktop.domain.organization import TargetUnit
from xuncha_desktop.domain.record_types import DRAFT, LEAD, TARGET
from xuncha_desktop.domain.rectification import (
    DONE,
    DONE_BASICALLY,
    IN_PROGRESS,
    RectificationFeedback,
    RectificationTask,
    SupervisionNote,
)
from xuncha_desktop.domain.states import DraftState
from xuncha_desktop.services.records.record_service import RecordService
from xuncha_desktop.services.rectification.feedback import give_feedback, save_feedback
from xuncha_desktop.services.rectification.tasks import TaskService
from xuncha_desktop.services.workspace import Workspace

TODAY = date(2025, 10, 1)  # the day the outputs are made: the tasks due 2025-09-10 and still open are overdue
GIVEN_ON = date(2025, 6, 10)
DUE_ON = date(2025, 9, 10)
UNIT = "清河县财政局党组"
OTHER_UNIT = "清河县教育局党组"
ISSUES = ("违规发放津补贴12.6万元", "政府采购未履行程序", "专项资金闲置未用")


@dataclass(frozen=True)
class RectificationRound:
    ctx: Context
    other: TargetUnit
    feedback: RectificationFeedback
    other_feedback: RectificationFeedback
    tasks: list[RectificationTask]  # of UNIT, in ISSUES order
    other_tasks: list[RectificationTask]


def _signed(ws: Workspace, ctx: Context, title: str, target_id: str) -> str:
    paper = dataclasses.replace(draft(ctx, title=title, status=DraftState.SIGNED), target_id=target_id)
    return RecordService[IssueDraft](ws, DRAFT).save(paper).id


def _feedback(
    ws: Workspace, ctx: Context, target_id: str, titles: tuple[str, ...]
) -> tuple[RectificationFeedback, list[RectificationTask]]:
    ids = [_signed(ws, ctx, t, target_id) for t in titles]
    fb = RectificationFeedback(
        round_id=ctx.round.id,
        group_id=ctx.group.id,
        target_id=target_id,
        given_on=GIVEN_ON,
        form="集中反馈",
        given_by="张建国",
        attendees="单位党组班子成员",
    )
    return give_feedback(ws, fb, draft_ids=ids, task_due_on=DUE_ON)


def _work_on(ws: Workspace, tasks: list[RectificationTask]) -> list[RectificationTask]:
    """The first task done, accepted and closed; the second still 整改中 (overdue on TODAY); the third
    基本完成持续整改. Each has monthly 督导 notes."""
    service = TaskService(ws)
    done, open_, basic = tasks
    service.save(
        dataclasses.replace(
            done,
            responsible_person="孙志强",
            measures="全额追回违规发放的津补贴，修订财务管理制度。",
            status=DONE,
            completed_on=date(2025, 8, 20),
            institutions=2,
            accountability=1,
            amount_recovered_yuan=Decimal("126000.00"),
        )
    )
    service.accept(done.id, by="李明", on=date(2025, 8, 28), opinion="整改到位，同意验收")
    service.close(done.id, by="王晓东", on=date(2025, 9, 5))
    service.save(dataclasses.replace(open_, status=IN_PROGRESS, measures="补办采购手续，开展专项检查。"))
    service.save(
        dataclasses.replace(basic, status=DONE_BASICALLY, completed_on=date(2025, 9, 1), institutions=1)
    )
    for task in tasks:
        service.add_note(
            task.id, SupervisionNote(noted_on=date(2025, 7, 15), noted_by="李明", progress="已制定整改方案")
        )
    service.add_note(
        open_.id, SupervisionNote(noted_on=date(2025, 8, 15), noted_by="王晓东", progress="采购手续尚在补办")
    )
    return [service.get(t.id) for t in tasks]


def _leads(ws: Workspace, ctx: Context) -> None:
    """Two leads to the 纪委监委 (one answered with a case and a sanction, one overdue), one to the 组织部."""
    service = RecordService[LeadRegistration](ws, LEAD)
    service.save(
        lead(
            ctx,
            proposed_disposal="移交纪检监察机关",
            transfer_on=date(2025, 5, 20),
            feedback_on=date(2025, 7, 1),
            case_opened=True,
            sanction="党内严重警告",
        )
    )
    service.save(
        lead(ctx, subject_name="钱多多", proposed_disposal="移交纪检监察机关", transfer_on=date(2025, 5, 20))
    )
    service.save(
        lead(
            ctx,
            subject_name="周正",
            proposed_disposal="移交组织部门",
            transfer_on=date(2025, 5, 25),
            feedback_on=date(2025, 8, 1),
            org_handling="诫勉",
        )
    )


def rectification_round(ws: Workspace) -> RectificationRound:
    ctx = make_context(ws)
    other = RecordService[TargetUnit](ws, TARGET).save(
        TargetUnit(round_id=ctx.round.id, group_id=ctx.group.id, name=OTHER_UNIT, kind="县直部门")
    )
    feedback, tasks = _feedback(ws, ctx, ctx.target.id, ISSUES)
    feedback = save_feedback(ws, dataclasses.replace(feedback, plan_received_on=date(2025, 6, 25)))
    other_feedback, other_tasks = _feedback(ws, ctx, other.id, ("食堂管理混乱",))
    tasks = _work_on(ws, sorted(tasks, key=lambda t: ISSUES.index(t.issue)))
    _leads(ws, ctx)
    return RectificationRound(ctx, other, feedback, other_feedback, tasks, other_tasks)
