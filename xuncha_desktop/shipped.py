"""Files that ship with the application: `ui/` (Qt Designer forms) and `resources/` (fonts, icons, templates).

In the source tree they sit at the top level; the build maps them into the package as `xuncha_desktop.ui` and
`xuncha_desktop.resources` (pyproject `package-dir`), so a wheel, an editable install and a plain checkout
all find them through `importlib.resources`, and the PyInstaller folder through `sys._MEIPASS`. Nothing here
depends on the current directory or on where the source tree was.
"""

from __future__ import annotations

import sys
from importlib import resources
from pathlib import Path

TOP_LEVEL = ("ui", "resources")


def _root(top: str) -> Path:
    frozen = getattr(sys, "_MEIPASS", None)
    if frozen is not None:  # the spec copies ui/ and resources/ under sys._MEIPASS
        return Path(frozen) / top
    try:
        found = resources.files(f"xuncha_desktop.{top}")
    except ModuleNotFoundError:  # a checkout run without installing: the folders beside the package
        return Path(__file__).resolve().parent.parent / top
    # An installed package (wheel or editable) is a real folder on disk; Qt and reportlab need paths.
    return Path(str(found))


def shipped_path(top: str, *parts: str) -> Path:
    """A shipped file or folder, e.g. shipped_path("ui", "main_window.ui")."""
    if top not in TOP_LEVEL:
        raise ValueError(f"not a shipped folder: {top}")
    return _root(top).joinpath(*parts)
