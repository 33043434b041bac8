"""A provisioned office and laptop holding records with distinctive texts, saved as closed files, and the
checks every fault test ends with: nothing of a record's text in what was printed or logged, the
workspaces unchanged and sound."""

from __future__ import annotations

import dataclasses
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tests.builders import PASSPHRASE, Context, draft, interview, lead
from tests.sync_helpers import dump, open_world
from xuncha_desktop.domain.interview_records import InterviewRecord
from xuncha_desktop.domain.issue_drafts import IssueDraft
from xuncha_desktop.domain.lead_registrations import LeadRegistration
from xuncha_desktop.domain.record_types import DRAFT, INTERVIEW, LEAD
from xuncha_desktop.services import sync
from xuncha_desktop.services.records.record_service import RecordService
from xuncha_desktop.services.security.integrity import check_workspace
from xuncha_desktop.services.workspace import Workspace
from xuncha_desktop.storage.keyfile import keyfile_path

# Texts that occur nowhere else: seeing one in stderr or a log means record text leaked.
MARKERS = (
    "故障注入白鹭洲违规拆借资金",
    "故障注入栖霞山工程回扣线索",
    "反映人故障注入柳叶眉",
    "谈话提及故障注入琉璃厂账外账",
)
OFFICE, LAPTOP, OTHER_LAPTOP, PACKAGE = "巡察办.xcdb", "组员1.xcdb", "组员2.xcdb", "组员1-待导入.xcpkg"


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
    package with those (not yet imported at the office). No backups: a test sees only what it made."""
    world = open_world(template, root / "build")
    try:
        laptop = world.fields[0]
        field_work(laptop, world.ctx, 1)
        [report] = sync.import_packages(world.office, [world.export(laptop)])
        assert report.status == "imported", report.error
        for round_no in (2, 3, 4):
            field_work(laptop, world.ctx, round_no)
        sync.export_package(laptop, root / PACKAGE)
    finally:
        world.close()
    for name in (OFFICE, LAPTOP, OTHER_LAPTOP):
        for source in (root / "build" / name, keyfile_path(root / "build" / name)):
            shutil.copy2(source, root / source.name)
    shutil.rmtree(root / "build")


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
