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


def test_provision_names_the_group_and_needs_it_for_a_round(
    world: World, tmp_path: Path, capsys, monkeypatch
) -> None:
    office, group = world.office.path, world.ctx.group
    world.close()
    monkeypatch.setenv(PASSPHRASE_ENV, PASSPHRASE)
    package = tmp_path / "配置.xcpkg"
    argv = ["provision", "--db", str(office), "--out", str(package)]
    assert main([*argv, "--round", world.ctx.round.name]) == 2
    assert "--round 须与 --group 一起使用" in capsys.readouterr().err
    assert main([*argv, "--group", "第九巡察组"]) == 1
    assert "找不到巡察组“第九巡察组”" in capsys.readouterr().err
    assert (
        main([*argv, "--group", group.name, "--round", world.ctx.round.name, "--code", "一次性配置码"]) == 0
    )
    assert package.is_file()
    assert main([*argv, "--group", group.id]) == 0  # by its id, as before
