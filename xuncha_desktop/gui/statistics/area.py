"""The 统计分析 tab of an office workspace: a QTabWidget of sub-screens, each built when first shown, read
then, and re-read after a committed change touching what it shows (at once when in front, else when next
shown).

A sub-screen is registered in SCREENS as (title, factory); factory(host, parent) builds a QWidget that has
  refresh() -> None          read everything again (called once after building, then after changes);
and may have
  reads: frozenset[str]      the record types whose changes make it re-read (default: every change);
  follow(context) -> None    follow the toolbar's working context (round, group, unit).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import QTabWidget, QVBoxLayout, QWidget

from xuncha_desktop.gui.pages.choices import Choices
from xuncha_desktop.gui.pages.page_types import WorkContext
from xuncha_desktop.gui.statistics.group_scoring_screen import TITLE as GROUP_SCORING
from xuncha_desktop.gui.statistics.group_scoring_screen import GroupScoringScreen
from xuncha_desktop.gui.statistics.host import Navigate, ScreenHost
from xuncha_desktop.gui.statistics.overview import OverviewScreen
from xuncha_desktop.services.changes import Changes
from xuncha_desktop.services.workspace import Workspace

TITLE = "统计分析"
OVERVIEW = "统计概览"
ScreenFactory = Callable[[ScreenHost, QWidget], QWidget]

# -- the sub-screens, in tab order: append yours here ----------------------------------------------------
SCREENS: list[tuple[str, ScreenFactory]] = [
    (OVERVIEW, OverviewScreen),
    (GROUP_SCORING, GroupScoringScreen),
]
# -----------------------------------------------------------------------------------------------------------


class ScreenSlot(QWidget):
    """Holds a sub-screen's tab; builds and reads the screen when first shown."""

    def __init__(self, title: str, build: ScreenFactory, host: ScreenHost, parent: QWidget) -> None:
        super().__init__(parent)
        self.setObjectName(f"slot:{title}")
        self.title = title
        self.stale = False
        self._build = build
        self._host = host
        self._context: WorkContext | None = None
        self.content: QWidget | None = None
        QVBoxLayout(self).setContentsMargins(0, 0, 0, 0)

    def ensure(self) -> QWidget:
        if self.content is None:
            self.content = self._build(self._host, self)
            layout = self.layout()
            assert layout is not None
            layout.addWidget(self.content)
            if self._context is not None:
                self.follow(self._context)
            self.content.refresh()  # type: ignore[attr-defined]  # every sub-screen has refresh()
            self.stale = False
        return self.content

    def follow(self, context: WorkContext) -> None:
        self._context = context
        follow = getattr(self.content, "follow", None)
        if follow is not None:
            follow(context)

    def touched_by(self, changes: Changes) -> bool:
        reads = getattr(self.content, "reads", None)
        return bool(changes) if reads is None else changes.touches(reads)

    def refresh_if_stale(self) -> None:
        if self.stale and self.content is not None:
            self.stale = False
            self.content.refresh()  # type: ignore[attr-defined]

    def showEvent(self, event: QShowEvent) -> None:
        self.ensure()
        self.refresh_if_stale()
        super().showEvent(event)


class StatisticsArea(QTabWidget):
    """统计分析 (office workspaces only). `navigate(type_key, id)` opens a record on its own tab."""

    def __init__(
        self,
        workspace: Workspace,
        parent: QWidget | None = None,
        *,
        navigate: Navigate | None = None,
        context: WorkContext | None = None,
        today: Callable[[], date] = date.today,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("statisticsArea")
        self.host = ScreenHost(workspace, navigate or ScreenHost.navigate, today)
        self._slots = [ScreenSlot(title, build, self.host, self) for title, build in SCREENS]
        for slot in self._slots:
            if context is not None:
                slot.follow(context)
            self.addTab(slot, slot.title)

    # -- public ----------------------------------------------------------------------------------------
    def screens(self) -> list[QWidget]:
        """The sub-screens built so far."""
        return [slot.content for slot in self._slots if slot.content is not None]

    def show_screen(self, title: str) -> Any:
        """Bring sub-screen `title` forward (built and read now if needed)."""
        for slot in self._slots:
            if slot.title == title:
                self.setCurrentWidget(slot)
                return slot.ensure()
        raise KeyError(title)

    @property
    def overview(self) -> OverviewScreen:
        """统计概览 (built and read now if needed)."""
        screen = self._slots[0].ensure()
        assert isinstance(screen, OverviewScreen)
        return screen

    def on_changes(self, changes: Changes) -> None:
        """A committed change: the screens that show it re-read, now if in front, else when next shown."""
        for slot in self._slots:
            if slot.content is None or not slot.touched_by(changes):
                continue
            slot.stale = True
            if slot.isVisible():
                slot.refresh_if_stale()

    def set_context(self, context: WorkContext) -> None:
        for slot in self._slots:
            slot.follow(context)

    def set_choices(self, _choices: Choices) -> None:
        """Rounds, groups or units changed (an import): on_changes re-reads what the screens show."""

    def is_dirty(self) -> bool:
        return False  # nothing here is edited

    def confirm_leave(self) -> bool:
        return True
