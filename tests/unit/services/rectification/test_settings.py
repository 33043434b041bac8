"""The rule days of rectification as settings: defaults, a round trip, refusals at the field, audit."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select

from xuncha_desktop.domain.errors import ValidationError
from xuncha_desktop.services.rectification.settings import (
    AUDIT_ACTION,
    SETTINGS_KEY,
    RectificationSettings,
    load_settings,
    save_settings,
    write_setting,
)
from xuncha_desktop.services.workspace import Workspace
from xuncha_desktop.storage.database import write_transaction
from xuncha_desktop.storage.tables import audit_log


def test_without_saved_settings_the_defaults_of_the_domain_apply(office: Workspace) -> None:
    assert load_settings(office) == RectificationSettings(15, 3, 14)


def test_saved_settings_come_back_and_the_change_is_audited(office: Workspace) -> None:
    save_settings(office, RectificationSettings(plan_due_working_days=20, report_due_months=2))
    assert load_settings(office) == RectificationSettings(20, 2, 14)
    with office.engine.connect() as conn:
        rows = conn.execute(select(audit_log.c.changes).where(audit_log.c.action == AUDIT_ACTION)).all()
    assert [json.loads(r.changes) for r in rows] == [
        {"plan_due_working_days": [15, 20], "report_due_months": [3, 2]}
    ]


@pytest.mark.parametrize(
    ("field", "value"),
    [("plan_due_working_days", 0), ("report_due_months", 25), ("due_soon_days", -1), ("due_soon_days", 91)],
)
def test_a_value_out_of_range_is_refused_at_its_field(office: Workspace, field: str, value: int) -> None:
    bad = RectificationSettings(**{field: value})
    with pytest.raises(ValidationError) as caught:
        save_settings(office, bad)
    assert [e.field for e in caught.value.errors] == [field]
    assert load_settings(office) == RectificationSettings()


def test_unreadable_stored_settings_fall_back_to_the_defaults(office: Workspace) -> None:
    with write_transaction(office.engine) as conn:
        write_setting(conn, SETTINGS_KEY, "{not json")
    assert load_settings(office) == RectificationSettings()
    with write_transaction(office.engine) as conn:
        write_setting(conn, SETTINGS_KEY, json.dumps({"due_soon_days": 500, "unknown": 1}))
    assert load_settings(office) == RectificationSettings()
