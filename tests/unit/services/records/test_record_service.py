"""The generic record service: validation, numbering, listing, search, recycle bin, duplicate, history."""

from __future__ import annotations

import dataclasses
from datetime import date, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import func

from tests.builders import Context, appraisal, draft, evaluation, interview, lead, make_context
from xuncha_desktop.domain.errors import RecordNotFound, ValidationError
from xuncha_desktop.domain.record_types import APPRAISAL, DRAFT, EVALUATION, INTERVIEW, LEAD
from xuncha_desktop.services.records.record_service import ListQuery, RecordService
from xuncha_desktop.services.workspace import Workspace
from xuncha_desktop.storage import search_index


def test_save_gives_id_and_number(workspace: Workspace, ctx: Context) -> None:
    saved = RecordService(workspace, DRAFT).save(draft(ctx))
    assert len(saved.id) == 36
    assert saved.number == "2025-3轮-2组-底稿-001"
    assert saved.meta is not None and saved.meta.created_by == workspace.user.login


def test_numbers_increase_per_type_round_and_group(workspace: Workspace, ctx: Context) -> None:
    drafts = RecordService(workspace, DRAFT)
    assert [drafts.save(draft(ctx)).number[-3:] for _ in range(3)] == ["001", "002", "003"]
    assert RecordService(workspace, LEAD).save(lead(ctx)).number == "2025-3轮-2组-线索-001"
    other = make_context(workspace, year=2026, ordinal=1, group=5)
    assert drafts.save(draft(other)).number == "2026-1轮-5组-底稿-001"


def test_number_kept_on_edit(workspace: Workspace, ctx: Context) -> None:
    drafts = RecordService(workspace, DRAFT)
    saved = drafts.save(draft(ctx))
    edited = drafts.save(dataclasses.replace(saved, title="违规发放津补贴13万元"))
    assert edited.number == saved.number
    assert edited.title == "违规发放津补贴13万元"


@pytest.mark.parametrize(
    ("rt", "builder", "field", "bad"),
    [
        (INTERVIEW, interview, "held_on", date.today() + timedelta(days=1)),
        (INTERVIEW, interview, "recorder", "张建国"),
        (DRAFT, draft, "title", ""),
        (DRAFT, draft, "amount_yuan", Decimal("-1")),
        (LEAD, lead, "subject_name", ""),
        (EVALUATION, evaluation, "poll_tallies", {"优秀": -3}),
        (APPRAISAL, appraisal, "conduct_score", Decimal("120")),
    ],
)
def test_invalid_field_is_named_and_nothing_is_written(workspace, ctx, rt, builder, field, bad) -> None:
    service = RecordService(workspace, rt)
    with pytest.raises(ValidationError) as raised:
        service.save(builder(ctx, **{field: bad}))
    assert field in {e.field for e in raised.value.errors}
    assert all(e.message for e in raised.value.errors)
    assert service.count() == 0


def test_validation_message_is_chinese(workspace: Workspace, ctx: Context) -> None:
    with pytest.raises(ValidationError, match="请填写问题标题"):
        RecordService(workspace, DRAFT).save(draft(ctx, title=""))


def test_list_filters_by_status_and_date(workspace: Workspace, ctx: Context) -> None:
    leads = RecordService(workspace, LEAD)
    leads.save(lead(ctx, registered_on=date(2025, 3, 1)))
    leads.save(
        lead(ctx, registered_on=date(2025, 3, 20), status="已研判", group_opinion="线索具体，建议移交")
    )
    assert leads.count(ListQuery(filters={"status": "已研判"})) == 1
    assert leads.count(ListQuery(date_from=date(2025, 3, 10))) == 1
    assert leads.count(ListQuery(date_to=date(2025, 3, 10))) == 1
    assert leads.count(ListQuery(filters={"target_id": ctx.target.id})) == 2


def test_list_pages_and_orders(workspace: Workspace, ctx: Context) -> None:
    drafts = RecordService(workspace, DRAFT)
    for i in range(5):
        drafts.save(draft(ctx, title=f"问题{i}"))
    first = drafts.list(ListQuery(limit=2))
    second = drafts.list(ListQuery(offset=2, limit=2))
    assert [d.number[-3:] for d in first + second] == ["001", "002", "003", "004"]
    newest = drafts.list(ListQuery(descending=True, limit=1))
    assert newest[0].number.endswith("005")


