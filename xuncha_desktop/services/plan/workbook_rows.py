"""The plan workbook's rows turned into records: each row finds the record it is (by its identity: a round by
name, a group by round and name, a member by round, group and 姓名, a unit by round and 单位名称, a pool
entry by 姓名 and 现工作单位, a 党组织 by name) or makes a new one, and every problem is kept with its
sheet, row and column. Nothing here writes; workbook_import checks the whole and writes it."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from xuncha_desktop.domain.cadre_pool import Cadre
from xuncha_desktop.domain.classification import DEFAULT_FRAMEWORK
from xuncha_desktop.domain.organization import GroupMember, InspectionGroup, InspectionRound, TargetUnit, User
from xuncha_desktop.domain.party_organizations import PartyOrganization
from xuncha_desktop.domain.plan_rules import PlanSnapshot, same_name
from xuncha_desktop.domain.record_types import (
    CADRE,
    GROUP,
    MEMBER,
    PARTY_ORGANIZATION,
    ROUND,
    TARGET,
    USER,
    RecordType,
)
from xuncha_desktop.services.output.excel_import import CellError
from xuncha_desktop.services.plan.workbook_read import (
    CADRES,
    GROUPS,
    MEMBERS,
    ORGS,
    ROUNDS,
    UNITS,
    Row,
    RowError,
    parse_cell,
    split_home,
)
from xuncha_desktop.services.workspace import new_id
from xuncha_desktop.storage.keyfile import normal_login

# Record field → the column key that fills it, per sheet (a FieldError of a field names that column).
FIELD_COLUMNS: dict[str, dict[str, str]] = {
    ROUNDS: {
        "name": "round",
        "kind": "kind",
        "start_on": "start",
        "end_on": "end",
        "year": "year",
        "ordinal": "ordinal",
        "framework": "framework",
    },
    GROUPS: {
        "round_id": "round",
        "name": "group",
        "ordinal": "ordinal",
        "special_reports": "reports",
        "recommendations": "recommendations",
    },
    MEMBERS: {
        "group_id": "group",
        "name": "name",
        "role": "role",
        "staffing": "staffing",
        "home_unit": "home",
        "home_post": "home",
        "gender": "gender",
        "birth_month": "birth",
        "avoidance_override": "override",
        "login": "login",
        "display_name": "name",
        "cadre_id": "name",
    },
    UNITS: {
        "round_id": "round",
        "group_id": "group",
        "name": "unit",
        "kind": "kind",
        "org_id": "unit",
        "files_read": "files",
        "site_visits": "visits",
        "questionnaires": "questionnaires",
    },
    ORGS: {
        "name": "name",
        "kind": "kind",
        "parent_id": "parent",
        "active": "active",
        "retired_reason": "reason",
    },
    CADRES: {
        "name": "name",
        "gender": "gender",
        "birth_month": "birth",
        "political_status": "political",
        "home_unit": "unit",
        "home_post": "post",
        "earlier_units": "earlier",
        "specialities": "specialities",
        "status": "status",
        "status_reason": "reason",
    },
}
PLAN_TYPES: tuple[RecordType, ...] = (PARTY_ORGANIZATION, CADRE, ROUND, GROUP, MEMBER, TARGET, USER)


@dataclass
class Existing:
    """The workspace's live plan before the import: the snapshot and the two lists that last across rounds."""

    plan: PlanSnapshot
    orgs: dict[str, PartyOrganization]
    cadres: dict[str, Cadre]


