"""The rules a plan must keep across records (巡前准备, domain README §3.1), checked on a snapshot of it.

A single record is checked by its own validator (an end date before the start, a role outside the list);
these rules need the rest of the plan: one login per person, a cadre in one group of a round, a unit given
to one group of a round, names that identify a round or a group. The GUI checks the plan with the record it
is about to save; the plan workbook checks the plan as the whole workbook would leave it. Both report only
on the records they change, so a plan that was already inconsistent does not block unrelated work."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field

from xuncha_desktop.domain.cadre_pool import Cadre
from xuncha_desktop.domain.organization import GroupMember, InspectionGroup, InspectionRound, TargetUnit, User


def same_name(text: str) -> str:
    """A name as compared: spaces dropped, full-width forms folded (NFKC): “第一巡察组 ” is “第一巡察组”."""
    return "".join(unicodedata.normalize("NFKC", text).split())


@dataclass
class PlanSnapshot:
    """The live plan records by id; deleted (retired) records are left out by whoever builds it."""

    rounds: dict[str, InspectionRound] = field(default_factory=dict)
    groups: dict[str, InspectionGroup] = field(default_factory=dict)
    members: dict[str, GroupMember] = field(default_factory=dict)
    targets: dict[str, TargetUnit] = field(default_factory=dict)
    users: dict[str, User] = field(default_factory=dict)

    def put(self, record: InspectionRound | InspectionGroup | GroupMember | TargetUnit | User) -> None:
        """Add or replace `record` (a record about to be saved)."""
        if isinstance(record, InspectionRound):
            self.rounds[record.id] = record
        elif isinstance(record, InspectionGroup):
            self.groups[record.id] = record
        elif isinstance(record, GroupMember):
            self.members[record.id] = record
        elif isinstance(record, TargetUnit):
            self.targets[record.id] = record
        else:
            self.users[record.id] = record

    def round_of_group(self, group_id: str) -> str:
        group = self.groups.get(group_id)
        return group.round_id if group else ""


@dataclass(frozen=True)
class PlanProblem:
    """A rule `record_id` (of record type `record_key`) breaks, at `field`, in Chinese."""

    record_key: str
    record_id: str
    field: str
    message: str


def _owners(items: Iterable[tuple[str, tuple[str, ...]]], changed: set[str]) -> dict[tuple[str, ...], str]:
    """{key: the record that keeps it}: the first unchanged record holding the key, else the first changed
    one, in the snapshot's order. Every other changed record holding the key clashes with it."""
    owners: dict[tuple[str, ...], str] = {}
    for record_id, key in items:
        held = owners.get(key)
        if held is None or (held in changed and record_id not in changed):
            owners[key] = record_id
    return owners


def check_plan(plan: PlanSnapshot, changed: set[str]) -> list[PlanProblem]:
    """Every cross-record rule a record in `changed` breaks. Where records clash, each changed one is
    reported, except the first of them when no unchanged record holds the same key."""
    problems: list[PlanProblem] = []

    def clash(key: str, rid: str, holder: str, fld: str, message: str) -> None:
        if rid in changed and holder != rid:
            problems.append(PlanProblem(key, rid, fld, message))

    round_names = _owners(((r.id, (same_name(r.name),)) for r in plan.rounds.values()), changed)
    for r in plan.rounds.values():
        clash("round", r.id, round_names[(same_name(r.name),)], "name", f"已有名为“{r.name}”的轮次")

    group_names = _owners(((g.id, (g.round_id, same_name(g.name))) for g in plan.groups.values()), changed)
    for g in plan.groups.values():
        if g.id in changed and g.round_id not in plan.rounds:
            problems.append(PlanProblem("group", g.id, "round_id", "所属轮次不存在或已撤销"))
        holder = group_names[(g.round_id, same_name(g.name))]
        clash("group", g.id, holder, "name", f"本轮已有名为“{g.name}”的巡察组")

    cadre_rounds = _owners(
        ((m.id, (plan.round_of_group(m.group_id), m.cadre_id)) for m in plan.members.values() if m.cadre_id),
        changed,
    )
    for m in plan.members.values():
        if m.id in changed and m.group_id not in plan.groups:
            problems.append(PlanProblem("member", m.id, "group_id", "所属巡察组不存在或已撤销"))
        if m.cadre_id:
            holder = cadre_rounds[(plan.round_of_group(m.group_id), m.cadre_id)]
            other = plan.groups.get(plan.members[holder].group_id)
            where = f"“{other.name}”" if other else "另一巡察组"
            clash("member", m.id, holder, "name", f"{m.name}本轮已在{where}，同一轮次只能参加一个巡察组")

    unit_keys = _owners(
        ((t.id, (t.round_id, t.org_id or same_name(t.name))) for t in plan.targets.values()), changed
    )
    for t in plan.targets.values():
        if t.id in changed and t.group_id not in plan.groups:
            problems.append(PlanProblem("target", t.id, "group_id", "所属巡察组不存在或已撤销"))
        elif t.id in changed and plan.round_of_group(t.group_id) != t.round_id:
            problems.append(PlanProblem("target", t.id, "group_id", "巡察组不属于该单位所在的轮次"))
        holder = unit_keys[(t.round_id, t.org_id or same_name(t.name))]
        other = plan.groups.get(plan.targets[holder].group_id)
        where = f"“{other.name}”" if other else "另一巡察组"
        clash(
            "target", t.id, holder, "name", f"“{t.name}”本轮已分给{where}，同一轮次一个单位只能分给一个巡察组"
        )

    logins = _owners(((u.id, (same_name(u.login),)) for u in plan.users.values() if u.active), changed)
    for u in plan.users.values():
        if u.active:
            holder = logins[(same_name(u.login),)]
            owner = plan.users[holder].display_name
            clash("user", u.id, holder, "login", f"登录名“{u.login}”已由{owner}使用")
    return problems


