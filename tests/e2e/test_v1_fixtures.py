"""Files the released schema-version-1 code wrote (tests/fixtures/v1, made by make_v1_fixtures.py) open,
upgrade and import with today's code: the field workspace keeps every record, the office takes in the v1
work package, and today's laptops and packages still work with the upgraded office."""

from __future__ import annotations

import json
import shutil
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from tests.schema_dump import schema_of
from xuncha_desktop.domain.codec import to_body
from xuncha_desktop.domain.interview_records import InterviewRecord
from xuncha_desktop.domain.record_types import BY_KEY, DRAFT, GROUP, INTERVIEW, LEAD, ROUND, TARGET
from xuncha_desktop.services import sync
from xuncha_desktop.services.records.attachments import AttachmentService
from xuncha_desktop.services.records.links import LinkService
from xuncha_desktop.services.records.record_service import ListQuery, RecordService
from xuncha_desktop.services.security.integrity import check_workspace
from xuncha_desktop.services.workspace import Workspace
from xuncha_desktop.storage import migrations
from xuncha_desktop.storage.database import open_engine
from xuncha_desktop.storage.keyfile import KdfParams, keyfile_path, read_keyfile

FIXTURES = Path(__file__).parents[1] / "fixtures" / "v1"
# As in tests/fixtures/make_v1_fixtures.py (not imported: it is written against the v1 code's API).
OFFICE_PASSPHRASE = "巡察办口令-v1-fixture"
FIELD_PASSPHRASE = "现场口令-v1-fixture"
PROVISION_CODE = "配置码-v1-fixture"
EXPECTED: dict[str, Any] = json.loads((FIXTURES / "expected.json").read_text(encoding="utf-8"))


@pytest.fixture
def v1(tmp_path: Path) -> Path:
    """A private copy of the v1 files: the committed ones are never opened."""
    return Path(shutil.copytree(FIXTURES, tmp_path / "v1"))


def _stored(body: dict[str, Any]) -> dict[str, Any]:
    """A body as expected.json holds it (JSON text, anything else as str)."""
    return dict(json.loads(json.dumps(body, ensure_ascii=False, default=str)))


def _assert_holds_the_v1_records(ws: Workspace) -> None:
    for key, records in EXPECTED["records"].items():
        stored = {r.id: _stored(to_body(r)) for r in RecordService[Any](ws, BY_KEY[key]).list()}
        assert set(stored) == set(records), key
        for record_id, body in records.items():
            assert {k: stored[record_id].get(k) for k in body} == body, (key, record_id)


def _file_version(path: Path, passphrase: str) -> int:
    engine = open_engine(path, read_keyfile(keyfile_path(path)).unlock(passphrase))
    try:
        return migrations.stored_version(engine)
    finally:
        engine.dispose()


def test_the_fixtures_are_version_1(v1: Path) -> None:
    assert EXPECTED["schema_version"] == 1
    assert _file_version(v1 / "field.xcdb", FIELD_PASSPHRASE) == 1
    assert _file_version(v1 / "office.xcdb", OFFICE_PASSPHRASE) == 1


