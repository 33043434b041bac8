"""The plan service: the plan's rules as field errors, 回避 with its audited override, the pool and logins,
and the recycle bin that refuses to strand records."""

from __future__ import annotations

import dataclasses

import pytest

from tests.builders import Context, interview
from tests.plan_builders import Plan, make_plan
from xuncha_desktop.domain.errors import FieldError, ValidationError, XunchaError
from xuncha_desktop.domain.organization import GroupMember, InspectionGroup, InspectionRound, TargetUnit, User
from xuncha_desktop.domain.record_types import INTERVIEW, USER
from xuncha_desktop.services.plan import plan_service
from xuncha_desktop.services.plan.plan_service import AvoidanceConflict, PlanService
from xuncha_desktop.services.records.record_service import RecordService
from xuncha_desktop.services.security.audit_log import AuditLog, AuditQuery
from xuncha_desktop.services.workspace import Workspace
from xuncha_desktop.storage.revisions import RevisionWriter


def _fields(error: ValidationError) -> list[str]:
    return [e.field for e in error.errors]


def test_lists_give_the_plan_in_its_order(plan: Plan) -> None:
    ps = plan.service
    later = ps.save(InspectionRound(name="2026年第一轮巡察", year=2026, ordinal=1))
    assert [r.name for r in ps.rounds()] == [later.name, plan.round.name]
    assert [g.name for g in ps.groups(plan.round.id)] == ["第一巡察组", "第二巡察组"]
    assert [t.name for t in ps.targets(plan.group.id)] == ["清河县财政局"]
    for name, role in (("李明", "组员"), ("王芳", "组长"), ("赵强", "联络员"), ("孙丽", "副组长")):
        ps.save(GroupMember(group_id=plan.group.id, name=name, role=role))
    assert [m.role for m in ps.members(plan.group.id)] == ["组长", "副组长", "组员", "联络员"]
    assert len(ps.snapshot().members) == 4


def test_a_record_of_its_own_is_checked_at_its_fields(plan: Plan) -> None:
    with pytest.raises(ValidationError) as caught:
        plan.service.save(InspectionRound(name="", year=1999, ordinal=1))
    assert set(_fields(caught.value)) == {"name", "year"}
    assert caught.value.errors[0].message  # Chinese, shown at the field


def test_a_round_name_used_twice_is_refused_at_the_name(plan: Plan) -> None:
    with pytest.raises(ValidationError) as caught:
        plan.service.save(InspectionRound(name=" 2025年第1轮巡察", year=2025, ordinal=2))
    assert caught.value.errors == [FieldError("name", "已有名为“ 2025年第1轮巡察”的轮次")]
    assert len(plan.service.rounds()) == 1


def test_a_cadre_in_two_groups_of_one_round_is_refused(plan: Plan) -> None:
    cadre = plan.cadre()
    plan.service.add_from_pool(plan.group.id, cadre.id)
    with pytest.raises(ValidationError) as caught:
        plan.service.add_from_pool(plan.other_group.id, cadre.id)
    [error] = caught.value.errors
    assert error.field == "name"
    assert "张建国本轮已在“第一巡察组”" in error.message
    assert plan.service.members(plan.other_group.id) == []


def test_a_cadre_may_serve_again_in_another_round(office: Workspace, plan: Plan) -> None:
    cadre = plan.cadre()
    plan.service.add_from_pool(plan.group.id, cadre.id)
    later = make_plan(office, year=2026)
    member = later.service.add_from_pool(later.group.id, cadre.id)
    assert member.cadre_id == cadre.id


def test_a_unit_given_to_two_groups_of_one_round_is_refused(plan: Plan) -> None:
    twice = TargetUnit(
        round_id=plan.round.id, group_id=plan.other_group.id, name="清河县财政局 ", kind="县直部门"
    )
    with pytest.raises(ValidationError) as caught:
        plan.service.save(twice)
    [error] = caught.value.errors
    assert error.field == "name"
    assert "本轮已分给“第一巡察组”" in error.message


def test_a_unit_of_another_round_than_its_group_is_refused_at_the_group(
    office: Workspace, plan: Plan
) -> None:
    later = make_plan(office, year=2026)
    stray = TargetUnit(round_id=plan.round.id, group_id=later.group.id, name="清河县水利局", kind="县直部门")
    with pytest.raises(ValidationError) as caught:
        plan.service.save(stray)
    assert _fields(caught.value) == ["group_id"]


