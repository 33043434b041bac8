"""整改质效评估结果 read back with poppler: A4, fonts embedded, the ranking, each unit's score lines with
their explanations, the scheme's name and version; audited by file name and the number of units."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from tests.output_helpers import pdf_fonts, pdf_text
from tests.rectification_output_builders import (
    OTHER_UNIT,
    TODAY,
    UNIT,
    RectificationRound,
    rectification_round,
)
from xuncha_desktop.domain.errors import XunchaError
from xuncha_desktop.services.output.pdf_rectification_evaluation import write_evaluation
from xuncha_desktop.services.progress import NullProgress
from xuncha_desktop.services.rectification.evaluation import evaluate_round, load_scheme
from xuncha_desktop.services.workspace import Workspace
from xuncha_desktop.storage.tables import audit_log


@pytest.fixture
def done(workspace: Workspace) -> RectificationRound:
    return rectification_round(workspace)


def test_the_result_ranks_the_units_and_explains_each_score(
    workspace: Workspace, done: RectificationRound, fonts, tmp_path: Path
) -> None:
    round_id = done.ctx.round.id
    target = tmp_path / "评估结果.pdf"
    result = write_evaluation(workspace, round_id, target, fonts, NullProgress(), today=TODAY)
    ranked = evaluate_round(workspace, round_id, TODAY)
    assert result.records == 1 and result.missing == ()  # one document; the audit counts the units
    assert len(PdfReader(target).pages) == result.pages
    assert all(embedded == "yes" for _name, _type, embedded in pdf_fonts(target))
    text = "".join(pdf_text(target).split())
    scheme = load_scheme(workspace)
    for expected in (
        "工作秘密",
        f"{done.ctx.round.name}整改质效评估结果",
        f"{scheme.name}{scheme.version}",
        "评估日期：2025年10月1日",
        "一、评估排名",
        "二、计分明细",
        "整改完成率",
        "66.7%",  # 2 of 3 tasks of the first unit finished, shown as a rate
        "巡察工作秘密注意保管",
    ):
        assert expected in text, expected
    first, second = ranked
    assert first.unit_name == UNIT and second.unit_name == OTHER_UNIT
    assert text.index(f"（一）{UNIT}") < text.index(f"（二）{OTHER_UNIT}")
    for line in first.lines:
        assert "".join(line.explanation.split()) in text
    with workspace.engine.connect() as conn:
        row = conn.execute(select(audit_log).order_by(audit_log.c.seq.desc()).limit(1)).one()
    assert json.loads(row.changes) == {
        "kind": "rectification-evaluation",
        "records": 2,
        "file": "评估结果.pdf",
    }


def test_a_round_without_tasks_says_so(workspace: Workspace, fonts, tmp_path: Path) -> None:
    from tests.builders import make_context

    bare = make_context(workspace)
    with pytest.raises(XunchaError, match="还没有可评估的整改任务"):
        write_evaluation(workspace, bare.round.id, tmp_path / "a.pdf", fonts, NullProgress(), today=TODAY)
    assert not (tmp_path / "a.pdf").exists()