@dataclass
class Built:
    """The records the workbook asks for (by type key, then id), where each came from, and the problems."""

    existing: Existing
    today: date
    records: dict[str, dict[str, Any]] = field(default_factory=lambda: {rt.key: {} for rt in PLAN_TYPES})
    origin: dict[str, tuple[Row, str]] = field(default_factory=dict)  # record id → (row, sheet of the row)
    errors: list[RowError] = field(default_factory=list)

    def stored(self, key: str, record_id: str) -> Any:
        plan = self.existing.plan
        by_type: dict[str, dict[str, Any]] = {
            "round": plan.rounds,
            "group": plan.groups,
            "member": plan.members,
            "target": plan.targets,
            "user": plan.users,
            "party_org": self.existing.orgs,
            "cadre": self.existing.cadres,
        }
        return by_type[key].get(record_id)

    def current(self, key: str, record_id: str) -> Any:
        return self.records[key].get(record_id) or self.stored(key, record_id)

    def error(self, row: Row, key: str, message: str) -> None:
        column = row.sheet.col(key).header if key else ""
        self.errors.append(RowError(row.sheet.name, row.number, column, message))

    def field_error(self, row: Row, fld: str, message: str) -> None:
        self.error(row, FIELD_COLUMNS[row.sheet.name].get(fld, ""), message)

    def value(self, row: Row, key: str, current: Any) -> Any:
        """The cell's value; `current` when the column is absent or the cell empty (an optional cell left
        empty keeps what is stored, or the default of a new record)."""
        if not row.has(key) or row.blank(key):
            return current
        try:
            return parse_cell(row.sheet.col(key), row.cells[key])
        except CellError as error:
            self.error(row, key, str(error))
            return current

    def filled(self, row: Row, *identity: str) -> bool:
        """An error per empty cell that must be filled; False when one of the cells that identify the row's
        record is empty (a row that still names its record is read on, so that the rows which refer to
        it are not reported as well)."""
        ok = True
        for col in row.sheet.columns:
            if col.filled and row.blank(col.key):
                self.error(row, col.key, "必填项为空")
                ok = ok and col.key not in identity
        return ok

    def keep(self, row: Row, rt: RecordType, record: Any) -> Any:
        """Validate `record` and keep it as the workbook's version; its field errors name their columns."""
        for problem in rt.validate(record, self.today):
            self.field_error(row, problem.field, problem.message)
        self.records[rt.key][record.id] = record
        self.origin.setdefault(record.id, (row, row.sheet.name))
        return record


class Indexes:
    """Records by their workbook identity, existing first, then those the workbook adds as it is read."""

    def __init__(self, existing: Existing) -> None:
        plan = existing.plan
        self.rounds = {same_name(r.name): r for r in plan.rounds.values()}
        self.groups = {(g.round_id, same_name(g.name)): g for g in plan.groups.values()}
        self.members = {(m.group_id, same_name(m.name)): m for m in plan.members.values()}
        self.targets = {(t.round_id, same_name(t.name)): t for t in plan.targets.values()}
        self.orgs = {same_name(o.name): o for o in existing.orgs.values()}
        self.cadres = {(same_name(c.name), same_name(c.home_unit)): c for c in existing.cadres.values()}
        self.users = {u.member_id: u for u in plan.users.values() if u.member_id}
        self.seen: dict[tuple[str, ...], Row] = {}  # workbook identities already read → their row

    def once(self, built: Built, row: Row, identity: tuple[str, ...], key: str, what: str) -> bool:
        """False (and an error) when an earlier row of the workbook already has this identity."""
        earlier = self.seen.get((row.sheet.name, *identity))
        if earlier is not None:
            built.error(row, key, f"与第 {earlier.number} 行重复（同一{what}）")
            return False
        self.seen[(row.sheet.name, *identity)] = row
        return True


def _next_ordinal(values: Iterable[int]) -> int:
    return min(max(values, default=0) + 1, 99)


def build_orgs(built: Built, index: Indexes, rows: list[Row]) -> None:
    parents: list[tuple[Row, PartyOrganization]] = []
    for row in rows:
        if not built.filled(row, "name"):
            continue
        name = parse_cell(row.sheet.col("name"), row.cells["name"])
        if not index.once(built, row, (same_name(name),), "name", "党组织"):
            continue
        old = index.orgs.get(same_name(name)) or PartyOrganization(id=new_id(), name=name)
        org = dataclasses.replace(
            old,
            name=name,
            kind=built.value(row, "kind", old.kind),
            active=built.value(row, "active", old.active),
            retired_reason=built.value(row, "reason", old.retired_reason),
        )
        index.orgs[same_name(name)] = org
        parents.append((row, org))
    for row, org in parents:  # parents may come later in the sheet
        parent_name = built.value(row, "parent", None)
        parent_id = org.parent_id
        if parent_name is not None:
            parent = index.orgs.get(same_name(parent_name))
            if parent is None:
                built.error(row, "parent", f"上级党组织“{parent_name}”不在党组织名录中")
            else:
                parent_id = parent.id
        built.keep(row, PARTY_ORGANIZATION, dataclasses.replace(org, parent_id=parent_id))


