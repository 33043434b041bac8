"""A restore killed between its renames: the workspace path must not stay empty. The next opener finds the
plan written before the first rename and finishes it, so the restored copy (new incarnation) is in place and
the old workspace is kept aside."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.builders import PASSPHRASE, interview, make_context
from xuncha_desktop.domain.record_types import INTERVIEW
from xuncha_desktop.services.records.record_service import RecordService
from xuncha_desktop.services.security import backups
from xuncha_desktop.services.workspace import Workspace, exists
from xuncha_desktop.storage import restore_plan
from xuncha_desktop.storage.keyfile import keyfile_path

REPO = Path(__file__).resolve().parents[3]
# Restores, but is killed (SIGKILL, no clean-up of any kind) right after the old files were moved aside.
KILLED_RESTORE = """
import os, signal, sys
from xuncha_desktop.services.security import backups
from xuncha_desktop.storage import files
real = files.move_together
calls = []
def move_then_die(moves):
    real(moves)
    calls.append(moves)
    if len(calls) == 1:
        os.kill(os.getpid(), signal.SIGKILL)
files.move_together = move_then_die
backups.restore(sys.argv[1], sys.argv[2], sys.argv[3])
"""


@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL")
def test_a_restore_killed_between_its_renames_is_finished_by_the_next_open(
    workspace: Workspace, workspace_path: Path
) -> None:
    ctx = make_context(workspace)
    taken = backups.take_backup(workspace)
    RecordService(workspace, INTERVIEW).save(interview(ctx))  # after the backup: not in the restored copy
    incarnation = workspace.info.incarnation
    workspace.close()
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    child = subprocess.run(
        [sys.executable, "-c", KILLED_RESTORE, str(taken), str(workspace_path), PASSPHRASE],
        env=env,
        check=False,
    )
    assert child.returncode == -9
    assert not workspace_path.exists() and restore_plan.pending(workspace_path)  # killed half-way
    assert exists(workspace_path)  # the CLI and the GUI do not offer to make a new workspace here
    with Workspace.open(workspace_path, PASSPHRASE) as restored:
        assert RecordService(restored, INTERVIEW).count() == 0  # the backup's content
        assert restored.info.incarnation == incarnation + 1
    assert not restore_plan.pending(workspace_path) and keyfile_path(workspace_path).is_file()
    aside = sorted(p.name for p in workspace_path.parent.glob(f"{workspace_path.name}.恢复前-*"))
    assert len(aside) == 2 and any(name.endswith(".key") for name in aside)  # the old workspace, kept


def test_a_restore_that_fails_cleanly_leaves_no_plan(
    workspace: Workspace, workspace_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    taken = backups.take_backup(workspace)
    workspace.close()

    def refuse(_partial: Path, _target: Path, _aside: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(backups, "_put_in_place", refuse)
    with pytest.raises(OSError):
        backups.restore(taken, workspace_path, PASSPHRASE)
    assert not restore_plan.pending(workspace_path) and workspace_path.is_file()
