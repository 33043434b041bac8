"""A group's roster as provisioning shows and prints it: the office picks a round and a group by name, sees
its members and their logins (the users whose member_id names them), and the one-time 配置码 is made here."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import date

from xuncha_desktop.domain import vocab
from xuncha_desktop.domain.organization import GroupMember, InspectionGroup, InspectionRound, User
from xuncha_desktop.domain.record_types import GROUP, MEMBER, ROUND, USER
from xuncha_desktop.services.records.record_service import ListQuery, RecordService
from xuncha_desktop.services.sync.reports import SyncError
from xuncha_desktop.services.workspace import Workspace

# Digits and capitals without look-alikes (0/O/D/Q, 1/I/L, 2/Z, 5/S, 8/B, U/V): read aloud or copied by
# hand without doubt. 16 of 25 symbols ≈ 74 bits, and age's scrypt makes each guess cost about a second.
CODE_ALPHABET = "34679ACEFGHJKMNPRTWXY"
CODE_GROUPS, CODE_GROUP_LENGTH = 4, 4
CODE_SEPARATOR = "-"
ROLE_ORDER = {role: n for n, role in enumerate(vocab.MEMBER_ROLES)}


def new_code() -> str:
    """A strong one-time 配置码 such as “K7MX-3FRA-9TCH-WE4P” (secrets, not random)."""
    return CODE_SEPARATOR.join(
        "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_GROUP_LENGTH)) for _ in range(CODE_GROUPS)
    )


def normal_code(text: str) -> str:
    """A code as the package is encrypted with: one typed with spaces, without dashes or in small letters is
    written the way new_code shows it; any other code (one the office chose itself) stays as typed."""
    typed = text.strip()
    bare = "".join(ch for ch in typed.upper() if ch not in " -\u3000")
    if len(bare) == CODE_GROUPS * CODE_GROUP_LENGTH and all(ch in CODE_ALPHABET for ch in bare):
        n = CODE_GROUP_LENGTH
        return CODE_SEPARATOR.join(bare[i : i + n] for i in range(0, len(bare), n))
    return typed


@dataclass(frozen=True)
class GroupChoice:
    """A group as the provisioning dialog lists it: by its round's and its own name."""

    group_id: str
    group_name: str
    round_id: str
    round_name: str


@dataclass(frozen=True)
class RosterMember:
    """One line of a group's roster: 姓名, 组内职务 and the login the office gave the member ("" = none)."""

    name: str
    role: str
    login: str


@dataclass(frozen=True)
class GroupRoster:
    choice: GroupChoice
    members: tuple[RosterMember, ...]

    @property
    def without_login(self) -> list[str]:
        return [m.name for m in self.members if not m.login]


def provision_choices(ws: Workspace) -> list[GroupChoice]:
    """Every live group with its round, the latest round first, groups in their order."""
    every = ListQuery(limit=None)
    rounds = {r.id: r for r in RecordService[InspectionRound](ws, ROUND).list(every)}
    groups = RecordService[InspectionGroup](ws, GROUP).list(every)
    ordered = sorted(
        (g for g in groups if g.round_id in rounds),
        key=lambda g: (-rounds[g.round_id].year, -rounds[g.round_id].ordinal, g.ordinal, g.name),
    )
    return [GroupChoice(g.id, g.name, g.round_id, rounds[g.round_id].name) for g in ordered]


def group_roster(ws: Workspace, group_id: str) -> GroupRoster:
    """The group's live members, 组长 first, each with the login of the active user linked to them."""
    choice = next((c for c in provision_choices(ws) if c.group_id == group_id), None)
    if choice is None:
        raise SyncError(f"找不到巡察组“{group_id}”（可能已删除），请重新选择")
    members = RecordService[GroupMember](ws, MEMBER).list(
        ListQuery(filters={"group_id": group_id}, limit=None)
    )
    users = RecordService[User](ws, USER).list(ListQuery(limit=None))
    logins = {u.member_id: u.login for u in users if u.member_id and u.active}
    members.sort(key=lambda m: (ROLE_ORDER.get(m.role, len(ROLE_ORDER)), m.name))
    return GroupRoster(choice, tuple(RosterMember(m.name, m.role, logins.get(m.id, "")) for m in members))


def package_file_name(roster: GroupRoster, day: date) -> str:
    """The default name of a group's package, e.g. 县委第一巡察组-配置包-2026-12-07.xcpkg."""
    name = "".join(roster.choice.group_name.split()) or "巡察组"
    for bad in '\\/:*?"<>|':
        name = name.replace(bad, "_")
    return f"{name}-配置包-{day.isoformat()}.xcpkg"
