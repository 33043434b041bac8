"""One small declarative state machine for every record that moves through named states.

A Workflow lists its states and Transitions. A transition says from which states it starts, where it goes,
which roles may take it, what else must hold (conditions on the record, guards on the person) and what it
stamps on the record (a sign-off entry, a date, a name, a flag). The engine answers which transitions a
record offers, why a person may not take one (in Chinese, for the screen), and applies one. It knows nothing
of storage: services load, apply and save. Used by 问题底稿 and 问题线索 (domain.workflows); 整改 and 移交
tracking declare theirs the same way.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, Generic, Protocol, TypeVar

from xuncha_desktop.domain.errors import WorkflowError

R = TypeVar("R")

STATE_REFUSAL = "{noun}当前状态为“{state}”，不能{label}"
ROLE_REFUSAL = "{action}须由{roles}进行，当前用户“{name}”的角色是{role}"


class Actor(Protocol):
    """Who takes a transition (domain.organization.User fits)."""

    @property
    def login(self) -> str: ...

    @property
    def display_name(self) -> str: ...

    @property
    def role(self) -> str: ...


@dataclass(frozen=True)
class Move:
    """The circumstances of one transition: who, when, the opinion they gave (may be empty), and the step
    taken (the transition's label, filled in by Workflow.apply for the stamps)."""

    actor: Actor
    at: datetime
    opinion: str = ""
    step: str = ""

    @property
    def today(self) -> date:
        return self.at.date()


# A condition on the record alone ("" when it holds): when it fails the transition is not even offered.
Condition = Callable[[Any], str]
# A guard on who takes it ("" when allowed), checked after the role.
Guard = Callable[[Any, Actor], str]
# What a transition writes besides the state: field → value, computed on the record already moved.
Stamp = Callable[[Any, Move], Mapping[str, Any]]


@dataclass(frozen=True)
class Transition:
    key: str
    label: str  # the button, and the step written into a sign-off
    sources: tuple[str, ...]
    target: str
    roles: tuple[str, ...] = ()  # who may take it; empty: any role (guards may still refuse)
    roles_by_source: Mapping[str, tuple[str, ...]] = field(default_factory=dict)  # overrides `roles`
    action: str = ""  # what the role refusal calls it ("复核"); the label when empty
    role_refusal: str = ""  # the workflow's wording when empty
    conditions: tuple[Condition, ...] = ()
    guards: tuple[Guard, ...] = ()
    stamps: tuple[Stamp, ...] = ()
    hint: str = ""  # who may take it and what to fill in first, for tooltips
    opinion_field: str = ""  # the record field a screen offers as the step's opinion
    asks: str = ""  # a screen asks for the opinion with this prompt before taking the step
    manual: bool = True  # False: the system takes it (an edit after sign-off), never offered as a button

    def roles_at(self, state: str) -> tuple[str, ...]:
        return self.roles_by_source.get(state, self.roles)


@dataclass(frozen=True)
class Workflow(Generic[R]):
    name: str
    noun: str  # what the state refusal calls the record ("底稿")
    states: tuple[str, ...]
    initial: str
    transitions: tuple[Transition, ...]
    state_field: str = "status"
    state_refusal: str = STATE_REFUSAL
    role_refusal: str = ROLE_REFUSAL

    def __post_init__(self) -> None:
        keys = [t.key for t in self.transitions]
        if len(set(keys)) != len(keys):
            raise ValueError(f"{self.name}：转换的键重复")
        known = {self.initial}
        for t in self.transitions:
            known.update(t.sources, (t.target,), t.roles_by_source)
        if unknown := sorted(known - set(self.states)):
            raise ValueError(f"{self.name}：未声明的状态 {unknown}")

    def transition(self, key: str) -> Transition:
        for t in self.transitions:
            if t.key == key:
                return t
        raise KeyError(key)

    def state_of(self, record: R) -> str:
        return str(getattr(record, self.state_field))

    @property
    def steps(self) -> tuple[Transition, ...]:
        """The manual transitions (the buttons), in declared order."""
        return tuple(t for t in self.transitions if t.manual)

    def leaving(self, state: str) -> list[Transition]:
        """The manual transitions that start from `state`, in declared order."""
        return [t for t in self.steps if state in t.sources]

    def is_final(self, state: str) -> bool:
        return not any(state in t.sources for t in self.transitions)

    def offered(self, t: Transition, record: R) -> bool:
        """Whether `record` could take `t` at all (its state and conditions), whoever asks."""
        return self.state_of(record) in t.sources and not any(c(record) for c in t.conditions)

    def refusal(self, t: Transition, record: R, actor: Actor) -> str:
        """Why `actor` may not take `t` on `record` now, in Chinese; "" when allowed."""
        state = self.state_of(record)
        if state not in t.sources:
            return self.state_refusal.format(noun=self.noun, state=state, label=t.label)
        roles = t.roles_at(state)
        if roles and actor.role not in roles:
            return (t.role_refusal or self.role_refusal).format(
                action=t.action or t.label,
                roles="、".join(roles),
                roles_or="或".join(roles),
                state=state,
                name=actor.display_name,
                role=actor.role,
            )
        for check in t.conditions:
            if reason := check(record):
                return reason
        for guard in t.guards:
            if reason := guard(record, actor):
                return reason
        return ""

    def allowed(self, record: R, actor: Actor) -> list[Transition]:
        """The manual transitions `actor` may take on `record` now."""
        return [t for t in self.leaving(self.state_of(record)) if not self.refusal(t, record, actor)]

    def apply(self, t: Transition, record: R, move: Move) -> R:
        """`record` after `t`: the new state, then each stamp in order; WorkflowError when not allowed."""
        reason = self.refusal(t, record, move.actor)
        if reason:
            raise WorkflowError(reason)
        moved = dataclasses.replace(record, **{self.state_field: t.target})  # type: ignore[type-var]
        move = dataclasses.replace(move, step=t.label)
        for stamp in t.stamps:
            moved = dataclasses.replace(moved, **stamp(moved, move))  # type: ignore[type-var]
        return moved


# -- stamps and guards that workflows share ---------------------------------------------------------------
def put(name: str, value: Any) -> Stamp:
    """Always write `value` (a closed flag, a marker)."""
    return lambda _record, _move: {name: value}


def fill(name: str, value: Callable[[Move], Any]) -> Stamp:
    """Write `value(move)` only where the field is still empty: what a person typed in first is kept."""
    return lambda record, move: {} if getattr(record, name) else {name: value(move)}


def today_if_empty(name: str) -> Stamp:
    return fill(name, lambda move: move.today)


def actor_if_empty(name: str) -> Stamp:
    return fill(name, lambda move: move.actor.display_name)


def opinion_into(name: str) -> Stamp:
    """Write the opinion given with the step into a field (kept when none was given)."""
    return lambda _record, move: {name: move.opinion} if move.opinion else {}


def sign(fingerprint: Callable[[Any], str], name: str = "signoffs") -> Stamp:
    """Append a sign-off entry: the step, who (name and role), when, the content fingerprint, the opinion."""

    def stamp(record: Any, move: Move) -> Mapping[str, Any]:
        entry = {
            "step": move.step,
            "by": move.actor.display_name,
            "role": move.actor.role,
            "at": move.at.isoformat(timespec="seconds"),
            "content_hash": fingerprint(record),
            "opinion": move.opinion,
        }
        return {name: [*getattr(record, name), entry]}

    return stamp


def names_of(actor: Actor) -> tuple[str, ...]:
    return (actor.display_name, actor.login)


def is_named_in(record: Any, name: str, actor: Actor) -> bool:
    """Whether the field `name` of `record` names `actor` (display name or login; blanks never match)."""
    value = str(getattr(record, name)).strip()
    return bool(value) and value in names_of(actor)
