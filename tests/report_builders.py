"""A unit with what the reports read: a round under 四个落实, signed 底稿 across its classes and sub-classes
(and one of another framework), a 底稿 not yet signed, talks, leads (one on the 一把手, with a draft linked
to it), the 一把手's portrait, and the unit's figures. Shared by the report tests and the benchmark."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from tests.builders import Context, draft, evaluation, interview, lead, make_context
from xuncha_desktop.domain.issue_drafts import IssueDraft
from xuncha_desktop.domain.lead_registrations import LeadRegistration
from xuncha_desktop.domain.organization import InspectionRound, TargetUnit
from xuncha_desktop.domain.personnel_evaluations import PersonnelEvaluation
from xuncha_desktop.domain.record_types import DRAFT, EVALUATION, INTERVIEW, LEAD, ROUND, TARGET
from xuncha_desktop.domain.states import DraftState, DraftStep
from xuncha_desktop.services.records.links import LinkService
from xuncha_desktop.services.records.record_service import RecordService
from xuncha_desktop.services.workspace import Workspace

TODAY = date(2025, 5, 6)
LEADER = "孙志强"
# (category_l1, category_l2, title, responsibility): the order the report must present them in
SIGNED = (
    ("A2", "A2.3", "超标准公务接待9次", ["主体责任"]),
    ("A1", "A1.4", "“三重一大”事项未经集体研究", ["第一责任人责任"]),
    ("B2", "", "违规发放津补贴12.6万元", ["直接责任"]),
    ("A3", "", "干部档案管理不规范", []),
    ("A2", "A2.4", "工程项目未按规定招标", ["监督责任"]),
)
# In the report's order: 四个落实 A1 → A2 (A2.3, A2.4) → A3, then the issue of another framework.
REPORT_ORDER = (1, 0, 4, 3, 2)
NOT_SIGNED = "尚在复核中的问题不得写入报告"


@dataclass(frozen=True)
class ReportWorld:
    ctx: Context
    unit: TargetUnit
    signed: tuple[IssueDraft, ...]  # in SIGNED order
    unsigned: IssueDraft
    leads: tuple[LeadRegistration, ...]
    leader: PersonnelEvaluation


def signed_draft(
    ctx: Context, l1: str, l2: str, title: str, responsibility: list[str], **kw: object
) -> IssueDraft:
    at = datetime(2025, 4, 1, 10, 0).isoformat()
    return draft(
        ctx,
        title=title,
        category_l1=l1,
        category_l2=l2,
        responsibility_types=responsibility,
        responsible_party="局党组",
        basis="违反《中国共产党廉洁自律准则》",
        suggestion=f"针对“{title}”建立台账，逐项整改。",
        status=DraftState.SIGNED,
        review_opinion="事实清楚，同意提交。",
        approval_opinion="同意写入巡察报告。",
        signoffs=[
            {
                "step": DraftStep.REVIEW,
                "by": "王副组长",
                "role": "副组长",
                "at": at,
                "content_hash": "",
                "opinion": "",
            },
            {
                "step": DraftStep.APPROVE,
                "by": "张组长",
                "role": "组长",
                "at": at,
                "content_hash": "",
                "opinion": "",
            },
        ],
        **kw,
    )


def report_world(ws: Workspace, *, extra_signed: int = 0) -> ReportWorld:
    ctx = make_context(ws)
    rounds = RecordService[InspectionRound](ws, ROUND)
    rnd = rounds.save(dataclasses.replace(ctx.round, framework="四个落实", end_on=date(2025, 4, 15)))
    unit = RecordService[TargetUnit](ws, TARGET).save(
        dataclasses.replace(ctx.target, files_read=126, site_visits=7, questionnaires=85)
    )
    ctx = Context(rnd, ctx.group, unit)
    drafts = RecordService[IssueDraft](ws, DRAFT)
    signed = [drafts.save(signed_draft(ctx, *row, immediate_fix=i == 0)) for i, row in enumerate(SIGNED)]
    if extra_signed:
        drafts.save_many(
            [signed_draft(ctx, "A2", "A2.3", f"批量问题第{i}项", ["主体责任"]) for i in range(extra_signed)]
        )
    unsigned = drafts.save(draft(ctx, title=NOT_SIGNED, status=DraftState.PENDING_REVIEW))
    talks = RecordService(ws, INTERVIEW)
    for _ in range(3):
        talks.save(interview(ctx))
    leads = RecordService[LeadRegistration](ws, LEAD)
    on_leader = leads.save(
        lead(ctx, subject_name=LEADER, summary="反映其插手工程项目。", on_site_transfer=True)
    )
    other = leads.save(lead(ctx, transfer_on=date(2025, 4, 10)))
    leader = RecordService[PersonnelEvaluation](ws, EVALUATION).save(
        evaluation(
            ctx,
            name=LEADER,
            dimensions={"政治素质": "政治立场坚定。", "廉洁自律": "廉洁自律意识有待加强。"},
            overall="总体较好，民主作风需改进。",
            flag_for_org=True,
        )
    )
    LinkService(ws).link(DRAFT.key, signed[3].id, LEAD.key, on_leader.id)  # 干部档案: linked to the lead
    return ReportWorld(ctx, unit, tuple(signed), unsigned, (on_leader, other), leader)


def amount_of(world: ReportWorld) -> Decimal:
    return sum((d.amount_yuan for d in world.signed), Decimal(0))
