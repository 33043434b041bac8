"""cli.sync_commands: export, a dry-run import and an import from the command line, with their reports."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.builders import PASSPHRASE, draft
from tests.sync_helpers import World
from xuncha_desktop.cli import main
from xuncha_desktop.domain.record_types import DRAFT
from xuncha_desktop.services.records.record_service import RecordService
from xuncha_desktop.services.workspace import PASSPHRASE_ENV


def test_export_then_import_with_a_dry_run_first(world: World, tmp_path: Path, capsys, monkeypatch) -> None:
    laptop, office = world.fields[0].path, world.office.path
    RecordService(world.fields[0], DRAFT).save(draft(world.ctx, title="命令行导出"))
    world.close()
    monkeypatch.setenv(PASSPHRASE_ENV, PASSPHRASE)
    package = tmp_path / "组员1.xcpkg"
    assert main(["export", "--db", str(laptop), "--out", str(package)]) == 0
    assert capsys.readouterr().out.startswith(f"已导出增量工作包：{package}（修订 ")
    assert main(["import", "--db", str(office), "--dry-run", "--json", str(package)]) == 0
    [preview] = json.loads(capsys.readouterr().out)
    assert preview["status"] == "imported" and preview["new"] >= 1
    assert main(["import", "--db", str(office), "--json", str(package)]) == 0
    [done] = json.loads(capsys.readouterr().out)
    assert done["new"] == preview["new"]
    assert main(["import", "--db", str(office), "--json", str(package)]) == 0
    assert json.loads(capsys.readouterr().out)[0]["status"] == "already_imported"


@pytest.mark.parametrize("argv", [["export"], ["import", "--db", "a.xcdb"]])
def test_missing_arguments_exit_with_the_usage_code(argv: list[str], capsys) -> None:
    assert main(argv) == 2
    assert "缺少必需的参数" in capsys.readouterr().err
