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


def test_a_long_term_needs_its_trigrams_in_a_row(workspace: Workspace, ctx: Context) -> None:
    # The index (detail=none) knows which documents hold 公务接 and 务接待, not where: a document holding
    # both apart is no match for 公务接待.
    together = RecordService(workspace, DRAFT).save(draft(ctx, title="超标准公务接待"))
    RecordService(workspace, DRAFT).save(draft(ctx, title="公务接站，务接待处"))
    mixed = RecordService(workspace, DRAFT).save(draft(ctx, title="超标 Wine 采购"))
    with workspace.engine.connect() as conn:
        assert set(conn.execute(matching_ids(conn, DRAFT.key, "公务接待")).scalars()) == {together.id}
        assert len(set(conn.execute(matching_ids(conn, DRAFT.key, "务接待")).scalars())) == 2
        assert set(conn.execute(matching_ids(conn, DRAFT.key, "标 wINE")).scalars()) == {mixed.id}
        assert set(conn.execute(matching_ids(conn, DRAFT.key, "WINE采购")).scalars()) == set()
        assert set(conn.execute(matching_ids(conn, DRAFT.key, "Wine 采购")).scalars()) == {mixed.id}
