"""Crash recovery for one page: its edited form kept in the workspace, dropped once saved or discarded."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QWidget

from xuncha_desktop.domain.errors import XunchaError
from xuncha_desktop.gui import messages
from xuncha_desktop.services.records.form_recovery import FormRecovery
from xuncha_desktop.services.workspace import Workspace


class FormKeeper:
    def __init__(self, workspace: Workspace, type_key: str) -> None:
        self._recovery = FormRecovery(workspace)
        self._type_key = type_key
        self._kept = False

    def keep(self, record: Any) -> None:
        """Keep the edited form (best effort: a failure leaves the user with the form itself)."""
        try:
            self._recovery.save(self._type_key, record)
        except XunchaError:
            return
        self._kept = True

    def drop(self) -> None:
        if self._kept:
            self._recovery.clear(self._type_key)
            self._kept = False

    def offer(self, parent: QWidget, what: str) -> Any:
        """The form kept before a crash, if the user wants it back; None otherwise (it is then dropped)."""
        found = self._recovery.load(self._type_key)
        if found is None:
            return None
        if not messages.ask_recover_form(parent, what, found.saved_at.replace("T", " ")):
            self._recovery.clear(self._type_key)
            return None
        self._kept = True
        return found.record
