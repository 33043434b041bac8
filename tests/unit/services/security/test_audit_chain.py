"""The audit hash chain against the ways a row can be removed or changed behind the application's back:
each is found by AuditLog.verify, by the workspace check and by `xuncha-desktop check`."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from sqlalchemy import Connection, delete, func, select, update

from tests.builders import PASSPHRASE, Context, draft
from xuncha_desktop import cli
from xuncha_desktop.domain.record_types import DRAFT
from xuncha_desktop.services.records.record_service import RecordService
from xuncha_desktop.services.security.audit_log import AuditLog
from xuncha_desktop.services.security.integrity import check_workspace
from xuncha_desktop.services.workspace import PASSPHRASE_ENV, Workspace
from xuncha_desktop.storage.database import write_transaction
from xuncha_desktop.storage.revisions import AUDIT_HEAD_KEY, AuditChain, _write_head, audit_head, entry_hash
from xuncha_desktop.storage.tables import audit_log, settings

Tamper = Callable[[Connection, list[dict[str, Any]]], None]


@pytest.fixture
def logged(workspace: Workspace, ctx: Context) -> Workspace:
    """A workspace whose log has record edits with an event among them and, at its end, two events: an
    event names no revision, so removing one leaves every revision audited."""
    with workspace.writing() as writer:
        writer.log("export", file="0.xcpkg", revisions=4)
    drafts = RecordService(workspace, DRAFT)
    saved = drafts.save(draft(ctx))
    drafts.save(draft(ctx, title="第二个问题"))
    drafts.delete(saved.id)
    with workspace.writing() as writer:
        writer.log("export", file="a.xcpkg", revisions=3)
    with workspace.writing() as writer:
        writer.log("export", file="b.xcpkg", revisions=0)
    return workspace


def _rows(conn: Connection) -> list[dict[str, Any]]:
    return [r._asdict() for r in conn.execute(select(audit_log).order_by(audit_log.c.seq))]


def _tamper(ws: Workspace, change: Tamper) -> list[dict[str, Any]]:
    with write_transaction(ws.engine) as conn:
        rows = _rows(conn)
        change(conn, rows)
    return rows


def _rehash(conn: Connection, row: dict[str, Any], **values: Any) -> str:
    new = {**row, **values}
    new["entry_hash"] = entry_hash(new)
    conn.execute(update(audit_log).where(audit_log.c.seq == row["seq"]).values(**new))
    return str(new["entry_hash"])


def _cli_check(
    ws: Workspace, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> list[str]:
    monkeypatch.setenv(PASSPHRASE_ENV, PASSPHRASE)
    code = cli.main(["check", "--db", str(ws.path)])
    out, err = capsys.readouterr()
    assert code == 1 and err.startswith("检查未通过"), (code, out, err)
    return out.splitlines()


def _found_everywhere(
    ws: Workspace,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    *found: tuple[int, str, str],
) -> None:
    """Each (seq, what verify says, what the check says) is reported, and nothing else."""
    status = AuditLog(ws).verify()
    assert [(b.seq, b.message) for b in status.breaks] == [(seq, said) for seq, said, _ in found]
    seq, said, _ = found[0]
    assert status.text.startswith(f"审计记录不完整：哈希链在第 {seq} 条处断开，{said}")
    assert [(p.area, p.message) for p in check_workspace(ws)] == [("audit", c) for _, _, c in found]
    ws.close()  # the command line opens the workspace as another program would: one holder at a time
    assert _cli_check(ws, capsys, monkeypatch) == [f"[审计日志] {c}" for _, _, c in found]


def test_a_sound_chain_is_complete_and_its_end_recorded(logged: Workspace) -> None:
    with logged.engine.connect() as conn:
        rows = _rows(conn)
        head = audit_head(conn)
    assert head == {"seq": rows[-1]["seq"], "count": len(rows), "hash": rows[-1]["entry_hash"]}
    status = AuditLog(logged).verify()
    assert (status.ok, status.total) == (True, len(rows))
    assert check_workspace(logged) == []


def test_delete_and_relink_is_found(
    logged: Workspace, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The next entry names the one before the removed one: only the hash over prev_hash tells."""

    def relink(conn: Connection, rows: list[dict[str, Any]]) -> None:
        conn.execute(delete(audit_log).where(audit_log.c.seq == rows[k]["seq"]))
        conn.execute(
            update(audit_log)
            .where(audit_log.c.seq == rows[k + 1]["seq"])
            .values(prev_hash=rows[k - 1]["entry_hash"])
        )

    with logged.engine.connect() as conn:
        k = [r["action"] for r in _rows(conn)].index("export")
    rows = _tamper(logged, relink)
    seq, n = rows[k + 1]["seq"], len(rows)
    fewer = f"审计日志应有 {n} 条，现有 {n - 1} 条（其间的记录被删除或插入）"
    _found_everywhere(
        logged,
        capsys,
        monkeypatch,
        (
            seq,
            "该条的内容与其哈希值不符（记录被改动）",
            f"第 {seq} 条审计记录的内容与其哈希值不符（记录被改动）",
        ),
        (rows[-1]["seq"] + 1, fewer, fewer),
    )


