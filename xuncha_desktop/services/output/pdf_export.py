"""Printed PDFs: 底稿, 谈话记录, 线索登记表, 移交清单, 画像, 鉴定表, and the 底稿汇编 of a unit."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any, BinaryIO, Protocol

from reportlab.platypus import Flowable

from xuncha_desktop.domain.errors import RecordNotFound, XunchaError
from xuncha_desktop.domain.interview_records import InterviewRecord
from xuncha_desktop.domain.issue_drafts import IssueDraft
from xuncha_desktop.domain.lead_registrations import LeadRegistration
from xuncha_desktop.domain.organization import Attachment, RecordLink, TargetUnit
from xuncha_desktop.domain.personnel_evaluations import MemberAppraisal
from xuncha_desktop.domain.record_types import (
    APPRAISAL,
    ATTACHMENT,
    DRAFT,
    EVALUATION,
    INTERVIEW,
    LEAD,
    LINK,
    PETITION,
    TARGET,
    record_type,
)
from xuncha_desktop.domain.states import DraftState
from xuncha_desktop.services.output.output_files import OutputAudit, atomic_output
from xuncha_desktop.services.output.pdf_fonts import FontSet, Typesetter, load_fonts
from xuncha_desktop.services.output.pdf_forms import (
    appraisal_story,
    evaluation_story,
    lead_story,
    transfer_story,
)
from xuncha_desktop.services.output.pdf_layout import DEFAULT_FOOTER_MARK, OfficialDocument, make_styles
from xuncha_desktop.services.output.pdf_petition import TITLE as PETITION_TITLE
from xuncha_desktop.services.output.pdf_petition import petition_story
from xuncha_desktop.services.output.pdf_stories import (
    EvidenceRow,
    Kit,
    batch_front,
    draft_story,
    interview_story,
)
from xuncha_desktop.services.progress import NullProgress, Progress
from xuncha_desktop.services.records.attachments import AttachmentService
from xuncha_desktop.services.records.context_names import load_context_names
from xuncha_desktop.services.records.links import LinkService
from xuncha_desktop.services.records.record_service import ListQuery, RecordService
from xuncha_desktop.services.statistics import Workload, member_workload
from xuncha_desktop.services.workspace import Workspace

# Where a PDF goes: a file (written beside it, then moved into place) or a stream (kept in memory).
Output = Path | BinaryIO
PAGE_SIZE = 2000
SIGNED = DraftState.SIGNED


@dataclass(frozen=True)
class MissingChar:
    """A character no installed font has: printed as □, kept in the text layer, and named here."""

    char: str
    records: tuple[str, ...]

    @property
    def code(self) -> str:
        return f"U+{ord(self.char):04X}"


@dataclass(frozen=True)
class PdfResult:
    path: Path
    pages: int
    records: int
    missing: tuple[MissingChar, ...]
    fonts: tuple[str, ...]


class PdfWriter(Protocol):
    def __call__(
        self,
        ws: Workspace,
        ids: Sequence[str],
        target: Output,
        fonts: FontSet,
        progress: Progress,
        *,
        hide_reporter: bool = False,
        footer_mark: str = DEFAULT_FOOTER_MARK,
    ) -> PdfResult: ...


StoryMaker = Callable[[Kit], list[Flowable]]


def _render(
    ws: Workspace,
    target: Output,
    fonts: FontSet,
    progress: Progress,
    *,
    kind: str,
    title: str,
    total: int,
    make_story: StoryMaker,
    hide_reporter: bool,
    footer_mark: str,
    front_matter: bool = False,
    records: int | None = None,
) -> PdfResult:
    """Builds the story (checks cancel per record), lays it out (reports per record), writes atomically. A
    file is audited as a print of `kind` and of `records` records (default: those laid out); a stream (the
    preview) is audited when it is printed or saved."""
    ts = Typesetter(fonts)
    kit = Kit(ts, make_styles(fonts), load_context_names(ws), hide_reporter)

    def on_record(done: int, outline: str) -> None:
        progress.check_cancelled()
        # Not the outline: it holds the record's title, and the command line prints progress to stderr.
        progress.report(done, total, f"正在排版第 {done} 份记录")

    def build(out: str | BinaryIO) -> tuple[OfficialDocument, int]:
        story = make_story(kit)
        doc = OfficialDocument(
            out,
            title=title,
            footer_mark=footer_mark,
            typesetter=ts,
            on_record=on_record,
            front_matter=front_matter,
        )
        return doc, doc.build_story(story)

    if isinstance(target, str | Path):
        audit = OutputAudit(ws, "print", kind)
        with atomic_output(Path(target), audit) as part, open(part, "wb") as stream:
            doc, pages = build(stream)  # our own stream: closed even when a write fails (a full disk)
            audit.records = doc.record_count if records is None else records
    else:  # a stream (print preview): the decrypted PDF never touches the disk
        doc, pages = build(target)
    progress.report(total, total, "")
    missing = tuple(MissingChar(c, tuple(r)) for c, r in ts.missing.items())
    where = Path(target) if isinstance(target, str | Path) else Path()
    return PdfResult(where, pages, doc.record_count, missing, tuple(fonts.describe()))


def _load(ws: Workspace, key: str, ids: Sequence[str], progress: Progress) -> list[Any]:
    if not ids:
        raise XunchaError("没有要打印的记录")
    service: RecordService[Any] = RecordService(ws, record_type(key))
    records = []
    for record_id in ids:
        progress.check_cancelled()
        record = service.get(record_id)
        if record.meta is not None and record.meta.deleted:
            raise RecordNotFound(f"{service.rt.label}“{record.number}”在回收站中，不能打印")
        records.append(record)
    return records


def record_ids(ws: Workspace, kind: str, filters: dict[str, Any] | None = None) -> list[str]:
    """Ids of every live record of a kind, in number order, read in pages (the CLI's --all)."""
    service: RecordService[Any] = RecordService(ws, record_type(kind))
    return [r.id for r in service.iterate(ListQuery(filters=filters or {}), batch=PAGE_SIZE)]


# -- one writer per record type ------------------------------------------------------------------------------


_FILE_SUFFIX = re.compile(r"\.[A-Za-z][A-Za-z0-9]{0,4}$")


def material_name(name: str) -> str:
    """The material an evidence row names: an attached file's name without its extension
    (县妇幼保健院支出审批单扫描件, not …扫描件.png); other names as written."""
    stem = _FILE_SUFFIX.sub("", name.strip())
    return stem if stem.strip() else name


class _Evidence:
    """Evidence rows of drafts: each draft's own list, then linked interviews and attached files it does not
    name yet. Links and attachments of all drafts are read in two queries rather than two per draft."""

    def __init__(self, ws: Workspace) -> None:
        self._ws = ws
        links = RecordService[RecordLink](ws, LINK).list(
            ListQuery(filters={"from_type": "interview", "to_type": "draft"}, order_by="from_id", limit=None)
        )
        self._interviews: dict[str, list[str]] = defaultdict(list)
        for link in links:
            self._interviews[link.to_id].append(link.from_id)
        files = RecordService[Attachment](ws, ATTACHMENT).list(
            ListQuery(filters={"record_type": "draft"}, order_by="file_name", limit=None)
        )
        self._files: dict[str, list[Attachment]] = defaultdict(list)
        for file in files:
            self._files[file.record_id].append(file)

    def rows(self, d: IssueDraft) -> list[EvidenceRow]:
        rows = [
            EvidenceRow(
                material_name(str(e.get("name", ""))),
                str(e.get("source", "")),
                str(e.get("pages") or ""),
                str(e.get("evidence_no", "")),
            )
            for e in d.evidence
        ]
        named_interviews = {e.get("interview_id") for e in d.evidence}
        named_files = {e.get("attachment_sha256") for e in d.evidence}
        talks = RecordService[InterviewRecord](self._ws, INTERVIEW)
        for interview_id in self._interviews.get(d.id, []):
            if interview_id not in named_interviews:
                rows.append(EvidenceRow(f"个别谈话记录 {talks.get(interview_id).number}", "个别谈话"))
        for file in self._files.get(d.id, []):
            if file.sha256 not in named_files:
                rows.append(EvidenceRow(material_name(file.file_name), file.note or "附件"))
        return rows


Part = Callable[[Kit, Any, str, bool], list[Flowable]]


def _per_record(
    ws: Workspace, key: str, ids: Sequence[str], progress: Progress, part: Part
) -> Callable[[Kit], list[Flowable]]:
    """A story of one part per record, in the order asked for; `part(kit, record, anchor, first)`."""

    def story(kit: Kit) -> list[Flowable]:
        out: list[Flowable] = []
        for i, record in enumerate(_load(ws, key, ids, progress)):
            out += part(kit, record, f"r{i}", i == 0)
        return out

    return story


def _write_each(
    ws: Workspace,
    key: str,
    ids: Sequence[str],
    target: Output,
    fonts: FontSet,
    progress: Progress,
    *,
    title: str,
    part: Part,
    hide_reporter: bool,
    footer_mark: str,
) -> PdfResult:
    """The common shape of the per-record writers: one `part` per record, rendered as one document."""
    return _render(
        ws,
        target,
        fonts,
        progress,
        kind=key,
        title=title,
        total=len(ids),
        make_story=_per_record(ws, key, ids, progress, part),
        hide_reporter=hide_reporter,
        footer_mark=footer_mark,
    )


def write_drafts(
    ws: Workspace,
    ids: Sequence[str],
    target: Output,
    fonts: FontSet,
    progress: Progress,
    *,
    hide_reporter: bool = False,
    footer_mark: str = DEFAULT_FOOTER_MARK,
) -> PdfResult:
    """问题底稿, one issue per paper, each starting on a new page."""
    evidence = _Evidence(ws)
    return _write_each(
        ws,
        DRAFT.key,
        ids,
        target,
        fonts,
        progress,
        title="问题底稿",
        part=lambda kit, d, a, first: draft_story(kit, d, a, evidence.rows(d), first=first),
        hide_reporter=hide_reporter,
        footer_mark=footer_mark,
    )


def write_interviews(
    ws: Workspace,
    ids: Sequence[str],
    target: Output,
    fonts: FontSet,
    progress: Progress,
    *,
    hide_reporter: bool = False,
    footer_mark: str = DEFAULT_FOOTER_MARK,
) -> PdfResult:
    """个别谈话记录, 共 N 页 第 n 页 counted per record; hide_reporter also hides the contact."""
    return _write_each(
        ws,
        INTERVIEW.key,
        ids,
        target,
        fonts,
        progress,
        title="个别谈话记录",
        part=lambda kit, r, a, first: interview_story(kit, r, a, first=first),
        hide_reporter=hide_reporter,
        footer_mark=footer_mark,
    )


def write_leads(
    ws: Workspace,
    ids: Sequence[str],
    target: Output,
    fonts: FontSet,
    progress: Progress,
    *,
    hide_reporter: bool = False,
    footer_mark: str = DEFAULT_FOOTER_MARK,
    today: date | None = None,
) -> PdfResult:
    """问题线索登记表; the reporter arrives masked for a reader who may not see it (RecordService)."""
    day = today or date.today()
    return _write_each(
        ws,
        LEAD.key,
        ids,
        target,
        fonts,
        progress,
        title="问题线索登记表",
        part=lambda kit, r, a, first: lead_story(kit, r, a, first=first, today=day),
        hide_reporter=hide_reporter,
        footer_mark=footer_mark,
    )


def write_transfer_list(
    ws: Workspace,
    ids: Sequence[str],
    target: Output,
    fonts: FontSet,
    progress: Progress,
    *,
    hide_reporter: bool = False,
    footer_mark: str = DEFAULT_FOOTER_MARK,
) -> PdfResult:
    """移交清单 of leads handed over together, with the interview records and files that go along."""
    links, attachments = LinkService(ws), AttachmentService(ws)

    def story(kit: Kit) -> list[Flowable]:
        leads: list[LeadRegistration] = _load(ws, LEAD.key, ids, progress)
        materials = {}
        for lead in leads:
            items = [
                f"谈话记录 {x.number}" for x in links.linked("lead", lead.id) if x.record_type == "interview"
            ]
            items += [f.file_name for f in attachments.of_record("lead", lead.id)]
            materials[lead.id] = "\n".join(items)
        return transfer_story(kit, leads, materials)

    return _render(
        ws,
        target,
        fonts,
        progress,
        kind="transfer",
        title="问题线索移交清单",
        total=1,
        records=len(ids),
        make_story=story,
        hide_reporter=hide_reporter,
        footer_mark=footer_mark,
    )


def write_evaluations(
    ws: Workspace,
    ids: Sequence[str],
    target: Output,
    fonts: FontSet,
    progress: Progress,
    *,
    hide_reporter: bool = False,
    footer_mark: str = DEFAULT_FOOTER_MARK,
) -> PdfResult:
    """干部政治画像 with the 民主测评 tallies and their rates."""
    return _write_each(
        ws,
        EVALUATION.key,
        ids,
        target,
        fonts,
        progress,
        title="干部政治画像",
        part=lambda kit, r, a, first: evaluation_story(kit, r, a, first=first),
        hide_reporter=hide_reporter,
        footer_mark=footer_mark,
    )


def workload(ws: Workspace, a: MemberAppraisal) -> Workload:
    """The member's counts in their round and group, by the same rule as the 鉴定 form on screen."""
    return member_workload(ws, a.name, a.round_id, a.group_id)


def write_appraisals(
    ws: Workspace,
    ids: Sequence[str],
    target: Output,
    fonts: FontSet,
    progress: Progress,
    *,
    hide_reporter: bool = False,
    footer_mark: str = DEFAULT_FOOTER_MARK,
) -> PdfResult:
    """巡察干部鉴定表, with the workload counted from the group's records."""
    return _write_each(
        ws,
        APPRAISAL.key,
        ids,
        target,
        fonts,
        progress,
        title="巡察干部鉴定表",
        part=lambda kit, r, a, first: appraisal_story(kit, r, a, workload(ws, r), first=first),
        hide_reporter=hide_reporter,
        footer_mark=footer_mark,
    )


def signed_drafts(ws: Workspace, target_id: str) -> list[IssueDraft]:
    service = RecordService[IssueDraft](ws, DRAFT)
    return service.list(
        ListQuery(filters={"target_id": target_id, "status": SIGNED}, order_by="number", limit=None)
    )


def write_draft_batch(
    ws: Workspace,
    target_id: str,
    target: Output,
    fonts: FontSet,
    progress: Progress,
    *,
    footer_mark: str = DEFAULT_FOOTER_MARK,
    printed_on: date | None = None,
) -> PdfResult:
    """底稿汇编: every 已审签 draft of one inspected unit, after a cover and a table of contents."""
    unit = RecordService[TargetUnit](ws, TARGET).get(target_id)
    drafts = signed_drafts(ws, target_id)
    if not drafts:
        raise XunchaError(f"“{unit.name}”还没有已审签的问题底稿")
    keys = [f"r{i}" for i in range(len(drafts))]

    def story(kit: Kit) -> list[Flowable]:
        evidence = _Evidence(ws)
        marking = "工作秘密" if all(d.marking == "工作秘密" for d in drafts) else drafts[0].marking
        out = batch_front(kit, unit, drafts, keys, marking, printed_on or date.today())
        for i, d in enumerate(drafts):
            progress.check_cancelled()
            out += draft_story(kit, d, keys[i], evidence.rows(d), first=i == 0)
        return out

    return _render(
        ws,
        target,
        fonts,
        progress,
        kind="batch",
        title=f"{unit.name}问题底稿汇编",
        total=len(drafts),
        make_story=story,
        hide_reporter=False,
        footer_mark=footer_mark,
        front_matter=True,
    )


def write_petitions(
    ws: Workspace,
    ids: Sequence[str],
    target: Output,
    fonts: FontSet,
    progress: Progress,
    *,
    hide_reporter: bool = False,
    footer_mark: str = DEFAULT_FOOTER_MARK,
) -> PdfResult:
    """信访件登记表, one petition per page; the reporter arrives masked as for leads (RecordService)."""
    return _write_each(
        ws,
        PETITION.key,
        ids,
        target,
        fonts,
        progress,
        title=PETITION_TITLE,
        part=lambda kit, p, a, first: petition_story(kit, p, a, first=first),
        hide_reporter=hide_reporter,
        footer_mark=footer_mark,
    )


PDF_WRITERS: dict[str, PdfWriter] = {
    "interview": write_interviews,
    "draft": write_drafts,
    "lead": write_leads,
    "evaluation": write_evaluations,
    "appraisal": write_appraisals,
    "petition": write_petitions,
}
PDF_KINDS = tuple(PDF_WRITERS)  # the record types `print` accepts: those with a PDF writer


def print_records(
    ws: Workspace,
    kind: str,
    target: Path,
    *,
    record_id: str | None = None,
    fonts: FontSet | None = None,
    progress: Progress | None = None,
    hide_reporter: bool = False,
    footer_mark: str = DEFAULT_FOOTER_MARK,
) -> PdfResult:
    """`print --kind K (--id ID | --all) --out FILE`: one record, or every live record of the kind."""
    if kind not in PDF_WRITERS:
        raise XunchaError(f"不支持打印“{kind}”，可选：{'、'.join(PDF_KINDS)}")
    ids = [record_id] if record_id else record_ids(ws, kind)
    return PDF_WRITERS[kind](
        ws,
        ids,
        Path(target),
        fonts or load_fonts(),
        progress or NullProgress(),
        hide_reporter=hide_reporter,
        footer_mark=footer_mark,
    )
