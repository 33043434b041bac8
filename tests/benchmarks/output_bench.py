"""Output benchmarks: a 1,000-draft 底稿汇编 against plain reportlab paragraphs, and a 100,000-row ledger
against bare openpyxl write-only rows (time ratios, and peak memory measured in a subprocess)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

from xuncha_desktop.domain.issue_drafts import IssueDraft
from xuncha_desktop.domain.lead_registrations import LeadRegistration
from xuncha_desktop.domain.organization import InspectionGroup, InspectionRound, TargetUnit
from xuncha_desktop.domain.record_types import DRAFT, GROUP, LEAD, ROUND, TARGET
from xuncha_desktop.services.progress import NullProgress
from xuncha_desktop.services.records.record_service import ListQuery, RecordService
from xuncha_desktop.services.workspace import Workspace
from xuncha_desktop.storage.keyfile import KdfParams, keyfile_path

PASSPHRASE = "bench-output-passphrase"
PDF_GOAL, LEDGER_GOAL, LEDGER_MEMORY_MB = 0.5, 0.7, 150.0
_SEED_BATCH = 10_000
_FACT = (
    "{y}年{m}月至{y2}年{m2}月，该单位以加班补助、工作补贴等名义向在职人员发放津补贴共计{amount}万元，"
    "其中领导班子成员领取{part}万元。经调阅财务凭证、工资发放表和党组会议记录，相关支出未经集体研究，"
    "也未按规定报主管部门备案，违反了中央八项规定精神和县委有关规定。"
)


@dataclass(frozen=True)
class BenchResult:
    name: str  # says whether higher or lower is better
    value: float
    unit: str
    ratio: float
    goal: float
    higher_better: bool = True
    detail: dict[str, Any] = field(default_factory=dict)

    @property
    def passed(self) -> bool:
        return self.ratio >= self.goal if self.higher_better else self.ratio <= self.goal

    def line(self) -> str:
        """`NAME: VALUE UNIT ratio=R goal=G`, the benchmark command's line format."""
        return f"{self.name}: {self.value:.2f} {self.unit} ratio={self.ratio:.2f} goal={self.goal:g}"


def _workspace(path: Path) -> tuple[Workspace, InspectionRound, InspectionGroup, TargetUnit]:
    ws = Workspace.create(path, PASSPHRASE, kdf=KdfParams.cheap())
    rnd = RecordService[InspectionRound](ws, ROUND).save(
        InspectionRound(name="2025年第3轮巡察", year=2025, ordinal=3, start_on=date(2025, 3, 1))
    )
    grp = RecordService[InspectionGroup](ws, GROUP).save(
        InspectionGroup(round_id=rnd.id, ordinal=2, name="第2巡察组")
    )
    unit = RecordService[TargetUnit](ws, TARGET).save(
        TargetUnit(round_id=rnd.id, group_id=grp.id, name="清河县财政局党组", kind="县直部门")
    )
    return ws, rnd, grp, unit


def _fact(i: int) -> str:
    return _FACT.format(
        y=2022 + i % 3,
        m=1 + i % 12,
        y2=2023 + i % 3,
        m2=1 + (i * 7) % 12,
        amount=f"{(i % 90) + 3}.{i % 10}",
        part=f"{i % 9 + 1}.{i % 7}",
    )


def _seed(ws: Workspace, records: Iterator[Any], key: str) -> None:
    rt = DRAFT if key == "draft" else LEAD
    batch: list[Any] = []
    for record in records:
        batch.append(record)
        if len(batch) == _SEED_BATCH:
            with ws.writing() as writer:
                writer.write_new_many(rt, batch)
            batch = []
    if batch:
        with ws.writing() as writer:
            writer.write_new_many(rt, batch)


