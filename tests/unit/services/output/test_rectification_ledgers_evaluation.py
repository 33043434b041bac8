"""The 整改质效评估 ledger read back: the units ranked by score, each score's lines (what was counted, the
points, how they were reached) and the scheme's version."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import load_workbook

from tests.ledger_print_helpers import assert_prints_legibly
from tests.rectification_output_builders import TODAY, RectificationRound, rectification_round
from tests.unit.services.output.test_rectification_ledgers import _last_entry, _rows
from xuncha_desktop.services.output.rectification_ledgers import write_rectification_ledger
from xuncha_desktop.services.rectification.evaluation import evaluate_round, load_scheme
from xuncha_desktop.services.workspace import Workspace


@pytest.fixture
def done(workspace: Workspace) -> RectificationRound:
    return rectification_round(workspace)


def test_evaluation_ranks_the_units_and_shows_how_each_score_was_reached(
    workspace: Workspace, done: RectificationRound, tmp_path: Path
) -> None:
    round_id = done.ctx.round.id
    target = tmp_path / "评估.xlsx"
    result = write_rectification_ledger(
        workspace, "rectification-evaluation", target, round_id=round_id, today=TODAY
    )
    ranked = evaluate_round(workspace, round_id, TODAY)
    lines = sum(len(u.lines) for u in ranked)
    assert result.rows == {"评估排名": 2, "计分明细": lines}
    wb = load_workbook(target)
    ranking = _rows(wb["评估排名"])
    assert [r["被巡察单位"] for r in ranking] == [u.unit_name for u in ranked]
    assert [r["名次"] for r in ranking] == [1, 2]
    assert ranking[0]["得分"] == pytest.approx(ranked[0].score) and ranking[0]["得分"] >= ranking[1]["得分"]
    first_line = ranked[0].lines[0]
    assert ranking[0][f"{first_line.label}（分）"] == pytest.approx(first_line.points)
    assert {r["评估方案版本"] for r in ranking} == {load_scheme(workspace).version}
    for sheet in ("评估排名", "计分明细"):
        assert_prints_legibly(wb[sheet])
    details = _rows(wb["计分明细"])
    mine = [d for d in details if d["被巡察单位"] == ranked[0].unit_name]
    assert [d["评分项"] for d in mine] == [x.label for x in ranked[0].lines]
    assert [d["计分说明"] for d in mine] == [x.explanation or None for x in ranked[0].lines]
    assert _last_entry(workspace)[1] == {
        "kind": "rectification-evaluation",
        "records": 2 + lines,
        "file": "评估.xlsx",
    }
