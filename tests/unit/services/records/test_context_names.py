"""context_names: the names of rounds, groups and units records point to, read once; unknown ids are blank."""

from __future__ import annotations

from tests.builders import Context
from xuncha_desktop.services.records.context_names import ContextNames, load_context_names
from xuncha_desktop.services.workspace import Workspace


def test_names_by_id(workspace: Workspace, ctx: Context) -> None:
    names = load_context_names(workspace)
    assert names.round(ctx.round.id) == "2025年第3轮巡察"
    assert names.group(ctx.group.id) == "第2巡察组"
    assert names.target(ctx.target.id) == "清河县财政局党组"


def test_an_unknown_or_empty_id_has_no_name() -> None:
    names = ContextNames()
    assert names.round("x") == names.group("") == names.target("y") == ""