def _drafts(rnd: InspectionRound, grp: InspectionGroup, unit: TargetUnit, n: int) -> Iterator[IssueDraft]:
    for i in range(1, n + 1):
        when = date(2025, 3, 1) + timedelta(days=i % 40)
        yield IssueDraft(
            id=str(uuid.uuid4()),
            number=f"2025-3轮-2组-底稿-{i:04d}",
            round_id=rnd.id,
            group_id=grp.id,
            target_id=unit.id,
            prepared_on=when,
            title=f"违规发放津补贴问题（第{i}项）",
            category_l1="B2",
            source="调阅资料",
            description="\n".join(_fact(i + k) for k in range(2)),
            discovery="调阅财务凭证和工资发放表，与党组会议记录逐笔比对，并与财务人员谈话核实。",
            basis="《中国共产党纪律处分条例》第九十七条；中央八项规定实施细则。",
            suggestion="立即清退违规发放款项，追究相关人员责任，建立健全津补贴发放审批制度。",
            evidence=[
                {
                    "name": f"{2022 + i % 3}年度加班补助发放表",
                    "source": "财务股",
                    "pages": 12,
                    "evidence_no": f"Z-{i}-1",
                },
                {"name": "党组会议记录", "source": "办公室", "pages": 4, "evidence_no": f"Z-{i}-2"},
            ],
            disciplines=["廉洁纪律"],
            responsibility_types=["主体责任"],
            responsible_party="局党组",
            amount_yuan=Decimal(126000 + i),
            preparer="李明",
            review_opinion="事实清楚，定性准确，同意。",
            approval_opinion="同意，纳入巡察报告。",
            status="已审签",
            signoffs=[
                {
                    "step": "提交复核",
                    "by": "李明",
                    "role": "组员",
                    "at": f"{when}T10:00:00",
                    "content_hash": "a1" * 32,
                },
                {
                    "step": "复核通过",
                    "by": "陈立",
                    "role": "副组长",
                    "at": f"{when}T15:00:00",
                    "content_hash": "b2" * 32,
                },
                {
                    "step": "审签通过",
                    "by": "张建国",
                    "role": "组长",
                    "at": f"{when}T17:00:00",
                    "content_hash": "c3" * 32,
                },
            ],
        )


def _leads(
    rnd: InspectionRound, grp: InspectionGroup, unit: TargetUnit, n: int
) -> Iterator[LeadRegistration]:
    for i in range(1, n + 1):
        when = date(2024, 1, 1) + timedelta(days=i % 400)
        yield LeadRegistration(
            id=str(uuid.uuid4()),
            number=f"2025-3轮-2组-线索-{i:06d}",
            round_id=rnd.id,
            group_id=grp.id,
            target_id=unit.id,
            registered_on=when,
            registered_by="李明",
            source="来信",
            reporter_name="王某",
            reporter_contact="139****0000",
            subject_name=f"赵{i % 500}",
            subject_post="清河县财政局预算股股长",
            subject_rank="科级干部",
            summary=_fact(i)[:80],
            disciplines=["廉洁纪律"],
            amount_yuan=Decimal(5000 + i),
            group_opinion="问题具体，具有可查性。",
            group_opinion_on=when,
            proposed_disposal="移交纪检监察机关",
            transfer_unit="县纪委监委",
            transfer_on=when + timedelta(days=3),
            transfer_method="密封专人移送",
            receiver="周某",
            status="已移交",
        )


def _drafts_text(drafts: list[IssueDraft]) -> list[list[str]]:
    """The same text the 汇编 prints, one list of paragraphs per draft, for the plain baseline."""
    out = []
    for d in drafts:
        lines = [
            d.marking,
            "问题底稿",
            d.number,
            str(d.prepared_on),
            d.title,
            d.category_l1,
            d.source,
            str(d.amount_yuan),
            "、".join(d.disciplines),
            d.responsible_party,
            *d.description.splitlines(),
            d.discovery,
            d.basis,
            d.suggestion,
        ]
        lines += [f"{e['name']} {e['source']} {e['pages']} {e['evidence_no']}" for e in d.evidence]
        lines += [f"{s['by']} {s['at']} {s['content_hash']}" for s in d.signoffs]
        lines += [d.review_opinion, d.approval_opinion]
        out.append(lines)
    return out


