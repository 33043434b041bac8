"""storage.backup: backup names carry the label and the moment, and listing finds only complete backups
(database with its key file), newest first."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from xuncha_desktop.storage.backup import BackupInfo, backup_dir, backup_target, list_backups
from xuncha_desktop.storage.keyfile import keyfile_path


def _make(path: Path, *, with_key: bool = True) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"db")
    if with_key:
        keyfile_path(path).write_text("{}")
    return path


def test_target_name_and_folder(tmp_path: Path) -> None:
    db = tmp_path / "工作库.xcdb"
    when = datetime(2025, 3, 1, 9, 5, 7, 123456)
    assert backup_dir(db) == tmp_path / "备份"
    assert (
        backup_target(db, "导入前", when) == tmp_path / "备份" / "工作库.导入前-20250301-090507-123456.xcdb"
    )
    assert backup_target(db, "手动", when, folder=tmp_path / "u").parent == tmp_path / "u"


def test_listing_is_newest_first_and_skips_incomplete_and_foreign_files(tmp_path: Path) -> None:
    db = tmp_path / "工作库.xcdb"
    old = _make(backup_target(db, "每日", datetime(2025, 3, 1, 9, 0, 0)))
    new = _make(backup_target(db, "升级前-v3", datetime(2025, 3, 2, 9, 0, 0)))
    beside = _make(tmp_path / "工作库.手动-20250228-080000.xcdb")  # an older backup beside the workspace
    _make(backup_target(db, "每日", datetime(2025, 3, 3)), with_key=False)
    _make(backup_dir(db) / "别的库.每日-20250304-000000-000000.xcdb")
    _make(db)
    found = list_backups(db)
    assert [b.path for b in found] == [new, old, beside]
    assert found[0].kind == "升级前" and found[0].description == "2025-03-02 09:00（升级前）"
    assert found[2] == BackupInfo(beside, datetime(2025, 2, 28, 8, 0, 0), "手动")


def test_no_backup_folder_lists_nothing(tmp_path: Path) -> None:
    assert list_backups(tmp_path / "无.xcdb") == []
