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


# -- no import cycles ----------------------------------------------------------------------------------
# Every import counts, also those inside functions: a lazy import hides a cycle without removing it. Imports
# under `if TYPE_CHECKING:` are never executed and only name types, so they are left out.
def _module_names() -> dict[str, Path]:
    names = {}
    for path in PACKAGE.rglob("*.py"):
        parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        names[".".join(parts)] = path
    return names


def _type_checking_blocks(tree: ast.AST) -> set[int]:
    skipped: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            skipped.update(id(inner) for stmt in node.body for inner in ast.walk(stmt))
    return skipped


def _project_imports(name: str, path: Path, modules: dict[str, Path]) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    skipped = _type_checking_blocks(tree)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(tree):
        if id(node) in skipped:
            continue
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names if alias.name in modules)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join(parts + ([node.module] if node.module else []))
            for alias in node.names:
                # `from package import module` depends on that module; `from module import name` on the module
                found.add(f"{base}.{alias.name}" if f"{base}.{alias.name}" in modules else base)
    return {m for m in found if m in modules and m != name}


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan, iteratively)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    for root in sorted(graph):
        if root in index:
            continue
        work = [(root, iter(sorted(graph[root])))]
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        while work:
            node, successors = work[-1]
            for succ in successors:
                if succ not in index:
                    index[succ] = low[succ] = len(index)
                    stack.append(succ)
                    on_stack.add(succ)
                    work.append((succ, iter(sorted(graph[succ]))))
                    break
                if succ in on_stack:
                    low[node] = min(low[node], index[succ])
            else:
                work.pop()
                if work:
                    low[work[-1][0]] = min(low[work[-1][0]], low[node])
                if low[node] == index[node]:
                    component = []
                    while True:
                        member = stack.pop()
                        on_stack.discard(member)
                        component.append(member)
                        if member == node:
                            break
                    if len(component) > 1:
                        found.append(sorted(component))
    return found


def test_no_import_cycles_between_modules() -> None:
    modules = _module_names()
    graph = {name: _project_imports(name, path, modules) for name, path in modules.items()}
    assert _cycles(graph) == []


def test_the_cycle_check_sees_lazy_imports_and_ignores_type_checking(tmp_path: Path) -> None:
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}, "e": set()}
    assert _cycles(graph) == [["a", "b", "c"]]
    sample = tmp_path / "x.py"
    sample.write_text(
        "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    import xuncha_desktop.cli\n"
        "def f():\n    from xuncha_desktop.services import statistics\n",
        encoding="utf-8",
    )
    modules = {"xuncha_desktop.cli": sample, "xuncha_desktop.services.statistics": sample}
    assert _project_imports("xuncha_desktop.x", sample, modules) == {"xuncha_desktop.services.statistics"}


def test_the_gui_never_imports_the_command_line() -> None:
    assert [f for f in _violations("gui") if "xuncha_desktop.cli" in f] == []
    for path in (PACKAGE / "gui").rglob("*.py"):
        assert not any(n.startswith("xuncha_desktop.cli") for n in _imports(path)), path.name


# -- sizes ---------------------------------------------------------------------------------------------
MAX_MODULE_LINES = 600
MAX_FUNCTION_LINES = 80


def _sources() -> list[Path]:
    return [p for p in sorted(PACKAGE.rglob("*.py")) if "migrations" not in p.relative_to(PACKAGE).parts]


def test_no_module_over_600_lines() -> None:
    long = {}
    for path in _sources():
        lines = len(path.read_text(encoding="utf-8").splitlines())
        if lines > MAX_MODULE_LINES:
            long[str(path.relative_to(PACKAGE))] = lines
    assert long == {}


def test_no_function_over_80_lines() -> None:
    long = {}
    for path in _sources():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                length = (node.end_lineno or node.lineno) - node.lineno + 1
                if length > MAX_FUNCTION_LINES:
                    long[f"{path.relative_to(PACKAGE)}:{node.name}"] = length
    assert long == {}
