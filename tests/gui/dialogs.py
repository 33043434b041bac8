"""Stand-ins for modal dialogs in GUI tests."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any


class DialogScript:
    """Stands in for exec(): records each real dialog and answers with the next function (an unexpected
    dialog, with no answer left, fails the test)."""

    def __init__(self, *answers: Callable[[Any], bool]) -> None:
        self.dialogs: list[Any] = []
        self._answers = list(answers)

    def __call__(self, dialog: Any) -> bool:
        self.dialogs.append(dialog)
        return self._answers.pop(0)(dialog)
