"""Creating and opening encrypted workspaces, and every way opening can fail cleanly."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from tests.builders import PASSPHRASE, interview, make_context
from xuncha_desktop.domain.errors import DamagedWorkspace, WorkspaceError, WrongPassphrase
from xuncha_desktop.domain.record_types import INTERVIEW
from xuncha_desktop.services.records.record_service import RecordService
from xuncha_desktop.services.workspace import Workspace
from xuncha_desktop.storage.database import cipher_version
from xuncha_desktop.storage.keyfile import KdfParams, keyfile_path, read_keyfile


def test_create_writes_database_and_key_file(workspace: Workspace, workspace_path: Path) -> None:
    assert workspace_path.is_file()
    assert keyfile_path(workspace_path).is_file()
    assert workspace.info.role == "field"
    assert workspace.user.role == "组长"
    assert cipher_version(workspace.engine).startswith("4.")


def test_office_workspace_has_office_role_and_admin(tmp_path: Path) -> None:
    with Workspace.create(tmp_path / "office.xcdb", PASSPHRASE, office=True, kdf=KdfParams.cheap()) as ws:
        assert ws.info.is_office
        assert ws.user.role == "巡察办管理员"


def test_plain_sqlite_cannot_read_the_file(workspace: Workspace, workspace_path: Path) -> None:
    workspace.close()
    with pytest.raises(sqlite3.DatabaseError, match="file is not a database"):
        sqlite3.connect(workspace_path).execute("SELECT count(*) FROM sqlite_master").fetchall()


def test_file_contains_no_record_text(workspace: Workspace, workspace_path: Path) -> None:
    ctx = make_context(workspace)
    RecordService(workspace, INTERVIEW).save(interview(ctx, content="独一无二的谈话内容甲乙丙"))
    workspace.close()
    for path in workspace_path.parent.iterdir():
        data = path.read_bytes()
        for needle in ("独一无二的谈话内容", "清河县财政局"):
            assert needle.encode("utf-8") not in data, path.name
            assert needle.encode("utf-16-le") not in data, path.name


def test_wrong_passphrase_fails_with_chinese_message(workspace: Workspace, workspace_path: Path) -> None:
    workspace.close()
    with pytest.raises(WrongPassphrase, match="口令不正确"):
        Workspace.open(workspace_path, "不对的口令123")


def test_reopen_with_right_passphrase_sees_data(workspace: Workspace, workspace_path: Path) -> None:
    ctx = make_context(workspace)
    saved = RecordService(workspace, INTERVIEW).save(interview(ctx))
    workspace.close()
    with Workspace.open(workspace_path, PASSPHRASE) as again:
        assert RecordService(again, INTERVIEW).get(saved.id).interviewee_name == "王晓东"


def test_create_refuses_to_overwrite(workspace: Workspace, workspace_path: Path) -> None:
    with pytest.raises(WorkspaceError, match="已存在"):
        Workspace.create(workspace_path, PASSPHRASE, kdf=KdfParams.cheap())


def test_short_passphrase_refused(tmp_path: Path) -> None:
    with pytest.raises(WorkspaceError, match="至少"):
        Workspace.create(tmp_path / "a.xcdb", "短", kdf=KdfParams.cheap())
    assert not (tmp_path / "a.xcdb").exists()


def test_missing_key_file_is_named(workspace: Workspace, workspace_path: Path) -> None:
    workspace.close()
    keyfile_path(workspace_path).unlink()
    with pytest.raises(WorkspaceError, match="密钥文件"):
        Workspace.open(workspace_path, PASSPHRASE)


def test_plain_sqlite_file_is_refused(tmp_path: Path) -> None:
    plain = tmp_path / "plain.xcdb"
    sqlite3.connect(plain).execute("CREATE TABLE t(x)").connection.commit()
    with pytest.raises(DamagedWorkspace, match="未加密"):
        Workspace.open(plain, PASSPHRASE)


def test_foreign_key_file_does_not_open_another_workspace(tmp_path: Path) -> None:
    a, b = tmp_path / "a.xcdb", tmp_path / "b.xcdb"
    Workspace.create(a, PASSPHRASE, kdf=KdfParams.cheap()).close()
    Workspace.create(b, PASSPHRASE, kdf=KdfParams.cheap()).close()
    keyfile_path(a).replace(keyfile_path(b))  # b's file with a's key
    with pytest.raises(WrongPassphrase, match="密钥不正确"):
        Workspace.open(b, PASSPHRASE)


def test_truncated_database_is_reported(workspace: Workspace, workspace_path: Path) -> None:
    workspace.close()
    for leftover in (Path(f"{workspace_path}-wal"), Path(f"{workspace_path}-shm")):
        leftover.unlink(missing_ok=True)
    workspace_path.write_bytes(workspace_path.read_bytes()[:10])
    with pytest.raises(DamagedWorkspace):
        Workspace.open(workspace_path, PASSPHRASE)


def test_damaged_key_file_is_reported(workspace: Workspace, workspace_path: Path) -> None:
    workspace.close()
    keyfile_path(workspace_path).write_text("{not json", encoding="utf-8")
    with pytest.raises(DamagedWorkspace, match="已损坏"):
        Workspace.open(workspace_path, PASSPHRASE)


def test_backup_is_encrypted_and_opens(workspace: Workspace, tmp_path: Path) -> None:
    ctx = make_context(workspace)
    RecordService(workspace, INTERVIEW).save(interview(ctx))
    target = workspace.backup(tmp_path / "backups" / "copy.xcdb")
    with pytest.raises(sqlite3.DatabaseError):
        sqlite3.connect(target).execute("SELECT count(*) FROM sqlite_master").fetchall()
    with Workspace.open(target, PASSPHRASE) as copy:
        assert RecordService(copy, INTERVIEW).count() == 1


def test_key_slot_unlocks_only_with_its_passphrase(workspace_path: Path, workspace: Workspace) -> None:
    keyfile = read_keyfile(keyfile_path(workspace_path))
    assert len(keyfile.unlock(PASSPHRASE)) == 32
    with pytest.raises(WrongPassphrase):
        keyfile.unlock(PASSPHRASE + "x")


def test_user_chosen_by_login(tmp_path: Path) -> None:
    path = tmp_path / "u.xcdb"
    Workspace.create(path, PASSPHRASE, user_name="李明", role="组员", kdf=KdfParams.cheap()).close()
    with Workspace.open(path, PASSPHRASE, user_login="李明") as ws:
        assert ws.user.role == "组员"
    with pytest.raises(WorkspaceError, match="登录名“不存在”在本工作库中还没有口令"):
        Workspace.open(path, PASSPHRASE, user_login="不存在")
