"""Form bindings every page shares: the context fields, the choice lists they offer and their widgets.
Each page module (gui/pages) binds its own fields; the widget names are those of ui/*_form.ui."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from xuncha_desktop.domain import vocab
from xuncha_desktop.gui.pages.choices import Choices
from xuncha_desktop.gui.pages.field_bindings import Choice, FieldBinding

B = FieldBinding


def rounds(c: Choices, v: Mapping[str, Any]) -> list[Choice]:
    return c.rounds()


def groups(c: Choices, v: Mapping[str, Any]) -> list[Choice]:
    return c.groups(v.get("round_id", ""))


def targets(c: Choices, v: Mapping[str, Any]) -> list[Choice]:
    return c.targets(v.get("round_id", ""), v.get("group_id", ""))


def persons(c: Choices, v: Mapping[str, Any]) -> list[Choice]:
    return c.persons(v.get("target_id", ""))


def level1(c: Choices, v: Mapping[str, Any]) -> list[Choice]:
    return c.categories(v.get("round_id", ""))


def level2(c: Choices, v: Mapping[str, Any]) -> list[Choice]:
    parent = v.get("category_l1", "")
    return c.categories(v.get("round_id", ""), parent) if parent else []


def members(c: Choices, v: Mapping[str, Any]) -> list[Choice]:
    return c.members(v.get("group_id", ""))


NUMBER = B("number", "numberEdit", read_only=True)
ROUND = B("round_id", "roundCombo", rounds, optional=True)
GROUP = B("group_id", "groupCombo", groups, ("round_id",), optional=True)
TARGET = B("target_id", "targetCombo", targets, ("round_id", "group_id"), optional=True)
MARKING = B("marking", "markingCombo", vocab.MARKINGS)
CONTEXT = (NUMBER, ROUND, GROUP, TARGET)
