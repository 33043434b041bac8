"""整改质效评估结果 of a round, printed in the official layout: the ranked units with their scores, then
each unit's score lines (what was counted, the points and how they were reached) under the scheme's
version."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import CondPageBreak, Flowable, KeepTogether, Spacer

from xuncha_desktop.domain.errors import XunchaError
from xuncha_desktop.services.output.pdf_export import Output, PdfResult, _render
from xuncha_desktop.services.output.pdf_fonts import FontSet
from xuncha_desktop.services.output.pdf_layout import DEFAULT_FOOTER_MARK, LINE_PITCH, TYPE_WIDTH, cn_date
from xuncha_desktop.services.output.pdf_stories import CHINESE_NUMERALS, Kit, start_record
from xuncha_desktop.services.output.pdf_tables import label, value
from xuncha_desktop.services.output.rectification_data import points_text, score_value_text
from xuncha_desktop.services.progress import Progress
from xuncha_desktop.services.records.context_names import load_context_names
from xuncha_desktop.services.rectification.evaluation import (
    EvaluationScheme,
    UnitEvaluation,
    evaluate_round,
    load_scheme,
)
from xuncha_desktop.services.workspace import Workspace

MARKING = "工作秘密"
TITLE = "整改质效评估结果"


def sub_heading(kit: Kit, number: int, text: str) -> Flowable:
    """（一）… in 楷体, the second level of GB/T 9704 headings."""
    numeral = CHINESE_NUMERALS[number - 1] if number <= 10 else str(number)
    style = ParagraphStyle("sub_heading", parent=kit.st.heading, fontName=kit.st.fonts.kai.name)
    return kit.p(f"（{numeral}）{text}", style)


def _ranking_table(kit: Kit, ranked: Sequence[UnitEvaluation]) -> Flowable:
    w = TYPE_WIDTH
    g = kit.grid([w * 0.12, w * 0.64, w * 0.24], compact=True)
    g.row(label("名次"), label("被巡察单位"), label("得分"))
    for rank, u in enumerate(ranked, start=1):
        g.row(
            value(str(rank), align="center"), value(u.unit_name), value(points_text(u.score), align="center")
        )
    return g.table(repeat_rows=1)


def _lines_table(kit: Kit, u: UnitEvaluation, scheme: EvaluationScheme) -> Flowable:
    w = TYPE_WIDTH
    g = kit.grid([w * 0.22, w * 0.11, w * 0.09, w * 0.58], compact=True)
    g.row(label("评分项"), label("取值"), label("得分"), label("计分说明"))
    for line in u.lines:
        g.row(
            value(line.label),
            value(score_value_text(line, scheme), align="center"),
            value(points_text(line.points), align="center"),
            value(line.explanation),
        )
    g.row(label("合计"), value(""), value(points_text(u.score), align="center"), value(""))
    return g.table(repeat_rows=1)


def evaluation_story(
    kit: Kit, round_name: str, scheme: EvaluationScheme, ranked: Sequence[UnitEvaluation], today: date
) -> list[Flowable]:
    title = f"{round_name}{TITLE}"
    story = start_record(kit, "r0", title, MARKING, title, first=True)
    about = f"（{scheme.name} {scheme.version}　评估日期：{cn_date(today)}）"
    story.append(kit.p(about, kit.st.subtitle))
    story += [kit.heading("评估排名"), _ranking_table(kit, ranked), Spacer(1, 8)]
    story += [CondPageBreak(5 * LINE_PITCH), kit.heading("计分明细")]
    for i, u in enumerate(ranked, start=1):
        head = sub_heading(kit, i, f"{u.unit_name}：{points_text(u.score)} 分（第 {u.rank} 名）")
        story += [
            CondPageBreak(5 * LINE_PITCH),
            KeepTogether([head, _lines_table(kit, u, scheme)]),
            Spacer(1, 8),
        ]
    return story


def write_evaluation(
    ws: Workspace,
    round_id: str,
    target: Output,
    fonts: FontSet,
    progress: Progress,
    *,
    today: date | None = None,
    footer_mark: str = DEFAULT_FOOTER_MARK,
) -> PdfResult:
    """`print --kind rectification-evaluation --round R`: audited as a print of that kind, of as many
    records as units evaluated."""
    day = today or date.today()
    round_name = load_context_names(ws).round(round_id)
    scheme = load_scheme(ws)
    ranked = evaluate_round(ws, round_id, day, scheme)
    if not ranked:
        raise XunchaError(f"轮次“{round_name}”还没有可评估的整改任务")
    return _render(
        ws,
        target,
        fonts,
        progress,
        kind="rectification-evaluation",
        title=f"{round_name}{TITLE}",
        total=1,
        records=len(ranked),
        make_story=lambda kit: evaluation_story(kit, round_name, scheme, ranked, day),
        hide_reporter=False,
        footer_mark=footer_mark,
    )
