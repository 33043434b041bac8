"""Crash recovery of unsaved forms: one JSON snapshot per record type in the encrypted `settings` table."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import delete, insert, select

from xuncha_desktop.domain.codec import from_body, to_body
from xuncha_desktop.domain.record_types import record_type
from xuncha_desktop.services.workspace import Workspace
from xuncha_desktop.storage.database import write_transaction
from xuncha_desktop.storage.tables import settings

KEY_PREFIX = "form_recovery/"


@dataclass(frozen=True)
class RecoveredForm:
    """An unsaved form found after a crash: what was typed, into which record (id "" = a new one)."""

    record_type: str
    record: Any
    saved_at: str
    saved_by: str


class FormRecovery:
    """Keeps the unsaved form of each record type inside the workspace, never in a plaintext file."""

    def __init__(self, workspace: Workspace) -> None:
        self._ws = workspace

    def save(self, type_key: str, record: Any) -> None:
        """Replace the snapshot of `type_key` with `record` (the form as typed, valid or not)."""
        value = json.dumps(
            {
                "id": record.id,
                "body": to_body(record),
                "saved_at": datetime.now().isoformat(timespec="seconds"),
                "saved_by": self._ws.user.login,
            },
            ensure_ascii=False,
        )
        key = KEY_PREFIX + type_key
        with write_transaction(self._ws.engine) as conn:
            conn.execute(delete(settings).where(settings.c.key == key))
            conn.execute(insert(settings).values(key=key, value=value))

    def load(self, type_key: str) -> RecoveredForm | None:
        """The snapshot of `type_key`, or None; an unreadable snapshot is dropped rather than offered."""
        with self._ws.engine.connect() as conn:
            raw = conn.execute(
                select(settings.c.value).where(settings.c.key == KEY_PREFIX + type_key)
            ).scalar_one_or_none()
        if raw is None:
            return None
        try:
            data = json.loads(raw)
            record = from_body(record_type(type_key).cls, data["body"], id=data.get("id", ""))
        except (ValueError, KeyError, TypeError):
            self.clear(type_key)
            return None
        return RecoveredForm(type_key, record, str(data.get("saved_at", "")), str(data.get("saved_by", "")))

    def clear(self, type_key: str) -> None:
        with write_transaction(self._ws.engine) as conn:
            conn.execute(delete(settings).where(settings.c.key == KEY_PREFIX + type_key))

    def pending(self) -> list[str]:
        """Record types that have a snapshot waiting."""
        with self._ws.engine.connect() as conn:
            keys = conn.execute(select(settings.c.key).where(settings.c.key.startswith(KEY_PREFIX))).scalars()
            return sorted(k[len(KEY_PREFIX) :] for k in keys)
