"""Every change lands in the audit log with who, when, what changed, chained by hashes."""

from __future__ import annotations

import dataclasses
import itertools
import json

import pytest
from sqlalchemy import select

from tests.builders import Context, draft
from xuncha_desktop.domain.errors import ValidationError
from xuncha_desktop.domain.record_types import DRAFT
from xuncha_desktop.services.records.record_service import RecordService
from xuncha_desktop.services.workspace import Workspace
from xuncha_desktop.storage.revisions import GENESIS_HASH, entry_hash
from xuncha_desktop.storage.tables import audit_log


def _entries(ws: Workspace, record_id: str) -> list:
    with ws.engine.connect() as conn:
        return list(
            conn.execute(
                select(audit_log).where(audit_log.c.record_id == record_id).order_by(audit_log.c.seq)
            )
        )


def test_create_update_delete_restore_are_logged(workspace: Workspace, ctx: Context) -> None:
    drafts = RecordService(workspace, DRAFT)
    saved = drafts.save(draft(ctx))
    drafts.save(dataclasses.replace(saved, title="新标题"))
    drafts.delete(saved.id)
    drafts.restore(saved.id)
    entries = _entries(workspace, saved.id)
    assert [e.action for e in entries] == ["create", "update", "delete", "restore"]
    assert {e.user_login for e in entries} == {workspace.user.login}
    assert json.loads(entries[1].changes) == {"title": ["违规发放津补贴12.6万元", "新标题"]}
    assert all(e.rev_id for e in entries)


def test_chain_links_every_entry(workspace: Workspace, ctx: Context) -> None:
    RecordService(workspace, DRAFT).save(draft(ctx))
    with workspace.engine.connect() as conn:
        rows = [r._asdict() for r in conn.execute(select(audit_log).order_by(audit_log.c.seq))]
    assert rows[0]["prev_hash"] == GENESIS_HASH
    for before, after in itertools.pairwise(rows):
        assert after["prev_hash"] == before["entry_hash"]
    assert all(entry_hash(r) == r["entry_hash"] for r in rows)


def test_failed_save_leaves_no_audit_entry(workspace: Workspace, ctx: Context) -> None:
    with workspace.engine.connect() as conn:
        before = len(conn.execute(select(audit_log)).all())
    with pytest.raises(ValidationError):
        RecordService(workspace, DRAFT).save(draft(ctx, title=""))
    with workspace.engine.connect() as conn:
        assert len(conn.execute(select(audit_log)).all()) == before
