"""Locking a workspace: no key and no engine while locked, clear errors, unlock with growing waits."""

from __future__ import annotations

import gc
import shutil
import weakref
from pathlib import Path

import pytest

from tests.builders import PASSPHRASE, Context, draft
from xuncha_desktop.domain.errors import DamagedWorkspace, WorkspaceError
from xuncha_desktop.domain.issue_drafts import IssueDraft
from xuncha_desktop.domain.record_types import DRAFT
from xuncha_desktop.services.records.form_recovery import FormRecovery
from xuncha_desktop.services.records.record_service import RecordService
from xuncha_desktop.services.security import backups, sign_in_attempts
from xuncha_desktop.services.security.sign_in_attempts import AttemptGuard, TooManyAttempts
from xuncha_desktop.services.workspace import Workspace
from xuncha_desktop.storage.keyfile import KdfParams, PassphraseRejected, keyfile_path

LOCKED = r"^工作库已锁定"


class FakeClock:
    def __init__(self) -> None:
        self.now = 1_000_000.0

    def __call__(self) -> float:
        return self.now


def test_lock_drops_the_engine_and_the_key(workspace: Workspace, ctx: Context) -> None:
    drafts = RecordService[IssueDraft](workspace, DRAFT)
    saved = drafts.save(draft(ctx, title="锁定前保存的底稿"))
    engine = weakref.ref(workspace.engine)
    workspace.lock()
    gc.collect()
    assert workspace.is_locked
    assert engine() is None  # nothing else kept the engine (whose connect function holds the key)
    assert workspace._key == b""
    with pytest.raises(WorkspaceError, match=LOCKED):
        drafts.get(saved.id)
    with pytest.raises(WorkspaceError, match=LOCKED):
        drafts.save(draft(ctx, title="锁定后保存"))
    with pytest.raises(WorkspaceError, match=LOCKED):
        FormRecovery(workspace).pending()
    with pytest.raises(WorkspaceError, match=LOCKED):
        backups.take_backup(workspace)
    workspace.lock()  # twice is harmless
    assert workspace.is_locked


def test_unlock_reconnects_the_same_object(workspace: Workspace, ctx: Context) -> None:
    drafts = RecordService[IssueDraft](workspace, DRAFT)  # made before the lock, used after it
    saved = drafts.save(draft(ctx, title="解锁后仍能读到"))
    workspace.lock()
    workspace.unlock(PASSPHRASE)
    assert not workspace.is_locked
    assert drafts.get(saved.id).title == "解锁后仍能读到"
    again = drafts.save(draft(ctx, title="解锁后新建"))
    assert {d.title for d in drafts.list()} == {"解锁后仍能读到", "解锁后新建"}
    assert again.number
    workspace.unlock(PASSPHRASE)  # not locked: nothing happens


def test_a_locked_workspace_closes_without_its_key(workspace: Workspace) -> None:
    workspace.lock()
    workspace.close()  # the window closing while locked
    assert workspace.is_locked


def test_wrong_passphrases_at_unlock_wait_longer(workspace: Workspace, workspace_path: Path) -> None:
    clock = FakeClock()
    guard = AttemptGuard(schedule=lambda n: 0.0 if n < 2 else 30.0 * (n - 1), clock=clock)
    workspace.lock()
    with pytest.raises(PassphraseRejected, match=r"^口令不正确$"):
        workspace.unlock("错误的口令-1", guard=guard)
    with pytest.raises(PassphraseRejected, match="已连续输错 2 次，请 30 秒后再试"):
        workspace.unlock("错误的口令-2", guard=guard)
    with pytest.raises(TooManyAttempts, match="30 秒后再试"):
        workspace.unlock(PASSPHRASE, guard=guard)  # not even tried while waiting
    assert workspace.is_locked
    clock.now += 31
    workspace.unlock(PASSPHRASE, guard=guard)
    assert not workspace.is_locked
    assert not sign_in_attempts.attempts_path(workspace_path).exists()  # reset on success


def test_unlock_refuses_a_file_replaced_while_locked(workspace: Workspace, tmp_path: Path) -> None:
    (tmp_path / "另一个").mkdir()
    other = Workspace.create(tmp_path / "另一个" / "工作库.xcdb", PASSPHRASE, kdf=KdfParams.cheap())
    other.close()
    workspace.lock()
    for suffix in ("", "-wal", "-shm"):
        Path(f"{workspace.path}{suffix}").unlink(missing_ok=True)
    shutil.copyfile(other.path, workspace.path)
    shutil.copyfile(keyfile_path(other.path), keyfile_path(workspace.path))
    with pytest.raises(DamagedWorkspace, match="在锁定期间被替换或恢复过"):
        workspace.unlock(PASSPHRASE)
    assert workspace.is_locked
