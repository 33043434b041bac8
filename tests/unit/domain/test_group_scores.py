"""A published 巡察组质效评估 result: what makes one worth keeping."""

from __future__ import annotations

from datetime import date

from xuncha_desktop.domain.group_scores import GroupScoreResult, validate_group_score

TODAY = date(2026, 12, 7)
ONE_GROUP = [{"group_id": "g", "group_name": "第一巡察组", "rank": 1, "score": "12.50", "lines": []}]


def fields(result: GroupScoreResult) -> dict[str, str]:
    return {e.field: e.message for e in validate_group_score(result, TODAY)}


def test_a_complete_result_is_valid() -> None:
    result = GroupScoreResult(
        round_id="r",
        scheme_version="默认-1",
        published_on=TODAY,
        published_by="巡察办管理员",
        groups=ONE_GROUP,
    )
    assert fields(result) == {}


def test_what_a_published_result_must_say() -> None:
    found = fields(GroupScoreResult())
    assert set(found) == {"round_id", "scheme_version", "published_on", "published_by", "groups"}
    assert found["groups"] == "评估结果为空：本轮没有可评估的巡察组"


def test_it_cannot_be_published_in_the_future() -> None:
    later = GroupScoreResult(
        round_id="r",
        scheme_version="默认-1",
        published_on=date(2026, 12, 8),
        published_by="巡察办管理员",
        groups=ONE_GROUP,
    )
    assert "published_on" in fields(later)
