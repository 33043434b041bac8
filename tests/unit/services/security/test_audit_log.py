"""services.audit_log: the audit log as people read it, filtered and paged, and its hash chain checked."""

from __future__ import annotations

import dataclasses
from datetime import date, timedelta
from pathlib import Path

from sqlalchemy import delete, update

from tests.builders import PASSPHRASE, Context, draft, lead, sign_in_as
from xuncha_desktop.domain.organization import User
from xuncha_desktop.domain.record_types import DRAFT, LEAD, USER
from xuncha_desktop.gui.pages.field_labels import field_label
from xuncha_desktop.services.records.draft_workflow import DraftWorkflow
from xuncha_desktop.services.records.record_service import RecordService
from xuncha_desktop.services.security import backups, keys
from xuncha_desktop.services.security.audit_log import AuditLog, AuditQuery
from xuncha_desktop.services.security.audit_text import SIGNOFF
from xuncha_desktop.services.workspace import Workspace
from xuncha_desktop.storage.keyfile import KdfParams
from xuncha_desktop.storage.tables import audit_log

TODAY = date.today()


def _edited_draft(ws: Workspace, ctx: Context) -> str:
    drafts = RecordService(ws, DRAFT)
    saved = drafts.save(draft(ctx))
    drafts.save(dataclasses.replace(saved, title="新标题"))
    drafts.delete(saved.id)
    drafts.restore(saved.id)
    return saved.number


def _as_user(ws: Workspace, login: str, role: str) -> Workspace:
    RecordService(ws, USER).save(User(login=login, display_name=f"{login}的名字", role=role))
    return sign_in_as(ws, login)


def test_edits_are_listed_newest_first_with_chinese_labels(workspace: Workspace, ctx: Context) -> None:
    number = _edited_draft(workspace, ctx)
    log = AuditLog(workspace, field_label)
    newest = log.list(AuditQuery(record_type="draft"))
    assert [e.action_label for e in newest] == ["从回收站恢复", "删除（移入回收站）", "修改", "新建"]
    _restored, deleted, edited, created = newest
    assert {e.record_name for e in newest} == {number}
    assert edited.record_text == f"问题底稿 {number}"
    assert edited.summary == "问题标题：违规发放津补贴12.6万元 → 新标题"
    assert [(c.label, c.old, c.new) for c in edited.changes] == [
        ("问题标题", "违规发放津补贴12.6万元", "新标题")
    ]
    assert created.summary == "新建问题底稿" and deleted.summary == "移入回收站"
    assert edited.user_label == workspace.user.display_name and edited.at.startswith(str(TODAY.year))
    assert log.count() == len(log.list(AuditQuery(limit=None)))
    assert newest[0].seq > newest[-1].seq


def test_a_creation_shows_the_fields_it_filled(workspace: Workspace, ctx: Context) -> None:
    RecordService(workspace, DRAFT).save(draft(ctx))
    log = AuditLog(workspace, field_label)
    [created] = log.list(AuditQuery(action="create", record_type="draft"))
    changes = {c.label: (c.old, c.new) for c in log.field_changes(created)}
    assert changes["问题标题"] == ("（空）", "违规发放津补贴12.6万元")
    assert changes["被巡察单位"] == ("（空）", f"“{ctx.target.name}”")  # a reference shows the record's name
    assert "问题子类" not in changes  # fields left empty are not listed


def test_filters_by_user_action_type_date_and_text(workspace: Workspace, ctx: Context) -> None:
    number = _edited_draft(workspace, ctx)
    with _as_user(workspace, "liming", "组员") as other:
        RecordService(other, DRAFT).save(draft(ctx, title="公务接待超标准"))
    log = AuditLog(workspace, field_label)
    users = dict(log.users())
    assert users["liming"] == "liming的名字（liming）" and users["system"] == "系统"
    mine = log.list(AuditQuery(user="liming"))
    assert [e.action for e in mine] == ["create"] and mine[0].user_label == "liming的名字（liming）"
    assert [e.summary for e in log.list(AuditQuery(action="update"))] == [
        "问题标题：违规发放津补贴12.6万元 → 新标题"
    ]
    assert log.count(AuditQuery(record_type="draft")) == 5
    assert log.count(AuditQuery(date_from=TODAY, date_to=TODAY)) == log.count()
    assert log.count(AuditQuery(date_to=TODAY - timedelta(days=1))) == 0
    assert log.count(AuditQuery(date_from=TODAY + timedelta(days=1))) == 0
    assert log.count(AuditQuery(text="新标题")) == 1
    assert log.count(AuditQuery(text=number)) == 4  # every entry of the record with that number
    assert log.count(AuditQuery(text="liming的名字")) == 2  # the user record and the user's edit
    assert log.count(AuditQuery(text="恢复")) == 1  # the action's label
    assert log.count(AuditQuery(text="100%_不存在")) == 0


