"""What runs in the background after a workspace opens: SQLite's quick_check (which Workspace.open skips:
half a minute on a large office workspace), then the daily backup when the file is sound."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import sqlcipher3.dbapi2 as sqlcipher
from sqlalchemy.exc import DBAPIError

from xuncha_desktop.domain.errors import XunchaError
from xuncha_desktop.services.failures import user_message
from xuncha_desktop.services.security import backups
from xuncha_desktop.services.workspace import Workspace
from xuncha_desktop.storage.database import QuickCheck


@dataclass(frozen=True)
class StartupReport:
    problems: list[str] = field(default_factory=list)  # quick_check's findings; empty when sound
    backup: Path | None = None  # the daily backup taken now (None: one from today exists, or none taken)
    backup_error: str = ""
    interrupted: bool = False  # stopped before it finished (the program was closing)

    @property
    def damaged(self) -> bool:
        return bool(self.problems)

    def damage_text(self, name: str) -> str:
        shown = "；".join(self.problems[:5])
        more = f"等 {len(self.problems)} 处" if len(self.problems) > 5 else ""
        return f"工作库“{name}”的数据库文件检查未通过（{shown}{more}），文件可能已损坏。"


class StartupCheck:
    """One run for one open workspace, on a worker thread; stop() (from any thread) interrupts the
    quick_check so that closing the program does not wait for it."""

    def __init__(self, workspace: Workspace) -> None:
        self._ws = workspace
        self._check = QuickCheck()

    def stop(self) -> None:
        self._check.stop()

    def quick_check(self) -> list[str] | None:
        """SQLite's quick_check ([] when sound); None when stopped."""
        return self._check.run(self._ws.engine)  # the engine of now: a locked workspace has none

    def run(self) -> StartupReport:
        problems = self.quick_check()
        if problems is None:
            return StartupReport(interrupted=True)
        if problems or self._check.stopped:
            return StartupReport(problems, interrupted=self._check.stopped)
        try:
            taken = backups.daily_backup(self._ws)
        except (XunchaError, OSError, DBAPIError, sqlcipher.DatabaseError) as exc:
            reason = user_message(exc, self._ws.path)  # never a driver's text (it may hold record text)
            return StartupReport(backup_error=f"今天的自动备份未能完成：{reason}")
        return StartupReport(backup=taken)
