"""tests/unit mirrors the package (issue 19): each module with logic has its own test module at the same
place, tests/unit/<package path>/test_<module>.py, so that the tests of a module are found without a
search, and a module without one is seen at once. The GUI is tested by pytest-qt in tests/gui."""

from __future__ import annotations

from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
PACKAGE = REPO / "xuncha_desktop"
UNIT = REPO / "tests" / "unit"

# Not mirrored at all: the GUI (tests/gui) and the schema migrations (tests/unit/storage/test_migrations.py
# replays every one of them against the declarations).
NOT_MIRRORED = ("gui/", "storage/migrations/")

# Modules without logic of their own, or tested where they are used; kept short.
EXEMPT = {
    "__main__": "two lines that call cli.main",
    "app": "starts the Qt application; tests/e2e/test_smoke.py starts it",
    "domain/vocab": "the official wording as constants",
    "domain/errors": "exception classes with their Chinese messages",
    "domain/states": "the state and step names as constants",
    "services/progress": "the progress protocol and its do-nothing implementation",
    "services/demo/text": "demo text banks; tests/unit/services/demo/test_build.py checks their slots",
}

# Test modules named by a feature that spans several modules, each kept beside its main module (or at the
# top when it is about the whole package); every other test module is named after a module.
FEATURE_TESTS = {
    "test_tests_mirror_the_package": "this file",
    "test_architecture": "layers and import rules of the whole package",
    "test_packaging": "the wheel lists every sub-package",
    "test_adding_a_record_type": "the recipe for a new record type, through every layer",
    "test_benchmarks": "the benchmark runners of tests/benchmarks",
    "test_sync_layers": "storage owns the sync tables, across services and storage",
    "domain/test_deadlines": "every date limit at its boundary, across domain and services",
    "services/security/test_audit_chain": "the hash chain against tampering, via verify, check and the CLI",
    "services/security/test_output_audit": "each output writes one audit entry",
    "services/security/test_no_plaintext_leaks": "no record text in any file written",
    "services/security/test_sign_in": "key slots, roles and attempts together",
    "services/sync/test_sync_office_restore": "the office restores, the laptops send again",
    "services/sync/test_sync_properties": "the sync state machine",
    "services/sync/test_sync_revision_signatures": "every revision's author signature on import",
}


def _modules() -> set[str]:
    """Every module of the package as a path without .py, relative to the package."""
    found = set()
    for path in PACKAGE.rglob("*.py"):
        rel = path.relative_to(PACKAGE).with_suffix("").as_posix()
        if path.name == "__init__.py" or rel.startswith(NOT_MIRRORED):
            continue
        found.add(rel)
    return found


def _exempt(module: str) -> bool:
    return any(module == e or module.startswith(e + "/") for e in EXEMPT)


def _mirror(module: str) -> Path:
    package, _, name = module.rpartition("/")
    return UNIT / package / f"test_{name}.py"


def test_every_module_with_logic_has_its_test_module_in_the_mirror_place() -> None:
    missing = sorted(
        _mirror(m).relative_to(REPO).as_posix()
        for m in _modules()
        if not _exempt(m) and not _mirror(m).exists()
    )
    assert missing == [], f"这些模块没有对应的测试模块：{missing}"


def test_exemptions_and_feature_tests_name_files_that_exist() -> None:
    modules = _modules()
    stale = [e for e in EXEMPT if e not in modules and not (PACKAGE / e).is_dir()]
    assert stale == []
    assert [f for f in FEATURE_TESTS if not (UNIT / f"{f}.py").exists()] == []


def _names_a_module(rel: str, modules: set[str]) -> bool:
    """test_<name>.py names a module of its folder's package, or test_<name>_<more>.py holds more tests of
    one (test_keys_rules.py beside test_keys.py)."""
    package, _, stem = rel.rpartition("/")
    name = stem.removeprefix("test_")
    siblings = {m.rpartition("/")[2] for m in modules if m.rpartition("/")[0] == package}
    return name in siblings or any(name.startswith(s + "_") for s in siblings)


def test_no_test_module_is_left_for_a_module_that_no_longer_exists() -> None:
    modules = _modules()
    left = []
    for path in UNIT.rglob("test_*.py"):
        rel = path.relative_to(UNIT).with_suffix("").as_posix()
        if rel not in FEATURE_TESTS and not _names_a_module(rel, modules):
            left.append(rel)
    assert sorted(left) == [], f"这些测试模块对应的模块已不存在：{sorted(left)}"


def test_every_mirror_folder_is_a_package_of_its_own() -> None:
    """Module basenames repeat across folders (two test_attachments.py), so each folder needs __init__.py."""
    folders = [d for d in UNIT.rglob("*") if d.is_dir() and d.name != "__pycache__"]
    assert [d.name for d in folders if not (d / "__init__.py").exists()] == []
    assert [d.name for d in folders if not (PACKAGE / d.relative_to(UNIT)).is_dir()] == []
