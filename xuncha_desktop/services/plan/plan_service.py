"""The office's plan (巡前准备): rounds, their groups, the groups' members and target units, and the members'
logins, saved with each record's own validation, the plan's cross-record rules (domain.plan_rules) and the
回避 check against the 人才库, every change audited in the transaction that makes it.

A 回避 conflict is never saved silently: the save raises AvoidanceConflict naming each conflict, and only a
save given an override reason goes through; that reason is kept on the member (avoidance_override) and an
audit entry “回避例外” names the member, the group and the conflicts in the same transaction."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from typing import Any, TypeVar, cast

from sqlalchemy import Connection, and_, func, select

from xuncha_desktop.domain import vocab
from xuncha_desktop.domain.cadre_pool import Cadre
from xuncha_desktop.domain.errors import FieldError, RecordNotFound, ValidationError, XunchaError
from xuncha_desktop.domain.organization import GroupMember, InspectionGroup, InspectionRound, TargetUnit, User
from xuncha_desktop.domain.plan_rules import PlanSnapshot, avoidance_conflicts, check_plan
from xuncha_desktop.domain.record_types import (
    ALL_RECORD_TYPES,
    BY_CLASS,
    BY_KEY,
    CADRE,
    GROUP,
    MEMBER,
    PARTY_ORGANIZATION,
    ROUND,
    TARGET,
    USER,
    RecordType,
)
from xuncha_desktop.services.plan.plan_snapshot import load_snapshot
from xuncha_desktop.services.records.record_service import ListQuery, RecordService
from xuncha_desktop.services.workspace import Workspace, new_id
from xuncha_desktop.storage.revisions import RevisionWriter
from xuncha_desktop.storage.tables import BUSINESS_TABLES

PlanRecord = InspectionRound | InspectionGroup | GroupMember | TargetUnit | User
P = TypeVar("P", InspectionRound, InspectionGroup, GroupMember, TargetUnit, User)

AVOIDANCE_OVERRIDE = "avoidance_override"  # the audit action of a 回避 override (回避例外)
PLAN_TYPES = (ROUND, GROUP, MEMBER, TARGET, USER)
RETIRABLE = {rt.key: rt for rt in (*PLAN_TYPES, PARTY_ORGANIZATION, CADRE)}
# What points at a record of each kind: the column of other tables that names it.
_CHILD_COLUMN = {
    ROUND.key: "round_id",
    GROUP.key: "group_id",
    TARGET.key: "target_id",
    MEMBER.key: "member_id",
    PARTY_ORGANIZATION.key: "org_id",
    CADRE.key: "cadre_id",
}
# What to do instead of retiring a record that the plan's history points at.
_KEEP_HINT = {
    CADRE.key: "参加过巡察的人员请将人员状态改为“退出”并填写原因，以保留其巡察经历",
    PARTY_ORGANIZATION.key: "被巡察过的党组织请取消“现存”并填写撤并说明，以保留全覆盖记录",
    MEMBER.key: "请先撤销这些记录（登录名可先停用）",
}
# The column naming the parent a retired record is listed under.
_PARENT_COLUMN = {GROUP.key: "round_id", MEMBER.key: "group_id", TARGET.key: "group_id"}
_MEASURE = {GROUP.key: "个", MEMBER.key: "人", TARGET.key: "个", USER.key: "个", "person": "人"}
_MEMBER_ORDER = {role: i for i, role in enumerate(vocab.MEMBER_ROLES)}


class AvoidanceConflict(XunchaError):
    """回避: the save would put a cadre on a group inspecting the cadre's own (or an earlier) unit; it goes
    through only when saved again with an override reason."""

    def __init__(self, conflicts: list[str]) -> None:
        self.conflicts = conflicts
        super().__init__(
            "存在需要回避的情形：" + "；".join(conflicts) + "。如确需安排，请填写回避例外说明后再保存"
        )


@dataclasses.dataclass(frozen=True)
class _Override:
    """A 回避 override to write with a save: the members it covers, with their conflicts, and the reason."""

    reason: str
    members: list[tuple[GroupMember, list[str]]]


def _problems_as_error(problems: Iterable[Any], label: str) -> ValidationError:
    return ValidationError([FieldError(p.field, p.message) for p in problems], label)


def _names(values: Iterable[str]) -> str:
    return "、".join(values)


class PlanService:
    """The plan of one (office) workspace."""

    def __init__(self, ws: Workspace) -> None:
        self._ws = ws

    def _svc(self, rt: RecordType) -> RecordService[Any]:
        return RecordService[Any](self._ws, rt)

    # -- reading ---------------------------------------------------------------------------------------
    def snapshot(self) -> PlanSnapshot:
        """The live plan (rounds, groups, members, target units, users), oldest first."""
        with self._ws.engine.connect() as conn:
            return load_snapshot(conn)

    def _snapshot_for(self, record: PlanRecord) -> PlanSnapshot:
        """The part of the live plan the rules need to check `record`: every round, group and user, and
        the members and units of the record's round."""
        with self._ws.engine.connect() as conn:
            if isinstance(record, InspectionRound):
                round_id = record.id
            elif isinstance(record, InspectionGroup | TargetUnit):
                round_id = record.round_id
            elif isinstance(record, GroupMember):
                groups = BUSINESS_TABLES[GROUP.key]
                found = conn.execute(select(groups.c.round_id).where(groups.c.id == record.group_id))
                round_id = found.scalar_one_or_none() or ""
            else:
                round_id = ""
            return load_snapshot(conn, round_id)

    def _live(self, rt: RecordType, order_by: str = "number", **filters: str) -> list[Any]:
        return self._svc(rt).list(ListQuery(filters=filters, order_by=order_by, limit=None))

    def rounds(self) -> list[InspectionRound]:
        """Live rounds, the newest year first, then by ordinal."""
        rounds: list[InspectionRound] = self._live(ROUND, "ordinal")
        return sorted(rounds, key=lambda r: (-r.year, r.ordinal, r.name))

    def groups(self, round_id: str) -> list[InspectionGroup]:
        return list(self._live(GROUP, "ordinal", round_id=round_id))

    def members(self, group_id: str) -> list[GroupMember]:
        """Live members of a group: 组长 first, then 副组长, 组员, 联络员, each in the order added."""
        members: list[GroupMember] = self._live(MEMBER, "created_hlc", group_id=group_id)
        return sorted(members, key=lambda m: _MEMBER_ORDER.get(m.role, len(_MEMBER_ORDER)))

    def targets(self, group_id: str) -> list[TargetUnit]:
        return list(self._live(TARGET, "created_hlc", group_id=group_id))

    def users(self) -> list[User]:
        """Live users: the office's own first, then members' logins, each by login (a handful of rows;
        not the whole plan snapshot)."""
        users: list[User] = self._live(USER, "created_hlc")
        return sorted(users, key=lambda u: (u.member_id != "", u.login))

    def member(self, member_id: str) -> GroupMember | None:
        """The live member `member_id`; None when there is none or it is in the recycle bin."""
        try:
            member: GroupMember = self._svc(MEMBER).stored(member_id)
        except RecordNotFound:
            return None
        return None if member.meta is not None and member.meta.deleted else member

    def cadre_statuses(self, cadre_ids: Iterable[str]) -> dict[str, tuple[str, str]]:
        """cadre id → (人才库 status, its reason) of the given pool entries (a group's members' links);
        an entry in the recycle bin shows as “已删除”."""
        wanted = sorted({i for i in cadre_ids if i})
        if not wanted:
            return {}
        cadres = BUSINESS_TABLES[CADRE.key]
        stmt = select(cadres.c.id, cadres.c.status, cadres.c.status_reason, cadres.c.deleted).where(
            cadres.c.id.in_(wanted)
        )
        with self._ws.engine.connect() as conn:
            rows = conn.execute(stmt).all()
        return {r.id: ("已删除", "") if r.deleted else (r.status, r.status_reason or "") for r in rows}

    def login_of(self, member_id: str) -> str:
        """The login of the member's live, active user; "" when the member has none."""
        users = self._live(USER, "created_hlc", member_id=member_id)
        return next((u.login for u in users if u.active), "")

    # -- saving ----------------------------------------------------------------------------------------
    def save(self, record: P, *, override: str = "") -> P:
        """Validate `record` on its own and against the plan, check 回避, and store it (see the module).
        Raises ValidationError (problems at their fields) or AvoidanceConflict (when `override` is blank)."""
        rt = BY_CLASS[type(record)]
        svc = self._svc(rt)
        svc.validate(record)
        if not record.id:
            record = dataclasses.replace(record, id=new_id())
        plan = self._snapshot_for(record)
        before = _stored(plan, record)
        plan.put(record)
        problems = check_plan(plan, {record.id})
        if problems:
            raise _problems_as_error(problems, rt.label)
        pending = self._avoidance(plan, record, before)
        reason = override.strip()
        if pending and not reason:
            raise AvoidanceConflict([c for _, conflicts in pending for c in conflicts])
        cover = _Override(reason, pending) if pending else None
        if cover is not None and isinstance(record, GroupMember):
            record = cast(P, dataclasses.replace(cast(Any, record), avoidance_override=reason))
        return svc.save(record, links=lambda writer, saved: self._write_override(writer, plan, saved, cover))

    def _avoidance(
        self, plan: PlanSnapshot, record: PlanRecord, before: PlanRecord | None
    ) -> list[tuple[GroupMember, list[str]]]:
        """The members whose 回避 conflicts this save would create, with the conflicts. Checked when the
        save changes who is in a group or which units it inspects: a member added or moved, or linked to
        another cadre; a unit added, renamed or moved. Conflicts overridden before are not asked again."""
        if isinstance(record, GroupMember):
            if not record.cadre_id or (
                isinstance(before, GroupMember)
                and (before.cadre_id, before.group_id) == (record.cadre_id, record.group_id)
            ):
                return []
            cadre = self._cadre(record.cadre_id)
            units = [t for t in plan.targets.values() if t.group_id == record.group_id]
            conflicts = avoidance_conflicts(cadre, units) if cadre else []
            return [(record, conflicts)] if conflicts else []
        if isinstance(record, TargetUnit):
            if isinstance(before, TargetUnit) and (before.name, before.group_id) == (
                record.name,
                record.group_id,
            ):
                return []
            found = []
            for member in plan.members.values():
                if member.group_id != record.group_id or not member.cadre_id:
                    continue
                cadre = self._cadre(member.cadre_id)
                conflicts = avoidance_conflicts(cadre, [record]) if cadre else []
                if conflicts:
                    found.append((member, conflicts))
            return found
        return []

    def _cadre(self, cadre_id: str) -> Cadre | None:
        try:
            cadre: Cadre = self._svc(CADRE).stored(cadre_id)
        except RecordNotFound:
            return None
        return cadre

    def _write_override(
        self, writer: RevisionWriter, plan: PlanSnapshot, saved: PlanRecord, cover: _Override | None
    ) -> None:
        """The 回避例外 entries of a save (one per member), and for a saved unit the reason kept on each
        member it conflicts with, all in the save's transaction."""
        if cover is None:
            return
        for member, conflicts in cover.members:
            if isinstance(saved, TargetUnit):
                member = dataclasses.replace(member, avoidance_override=cover.reason)
                writer.write(MEMBER, member)
            group = plan.groups.get(member.group_id)
            writer.log(
                AVOIDANCE_OVERRIDE,
                MEMBER.key,
                member.id,
                member=member.name,
                group=group.name if group else "",
                conflicts="；".join(conflicts),
            )

    # -- the pool and logins ---------------------------------------------------------------------------
    def add_from_pool(
        self, group_id: str, cadre_id: str, *, role: str = "组员", staffing: str = "抽调", override: str = ""
    ) -> GroupMember:
        """A new member of the group made from the 人才库 entry (name, gender, birth month, political status,
        home unit and post copied, linked by cadre_id). Only a cadre 在库 can be chosen."""
        try:
            cadre: Cadre = self._svc(CADRE).stored(cadre_id)
        except RecordNotFound:
            raise ValidationError([FieldError("cadre_id", "人才库中找不到该人员")], MEMBER.label) from None
        if cadre.meta is not None and cadre.meta.deleted:
            raise ValidationError(
                [FieldError("cadre_id", f"{cadre.name}已从人才库删除（在回收站中），不能选入巡察组")],
                MEMBER.label,
            )
        if cadre.status != "在库":
            why = f"（{cadre.status_reason}）" if cadre.status_reason.strip() else ""
            raise ValidationError(
                [
                    FieldError(
                        "cadre_id",
                        f"{cadre.name}在人才库中的状态为“{cadre.status}”{why}，只有“在库”人员才能选入巡察组",
                    )
                ],
                MEMBER.label,
            )
        member = GroupMember(
            group_id=group_id,
            name=cadre.name,
            role=role,
            staffing=staffing,
            home_unit=cadre.home_unit,
            home_post=cadre.home_post,
            gender=cadre.gender,
            birth_month=cadre.birth_month,
            political_status=cadre.political_status,
            cadre_id=cadre.id,
        )
        return self.save(member, override=override)

    def give_login(self, member_id: str, login: str) -> User:
        """A user for the member: the member's name and role, linked by member_id; the login must not be
        used by another active user, and a member gets one login."""
        try:
            member: GroupMember = self._svc(MEMBER).stored(member_id)
        except RecordNotFound:
            raise ValidationError([FieldError("member_id", "找不到该巡察组成员")], USER.label) from None
        if member.meta is not None and member.meta.deleted:
            raise ValidationError(
                [FieldError("member_id", f"{member.name}已撤销（在回收站中），不能分配登录名")], USER.label
            )
        existing = self.login_of(member_id)
        if existing:
            raise ValidationError(
                [FieldError("login", f"{member.name}已有登录名“{existing}”，一人只能有一个登录名")],
                USER.label,
            )
        user = User(login=login.strip(), display_name=member.name, role=member.role, member_id=member.id)
        return self.save(user)

    # -- recycle bin -----------------------------------------------------------------------------------
    def retired(self, key: str, parent_id: str = "") -> list[Any]:
        """The records of type `key` in the recycle bin, the last retired first (for 显示已撤销 and 恢复);
        with `parent_id` only those under it: a round's groups, a group's members or target units."""
        rt = _retirable(key)
        column = _PARENT_COLUMN.get(key)
        filters = {column: parent_id} if column and parent_id else {}
        query = ListQuery(deleted=True, filters=filters, order_by="updated_hlc", descending=True, limit=None)
        return self._svc(rt).list(query)

    def retire(self, key: str, record_id: str) -> None:
        """Move a plan record to the recycle bin (audited). Refused while records still hang on it (a
        round's groups, a group's members, units and records …), naming them: nothing is removed silently."""
        rt = _retirable(key)
        record = self._svc(rt).stored(record_id)
        with self._ws.engine.connect() as conn:
            remaining = _remaining(conn, key, record_id)
        if remaining:
            name = _record_name(record)
            what = "、".join(f"{label} {count} {_MEASURE.get(k, '条')}" for k, label, count in remaining)
            hint = _KEEP_HINT.get(key, "请先撤销或移走这些记录")
            raise XunchaError(f"不能撤销{rt.label}“{name}”：还有{what}与其关联。{hint}")
        self._svc(rt).delete(record_id)

    def restore(self, key: str, record_id: str) -> None:
        """Take a plan record back from the recycle bin (audited), if the plan still holds with it: its
        round or group must be live, its name, cadre, unit or login not taken in the meantime."""
        rt = _retirable(key)
        record = self._svc(rt).stored(record_id)
        if rt in PLAN_TYPES:
            plan = self._snapshot_for(record)
            plan.put(record)
            problems = check_plan(plan, {record_id})
            if problems:
                why = "；".join(p.message for p in problems)
                raise XunchaError(f"不能恢复{rt.label}“{_record_name(record)}”：{why}")
        self._svc(rt).restore(record_id)


