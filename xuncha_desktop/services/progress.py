"""How long-running service calls report progress and learn that the user pressed Cancel (no Qt here)."""

from __future__ import annotations

from typing import Protocol


class Cancelled(Exception):
    """Raised inside a job when the user asked to cancel it."""


class Progress(Protocol):
    def report(self, done: int, total: int, message: str = "") -> None: ...

    def check_cancelled(self) -> None: ...


class NullProgress:
    def report(self, done: int, total: int, message: str = "") -> None:
        pass

    def check_cancelled(self) -> None:
        pass
