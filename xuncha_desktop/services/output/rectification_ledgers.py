"""The rectification ledgers, in the conventions of the other 台账 (excel_export): 整改台账 (one row per
整改任务), 移交线索对账表 (per round and receiving organ) and the 整改质效评估 of a round (ranked units,
and how each score was reached)."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import date
from decimal import Decimal
from operator import attrgetter
from pathlib import Path
from typing import Any

from openpyxl import Workbook

from xuncha_desktop.domain import vocab
from xuncha_desktop.domain.errors import XunchaError
from xuncha_desktop.domain.record_types import TASK
from xuncha_desktop.domain.rectification import TASK_STATES, RectificationTask, SupervisionNote, is_overdue
from xuncha_desktop.services.output.excel_export import (
    DEFAULT_FOOTER_MARK,
    PAGE_SIZE,
    LedgerResult,
    Options,
    write_sheet,
    write_workbook,
)
from xuncha_desktop.services.output.ledger_columns import KEY, YES_NO, Column, grouped
from xuncha_desktop.services.output.rectification_data import (
    category_text,
    feedback_dates,
    iterate_tasks,
    latest_notes,
    note_text,
    score_value_text,
    task_count,
)
from xuncha_desktop.services.progress import NullProgress, Progress
from xuncha_desktop.services.records.context_names import ContextNames, load_context_names
from xuncha_desktop.services.rectification.evaluation import (
    EvaluationScheme,
    UnitEvaluation,
    evaluate_round,
    load_scheme,
)
from xuncha_desktop.services.rectification.reconciliation import ReconciliationLine, reconcile_round
from xuncha_desktop.services.rectification.tasks import TaskQuery
from xuncha_desktop.services.workspace import Workspace

# `ledger --kind …` of these (cli.output_commands writes them out, a test compares them)
RECTIFICATION_LEDGER_KINDS = ("rectification", "reconciliation", "rectification-evaluation")
RECTIFICATION_LEDGER_TITLES = {
    "rectification": "整改台账",
    "reconciliation": "移交线索对账表",
    "rectification-evaluation": "整改质效评估",
}
NEEDS_ROUND = ("rectification-evaluation",)  # kinds that are of one round only

# -- 整改台账 ----------------------------------------------------------------------------------------------


def _field(name: str, width: float, kind: str = "text", choices: tuple[str, ...] = (), **kw: Any) -> Column:
    """A column of one task field, headed by its declared (short) label."""
    value = kw.get("value") or attrgetter(name)
    return Column(kw.get("header") or TASK.header(name), value, width, kind, choices, name)


def task_columns(
    names: ContextNames,
    given_on: dict[str, date | None],
    notes: dict[str, SupervisionNote],
    today: date,
) -> list[Column]:
    """The 整改台账: where the task comes from, what is to be done by whom and when, how it ended."""

    def note(t: RectificationTask) -> SupervisionNote | None:
        return notes.get(t.id)

    return [
        *grouped(KEY, _field("number", 20, header="任务编号"), _field("issue", 30)),
        *grouped(
            "来源",
            Column("巡察轮次", lambda t: names.round(t.round_id), 16),
            Column("巡察组", lambda t: names.group(t.group_id), 12),
            Column("被巡察单位", lambda t: names.target(t.target_id), 22, field="target_id"),
            Column("反馈日期", lambda t: given_on.get(t.feedback_id), 12, "date"),
            _field("category", 24, value=lambda t: category_text(t.category)),
        ),
        *grouped(
            "整改",
            _field("responsible_unit", 20),
            _field("responsible_person", 10),
            _field("goal", 24),
            _field("measures", 40),
            _field("due_on", 12, "date"),
            _field("status", 14, choices=TASK_STATES),
            Column("是否逾期", lambda t: "是" if is_overdue(t, today) else "否", 9, "flag", YES_NO),
            _field("completed_on", 12, "date"),
        ),
        *grouped(
            "成效与销号",
            _field("institutions", 10, "count"),
            _field("accountability", 10, "count"),
            _field("amount_recovered_yuan", 16, "amount"),
            _field("accepted_by", 10),
            _field("accepted_on", 12, "date"),
            _field("acceptance_opinion", 24),
            _field("closed_on", 12, "date"),
            _field("closed_by", 10),
        ),
        *grouped(
            "督导",
            Column("最近督导日期", lambda t: (n := note(t)) and n.noted_on, 12, "date"),
            Column("最近督导情况", lambda t: note_text(note(t)), 36),
            _field("marking", 10, choices=vocab.MARKINGS),
        ),
    ]


class _TaskTotals:
    """Sums of the task rows as they stream past, for the 合计 row."""

    def __init__(self, columns: Sequence[Column], today: date) -> None:
        self._columns, self._today = columns, today
        self.tasks = self.overdue = self.institutions = self.accountability = 0
        self.amount = Decimal("0")

    def count(self, tasks: Iterable[RectificationTask]) -> Iterator[RectificationTask]:
        for t in tasks:
            self.tasks += 1
            self.overdue += is_overdue(t, self._today)
            self.institutions += t.institutions
            self.accountability += t.accountability
            self.amount += t.amount_recovered_yuan
            yield t

    def row(self) -> list[Any]:
        by_field = {
            "number": f"共 {self.tasks} 项",
            "institutions": self.institutions,
            "accountability": self.accountability,
            "amount_recovered_yuan": self.amount,
        }
        values: list[Any] = []
        for c in self._columns:
            values.append(f"逾期 {self.overdue} 项" if c.header == "是否逾期" else by_field.get(c.field))
        return values


def _reported(
    tasks: Iterable[RectificationTask], progress: Progress, total: int
) -> Iterator[RectificationTask]:
    done = 0
    for done, t in enumerate(tasks, start=1):
        yield t
        if done % PAGE_SIZE == 0:
            progress.check_cancelled()
            progress.report(done, total, f"已写入 {done} 行")
    progress.check_cancelled()
    progress.report(done, total, f"已写入 {done} 行")


def _task_sheet(
    ws: Workspace, round_id: str, today: date, progress: Progress, footer_mark: str
) -> Callable[[Workbook, Options], dict[str, int]]:
    def fill(wb: Workbook, options: Options) -> dict[str, int]:
        names = load_context_names(ws)
        columns = task_columns(names, feedback_dates(ws, round_id), latest_notes(ws, round_id), today)
        query = TaskQuery(round_id=round_id, today=today)
        totals = _TaskTotals(columns, today)
        tasks = _reported(totals.count(iterate_tasks(ws, query)), progress, task_count(ws, query))
        title = "整改台账"
        rows = write_sheet(wb, title, columns, tasks, options, footer_mark=footer_mark, totals=totals.row)
        return {title: rows}

    return fill


# -- 移交线索对账表 ------------------------------------------------------------------------------------------


def _item(index: int) -> Callable[[Sequence[Any]], Any]:
    return lambda row: row[index]


def _columns(spec: Sequence[tuple[str, float, str]], keys: int = 1) -> list[Column]:
    """Columns of row tuples; the first `keys` identify a row and repeat on every printed page."""
    return [
        Column(header, _item(i), width, kind, group=KEY if i < keys else "")
        for i, (header, width, kind) in enumerate(spec)
    ]


_RECONCILIATION = (
    ("巡察轮次", 18, "text"),
    ("接收机关", 12, "text"),
    ("移交线索（件）", 15, "count"),
    ("涉及人数", 10, "count"),
    ("已反馈（件）", 13, "count"),
    ("立案", 8, "count"),
    ("处分", 8, "count"),
    ("组织处理", 10, "count"),
    ("移送司法", 10, "count"),
    ("逾期未反馈（件）", 17, "count"),
    ("对账日期", 12, "date"),
)
_SUMMED = range(2, 10)  # the count columns of _RECONCILIATION


def reconciliation_rows(ws: Workspace, round_ids: Sequence[str], today: date) -> list[tuple[Any, ...]]:
    """One row per round and receiving organ, from services.rectification.reconcile_round."""
    names = load_context_names(ws)
    rows = []
    for round_id in round_ids:
        for line in reconcile_round(ws, round_id, today):
            rows.append((names.round(round_id), *_line_values(line)))
    return rows


def _line_values(line: ReconciliationLine) -> tuple[Any, ...]:
    return (
        line.organ,
        line.transferred,
        line.persons,
        line.feedback_received,
        line.cases_opened,
        line.sanctions,
        line.org_handlings,
        line.judicial,
        line.overdue,
        line.reconciled_on,
    )


def _rounds_with_order(ws: Workspace, round_id: str) -> list[str]:
    if round_id:
        return [round_id]
    rounds = load_context_names(ws).rounds.values()
    return [r.id for r in sorted(rounds, key=lambda r: (r.year, r.ordinal, r.name))]


def _reconciliation_sheet(
    ws: Workspace, round_id: str, today: date, footer_mark: str
) -> Callable[[Workbook, Options], dict[str, int]]:
    def fill(wb: Workbook, options: Options) -> dict[str, int]:
        rows = reconciliation_rows(ws, _rounds_with_order(ws, round_id), today)
        sums = [sum(r[i] for r in rows) if i in _SUMMED else None for i in range(len(_RECONCILIATION))]
        title = "移交线索对账表"
        count = write_sheet(
            wb, title, _columns(_RECONCILIATION), rows, options, footer_mark=footer_mark, totals=lambda: sums
        )
        return {title: count}

    return fill


# -- 整改质效评估 ------------------------------------------------------------------------------------------


_DETAILS = (
    ("名次", 8, "count"),
    ("被巡察单位", 26, "text"),
    ("评分项", 20, "text"),
    ("取值", 12, "text"),
    ("得分", 10, "rate"),
    ("计分说明", 60, "text"),
)


def _labels(ranked: Sequence[UnitEvaluation]) -> list[str]:
    """Every score line's label in the order of the scheme (a 最低分 line only some units have, last)."""
    return list(dict.fromkeys(line.label for u in ranked for line in u.lines))


