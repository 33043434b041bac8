"""The plan's cross-record rules: each clash, who is reported (only the changed records), the name
normalisation, and the 回避 reasons."""

from __future__ import annotations

from xuncha_desktop.domain.cadre_pool import Cadre
from xuncha_desktop.domain.organization import GroupMember, InspectionGroup, InspectionRound, TargetUnit, User
from xuncha_desktop.domain.plan_rules import (
    PlanProblem,
    PlanSnapshot,
    avoidance_conflicts,
    check_plan,
    same_name,
)


def _plan() -> PlanSnapshot:
    """Round r1 with groups g1 and g2; round r2 with group g3."""
    plan = PlanSnapshot()
    for rid, name in (("r1", "2025年第一轮巡察"), ("r2", "2025年第二轮巡察")):
        plan.put(InspectionRound(id=rid, name=name, year=2025, ordinal=int(rid[1])))
    for gid, rid, name in (
        ("g1", "r1", "第一巡察组"),
        ("g2", "r1", "第二巡察组"),
        ("g3", "r2", "第一巡察组"),
    ):
        plan.put(InspectionGroup(id=gid, round_id=rid, name=name))
    return plan


def test_same_name_drops_spaces_and_folds_full_width() -> None:
    assert same_name(" 第一 巡察组\u3000") == "第一巡察组"
    assert same_name("ＡＢＣ１２") == "ABC12"
    assert same_name("") == ""


def test_an_unchanged_plan_reports_nothing_even_when_inconsistent() -> None:
    plan = _plan()
    plan.put(InspectionRound(id="r3", name="2025年第一轮巡察", year=2025, ordinal=3))
    assert check_plan(plan, set()) == []
    assert check_plan(plan, {"g1"}) == []  # an unrelated change is not blocked


def test_a_round_name_taken_by_an_unchanged_round_is_reported_on_the_changed_one() -> None:
    plan = _plan()
    plan.put(InspectionRound(id="r3", name="2025年 第一轮巡察", year=2025, ordinal=3))
    assert check_plan(plan, {"r3"}) == [
        PlanProblem("round", "r3", "name", "已有名为“2025年 第一轮巡察”的轮次")
    ]
    # r1 changed while r3 is unchanged: r3 holds the name now, r1 is the one reported
    assert check_plan(plan, {"r1"}) == [
        PlanProblem("round", "r1", "name", "已有名为“2025年第一轮巡察”的轮次")
    ]


def test_of_two_changed_records_with_one_name_the_first_keeps_it() -> None:
    plan = PlanSnapshot()
    plan.put(InspectionRound(id="a", name="专项巡察", year=2025))
    plan.put(InspectionRound(id="b", name="专项巡察", year=2025))
    assert [p.record_id for p in check_plan(plan, {"a", "b"})] == ["b"]


def test_group_names_are_unique_within_their_round_only() -> None:
    plan = _plan()
    plan.put(InspectionGroup(id="g4", round_id="r1", name="第一巡察组 "))
    assert check_plan(plan, {"g4"}) == [
        PlanProblem("group", "g4", "name", "本轮已有名为“第一巡察组 ”的巡察组")
    ]
    assert check_plan(plan, {"g3"}) == []  # the same name in round r2


def test_a_group_needs_its_round() -> None:
    plan = _plan()
    plan.put(InspectionGroup(id="g9", round_id="gone", name="第九巡察组"))
    assert check_plan(plan, {"g9"}) == [PlanProblem("group", "g9", "round_id", "所属轮次不存在或已撤销")]


def test_a_cadre_serves_in_one_group_of_a_round() -> None:
    plan = _plan()
    plan.put(GroupMember(id="m1", group_id="g1", name="张建国", cadre_id="c1"))
    plan.put(GroupMember(id="m2", group_id="g2", name="张建国", cadre_id="c1"))
    plan.put(GroupMember(id="m3", group_id="g3", name="张建国", cadre_id="c1"))  # round r2: fine
    assert check_plan(plan, {"m2", "m3"}) == [
        PlanProblem("member", "m2", "name", "张建国本轮已在“第一巡察组”，同一轮次只能参加一个巡察组")
    ]


def test_members_without_a_pool_entry_never_clash_and_need_their_group() -> None:
    plan = _plan()
    plan.put(GroupMember(id="m1", group_id="g1", name="李明"))
    plan.put(GroupMember(id="m2", group_id="g2", name="李明"))
    plan.put(GroupMember(id="m3", group_id="gone", name="王芳"))
    assert check_plan(plan, {"m1", "m2", "m3"}) == [
        PlanProblem("member", "m3", "group_id", "所属巡察组不存在或已撤销")
    ]


def test_a_unit_is_given_to_one_group_of_a_round_by_name() -> None:
    plan = _plan()
    plan.put(TargetUnit(id="t1", round_id="r1", group_id="g1", name="清河县财政局"))
    plan.put(TargetUnit(id="t2", round_id="r1", group_id="g2", name="清河县 财政局"))
    plan.put(TargetUnit(id="t3", round_id="r2", group_id="g3", name="清河县财政局"))
    assert check_plan(plan, {"t2", "t3"}) == [
        PlanProblem(
            "target",
            "t2",
            "name",
            "“清河县 财政局”本轮已分给“第一巡察组”，同一轮次一个单位只能分给一个巡察组",
        )
    ]


