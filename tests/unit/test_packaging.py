"""The package list in pyproject.toml is explicit (ui/ and resources/ are mapped into the package), so a new
sub-package or a new kind of shipped file must be named there: these tests say which one is missing."""

from __future__ import annotations

import fnmatch
import tomllib
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
SETUPTOOLS = tomllib.loads((REPO / "pyproject.toml").read_text("utf-8"))["tool"]["setuptools"]


def test_every_sub_package_is_listed() -> None:
    found = {
        ".".join(init.parent.relative_to(REPO).parts)
        for init in (REPO / "xuncha_desktop").rglob("__init__.py")
        if "__pycache__" not in init.parts
    }
    assert found | {"xuncha_desktop.ui", "xuncha_desktop.resources"} == set(SETUPTOOLS["packages"])


def test_every_shipped_file_is_package_data() -> None:
    for package, folder in SETUPTOOLS["package-dir"].items():
        patterns = SETUPTOOLS["package-data"][package]
        for path in (REPO / folder).rglob("*"):
            if path.is_file() and path.name != "__init__.py" and "__pycache__" not in path.parts:
                relative = path.relative_to(REPO / folder).as_posix()
                assert any(fnmatch.fnmatch(relative, p) for p in patterns), f"{folder}/{relative} 不会被安装"
