"""storage.materialize: a record's business row is rewritten from its revisions, whatever the row said."""

from __future__ import annotations

from sqlalchemy import select, update

from tests.builders import Context, draft
from xuncha_desktop.domain.record_types import DRAFT
from xuncha_desktop.services.records.record_service import RecordService
from xuncha_desktop.services.workspace import Workspace
from xuncha_desktop.storage import revision_body
from xuncha_desktop.storage.database import write_transaction
from xuncha_desktop.storage.materialize import rematerialize, rematerialize_many
from xuncha_desktop.storage.tables import BUSINESS_TABLES

AT = "2025-03-01T10:00:00+08:00"


def test_a_row_changed_behind_the_revisions_is_rewritten(workspace: Workspace, ctx: Context) -> None:
    saved = RecordService(workspace, DRAFT).save(draft(ctx, title="原标题"))
    table = BUSINESS_TABLES[DRAFT.key]
    with write_transaction(workspace.engine) as conn:
        revision_body.spill(conn, DRAFT.key, [saved.id])  # else the guard refuses (test_revision_body)
        conn.execute(update(table).where(table.c.id == saved.id).values(title="被改动"))
        # the outcome compares heads (the same revision): the content is rewritten all the same
        assert rematerialize(conn, DRAFT.key, saved.id, at=AT, package_id=None) == "unchanged"
        assert conn.execute(select(table.c.title).where(table.c.id == saved.id)).scalar() == "原标题"


def test_a_record_without_a_row_is_new(workspace: Workspace, ctx: Context) -> None:
    saved = RecordService(workspace, DRAFT).save(draft(ctx, title="标题"))
    table = BUSINESS_TABLES[DRAFT.key]
    with write_transaction(workspace.engine) as conn:
        revision_body.spill(conn, DRAFT.key, [saved.id])
        conn.execute(table.delete().where(table.c.id == saved.id))
        assert rematerialize_many(conn, DRAFT.key, [saved.id, saved.id], at=AT, package_id=None) == {
            saved.id: "new"
        }
    assert RecordService(workspace, DRAFT).get(saved.id).title == "标题"
