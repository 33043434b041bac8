"""Prints, ledgers, package export / import / provisioning each write exactly one audit entry (who, what
kind, how many records, the output file's name and never record text), which the hash chain covers."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select, update

from tests.builders import Context, draft, lead
from tests.sync_helpers import World
from xuncha_desktop.domain.errors import DiskFull
from xuncha_desktop.domain.issue_drafts import IssueDraft
from xuncha_desktop.domain.lead_registrations import LeadRegistration
from xuncha_desktop.domain.record_types import DRAFT, LEAD
from xuncha_desktop.services import sync
from xuncha_desktop.services.output.excel_export import write_ledger
from xuncha_desktop.services.output.pdf_export import print_records
from xuncha_desktop.services.progress import NullProgress
from xuncha_desktop.services.records.record_service import RecordService
from xuncha_desktop.services.security.audit_log import AuditLog, AuditQuery
from xuncha_desktop.services.security.integrity import check_workspace
from xuncha_desktop.services.workspace import Workspace
from xuncha_desktop.storage.database import write_transaction
from xuncha_desktop.storage.revisions import RevisionWriter
from xuncha_desktop.storage.tables import audit_log

TITLES = ("违规发放津补贴12.6万元", "公务接待超标准")


def _last_seq(ws: Workspace) -> int:
    with ws.engine.connect() as conn:
        return int(conn.execute(select(func.coalesce(func.max(audit_log.c.seq), 0))).scalar_one())


def _new_entries(ws: Workspace, after: int) -> list[tuple[str, str, dict[str, Any]]]:
    """(user, action, details) of the entries written after seq `after`."""
    with ws.engine.connect() as conn:
        rows = conn.execute(select(audit_log).where(audit_log.c.seq > after).order_by(audit_log.c.seq))
        return [(r.user_login, r.action, json.loads(r.changes)) for r in rows]


def _drafts(ws: Workspace, ctx: Context) -> list[IssueDraft]:
    service = RecordService[IssueDraft](ws, DRAFT)
    return [service.save(draft(ctx, title=t)) for t in TITLES]


def test_printing_to_a_file_is_one_entry(workspace: Workspace, ctx: Context, tmp_path: Path) -> None:
    _drafts(workspace, ctx)
    before = _last_seq(workspace)
    print_records(workspace, "draft", tmp_path / "底稿.pdf")
    assert _new_entries(workspace, before) == [
        ("管理员", "print", {"kind": "draft", "records": 2, "file": "底稿.pdf"})
    ]
    [entry] = AuditLog(workspace).list(AuditQuery(action="print"))
    assert (entry.action_label, entry.summary) == ("打印", "打印问题底稿（2 份）：“底稿.pdf”")


def test_exporting_a_ledger_is_one_entry(workspace: Workspace, ctx: Context, tmp_path: Path) -> None:
    RecordService[LeadRegistration](workspace, LEAD).save(lead(ctx, reporter_name="钱举报"))
    before = _last_seq(workspace)
    write_ledger(workspace, "lead", tmp_path / "线索台账.xlsx", NullProgress())
    assert _new_entries(workspace, before) == [
        ("管理员", "ledger", {"kind": "lead", "records": 1, "file": "线索台账.xlsx"})
    ]
    [entry] = AuditLog(workspace).list(AuditQuery(action="ledger"))
    assert (entry.action_label, entry.summary) == (
        "导出台账",
        "导出问题线索台账（1 条记录）：“线索台账.xlsx”",
    )


def test_an_output_whose_entry_cannot_be_written_does_not_appear(
    workspace: Workspace, ctx: Context, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _drafts(workspace, ctx)
    before = _last_seq(workspace)

    def refuse(self: RevisionWriter, action: str, *args: Any, **kw: Any) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(RevisionWriter, "log", refuse)
    out = tmp_path / "输出"
    out.mkdir()
    with pytest.raises(DiskFull, match=r"^磁盘空间不足"):  # the system's error, said in Chinese
        print_records(workspace, "draft", out / "底稿.pdf")
    with pytest.raises(DiskFull, match=r"^磁盘空间不足"):
        write_ledger(workspace, "draft", out / "问题清单.xlsx", NullProgress())
    assert list(out.iterdir()) == []
    assert _new_entries(workspace, before) == []


def test_packages_out_and_in_are_one_entry_each(world: World) -> None:
    laptop, office = world.fields[0], world.office
    _drafts(laptop, world.ctx)
    before_laptop, before_office = _last_seq(laptop), _last_seq(office)
    package = world.export(laptop, full=False)
    [(who, action, details)] = _new_entries(laptop, before_laptop)
    assert (who, action) == (laptop.user.login, "export")
    revisions = details.pop("revisions")
    # the two drafts and the laptop's own first user, which the office has not received yet
    assert details == {
        "package_id": details["package_id"],
        "kind": "delta",
        "records": 3,
        "file": package.name,
    }
    assert revisions >= 3
    [report] = sync.import_packages(office, [package])
    assert report.status == "imported"
    [(who, action, details)] = _new_entries(office, before_office)
    assert (who, action, details["file"], details["kind"]) == (
        "巡察办管理员",
        "import",
        package.name,
        "delta",
    )
    assert details["records"] == report.new + report.updated == 3
    after_import = _last_seq(office)
    out = world.package_path("配置")
    sync.provision_package(office, out)
    [(who, action, details)] = _new_entries(office, after_import)
    assert (who, action, details["kind"], details["file"]) == (
        "巡察办管理员",
        "provision",
        "provision",
        out.name,
    )
    assert details["records"] > 3
    text = json.dumps([e for e in _new_entries(office, before_office)], ensure_ascii=False)
    assert not any(title in text for title in TITLES)  # names and counts, never record text
    summary = AuditLog(office).list(AuditQuery(action="import"))[0].summary
    assert (
        summary
        == f"导入增量工作包“{package.name}”：新增 {report.new} 条，更新 {report.updated} 条，冲突 0 处"
    )


def test_check_finds_a_changed_output_entry(workspace: Workspace, ctx: Context, tmp_path: Path) -> None:
    _drafts(workspace, ctx)
    print_records(workspace, "draft", tmp_path / "底稿.pdf")
    assert check_workspace(workspace) == []
    [entry] = AuditLog(workspace).list(AuditQuery(action="print"))
    with write_transaction(workspace.engine) as conn:
        forged = json.dumps({"kind": "draft", "records": 0, "file": "别的.pdf"})
        conn.execute(update(audit_log).where(audit_log.c.seq == entry.seq).values(changes=forged))
    assert [p.message for p in check_workspace(workspace)] == [
        f"第 {entry.seq} 条审计记录的内容与其哈希值不符（记录被改动）"
    ]
