"""Default export folders and the detection of folders a cloud client synchronises."""

from __future__ import annotations

from pathlib import Path

import pytest

from xuncha_desktop.services.output.export_folders import cloud_service, default_export_dir


def test_the_last_folder_wins_unless_gone_or_hidden(tmp_path: Path, documents_folder: Path) -> None:
    data, last = tmp_path / "数据", tmp_path / "上次"
    (data / "备份").mkdir(parents=True)
    last.mkdir()
    assert default_export_dir(None, data) == documents_folder
    assert default_export_dir(last, data) == last
    assert default_export_dir(tmp_path / "已删除", data) == documents_folder
    assert default_export_dir(data / "备份", data) == documents_folder


def test_documents_inside_the_data_folder_falls_back_to_home(tmp_path: Path, documents_folder: Path) -> None:
    assert default_export_dir(None, documents_folder.parent) == Path.home()


@pytest.mark.parametrize(
    ("folder", "service"),
    [
        (r"C:\Users\王䶮\OneDrive\文档", "OneDrive"),
        (r"D:\OneDrive - 清河县纪委\巡察", "OneDrive"),
        ("/home/wang/坚果云/巡察", "坚果云"),
        ("/home/wang/Nutstore/巡察", "坚果云"),
        ("/home/wang/文档/巡察", None),
        ("/home/wang/OneDriveBackupTool", None),
    ],
)
def test_cloud_folders_are_recognised_by_name(folder: str, service: str | None) -> None:
    parts = folder.replace("\\", "/").split("/")
    assert cloud_service(Path(*parts), environ={}) == service


def test_cloud_folders_are_recognised_by_the_clients_variables(tmp_path: Path) -> None:
    root = tmp_path / "企业网盘"
    assert cloud_service(root / "文档", environ={"OneDrive": str(root)}) == "OneDrive"
    assert cloud_service(tmp_path / "本地", environ={"OneDrive": str(root)}) is None
