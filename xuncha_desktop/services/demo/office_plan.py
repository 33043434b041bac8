"""The office demo's plan: 清河县's 党组织名录, its 巡察人才库, and three rounds (two finished, one on site
today) with their groups staffed from the pool and their target units taken from the master list.

Pure: everything is drawn from one random.Random and dated relative to `today`; office.py writes it."""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date, timedelta

from xuncha_desktop.domain import vocab
from xuncha_desktop.domain.cadre_pool import Cadre
from xuncha_desktop.domain.classification import framework_version
from xuncha_desktop.domain.organization import GroupMember, InspectionGroup, InspectionRound, TargetUnit
from xuncha_desktop.domain.party_organizations import PartyOrganization
from xuncha_desktop.domain.plan_rules import avoidance_conflicts
from xuncha_desktop.services.demo import text as text
from xuncha_desktop.services.demo.records import Calendar
from xuncha_desktop.services.demo.text import county

NewId = Callable[[], str]
CN_NUMBERS = "一二三四五六七八九"
ON_SITE_DAYS = 60  # a round's groups stay about two months
ROUND_GAP = 125  # days between the starts of consecutive rounds
UNIT_KIND_WEIGHTS = (
    ("县直部门", 70),
    ("乡镇(街道)", 15),
    ("国有企业", 5),
    ("学校", 4),
    ("医院", 3),
    ("其他", 3),
)
PAUSED, LEFT = 4, 3  # cadres of the pool now 暂停 and 退出


@dataclass(frozen=True)
class Org:
    """A master-list entry and how the record text calls it."""

    record: PartyOrganization
    short: str
    town: str = ""  # the town of a 村(社区)

    @property
    def id(self) -> str:
        return self.record.id

    @property
    def kind(self) -> str:
        return self.record.kind


@dataclass(frozen=True)
class PoolCadre:
    """A cadre of the pool and the master-list entries (with their parents) he or she must stay clear of."""

    cadre: Cadre
    source: str  # "office" (巡察办, 专职), "discipline" (纪委监委) or "unit" (a unit of the master list)
    orgs: frozenset[str]


@dataclass
class GroupPlan:
    group: InspectionGroup
    targets: list[tuple[TargetUnit, Org]] = field(default_factory=list)
    members: list[GroupMember] = field(default_factory=list)


@dataclass
class RoundPlan:
    round: InspectionRound
    calendar: Calendar
    finished: bool
    groups: list[GroupPlan] = field(default_factory=list)


@dataclass
class OfficePlan:
    orgs: list[Org]
    pool: list[PoolCadre]
    rounds: list[RoundPlan]


# -- 党组织名录 -------------------------------------------------------------------------------------------
def master_list(new_id: NewId) -> list[Org]:
    """The county's Party organizations: towns before their villages, one retired 县直部门 and township."""
    orgs: list[Org] = []

    def add(kind: str, short: str, name: str, parent: str = "", town: str = "", retired: str = "") -> Org:
        record = PartyOrganization(
            id=new_id(), name=name, kind=kind, parent_id=parent, active=not retired, retired_reason=retired
        )
        orgs.append(Org(record, short, town))
        return orgs[-1]

    for short, name in county.units("县直部门"):
        add("县直部门", short, name)
    short, name, why = county.RETIRED_DEPARTMENT
    add("县直部门", short, name, retired=why)
    for town in county.towns():
        seat = add("乡镇(街道)", town, county.town_org(town))
        for village in county.VILLAGES[town]:
            add("村(社区)", f"{town}{village}", county.village_org(town, village), seat.id, town)
    old, new = county.RETIRED_TOWN
    add("乡镇(街道)", old, county.town_org(old), retired=f"撤乡并镇，整建制并入{new}，所辖村划归{new}")
    for kind in ("国有企业", "学校", "医院", "其他"):
        for short, name in county.units(kind):
            add(kind, short, name)
    return orgs


# -- 巡察人才库 -------------------------------------------------------------------------------------------
def _phone(rng: random.Random) -> str:
    return f"1{rng.choice('3578')}{rng.randint(0, 9)}{rng.randint(0, 99999999):08d}"


