"""The layer rule (architecture.md §2.2): gui → services → storage → domain, and Qt only in the GUI."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[2] / "xuncha_desktop"

# For each layer, the top-level packages / project layers it must not import.
FORBIDDEN = {
    "domain": {
        "sqlalchemy",
        "PySide6",
        "xuncha_desktop.storage",
        "xuncha_desktop.services",
        "xuncha_desktop.gui",
        "reportlab",
        "openpyxl",
    },
    "storage": {"PySide6", "xuncha_desktop.services", "xuncha_desktop.gui"},
    "services": {"PySide6", "xuncha_desktop.gui"},
    "gui": {"sqlalchemy", "xuncha_desktop.storage"},
}


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


def _violations(layer: str) -> list[str]:
    bad = []
    for path in sorted((PACKAGE / layer).rglob("*.py")):
        for name in _imports(path):
            for banned in FORBIDDEN[layer]:
                if name == banned or name.startswith(banned + "."):
                    bad.append(f"{path.relative_to(PACKAGE)} imports {name}")
    return bad


@pytest.mark.parametrize("layer", sorted(FORBIDDEN))
def test_layer_imports_point_one_way(layer: str) -> None:
    assert _violations(layer) == []


def test_domain_uses_only_the_standard_library_and_itself() -> None:
    import sys

    allowed = set(sys.stdlib_module_names) | {"xuncha_desktop"}
    for path in (PACKAGE / "domain").rglob("*.py"):
        for name in _imports(path):
            assert name.split(".")[0] in allowed, f"{path.name} imports {name}"


def test_the_check_catches_a_violation(tmp_path: Path) -> None:
    sample = tmp_path / "x.py"
    sample.write_text("from PySide6.QtCore import QObject\nimport sqlalchemy.orm\n", encoding="utf-8")
    assert _imports(sample) == {"PySide6.QtCore", "sqlalchemy.orm"}
