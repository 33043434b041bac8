"""paths: the data folder is the one given (else the per-user one), and everything else is named under it."""

from __future__ import annotations

from pathlib import Path

from xuncha_desktop import paths
from xuncha_desktop.paths import AppPaths, default_workspace_path, demo_workspace_path, resource_path
from xuncha_desktop.shipped import shipped_path


def test_a_given_data_folder_is_made_absolute_and_holds_the_rest(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    app = AppPaths.create(Path("数据"))
    assert app.data_dir == tmp_path / "数据"
    assert app.log_dir == tmp_path / "数据" / "logs"
    assert app.export_dir == tmp_path / "数据" / "导出"
    assert default_workspace_path(app) == tmp_path / "数据" / "工作库.xcdb"
    assert demo_workspace_path(app) == tmp_path / "数据" / "演示工作库.xcdb"
    assert not app.data_dir.exists()  # nothing is made until asked
    assert app.ensure() is app and app.data_dir.is_dir()


def test_without_a_folder_the_per_user_data_folder_is_used(tmp_path: Path, monkeypatch) -> None:
    seen = []

    def user_data_path(name: str, appauthor: bool) -> Path:
        seen.append((name, appauthor))
        return tmp_path / "用户"

    monkeypatch.setattr(paths.platformdirs, "user_data_path", user_data_path)
    assert AppPaths.create().data_dir == tmp_path / "用户"
    assert default_workspace_path() == tmp_path / "用户" / "工作库.xcdb"
    assert seen[0] == ("xuncha-desktop", False)


def test_resources_are_found_where_shipped() -> None:
    assert resource_path("ui", "main_window.ui") == shipped_path("ui", "main_window.ui")
    assert resource_path("ui", "main_window.ui").is_file()