def _plain_pdf(target: Path, texts: list[list[str]], font: str) -> None:
    """The baseline: the same text as plain CJK paragraphs, same font, size, leading and margins."""
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.platypus import PageBreak, Paragraph, SimpleDocTemplate

    from xuncha_desktop.services.output.pdf_layout import (
        LINE_PITCH,
        MARGIN_BOTTOM,
        MARGIN_LEFT,
        MARGIN_RIGHT,
        MARGIN_TOP,
    )

    style = ParagraphStyle("plain", fontName=font, fontSize=16, leading=LINE_PITCH, wordWrap="CJK")
    story: list[Any] = []
    for lines in texts:
        story += [Paragraph(line, style) for line in lines if line]
        story.append(PageBreak())
    SimpleDocTemplate(
        str(target),
        leftMargin=MARGIN_LEFT,
        rightMargin=MARGIN_RIGHT,
        topMargin=MARGIN_TOP,
        bottomMargin=MARGIN_BOTTOM,
    ).build(story)


def bench_pdf_batch(workdir: Path, drafts: int = 1000, repeats: int = 3) -> BenchResult:
    """The 底稿汇编 of `drafts` signed drafts (read from the workspace, laid out, written) against the same
    text as plain paragraphs. The two alternate `repeats` times and the best of each counts, which keeps
    the ratio steady on a busy machine."""
    from xuncha_desktop.services.output.pdf_export import signed_drafts, write_draft_batch
    from xuncha_desktop.services.output.pdf_fonts import load_fonts

    workdir.mkdir(parents=True, exist_ok=True)
    db = workdir / "bench-pdf.xcdb"
    for leftover in (db, keyfile_path(db), Path(f"{db}-wal"), Path(f"{db}-shm")):
        leftover.unlink(missing_ok=True)
    ws, rnd, grp, unit = _workspace(db)
    ours, baseline, pages = [], [], 0
    try:
        _seed(ws, _drafts(rnd, grp, unit, drafts), "draft")
        fonts = load_fonts()
        texts = _drafts_text(signed_drafts(ws, unit.id))
        for _ in range(repeats):
            started = time.perf_counter()
            pages = write_draft_batch(ws, unit.id, workdir / "bench-batch.pdf", fonts, NullProgress()).pages
            ours.append(time.perf_counter() - started)
            started = time.perf_counter()
            _plain_pdf(workdir / "bench-plain.pdf", texts, fonts.body.name)
            baseline.append(time.perf_counter() - started)
    finally:
        ws.close()
    return BenchResult(
        f"pdf_batch_{drafts}_drafts_vs_plain_reportlab_higher_better",
        min(ours),
        "s",
        min(baseline) / min(ours),
        PDF_GOAL,
        detail={"pages": pages, "baseline_s": round(min(baseline), 3), "runs_s": [round(t, 2) for t in ours]},
    )


def seed_ledger_workspace(path: Path, rows: int) -> None:
    """A workspace holding `rows` transferred leads (bulk-written, as the demo data is)."""
    ws, rnd, grp, unit = _workspace(path)
    try:
        _seed(ws, _leads(rnd, grp, unit, rows), "lead")
    finally:
        ws.close()


def _ledger_child(db: str, out: str, mode: str, passphrase: str = PASSPHRASE) -> dict[str, float]:
    """In a fresh interpreter: write the ledger (`ours`) or bare rows (`baseline`); time and peak RSS."""
    from openpyxl import Workbook

    from xuncha_desktop.services.output.excel_export import write_ledger
    from xuncha_desktop.services.output.ledger_columns import lead_columns
    from xuncha_desktop.services.records.context_names import load_context_names

    ws = Workspace.open(Path(db), passphrase)
    started = time.perf_counter()
    if mode == "ours":
        write_ledger(ws, "lead", Path(out), NullProgress())
    else:
        columns = lead_columns(load_context_names(ws), date.today(), False)
        wb = Workbook(write_only=True)
        sheet = wb.create_sheet("问题线索台账")
        sheet.append([c.header for c in columns])
        # The same reading as the ledger, so the ratio measures the writing.
        for record in RecordService[LeadRegistration](ws, LEAD).iterate(ListQuery(), batch=2000):
            sheet.append([c.value(record) for c in columns])
        wb.save(out)
    elapsed = time.perf_counter() - started
    ws.close()
    return {"seconds": elapsed, "peak_rss_mb": _peak_rss_mb()}