def test_an_edited_row_is_found(
    logged: Workspace, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    rows = _tamper(
        logged,
        lambda conn, rows: conn.execute(
            update(audit_log).where(audit_log.c.seq == rows[1]["seq"]).values(changes='{"title":["甲","乙"]}')
        ),
    )
    seq = rows[1]["seq"]
    _found_everywhere(
        logged,
        capsys,
        monkeypatch,
        (
            seq,
            "该条的内容与其哈希值不符（记录被改动）",
            f"第 {seq} 条审计记录的内容与其哈希值不符（记录被改动）",
        ),
    )


def test_an_edited_row_with_its_hash_made_again_breaks_the_link_to_the_next(
    logged: Workspace, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    rows = _tamper(logged, lambda conn, rows: _rehash(conn, rows[1], user_login="冒名者"))
    seq, before = rows[2]["seq"], rows[1]["seq"]
    _found_everywhere(
        logged,
        capsys,
        monkeypatch,
        (
            seq,
            f"该条与第 {before} 条衔接不上（其间的记录被删除、插入或改动）",
            f"第 {seq} 条审计记录与第 {before} 条衔接不上（其间的记录被删除、插入或改动）",
        ),
    )


def test_a_truncated_tail_is_found(
    logged: Workspace, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The last two entries are events naming no revision: the chain that is left is consistent."""
    rows = _tamper(
        logged, lambda conn, rows: conn.execute(delete(audit_log).where(audit_log.c.seq > rows[-3]["seq"]))
    )
    assert [r["action"] for r in rows[-2:]] == ["export", "export"]
    n, last = len(rows), rows[-1]["seq"]
    message = (
        f"审计日志末尾的记录缺失：应有 {n} 条、最后一条为第 {last} 条，"
        f"现只有 {n - 2} 条、到第 {last - 2} 条为止（日志末尾被截断）"
    )
    _found_everywhere(logged, capsys, monkeypatch, (last - 1, message, message))


def test_a_truncated_tail_stays_found_after_later_writes(logged: Workspace, ctx: Context) -> None:
    rows = _tamper(
        logged, lambda conn, rows: conn.execute(delete(audit_log).where(audit_log.c.seq > rows[-3]["seq"]))
    )
    RecordService(logged, DRAFT).save(draft(ctx, title="截断之后"))
    n = len(rows) + 1
    [problem] = check_workspace(logged)
    assert problem.message == f"审计日志应有 {n} 条，现有 {n - 2} 条（其间的记录被删除或插入）"
    assert not AuditLog(logged).verify().ok


def test_a_truncated_tail_with_its_mark_removed_is_found(
    logged: Workspace, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    def cut(conn: Connection, rows: list[dict[str, Any]]) -> None:
        conn.execute(delete(audit_log).where(audit_log.c.seq > rows[-3]["seq"]))
        conn.execute(delete(settings).where(settings.c.key == AUDIT_HEAD_KEY))

    rows = _tamper(logged, cut)
    message = "审计日志缺少末尾标记（日志末尾可能被截断）"
    _found_everywhere(logged, capsys, monkeypatch, (rows[-3]["seq"] + 1, message, message))


def test_a_rewritten_last_entry_is_found(
    logged: Workspace, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    rows = _tamper(logged, lambda conn, rows: _rehash(conn, rows[-1], changes='{"file":"c.xcpkg"}'))
    n, last = len(rows), rows[-1]["seq"]
    message = f"审计日志的最后一条与末尾标记不符：应为第 {last} 条、共 {n} 条（日志被改写）"
    _found_everywhere(logged, capsys, monkeypatch, (last + 1, message, message))


def test_the_end_is_counted_again_when_no_mark_was_recorded(logged: Workspace, ctx: Context) -> None:
    """A workspace from before the mark: the next write records it from the chain as it is."""
    _tamper(logged, lambda conn, rows: conn.execute(delete(settings).where(settings.c.key == AUDIT_HEAD_KEY)))
    assert not AuditLog(logged).verify().ok
    RecordService(logged, DRAFT).save(draft(ctx, title="之后的修改"))
    with logged.engine.connect() as conn:
        count = conn.execute(select(func.count()).select_from(audit_log)).scalar_one()
        assert audit_head(conn)["count"] == count
    assert AuditLog(logged).verify().ok and check_workspace(logged) == []


def test_an_empty_log_needs_no_mark(logged: Workspace) -> None:
    _tamper(logged, lambda conn, rows: conn.execute(delete(audit_log)))
    _tamper(logged, lambda conn, rows: conn.execute(delete(settings).where(settings.c.key == AUDIT_HEAD_KEY)))
    status = AuditLog(logged).verify()
    assert (status.ok, status.total) == (True, 0)


class Recorder:
    """A Progress that remembers what it was told and how often it was asked about Cancel."""

    def __init__(self) -> None:
        self.reports: list[tuple[int, int, str]] = []
        self.asked = 0

    def report(self, done: int, total: int, message: str = "") -> None:
        self.reports.append((done, total, message))

    def check_cancelled(self) -> None:
        self.asked += 1


def test_a_long_check_reports_progress_every_5000_entries(workspace: Workspace) -> None:
    with workspace.writing() as writer:
        for n in range(10_000):
            writer.log("export", file=f"{n}.xcpkg", revisions=0)
    total = AuditLog(workspace).count()
    progress = Recorder()
    status = AuditLog(workspace).verify(progress)
    assert status.ok and status.total == total > 10_000
    assert progress.reports == [(5000, total, "正在校验审计记录"), (10_000, total, "正在校验审计记录")]
    assert progress.asked == 2
    assert AuditLog(workspace).verify().ok  # without a Progress


def test_a_first_entry_that_names_a_predecessor_is_reported_at_the_start(logged: Workspace) -> None:
    """Everything after the first entry made to fit it again: only the first entry's link is wrong."""

    def rewrite(conn: Connection, rows: list[dict[str, Any]]) -> None:
        previous = _rehash(conn, rows[0], prev_hash="1" * 64)
        for row in rows[1:]:
            previous = _rehash(conn, row, prev_hash=previous)
        conn.execute(delete(settings).where(settings.c.key == AUDIT_HEAD_KEY))
        _write_head(conn, len(rows))

    rows = _tamper(logged, rewrite)
    [gap] = AuditLog(logged).verify().breaks
    assert (gap.seq, gap.message) == (
        rows[0]["seq"],
        "该条与日志开头衔接不上（其间的记录被删除、插入或改动）",
    )
    [problem] = check_workspace(logged)
    assert (
        problem.message == f"第 {rows[0]['seq']} 条审计记录与日志开头衔接不上（其间的记录被删除、插入或改动）"
    )


def test_one_chain_appends_over_several_flushes(workspace: Workspace) -> None:
    with write_transaction(workspace.engine) as conn:
        chain = AuditChain(conn)
        first = chain.entry("0000000000001-00000-aaaaaaaa", "tester", "export", changes={"file": "a"})
        chain.flush(conn)
        second = chain.entry("0000000000002-00000-aaaaaaaa", "tester", "export", changes={"file": "b"})
        chain.flush(conn)
    assert second["prev_hash"] == first["entry_hash"]
    assert (first["record_type"], first["record_id"], first["rev_id"]) == ("", "", None)
    assert AuditLog(workspace).verify().ok
