"""The live plan as a snapshot: every plan record type, the recycle bin left out, oldest first."""

from __future__ import annotations

from tests.plan_builders import Plan, make_plan
from xuncha_desktop.domain.organization import GroupMember
from xuncha_desktop.services.plan.plan_snapshot import load_snapshot
from xuncha_desktop.services.workspace import Workspace


def test_the_snapshot_holds_the_live_plan(office: Workspace, plan: Plan) -> None:
    member = plan.service.save(GroupMember(group_id=plan.group.id, name="王芳", role="组长"))
    user = plan.service.give_login(member.id, "wangfang")
    with office.engine.connect() as conn:
        snapshot = load_snapshot(conn)
    assert list(snapshot.rounds) == [plan.round.id]
    assert list(snapshot.groups) == [plan.group.id, plan.other_group.id]
    assert snapshot.members == {member.id: member}
    assert [t.name for t in snapshot.targets.values()] == ["清河县财政局", "清河县教育局"]
    assert snapshot.users[user.id].login == "wangfang"
    assert office.user.id in snapshot.users  # the office's own user is part of the login check
    assert snapshot.round_of_group(plan.group.id) == plan.round.id


def test_records_in_the_recycle_bin_are_left_out(office: Workspace, plan: Plan) -> None:
    member = plan.service.save(GroupMember(group_id=plan.other_group.id, name="赵强"))
    plan.service.retire("member", member.id)
    [target] = plan.service.targets(plan.other_group.id)
    plan.service.retire("target", target.id)
    plan.service.retire("group", plan.other_group.id)
    with office.engine.connect() as conn:
        snapshot = load_snapshot(conn)
    assert member.id not in snapshot.members and target.id not in snapshot.targets
    assert list(snapshot.groups) == [plan.group.id]
    assert snapshot.round_of_group(plan.other_group.id) == ""


def test_a_snapshot_of_one_round_holds_its_members_and_units_only(office: Workspace, plan: Plan) -> None:
    later = make_plan(office, year=2026)
    member = later.service.save(GroupMember(group_id=later.group.id, name="王芳"))
    plan.service.save(GroupMember(group_id=plan.group.id, name="李明"))
    with office.engine.connect() as conn:
        snapshot = load_snapshot(conn, later.round.id)
        nothing = load_snapshot(conn, "")
    assert list(snapshot.members) == [member.id]
    assert {t.round_id for t in snapshot.targets.values()} == {later.round.id}
    assert len(snapshot.rounds) == 2 and len(snapshot.groups) == 4  # every round and group
    assert nothing.members == {} and nothing.targets == {} and len(nothing.users) == 1