def evaluation_rows(
    ranked: Sequence[UnitEvaluation], scheme: EvaluationScheme
) -> tuple[list[Column], list[tuple[Any, ...]], list[tuple[Any, ...]]]:
    """The 评估排名 columns and rows (a unit a row, the points of each line), and the 计分明细 rows."""
    labels = _labels(ranked)
    ranking = _columns(
        [("名次", 8, "count"), ("被巡察单位", 26, "text"), ("得分", 10, "rate")]
        + [(f"{label}（分）", max(10, 2 * len(label) + 6), "rate") for label in labels]
        + [("评估方案版本", 14, "text")],
        keys=2,
    )
    rows = [
        (u.rank, u.unit_name, u.score, *_points(u, labels), u.scheme_version or scheme.version)
        for u in ranked
    ]
    lines = [
        (u.rank, u.unit_name, line.label, score_value_text(line, scheme), line.points, line.explanation)
        for u in ranked
        for line in u.lines
    ]
    return ranking, rows, lines


def _evaluation_sheets(
    ws: Workspace, round_id: str, today: date, footer_mark: str
) -> Callable[[Workbook, Options], dict[str, int]]:
    def fill(wb: Workbook, options: Options) -> dict[str, int]:
        scheme = load_scheme(ws)
        ranked = evaluate_round(ws, round_id, today, scheme)
        if not ranked:
            raise XunchaError(f"轮次“{load_context_names(ws).round(round_id)}”还没有可评估的整改任务")
        ranking, rows, lines = evaluation_rows(ranked, scheme)
        return {
            "评估排名": write_sheet(wb, "评估排名", ranking, rows, options, footer_mark=footer_mark),
            "计分明细": write_sheet(
                wb, "计分明细", _columns(_DETAILS, keys=2), lines, options, footer_mark=footer_mark
            ),
        }

    return fill


