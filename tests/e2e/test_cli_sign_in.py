"""Scripted use signs in too: XUNCHA_USER (or --user before the sub-command) with XUNCHA_PASSPHRASE must be a
pair of one user's slot, and the user's role decides what the output shows."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import load_workbook

from tests.builders import MEMBER_PASSPHRASE, PASSPHRASE, Context, give_passphrase, lead
from xuncha_desktop import cli
from xuncha_desktop.domain.lead_registrations import LeadRegistration
from xuncha_desktop.domain.organization import User
from xuncha_desktop.domain.record_types import LEAD, USER
from xuncha_desktop.services.records.record_service import RecordService
from xuncha_desktop.services.security.audit_log import AuditLog, AuditQuery
from xuncha_desktop.services.workspace import PASSPHRASE_ENV, USER_ENV, Workspace

pytestmark = pytest.mark.e2e
REPORTER = "钱举报"


@pytest.fixture
def prepared(workspace: Workspace, ctx: Context) -> Path:
    """A lead with a reporter only the 组长 may see, and 李明 (组员) with a passphrase of his own."""
    RecordService[LeadRegistration](workspace, LEAD).save(
        lead(ctx, registered_by="别人", reporter_name=REPORTER)
    )
    RecordService[User](workspace, USER).save(User(login="liming", display_name="李明", role="组员"))
    give_passphrase(workspace, "liming")
    workspace.close()
    return workspace.path


def _ledger(capsys: pytest.CaptureFixture[str], path: Path, out: Path, *before: str) -> tuple[int, str]:
    code = cli.main([*before, "ledger", "--db", str(path), "--kind", "lead", "--out", str(out)])
    return code, capsys.readouterr().err


def _cells(path: Path) -> str:
    book = load_workbook(path)
    return " ".join(str(c.value) for sheet in book for row in sheet.iter_rows() for c in row if c.value)


def test_a_members_passphrase_with_the_leaders_login_is_refused(
    prepared: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(PASSPHRASE_ENV, MEMBER_PASSPHRASE)
    monkeypatch.setenv(USER_ENV, "管理员")
    code, err = _ledger(capsys, prepared, tmp_path / "冒充.xlsx")
    assert (code, err) == (1, "错误：口令不正确\n")
    assert not (tmp_path / "冒充.xlsx").exists()
    code, err = _ledger(capsys, prepared, tmp_path / "本人.xlsx", "--user", "liming")  # --user wins
    assert code == 0, err
    assert REPORTER not in _cells(tmp_path / "本人.xlsx") and "已隐藏" in _cells(tmp_path / "本人.xlsx")
    monkeypatch.setenv(PASSPHRASE_ENV, PASSPHRASE)
    monkeypatch.delenv(USER_ENV)
    code, err = _ledger(capsys, prepared, tmp_path / "组长.xlsx")
    assert code == 0, err
    assert REPORTER in _cells(tmp_path / "组长.xlsx")
    with Workspace.open(prepared, PASSPHRASE) as ws:
        log = AuditLog(ws)
        assert [(e.user, e.summary) for e in log.list(AuditQuery(action="ledger"))] == [
            ("管理员", "导出问题线索台账（1 条记录）：“组长.xlsx”"),
            ("liming", "导出问题线索台账（1 条记录）：“本人.xlsx”"),
        ]
        [failed] = log.list(AuditQuery(action="unlock_failed"))
        assert failed.summary.startswith("登录名“管理员”登录时口令错误 1 次（")