def test_values_reads_only_the_named_fields_in_the_query_order(workspace: Workspace, ctx: Context) -> None:
    drafts = RecordService(workspace, DRAFT)
    saved = [drafts.save(draft(ctx, title=f"问题{i}")) for i in range(3)]
    drafts.delete(saved[1].id)
    found = drafts.values(ListQuery(descending=True), ("id", "title"))
    assert found == [(saved[2].id, "问题2"), (saved[0].id, "问题0")]  # the deleted one is not among them
    assert drafts.values(ListQuery(search="问题2"), ("title",)) == [("问题2",)]


def test_values_never_reads_a_reporter_past_the_mask(workspace: Workspace, ctx: Context) -> None:
    with pytest.raises(ValueError):
        RecordService(workspace, LEAD).values(ListQuery(), ("id", "reporter_name"))


def test_search_long_and_short_terms(workspace: Workspace, ctx: Context) -> None:
    interviews = RecordService(workspace, INTERVIEW)
    hit = interviews.save(interview(ctx, content="他说问题线索移交纪委的程序不规范"))
    interviews.save(interview(ctx, content="谈话对象反映食堂管理混乱"))
    for query in ("线索移交纪委", "纪委", "委", "线索 程序", "王晓东"):
        found = interviews.list(ListQuery(search=query))
        assert hit.id in {r.id for r in found}, query
    assert [r.id for r in interviews.list(ListQuery(search="纪委"))] == [hit.id]
    assert interviews.list(ListQuery(search="不存在的词语")) == []
    assert interviews.list(ListQuery(search="鑫")) == []


def test_short_terms_at_the_end_of_a_document_and_in_any_case(workspace: Workspace, ctx: Context) -> None:
    interviews = RecordService(workspace, INTERVIEW)
    last = interviews.save(interview(ctx, team_evaluation="建议移交纪委"))
    latin = interviews.save(interview(ctx, content="涉及OA系统采购"))
    assert {r.id for r in interviews.list(ListQuery(search="纪委"))} == {last.id}
    assert {r.id for r in interviews.list(ListQuery(search="委"))} == {last.id}
    assert {r.id for r in interviews.list(ListQuery(search="oa"))} == {latin.id}
    assert interviews.count(ListQuery(search="Oa 采购")) == 1