def test_v1_field_workspace_is_backed_up_upgraded_and_keeps_every_record(v1: Path, tmp_path: Path) -> None:
    with Workspace.open(v1 / "field.xcdb", FIELD_PASSPHRASE) as ws:
        backup = ws.migration_backup
        assert migrations.stored_version(ws.engine) == migrations.SCHEMA_VERSION
        _assert_holds_the_v1_records(ws)
        [interview_id] = [
            i
            for i, body in EXPECTED["records"][INTERVIEW.key].items()
            if body["interviewee_name"] == "王晓东"
        ]
        [attachment] = AttachmentService(ws).of_record(INTERVIEW.key, interview_id)
        assert AttachmentService(ws).data(attachment.sha256).decode() == EXPECTED["attachment_text"]
        [lead_id] = EXPECTED["records"][LEAD.key]
        linked = {(r.record_type, r.record_id) for r in LinkService(ws).linked(LEAD.key, lead_id)}
        [draft_id] = [
            i for i, body in EXPECTED["records"][DRAFT.key].items() if body["title"].startswith("违规发放")
        ]
        assert linked == {(INTERVIEW.key, interview_id), (DRAFT.key, draft_id)}
        # The search documents were rewritten: a two-character term at a document's very end is found.
        found = RecordService[InterviewRecord](ws, INTERVIEW).list(ListQuery(search="纪委"))
        assert [r.interviewee_name for r in found] == ["陈丽"]
        assert check_workspace(ws) == []
        upgraded_schema = schema_of(ws.engine)
    assert backup is not None and keyfile_path(backup).is_file()
    assert _file_version(backup, FIELD_PASSPHRASE) == 1
    with Workspace.create(tmp_path / "fresh.xcdb", FIELD_PASSPHRASE, kdf=KdfParams.cheap()) as fresh:
        assert schema_of(fresh.engine) == upgraded_schema


def test_upgraded_v1_office_imports_the_v1_field_package(v1: Path) -> None:
    with Workspace.open(v1 / "office.xcdb", OFFICE_PASSPHRASE) as office:
        assert office.migration_backup is not None
        [report] = sync.import_packages(office, [v1 / "field-to-office.xcpkg"])
        assert report.status == "imported", report.error
        assert report.conflicts == 0
        new = {key: len(records) for key, records in EXPECTED["records"].items()}
        new.update(user=1, attachment=1)  # the laptop's user and the attachment come along
        assert {key: counts["new"] for key, counts in report.by_type.items()} == new
        assert report.new == sum(new.values())
        _assert_holds_the_v1_records(office)
        assert check_workspace(office) == []


def test_upgraded_v1_laptop_and_office_keep_exchanging_packages(v1: Path, tmp_path: Path) -> None:
    with Workspace.open(v1 / "field.xcdb", FIELD_PASSPHRASE) as field:
        [scope] = [
            {k: body[k] for k in ("round_id", "group_id", "target_id")}
            for body in EXPECTED["records"][INTERVIEW.key].values()
            if body["interviewee_name"] == "陈丽"
        ]
        added = RecordService[InterviewRecord](field, INTERVIEW).save(
            InterviewRecord(
                **scope,
                held_on=date(2025, 3, 7),
                interviewer="张建国",
                recorder="李明",
                interviewee_name="刘洋",
                content="升级后新增的谈话记录。",
            )
        )
        sync.export_package(field, tmp_path / "after-upgrade.xcpkg")
    with Workspace.open(v1 / "office.xcdb", OFFICE_PASSPHRASE) as office:
        packages = [v1 / "field-to-office.xcpkg", tmp_path / "after-upgrade.xcpkg"]
        reports = sync.import_packages(office, packages)
        assert [r.status for r in reports] == ["imported", "imported"], [r.error for r in reports]
        assert RecordService[InterviewRecord](office, INTERVIEW).get(added.id).interviewee_name == "刘洋"
        assert check_workspace(office) == []


def test_v1_provisioning_package_sets_up_a_new_laptop(v1: Path, tmp_path: Path) -> None:
    with Workspace.create(
        tmp_path / "new.xcdb", FIELD_PASSPHRASE, user_name="组员乙", role="组员", kdf=KdfParams.cheap()
    ) as laptop:
        [report] = sync.import_packages(laptop, [v1 / "provision.xcpkg"], code=PROVISION_CODE)
        assert report.status == "imported", report.error
        assert [r.name for r in RecordService[Any](laptop, ROUND).list()] == ["2025年第3轮巡察"]
        assert [r.name for r in RecordService[Any](laptop, GROUP).list()] == ["第2巡察组"]
        assert [r.name for r in RecordService[Any](laptop, TARGET).list()] == ["清河县财政局党组"]
        assert check_workspace(laptop) == []
