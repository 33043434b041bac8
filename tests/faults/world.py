"""A provisioned office and laptop holding records with distinctive texts, saved as closed files, and the
checks every fault test ends with: nothing of a record's text in what was printed or logged, the
workspaces unchanged and sound."""

from __future__ import annotations

import dataclasses
import shutil
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import openpyxl

from tests.builders import PASSPHRASE, Context, draft, interview, lead
from tests.sync_helpers import dump, open_world
from xuncha_desktop.domain.interview_records import InterviewRecord
from xuncha_desktop.domain.issue_drafts import IssueDraft
from xuncha_desktop.domain.lead_registrations import LeadRegistration
from xuncha_desktop.domain.record_types import DRAFT, INTERVIEW, LEAD
from xuncha_desktop.services import sync
from xuncha_desktop.services.output.excel_export import write_ledger
from xuncha_desktop.services.plan import workbook as plan_workbook
from xuncha_desktop.services.plan.workbook_read import GROUPS, MEMBERS, ROUNDS, UNITS
from xuncha_desktop.services.progress import NullProgress
from xuncha_desktop.services.records.record_service import ListQuery, RecordService
from xuncha_desktop.services.security.integrity import check_workspace
from xuncha_desktop.services.workspace import Workspace
from xuncha_desktop.storage.keyfile import keyfile_path

# Texts that occur nowhere else: seeing one in stderr or a log means record text leaked.
MARKERS = (
    "故障注入白鹭洲违规拆借资金",
    "故障注入栖霞山工程回扣线索",
    "反映人故障注入柳叶眉",
    "谈话提及故障注入琉璃厂账外账",
    "故障注入鹊桥镇",
)
OFFICE, LAPTOP, OTHER_LAPTOP, PACKAGE = "巡察办.xcdb", "组员1.xcdb", "组员2.xcdb", "组员1-待导入.xcpkg"
# Workbooks to import at the office: its plan with one round more, and the laptop's 线索 ledger.
PLAN_BOOK, LEDGER_BOOK = "计划-待导入.xlsx", "线索台账-待导入.xlsx"


def leaked(text: str) -> list[str]:
    return [m for m in MARKERS if m in text]


def field_work(laptop: Workspace, ctx: Context, round_no: int) -> None:
    """Records carrying the marker texts, each saved twice (so revisions have parents)."""
    talks = RecordService[InterviewRecord](laptop, INTERVIEW)
    drafts = RecordService[IssueDraft](laptop, DRAFT)
    leads = RecordService[LeadRegistration](laptop, LEAD)
    talk = talks.save(interview(ctx, content=f"答：{MARKERS[3]}（第{round_no}次）。"))
    talks.save(dataclasses.replace(talk, content=f"答：{MARKERS[3]}（第{round_no}次补充）。"))
    issue = drafts.save(draft(ctx, title=f"{MARKERS[0]}{round_no}"))
    drafts.save(dataclasses.replace(issue, description=f"{MARKERS[0]}，详见附件。"))
    leads.save(lead(ctx, summary=f"{MARKERS[1]}{round_no}", reporter_name=MARKERS[2]))


def build_fault_world(template: Path, root: Path) -> None:
    """At `root`: the office holding the laptop's first records, the laptop with more since, and the
    package with those (not yet imported at the office), a plan workbook and a ledger for the office to
    import (plan_book, the laptop's 线索台账). No backups: a test sees only what it made."""
    world = open_world(template, root / "build")
    try:
        laptop = world.fields[0]
        field_work(laptop, world.ctx, 1)
        [report] = sync.import_packages(world.office, [world.export(laptop)])
        assert report.status == "imported", report.error
        for round_no in (2, 3, 4):
            field_work(laptop, world.ctx, round_no)
        sync.export_package(laptop, root / PACKAGE)
        ledger_book(laptop, world.office, root / LEDGER_BOOK)
        plan_book(world.office, root / PLAN_BOOK)
    finally:
        world.close()
    for name in (OFFICE, LAPTOP, OTHER_LAPTOP):  # the office's audit entry of the plan export goes with it
        for source in (root / "build" / name, keyfile_path(root / "build" / name)):
            shutil.copy2(source, root / source.name)
    shutil.rmtree(root / "build")


def plan_book(office: Workspace, out: Path) -> None:
    """The office's plan exported, with a round more (its group, a member and a unit named by a marker):
    importing it writes."""
    plan_workbook.export(office, out)
    book = openpyxl.load_workbook(out)
    name, group = "2025年第九轮故障注入巡察", "故障注入巡察组"
    book[ROUNDS].append((name, "专项", date(2025, 9, 1), date(2025, 10, 31)))
    book[GROUPS].append((name, group))
    book[MEMBERS].append((name, group, "故障注入组长", "组长", "", "县审计局 副局长"))
    book[UNITS].append((name, group, MARKERS[4], "乡镇(街道)"))
    book.save(out)


def ledger_book(laptop: Workspace, office: Workspace, out: Path) -> None:
    """The laptop's 线索台账 without the leads the office already holds: importing it writes."""
    write_ledger(laptop, "lead", out, NullProgress())
    held = {lead.number for lead in RecordService[LeadRegistration](office, LEAD).list(ListQuery(limit=None))}
    book = openpyxl.load_workbook(out)
    sheet = book.worksheets[0]
    column = [cell.value for cell in sheet[1]].index("线索编号")
    for row in range(sheet.max_row, 1, -1):
        if sheet.cell(row, column + 1).value in held:
            sheet.delete_rows(row)
    book.save(out)


def copy_world(template: Path, folder: Path) -> None:
    for source in template.iterdir():
        shutil.copy2(source, folder / source.name)


def listing(folder: Path) -> dict[str, int]:
    """Every file under `folder` (relative name → size), the filler of a full disk left out."""
    return {
        str(p.relative_to(folder)): p.stat().st_size
        for p in sorted(folder.rglob("*"))
        if p.is_file() and p.name != "占位.bin"
    }


@dataclass(frozen=True)
class Snapshot:
    """What a failed command must leave as it was: the files of the folder and each workspace's data."""

    files: dict[str, int]
    data: dict[str, dict[str, Any]]

    @staticmethod
    def take(folder: Path, names: tuple[str, ...] = (OFFICE, LAPTOP)) -> Snapshot:
        data = {}
        for name in names:
            with Workspace.open(folder / name, PASSPHRASE) as ws:
                data[name] = dump(ws)
        return Snapshot(_without_sidecars(listing(folder)), data)

    def assert_unchanged(self, folder: Path, name: str) -> None:
        """The workspace `name` in `folder` holds the same data as before and passes `check`."""
        with Workspace.open(folder / name, PASSPHRASE) as ws:
            assert dump(ws) == self.data[name], name
            assert check_workspace(ws) == [], name


def _without_sidecars(files: dict[str, int]) -> dict[str, int]:
    return {n: s for n, s in files.items() if not n.endswith(("-wal", "-shm"))}