def test_a_unit_is_given_to_one_group_of_a_round_by_master_list_entry() -> None:
    plan = _plan()
    plan.put(TargetUnit(id="t1", round_id="r1", group_id="g1", name="县财政局", org_id="o1"))
    plan.put(TargetUnit(id="t2", round_id="r1", group_id="g2", name="清河县财政局党组", org_id="o1"))
    plan.put(TargetUnit(id="t3", round_id="r1", group_id="g2", name="县财政局", org_id="o2"))
    assert [(p.record_id, p.field) for p in check_plan(plan, {"t2", "t3"})] == [("t2", "name")]


def test_a_unit_needs_a_group_of_its_own_round() -> None:
    plan = _plan()
    plan.put(TargetUnit(id="t1", round_id="r1", group_id="gone", name="县水利局"))
    plan.put(TargetUnit(id="t2", round_id="r1", group_id="g3", name="县教育局"))
    assert check_plan(plan, {"t1", "t2"}) == [
        PlanProblem("target", "t1", "group_id", "所属巡察组不存在或已撤销"),
        PlanProblem("target", "t2", "group_id", "巡察组不属于该单位所在的轮次"),
    ]


def test_logins_are_unique_among_active_users() -> None:
    plan = PlanSnapshot()
    plan.put(User(id="u1", login="wangfang", display_name="王芳"))
    plan.put(User(id="u2", login="ｗａｎｇｆａｎｇ ", display_name="王方"))
    plan.put(User(id="u3", login="wangfang", display_name="离任的王芳", active=False))
    assert check_plan(plan, {"u2", "u3"}) == [
        PlanProblem("user", "u2", "login", "登录名“ｗａｎｇｆａｎｇ ”已由王芳使用")
    ]


def test_a_disabled_user_gives_its_login_free() -> None:
    plan = PlanSnapshot()
    plan.put(User(id="u1", login="wangfang", display_name="王芳", active=False))
    plan.put(User(id="u2", login="wangfang", display_name="王方"))
    assert check_plan(plan, {"u2"}) == []


def _units(*names: str) -> list[TargetUnit]:
    return [TargetUnit(id=f"t{i}", name=n) for i, n in enumerate(names)]


def test_avoidance_of_the_home_unit_and_its_sections() -> None:
    cadre = Cadre(name="张建国", home_unit="清河县财政局国库科")
    assert avoidance_conflicts(cadre, _units("清河县财政局")) == [
        "张建国现工作单位“清河县财政局国库科”与被巡察单位“清河县财政局”相同或隶属"
    ]
    head = Cadre(name="李明", home_unit="清河县财政局")
    assert len(avoidance_conflicts(head, _units("清河县 财政局", "清河县财政局国库科"))) == 2
    assert avoidance_conflicts(head, _units("清河县教育局")) == []


def test_avoidance_of_earlier_units() -> None:
    cadre = Cadre(name="王芳", home_unit="清河县审计局", earlier_units=["城关镇", "清河县水利局"])
    assert avoidance_conflicts(cadre, _units("城关镇人民政府", "清河县水利局", "清河县教育局")) == [
        "王芳曾在“城关镇”工作，与被巡察单位“城关镇人民政府”相同或隶属",
        "王芳曾在“清河县水利局”工作，与被巡察单位“清河县水利局”相同或隶属",
    ]


def test_no_avoidance_without_units_or_without_a_home_unit() -> None:
    assert avoidance_conflicts(Cadre(name="赵强"), _units("清河县财政局")) == []
    assert avoidance_conflicts(Cadre(name="赵强", earlier_units=[""]), _units("清河县财政局")) == []
    assert avoidance_conflicts(Cadre(name="赵强", home_unit="清河县财政局"), []) == []


def test_avoidance_sees_through_party_organization_names() -> None:
    from xuncha_desktop.domain.cadre_pool import Cadre
    from xuncha_desktop.domain.organization import TargetUnit
    from xuncha_desktop.domain.plan_rules import avoidance_conflicts, unit_core

    assert unit_core("中共清河县财政局党组") == unit_core("清河县财政局") == "清河县财政局"
    assert unit_core("中共清河县柳林镇委员会") == unit_core("清河县柳林镇人民政府") == "清河县柳林镇"
    finance = Cadre(name="王五", home_unit="清河县财政局")
    assert len(avoidance_conflicts(finance, [TargetUnit(name="中共清河县财政局党组")])) == 1
    town = Cadre(name="赵六", home_unit="统计局", earlier_units=["清河县柳林镇人民政府"])
    assert len(avoidance_conflicts(town, [TargetUnit(name="中共清河县柳林镇委员会")])) == 1
    assert avoidance_conflicts(finance, [TargetUnit(name="中共清河县审计局党组")]) == []


def test_avoidance_sees_units_written_with_and_without_the_county() -> None:
    from xuncha_desktop.domain.cadre_pool import Cadre
    from xuncha_desktop.domain.organization import TargetUnit
    from xuncha_desktop.domain.plan_rules import avoidance_conflicts

    def clash(home: str, target: str) -> bool:
        return bool(avoidance_conflicts(Cadre(name="甲", home_unit=home), [TargetUnit(name=target)]))

    assert clash("县财政局", "中共清河县财政局党组")
    assert clash("县财政局国库科", "中共清河县财政局党组")
    assert clash("市场监督管理局", "中共清河县市场监督管理局党组")
    assert clash("县委组织部", "中共清河县委组织部机关党委")
    assert clash("柳林镇人民政府", "中共清河县柳林镇委员会")
    assert not clash("县审计局", "中共清河县财政局党组")
    assert not clash("县委办公室", "中共清河县委组织部机关党委")
    assert not clash("县教育局", "清河县第一中学")
