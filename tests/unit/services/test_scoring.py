"""services.scoring: the pattern both 整改质效评估 and 巡察组质效评估 use — checks per family, count lines
with caps, the 最低分 line, shared ranks, and versions that never change once saved."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.builders import PASSPHRASE
from xuncha_desktop.domain.errors import RecordNotFound, ValidationError
from xuncha_desktop.services import scoring
from xuncha_desktop.services.scoring import COUNT, FACTOR, RATE, Scheme, SchemeItem
from xuncha_desktop.services.workspace import Workspace
from xuncha_desktop.storage.keyfile import KdfParams

FAMILY = scoring.SchemeFamily(
    title="测试方案",
    screen="测试",
    prefix="test.scheme/",
    current_key="test.scheme.current",
    audit_action="test_scheme",
    metrics={"r": ("比率", RATE), "c": ("个数", COUNT), "f": ("折算", FACTOR)},
    units={"c": "件"},
    measures={"r": "某比率", "c": "某个数", "f": "某规模"},
    default=Scheme("默认-1", (SchemeItem("c", "个数", 1),), base=0),
    zero_base=True,
)


def test_checks_name_the_item() -> None:
    bad = Scheme(
        "v", (SchemeItem("r", "比率", -1), SchemeItem("f", "折算", 1.5), SchemeItem("c", "个数", 1, -1))
    )
    assert [i for i, _m in scoring.item_errors(FAMILY, bad)] == [0, 1, 2]
    assert scoring.scheme_errors(FAMILY, dataclasses.replace(bad, items=(), base=0)) != []
    assert not any(e.field == "base" for e in scoring.scheme_errors(FAMILY, Scheme("v", (), base=0)))
    strict = dataclasses.replace(FAMILY, zero_base=False)
    assert any(e.field == "base" for e in scoring.scheme_errors(strict, Scheme("v", (), base=0)))


def test_count_line_caps_and_explains() -> None:
    line = scoring.count_line(SchemeItem("c", "退回", -0.5, 1), 3, "次")
    assert (line.value, line.points) == (3, -1)
    assert line.explanation == "退回 3 次 × -0.5 分 = -1.50 分，以 1 分为限，扣 1.00 分"
    assert scoring.count_line(SchemeItem("c", "问题", 2), 4, "个").points == 8


def test_a_negative_total_is_zero_with_its_line() -> None:
    lines = [scoring.ScoreLine("a", 1, -3, "")]
    assert scoring.total_of(lines) == 0 and lines[-1].label == "最低分" and lines[-1].points == 3


@dataclass
class _R:
    name: str
    score: float
    rank: int = 0


def test_equal_scores_share_a_rank() -> None:
    ranked = scoring.rank([_R("b", 5), _R("a", 5), _R("c", 9)], lambda r: r.name)
    assert [(r.name, r.rank) for r in ranked] == [("c", 1), ("a", 2), ("b", 2)]


def test_describe_item() -> None:
    assert (
        scoring.describe_item(FAMILY, SchemeItem("f", "折算", 0.5))
        == "某规模。折算权重 0.5（1 为完全按比例折算）"
    )
    assert scoring.describe_item(FAMILY, SchemeItem("c", "个数", -2, 6)) == "某个数。每件扣 2 分，最多扣 6 分"


@pytest.fixture
def office(tmp_path: Path) -> Iterator[Workspace]:
    ws = Workspace.create(tmp_path / "巡察办.xcdb", PASSPHRASE, office=True, kdf=KdfParams.cheap())
    yield ws
    ws.close()


def test_versions_are_kept(office: Workspace) -> None:
    workspace = office
    with pytest.raises(RecordNotFound):
        scoring.load_scheme(workspace, FAMILY, "无")
    mine = Scheme("2025-1", (SchemeItem("c", "个数", 3),), base=0)
    scoring.save_scheme(workspace, FAMILY, mine)
    assert scoring.load_scheme(workspace, FAMILY) == mine
    assert scoring.scheme_versions(workspace, FAMILY) == ["默认-1", "2025-1"]
    with pytest.raises(ValidationError, match="已使用"):
        scoring.save_scheme(workspace, FAMILY, dataclasses.replace(mine, base=1))
    assert scoring.from_json(FAMILY, scoring.to_json(mine)) == mine
