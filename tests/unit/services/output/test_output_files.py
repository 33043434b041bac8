"""output_files: an output file appears whole or not at all, never over a workspace file, and with its audit
entry in the same step."""

from __future__ import annotations

from pathlib import Path

import pytest

from xuncha_desktop.domain.errors import XunchaError
from xuncha_desktop.services.output.output_files import (
    OutputAudit,
    atomic_output,
    log_output,
    refuse_workspace_file,
    save_output,
)
from xuncha_desktop.services.security.audit_log import AuditLog, AuditQuery
from xuncha_desktop.services.workspace import Workspace


def test_a_failed_write_leaves_the_older_file_and_no_part(tmp_path: Path) -> None:
    target = tmp_path / "台账.xlsx"
    target.write_bytes(b"old")
    with pytest.raises(RuntimeError), atomic_output(target) as part:
        part.write_bytes(b"half")
        raise RuntimeError("midway")
    assert target.read_bytes() == b"old" and not part.exists()
    save_output(target, b"new")
    assert target.read_bytes() == b"new" and list(tmp_path.iterdir()) == [target]


def test_workspace_files_and_missing_folders_are_refused(workspace: Workspace, tmp_path: Path) -> None:
    with pytest.raises(XunchaError, match="是工作库的文件"):
        refuse_workspace_file(workspace.path)
    with pytest.raises(XunchaError, match="不存在"):
        save_output(tmp_path / "无" / "a.pdf", b"x")


def _last(ws: Workspace) -> tuple[str, str]:
    entry = AuditLog(ws).list(AuditQuery())[0]  # newest first
    return entry.action, entry.summary


def test_the_audit_entry_is_written_with_the_file(workspace: Workspace, tmp_path: Path) -> None:
    save_output(tmp_path / "底稿.pdf", b"%PDF", OutputAudit(workspace, "print", "draft", records=2))
    assert (tmp_path / "底稿.pdf").exists()
    assert _last(workspace) == ("print", "打印问题底稿（2 份）：“底稿.pdf”")
    log_output(workspace, "print", "lead", 1, printer="办公室打印机")
    assert _last(workspace) == ("print", "打印问题线索登记表（1 份）到打印机“办公室打印机”")