def _points(u: UnitEvaluation, labels: Sequence[str]) -> list[Any]:
    by_label = {line.label: line.points for line in u.lines}
    return [by_label.get(label) for label in labels]


# -- entry point -------------------------------------------------------------------------------------------


def write_rectification_ledger(
    ws: Workspace,
    kind: str,
    target: Path,
    progress: Progress | None = None,
    *,
    round_id: str = "",
    today: date | None = None,
    footer_mark: str = DEFAULT_FOOTER_MARK,
) -> LedgerResult:
    """`ledger --kind rectification|reconciliation|rectification-evaluation [--round R] --out F.xlsx`:
    written atomically and audited (file name only) as the other ledgers; the evaluation needs a round."""
    if kind not in RECTIFICATION_LEDGER_KINDS:
        raise XunchaError(f"不支持导出“{kind}”台账，可选：{'、'.join(RECTIFICATION_LEDGER_KINDS)}")
    if kind in NEEDS_ROUND and not round_id:
        raise XunchaError(f"导出{RECTIFICATION_LEDGER_TITLES[kind]}须指定巡察轮次（--round）")
    day = today or date.today()
    if kind == "rectification":
        fill = _task_sheet(ws, round_id, day, progress or NullProgress(), footer_mark)
    elif kind == "reconciliation":
        fill = _reconciliation_sheet(ws, round_id, day, footer_mark)
    else:
        fill = _evaluation_sheets(ws, round_id, day, footer_mark)
    return write_workbook(ws, kind, Path(target), fill)