def _specialities(rng: random.Random, short: str, first: str) -> list[str]:
    found = [first]
    for words, speciality in county.UNIT_SPECIALITIES:
        if any(w in short for w in words) and speciality not in found:
            found.append(speciality)
    if len(found) == 1 and rng.random() < 0.35:
        extra = rng.choice(("文字综合", "信访", "其他", "审计"))
        if extra not in found:
            found.append(extra)
    return found


def _unit_cadre(rng: random.Random, orgs: list[Org]) -> tuple[Org, list[Org], str, str]:
    """(home org, earlier orgs, post, speciality the post brings) of a cadre seconded from a unit."""
    kinds, weights = zip(*UNIT_KIND_WEIGHTS, strict=True)
    kind = rng.choices(kinds, weights)[0]
    home = rng.choice([o for o in orgs if o.kind == kind and o.record.active])
    post, speciality = rng.choice(county.POSTS[kind])
    earlier: list[Org] = []
    for _ in range(rng.choices((0, 1, 2), (45, 40, 15))[0]):
        other = rng.choice([o for o in orgs if o.kind in ("县直部门", "乡镇(街道)") and o is not home])
        if other not in earlier:
            earlier.append(other)
    return home, earlier, post, speciality


def _clear_of(orgs: list[Org]) -> frozenset[str]:
    """The entries and their parents: a cadre of a town must not inspect its villages either."""
    return frozenset(o.id for o in orgs) | frozenset(o.record.parent_id for o in orgs if o.record.parent_id)


def cadre_pool(rng: random.Random, new_id: NewId, orgs: list[Org], size: int = 80) -> list[PoolCadre]:
    """~80 cadres: the 巡察办's own (组长 and 联络员), 纪委监委 cadres, and cadres of the county's units,
    a few of them now 暂停 or 退出 with the reason."""
    sources = ["office"] * len(county.OFFICE_POSTS) + ["discipline"] * len(county.DISCIPLINE_POSTS)
    sources += ["unit"] * (size - len(sources))
    sexes = [text.gender(rng, 0.15 if s == "office" else 0.35) for s in sources]
    names = text.distinct_names(rng, len(sources), sexes)
    pool: list[PoolCadre] = []
    for index, (source, name, sex) in enumerate(zip(sources, names, sexes, strict=True)):
        earlier: list[Org] = []
        if source == "office":
            unit, post = text.OFFICE, county.OFFICE_POSTS[index]
            kinds = ["文字综合", rng.choice(("纪检", "组织人事", "财务"))]
        elif source == "discipline":
            unit, post = county.DISCIPLINE_UNIT, county.DISCIPLINE_POSTS[index - len(county.OFFICE_POSTS)]
            kinds = ["纪检"] + (["审计"] if rng.random() < 0.3 else ["法律"] if rng.random() < 0.3 else [])
        else:
            home, earlier, post, first = _unit_cadre(rng, orgs)
            earlier = [home, *earlier]
            unit, kinds = county.work_unit(home.short), _specialities(rng, home.short, first)
        cadre = Cadre(
            id=new_id(),
            name=name,
            gender=sex,
            birth_month=text.birth_month(
                rng, 1968 if "组长" in post else 1972, 1978 if "组长" in post else 1995
            ),
            political_status="中共党员",
            home_unit=unit,
            home_post=post,
            earlier_units=[county.work_unit(o.short) for o in earlier[1:]],
            specialities=kinds,
            phone=_phone(rng),
        )
        pool.append(PoolCadre(cadre, source, _clear_of(earlier)))
    return pool


def set_statuses(rng: random.Random, pool: list[PoolCadre], serving: set[str]) -> list[PoolCadre]:
    """A few cadres of the units not on a group today are now 暂停 or 退出, each with the reason."""
    idle = [i for i, p in enumerate(pool) if p.source == "unit" and p.cadre.id not in serving]
    picked = rng.sample(idle, PAUSED + LEFT)
    out = list(pool)
    for n, index in enumerate(picked):
        status, reasons = ("暂停", county.PAUSE_REASONS) if n < PAUSED else ("退出", county.EXIT_REASONS)
        reason = reasons[n % len(reasons)] if n < PAUSED else reasons[(n - PAUSED) % len(reasons)]
        p = out[index]
        out[index] = PoolCadre(replace(p.cadre, status=status, status_reason=reason), p.source, p.orgs)
    return out


