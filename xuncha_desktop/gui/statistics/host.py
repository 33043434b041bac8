"""What a 统计分析 sub-screen is given: the workspace, how to open a record on its tab, and today's date."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from xuncha_desktop.gui.pages.registry import BY_TYPE
from xuncha_desktop.services.workspace import Workspace

Navigate = Callable[[str, str], None]


def _nowhere(_type_key: str, _record_id: str) -> None:
    """No window to open records in (a screen shown on its own)."""


@dataclass(frozen=True)
class ScreenHost:
    workspace: Workspace
    navigate: Navigate = _nowhere  # MainWindow.navigate(type_key, record_id): the record on its own tab
    today: Callable[[], date] = date.today
    openable: frozenset[str] = field(default_factory=lambda: frozenset(BY_TYPE))  # types with a record page

    def can_open(self, type_key: str) -> bool:
        return type_key in self.openable
