"""The recipe for a new record type, walked with a throw-away one (走访记录, tests/recipe): the domain module
declares each field once, and the table, its indexes, the migration, merge and imports follow from it.
tests/gui/test_adding_a_record_page.py walks the GUI module and the .ui file."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pytest
from alembic import command
from sqlalchemy import MetaData

from tests.recipe import migration_visit_records as migration
from tests.recipe.visits import VISIT, VisitRecord
from tests.schema_dump import schema_of, unkeyed_engine
from xuncha_desktop.domain import record_types
from xuncha_desktop.storage import migrations, revision_body, tables
from xuncha_desktop.storage.tables import business_table

MIGRATION = Path(migration.__file__)


def test_the_domain_module_declares_each_field_once() -> None:
    assert VISIT.labels == {
        "number": "编号",
        "round_id": "巡察轮次",
        "group_id": "巡察组",
        "target_id": "被巡察单位",
        "visited_on": "走访日期",
        "kind": "走访方式",
        "place": "走访地点",
        "visitor": "走访人",
        "topics": "涉及问题",
        "findings": "走访情况",
        "marking": "密级标识",
    }
    assert VISIT.header("marking") == "密级"  # the short label, where columns are narrow
    assert VISIT.date_field == "visited_on"
    assert VISIT.filter_fields == ("kind",)
    assert VISIT.indexed_fields == ("round_id", "group_id", "target_id")
    assert VISIT.text_fields == ("number", "place", "visitor", "findings")
    assert VISIT.set_fields == ("topics",) and VISIT.list_fields == ("topics",)
    assert VISIT.group_scoped
    assert VISIT.field("visited_on").kind == "date" and VISIT.field("topics").kind == "list"


def test_validation_names_fields_by_their_declared_labels() -> None:
    errors = VISIT.validate(VisitRecord(kind="夜访", visited_on=date(2030, 1, 1)), date(2026, 1, 1))
    messages = {e.field: e.message for e in errors}
    assert messages["visitor"] == "请填写走访人"
    assert messages["visited_on"] == "走访日期不能晚于今天"
    assert messages["kind"].startswith("走访方式“夜访”不在可选范围内")


def test_the_table_and_its_indexes_come_from_the_declarations() -> None:
    table = business_table(VISIT, MetaData())
    assert table.name == "visit_records"
    assert [c.name for c in table.columns][len(tables.META_COLUMNS) :] == [
        "round_id",
        "group_id",
        "target_id",
        "visited_on",
        "kind",
        "place",
        "visitor",
        "topics",
        "findings",
        "marking",
    ]
    indexes = {i.name: tuple(c.name for c in i.columns) for i in table.indexes}
    assert indexes == {f"ix_visit_records_{name}": columns for name, columns in migration.INDEXES}


def test_the_migration_builds_what_the_declarations_describe(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    scripts = tmp_path / "migrations"
    shutil.copytree(migrations.MIGRATIONS_DIR, scripts)
    head = migrations.revision_chain()[-1]
    step = MIGRATION.read_text(encoding="utf-8").replace(
        'down_revision: str | None = "HEAD"', f'down_revision = "{head}"'
    )
    (scripts / "versions" / "9999_visit_records.py").write_text(step, encoding="utf-8")
    monkeypatch.setattr(migrations, "MIGRATIONS_DIR", scripts)
    upgraded = unkeyed_engine(tmp_path / "upgraded.db")
    with upgraded.connect() as conn:
        command.upgrade(migrations.alembic_config(conn), "head")
        conn.commit()

    fresh = unkeyed_engine(tmp_path / "fresh.db")
    visits = business_table(VISIT)  # as registering VISIT in ALL_RECORD_TYPES does
    revision_body.attach_guard(visits)
    try:
        tables.metadata.create_all(fresh)
    finally:
        tables.metadata.remove(visits)
    assert schema_of(upgraded) == schema_of(fresh)
    assert "visit_records" in schema_of(upgraded)


def test_merge_and_imports_read_the_registered_types(monkeypatch: pytest.MonkeyPatch) -> None:
    assert "topics" not in record_types.set_fields()
    monkeypatch.setattr(record_types, "ALL_RECORD_TYPES", (*record_types.ALL_RECORD_TYPES, VISIT))
    assert "topics" in record_types.set_fields() and "topics" in record_types.list_fields()


def test_the_command_line_offers_the_kinds_the_services_write() -> None:
    from xuncha_desktop.cli import output_commands
    from xuncha_desktop.services.output import excel_export, pdf_export

    assert output_commands.PDF_KINDS == pdf_export.PDF_KINDS == tuple(pdf_export.PDF_WRITERS)
    assert output_commands.LEDGER_KINDS == excel_export.LEDGER_KINDS
    assert set(pdf_export.PDF_KINDS) == {rt.key for rt in record_types.MAIN_RECORD_TYPES}
