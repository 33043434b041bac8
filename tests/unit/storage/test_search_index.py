"""storage.search_index: the text a record is found by, and search by all terms, short ones included."""

from __future__ import annotations

from dataclasses import dataclass

from tests.builders import Context, draft
from xuncha_desktop.domain.record_types import DRAFT
from xuncha_desktop.services.records.record_service import RecordService
from xuncha_desktop.services.workspace import Workspace
from xuncha_desktop.storage.search_index import DOC_END, document_text, flatten_text, matching_ids


def test_flatten_takes_the_string_leaves() -> None:
    assert flatten_text(None) == flatten_text(True) == ""
    assert flatten_text(["甲", {"k": "乙", "n": 3}, ("丙",)]) == "甲 乙 3 丙"


def test_document_text_joins_non_empty_fields() -> None:
    @dataclass
    class Rec:
        a: str
        b: str
        c: list[str]

    assert document_text(Rec("标题", "", ["一", "二"]), ("a", "b", "c")) == "标题\n一 二" + DOC_END


def test_every_term_must_match_and_two_character_terms_work(workspace: Workspace, ctx: Context) -> None:
    saved = RecordService(workspace, DRAFT).save(draft(ctx, title="违规发放津贴补贴"))
    RecordService(workspace, DRAFT).save(draft(ctx, title="公车私用"))
    with workspace.engine.connect() as conn:
        assert set(conn.execute(matching_ids(conn, DRAFT.key, "津贴")).scalars()) == {saved.id}
        assert set(conn.execute(matching_ids(conn, DRAFT.key, "违规发放 补贴")).scalars()) == {saved.id}
        assert set(conn.execute(matching_ids(conn, DRAFT.key, "津贴 公车")).scalars()) == set()
