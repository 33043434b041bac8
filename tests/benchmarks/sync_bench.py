"""Issue 4: importing field packages of changed records into a large office workspace.

The office holds `records` demo records; two laptops (one per group) are provisioned from it, each then
changes `per_package` records at a time and exports `packages / 2` delta packages. The figure is the
time to import all packages into the office, against raw inserts of the same business rows into an
encrypted SQLite file (SQLAlchemy Core executemany, one transaction) on the same machine.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path
from types import SimpleNamespace
from typing import Any

from sqlalchemy import insert, select, text

from tests.benchmarks.report import line, note, stopwatch
from xuncha_desktop.domain.record_types import BY_KEY, MAIN_RECORD_TYPES, RecordType
from xuncha_desktop.services import sync
from xuncha_desktop.services.demo.build import build_demo
from xuncha_desktop.services.records.record_service import ListQuery, RecordService
from xuncha_desktop.services.workspace import Workspace
from xuncha_desktop.storage import search_index, undo_journal
from xuncha_desktop.storage.database import open_engine, write_transaction
from xuncha_desktop.storage.keyfile import KdfParams, new_dek
from xuncha_desktop.storage.tables import (
    BUSINESS_TABLES,
    metadata,
    search_doc,
    sync_revision,
    sync_revision_parent,
)

PASSPHRASE = "基准测试-口令-2025"
CODE = "基准测试配置码"
# The text field each record type gets changed in (every main type has one).
EDITED_FIELD = {
    "interview": "location",
    "draft": "suggestion",
    "lead": "verifiability",
    "petition": "summary",
    "evaluation": "overall",
    "appraisal": "group_opinion",
}


def _office(root: Path, records: int) -> Workspace:
    office = Workspace.create(root / "巡察办.xcdb", PASSPHRASE, office=True, kdf=KdfParams.cheap())
    with stopwatch() as t:
        build_demo(office, seed=7, records=records)
    note(f"office demo workspace with {records} records built in {t[0]:.1f} s")
    return office


def _laptop(root: Path, office: Workspace, group_id: str, name: str) -> Workspace:
    package = root / f"配置-{name}.xcpkg"
    sync.provision_package(office, package, group_id=group_id, code=CODE)
    laptop = Workspace.create(
        root / f"{name}.xcdb", PASSPHRASE, user_name=name, role="组员", kdf=KdfParams.cheap()
    )
    with stopwatch() as t:
        [report] = sync.import_packages(laptop, [package], code=CODE)
    assert report.status == "imported", report.error
    note(f"{name} provisioned with {report.new} records in {t[0]:.1f} s")
    return laptop


def _records_of(ws: Workspace) -> list[tuple[RecordType, Any]]:
    out = []
    for rt in MAIN_RECORD_TYPES:
        out.extend((rt, r) for r in RecordService(ws, rt).list(ListQuery(limit=None)))
    return out


def _change_and_export(
    root: Path, laptop: Workspace, records: list[tuple[RecordType, Any]], start: int, count: int, tag: str
) -> Path:
    with laptop.writing() as writer:
        for rt, record in records[start : start + count]:
            field = EDITED_FIELD[rt.key]
            writer.write(rt, dataclasses.replace(record, **{field: f"{getattr(record, field)}（{tag}补充）"}))
    path = root / f"{laptop.path.stem}-{tag}.xcpkg"
    sync.export_package(laptop, path)
    return path


FTS_ROWS = "search_fts"  # the trigram index's rows, beside the tables in _rows_written
FTS_INSERT = text("INSERT INTO search_fts(rowid, body) VALUES (:docid, :body)")


def _rows_written(office: Workspace, changed: dict[str, list[str]], package_ids: set[str]) -> dict[Any, list]:
    """Every row the import stored: the revisions and parent links it received, and the business rows and
    search documents of the records it touched, as they stand afterwards."""
    out: dict[Any, list[dict[str, Any]]] = {}
    with office.engine.connect() as conn:
        revs = [r._asdict() for r in conn.execute(select(sync_revision)) if r.received_package in package_ids]
        out[sync_revision] = revs
        rev_ids = [r["rev_id"] for r in revs]
        out[sync_revision_parent] = [
            r._asdict()
            for start in range(0, len(rev_ids), 500)
            for r in conn.execute(
                select(sync_revision_parent).where(
                    sync_revision_parent.c.rev_id.in_(rev_ids[start : start + 500])
                )
            )
        ]
        docs: list[dict[str, Any]] = []
        texts: dict[str, str] = {}
        for key, ids in changed.items():
            table = BUSINESS_TABLES[key]
            out[table] = [
                r._asdict()
                for start in range(0, len(ids), 500)
                for r in conn.execute(select(table).where(table.c.id.in_(ids[start : start + 500])))
            ]
            docs += [
                r._asdict()
                for start in range(0, len(ids), 500)
                for r in conn.execute(
                    select(search_doc).where(
                        search_doc.c.record_type == key, search_doc.c.record_id.in_(ids[start : start + 500])
                    )
                )
            ]
            # The text each document was indexed under: the index keeps none, the records' fields hold it.
            fields = BY_KEY[key].text_fields
            texts.update(
                {row["id"]: search_index.document_text(SimpleNamespace(**row), fields) for row in out[table]}
            )
        out[search_doc] = docs
        out[FTS_ROWS] = [{"docid": d["docid"], "body": texts[d["record_id"]]} for d in docs]
    return out


def _raw_insert_seconds(path: Path, rows: dict[Any, list[dict[str, Any]]]) -> float:
    """Insert the rows into a fresh encrypted file with the same schema and search index, in one go."""
    engine = open_engine(path, new_dek())
    metadata.create_all(engine)
    with stopwatch() as t, write_transaction(engine) as conn:
        for table, batch in rows.items():
            if batch:
                conn.execute(FTS_INSERT if table is FTS_ROWS else insert(table), batch)
    engine.dispose()
    return t[0]


def _one_package(root: Path, office: Workspace, laptop: Workspace, records: int, scale: float) -> None:
    """Issue 17: one package of 500 changed records into the office, its safety copy (the undo journal,
    formerly a backup of the whole workspace) included."""
    size = max(int(500 * scale), 1)
    package = _change_and_export(root, laptop, _records_of(laptop), 0, size, "单包")
    office_bytes = office.path.stat().st_size
    with stopwatch() as t:
        [one] = sync.import_packages(office, [package], backup_dir=root / "备份")
    assert one.status == "imported", one.error
    journals = list((root / "备份").glob(f"*{undo_journal.SUFFIX}"))
    note(
        f"one package of {size} changed records ({one.updated + one.new} merged) into the office of "
        f"{records} records ({office_bytes / 1e6:.0f} MB): {t[0]:.2f} s; its undo journal "
        f"{sum(p.stat().st_size for p in journals) / 1e3:.0f} KB"
    )
    line("import_one_package_into_100k_seconds_lower_better", t[0], "s", t[0] / 1.0, "2")


def run(root: Path, scale: float) -> None:
    records, packages, per_package = int(100_000 * scale), 20, int(5_000 * scale)
    office = _office(root, records)
    groups = sync.groups(office)
    laptops = [_laptop(root, office, gid, f"组员{i + 1}") for i, (gid, _) in enumerate(groups[:2])]
    made: list[Path] = []
    changed: dict[str, list[str]] = {rt.key: [] for rt in MAIN_RECORD_TYPES}
    with stopwatch() as t:
        for laptop in laptops:
            mine = _records_of(laptop)
            for n in range(packages // len(laptops)):
                start = (n * per_package) % max(len(mine), 1)
                made.append(_change_and_export(root, laptop, mine, start, per_package, f"第{n + 1}次"))
                for rt, record in mine[start : start + per_package]:
                    changed[rt.key].append(record.id)
    note(f"{len(made)} packages of up to {per_package} changed records made in {t[0]:.1f} s")
    with stopwatch() as t:
        reports = sync.import_packages(office, made, backup_dir=root / "备份")
    assert all(r.status == "imported" for r in reports), [r.error for r in reports if r.error]
    imported = sum(r.updated + r.new for r in reports)
    changed = {k: list(dict.fromkeys(v)) for k, v in changed.items()}
    rows = _rows_written(office, changed, {r.package_id for r in reports})
    business = {t: b for t, b in rows.items() if t in BUSINESS_TABLES.values()}
    raw_all = _raw_insert_seconds(root / "raw-all.db", rows)
    raw_business = _raw_insert_seconds(root / "raw-business.db", business)
    note(f"import touched {imported} records in {t[0]:.1f} s (including the backup taken before it)")
    note(
        f"raw insert of the {sum(map(len, rows.values()))} rows it stored (revisions, parents, records, "
        f"search documents, index rows): {raw_all:.2f} s; of the {sum(map(len, business.values()))} record "
        "rows alone: "
        f"{raw_business:.2f} s, ratio {raw_business / t[0]:.3f}"
    )
    line("import_20_packages_vs_raw_insert_higher_better", t[0], "s", raw_all / t[0], "0.25")
    with stopwatch() as again:
        [repeat] = sync.import_packages(office, made[:1])
    assert repeat.status == "already_imported"
    line("reimport_package_seconds_lower_better", again[0], "s", again[0] / 1.0, "1")
    _one_package(root, office, laptops[0], records, scale)
    for ws in (office, *laptops):
        ws.close()
