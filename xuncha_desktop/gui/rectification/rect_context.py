"""What every screen of the 整改监督 area shares: the workspace, today (a function, so tests and a long-open
window agree on the date) and the rule days, re-read after the 设置 dialog stores new ones."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from xuncha_desktop.domain.rectification import RectificationTask, is_due_soon, is_overdue
from xuncha_desktop.services.rectification.settings import RectificationSettings, load_settings
from xuncha_desktop.services.workspace import Workspace


@dataclass
class RectContext:
    ws: Workspace
    today: Callable[[], date] = date.today
    settings: RectificationSettings = field(default_factory=RectificationSettings)

    @classmethod
    def load(cls, ws: Workspace, today: Callable[[], date] = date.today) -> RectContext:
        return cls(ws, today, load_settings(ws))

    def reload_settings(self) -> None:
        self.settings = load_settings(self.ws)

    @property
    def user_name(self) -> str:
        return self.ws.user.display_name

    def due_mark(self, task: RectificationTask) -> str:
        """How a task stands against its 时限, in words: the text mark that goes with the row colour."""
        today = self.today()
        if task.closed_on is not None:
            return "已销号"
        if is_overdue(task, today) and task.due_on is not None:
            return f"逾期 {(today - task.due_on).days} 天"
        if is_due_soon(task, today, self.settings.due_soon_days) and task.due_on is not None:
            left = (task.due_on - today).days
            return "今天到期" if left == 0 else f"{left} 天后到期"
        return ""

    def due_reason(self, task: RectificationTask) -> str:
        """Why a task's row stands out ("" when it does not): overdue, or due within the reminder days."""
        mark = self.due_mark(task)
        if mark.startswith("逾期"):
            return f"已逾期：整改时限 {task.due_on} 已过，{mark}"
        if mark.endswith("到期"):
            return f"即将到期（{self.settings.due_soon_days} 天内）：{mark}"
        return ""
