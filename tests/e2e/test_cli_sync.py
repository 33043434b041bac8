"""`export`, `provision` and `import` from the command line: the interface office scripts rely on."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.builders import PASSPHRASE, draft
from tests.sync_helpers import CODE, World, open_world
from xuncha_desktop.cli import main
from xuncha_desktop.domain.record_types import DRAFT
from xuncha_desktop.services.records.record_service import RecordService
from xuncha_desktop.services.workspace import Workspace
from xuncha_desktop.storage.keyfile import KdfParams


@pytest.fixture
def closed_world(world_template: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """A world whose laptop 1 has one new draft; all workspaces closed so the CLI opens them."""
    monkeypatch.setenv("XUNCHA_PASSPHRASE", PASSPHRASE)
    w: World = open_world(world_template, tmp_path / "world")
    RecordService(w.fields[0], DRAFT).save(draft(w.ctx, title="命令行导出的问题"))
    w.close()
    return w


def run_json(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, list[dict]]:
    code = main(list(args))
    out = capsys.readouterr().out
    return code, json.loads(out)


def test_export_then_import_json(closed_world: World, tmp_path: Path, capsys) -> None:
    package = tmp_path / "组员1.xcpkg"
    assert main(["export", "--db", str(closed_world.fields[0].path), "--out", str(package)]) == 0
    assert "已导出" in capsys.readouterr().out
    office = str(closed_world.office.path)
    code, preview = run_json(capsys, "import", "--db", office, "--dry-run", "--json", str(package))
    assert code == 0 and preview[0]["status"] == "imported" and preview[0]["new"] == 2  # user, draft
    code, [first] = run_json(capsys, "import", "--db", office, "--json", str(package))
    assert code == 0
    assert {"file", "status", "new", "updated", "unchanged", "conflicts"} <= set(first)
    assert first["status"] == "imported" and first["new"] == preview[0]["new"] and "error" not in first
    code, [again] = run_json(capsys, "import", "--db", office, "--json", str(package))
    assert code == 0 and again["status"] == "already_imported" and again["new"] == 0
    with Workspace.open(closed_world.office.path, PASSPHRASE) as ws:
        assert [d.title for d in RecordService(ws, DRAFT).list()] == ["命令行导出的问题"]


def test_rejected_package_exit_1_with_reason(closed_world: World, tmp_path: Path, capsys) -> None:
    bad = tmp_path / "坏包.xcpkg"
    bad.write_bytes(b"SQLite format 3\x00" + b"\x00" * 64)
    code, [report] = run_json(capsys, "import", "--db", str(closed_world.office.path), "--json", str(bad))
    assert code == 1
    assert report["status"] == "rejected" and "SQLite" in report["error"]


def test_export_before_provisioning_is_a_data_error(tmp_path: Path, capsys, monkeypatch) -> None:
    monkeypatch.setenv("XUNCHA_PASSPHRASE", PASSPHRASE)
    path = tmp_path / "新电脑.xcdb"
    Workspace.create(path, PASSPHRASE, kdf=KdfParams.cheap()).close()
    assert main(["export", "--db", str(path), "--out", str(tmp_path / "x.xcpkg")]) == 1
    assert "尚未由巡察办配置" in capsys.readouterr().err
    assert not (tmp_path / "x.xcpkg").exists()


def test_provision_with_code_from_environment(
    closed_world: World, tmp_path: Path, capsys, monkeypatch
) -> None:
    package = tmp_path / "配置包.xcpkg"
    monkeypatch.setenv("XUNCHA_PACKAGE_CODE", CODE)
    assert main(["provision", "--db", str(closed_world.office.path), "--out", str(package)]) == 0
    assert "配置码" in capsys.readouterr().out
    laptop = tmp_path / "新电脑.xcdb"
    Workspace.create(laptop, PASSPHRASE, kdf=KdfParams.cheap()).close()
    code, [report] = run_json(capsys, "import", "--db", str(laptop), "--json", str(package))
    assert code == 0 and report["status"] == "imported"


def test_import_usage_error(capsys) -> None:
    assert main(["import", "--db", "x.xcdb"]) == 2
    assert "用法" in capsys.readouterr().err