def build_cadres(built: Built, index: Indexes, rows: list[Row]) -> None:
    for row in rows:
        if not built.filled(row, "name"):
            continue
        name = parse_cell(row.sheet.col("name"), row.cells["name"])
        unit = built.value(row, "unit", "")
        identity = (same_name(name), same_name(unit))
        if not index.once(built, row, identity, "name", "人员（姓名与现工作单位相同）"):
            continue
        old = index.cadres.get(identity) or Cadre(id=new_id(), name=name, home_unit=unit)
        cadre = dataclasses.replace(
            old,
            name=name,
            home_unit=unit,
            gender=built.value(row, "gender", old.gender),
            birth_month=built.value(row, "birth", old.birth_month),
            political_status=built.value(row, "political", old.political_status),
            home_post=built.value(row, "post", old.home_post),
            earlier_units=built.value(row, "earlier", old.earlier_units),
            specialities=built.value(row, "specialities", old.specialities),
            status=built.value(row, "status", old.status),
            status_reason=built.value(row, "reason", old.status_reason),
        )
        index.cadres[identity] = built.keep(row, CADRE, cadre)


def build_rounds(built: Built, index: Indexes, rows: list[Row]) -> None:
    for row in rows:
        if not built.filled(row, "round"):
            continue
        name = parse_cell(row.sheet.col("round"), row.cells["round"])
        if not index.once(built, row, (same_name(name),), "round", "轮次名称"):
            continue
        old = index.rounds.get(same_name(name))
        start = built.value(row, "start", old.start_on if old else None)
        year = built.value(row, "year", old.year if old else (start or built.today).year)
        if old is None:
            same_year = (r.ordinal for r in index.rounds.values() if r.year == year)
            old = InspectionRound(
                id=new_id(), year=year, ordinal=_next_ordinal(same_year), framework=DEFAULT_FRAMEWORK
            )
        record = dataclasses.replace(
            old,
            name=name,
            kind=built.value(row, "kind", old.kind),
            start_on=start,
            end_on=built.value(row, "end", old.end_on),
            year=year,
            ordinal=built.value(row, "ordinal", old.ordinal),
            framework=built.value(row, "framework", old.framework),
        )
        index.rounds[same_name(name)] = built.keep(row, ROUND, record)


def round_of(built: Built, index: Indexes, row: Row) -> InspectionRound | None:
    name = parse_cell(row.sheet.col("round"), row.cells["round"])
    found = index.rounds.get(same_name(name))
    if found is None:
        built.error(row, "round", f"轮次“{name}”不存在（工作库和“{ROUNDS}”工作表中都没有）")
    return found


def group_of(built: Built, index: Indexes, row: Row, rnd: InspectionRound) -> InspectionGroup | None:
    name = parse_cell(row.sheet.col("group"), row.cells["group"])
    found = index.groups.get((rnd.id, same_name(name)))
    if found is None:
        built.error(row, "group", f"巡察组“{name}”不在轮次“{rnd.name}”中（工作库和“{GROUPS}”工作表中都没有）")
    return found


def build_groups(built: Built, index: Indexes, rows: list[Row]) -> None:
    for row in rows:
        if not built.filled(row, "round", "group"):
            continue
        rnd = round_of(built, index, row)
        if rnd is None:
            continue
        name = parse_cell(row.sheet.col("group"), row.cells["group"])
        identity = (rnd.id, same_name(name))
        if not index.once(built, row, identity, "group", "轮次的巡察组"):
            continue
        old = index.groups.get(identity)
        if old is None:
            ordinals = (g.ordinal for (rid, _), g in index.groups.items() if rid == rnd.id)
            old = InspectionGroup(id=new_id(), round_id=rnd.id, ordinal=_next_ordinal(ordinals))
        record = dataclasses.replace(
            old,
            name=name,
            ordinal=built.value(row, "ordinal", old.ordinal),
            special_reports=built.value(row, "reports", old.special_reports),
            recommendations=built.value(row, "recommendations", old.recommendations),
        )
        index.groups[identity] = built.keep(row, GROUP, record)


def _cadre_for(built: Built, index: Indexes, row: Row, member: GroupMember) -> str:
    """The pool entry of a member: an existing member keeps its link; a new one is matched by 姓名 and
    现工作单位 (the unit part of 原单位及职务), and a new pool entry is made when there is none."""
    if member.cadre_id and built.current(CADRE.key, member.cadre_id) is not None:
        return member.cadre_id
    identity = (same_name(member.name), same_name(member.home_unit))
    cadre = index.cadres.get(identity)
    if cadre is None:
        made = Cadre(
            id=new_id(),
            name=member.name,
            gender=member.gender,
            birth_month=member.birth_month,
            home_unit=member.home_unit,
            home_post=member.home_post,
        )
        cadre = index.cadres[identity] = built.keep(row, CADRE, made)
    return cadre.id


