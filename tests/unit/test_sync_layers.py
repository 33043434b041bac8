"""Storage owns the sync state (issue 11 point 3): the sync use cases orchestrate and name no table, the
merge is a pure function over revisions, and the sync_* tables are written only in storage."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[2] / "xuncha_desktop"
SYNC_TABLES = (
    "sync_self",
    "sync_keyring",
    "sync_replica",
    "sync_knowledge",
    "sync_peer_ack",
    "sync_package",
    "sync_revision",
    "sync_revision_parent",
    "sync_head",
    "sync_conflict",
    "sync_identity_change",
    "sync_retired_revision",
)
# Services that still read or write a sync_* table themselves, each with the tables it names: the list
# may only shrink.
NOT_YET_MOVED = {
    "security/audit_log.py": {"sync_retired_revision", "sync_revision_parent"},
    "security/backups.py": {"sync_self"},  # reads a backup file through the raw driver before restoring it
    "security/integrity.py": {
        "sync_head",
        "sync_replica",
        "sync_retired_revision",
        "sync_revision",
        "sync_revision_parent",
    },
    "records/record_service.py": {"sync_revision"},
    "statistics.py": {"sync_conflict", "sync_revision"},
}


def _imported(path: Path) -> dict[str, set[str]]:
    """{module: names imported from it} of a source file, counting imports inside functions too."""
    out: dict[str, set[str]] = {}
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module:
            out.setdefault(node.module, set()).update(a.name for a in node.names)
        elif isinstance(node, ast.Import):
            for alias in node.names:
                out.setdefault(alias.name, set())
    return out


def _tables_named(path: Path) -> set[str]:
    """The sync tables a file imports, or names in SQL text."""
    text = path.read_text(encoding="utf-8")
    in_sql = {t for t in SYNC_TABLES if re.search(rf"\b(FROM|INTO|UPDATE|JOIN)\s+{t}\b", text)}
    return set(_imported(path).get("xuncha_desktop.storage.tables", set())) & set(SYNC_TABLES) | in_sql


@pytest.mark.parametrize("path", sorted((PACKAGE / "services" / "sync").glob("*.py")), ids=lambda p: p.name)
def test_sync_use_cases_name_no_table_and_write_no_sql(path: Path) -> None:
    imported = _imported(path)
    assert "xuncha_desktop.storage.tables" not in imported
    assert imported.get("sqlalchemy", set()) <= {"Connection", "Row"}  # type hints only


def test_merge_is_a_pure_function_of_revisions() -> None:
    imported = _imported(PACKAGE / "storage" / "merge.py")
    assert not any(
        m == "sqlalchemy" or m.startswith(("sqlalchemy.", "xuncha_desktop.storage")) for m in imported
    )


def test_sync_tables_are_named_only_in_storage_and_the_services_not_yet_moved() -> None:
    services = PACKAGE / "services"
    named = {p.relative_to(services).as_posix(): _tables_named(p) for p in sorted(services.rglob("*.py"))}
    assert {name: tables for name, tables in named.items() if tables} == NOT_YET_MOVED
    assert not any(_tables_named(p) for p in (PACKAGE / "gui").rglob("*.py"))
