"""The four charts of 统计概览 (Qt Charts): 问题类别 (horizontal bars), 线索处置结果 (bars), 各巡察组对比
(horizontal grouped bars of issues and leads) and 轮次趋势 (issues and leads per round, two axes). Every
text is drawn in the application's font, so Chinese renders wherever the rest of the window does."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from PySide6.QtCharts import (
    QAbstractBarSeries,
    QBarCategoryAxis,
    QBarSeries,
    QBarSet,
    QChart,
    QChartView,
    QHorizontalBarSeries,
    QValueAxis,
)
from PySide6.QtCore import QMargins, Qt
from PySide6.QtGui import QColor, QCursor, QFont, QPainter
from PySide6.QtWidgets import QApplication, QGridLayout, QToolTip, QWidget

from xuncha_desktop.services.office_statistics.breakdowns import BreakdownRow
from xuncha_desktop.services.office_statistics.figures import Summary

ISSUES, LEADS = "发现问题（个）", "移交问题线索（件）"
ISSUE_COLOR, LEAD_COLOR = QColor("#3b6fb6"), QColor("#e08a2c")
OUTCOME_COLOR = QColor("#4f9a6b")
LABEL_CHARS = 14  # longer axis labels lose their middle to "…" (the whole label is the bar's tooltip)
CATEGORY, OUTCOME, GROUPS, TREND = "category", "outcome", "groups", "trend"
TITLES = {
    CATEGORY: "问题类别分布（一级类别）",
    OUTCOME: "移交线索处置结果（件）",
    GROUPS: "各巡察组发现问题与移交线索",
    TREND: "各轮次发现问题与移交线索",
}


@dataclass(frozen=True)
class ChartData:
    """What the charts of one scope show (each list: the breakdown rows without the 合计 row)."""

    summary: Summary
    categories: Sequence[BreakdownRow]
    groups: Sequence[BreakdownRow]
    rounds: Sequence[BreakdownRow]
    leads_without_outcome: int = 0  # drilldown.leads_without_outcome: the 暂无处置结果 bar


def outcomes(summary: Summary, without_outcome: int) -> list[tuple[str, int]]:
    """The transferred leads by outcome (a lead may have several); 暂无处置结果 = those with none of them
    (yet), counted by the service (drilldown.leads_without_outcome)."""
    return [
        ("立案", summary.cases_opened),
        ("党纪政务<br>处分", summary.sanctions),
        ("组织处理", summary.org_handlings),
        ("移送司法", summary.judicial_transfers),
        ("暂无<br>处置结果", without_outcome),
    ]


def cut(label: str, chars: int = LABEL_CHARS) -> str:
    """The start and the end of a long label (a group's round and its name, a category's code and its
    last words)."""
    if len(label) <= chars:
        return label
    head = (chars - 1) // 2
    return label[:head] + "…" + label[len(label) - (chars - 1 - head) :]


def _font(points_delta: float = 0, *, bold: bool = False) -> QFont:
    font = QFont(QApplication.font())
    size = font.pointSizeF() if font.pointSizeF() > 0 else 9.0
    font.setPointSizeF(max(7.0, size + points_delta))
    font.setBold(bold)
    return font


def _value_axis(top: float, *, integer: bool = True) -> QValueAxis:
    axis = QValueAxis()
    axis.setRange(0, max(1.0, top * 1.18))  # room for the value written after the longest bar
    axis.setLabelFormat("%d" if integer else "%.1f")
    axis.setTickCount(5)
    axis.applyNiceNumbers()
    axis.setLabelsFont(_font(-1))
    return axis


def _category_axis(labels: Sequence[str]) -> QBarCategoryAxis:
    axis = QBarCategoryAxis()
    axis.append([cut(label) for label in labels] or ["（无）"])
    axis.setLabelsFont(_font(-1))
    return axis


def _bar_set(name: str, values: Sequence[float], color: QColor, full_labels: Sequence[str]) -> QBarSet:
    bar_set = QBarSet(name)
    bar_set.append(list(values))
    bar_set.setColor(color)
    bar_set.setBorderColor(color)
    bar_set.setLabelColor(QColor("#222222"))
    bar_set.setLabelFont(_font(-1))

    def tip(status: bool, index: int) -> None:
        if status and 0 <= index < len(full_labels):
            label = full_labels[index].replace("<br>", "")
            QToolTip.showText(QCursor.pos(), f"{label}\n{name}：{values[index]:g}")

    bar_set.hovered.connect(tip)
    return bar_set


def _new_chart(key: str, empty: bool) -> QChart:
    chart = QChart()
    chart.setObjectName(f"chart:{key}")
    chart.setTitle(TITLES[key] + ("（无数据）" if empty else ""))
    chart.setTitleFont(_font(0.5, bold=True))
    chart.setAnimationOptions(QChart.AnimationOption.NoAnimation)
    chart.setMargins(QMargins(4, 4, 4, 4))
    chart.setBackgroundRoundness(0)
    legend = chart.legend()
    legend.setFont(_font(-1))
    legend.setAlignment(Qt.AlignmentFlag.AlignBottom)
    return chart


def _bars(
    chart: QChart,
    series: QAbstractBarSeries,
    labels: Sequence[str],
    sets: Sequence[tuple[str, Sequence[float], QColor]],
) -> None:
    for name, values, color in sets:
        series.append(_bar_set(name, values, color, labels))
    series.setLabelsVisible(True)
    series.setLabelsPosition(QAbstractBarSeries.LabelsPosition.LabelsOutsideEnd)
    series.setLabelsPrecision(8)
    chart.addSeries(series)
    top = max((v for _, values, _ in sets for v in values), default=0)
    horizontal = isinstance(series, QHorizontalBarSeries)
    categories, values_axis = _category_axis(labels), _value_axis(top)
    if horizontal:
        categories.setReverse(True)  # the first row on top, as in the tables
    chart.addAxis(categories, Qt.AlignmentFlag.AlignLeft if horizontal else Qt.AlignmentFlag.AlignBottom)
    chart.addAxis(values_axis, Qt.AlignmentFlag.AlignBottom if horizontal else Qt.AlignmentFlag.AlignLeft)
    series.attachAxis(categories)
    series.attachAxis(values_axis)
    chart.legend().setVisible(len(sets) > 1)


def category_chart(rows: Sequence[BreakdownRow]) -> QChart:
    """发现问题 per first-level category (categories without any issue are left out)."""
    rows = [r for r in rows if r.figures.issues_found]
    chart = _new_chart(CATEGORY, not rows)
    labels = [r.label for r in rows]
    _bars(
        chart, QHorizontalBarSeries(), labels, [(ISSUES, [r.figures.issues_found for r in rows], ISSUE_COLOR)]
    )
    return chart


def outcome_chart(summary: Summary, without_outcome: int = 0) -> QChart:
    counted = outcomes(summary, without_outcome)
    chart = _new_chart(OUTCOME, not summary.leads_transferred)
    labels = [name for name, _ in counted]
    _bars(chart, QBarSeries(), labels, [("线索（件）", [n for _, n in counted], OUTCOME_COLOR)])
    return chart


def group_chart(rows: Sequence[BreakdownRow]) -> QChart:
    chart = _new_chart(GROUPS, not rows)
    labels = [r.label for r in rows]
    sets = [
        (ISSUES, [r.figures.issues_found for r in rows], ISSUE_COLOR),
        (LEADS, [r.figures.leads_transferred for r in rows], LEAD_COLOR),
    ]
    _bars(chart, QHorizontalBarSeries(), labels, sets)
    return chart


def trend_chart(rows: Sequence[BreakdownRow]) -> QChart:
    """Issues and leads per round, side by side, in the order of the rows (oldest first)."""
    chart = _new_chart(TREND, not rows)
    sets = [
        (ISSUES, [r.figures.issues_found for r in rows], ISSUE_COLOR),
        (LEADS, [r.figures.leads_transferred for r in rows], LEAD_COLOR),
    ]
    _bars(chart, QBarSeries(), [r.label for r in rows], sets)
    return chart


class ChartPanel(QWidget):
    """The four charts in a 2 × 2 grid; show(data) replaces them."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("chartPanel")
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setSpacing(6)
        self.views: dict[str, QChartView] = {}
        for index, key in enumerate((CATEGORY, OUTCOME, GROUPS, TREND)):
            view = QChartView(self)
            view.setObjectName(f"chartView:{key}")
            view.setRenderHint(QPainter.RenderHint.Antialiasing)
            view.setMinimumSize(300, 200)
            grid.addWidget(view, index // 2, index % 2)
            self.views[key] = view
        self.show_data(None)

    def chart(self, key: str) -> QChart:
        chart = self.views[key].chart()
        assert chart is not None
        return chart

    def show_data(self, data: ChartData | None) -> None:
        """The charts of `data`; None: empty charts while the figures are counted."""
        summary = data.summary if data is not None else Summary()
        charts = {
            CATEGORY: category_chart(data.categories if data else []),
            OUTCOME: outcome_chart(summary, data.leads_without_outcome if data else 0),
            GROUPS: group_chart(data.groups if data else []),
            TREND: trend_chart(data.rounds if data else []),
        }
        for key, chart in charts.items():
            old = self.views[key].chart()
            self.views[key].setChart(chart)  # the view takes ownership of the new chart
            if old is not None and old is not chart:
                old.deleteLater()
