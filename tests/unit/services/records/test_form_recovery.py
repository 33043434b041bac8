"""Unsaved forms survive a crash inside the encrypted workspace, one snapshot per record type."""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import update

from tests.builders import Context, draft
from xuncha_desktop.domain.lead_registrations import LeadRegistration
from xuncha_desktop.services.records.form_recovery import KEY_PREFIX, FormRecovery
from xuncha_desktop.services.workspace import Workspace
from xuncha_desktop.storage.database import write_transaction
from xuncha_desktop.storage.tables import settings


def test_a_snapshot_round_trips_and_is_cleared(workspace: Workspace, ctx: Context) -> None:
    recovery = FormRecovery(workspace)
    typed = draft(
        ctx, id="abc", number="2025-3轮-2组-底稿-001", title="未保存的标题", amount_yuan=Decimal("12.5")
    )
    recovery.save("draft", typed)
    found = recovery.load("draft")
    assert found is not None and found.record == typed
    assert found.saved_by == workspace.user.login and found.saved_at
    assert recovery.pending() == ["draft"]
    recovery.save("draft", draft(ctx, title="第二次"))
    again = recovery.load("draft")
    assert again is not None and again.record.title == "第二次" and again.record.id == ""
    recovery.clear("draft")
    assert recovery.load("draft") is None and recovery.pending() == []


def test_a_damaged_snapshot_is_dropped(workspace: Workspace) -> None:
    recovery = FormRecovery(workspace)
    recovery.save("lead", LeadRegistration())
    with write_transaction(workspace.engine) as conn:
        conn.execute(update(settings).where(settings.c.key == KEY_PREFIX + "lead").values(value="{broken"))
    assert recovery.load("lead") is None
    assert recovery.pending() == []