def test_add_from_pool_copies_the_person_and_links_the_entry(plan: Plan) -> None:
    cadre = plan.cadre(political_status="中共预备党员", specialities=["财务"])
    member = plan.service.add_from_pool(plan.group.id, cadre.id, role="副组长", staffing="专职")
    assert (member.name, member.gender, member.birth_month, member.political_status) == (
        "张建国",
        "男",
        "1978-05",
        "中共预备党员",
    )
    assert (member.home_unit, member.home_post, member.cadre_id) == ("清河县审计局", "科长", cadre.id)
    assert (member.role, member.staffing, member.avoidance_override) == ("副组长", "专职", "")


@pytest.mark.parametrize("status", ["暂停", "退出"])
def test_add_from_pool_refuses_a_cadre_not_in_the_pool(plan: Plan, status: str) -> None:
    cadre = plan.cadre(status=status, status_reason="借调省厅")
    with pytest.raises(ValidationError) as caught:
        plan.service.add_from_pool(plan.group.id, cadre.id)
    [error] = caught.value.errors
    assert error == FieldError(
        "cadre_id", f"张建国在人才库中的状态为“{status}”（借调省厅），只有“在库”人员才能选入巡察组"
    )
    assert plan.service.members(plan.group.id) == []


def test_add_from_pool_refuses_an_unknown_cadre(plan: Plan) -> None:
    with pytest.raises(ValidationError, match="人才库中找不到该人员"):
        plan.service.add_from_pool(plan.group.id, "no-such-cadre")


def _avoidance_entries(ws: Workspace) -> list[object]:
    return list(AuditLog(ws).list(AuditQuery(action=plan_service.AVOIDANCE_OVERRIDE)))


def test_avoidance_warns_then_the_override_is_saved_and_audited(office: Workspace, plan: Plan) -> None:
    cadre = plan.cadre(home_unit="清河县财政局国库科")
    with pytest.raises(AvoidanceConflict) as caught:
        plan.service.add_from_pool(plan.group.id, cadre.id)
    assert caught.value.conflicts == [
        "张建国现工作单位“清河县财政局国库科”与被巡察单位“清河县财政局”相同或隶属"
    ]
    assert "回避" in str(caught.value)
    assert plan.service.members(plan.group.id) == [] and _avoidance_entries(office) == []

    with pytest.raises(AvoidanceConflict):  # a blank reason is no override
        plan.service.add_from_pool(plan.group.id, cadre.id, override="  ")
    member = plan.service.add_from_pool(plan.group.id, cadre.id, override="熟悉财务，经书记专题会同意")
    assert member.avoidance_override == "熟悉财务，经书记专题会同意"

    [entry] = AuditLog(office).list(AuditQuery(action=plan_service.AVOIDANCE_OVERRIDE))
    assert entry.action_label == "回避例外"
    assert (entry.record_type, entry.record_id) == ("member", member.id)
    assert entry.summary == (
        "张建国（第一巡察组）存在回避情形仍予安排："
        "张建国现工作单位“清河县财政局国库科”与被巡察单位“清河县财政局”相同或隶属"
    )
    assert "书记" not in entry.summary and all("书记" not in v for _, v in entry.details)


def test_the_override_is_written_in_the_saves_transaction(
    office: Workspace, plan: Plan, monkeypatch: pytest.MonkeyPatch
) -> None:
    cadre = plan.cadre(home_unit="清河县财政局")

    def broken_log(self: RevisionWriter, action: str, *args: object, **kw: object) -> None:
        raise XunchaError("磁盘已满")

    monkeypatch.setattr(RevisionWriter, "log", broken_log)
    with pytest.raises(XunchaError, match="磁盘已满"):
        plan.service.add_from_pool(plan.group.id, cadre.id, override="同意")
    assert plan.service.members(plan.group.id) == []


def test_an_earlier_unit_conflicts_too_and_an_edit_does_not_ask_again(plan: Plan) -> None:
    cadre = plan.cadre(earlier_units=["清河县教育局"])
    with pytest.raises(AvoidanceConflict) as caught:
        plan.service.add_from_pool(plan.other_group.id, cadre.id)
    assert caught.value.conflicts == ["张建国曾在“清河县教育局”工作，与被巡察单位“清河县教育局”相同或隶属"]
    member = plan.service.add_from_pool(plan.other_group.id, cadre.id, override="同意")
    edited = plan.service.save(dataclasses.replace(member, duty="谈话"))
    assert (edited.duty, edited.avoidance_override) == ("谈话", "同意")
    moved = dataclasses.replace(edited, group_id=plan.group.id)  # no conflict with 财政局
    assert plan.service.save(moved).group_id == plan.group.id


