"""One search over every record type: grouped, capped, counted, never revealing what a user may not see."""

from __future__ import annotations

import dataclasses
from typing import Any

import pytest

from tests.builders import appraisal, draft, evaluation, interview, lead
from tests.recipe.visits import VISIT
from xuncha_desktop.domain import record_types
from xuncha_desktop.domain.record_types import APPRAISAL, DRAFT, EVALUATION, INTERVIEW, LEAD
from xuncha_desktop.services.records import global_search, visibility
from xuncha_desktop.services.records.global_search import search_all, searchable_types
from xuncha_desktop.services.records.record_service import RecordService


def _save(ws: Any, rt: Any, record: Any) -> Any:
    return RecordService[Any](ws, rt).save(record)


def test_one_query_finds_a_record_of_every_type_grouped_by_type(workspace, ctx) -> None:  # type: ignore[no-untyped-def]
    saved = {
        INTERVIEW.key: _save(workspace, INTERVIEW, interview(ctx, content="谈到青松湖项目的招标。")),
        DRAFT.key: _save(workspace, DRAFT, draft(ctx, description="青松湖项目未经招标直接发包。")),
        LEAD.key: _save(workspace, LEAD, lead(ctx, summary="反映青松湖项目负责人收受好处。")),
        EVALUATION.key: _save(workspace, EVALUATION, evaluation(ctx, overall="分管青松湖项目，作风扎实。")),
        APPRAISAL.key: _save(workspace, APPRAISAL, appraisal(ctx, self_summary="参与青松湖项目核查。")),
    }
    _save(workspace, INTERVIEW, interview(ctx, content="与本案无关的谈话。"))

    results = search_all(workspace, "青松湖")

    assert [g.type_key for g in results.groups] == ["interview", "draft", "lead", "evaluation", "appraisal"]
    assert [g.label for g in results.groups] == [
        "个别谈话记录",
        "问题底稿",
        "问题线索",
        "干部画像",
        "巡察干部鉴定",
    ]
    for group in results.groups:
        [hit] = group.hits
        assert group.total == 1
        assert hit.record_id == saved[group.type_key].id
        assert hit.number == saved[group.type_key].number and hit.number
        assert hit.type_label == group.label
        assert "青松湖" in hit.snippet
    assert results.total == 5
    draft_hit = results.groups[1].hits[0]
    assert draft_hit.title == "违规发放津补贴12.6万元"
    assert draft_hit.snippet == "问题描述（事实）：青松湖项目未经招标直接发包。"


def test_every_term_must_match_and_case_does_not_matter(workspace, ctx) -> None:  # type: ignore[no-untyped-def]
    _save(workspace, DRAFT, draft(ctx, description="KTV 消费 3 次，共计 1.2 万元。"))
    _save(workspace, DRAFT, draft(ctx, description="KTV 消费未入账。", title="另一问题"))
    assert search_all(workspace, "ktv 1.2").groups[0].total == 1
    assert search_all(workspace, "KTV").groups[0].total == 2
    assert search_all(workspace, "ktv 不存在的词").groups == ()
    assert search_all(workspace, "   ").groups == ()


def test_results_are_capped_per_type_with_the_full_count(workspace, ctx) -> None:  # type: ignore[no-untyped-def]
    RecordService[Any](workspace, LEAD).save_many(
        [lead(ctx, summary=f"反映白石桥工程第{i}标段问题。") for i in range(8)]
    )
    [group] = search_all(workspace, "白石桥", per_type=3).groups
    assert len(group.hits) == 3 and group.total == 8 and not group.more
    numbers = [h.number for h in group.hits]
    assert numbers == sorted(numbers, reverse=True)  # newest first


