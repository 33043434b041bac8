"""Who may see the reporter of a lead or a petition (信访件) and who may sign which draft step: pure
functions for screens and prints. Both record types declare the reporter with the same field names."""

from __future__ import annotations

import dataclasses
from typing import Protocol, TypeVar

from xuncha_desktop.domain import vocab
from xuncha_desktop.domain.organization import User
from xuncha_desktop.domain.workflows import DRAFT_APPROVE, DRAFT_REVIEW

ANONYMOUS = "匿名"
HIDDEN = "已隐藏"
REPORTER_FIELDS = ("reporter_name", "reporter_contact")
REPORTER_ROLES = ("组长", "副组长")
# The record types whose reporter (反映人 and contact) is masked: 问题线索 and 信访件.
REPORTER_TYPES = ("lead", "petition")


class Reported(Protocol):
    """A record with a reporter: a lead (LeadRegistration) or a petition (Petition)."""

    @property
    def registered_by(self) -> str: ...

    @property
    def anonymous(self) -> bool: ...


T = TypeVar("T", bound=Reported)


def has_reporter(type_key: str) -> bool:
    return type_key in REPORTER_TYPES


# The draft steps that are sign-offs, by key, label or short name (复核, 审签), and the role that signs.
_SIGNERS = {
    name: step.roles[0]
    for step in (DRAFT_REVIEW, DRAFT_APPROVE)
    for name in (step.key, step.label, step.action)
}


def _names(user: User) -> set[str]:
    return {n.strip() for n in (user.login, user.display_name) if n and n.strip()}


def can_see_reporter(user: User, lead: Reported, *, office: bool = False) -> bool:
    """组长, 副组长, whoever registered the lead, and the office administrator in an office workspace."""
    if user.role in REPORTER_ROLES:
        return True
    if office and user.role == vocab.OFFICE_ADMIN:
        return True
    return bool(lead.registered_by.strip()) and lead.registered_by.strip() in _names(user)


def mask_lead(lead: T, user: User, *, office: bool = False) -> T:
    """A copy of `lead` (or petition) fit for `user`: the reporter's identity and contact become 匿名 (for
    anonymous ones) or 已隐藏 when the user may not see them."""
    if can_see_reporter(user, lead, office=office):
        return dataclasses.replace(lead)  # type: ignore[type-var]
    shown = ANONYMOUS if lead.anonymous else HIDDEN
    return dataclasses.replace(lead, reporter_name=shown, reporter_contact=shown)  # type: ignore[type-var]


def may_sign(user: User, step: str) -> bool:
    """复核 only by a 副组长, 审签 only by the 组长; any other or unknown step is not a sign-off."""
    role = _SIGNERS.get(step.strip())
    return role is not None and user.role == role


# Who sees the 反映人 of leads in prints and ledgers (the others get 已隐藏), in the GUI and the CLI alike.
REPORTER_READERS = ("组长", "副组长", vocab.OFFICE_ADMIN)


def hides_reporter_in_output(user: User) -> bool:
    return user.role not in REPORTER_READERS
