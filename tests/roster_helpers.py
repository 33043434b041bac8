"""An office plan with two groups whose members have logins, for the provisioning and roster-login tests."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from tests.builders import PASSPHRASE
from xuncha_desktop.domain.organization import GroupMember, InspectionGroup, InspectionRound, TargetUnit, User
from xuncha_desktop.domain.record_types import GROUP, MEMBER, ROUND, TARGET, USER
from xuncha_desktop.services.records.record_service import RecordService
from xuncha_desktop.services.workspace import Workspace
from xuncha_desktop.storage.keyfile import KdfParams

ROUND_NAME = "2026年第4轮巡察"
GROUP_A, GROUP_B = "县委第一巡察组", "县委第二巡察组"
# (姓名, 组内职务, 登录名; "" = no login yet)
ROSTER_A = (("张建国", "组长", "zhangjg"), ("李明", "组员", "liming"), ("王芳", "联络员", ""))
ROSTER_B = (("赵强", "组长", "zhaoqiang"), ("孙丽", "组员", "sunli"))


@dataclass
class Plan:
    round: InspectionRound
    groups: dict[str, InspectionGroup]  # by name
    targets: dict[str, TargetUnit]  # by group name


def build_plan(office: Workspace) -> Plan:
    """One round, groups A and B, each with a unit, members and the members' users."""
    rnd = RecordService[InspectionRound](office, ROUND).save(
        InspectionRound(name=ROUND_NAME, year=2026, ordinal=4, start_on=date(2026, 9, 1))
    )
    plan = Plan(rnd, {}, {})
    for ordinal, (name, roster) in enumerate(((GROUP_A, ROSTER_A), (GROUP_B, ROSTER_B)), start=1):
        group = RecordService[InspectionGroup](office, GROUP).save(
            InspectionGroup(round_id=rnd.id, ordinal=ordinal, name=name)
        )
        plan.groups[name] = group
        plan.targets[name] = RecordService[TargetUnit](office, TARGET).save(
            TargetUnit(round_id=rnd.id, group_id=group.id, name=f"清河县第{ordinal}局党组", kind="县直部门")
        )
        for person, role, login in roster:
            member = RecordService[GroupMember](office, MEMBER).save(
                GroupMember(group_id=group.id, name=person, role=role)
            )
            if login:
                RecordService[User](office, USER).save(
                    User(login=login, display_name=person, role=role, member_id=member.id)
                )
    return plan


def new_office(path: Path) -> tuple[Workspace, Plan]:
    office = Workspace.create(path, PASSPHRASE, office=True, kdf=KdfParams.cheap())
    return office, build_plan(office)


def new_laptop(path: Path, login: str, role: str = "组员") -> Workspace:
    return Workspace.create(path, PASSPHRASE, user_name=login, role=role, kdf=KdfParams.cheap())
