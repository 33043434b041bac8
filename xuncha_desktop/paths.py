"""Where the application keeps its data (platformdirs or --data-dir) and where its ui/ and resources/ are."""

from __future__ import annotations

import site
import sys
from dataclasses import dataclass
from pathlib import Path

import platformdirs

from xuncha_desktop import APP_NAME

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


def _bundle_root() -> Path:
    frozen_root = getattr(sys, "_MEIPASS", None)
    if frozen_root is not None:  # PyInstaller puts datas under sys._MEIPASS
        return Path(frozen_root)
    checkout = Path(__file__).resolve().parent.parent  # a source checkout or an editable install
    if (checkout / "ui").is_dir():
        return checkout
    # `pip install .` puts ui/ and resources/ under <prefix>/share/xuncha-desktop (pyproject data-files).
    for prefix in (sys.prefix, site.getuserbase()):
        installed = Path(prefix) / "share" / APP_NAME
        if (installed / "ui").is_dir():
            return installed
    return checkout


def resource_path(*parts: str) -> Path:
    """A file under ui/ or resources/, e.g. resource_path("ui", "main_window.ui"), from source or frozen."""
    return _bundle_root().joinpath(*parts)