def test_a_long_result_says_there_may_be_more(workspace, ctx, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    RecordService[Any](workspace, LEAD).save_many(
        [lead(ctx, summary="反映白石桥工程问题。") for _ in range(6)]
    )
    monkeypatch.setattr(global_search, "SCAN_LIMIT", 4)
    [group] = search_all(workspace, "白石桥", per_type=2).groups
    assert group.more and group.total == 4 and len(group.hits) == 2


def test_records_in_the_recycle_bin_are_not_found(workspace, ctx) -> None:  # type: ignore[no-untyped-def]
    leads = RecordService[Any](workspace, LEAD)
    gone = leads.save(lead(ctx, summary="反映红旗渠改造问题。"))
    leads.delete(gone.id)
    assert search_all(workspace, "红旗渠").groups == ()


def _as_member(ws: Any, name: str = "王芳") -> None:
    ws.user = dataclasses.replace(ws.user, role="组员", display_name=name, login=name)


def test_the_reporter_is_never_shown_or_searchable_for_a_member(workspace, ctx) -> None:  # type: ignore[no-untyped-def]
    _save(
        workspace,
        LEAD,
        lead(ctx, registered_by="李明", reporter_name="周某某", reporter_contact="13812345678"),
    )
    _as_member(workspace)
    assert search_all(workspace, "周某某").groups == ()
    assert search_all(workspace, "13812345678").groups == ()
    [group] = search_all(workspace, "赵有才").groups
    shown = " ".join(f"{h.title} {h.snippet}" for h in group.hits)
    assert "赵有才" in shown and "周某某" not in shown and "138" not in shown


def test_text_masked_for_this_user_is_neither_found_nor_counted(
    workspace, ctx, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    """A masked field that is also full-text indexed (as a later type may have): the index knows the text,
    but a user who sees it masked finds nothing by it, and the count does not betray it either."""
    _save(workspace, LEAD, lead(ctx, registered_by="李明", summary="举报人称其收受购物卡。"))
    masked = visibility.mask_lead

    def mask_summary_too(lead_: Any, user: Any, *, office: bool = False) -> Any:
        shown = masked(lead_, user, office=office)
        hidden = not visibility.can_see_reporter(user, lead_, office=office)
        return dataclasses.replace(shown, summary=visibility.HIDDEN) if hidden else shown

    monkeypatch.setattr(visibility, "mask_lead", mask_summary_too)
    assert search_all(workspace, "购物卡").groups[0].total == 1  # the 组长 sees it
    _as_member(workspace)
    assert search_all(workspace, "购物卡").groups == ()
    [group] = search_all(workspace, "赵有才").groups  # found by what the member may see
    assert "购物卡" not in group.hits[0].snippet + group.hits[0].title


def test_titles_come_from_the_callers_headings(workspace, ctx) -> None:  # type: ignore[no-untyped-def]
    _save(workspace, INTERVIEW, interview(ctx, interviewee_name="钱多多", content="谈到紫金山水库。"))
    [group] = search_all(
        workspace, "紫金山", titles={"interview": lambda r: f"{r.interviewee_name} 谈话记录"}
    ).groups
    assert group.hits[0].title == "钱多多 谈话记录"
    [group] = search_all(workspace, "紫金山").groups
    assert group.hits[0].title == "县财政局三楼会议室"  # the first full-text field with a value


def test_the_searched_types_are_read_from_the_registry(monkeypatch: pytest.MonkeyPatch) -> None:
    keys = [rt.key for rt in searchable_types()]
    assert {"interview", "draft", "lead", "evaluation", "appraisal", "task", "feedback"} <= set(keys)
    assert "link" not in keys and "attachment" not in keys  # nothing to search in them
    monkeypatch.setattr(record_types, "ALL_RECORD_TYPES", (*record_types.ALL_RECORD_TYPES, VISIT))
    assert searchable_types()[-1] is VISIT  # a type registered later is searched with no change here


def test_the_snippet_prefers_text_the_title_does_not_show(workspace, ctx) -> None:  # type: ignore[no-untyped-def]
    _save(
        workspace, DRAFT, draft(ctx, title="违规使用公务车辆", description="多次违规使用公务车辆接送家属。")
    )
    [group] = search_all(workspace, "公务车辆").groups
    assert group.hits[0].title == "违规使用公务车辆"
    assert group.hits[0].snippet == "问题描述（事实）：多次违规使用公务车辆接送家属。"
    [group] = search_all(workspace, "违规使用公务车辆 家属").groups
    assert group.hits[0].snippet.startswith("问题描述")