def test_a_very_common_single_character_still_finds_every_document(
    workspace: Workspace, ctx: Context, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Past MAX_PREFIX_TRIGRAMS the term is matched by scanning: the same answer, found another way.
    interviews = RecordService(workspace, INTERVIEW)
    saved = [interviews.save(interview(ctx, content=f"第{n}次谈话，谈到公车使用")) for n in range(3)]
    monkeypatch.setattr(search_index, "MAX_PREFIX_TRIGRAMS", 1)
    assert {r.id for r in interviews.list(ListQuery(search="谈"))} == {r.id for r in saved}


def test_search_follows_edits_and_ignores_quotes(workspace: Workspace, ctx: Context) -> None:
    interviews = RecordService(workspace, INTERVIEW)
    saved = interviews.save(interview(ctx, content="原来的内容"))
    interviews.save(dataclasses.replace(saved, content="修改后的内容提到小金库"))
    assert interviews.count(ListQuery(search="小金库")) == 1
    assert interviews.count(ListQuery(search="原来的")) == 0
    assert interviews.count(ListQuery(search='"小金库')) == 0


def test_delete_moves_to_recycle_bin_and_restore_brings_back(workspace: Workspace, ctx: Context) -> None:
    drafts = RecordService(workspace, DRAFT)
    saved = drafts.save(draft(ctx))
    drafts.delete(saved.id)
    assert drafts.count() == 0
    assert [d.id for d in drafts.list(ListQuery(deleted=True))] == [saved.id]
    assert drafts.get(saved.id).meta.deleted
    drafts.restore(saved.id)
    assert drafts.count() == 1 and drafts.count(ListQuery(deleted=True)) == 0


def test_deleted_record_is_not_found_by_search(workspace: Workspace, ctx: Context) -> None:
    interviews = RecordService(workspace, INTERVIEW)
    saved = interviews.save(interview(ctx, content="小金库问题"))
    interviews.delete(saved.id)
    assert interviews.count(ListQuery(search="小金库")) == 0
    assert interviews.count(ListQuery(search="小金库", deleted=True)) == 1


def test_duplicate_has_new_identity(workspace: Workspace, ctx: Context) -> None:
    drafts = RecordService(workspace, DRAFT)
    original = drafts.save(draft(ctx))
    copy = drafts.duplicate(original.id)
    assert copy.id == "" and copy.number == "" and copy.meta is None
    saved = drafts.save(copy)
    assert saved.id != original.id and saved.number.endswith("002")
    assert saved.title == original.title


def test_history_keeps_every_revision(workspace: Workspace, ctx: Context) -> None:
    drafts = RecordService(workspace, DRAFT)
    saved = drafts.save(draft(ctx))
    drafts.save(dataclasses.replace(saved, title="第二版"))
    drafts.delete(saved.id)
    history = drafts.history(saved.id)
    assert [h.body["title"] for h in history] == ["违规发放津补贴12.6万元", "第二版", "第二版"]
    assert [h.deleted for h in history] == [False, False, True]


def test_unchanged_save_writes_no_revision(workspace: Workspace, ctx: Context) -> None:
    drafts = RecordService(workspace, DRAFT)
    saved = drafts.save(draft(ctx))
    drafts.save(saved)
    assert len(drafts.history(saved.id)) == 1


def test_get_unknown_id(workspace: Workspace) -> None:
    with pytest.raises(RecordNotFound, match="找不到"):
        RecordService(workspace, DRAFT).get("no-such-id")


def test_save_many_is_all_or_nothing(workspace: Workspace, ctx: Context) -> None:
    drafts = RecordService(workspace, DRAFT)
    with pytest.raises(ValidationError):
        drafts.save_many([draft(ctx), draft(ctx, title="")])
    assert drafts.count() == 0
    assert len(drafts.save_many([draft(ctx), draft(ctx)])) == 2


def test_values_round_trip_exactly(workspace: Workspace, ctx: Context) -> None:
    drafts = RecordService(workspace, DRAFT)
    original = draft(
        ctx,
        disciplines=["廉洁纪律", "工作纪律"],
        amount_yuan=Decimal("1234567.89"),
        evidence=[{"name": "2023年会计凭证", "source": "县财政局", "pages": 12}],
    )
    saved = drafts.save(original)
    assert dataclasses.replace(saved, meta=None) == dataclasses.replace(
        original, id=saved.id, number=saved.number
    )


def test_a_filtered_page_sorts_index_entries_and_reads_only_its_own_rows(
    workspace: Workspace, ctx: Context
) -> None:
    """With 16 KB pages a row read from anywhere in the file costs four times as much: a page filtered by
    status and date takes its keys, in number order, from an index alone, then reads just those rows."""
    from sqlalchemy import event

    leads = RecordService(workspace, LEAD)
    for day in range(1, 7):
        status = "已研判" if day % 2 else "已登记"
        opinion = "线索具体，建议移交" if day % 2 else ""
        leads.save(lead(ctx, registered_on=date(2025, 3, day), status=status, group_opinion=opinion))
    query = ListQuery(filters={"status": "已研判"}, date_from=date(2025, 3, 2), limit=1, offset=1)
    statements: list[tuple[str, object]] = []

    def seen(conn, cursor, statement, parameters, context, executemany) -> None:  # type: ignore[no-untyped-def]
        statements.append((statement, parameters))

    event.listen(workspace.engine, "before_cursor_execute", seen)
    try:
        page = leads.list(query)
    finally:
        event.remove(workspace.engine, "before_cursor_execute", seen)
    assert [r.registered_on for r in page] == [date(2025, 3, 5)]  # 3 and 5 match; the second of them
    [(sql, params)] = [s for s in statements if "lead_registrations" in s[0]]
    with workspace.engine.connect() as conn:
        plan = [str(step[3]) for step in conn.exec_driver_sql(f"EXPLAIN QUERY PLAN {sql}", params)]
    assert any("COVERING INDEX ix_lead_registrations_live_status_date" in step for step in plan), plan
    assert not any(step.startswith("SCAN lead_registrations") for step in plan), plan


def test_a_context_count_reads_its_rows_in_number_order(workspace: Workspace, ctx: Context) -> None:
    """A list in the working context narrowed by a column reads that context's rows: through live_context
    they come in number order, the order they lie in the file, a 16 KB page holding several; through an index
    in date order they would be read one page each, all over the file."""
    leads = RecordService(workspace, LEAD)
    query = ListQuery(filters={"round_id": ctx.round.id, "group_id": ctx.group.id, "status": "已研判"})
    with workspace.engine.connect() as conn:
        stmt = leads._select(query, conn).with_only_columns(func.count())
        compiled = stmt.compile(conn, compile_kwargs={"literal_binds": True})
        plan = [str(step[3]) for step in conn.exec_driver_sql(f"EXPLAIN QUERY PLAN {compiled}")]
    assert plan == [
        "SEARCH lead_registrations USING INDEX ix_lead_registrations_live_context (deleted=? AND round_id=? "
        "AND group_id=?)"
    ], plan
