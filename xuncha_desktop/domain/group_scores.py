"""巡察组质效评估 as published: the ranking of a round's groups under one version of the scoring scheme,
kept as it was published so a later change of the scheme never rewrites it (domain README §5.2)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from xuncha_desktop.domain import fields
from xuncha_desktop.domain.common import Checker, RecordMeta
from xuncha_desktop.domain.errors import FieldError
from xuncha_desktop.domain.fields import spec


@dataclass(frozen=True)
class GroupScoreResult:
    """One published result: each group's rank, score and explained lines, as computed then."""

    id: str = ""
    number: str = fields.number(searchable=False)
    round_id: str = fields.round_ref()
    scheme_version: str = spec("评分方案版本", "")
    published_on: date | None = spec("发布日期", None, date=True)
    published_by: str = spec("发布人", "")
    # one dict per group: {"group_id", "group_name", "rank", "score", "lines": [{"label", "value",
    # "points", "explanation"}]}
    groups: list[dict[str, Any]] = spec("评估结果", default_factory=list)
    note: str = spec("说明", "")
    meta: RecordMeta | None = field(default=None, compare=False)


def validate_group_score(r: GroupScoreResult, today: date) -> list[FieldError]:
    c = Checker(GroupScoreResult)
    c.required("round_id", r.round_id)
    c.required("scheme_version", r.scheme_version)
    c.required("published_on", r.published_on)
    c.not_future("published_on", r.published_on, today)
    c.required("published_by", r.published_by)
    if not r.groups:
        c.add("groups", "评估结果为空：本轮没有可评估的巡察组")
    return c.errors
