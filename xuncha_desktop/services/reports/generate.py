"""The use case behind `report` and 生成报告初稿: build the report of a kind from the workspace, write it as
.docx or PDF (by the file's suffix) atomically with its audit entry, or one per unit of a round into a
folder. Progress is reported and cancel checked between the steps (and between the units)."""

from __future__ import annotations

import io
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from xuncha_desktop.domain.errors import XunchaError
from xuncha_desktop.domain.record_types import DRAFT, LEAD
from xuncha_desktop.services.output.output_files import OutputAudit, atomic_output
from xuncha_desktop.services.output.pdf_fonts import FontSet, load_fonts
from xuncha_desktop.services.progress import NullProgress, Progress
from xuncha_desktop.services.records.context_names import ContextNames, load_context_names
from xuncha_desktop.services.records.links import LinkService
from xuncha_desktop.services.reports import builders, sources
from xuncha_desktop.services.reports.docx_writer import template_path, write_docx
from xuncha_desktop.services.reports.model import Report
from xuncha_desktop.services.reports.pdf_writer import write_pdf
from xuncha_desktop.services.security.audit_events import REPORT_TITLES
from xuncha_desktop.services.workspace import Workspace

REPORT_KINDS = tuple(REPORT_TITLES)  # inspection, top-leader, feedback, approval
UNIT_KINDS = ("inspection", "top-leader", "feedback")  # of a unit (--unit); approval is of one draft (--id)
FORMATS = (".docx", ".pdf")
AUDIT_ACTION = "report"
_UNSAFE_NAME = re.compile(r'[\\/:*?"<>|\s]+')


@dataclass(frozen=True)
class ReportResult:
    path: Path
    kind: str
    records: int  # the records the report rests on (its audit entry's count)
    pages: int = 0  # PDF only: Word counts its own pages
    fonts: tuple[str, ...] = ()  # PDF only: which faces were used
    template: Path | None = None  # .docx only: the template used


@dataclass(frozen=True)
class BatchResult:
    written: tuple[ReportResult, ...]
    skipped: tuple[tuple[str, str], ...] = field(default=())  # (unit name, why): e.g. no 一把手 画像


def report_format(target: Path) -> str:
    suffix = Path(target).suffix.lower()
    if suffix not in FORMATS:
        raise XunchaError(f"报告文件“{Path(target).name}”的扩展名应为 .docx 或 .pdf")
    return suffix


def build_report(
    ws: Workspace,
    kind: str,
    *,
    target_id: str = "",
    draft_id: str = "",
    today: date | None = None,
    names: ContextNames | None = None,
    progress: Progress | None = None,
) -> Report:
    """The content of report `kind`: of unit `target_id`, or (approval) of draft `draft_id`."""
    day = today or date.today()
    names = names or load_context_names(ws)
    if kind == "approval":
        if not draft_id:
            raise XunchaError("生成底稿审批单须指定问题底稿（--id）")
        d = sources.draft_for_approval(ws, draft_id)
        return builders.build_approval(
            d, names.target(d.target_id), names.round(d.round_id) + names.group(d.group_id)
        )
    if kind not in UNIT_KINDS:
        raise XunchaError(f"未知的报告类型“{kind}”")
    if not target_id:
        raise XunchaError(f"生成{REPORT_TITLES[kind]}须指定被巡察单位（--unit）")
    r = sources.unit_records(ws, target_id, names, progress)
    if kind == "inspection":
        return builders.build_inspection(r, day)
    if kind == "top-leader":
        links = LinkService(ws)
        linked = {
            x.record_id
            for lead in builders.leads_on(r, builders.top_leader(r))
            for x in links.linked(LEAD.key, lead.id)
            if x.record_type == DRAFT.key
        }
        return builders.build_top_leader(r, day, linked)
    handed = sources.drafts_by_id(ws, list(r.feedback.draft_ids)) if r.feedback is not None else None
    return builders.build_feedback(r, day, handed)


def write_report(
    ws: Workspace, report: Report, target: Path, *, fonts: FontSet | None = None
) -> ReportResult:
    """`report` as .docx or PDF at `target`, atomically, audited as a report of its kind (file name only)."""
    target = Path(target)
    suffix = report_format(target)
    audit = OutputAudit(ws, AUDIT_ACTION, report.kind, report.records)
    if suffix == ".docx":
        template = template_path(report.kind, ws.path.parent)
        # Made in memory, then written: a zip whose file fills the disk half-way cannot be closed cleanly.
        document = io.BytesIO()
        write_docx(report, document, template)
        with atomic_output(target, audit) as part, open(part, "wb") as stream:
            stream.write(document.getbuffer())
        return ReportResult(target, report.kind, report.records, template=template)
    chosen = fonts or load_fonts()
    with atomic_output(target, audit) as part, open(part, "wb") as stream:
        pages, _ts = write_pdf(report, stream, chosen)
    return ReportResult(target, report.kind, report.records, pages, tuple(chosen.describe()))


def generate(
    ws: Workspace,
    kind: str,
    target: Path,
    *,
    target_id: str = "",
    draft_id: str = "",
    today: date | None = None,
    progress: Progress | None = None,
    fonts: FontSet | None = None,
) -> ReportResult:
    """`report --kind …`: build and write one report."""
    progress = progress or NullProgress()
    report_format(target)  # before reading anything: a wrong suffix is the user's to fix first
    progress.report(0, 2, "正在汇总记录")
    report = build_report(ws, kind, target_id=target_id, draft_id=draft_id, today=today, progress=progress)
    progress.check_cancelled()
    progress.report(1, 2, "正在写入文件")
    result = write_report(ws, report, target, fonts=fonts)
    progress.report(2, 2, "")
    return result


def file_name(unit: str, kind: str, suffix: str) -> str:
    """清河县财政局党组-巡察报告初稿.docx: no characters Windows forbids."""
    return _UNSAFE_NAME.sub("_", f"{unit}-{REPORT_TITLES[kind]}").strip("._") + suffix


def generate_for_units(
    ws: Workspace,
    kind: str,
    unit_ids: Sequence[str],
    folder: Path,
    suffix: str,
    *,
    today: date | None = None,
    progress: Progress | None = None,
) -> BatchResult:
    """One report per unit into `folder` (生成报告初稿 for a whole round). A unit that cannot have this
    report (no 一把手 画像) is skipped and named; cancel stops between units, keeping those written."""
    progress = progress or NullProgress()
    if kind not in UNIT_KINDS:
        raise XunchaError(f"{REPORT_TITLES.get(kind, kind)}不能按单位批量生成")
    if not folder.is_dir():
        raise XunchaError(f"文件夹“{folder}”不存在")
    names = load_context_names(ws)
    fonts = load_fonts() if suffix == ".pdf" else None
    written, skipped = [], []
    for done, unit_id in enumerate(unit_ids):
        progress.report(done, len(unit_ids), f"正在生成第 {done + 1} 份（共 {len(unit_ids)} 份）")
        progress.check_cancelled()
        unit = names.target(unit_id)
        try:
            report = build_report(ws, kind, target_id=unit_id, today=today, names=names, progress=progress)
        except XunchaError as exc:
            if kind != "top-leader":
                raise
            skipped.append((unit, str(exc)))
            continue
        written.append(write_report(ws, report, folder / file_name(unit, kind, suffix), fonts=fonts))
    progress.report(len(unit_ids), len(unit_ids), "")
    return BatchResult(tuple(written), tuple(skipped))