def _user_for(built: Built, index: Indexes, row: Row, member: GroupMember, login: str) -> None:
    """The member's login: its user (found by the member it belongs to) gets the login, the name and the
    member's role; a new user is made for a member without one."""
    old = index.users.get(member.id) or User(id=new_id(), member_id=member.id, active=True)
    user = dataclasses.replace(old, login=login, display_name=member.name, role=member.role)
    index.users[member.id] = built.keep(row, USER, user)


def build_members(built: Built, index: Indexes, rows: list[Row]) -> None:
    for row in rows:
        if not built.filled(row, "round", "group", "name"):
            continue
        rnd = round_of(built, index, row)
        group = group_of(built, index, row, rnd) if rnd else None
        if group is None:
            continue
        name = parse_cell(row.sheet.col("name"), row.cells["name"])
        identity = (group.id, same_name(name))
        if not index.once(built, row, identity, "name", "巡察组的成员"):
            continue
        old = index.members.get(identity) or GroupMember(id=new_id(), group_id=group.id, name=name)
        home = built.value(row, "home", None)
        unit, post = split_home(home) if home is not None else (old.home_unit, old.home_post)
        member = dataclasses.replace(
            old,
            name=name,
            role=parse_cell(row.sheet.col("role"), row.cells["role"]),
            staffing=built.value(row, "staffing", old.staffing),
            home_unit=unit,
            home_post=post,
            gender=built.value(row, "gender", old.gender),
            birth_month=built.value(row, "birth", old.birth_month),
            avoidance_override=built.value(row, "override", old.avoidance_override),
        )
        member = dataclasses.replace(member, cadre_id=_cadre_for(built, index, row, member))
        index.members[identity] = built.keep(row, MEMBER, member)
        login = normal_login(built.value(row, "login", ""))
        if login:
            _user_for(built, index, row, member, login)


def _org_for(built: Built, index: Indexes, row: Row, name: str, kind: str) -> str:
    """The 党组织名录 entry of a unit, by name; a new entry (of the unit's kind) when there is none."""
    org = index.orgs.get(same_name(name))
    if org is None:
        org = index.orgs[same_name(name)] = PartyOrganization(id=new_id(), name=name, kind=kind)
        built.keep(row, PARTY_ORGANIZATION, org)
    return org.id


def build_units(built: Built, index: Indexes, rows: list[Row]) -> None:
    for row in rows:
        if not built.filled(row, "round", "group", "unit"):
            continue
        rnd = round_of(built, index, row)
        group = group_of(built, index, row, rnd) if rnd else None
        if rnd is None or group is None:
            continue
        name = parse_cell(row.sheet.col("unit"), row.cells["unit"])
        identity = (rnd.id, same_name(name))
        earlier = index.seen.get((row.sheet.name, *identity))
        if earlier is not None:
            other = parse_cell(row.sheet.col("group"), earlier.cells["group"])
            if same_name(other) != same_name(group.name):
                built.error(
                    row,
                    "group",
                    f"“{name}”已在第 {earlier.number} 行分给“{other}”，同一轮次一个单位只能分给一个巡察组",
                )
            else:
                built.error(row, "unit", f"与第 {earlier.number} 行重复（同一轮次的单位）")
            continue
        index.seen[(row.sheet.name, *identity)] = row
        old = index.targets.get(identity) or TargetUnit(id=new_id(), round_id=rnd.id, name=name)
        kind = parse_cell(row.sheet.col("kind"), row.cells["kind"])
        # like a member's pool entry: a unit already there keeps its link (none, if it had none), so that
        # importing an export changes nothing; a new unit is linked by name
        org_id = (
            old.org_id if old.id in built.existing.plan.targets else _org_for(built, index, row, name, kind)
        )
        record = dataclasses.replace(
            old,
            group_id=group.id,
            name=name,
            kind=kind,
            org_id=org_id,
            files_read=built.value(row, "files", old.files_read),
            site_visits=built.value(row, "visits", old.site_visits),
            questionnaires=built.value(row, "questionnaires", old.questionnaires),
        )
        index.targets[identity] = built.keep(row, TARGET, record)
