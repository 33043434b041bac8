"""The office's rule days for rectification: when the 整改方案 and 整改报告 fall due after a feedback, and
how many days before its 时限 a task counts as due soon. Kept in the workspace's settings table (not
synced: each office decides its own), changed in one audited transaction."""

from __future__ import annotations

import dataclasses
import json
from dataclasses import dataclass

from sqlalchemy import Connection, delete, insert, select

from xuncha_desktop.domain import rectification as rect
from xuncha_desktop.domain.errors import FieldError, ValidationError
from xuncha_desktop.services.workspace import Workspace
from xuncha_desktop.storage.tables import settings

SETTINGS_KEY = "rectification.settings"
AUDIT_ACTION = "rect_settings"  # the audit entry of a change of these settings

LABELS = {
    "plan_due_working_days": "整改方案报送时限（工作日）",
    "report_due_months": "整改报告报送时限（月）",
    "due_soon_days": "临期提醒天数",
}
LIMITS = {"plan_due_working_days": (1, 120), "report_due_months": (1, 24), "due_soon_days": (0, 90)}


@dataclass(frozen=True)
class RectificationSettings:
    plan_due_working_days: int = rect.PLAN_DUE_WORKING_DAYS
    report_due_months: int = rect.REPORT_DUE_MONTHS
    due_soon_days: int = rect.DUE_SOON_DAYS


def validate_settings(s: RectificationSettings) -> list[FieldError]:
    errors = []
    for name, (low, high) in LIMITS.items():
        value = getattr(s, name)
        if not isinstance(value, int) or isinstance(value, bool) or not low <= value <= high:
            errors.append(FieldError(name, f"{LABELS[name]}应为 {low} 至 {high} 之间的整数"))
    return errors


def read_setting(conn: Connection, key: str) -> str | None:
    """The raw text stored under `key` in the settings table, or None."""
    value = conn.execute(select(settings.c.value).where(settings.c.key == key)).scalar_one_or_none()
    return None if value is None else str(value)


def write_setting(conn: Connection, key: str, value: str) -> None:
    conn.execute(delete(settings).where(settings.c.key == key))
    conn.execute(insert(settings).values(key=key, value=value))


def _from_text(text: str | None) -> RectificationSettings:
    if not text:
        return RectificationSettings()
    try:
        stored = json.loads(text)
    except ValueError:
        return RectificationSettings()
    known = {f.name for f in dataclasses.fields(RectificationSettings)}
    values = {k: v for k, v in stored.items() if k in known} if isinstance(stored, dict) else {}
    loaded = RectificationSettings(**values)
    return loaded if not validate_settings(loaded) else RectificationSettings()


def load_settings(ws: Workspace) -> RectificationSettings:
    """The office's settings, or the defaults where none were saved (or what is stored is unreadable)."""
    with ws.engine.connect() as conn:
        return _from_text(read_setting(conn, SETTINGS_KEY))


def save_settings(ws: Workspace, s: RectificationSettings) -> None:
    """Store `s` (ValidationError naming the field when a value is out of range); the audit entry lists
    each value changed as before → after."""
    errors = validate_settings(s)
    if errors:
        raise ValidationError(errors, "整改设置")
    with ws.writing() as writer:
        before = _from_text(read_setting(writer.conn, SETTINGS_KEY))
        changed = {
            name: [getattr(before, name), getattr(s, name)]
            for name in LIMITS
            if getattr(before, name) != getattr(s, name)
        }
        write_setting(writer.conn, SETTINGS_KEY, json.dumps(dataclasses.asdict(s), sort_keys=True))
        writer.log(AUDIT_ACTION, **changed)
