"""巡察组质效评估 of a round as an Excel workbook (评估排名: a group a row with the points of each line and
the scheme version; 计分明细: every line explained) and as a PDF in the official layout (the ranking, then
each group's lines). Either the ranking as the current scheme gives it now, or a published result exactly
as it was stored (never reckoned again)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from reportlab.platypus import CondPageBreak, Flowable, KeepTogether, Spacer

from xuncha_desktop.domain.errors import XunchaError
from xuncha_desktop.services.office_statistics import group_scoring as gs
from xuncha_desktop.services.output.excel_export import (
    DEFAULT_FOOTER_MARK,
    LedgerResult,
    Options,
    write_sheet,
    write_workbook,
)
from xuncha_desktop.services.output.ledger_columns import KEY, Column
from xuncha_desktop.services.output.pdf_export import Output, PdfResult, _render
from xuncha_desktop.services.output.pdf_fonts import FontSet
from xuncha_desktop.services.output.pdf_layout import LINE_PITCH, TYPE_WIDTH, cn_date
from xuncha_desktop.services.output.pdf_rectification_evaluation import sub_heading
from xuncha_desktop.services.output.pdf_stories import Kit, start_record
from xuncha_desktop.services.output.pdf_tables import label, value
from xuncha_desktop.services.output.rectification_data import points_text
from xuncha_desktop.services.progress import Progress
from xuncha_desktop.services.records.context_names import load_context_names
from xuncha_desktop.services.scoring import ScoreLine
from xuncha_desktop.services.workspace import Workspace

KIND = "group-scoring"  # `ledger --kind` and `print --kind`
TITLE = "巡察组质效评估结果"
MARKING = "工作秘密"


@dataclass(frozen=True)
class ShownResult:
    """A ranking to lay out: its round, scheme, date, whether it was published, and the groups."""

    round_name: str
    scheme_name: str
    scheme_version: str
    on: date
    published_by: str
    ranked: list[gs.GroupScore]

    @property
    def about(self) -> str:
        when = cn_date(self.on)
        if self.published_by:
            return f"（{self.scheme_name} {self.scheme_version}　{self.published_by}于{when}发布）"
        return f"（{self.scheme_name} {self.scheme_version}　评估日期：{when}　未发布）"


def shown_result(
    ws: Workspace,
    round_id: str,
    *,
    published: bool = False,
    result_id: str = "",
    version: str = "",
    today: date | None = None,
) -> ShownResult:
    """The published result `result_id`, or the round's latest published one (`published`), or the
    ranking under scheme `version` ("": the current one) as of `today`."""
    round_name = load_context_names(ws).round(round_id)
    if result_id or published:
        found = [gs.published_result(ws, result_id)] if result_id else gs.published(ws, round_id)
        if not found:
            raise XunchaError(f"轮次“{round_name}”还没有发布巡察组质效评估结果")
        r = found[0]
        name = gs.load_scheme(ws, r.scheme_version).name if r.scheme_version in gs.scheme_versions(ws) else ""
        on = r.published_on or date.today()
        return ShownResult(round_name, name, r.scheme_version, on, r.published_by, gs.from_groups(r))
    day = today or date.today()
    scheme = gs.load_scheme(ws, version)
    ranked = gs.score_round(ws, round_id, scheme, today=day)
    if not ranked:
        raise XunchaError(f"轮次“{round_name}”还没有巡察组，无法评估")
    return ShownResult(round_name, scheme.name, scheme.version, day, "", ranked)


# -- Excel -------------------------------------------------------------------------------------------------


def _item(index: int) -> Callable[[Sequence[Any]], Any]:
    return lambda row: row[index]


def _columns(spec: Sequence[tuple[str, float, str]]) -> list[Column]:
    """Columns of row tuples; 名次 and 巡察组 identify a row and repeat on every printed page."""
    return [
        Column(header, _item(i), width, kind, group=KEY if i < 2 else "")
        for i, (header, width, kind) in enumerate(spec)
    ]


_DETAILS = (
    ("名次", 8, "count"),
    ("巡察组", 18, "text"),
    ("评分项", 20, "text"),
    ("取值", 10, "text"),
    ("得分", 10, "rate"),
    ("计分说明", 70, "text"),
    ("评分方案版本", 14, "text"),
)


def value_text(line: ScoreLine) -> str:
    return f"{line.value:.4f}".rstrip("0").rstrip(".") or "0"


def ledger_rows(
    shown: ShownResult,
) -> tuple[list[Column], list[tuple[Any, ...]], list[tuple[Any, ...]]]:
    """The 评估排名 columns and rows (a group a row, the points of each line), and the 计分明细 rows."""
    labels = list(dict.fromkeys(x.label for s in shown.ranked for x in s.lines))
    ranking = _columns(
        [("名次", 8, "count"), ("巡察组", 18, "text"), ("得分", 10, "rate")]
        + [(f"{name}（分）", max(10, 2 * len(name) + 6), "rate") for name in labels]
        + [("评分方案版本", 14, "text")]
    )
    rows = []
    for s in shown.ranked:
        by_label = {x.label: x.points for x in s.lines}
        rows.append((s.rank, s.group_name, s.score, *(by_label.get(n) for n in labels), shown.scheme_version))
    details = [
        (s.rank, s.group_name, x.label, value_text(x), x.points, x.explanation, shown.scheme_version)
        for s in shown.ranked
        for x in s.lines
    ]
    return ranking, rows, details


def write_group_scoring_ledger(
    ws: Workspace,
    target: Path,
    round_id: str,
    *,
    published: bool = False,
    result_id: str = "",
    today: date | None = None,
    footer_mark: str = DEFAULT_FOOTER_MARK,
) -> LedgerResult:
    """`ledger --kind group-scoring --round R [--published]`: written atomically and audited."""
    shown = shown_result(ws, round_id, published=published, result_id=result_id, today=today)

    def fill(wb: Workbook, options: Options) -> dict[str, int]:
        ranking, rows, details = ledger_rows(shown)
        return {
            "评估排名": write_sheet(wb, "评估排名", ranking, rows, options, footer_mark=footer_mark),
            "计分明细": write_sheet(
                wb, "计分明细", _columns(_DETAILS), details, options, footer_mark=footer_mark
            ),
        }

    return write_workbook(ws, KIND, Path(target), fill)


# -- PDF ---------------------------------------------------------------------------------------------------


def _ranking_table(kit: Kit, ranked: Sequence[gs.GroupScore]) -> Flowable:
    w = TYPE_WIDTH
    g = kit.grid([w * 0.14, w * 0.62, w * 0.24], compact=True)
    g.row(label("名次"), label("巡察组"), label("得分"))
    for s in ranked:
        g.row(
            value(str(s.rank), align="center"),
            value(s.group_name),
            value(points_text(s.score), align="center"),
        )
    return g.table(repeat_rows=1)


def _lines_table(kit: Kit, s: gs.GroupScore) -> Flowable:
    w = TYPE_WIDTH
    g = kit.grid([w * 0.2, w * 0.1, w * 0.1, w * 0.6], compact=True)
    g.row(label("评分项"), label("取值"), label("得分"), label("计分说明"))
    for x in s.lines:
        g.row(
            value(x.label),
            value(value_text(x), align="center"),
            value(points_text(x.points), align="center"),
            value(x.explanation),
        )
    g.row(label("合计"), value(""), value(points_text(s.score), align="center"), value(""))
    return g.table(repeat_rows=1)


def scoring_story(kit: Kit, shown: ShownResult) -> list[Flowable]:
    title = f"{shown.round_name}{TITLE}"
    story = start_record(kit, "g0", title, MARKING, title, first=True)
    story.append(kit.p(shown.about, kit.st.subtitle))
    story += [kit.heading("评估排名"), _ranking_table(kit, shown.ranked), Spacer(1, 8)]
    for i, s in enumerate(shown.ranked, start=1):
        head = sub_heading(kit, i, f"{s.group_name}：{points_text(s.score)} 分（第 {s.rank} 名）")
        block = [kit.heading("计分明细"), head] if i == 1 else [head]  # the heading never left alone
        story += [CondPageBreak(5 * LINE_PITCH), KeepTogether([*block, _lines_table(kit, s)]), Spacer(1, 8)]
    return story


def write_group_scoring_pdf(
    ws: Workspace,
    round_id: str,
    target: Output,
    fonts: FontSet,
    progress: Progress,
    *,
    published: bool = False,
    result_id: str = "",
    version: str = "",
    today: date | None = None,
    footer_mark: str = DEFAULT_FOOTER_MARK,
) -> PdfResult:
    """`print --kind group-scoring --round R [--published]`: audited as a print of as many records as
    groups ranked (a stream, the preview, is audited when printed or saved)."""
    shown = shown_result(ws, round_id, published=published, result_id=result_id, version=version, today=today)
    return _render(
        ws,
        target,
        fonts,
        progress,
        kind=KIND,
        title=f"{shown.round_name}{TITLE}",
        total=1,
        records=len(shown.ranked),
        make_story=lambda kit: scoring_story(kit, shown),
        hide_reporter=False,
        footer_mark=footer_mark,
    )
