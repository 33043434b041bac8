"""The office demo the statistics workbook and 统计简报 tests read, and the scopes they are written for."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from tests.builders import PASSPHRASE
from xuncha_desktop.services.demo.office import build_office_demo
from xuncha_desktop.services.office_statistics.scope import Scope, scope_for
from xuncha_desktop.services.workspace import Workspace
from xuncha_desktop.storage.keyfile import KdfParams

TODAY = date(2026, 5, 20)
ROUNDS = ("2025年第一轮巡察", "2025年第二轮巡察", "2026年第一轮巡察")


def office_demo(path: Path) -> Workspace:
    """`demo --office` (seed 1) in a new office workspace at `path`, left open."""
    ws = Workspace.create(path, PASSPHRASE, kdf=KdfParams.cheap(), office=True)
    build_office_demo(ws, seed=1, today=TODAY)
    return ws


def every_scope(ws: Workspace) -> dict[str, Scope]:
    """The term, each year and each round of the demo, and a date range."""
    scopes = {"term": Scope(), "2025": Scope(year=2025), "2026": Scope(year=2026)}
    scopes |= {name: scope_for(ws, round_name=name) for name in ROUNDS}
    scopes["range"] = Scope(start=date(2025, 6, 1), end=date(2026, 3, 31))
    return scopes