# -- rounds -----------------------------------------------------------------------------------------------
def round_dates(today: date) -> list[tuple[date, date]]:
    """(进驻, 撤离) of the two finished rounds and of the one on site today (进驻 a month ago)."""
    current = today - timedelta(days=30)
    starts = [current - timedelta(days=ROUND_GAP * k) for k in (2, 1, 0)]
    return [(s, s + timedelta(days=ON_SITE_DAYS)) for s in starts]


def _rounds(new_id: NewId, today: date, current_kind: str) -> list[RoundPlan]:
    plans: list[RoundPlan] = []
    per_year: dict[int, int] = {}
    for index, (start, end) in enumerate(round_dates(today)):
        year = start.year
        per_year[year] = per_year.get(year, 0) + 1
        ordinal = per_year[year]
        kind = ("常规", "回头看", current_kind)[index]
        finished = end < today
        rnd = InspectionRound(
            id=new_id(),
            name=f"{year}年第{CN_NUMBERS[ordinal - 1]}轮巡察",
            year=year,
            ordinal=ordinal,
            kind=kind,
            start_on=start,
            end_on=end,
            framework="四个落实",
            framework_version=framework_version("四个落实"),
            earlier_round_id=plans[0].round.id if kind == "回头看" else "",  # it revisits the first round
        )
        on_site_until = end if finished else min(end, today - timedelta(days=1))
        plans.append(RoundPlan(rnd, Calendar.around(start, start, on_site_until), finished))
    return plans


def _pick(rng: random.Random, orgs: list[Org], taken: set[str], kind: str, n: int) -> list[Org]:
    free = [o for o in orgs if o.kind == kind and o.record.active and o.id not in taken]
    chosen = rng.sample(free, min(n, len(free)))
    taken.update(o.id for o in chosen)
    return chosen


def _recipe(rng: random.Random, orgs: list[Org], taken: set[str], recipe: str) -> list[Org]:
    """A group's units: 3 县直部门; a town with three of its villages (巡镇带村); or a mixed set."""
    if recipe == "departments":
        return _pick(rng, orgs, taken, "县直部门", 3)
    if recipe == "township":
        town = _pick(rng, orgs, taken, "乡镇(街道)", 1)
        villages = [o for o in orgs if town and o.record.parent_id == town[0].id and o.id not in taken]
        chosen = rng.sample(villages, min(3, len(villages)))
        taken.update(o.id for o in chosen)
        return town + chosen
    third = rng.choice(("学校", "医院", "其他"))
    return (
        _pick(rng, orgs, taken, "县直部门", 1)
        + _pick(rng, orgs, taken, "国有企业", 1)
        + _pick(rng, orgs, taken, third, 1)
    )


def _themed(rng: random.Random, orgs: list[Org], taken: set[str]) -> list[list[Org]]:
    """专项: schools with the education bureau, hospitals with the health and medical-insurance bureaus."""
    by_short = {o.short: o for o in orgs}
    out = []
    for kind, bureaus in (("学校", ("县教育体育局",)), ("医院", ("县卫生健康局", "县医疗保障局"))):
        units = _pick(rng, orgs, taken, kind, 2)
        for short in bureaus:
            if by_short[short].id not in taken:
                units.append(by_short[short])
                taken.add(by_short[short].id)
        out.append(units)
    return out


def _targets(
    rng: random.Random, plan: RoundPlan, orgs: list[Org], inspected: set[str], earlier: list[Org]
) -> list[list[Org]]:
    """The units of each group of a round; a 回头看 revisits units of the first round (not villages)."""
    if plan.round.kind == "回头看":
        again = [o for o in earlier if o.kind != "村(社区)"]
        rng.shuffle(again)
        return [again[:3], again[3:6]]
    if plan.round.kind == "专项":
        return _themed(rng, orgs, inspected)
    recipes = ["departments", "township", "mixed"]
    rng.shuffle(recipes)
    return [_recipe(rng, orgs, inspected, r) for r in recipes]


# -- groups staffed from the pool -------------------------------------------------------------------------
def free_of(p: PoolCadre, targets: list[tuple[TargetUnit, Org]]) -> bool:
    """No 回避: the cadre neither works nor worked in a target unit (or the town over a target village),
    by the master-list links and by domain.plan_rules.avoidance_conflicts on the names."""
    keys = {o.id for _, o in targets} | {o.record.parent_id for _, o in targets if o.record.parent_id}
    return not p.orgs & keys and not avoidance_conflicts(p.cadre, [t for t, _ in targets])


