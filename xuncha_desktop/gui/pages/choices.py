"""Drop-down entries that come from the workspace: rounds, groups, inspected units, members, categories."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache

from xuncha_desktop.domain.classification import BUILTIN_CATEGORIES, DEFAULT_FRAMEWORK
from xuncha_desktop.domain.errors import RecordNotFound
from xuncha_desktop.domain.organization import GroupMember, Person
from xuncha_desktop.domain.record_types import MEMBER, PERSON
from xuncha_desktop.services.records.context_names import ContextNames, load_context_names
from xuncha_desktop.services.records.record_service import ListQuery, RecordService
from xuncha_desktop.services.workspace import Workspace

Choice = tuple[str, str]


@dataclass(frozen=True)
class Choices:
    """The context a form's drop-downs offer; rebuilt when the workspace's context records change."""

    names: ContextNames = field(default_factory=ContextNames)
    members_by_id: dict[str, GroupMember] = field(default_factory=dict)
    persons_of: Callable[[str], Sequence[Choice]] = lambda _target_id: ()  # one unit's persons: id, shown
    person_by_id: Callable[[str], Person | None] = lambda _person_id: None  # one whole person, when chosen

    def rounds(self) -> list[Choice]:
        ordered = sorted(self.names.rounds.values(), key=lambda r: (r.year, r.ordinal), reverse=True)
        return [(r.id, r.name) for r in ordered]

    def groups(self, round_id: str = "") -> list[Choice]:
        found = [g for g in self.names.groups.values() if not round_id or g.round_id == round_id]
        return [(g.id, g.name) for g in sorted(found, key=lambda g: (g.round_id, g.ordinal))]

    def targets(self, round_id: str = "", group_id: str = "") -> list[Choice]:
        found = [
            t
            for t in self.names.targets.values()
            if (not round_id or t.round_id == round_id) and (not group_id or t.group_id in ("", group_id))
        ]
        return [(t.id, t.name) for t in sorted(found, key=lambda t: t.name)]

    def framework(self, round_id: str) -> str:
        found = self.names.rounds.get(round_id)
        return found.framework if found is not None and found.framework else DEFAULT_FRAMEWORK

    def categories(self, round_id: str, parent: str = "") -> list[Choice]:
        """Level-1 categories of the round's framework, or the children of `parent`."""
        framework = self.framework(round_id)
        found = [
            c
            for c in BUILTIN_CATEGORIES
            if c.framework == framework and (c.parent_code == parent if parent else c.level == 1)
        ]
        if parent and not found:
            return []
        return [(c.code, f"{c.code} {c.label}") for c in found]

    def members(self, group_id: str = "") -> list[Choice]:
        found = [m for m in self.members_by_id.values() if not group_id or m.group_id == group_id]
        return [(m.id, f"{m.name}（{m.role}）") for m in sorted(found, key=lambda m: m.number)]

    def member(self, member_id: str) -> GroupMember | None:
        return self.members_by_id.get(member_id)

    def persons(self, target_id: str) -> list[Choice]:
        return list(self.persons_of(target_id))

    def person(self, target_id: str, person_id: str) -> Person | None:
        """The person chosen from `persons(target_id)`, whole (None when not one of that unit's)."""
        if not any(pid == person_id for pid, _shown in self.persons_of(target_id)):
            return None
        return self.person_by_id(person_id)

    def member_named(self, name: str, group_id: str = "") -> GroupMember | None:
        for m in self.members_by_id.values():
            if m.name == name and (not group_id or m.group_id == group_id):
                return m
        return None


def load_choices(workspace: Workspace) -> Choices:
    """Rounds, groups, units and members number in the tens to hundreds: read them all at once."""
    members: Sequence[GroupMember] = RecordService[GroupMember](workspace, MEMBER).list(ListQuery(limit=None))
    persons = RecordService[Person](workspace, PERSON)

    @lru_cache(maxsize=64)
    def persons_of(target_id: str) -> tuple[Choice, ...]:
        # Persons can number in the thousands: read one unit's, when a form first needs them, and only
        # what the drop-down shows (the whole person is read when one is chosen).
        if not target_id:
            return ()
        query = ListQuery(filters={"target_id": target_id}, order_by="name", limit=500)
        found = persons.values(query, ("id", "name", "post"))
        return tuple((pid, f"{name}（{post}）" if post else name) for pid, name, post in found)

    def person_by_id(person_id: str) -> Person | None:
        try:
            return persons.get(person_id)
        except RecordNotFound:
            return None

    return Choices(load_context_names(workspace), {m.id: m for m in members}, persons_of, person_by_id)
