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


def test_every_folder_of_modules_is_a_package_or_package_data() -> None:
    # A folder of modules without __init__.py still imports from a checkout (a namespace package), but the
    # explicit package list leaves it out of the wheel: the installed application then fails on first use.
    for module in (REPO / "xuncha_desktop").rglob("*.py"):
        folder = module.parent
        if "__pycache__" in module.parts or (folder / "__init__.py").is_file():
            continue
        owner = next(p for p in folder.parents if (p / "__init__.py").is_file())
        package = ".".join(owner.relative_to(REPO).parts)
        relative = module.relative_to(owner).as_posix()
        patterns = SETUPTOOLS["package-data"].get(package, [])
        assert any(fnmatch.fnmatch(relative, p) for p in patterns), (
            f"{folder.relative_to(REPO)} 缺少 __init__.py"
        )
