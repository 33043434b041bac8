"""Issue 14: the office demo at 100,000 records (`demo --office --records`), then the statistics of one year
— the summary and every breakdown, as the 统计分析 tab opens them — against 1 s, and the summary against
the same figures counted by plain hand-written SQL (one COUNT or SUM per figure; goal ≤ 3)."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import text

from tests.benchmarks.report import best_of, line, note, stopwatch
from xuncha_desktop.services.demo.office import build_office_demo
from xuncha_desktop.services.office_statistics.breakdowns import all_breakdowns
from xuncha_desktop.services.office_statistics.figures import Summary, summary
from xuncha_desktop.services.office_statistics.scope import Scope
from xuncha_desktop.services.workspace import Workspace
from xuncha_desktop.storage.keyfile import KdfParams
from xuncha_desktop.storage.tables import BUSINESS_TABLES

PASSPHRASE = "基准测试-口令-2025"
T = {k: BUSINESS_TABLES[k].name for k in ("round", "group", "target", "interview", "draft", "lead", "task")}
LIVE = "deleted = 0 AND round_id IN (SELECT id FROM {rounds} WHERE deleted = 0 AND year = :year)"
ADOPTED = "status IN ('已审签', '已归并')"
MOVED = "transfer_on IS NOT NULL"


def _plain(table: str, what: str = "COUNT(*)", where: str = "1 = 1") -> str:
    live = LIVE.format(rounds=T["round"])
    return f"SELECT {what} FROM {T[table]} WHERE {live} AND {where}"


# The baseline: each figure of the summary by the plainest SQL that counts it.
PLAIN = {
    "rounds": f"SELECT COUNT(*) FROM {T['round']} WHERE deleted = 0 AND year = :year",
    "units_inspected": _plain("target"),
    "interviews": _plain("interview"),
    "issues_found": _plain("draft", where=ADOPTED),
    "immediate_fixes": _plain("draft", where=f"{ADOPTED} AND immediate_fix = 1"),
    "leads_transferred": _plain("lead", where=MOVED),
    "leads_transferred_persons": _plain(
        "lead", "COUNT(DISTINCT subject_name)", f"{MOVED} AND subject_name <> ''"
    ),
    "leads_on_site": _plain("lead", where=f"{MOVED} AND on_site_transfer = 1"),
    "cases_opened": _plain("lead", where=f"{MOVED} AND case_opened = 1"),
    "sanctions": _plain("lead", where=f"{MOVED} AND sanction <> ''"),
    "org_handlings": _plain("lead", where=f"{MOVED} AND org_handling <> ''"),
    "judicial_transfers": _plain("lead", where=f"{MOVED} AND judicial_transfer = 1"),
    "leads_overdue": _plain("lead", where=f"{MOVED} AND feedback_on IS NULL AND transfer_on < :cutoff"),
    "_draft_cents": _plain("draft", "COALESCE(SUM(amount_recovered_yuan), 0)", ADOPTED),
    "_task_cents": _plain("task", "COALESCE(SUM(amount_recovered_yuan), 0)"),
    "institutions": _plain("task", "COALESCE(SUM(institutions), 0)"),
    "_tasks": _plain("task"),
    "_tasks_finished": _plain("task", where="status IN ('已完成', '基本完成持续整改')"),
    "files_read": _plain("target", "COALESCE(SUM(files_read), 0)"),
    "site_visits": _plain("target", "COALESCE(SUM(site_visits), 0)"),
    "questionnaires": _plain("target", "COALESCE(SUM(questionnaires), 0)"),
    "special_reports": _plain("group", "COALESCE(SUM(special_reports), 0)"),
    "recommendations": _plain("group", "COALESCE(SUM(recommendations), 0)"),
}


def plain_counts(ws: Workspace, year: int, today: date) -> dict[str, Any]:
    params = {"year": year, "cutoff": today - timedelta(days=92)}
    with ws.engine.connect() as conn:
        return {k: conn.execute(text(sql), params).scalar_one() for k, sql in PLAIN.items()}


def _agrees(found: Summary, plain: dict[str, Any]) -> bool:
    """The baseline counted the same figures (so the ratio compares like with like)."""
    same = all(found.value(k) == v for k, v in plain.items() if not k.startswith("_"))
    cents = int(plain["_draft_cents"]) + int(plain["_task_cents"])
    return same and int(found.amount_recovered_yuan * 100) == cents


def _busiest_year(ws: Workspace, today: date) -> int:
    """The year whose rounds hold the most 底稿 (the demo's rounds are dated relative to today)."""
    with ws.engine.connect() as conn:
        years = {int(y) for (y,) in conn.execute(text(f"SELECT DISTINCT year FROM {T['round']}"))}
    return max(sorted(years), key=lambda y: summary(ws, Scope(year=y), today).issues_found)


def run(root: Path, scale: float) -> None:
    records = max(int(100_000 * scale), 400)
    today = date.today()
    office = Workspace.create(root / "巡察办.xcdb", PASSPHRASE, office=True, kdf=KdfParams.cheap())
    with stopwatch() as t:
        build_office_demo(office, seed=1, records=records, today=today)
    note(f"statistics: office demo of {records} records written in {t[0]:.1f} s")
    year = _busiest_year(office, today)
    scope = Scope(year=year)
    found = summary(office, scope, today)
    plain = plain_counts(office, year, today)
    agrees = _agrees(found, plain)
    note(f"year {year}: {found.issues_found} issues, {found.interviews} talks; plain SQL agrees: {agrees}")
    plain_s, _ = best_of(5, lambda: plain_counts(office, year, today))
    summary_s, _ = best_of(5, lambda: summary(office, scope, today))

    def everything() -> int:
        _, tables = all_breakdowns(office, scope, today)
        return sum(len(rows) for rows in tables.values())

    all_s, _ = best_of(3, everything)
    note(f"plain SQL of the summary figures {plain_s * 1000:.1f} ms, summary {summary_s * 1000:.1f} ms")
    line(
        "statistics_year_summary_vs_plain_sql_lower_better", summary_s * 1000, "ms", summary_s / plain_s, "3"
    )
    line("statistics_year_summary_and_breakdowns_latency_lower_better", all_s, "s", all_s / 1.0, "1")
    office.close()