def _stored(plan: PlanSnapshot, record: PlanRecord) -> PlanRecord | None:
    """The live version of `record` in the plan before this save; None for a new one."""
    by_type: dict[type[Any], dict[str, Any]] = {
        InspectionRound: plan.rounds,
        InspectionGroup: plan.groups,
        GroupMember: plan.members,
        TargetUnit: plan.targets,
        User: plan.users,
    }
    stored: PlanRecord | None = by_type[type(record)].get(record.id)
    return stored


def _retirable(key: str) -> RecordType:
    if key not in RETIRABLE:
        raise XunchaError(f"“{BY_KEY[key].label if key in BY_KEY else key}”不是巡察计划中的记录")
    return RETIRABLE[key]


def _record_name(record: Any) -> str:
    for name in ("name", "display_name", "login"):
        value = getattr(record, name, "")
        if value:
            return str(value)
    return str(record.number or record.id)


def _remaining(conn: Connection, key: str, record_id: str) -> list[tuple[str, str, int]]:
    """(type key, label, count) of the live records that point at record `record_id` of type `key`."""
    column = _CHILD_COLUMN.get(key)
    if column is None:
        return []
    found = []
    for rt in ALL_RECORD_TYPES:
        table = BUSINESS_TABLES[rt.key]
        if column not in table.c or rt.key == key:
            continue
        conds = [table.c.deleted.is_(False), table.c[column] == record_id]
        if rt.key == USER.key:
            conds.append(table.c.active.is_(True))
        count = conn.execute(select(func.count()).select_from(table).where(and_(*conds))).scalar_one()
        if count:
            found.append((rt.key, rt.label, int(count)))
    return found
