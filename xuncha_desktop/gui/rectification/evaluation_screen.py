"""整改质效评估 as a RoundScreen spec: per round the units ranked by score, and for the selected unit each
line of its score (label, value, points, explanation) and the scheme version it was reckoned by."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from PySide6.QtWidgets import QComboBox, QLabel

from xuncha_desktop.gui import messages
from xuncha_desktop.gui.pages.field_bindings import FieldBinding
from xuncha_desktop.gui.pages.record_table_model import Column
from xuncha_desktop.gui.pages.table_rows import TableColumn
from xuncha_desktop.gui.plan.plan_editor import EditorSpec, RowQuery
from xuncha_desktop.gui.rectification.rect_context import RectContext
from xuncha_desktop.gui.rectification.round_screen import RoundScreen
from xuncha_desktop.gui.rectification.scheme_dialog import SchemeDialog
from xuncha_desktop.services.rectification.evaluation import (
    ScoreLine,
    UnitEvaluation,
    evaluate_round,
    load_scheme,
    scheme_versions,
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


def evaluations(rc: RectContext, round_id: str, version: str = "") -> list[EvaluationView]:
    """The round's units ranked, scored under scheme `version` ("": the current scheme)."""
    scheme = load_scheme(rc.ws, version) if version else None
    ranked: list[UnitEvaluation] = evaluate_round(rc.ws, round_id, rc.today(), scheme)
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


def scheme_version(rc: RectContext, version: str = "") -> str:
    scheme = load_scheme(rc.ws, version)
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
        rows=EvaluationRows(rc),
        save=lambda v, _reason: v,
        parent_label="巡察轮次",
        background=True,
    )


# -- 评分方案 (scheme-editor): the version the round is scored by, and 评分方案… to change it ------------
class EvaluationRows:
    """The spec's rows: the round's units scored under `version` ("": the current scheme), the version
    chosen on the screen (read by the background reader: a plain attribute)."""

    def __init__(self, rc: RectContext) -> None:
        self.rc = rc
        self.version = ""

    def __call__(self, q: RowQuery) -> list[EvaluationView]:
        return evaluations(self.rc, q.parent_id, self.version) if q.parent_id else []


def install_scheme_choice(screen: RoundScreen, rc: RectContext) -> QComboBox:
    """A combo of the scheme versions (the current one first chosen) and 评分方案… on the screen's bar."""
    rows = screen.editor.spec.rows
    assert isinstance(rows, EvaluationRows)
    caption = QLabel("评分方案版本：", screen)
    combo = QComboBox(screen)
    combo.setObjectName("schemeCombo")
    combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
    caption.setBuddy(combo)
    screen.bar.addWidget(caption)
    screen.bar.addWidget(combo)

    def chosen(_index: int = 0) -> None:
        rows.version = str(combo.currentData() or "")
        screen.info_label.setText(f"评分方案：{scheme_version(rc, rows.version)}")
        screen.editor.reload()

    def edit() -> None:
        dialog = SchemeDialog(rc.ws, rc.today, screen)
        if messages.exec_dialog(dialog) and dialog.saved_version:
            _fill_versions(combo, rc, dialog.saved_version)
            chosen()

    _fill_versions(combo, rc, "")
    rows.version = str(combo.currentData() or "")
    screen.info_label.setText(f"评分方案：{scheme_version(rc, rows.version)}")
    combo.currentIndexChanged.connect(chosen)
    screen.add_button("schemeButton", "评分方案…", edit)
    return combo


def _fill_versions(combo: QComboBox, rc: RectContext, select: str) -> None:
    """The versions, newest names first, the current one marked; `select` (or the current one) chosen."""
    current = load_scheme(rc.ws).version
    blocked = combo.blockSignals(True)
    try:
        combo.clear()
        for version in reversed(scheme_versions(rc.ws)):
            combo.addItem(f"{version}（当前）" if version == current else version, version)
        combo.setCurrentIndex(max(0, combo.findData(select or current)))
    finally:
        combo.blockSignals(blocked)


# -- end of 评分方案 ----------------------------------------------------------------------------------------