# A target unit is named by its Party organization (“中共清河县财政局党组”, “中共柳林镇委员会”), a
# cadre's unit by the unit itself (“清河县财政局”, “柳林镇人民政府”): both are cut down to the unit
# before comparing.
_PARTY_PREFIX = "中共"
_PARTY_SUFFIXES = (
    "机关党委", "党工委", "党总支", "党支部", "党委", "党组", "委员会", "人民政府", "政府", "办事处",
)  # fmt: skip


def unit_core(name: str) -> str:
    """The unit a name speaks of, without the Party-organization or government wording around it."""
    core = same_name(name)
    if core.startswith(_PARTY_PREFIX):
        core = core[len(_PARTY_PREFIX) :]
    for suffix in _PARTY_SUFFIXES:
        if core.endswith(suffix) and len(core) > len(suffix) + 1:
            return core[: -len(suffix)]
    return core


def _without_place(core: str) -> str:
    """`core` without a leading county, city or district name (“清河县财政局” → “财政局”), so a unit written
    with and without it is one unit; “县委…” keeps its 县, which is part of the organ's name."""
    cut = -1
    for i, ch in enumerate(core[:5]):
        if ch in "县市区" and core[i + 1 : i + 2] not in ("委", "") and len(core) - i > 2:
            cut = i
    return core[cut + 1 :]


def _same_unit(a: str, b: str) -> bool:
    """True when unit names `a` and `b` are one unit, or one is a part of the other (“县财政局国库科” is in
    “清河县财政局”; “柳林镇人民政府” is “中共柳林镇委员会”): a cadre working in a section of the inspected
    unit must step aside as well."""
    a, b = unit_core(a), unit_core(b)
    if not (a and b):
        return False
    short, long = sorted((a, b), key=len)
    if long.startswith(short) or (len(short) >= 3 and short in long):
        return True
    a, b = _without_place(a), _without_place(b)
    return len(a) >= 2 and len(b) >= 2 and (a.startswith(b) or b.startswith(a))


def avoidance_conflicts(cadre: Cadre, units: Iterable[TargetUnit]) -> list[str]:
    """回避: why `cadre` should not inspect any of `units` (the target units of a group), in Chinese, one
    reason per clash: the current unit or a unit the cadre worked in before. Empty when there is none."""
    reasons: list[str] = []
    for unit in units:
        if _same_unit(cadre.home_unit, unit.name):
            reasons.append(f"{cadre.name}现工作单位“{cadre.home_unit}”与被巡察单位“{unit.name}”相同或隶属")
        for earlier in cadre.earlier_units:
            if _same_unit(earlier, unit.name):
                reasons.append(f"{cadre.name}曾在“{earlier}”工作，与被巡察单位“{unit.name}”相同或隶属")
    return reasons
