"""导出统计表 and 打印统计简报 of the scope shown on 统计概览 (a round, a year, the term or a date range),
through gui/output_actions: written or rendered in the background with progress and 取消, the 简报
previewed, both offered in the export folder under a Chinese name (2026年度统计简报-20261207.pdf). The
File menu's 打印 / 导出台账 do the same while 统计概览 is in front (gui/main_menu)."""

from __future__ import annotations

from types import ModuleType
from typing import TYPE_CHECKING

from xuncha_desktop.gui import messages

if TYPE_CHECKING:
    from xuncha_desktop.gui.statistics.overview import OverviewScreen

EXPORT_TEXT, PRINT_TEXT = "导出统计表…", "打印统计简报…"
EXPORT_TIP = "把所选统计范围的统计表（统计概览、各分类统计及其合计和图表）导出为 Excel 工作簿"
PRINT_TIP = "预览并打印所选统计范围的一页统计简报（可另存为 PDF）"


def _ready(screen: OverviewScreen, title: str) -> bool:
    """The chosen scope can be counted; else say why (the scope bar's own words)."""
    problem = screen.scope_bar.problem()
    if problem:
        messages.show_info(screen, title, f"{problem}。")
    return not problem


def export_workbook(screen: OverviewScreen) -> None:
    """导出统计表 of the scope chosen on the screen."""
    if _ready(screen, "导出统计表"):
        output_actions().export_statistics(
            screen, screen.host.workspace, screen.scope_bar.scope(), today=screen.host.today()
        )


def print_brief(screen: OverviewScreen) -> None:
    """打印统计简报 of the scope chosen on the screen."""
    if _ready(screen, "打印统计简报"):
        output_actions().print_statistics_brief(
            screen, screen.host.workspace, screen.scope_bar.scope(), today=screen.host.today()
        )


def output_actions() -> ModuleType:
    """gui/output_actions, imported on first use: it loads reportlab and openpyxl."""
    from xuncha_desktop.gui import output_actions as actions

    return actions
