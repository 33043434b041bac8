"""整改情况 of a unit, printed in the official layout of the other papers (GB/T 9704 page, marks, page
numbers): its feedback, the dates it owes, and each issue handed over with its task, measures, 时限, state,
验收 and 销号 and its 督导 history. Also the entry point of `print --kind rectification[-evaluation]`."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from datetime import date
from pathlib import Path

from reportlab.platypus import CondPageBreak, Flowable, KeepTogether, Spacer

from xuncha_desktop.domain.errors import XunchaError
from xuncha_desktop.domain.rectification import TASK_STATES, RectificationTask, is_overdue
from xuncha_desktop.services.output.pdf_export import Output, PdfResult, _render
from xuncha_desktop.services.output.pdf_fonts import FontSet, load_fonts
from xuncha_desktop.services.output.pdf_layout import (
    DEFAULT_FOOTER_MARK,
    LINE_PITCH,
    TYPE_WIDTH,
    cn_date,
    money,
)
from xuncha_desktop.services.output.pdf_rectification_evaluation import sub_heading, write_evaluation
from xuncha_desktop.services.output.pdf_stories import Kit, start_record
from xuncha_desktop.services.output.pdf_tables import label, value
from xuncha_desktop.services.output.rectification_data import (
    TaskReport,
    UnitReport,
    category_text,
    chosen_feedbacks,
    unit_report,
)
from xuncha_desktop.services.progress import NullProgress, Progress
from xuncha_desktop.services.records.context_names import load_context_names
from xuncha_desktop.services.rectification.tasks import UnitDeadline
from xuncha_desktop.services.workspace import Workspace

# `print --kind …` of these (cli.output_commands writes them out, a test compares them)
RECTIFICATION_PDF_KINDS = ("rectification", "rectification-evaluation")
TITLES = {"rectification": "巡察整改情况", "rectification-evaluation": "整改质效评估结果"}


def _summary(tasks: Sequence[TaskReport], today: date) -> str:
    states = Counter(r.task.status for r in tasks)
    parts = "，".join(f"{s} {states[s]} 个" for s in TASK_STATES if states[s])
    overdue = sum(is_overdue(r.task, today) for r in tasks)
    accepted = sum(r.task.accepted_on is not None for r in tasks)
    closed = sum(r.task.closed_on is not None for r in tasks)
    text = f"共 {len(tasks)} 个" + (f"：{parts}" if parts else "")
    return f"{text}；逾期 {overdue} 个；已验收 {accepted} 个，已销号 {closed} 个"


def _feedback_grid(kit: Kit, report: UnitReport, today: date) -> Flowable:
    f = report.feedback
    w = TYPE_WIDTH
    g = kit.grid([w * 0.16, w * 0.34, w * 0.16, w * 0.34])
    g.row(label("反馈编号"), value(f.number), label("反馈日期"), value(cn_date(f.given_on)))
    g.row(label("巡察轮次"), value(report.round_name), label("巡察组"), value(report.group_name))
    g.row(label("被巡察单位"), value(report.unit_name, cols=3))
    g.row(label("反馈方式"), value(f.form), label("反馈人"), value(f.given_by))
    g.row(label("参加人员"), value(f.attendees, cols=3))
    g.row(label("反馈问题"), value(_summary(report.tasks, today), cols=3))
    if f.note:
        g.row(label("备注"), value(f.note, cols=3))
    return g.table()


def deadline_state(d: UnitDeadline) -> str:
    """How a date the unit owes stands: done (on time or late), late by n days, or n days left."""
    if d.done_on is not None:
        late = d.due_on is not None and d.done_on > d.due_on
        return f"已完成（逾期 {(d.done_on - d.due_on).days} 天）" if late and d.due_on else "已按期完成"
    if d.due_on is None:
        return "未设期限"
    if d.overdue and d.days_left is not None:
        return f"已逾期 {-d.days_left} 天"
    return f"剩余 {d.days_left} 天" if d.days_left else "今日到期"


def _deadline_table(kit: Kit, dues: Sequence[UnitDeadline]) -> Flowable:
    w = TYPE_WIDTH
    g = kit.grid([w * 0.28, w * 0.22, w * 0.22, w * 0.28], compact=True)
    g.row(label("事项"), label("应完成日期"), label("完成日期"), label("情况"))
    for d in dues:
        g.row(
            value(d.what),
            value(cn_date(d.due_on), align="center"),
            value(cn_date(d.done_on), align="center"),
            value(deadline_state(d), align="center"),
        )
    if not dues:
        g.row(value("（无）", cols=4, align="center"))
    return g.table(repeat_rows=1)


def _state(t: RectificationTask, today: date) -> str:
    return f"{t.status}（已逾期）" if is_overdue(t, today) else t.status


def _task_grid(kit: Kit, t: RectificationTask, today: date) -> tuple[Flowable, list[Flowable]]:
    """The task's first block (to keep with its heading) and the others, each moved whole to the next page
    when it does not fit; the free text has blocks without spans (reportlab splits spans badly)."""
    w = TYPE_WIDTH
    four = [w * 0.16, w * 0.34, w * 0.16, w * 0.34]
    g = kit.grid(four)
    g.row(label("任务编号"), value(t.number), label("问题类别"), value(category_text(t.category)))
    g.row(label("责任单位"), value(t.responsible_unit), label("责任人"), value(t.responsible_person))
    g.row(label("整改时限"), value(cn_date(t.due_on)), label("整改状态"), value(_state(t, today)))
    first = g.table(box=False)
    g.widths = [w * 0.16, w * 0.84]
    g.row(label("整改目标"), value(t.goal or "—"))
    g.row(label("整改措施"), value(t.measures or "—"))
    g.section(widths=four)
    g.row(label("完成日期"), value(cn_date(t.completed_on)), label("建章立制"), value(f"{t.institutions} 项"))
    g.row(
        label("问责"),
        value(f"{t.accountability} 人次"),
        label("挽回损失"),
        value(money(t.amount_recovered_yuan)),
    )
    g.row(label("验收人"), value(t.accepted_by), label("验收日期"), value(cn_date(t.accepted_on)))
    g.section(widths=[w * 0.16, w * 0.84])
    g.row(label("验收意见"), value(t.acceptance_opinion))
    g.section(widths=four)
    closed = "已销号" if t.closed_on is not None else "未销号"
    g.row(label("销号"), value(closed), label("销号日期"), value(cn_date(t.closed_on)))
    if t.closed_by:
        g.row(label("销号人"), value(t.closed_by, cols=3))
    return first, g.sections()


def _notes_table(kit: Kit, r: TaskReport) -> Flowable:
    w = TYPE_WIDTH
    g = kit.grid([w * 0.08, w * 0.22, w * 0.12, w * 0.40, w * 0.18], compact=True)
    g.row(label("督导记录", cols=5))
    g.row(label("序号"), label("督导日期"), label("督导人"), label("整改进展"), label("当时状态"))
    for i, n in enumerate(r.notes, start=1):
        g.row(
            value(str(i), align="center"),
            value(cn_date(n.noted_on), align="center"),
            value(n.noted_by, align="center"),
            value(n.progress),
            value(n.status_then, align="center"),
        )
    if not r.notes:
        g.row(value("（暂无督导记录）", cols=5, align="center"))
    return g.table(repeat_rows=2)


def unit_story(kit: Kit, report: UnitReport, key: str, today: date, *, first: bool) -> list[Flowable]:
    f = report.feedback
    title = f"{report.unit_name}巡察整改情况"
    story = start_record(kit, key, title, f.marking, title, first=first)
    story.append(kit.p(f"（{report.round_name}　{report.group_name}）", kit.st.subtitle))
    story += [kit.heading("反馈情况"), _feedback_grid(kit, report, today), Spacer(1, 8)]
    story += [CondPageBreak(5 * LINE_PITCH), kit.heading("整改时限")]
    story += [_deadline_table(kit, report.deadlines), Spacer(1, 8)]
    heading = [kit.heading("问题整改情况")]  # kept with the first task's head
    if not report.tasks:
        story += [*heading, kit.p("（本次反馈尚无整改任务）", kit.st.body)]
    for i, r in enumerate(report.tasks, start=1):
        first, blocks = _task_grid(kit, r.task, today)
        head = [*heading, sub_heading(kit, i, r.task.issue), first]
        story += [CondPageBreak(6 * LINE_PITCH), KeepTogether(head), *blocks]
        heading = []
        story += [Spacer(1, 6), _notes_table(kit, r), Spacer(1, 10)]
    printed = kit.p(f"打印日期：{cn_date(today)}", kit.st.cell_right)
    story += [Spacer(1, LINE_PITCH / 2), printed]
    return story


def write_unit_reports(
    ws: Workspace,
    feedback_ids: Sequence[str],
    target: Output,
    fonts: FontSet,
    progress: Progress,
    *,
    today: date | None = None,
    footer_mark: str = DEFAULT_FOOTER_MARK,
) -> PdfResult:
    """整改情况, one unit (feedback) after another, each starting on a new page; audited as a print of
    kind "rectification" of as many records as units."""
    day = today or date.today()
    if not feedback_ids:
        raise XunchaError("没有要打印的整改情况")

    def story(kit: Kit) -> list[Flowable]:
        names = load_context_names(ws)
        out: list[Flowable] = []
        for i, feedback in enumerate(chosen_feedbacks(ws, feedback_id=fid)[0] for fid in feedback_ids):
            progress.check_cancelled()
            out += unit_story(kit, unit_report(ws, feedback, day, names), f"r{i}", day, first=i == 0)
        return out

    return _render(
        ws,
        target,
        fonts,
        progress,
        kind="rectification",
        title=TITLES["rectification"],
        total=len(feedback_ids),
        make_story=story,
        hide_reporter=False,
        footer_mark=footer_mark,
    )


def print_rectification(
    ws: Workspace,
    kind: str,
    target: Path,
    *,
    feedback_id: str = "",
    target_id: str = "",
    round_id: str = "",
    fonts: FontSet | None = None,
    progress: Progress | None = None,
    today: date | None = None,
    footer_mark: str = DEFAULT_FOOTER_MARK,
) -> PdfResult:
    """`print --kind rectification (--id FEEDBACK | --unit U | --all) [--round R]` and `print --kind
    rectification-evaluation --round R`."""
    if kind not in RECTIFICATION_PDF_KINDS:
        raise XunchaError(f"不支持打印“{kind}”，可选：{'、'.join(RECTIFICATION_PDF_KINDS)}")
    fonts, progress = fonts or load_fonts(), progress or NullProgress()
    if kind == "rectification-evaluation":
        if not round_id:
            raise XunchaError("打印整改质效评估结果须指定巡察轮次（--round）")
        return write_evaluation(
            ws, round_id, Path(target), fonts, progress, today=today, footer_mark=footer_mark
        )
    chosen = chosen_feedbacks(ws, feedback_id=feedback_id, target_id=target_id, round_id=round_id)
    ids = [f.id for f in chosen]
    return write_unit_reports(ws, ids, Path(target), fonts, progress, today=today, footer_mark=footer_mark)