def test_a_unit_added_to_a_group_with_a_conflicting_member_needs_the_override(
    office: Workspace, plan: Plan
) -> None:
    cadre = plan.cadre(home_unit="清河县水利局")
    member = plan.service.add_from_pool(plan.group.id, cadre.id)
    unit = TargetUnit(round_id=plan.round.id, group_id=plan.group.id, name="清河县水利局", kind="县直部门")
    with pytest.raises(AvoidanceConflict) as caught:
        plan.service.save(unit)
    assert caught.value.conflicts == ["张建国现工作单位“清河县水利局”与被巡察单位“清河县水利局”相同或隶属"]
    assert len(plan.service.targets(plan.group.id)) == 1

    saved = plan.service.save(unit, override="人手不足，经研究同意")
    [stored] = plan.service.members(plan.group.id)
    assert stored.id == member.id and stored.avoidance_override == "人手不足，经研究同意"
    [entry] = _avoidance_entries(office)
    assert entry.record_id == member.id  # type: ignore[attr-defined]
    assert plan.service.save(dataclasses.replace(saved, kind="其他")).kind == "其他"  # not asked again


def test_give_login_makes_the_members_user(office: Workspace, plan: Plan) -> None:
    member = plan.service.save(GroupMember(group_id=plan.group.id, name="王芳", role="组长"))
    user = plan.service.give_login(member.id, " wangfang ")
    assert (user.login, user.display_name, user.role, user.member_id) == (
        "wangfang",
        "王芳",
        "组长",
        member.id,
    )
    assert plan.service.login_of(member.id) == "wangfang"
    with pytest.raises(ValidationError, match="王芳已有登录名“wangfang”"):
        plan.service.give_login(member.id, "wangfang2")
    assert plan.service.login_of("no-such-member") == ""


def test_a_login_used_twice_is_refused(office: Workspace, plan: Plan) -> None:
    first = plan.service.save(GroupMember(group_id=plan.group.id, name="王芳", role="组长"))
    second = plan.service.save(GroupMember(group_id=plan.other_group.id, name="王方", role="组长"))
    plan.service.give_login(first.id, "wangfang")
    with pytest.raises(ValidationError) as caught:
        plan.service.give_login(second.id, "ｗａｎｇｆａｎｇ")  # full-width: the same login
    [error] = caught.value.errors
    assert error.field == "login" and "已由王芳使用" in error.message
    assert plan.service.login_of(second.id) == ""
    office_login = office.user.login
    with pytest.raises(ValidationError, match="登录名"):
        plan.service.save(User(login=office_login, display_name="另一人", role="巡察办管理员"))


def test_retiring_a_round_or_group_with_records_is_refused_naming_them(office: Workspace, plan: Plan) -> None:
    plan.service.save(GroupMember(group_id=plan.group.id, name="王芳", role="组长"))
    with pytest.raises(XunchaError) as caught:
        plan.service.retire("round", plan.round.id)
    assert str(caught.value).startswith(
        "不能撤销巡察轮次“2025年第1轮巡察”：还有巡察组 2 个、被巡察单位 2 个与其关联"
    )
    with pytest.raises(XunchaError, match="还有巡察组成员 1 人、被巡察单位 1 个与其关联"):
        plan.service.retire("group", plan.group.id)
    RecordService(office, INTERVIEW).save(interview(Context(plan.round, plan.group, plan.target)))
    with pytest.raises(XunchaError, match="还有个别谈话记录 1 条与其关联"):
        plan.service.retire("target", plan.target.id)
    assert [g.name for g in plan.service.groups(plan.round.id)] == ["第一巡察组", "第二巡察组"]


def test_retire_and_restore_go_through_the_recycle_bin(office: Workspace, plan: Plan) -> None:
    member = plan.service.save(GroupMember(group_id=plan.other_group.id, name="赵强"))
    plan.service.give_login(member.id, "zhaoqiang")
    with pytest.raises(XunchaError, match="还有用户 1 个与其关联"):
        plan.service.retire("member", member.id)
    [user] = [u for u in plan.service.snapshot().users.values() if u.member_id == member.id]
    plan.service.retire("user", user.id)
    plan.service.retire("member", member.id)
    [target] = plan.service.targets(plan.other_group.id)
    plan.service.retire("target", target.id)
    plan.service.retire("group", plan.other_group.id)
    assert [g.name for g in plan.service.groups(plan.round.id)] == ["第一巡察组"]
    actions = [e.action for e in AuditLog(office).list(AuditQuery(action="delete"))]
    assert len(actions) == 4

    with pytest.raises(XunchaError, match="所属巡察组不存在或已撤销"):
        plan.service.restore("member", member.id)
    plan.service.restore("group", plan.other_group.id)
    plan.service.restore("member", member.id)
    assert [m.name for m in plan.service.members(plan.other_group.id)] == ["赵强"]


