"""The workspace check finds damaged audit entries, revisions, heads, rows and dangling references."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import delete, func, insert, select, update

from tests.builders import Context, draft, evaluation, interview, lead
from tests.sync_helpers import open_world
from xuncha_desktop.domain.codec import canonical_json, sha256_hex, to_body
from xuncha_desktop.domain.issue_drafts import IssueDraft
from xuncha_desktop.domain.record_types import DRAFT, EVALUATION, INTERVIEW, LEAD, TARGET
from xuncha_desktop.services import sync
from xuncha_desktop.services.progress import Cancelled
from xuncha_desktop.services.records.attachments import AttachmentService
from xuncha_desktop.services.records.conflicts import ConflictService
from xuncha_desktop.services.records.links import LinkService
from xuncha_desktop.services.records.record_service import RecordService
from xuncha_desktop.services.security import integrity
from xuncha_desktop.services.security.integrity import Problem, check_workspace
from xuncha_desktop.services.statistics import workspace_figures
from xuncha_desktop.services.workspace import Workspace
from xuncha_desktop.storage import revision_body
from xuncha_desktop.storage.database import write_transaction
from xuncha_desktop.storage.materialize import rematerialize
from xuncha_desktop.storage.tables import (
    BUSINESS_TABLES,
    audit_log,
    blob,
    sync_head,
    sync_revision,
    sync_revision_parent,
)


@dataclass(frozen=True)
class Filled:
    ws: Workspace
    ctx: Context
    paper: IssueDraft
    talk_id: str
    lead_id: str


@pytest.fixture
def filled(workspace: Workspace, ctx: Context) -> Filled:
    """A workspace with every kind of link the check follows: scope ids, record links, attachments."""
    talk = RecordService(workspace, INTERVIEW).save(interview(ctx))
    found = RecordService(workspace, LEAD).save(lead(ctx))
    drafts = RecordService[IssueDraft](workspace, DRAFT)
    paper = drafts.save(draft(ctx, evidence=[{"name": "谈话笔录", "pages": 3, "interview_id": talk.id}]))
    paper = drafts.save(dataclasses.replace(paper, title="违规发放津补贴12.6万元（修改）"))
    RecordService(workspace, EVALUATION).save(evaluation(ctx))
    LinkService(workspace).link("interview", talk.id, "lead", found.id)
    AttachmentService(workspace).add("draft", paper.id, "发放明细.xlsx", b"spreadsheet bytes")
    return Filled(workspace, ctx, paper, talk.id, found.id)


def _tamper(ws: Workspace, *statements: Any) -> None:
    """Change the file behind the software. Head bodies kept in their rows are written back first: the
    guard triggers refuse to change such rows (tests/unit/storage/test_revision_body.py)."""
    with write_transaction(ws.engine) as conn:
        revision_body.spill_all(conn)
        for statement in statements:
            conn.execute(statement)


def _areas(problems: list[Problem]) -> set[str]:
    return {p.area for p in problems}


def _text(problems: list[Problem]) -> str:
    return "\n".join(p.message for p in problems)


def _audit_seq(ws: Workspace, record_id: str, action: str = "create") -> int:
    with ws.engine.connect() as conn:
        return int(
            conn.execute(
                select(audit_log.c.seq).where(
                    audit_log.c.record_id == record_id, audit_log.c.action == action
                )
            ).scalar_one()
        )


def _head(record: IssueDraft) -> str:
    assert record.meta is not None
    return record.meta.head_rev


def _first_revision(ws: Workspace, record_id: str) -> str:
    with ws.engine.connect() as conn:
        return str(
            conn.execute(
                select(sync_revision.c.rev_id)
                .where(sync_revision.c.record_id == record_id)
                .order_by(sync_revision.c.origin_counter)
                .limit(1)
            ).scalar_one()
        )


def _parallel_edit(ws: Workspace, paper: IssueDraft) -> None:
    """What an imported edit made elsewhere looks like: a sibling of the latest revision, then the merge."""
    with ws.writing() as writer:
        body = to_body(dataclasses.replace(paper, title="另一台电脑上改的标题"))
        rev, links, _ = writer._revision_rows(DRAFT, paper.id, body, [_first_revision(ws, paper.id)], False)
        writer.conn.execute(insert(sync_revision).values(**rev))
        writer.conn.execute(insert(sync_revision_parent), links)
        writer.audit.entry(rev["hlc"], writer.author, "import", DRAFT.key, paper.id, rev["rev_id"], {})
        rematerialize(writer.conn, DRAFT.key, paper.id, at=rev["hlc"], package_id=None)


def test_a_sound_workspace_has_no_problems(filled: Filled) -> None:
    assert check_workspace(filled.ws) == []


def test_a_fresh_workspace_has_no_problems(workspace: Workspace) -> None:
    assert check_workspace(workspace) == []


def test_workspaces_that_exchanged_packages_and_conflicts_pass(world_template: Path, tmp_path: Path) -> None:
    world = open_world(world_template, tmp_path / "world")
    try:
        a, b = world.fields[:2]
        drafts_a, drafts_b = RecordService[IssueDraft](a, DRAFT), RecordService[IssueDraft](b, DRAFT)
        base = drafts_a.save(draft(world.ctx))
        AttachmentService(a).add("draft", base.id, "凭证.txt", "会计凭证".encode())
        sync.import_packages(b, [world.export(a)])
        drafts_a.save(dataclasses.replace(base, title="甲改的标题"))
        drafts_b.save(dataclasses.replace(drafts_b.get(base.id), title="乙改的标题"))
        drafts_b.save(draft(world.ctx, title="乙的另一个问题"))  # same number as a's next draft
        drafts_a.save(draft(world.ctx, title="甲的另一个问题"))
        sync.import_packages(world.office, [world.export(a), world.export(b)])
        assert workspace_figures(world.office).open_conflicts == 3  # a hard one, two of one number
        for ws in (world.office, a, b):
            assert check_workspace(ws) == [], ws.path.name
        [hard] = [c for c in ConflictService(world.office).list_open() if c.kind == "hard"]
        ConflictService(world.office).resolve(hard.id, {"title": "乙改的标题"})
        assert check_workspace(world.office) == []
    finally:
        world.close()


def test_problem_is_a_frozen_value_with_a_chinese_area_label() -> None:
    problem = Problem("audit", "第 3 条审计记录被改动")
    with pytest.raises(dataclasses.FrozenInstanceError):
        problem.message = "x"  # type: ignore[misc]
    assert problem.area_label == "审计日志"


def test_edited_audit_entry_is_reported_with_its_seq(filled: Filled) -> None:
    seq = _audit_seq(filled.ws, filled.paper.id, "update")
    _tamper(filled.ws, update(audit_log).where(audit_log.c.seq == seq).values(changes="{}"))
    problems = check_workspace(filled.ws)
    assert [p.area for p in problems] == ["audit"]
    assert f"第 {seq} 条" in problems[0].message and "被改动" in problems[0].message


def test_removed_audit_entry_breaks_the_chain_at_the_next_entry(filled: Filled) -> None:
    seq = _audit_seq(filled.ws, filled.talk_id)
    _tamper(filled.ws, delete(audit_log).where(audit_log.c.seq == seq))
    problems = check_workspace(filled.ws)
    assert "audit" in _areas(problems)
    assert f"第 {seq + 1} 条审计记录与第 {seq - 1} 条衔接不上" in _text(problems)


def test_truncated_audit_log_is_noticed_from_unaudited_revisions(filled: Filled) -> None:
    with filled.ws.engine.connect() as conn:
        last = conn.execute(select(func.max(audit_log.c.seq))).scalar_one()
    _tamper(filled.ws, delete(audit_log).where(audit_log.c.seq > last - 2))
    problems = check_workspace(filled.ws)
    assert [p.area for p in problems] == ["audit", "audit"]
    assert "（日志末尾被截断）" in problems[0].message
    assert "共有 2 个本机修订在审计日志中没有对应记录" in problems[1].message


def test_edited_revision_body_is_reported(filled: Filled) -> None:
    head = _head(filled.paper)
    with filled.ws.engine.connect() as conn:
        body = revision_body.bodies_of(conn, [head])[head]  # kept in the row: rebuilt
    edited = update(sync_revision).where(sync_revision.c.rev_id == head)
    _tamper(filled.ws, edited.values(body=body.replace("12.6万元", "1.26万元")))
    problems = check_workspace(filled.ws)
    assert "revisions" in _areas(problems)
    assert f"问题底稿 {filled.paper.number} 的修订" in _text(problems)
    assert "内容与其校验值不符" in _text(problems)


def test_damaged_compressed_revision_body_is_reported(filled: Filled) -> None:
    # The file holds the body zlib-compressed: bytes changed inside it no longer inflate.
    rev = sync_revision.c
    damaged = update(sync_revision).where(rev.rev_id == _head(filled.paper))
    _tamper(filled.ws, damaged.values(body=func.zeroblob(64)))
    problems = check_workspace(filled.ws)
    assert f"问题底稿 {filled.paper.number} 的修订" in _text(problems)
    assert "内容与其校验值不符" in _text(problems)


def test_rewritten_revision_with_matching_hash_fails_the_revision_id(filled: Filled) -> None:
    head = _head(filled.paper)
    with filled.ws.engine.connect() as conn:
        body = revision_body.bodies_of(conn, [head])[head]  # kept in the row: rebuilt
    forged = body.replace("12.6万元", "1.26万元")
    _tamper(
        filled.ws,
        update(sync_revision)
        .where(sync_revision.c.rev_id == head)
        .values(body=forged, body_sha256=sha256_hex(forged)),
    )
    text = _text(check_workspace(filled.ws))
    assert "修订标识与修订头不符" in text
    assert "内容与其校验值不符" not in text


def test_forged_signature_is_reported(filled: Filled) -> None:
    head = _head(filled.paper)
    forged = update(sync_revision).where(sync_revision.c.rev_id == head).values(origin_sig=b"\0" * 64)
    _tamper(filled.ws, forged)
    problems = check_workspace(filled.ws)
    assert [p.area for p in problems] == ["revisions"]
    assert problems[0].message.endswith("签名无效")


def test_row_edited_behind_the_software_is_reported_by_number(filled: Filled) -> None:
    drafts = BUSINESS_TABLES[DRAFT.key]
    _tamper(filled.ws, update(drafts).where(drafts.c.id == filled.paper.id).values(title="改过的标题"))
    problems = check_workspace(filled.ws)
    assert [p.area for p in problems] == ["heads"]
    assert problems[0].message.startswith(f"问题底稿 {filled.paper.number}：")
    assert "绕过本软件直接改动" in problems[0].message


def test_missing_head_is_reported(filled: Filled) -> None:
    _tamper(
        filled.ws,
        delete(sync_head).where(sync_head.c.record_type == "draft", sync_head.c.record_id == filled.paper.id),
    )
    messages = [p.message for p in check_workspace(filled.ws)]
    assert f"问题底稿 {filled.paper.number}：没有当前版本" in messages
    assert any(m.endswith("没有后续修订，却未登记为当前版本") for m in messages)
    assert len(messages) == 2


def test_row_pointing_at_an_older_revision_is_reported(filled: Filled) -> None:
    drafts = BUSINESS_TABLES[DRAFT.key]
    first = _first_revision(filled.ws, filled.paper.id)
    _tamper(filled.ws, update(drafts).where(drafts.c.id == filled.paper.id).values(head_rev=first))
    assert "记录所标的当前版本与版本表不一致" in _text(check_workspace(filled.ws))


def test_stale_head_is_reported(filled: Filled) -> None:
    first = _first_revision(filled.ws, filled.paper.id)
    _tamper(filled.ws, insert(sync_head).values(record_type="draft", record_id=filled.paper.id, rev_id=first))
    assert f"的当前版本 {first[:12]} 已有后续修订，版本表未更新" in _text(check_workspace(filled.ws))


def test_parallel_edits_merged_by_the_sync_core_pass(filled: Filled) -> None:
    _parallel_edit(filled.ws, filled.paper)
    assert workspace_figures(filled.ws).open_conflicts == 1
    assert check_workspace(filled.ws) == []


def test_merged_row_that_differs_from_the_merge_is_reported(filled: Filled) -> None:
    _parallel_edit(filled.ws, filled.paper)
    drafts = BUSINESS_TABLES[DRAFT.key]
    forged = dataclasses.replace(filled.paper, title="既不是这边也不是那边的标题")
    _tamper(
        filled.ws,
        update(drafts)
        .where(drafts.c.id == filled.paper.id)
        .values(title=forged.title, row_hash=sha256_hex(canonical_json(to_body(forged)))),
    )
    problems = check_workspace(filled.ws)
    assert [p.message for p in problems] == [
        f"问题底稿 {filled.paper.number}：表中内容与各并行版本的合并结果不一致"
    ]


def test_deleted_target_is_reported_for_every_record_in_it(filled: Filled) -> None:
    targets = BUSINESS_TABLES[TARGET.key]
    _tamper(filled.ws, delete(targets).where(targets.c.id == filled.ctx.target.id))
    problems = check_workspace(filled.ws)
    links = [p.message for p in problems if p.area == "links"]
    assert f"问题底稿 {filled.paper.number}：被巡察单位不存在（标识 {filled.ctx.target.id}）" in links
    assert len(links) == 4  # the interview, the draft, the lead and the portrait
    assert "版本表中有被巡察单位" in _text(problems)  # its head now belongs to nothing


def test_link_to_a_missing_record_is_reported(filled: Filled) -> None:
    leads = BUSINESS_TABLES[LEAD.key]
    _tamper(filled.ws, delete(leads).where(leads.c.id == filled.lead_id))
    links = [p.message for p in check_workspace(filled.ws) if p.area == "links"]
    assert links == [f"记录关联“线索来源”：关联目标所指的问题线索不存在（标识 {filled.lead_id}）"]


def test_evidence_naming_a_missing_interview_is_reported(filled: Filled) -> None:
    talks = BUSINESS_TABLES[INTERVIEW.key]
    _tamper(filled.ws, delete(talks).where(talks.c.id == filled.talk_id))
    links = [p.message for p in check_workspace(filled.ws) if p.area == "links"]
    expected = f"问题底稿 {filled.paper.number}：佐证材料第1项所指的个别谈话记录不存在"
    assert f"{expected}（标识 {filled.talk_id}）" in links


def test_damaged_attachment_bytes_are_reported(filled: Filled) -> None:
    _tamper(filled.ws, update(blob).values(data=b"other bytes"))
    problems = check_workspace(filled.ws)
    assert [p.area for p in problems] == ["attachments"]
    assert "与其校验值不符" in problems[0].message


def test_attachment_without_its_bytes_is_reported(filled: Filled) -> None:
    _tamper(filled.ws, delete(blob))
    problems = check_workspace(filled.ws)
    assert [p.area for p in problems] == ["attachments"]
    assert problems[0].message.startswith("附件“发放明细.xlsx”：附件文件内容")


def test_sqlite_integrity_failures_are_reported(filled: Filled, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(integrity, "integrity_check", lambda engine: ["row 3 missing from index ix_x"])
    problems = check_workspace(filled.ws)
    assert problems == [Problem("database", "SQLite 完整性检查未通过：row 3 missing from index ix_x")]


class _Recorder:
    def __init__(self, cancel_after: int | None = None) -> None:
        self.reports: list[tuple[int, int, str]] = []
        self._cancel_after = cancel_after

    def report(self, done: int, total: int, message: str = "") -> None:
        self.reports.append((done, total, message))

    def check_cancelled(self) -> None:
        if self._cancel_after is not None and len(self.reports) > self._cancel_after:
            raise Cancelled


def test_check_reports_progress_to_the_end(filled: Filled) -> None:
    recorder = _Recorder()
    check_workspace(filled.ws, progress=recorder)
    done, total, _ = recorder.reports[-1]
    assert done == total and len(recorder.reports) == total + 1


def test_check_can_be_cancelled(filled: Filled) -> None:
    with pytest.raises(Cancelled):
        check_workspace(filled.ws, progress=_Recorder(cancel_after=2))
