"""The office's figures for one scope (domain README §5.1), as one frozen Summary: what `stats --json`
prints under "summary", what the 统计分析 tab, the statistics workbook and the 统计简报 show."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import select

from xuncha_desktop.domain.record_types import ROUND
from xuncha_desktop.services.office_statistics.cube import Cube, read_cube
from xuncha_desktop.services.office_statistics.query import TOTAL_KEY
from xuncha_desktop.services.office_statistics.scope import Scope
from xuncha_desktop.services.plan.coverage import term_coverage
from xuncha_desktop.services.workspace import Workspace
from xuncha_desktop.storage.tables import BUSINESS_TABLES

# field → its Chinese label, in the order the figures are shown. How each is counted: rules.RULES.
FIGURE_LABELS: dict[str, str] = {
    "rounds": "巡察轮次（轮）",
    "units_inspected": "被巡察单位（个次）",
    "coverage_percent": "全覆盖进度（%）",  # of the term up to the scope's year (services/plan/coverage.py)
    "interviews": "个别谈话（人次）",
    "petitions": "受理信访件（件次）",  # every live 信访件
    "files_read": "调阅资料（卷）",
    "site_visits": "走访核查（次）",
    "questionnaires": "民主测评及问卷（份）",
    "issues_found": "发现问题（个）",  # adopted 底稿: 已审签 or 已归并
    "immediate_fixes": "立行立改（个）",
    "leads_transferred": "移交问题线索（件）",
    "leads_transferred_persons": "移交问题线索（人）",  # distinct 被反映人 of the transferred leads
    "leads_on_site": "边巡边移（件）",
    "cases_opened": "立案（件）",
    "sanctions": "党纪政务处分（人）",
    "org_handlings": "组织处理（人）",
    "judicial_transfers": "移送司法（人）",
    "case_rate": "成案率",  # 立案 / 移交问题线索
    "amount_recovered_yuan": "挽回经济损失（元）",  # 底稿 (巡察期间) + 整改任务 (整改期间)
    "institutions": "推动建章立制（项）",
    "rectification_rate": "整改完成率",  # (已完成 + 基本完成) / 整改任务; none without tasks
    "leads_overdue": "线索反馈超期（件）",
    "special_reports": "专题报告（份）",
    "recommendations": "意见建议（条）",
}

# The keys of `stats --json`'s "summary", as issue #14 names them.
SUMMARY_JSON_KEYS = (
    "units_inspected",
    "interviews",
    "issues_found",
    "immediate_fixes",
    "leads_transferred",
    "leads_on_site",
    "cases_opened",
    "sanctions",
    "amount_recovered_yuan",
)


@dataclass(frozen=True)
class Summary:
    units_inspected: int = 0
    interviews: int = 0
    petitions: int = 0
    issues_found: int = 0
    immediate_fixes: int = 0
    leads_transferred: int = 0
    leads_transferred_persons: int = 0
    leads_on_site: int = 0
    cases_opened: int = 0
    sanctions: int = 0
    org_handlings: int = 0
    judicial_transfers: int = 0
    case_rate: float = 0.0  # 0–1, four decimals; 0.0 without transferred leads
    amount_recovered_yuan: Decimal = Decimal("0.00")
    institutions: int = 0
    rectification_rate: float | None = None  # 0–1, four decimals; None without 整改任务
    leads_overdue: int = 0
    files_read: int = 0
    site_visits: int = 0
    questionnaires: int = 0
    special_reports: int = 0
    recommendations: int = 0
    rounds: int = 0
    coverage_percent: float = 0.0  # 0–100, one decimal

    def summary_json(self) -> dict[str, Any]:
        """The "summary" of `stats --json`: exactly SUMMARY_JSON_KEYS, the amount as "1234.50"."""
        out: dict[str, Any] = {key: getattr(self, key) for key in SUMMARY_JSON_KEYS}
        out["amount_recovered_yuan"] = f"{self.amount_recovered_yuan:.2f}"
        return out

    def value(self, figure: str) -> Any:
        """One figure by its field name (FIGURE_LABELS' keys)."""
        if figure not in FIGURE_LABELS:
            raise KeyError(figure)
        return getattr(self, figure)


def _rate(part: int, whole: int) -> float:
    return round(part / whole, 4) if whole else 0.0


def from_tally(values: dict[str, Any], coverage_percent: float = 0.0) -> Summary:
    """A Summary from the counted figures of one tally row (missing ones are 0)."""
    names = {f.name for f in dataclasses.fields(Summary)}
    counted = {k: v for k, v in values.items() if k in names}
    tasks = int(values.get("_tasks", 0))
    return Summary(
        **counted,
        case_rate=_rate(int(values.get("cases_opened", 0)), int(values.get("leads_transferred", 0))),
        rectification_rate=_rate(int(values.get("_tasks_finished", 0)), tasks) if tasks else None,
        coverage_percent=coverage_percent,
    )


def coverage_years(ws: Workspace, scope: Scope) -> tuple[int, int] | None:
    """The years whose rounds count toward 全覆盖 for a scope: the term up to the scope's year (a round's
    year, or the year itself); the whole term for the term and for a date range."""
    year = scope.year
    if scope.round_id:
        rounds = BUSINESS_TABLES[ROUND.key]
        with ws.engine.connect() as conn:
            found = conn.execute(select(rounds.c.year).where(rounds.c.id == scope.round_id)).scalar()
        year = int(found or 0)
    return (0, year) if year else None


def summary(ws: Workspace, scope: Scope, today: date | None = None) -> Summary:
    """Every figure of `scope`, counted in SQL (one GROUP BY per record type, cube.py); `today` (default
    the real one) is the day overdue leads are counted on."""
    with ws.engine.connect() as conn:
        cube = read_cube(conn, scope, today or date.today(), grouped=False)
    return summary_of(ws, scope, cube)


def summary_of(ws: Workspace, scope: Scope, cube: Cube) -> Summary:
    """The Summary of a cube already read (with the term's 全覆盖)."""
    coverage = term_coverage(ws, years=coverage_years(ws, scope), with_orgs=False)
    return from_tally(cube.rollup()[TOTAL_KEY], coverage.total.percent)
