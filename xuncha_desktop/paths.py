"""Where the application keeps its data (platformdirs or --data-dir) and where its ui/ and resources/ are."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import platformdirs

from xuncha_desktop import APP_NAME
from xuncha_desktop.shipped import shipped_path

DEFAULT_WORKSPACE_NAME = "工作库.xcdb"
DEMO_WORKSPACE_NAME = "演示工作库.xcdb"


@dataclass(frozen=True)
class AppPaths:
    """The folders of one installation; built once in app.py, never at import time."""

    data_dir: Path

    @classmethod
    def create(cls, data_dir: Path | None = None) -> AppPaths:
        """The per-user data folder (%LOCALAPPDATA%\\xuncha-desktop on Windows), or `data_dir` when given."""
        if data_dir is None:
            data_dir = platformdirs.user_data_path(APP_NAME, appauthor=False)
        return cls(Path(data_dir).absolute())

    @property
    def log_dir(self) -> Path:
        return self.data_dir / "logs"

    @property
    def export_dir(self) -> Path:
        return self.data_dir / "导出"

    def ensure(self) -> AppPaths:
        self.data_dir.mkdir(parents=True, exist_ok=True)
        return self


def default_workspace_path(paths: AppPaths | None = None) -> Path:
    return (paths or AppPaths.create()).data_dir / DEFAULT_WORKSPACE_NAME


def demo_workspace_path(paths: AppPaths | None = None) -> Path:
    return (paths or AppPaths.create()).data_dir / DEMO_WORKSPACE_NAME


def resource_path(top: str, *parts: str) -> Path:
    """A file under ui/ or resources/, e.g. resource_path("ui", "main_window.ui"): see shipped.py."""
    return shipped_path(top, *parts)