def _peak_rss_mb() -> float:
    """This process's peak resident memory. On Linux from VmHWM: ru_maxrss survives exec, so a child
    started by a big parent would report the parent's peak."""
    status = Path("/proc/self/status")
    if status.is_file():
        for line in status.read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    try:
        import resource
    except ImportError:  # Windows: no getrusage; the figure is then reported as not measured
        return float("nan")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024


def _run_child(db: Path, out: Path, mode: str, passphrase: str) -> dict[str, float]:
    code = (
        "import json, sys; from tests.benchmarks.output_bench import _ledger_child; "
        "print(json.dumps(_ledger_child(*sys.argv[1:])))"
    )
    root = str(Path(__file__).resolve().parents[2])  # the repository root
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [root, os.environ.get("PYTHONPATH")]))}
    done = subprocess.run(
        [sys.executable, "-c", code, str(db), str(out), mode, passphrase],
        capture_output=True,
        text=True,
        check=True,
        env=env,
    )
    result: dict[str, float] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def bench_ledger(
    workdir: Path,
    rows: int = 100_000,
    *,
    repeats: int = 2,
    db: Path | None = None,
    passphrase: str = PASSPHRASE,
) -> list[BenchResult]:
    """The 问题线索台账 of every lead in a workspace against the same values as bare write-only rows, each run
    in its own process and both reading the records page by page through RecordService; the two alternate
    `repeats` times and the best of each counts. Also the ledger process's peak RSS.

    Without `db`, a workspace of `rows` transferred leads is seeded in `workdir` (kept for later runs)."""
    workdir.mkdir(parents=True, exist_ok=True)
    if db is None:
        db = workdir / f"bench-ledger-{rows}.xcdb"
        if not db.exists():
            seed_ledger_workspace(db, rows)
    ours, baseline = [], []
    for _ in range(repeats):
        ours.append(_run_child(db, workdir / "bench-ledger.xlsx", "ours", passphrase))
        baseline.append(_run_child(db, workdir / "bench-plain.xlsx", "baseline", passphrase))
    best, best_base = min(r["seconds"] for r in ours), min(r["seconds"] for r in baseline)
    peak = max(r["peak_rss_mb"] for r in ours)
    return [
        BenchResult(
            f"ledger_{rows}_rows_vs_openpyxl_write_only_higher_better",
            best,
            "s",
            best_base / best,
            LEDGER_GOAL,
            detail={"baseline_s": round(best_base, 2), "runs_s": [round(r["seconds"], 1) for r in ours]},
        ),
        BenchResult(
            f"ledger_{rows}_rows_peak_rss_lower_better",
            peak,
            "MB",
            peak / LEDGER_MEMORY_MB,
            1.0,
            higher_better=False,
            detail={
                "limit_mb": LEDGER_MEMORY_MB,
                "baseline_peak_rss_mb": max(r["peak_rss_mb"] for r in baseline),
            },
        ),
    ]


def output_benchmarks(workdir: Path) -> list[BenchResult]:
    """Every output figure, for the benchmark command to print with BenchResult.line()."""
    return [bench_pdf_batch(workdir / "pdf"), *bench_ledger(workdir / "ledger")]


def run(root: Path, scale: float) -> None:
    """The benchmark command's section: a 1,000-draft PDF batch and a 100,000-row ledger (scaled)."""
    print(bench_pdf_batch(root / "pdf", drafts=max(int(1000 * scale), 10)).line(), flush=True)
    for result in bench_ledger(root / "ledger", rows=max(int(100_000 * scale), 100)):
        print(result.line(), flush=True)
