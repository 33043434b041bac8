"""整改质效评估 as a RoundScreen spec: per round the units ranked by score, and for the selected unit each
line of its score (label, value, points, explanation) and the scheme version it was reckoned by."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from xuncha_desktop.gui.pages.field_bindings import FieldBinding
from xuncha_desktop.gui.pages.record_table_model import Column
from xuncha_desktop.gui.pages.table_rows import TableColumn
from xuncha_desktop.gui.plan.plan_editor import EditorSpec
from xuncha_desktop.gui.rectification.rect_context import RectContext
from xuncha_desktop.services.rectification.evaluation import (
    ScoreLine,
    UnitEvaluation,
    evaluate_round,
    load_scheme,
)

B = FieldBinding


LINE_COLUMNS = (
    TableColumn("label", "评分项目", width=8),
    TableColumn("value", "实际情况", width=6),
    TableColumn("points", "得分", width=4),
    TableColumn("explanation", "计分说明"),
)


@dataclass(frozen=True)
class EvaluationView:
    """One unit's evaluation as the form shows it: its score and how each line was reached."""

    id: str
    rank: int
    unit_name: str
    score: str
    scheme: str
    lines: list[dict[str, Any]] = field(default_factory=list)


def _points(value: float) -> str:
    return f"{value:+.2f}" if value else "0"


def _value(line: ScoreLine) -> str:
    """A rate as a percentage, a count as a whole number (the explanation names the unit)."""
    if line.label.endswith("率"):
        return f"{line.value:.1%}"
    return f"{line.value:g}"


def evaluations(rc: RectContext, round_id: str) -> list[EvaluationView]:
    ranked: list[UnitEvaluation] = evaluate_round(rc.ws, round_id, rc.today())
    return [
        EvaluationView(
            e.target_id,
            e.rank,
            e.unit_name,
            f"{e.score:.2f}",
            e.scheme_version,
            [
                {
                    "label": s.label,
                    "value": _value(s),
                    "points": _points(s.points),
                    "explanation": s.explanation,
                }
                for s in e.lines
            ],
        )
        for e in ranked
    ]


def scheme_version(rc: RectContext) -> str:
    scheme = load_scheme(rc.ws)
    return f"{scheme.name}（{scheme.version}）"


def evaluation_spec(rc: RectContext) -> EditorSpec:
    return EditorSpec(
        key="evaluation",
        label="整改质效评估",
        form_file="rect_evaluation_form.ui",
        bindings=(
            B("unit_name", "unitLabel", read_only=True),
            B("score", "scoreLabel", read_only=True),
            B("scheme", "schemeLabel", read_only=True),
            B("lines", "linesTable", read_only=True, columns=LINE_COLUMNS),
        ),
        columns=(
            Column("名次", lambda v: v.rank, 3, align_right=True),
            Column("被巡察单位", lambda v: v.unit_name, 14),
            Column("得分", lambda v: v.score, 5, align_right=True),
        ),
        heading=lambda v: f"第 {v.rank} 名　{v.unit_name}　{v.score} 分",
        new_record=lambda _parent: None,
        rows=lambda q: evaluations(rc, q.parent_id) if q.parent_id else [],
        save=lambda v, _reason: v,
        parent_label="巡察轮次",
        background=True,
    )