class _Staffing:
    """Draws the members of one round's groups from the pool: nobody twice in the round, nobody with a
    回避 conflict, and on the current round only cadres who are 在库."""

    def __init__(self, rng: random.Random, pool: list[PoolCadre], plan: RoundPlan) -> None:
        self.rng, self.pool, self.plan = rng, pool, plan
        self.used: set[str] = set()

    def take(
        self, sources: tuple[str, ...], post: Callable[[str], bool], targets: list[tuple[TargetUnit, Org]]
    ) -> PoolCadre:
        def free(p: PoolCadre, wanted: tuple[str, ...]) -> bool:
            return (
                p.source in wanted
                and p.cadre.id not in self.used
                and p.cadre.status == "在库"
                and free_of(p, targets)
            )

        found = [p for p in self.pool if free(p, sources) and post(p.cadre.home_post)]
        found = found or [p for p in self.pool if free(p, ("unit", "discipline"))]
        chosen = self.rng.choice(found)
        self.used.add(chosen.cadre.id)
        return chosen

    def staff(self, new_id: NewId, group: GroupPlan) -> None:
        rng, rnd = self.rng, self.plan.round
        size = rng.randint(6, 7)
        deputies = 2 if size == 7 or rng.random() < 0.4 else 1
        chief = self.take(("office",), lambda post: "组长（" in post, group.targets)
        seconds = [
            self.take(
                ("office", "discipline"),
                lambda post: not any(w in post for w in ("组长（", "科", "巡察办")),
                group.targets,
            )
            for _ in range(deputies)
        ]
        staff = [
            self.take(("unit",) if rng.random() < 0.8 else ("discipline",), lambda post: True, group.targets)
            for _ in range(size - 2 - deputies)
        ]
        contact = self.take(("office",), lambda post: "组长" not in post, group.targets)
        roles = ["组长"] + ["副组长"] * deputies + ["组员"] * len(staff) + ["联络员"]
        for i, (p, role) in enumerate(zip([chief, *seconds, *staff, contact], roles, strict=True)):
            c = p.cadre
            group.members.append(
                GroupMember(
                    id=new_id(),
                    group_id=group.group.id,
                    name=c.name,
                    role=role,
                    staffing="专职" if p.source == "office" else "抽调",
                    home_unit=c.home_unit,
                    home_post=c.home_post,
                    duty="综合" if role in ("组长", "联络员") else vocab.MEMBER_DUTIES[i % 3],
                    gender=c.gender,
                    birth_month=c.birth_month,
                    political_status=c.political_status,
                    start_on=rnd.start_on,
                    end_on=rnd.end_on,
                    cadre_id=c.id,
                )
            )


def office_plan(rng: random.Random, new_id: NewId, today: date) -> OfficePlan:
    """The master list, the pool and three staffed rounds: a 常规 round, a 回头看 revisiting it (so the
    整改 screens show re-checks) and the current one, 常规 or 专项 by the seed."""
    orgs = master_list(new_id)
    pool = cadre_pool(rng, new_id, orgs)
    rounds = _rounds(new_id, today, rng.choice(("常规", "专项")))
    inspected: set[str] = set()
    first: list[Org] = []
    for plan in rounds:
        for ordinal, units in enumerate(_targets(rng, plan, orgs, inspected, first), start=1):
            group = InspectionGroup(
                id=new_id(),
                round_id=plan.round.id,
                ordinal=ordinal,
                name=f"县委第{CN_NUMBERS[ordinal - 1]}巡察组",
            )
            targets = [
                (
                    TargetUnit(
                        id=new_id(),
                        round_id=plan.round.id,
                        group_id=group.id,
                        name=o.record.name,
                        kind=o.kind,
                        org_id=o.id,
                    ),
                    o,
                )
                for o in units
            ]
            plan.groups.append(GroupPlan(group, targets))
        first = first or [o for g in plan.groups for _, o in g.targets]
        staffing = _Staffing(rng, pool, plan)
        for planned in plan.groups:
            staffing.staff(new_id, planned)
    serving = {m.cadre_id for g in rounds[-1].groups for m in g.members}
    return OfficePlan(orgs, set_statuses(rng, pool, serving), rounds)