def test_pages_cover_everything_once(workspace: Workspace, ctx: Context) -> None:
    for i in range(7):
        RecordService(workspace, DRAFT).save(draft(ctx, title=f"问题{i}"))
    log = AuditLog(workspace)
    pages = [log.list(AuditQuery(offset=o, limit=4)) for o in range(0, log.count(), 4)]
    seqs = [e.seq for page in pages for e in page]
    assert seqs == sorted(seqs, reverse=True) and len(set(seqs)) == log.count()


def test_sign_offs_are_named_as_such(workspace: Workspace, ctx: Context) -> None:
    saved = RecordService(workspace, DRAFT).save(draft(ctx, preparer=workspace.user.display_name))
    DraftWorkflow(workspace).perform("submit", saved.id)
    log = AuditLog(workspace, field_label)
    [step] = log.list(AuditQuery(action=SIGNOFF))
    assert step.action_label == "审签流程"
    assert step.summary.startswith("提交复核（管理员，组长，")
    assert log.count(AuditQuery(action="update")) == 0


def test_events_have_their_own_summaries(workspace: Workspace, workspace_path: Path) -> None:
    backup = backups.take_backup(workspace)
    new = "新的口令-2025-abc"
    keys.change_passphrase(workspace_path, PASSPHRASE, new, actor=workspace.user.login, kdf=KdfParams.cheap())
    workspace.close()
    backups.restore(backup, workspace_path, PASSPHRASE)
    with Workspace.open(workspace_path, PASSPHRASE) as restored:
        entries = AuditLog(restored).list()
    assert entries[0].action_label == "从备份恢复"
    assert entries[0].summary == f"从备份“{backup.name}”恢复，工作库编号 1 → 2"
    assert ("恢复后的工作库编号", "2") in entries[0].details
    assert [e.summary for e in entries if e.action == "init"] == ["建立巡察组现场工作库"]


def test_passphrase_changes_are_logged(workspace: Workspace, workspace_path: Path) -> None:
    keys.change_passphrase(workspace_path, PASSPHRASE, "新的口令-2025-abc", kdf=KdfParams.cheap())
    [entry] = AuditLog(workspace).list(AuditQuery(action="passphrase"))
    assert (entry.action_label, entry.summary) == ("修改口令", "修改了本工作库的口令")


def test_reporters_stay_hidden_from_those_who_may_not_see_them(workspace: Workspace, ctx: Context) -> None:
    saved = RecordService(workspace, LEAD).save(lead(ctx, registered_by="别人"))
    RecordService(workspace, LEAD).save(dataclasses.replace(saved, reporter_name="钱举报"))
    leader = AuditLog(workspace, field_label)
    [seen] = leader.list(AuditQuery(action="update"))
    assert seen.summary == "反映人：（空） → 钱举报"
    assert leader.count(AuditQuery(text="钱举报")) == 1
    with _as_user(workspace, "liming", "组员") as member:
        log = AuditLog(member, field_label)
        [masked] = log.list(AuditQuery(action="update", record_type="lead"))
        assert masked.summary == "反映人：已隐藏 → 已隐藏"
        [created] = log.list(AuditQuery(action="create", record_type="lead"))
        assert "钱举报" not in str(log.field_changes(masked)) + str(log.field_changes(created))
        assert log.count(AuditQuery(text="钱举报")) == 0


def test_the_chain_is_verified_and_a_tampered_row_is_found(workspace: Workspace, ctx: Context) -> None:
    _edited_draft(workspace, ctx)
    log = AuditLog(workspace)
    status = log.verify()
    total = log.count()
    assert status.ok and status.total == total
    assert status.text == f"审计记录完整：共 {total} 条，哈希链校验通过"
    [edited] = log.list(AuditQuery(action="update"))
    with workspace.engine.begin() as conn:
        conn.execute(update(audit_log).where(audit_log.c.seq == edited.seq).values(user_login="冒名者"))
    broken = log.verify()
    assert not broken.ok and broken.broken_seqs == {edited.seq}
    assert broken.text.startswith(
        f"审计记录不完整：哈希链在第 {edited.seq} 条处断开，该条的内容与其哈希值不符"
    )


def test_a_removed_row_breaks_the_chain_at_the_next(workspace: Workspace, ctx: Context) -> None:
    _edited_draft(workspace, ctx)
    log = AuditLog(workspace)
    entries = log.list(AuditQuery(record_type="draft"))
    gone = entries[1].seq
    with workspace.engine.begin() as conn:
        conn.execute(delete(audit_log).where(audit_log.c.seq == gone))
    status = log.verify()
    gap, fewer = status.breaks
    assert gap.seq == entries[0].seq and f"与第 {gone - 1} 条衔接不上" in gap.message
    assert (
        fewer.message
        == f"审计日志应有 {status.total + 1} 条，现有 {status.total} 条（其间的记录被删除或插入）"
    )
