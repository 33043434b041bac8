"""The 巡察计划 tab of an office workspace: 轮次与巡察组, 党组织名录, 人才库 and 用户 as sub-tabs, each built
when first shown and re-read when a change (a save here or elsewhere, an import) touches what it shows."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import QTabWidget, QVBoxLayout, QWidget

from xuncha_desktop.domain.record_types import (
    APPRAISAL,
    CADRE,
    GROUP,
    MEMBER,
    PARTY_ORGANIZATION,
    ROUND,
    TARGET,
    USER,
)
from xuncha_desktop.gui.plan.organizations_screen import OrganizationsScreen
from xuncha_desktop.gui.plan.plan_editor import PlanEditor
from xuncha_desktop.gui.plan.pool_screen import PoolScreen
from xuncha_desktop.gui.plan.rounds_screen import RoundsScreen
from xuncha_desktop.gui.plan.users_screen import UsersScreen
from xuncha_desktop.services.changes import Changes
from xuncha_desktop.services.workspace import Workspace

TITLE = "巡察计划"
PLAN = frozenset({ROUND.key, GROUP.key, MEMBER.key, TARGET.key})
# What each screen shows, for Changes.touches
SCREENS: tuple[tuple[str, type[QWidget], frozenset[str]], ...] = (
    ("轮次与巡察组", RoundsScreen, PLAN | {USER.key, PARTY_ORGANIZATION.key, CADRE.key}),
    ("党组织名录", OrganizationsScreen, PLAN | {PARTY_ORGANIZATION.key}),
    ("人才库", PoolScreen, PLAN | {CADRE.key, APPRAISAL.key}),
    ("用户", UsersScreen, PLAN | {USER.key}),
)


def _build_screen(
    kind: Callable[[Workspace, QWidget], QWidget], workspace: Workspace, host: QWidget
) -> QWidget:
    return kind(workspace, host)


class _ScreenSlot(QWidget):
    """Builds its screen when first shown."""

    def __init__(self, build: Callable[[QWidget], QWidget], parent: QWidget) -> None:
        super().__init__(parent)
        self._build = build
        self.screen_widget: QWidget | None = None
        self.stale = False
        QVBoxLayout(self).setContentsMargins(0, 0, 0, 0)

    def ensure(self) -> QWidget:
        if self.screen_widget is None:
            self.screen_widget = self._build(self)
            layout = self.layout()
            assert layout is not None
            layout.addWidget(self.screen_widget)
        return self.screen_widget

    def showEvent(self, event: QShowEvent) -> None:
        screen = self.ensure()
        screen.load()  # type: ignore[attr-defined]  # every plan screen has load() and refresh()
        if self.stale:
            self.stale = False
            screen.refresh()  # type: ignore[attr-defined]
        super().showEvent(event)


class PlanArea(QTabWidget):
    """巡察计划 (office workspaces only)."""

    def __init__(self, workspace: Workspace, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("planArea")
        self._ws = workspace
        self._slots: list[tuple[_ScreenSlot, frozenset[str]]] = []
        for title, kind, shows in SCREENS:
            slot = _ScreenSlot(partial(_build_screen, kind, workspace), self)
            self.addTab(slot, title)
            self._slots.append((slot, shows))

    def show_screen(self, title: str) -> QWidget:
        """The sub-screen `title` brought forward (built and read now if needed)."""
        for index in range(self.count()):
            if self.tabText(index) == title:
                self.setCurrentIndex(index)
                slot = self.widget(index)
                assert isinstance(slot, _ScreenSlot)
                screen = slot.ensure()
                screen.load()  # type: ignore[attr-defined]
                return screen
        raise KeyError(title)

    def editors(self) -> list[PlanEditor]:
        return [
            e
            for slot, _ in self._slots
            if slot.screen_widget is not None
            for e in slot.screen_widget.findChildren(PlanEditor)
        ]

    def is_dirty(self) -> bool:
        return any(e.is_dirty() for e in self.editors())

    def confirm_leave(self) -> bool:
        return all(e.confirm_leave() for e in self.editors())

    def on_changes(self, changes: Changes) -> None:
        """A committed change: the screen in front re-reads now, the others when next shown."""
        for slot, shows in self._slots:
            if slot.screen_widget is None or not changes.touches(shows):
                continue
            if slot.isVisible():
                slot.screen_widget.refresh()  # type: ignore[attr-defined]
            else:
                slot.stale = True
