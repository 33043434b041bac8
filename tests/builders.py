"""Builders for test records: sensible valid defaults, overridden per test."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from xuncha_desktop.domain.interview_records import InterviewRecord
from xuncha_desktop.domain.issue_drafts import IssueDraft
from xuncha_desktop.domain.lead_registrations import LeadRegistration
from xuncha_desktop.domain.organization import InspectionGroup, InspectionRound, TargetUnit
from xuncha_desktop.domain.personnel_evaluations import MemberAppraisal, PersonnelEvaluation
from xuncha_desktop.domain.petitions import Petition
from xuncha_desktop.domain.record_types import GROUP, ROUND, TARGET
from xuncha_desktop.services.records.record_service import RecordService
from xuncha_desktop.services.workspace import Workspace

PASSPHRASE = "测试口令-secret-1"
MEMBER_PASSPHRASE = "组员自己的口令-2"


def give_passphrase(ws: Workspace, login: str, passphrase: str = MEMBER_PASSPHRASE) -> None:
    """The workspace's manager (its first user, 组长) sets the passphrase of the user `login`."""
    from xuncha_desktop.services.security import user_slots
    from xuncha_desktop.storage.keyfile import KdfParams

    [slot] = [s for s in user_slots.list_user_slots(ws) if s.user.login == login]
    user_slots.set_user_passphrase(ws, slot.user.id, passphrase, kdf=KdfParams.cheap())


def sign_in_as(ws: Workspace, login: str, passphrase: str = MEMBER_PASSPHRASE) -> Workspace:
    """`login` given a passphrase by the manager of `ws`, then the same workspace opened as that user (in
    this process, sharing the hold of `ws` on the file)."""
    give_passphrase(ws, login, passphrase)
    return Workspace.open(ws.path, passphrase, user_login=login, lock=ws.file_lock)


@dataclass(frozen=True)
class Context:
    round: InspectionRound
    group: InspectionGroup
    target: TargetUnit

    @property
    def scope(self) -> dict[str, str]:
        return {"round_id": self.round.id, "group_id": self.group.id, "target_id": self.target.id}


def make_context(ws: Workspace, *, year: int = 2025, ordinal: int = 3, group: int = 2) -> Context:
    rnd = RecordService[InspectionRound](ws, ROUND).save(
        InspectionRound(
            name=f"{year}年第{ordinal}轮巡察", year=year, ordinal=ordinal, start_on=date(year, 3, 1)
        )
    )
    grp = RecordService[InspectionGroup](ws, GROUP).save(
        InspectionGroup(round_id=rnd.id, ordinal=group, name=f"第{group}巡察组")
    )
    tgt = RecordService[TargetUnit](ws, TARGET).save(
        TargetUnit(round_id=rnd.id, group_id=grp.id, name="清河县财政局党组", kind="县直部门")
    )
    return Context(rnd, grp, tgt)


def interview(ctx: Context, **kw: Any) -> InterviewRecord:
    values: dict[str, Any] = dict(
        held_on=date(2025, 3, 5),
        start_time="09:00",
        end_time="10:30",
        location="县财政局三楼会议室",
        interviewer="张建国",
        recorder="李明",
        interviewee_name="王晓东",
        post="清河县财政局副局长",
        content="问：请谈谈局党组落实全面从严治党主体责任的情况。\n答：局里每季度专题研究一次。",
    )
    values.update(kw)
    return InterviewRecord(**ctx.scope, **values)


def draft(ctx: Context, **kw: Any) -> IssueDraft:
    values: dict[str, Any] = dict(
        prepared_on=date(2025, 3, 10),
        title="违规发放津补贴12.6万元",
        category_l1="B2",
        source="调阅资料",
        description="2023年1月至12月，该局以加班补助名义向在职人员发放津补贴共计12.6万元。",
        preparer="李明",
        amount_yuan=Decimal("126000.00"),
    )
    values.update(kw)
    return IssueDraft(**ctx.scope, **values)


def lead(ctx: Context, **kw: Any) -> LeadRegistration:
    values: dict[str, Any] = dict(
        registered_on=date(2025, 3, 12),
        registered_by="李明",
        source="个别谈话",
        subject_name="赵有才",
        subject_post="清河县财政局预算股股长",
        summary="反映其在项目资金拨付中收受好处费。",
        disciplines=["廉洁纪律"],
    )
    values.update(kw)
    return LeadRegistration(**ctx.scope, **values)


def petition(ctx: Context, **kw: Any) -> Petition:
    values: dict[str, Any] = dict(
        received_on=date(2025, 3, 10),
        registered_by="李明",
        channel="来信",
        reporter_name="周某某",
        reporter_contact="13800000000",
        subject_name="赵有才",
        subject_unit="清河县财政局预算股",
        summary="反映其在项目资金拨付中收受好处费。",
    )
    values.update(kw)
    return Petition(**ctx.scope, **values)


def evaluation(ctx: Context, **kw: Any) -> PersonnelEvaluation:
    values: dict[str, Any] = dict(
        name="孙志强",
        post="清河县财政局党组书记、局长",
        is_top_leader=True,
        evaluated_on=date(2025, 3, 20),
        poll_scale="个人测评",
        poll_tallies={"优秀": 30, "称职": 10, "基本称职": 2, "不称职": 0},
        grade="较好",
    )
    values.update(kw)
    return PersonnelEvaluation(**ctx.scope, **values)


def appraisal(ctx: Context, **kw: Any) -> MemberAppraisal:
    values: dict[str, Any] = dict(
        name="李明",
        duty="谈话",
        period_start=date(2025, 3, 1),
        period_end=date(2025, 4, 15),
        conduct_score=Decimal("95"),
        grade="称职",
        appraised_on=date(2025, 4, 20),
    )
    values.update(kw)
    return MemberAppraisal(round_id=ctx.round.id, group_id=ctx.group.id, **values)