def test_the_recycle_bin_is_listed_by_kind_and_parent_last_retired_first(plan: Plan) -> None:
    ps = plan.service
    first = ps.save(GroupMember(group_id=plan.group.id, name="赵强"))
    second = ps.save(GroupMember(group_id=plan.group.id, name="钱明"))
    elsewhere = ps.save(GroupMember(group_id=plan.other_group.id, name="孙丽"))
    assert ps.retired("member") == []
    for member in (first, second, elsewhere):
        ps.retire("member", member.id)
    assert [m.name for m in ps.retired("member", plan.group.id)] == ["钱明", "赵强"]
    assert [m.name for m in ps.retired("member")] == ["孙丽", "钱明", "赵强"]
    assert all(m.meta is not None and m.meta.deleted for m in ps.retired("member"))
    [target] = ps.targets(plan.other_group.id)
    ps.retire("target", target.id)
    assert [t.name for t in ps.retired("target", plan.other_group.id)] == ["清河县教育局"]
    assert ps.retired("target", plan.group.id) == []
    ps.restore("member", second.id)
    assert [m.name for m in ps.retired("member", plan.group.id)] == ["赵强"]
    with pytest.raises(XunchaError, match="不是巡察计划中的记录"):
        ps.retired("interview")


def test_restore_is_refused_when_the_name_was_taken_meanwhile(plan: Plan) -> None:
    [target] = plan.service.targets(plan.other_group.id)
    plan.service.retire("target", target.id)
    plan.service.save(dataclasses.replace(target, id="", group_id=plan.group.id))
    with pytest.raises(XunchaError, match=r"不能恢复被巡察单位“清河县教育局”：.*本轮已分给“第一巡察组”"):
        plan.service.restore("target", target.id)


def test_a_cadre_who_served_is_kept_rather_than_retired(plan: Plan) -> None:
    cadre = plan.cadre()
    plan.service.add_from_pool(plan.group.id, cadre.id)
    with pytest.raises(XunchaError, match="请将人员状态改为“退出”"):
        plan.service.retire("cadre", cadre.id)
    unused = plan.cadre("李明")
    plan.service.retire("cadre", unused.id)
    assert [e.cadre.name for e in plan.pool.find()] == ["张建国"]


def test_only_plan_records_are_retired_here(plan: Plan) -> None:
    with pytest.raises(XunchaError, match="不是巡察计划中的记录"):
        plan.service.retire("interview", plan.target.id)


def test_a_new_round_and_its_groups_build_up(office: Workspace) -> None:
    ps = PlanService(office)
    rnd = ps.save(InspectionRound(name="2027年专项巡察", year=2027, ordinal=1, kind="专项"))
    group = ps.save(InspectionGroup(round_id=rnd.id, ordinal=1, name="第一巡察组"))
    assert ps.save(dataclasses.replace(group, name="第一专项巡察组")).name == "第一专项巡察组"
    assert RecordService(office, USER).count() == 1  # the office's own user only


def test_users_and_one_member_are_read_without_the_whole_plan(
    office: Workspace, plan: Plan, monkeypatch: pytest.MonkeyPatch
) -> None:
    member = plan.service.save(GroupMember(group_id=plan.group.id, name="王芳", role="组长"))
    plan.service.give_login(member.id, "wangfang")
    gone = plan.service.save(GroupMember(group_id=plan.group.id, name="李明", role="组员"))
    plan.service.retire("member", gone.id)

    def no_snapshot(self: PlanService) -> None:
        raise AssertionError("the whole plan was read")

    monkeypatch.setattr(PlanService, "snapshot", no_snapshot)
    monkeypatch.setattr(PlanService, "_snapshot_for", no_snapshot)
    assert [(u.login, u.member_id) for u in plan.service.users()] == [
        ("巡察办管理员", ""),
        ("wangfang", member.id),
    ]
    found = plan.service.member(member.id)
    assert found is not None and (found.name, found.role) == ("王芳", "组长")
    assert plan.service.member(gone.id) is None
    assert plan.service.member("no-such-member") is None
