"""A copied laptop from the command line: the office's refusal names the commands, and they work."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from tests.builders import PASSPHRASE, draft
from tests.sync_helpers import World, open_world
from xuncha_desktop.cli import main
from xuncha_desktop.domain.record_types import DRAFT
from xuncha_desktop.services import identity
from xuncha_desktop.services.records.record_service import RecordService
from xuncha_desktop.services.workspace import Workspace


@pytest.fixture
def copied(world_template: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[World, Path]:
    """Laptop 1 copied to 复制机.xcdb, a draft on each copy; every workspace closed for the CLI."""
    monkeypatch.setenv("XUNCHA_PASSPHRASE", PASSPHRASE)
    w: World = open_world(world_template, tmp_path / "world")
    original = w.fields[0]
    original.close()
    clone_path = tmp_path / "复制机.xcdb"
    shutil.copy(original.path, clone_path)
    shutil.copy(Path(f"{original.path}.key"), Path(f"{clone_path}.key"))
    with Workspace.open(original.path, PASSPHRASE) as ws:
        RecordService(ws, DRAFT).save(draft(w.ctx, title="原机新增"))
    with Workspace.open(clone_path, PASSPHRASE) as ws:
        RecordService(ws, DRAFT).save(draft(w.ctx, title="复制机新增"))
    w.close()
    return w, clone_path


def _import(capsys: pytest.CaptureFixture[str], office: Path, *args: str) -> tuple[int, dict]:
    code = main(["import", "--db", str(office), "--json", *args])
    [report] = json.loads(capsys.readouterr().out)
    return code, report


def test_the_steps_in_the_refusal_bring_both_copies_in(
    copied: tuple[World, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    world, clone = copied
    office = world.office.path
    first, second = tmp_path / "原机.xcpkg", tmp_path / "复制机.xcpkg"
    assert main(["export", "--db", str(world.fields[0].path), "--out", str(first)]) == 0
    assert main(["export", "--db", str(clone), "--out", str(second)]) == 0
    capsys.readouterr()
    assert _import(capsys, office, str(first))[0] == 0
    code, refused = _import(capsys, office, str(second))
    assert code == 1 and refused["error"] == identity.fork_at_office("组员1的工作库", relayed=False)
    # ① the office's latest package ② the copy takes a new identity ③ and exports again
    update = tmp_path / "配置包.xcpkg"
    assert main(["provision", "--db", str(office), "--out", str(update)]) == 0
    assert main(["reidentify", "--db", str(clone), "--package", str(update)]) == 0
    out = capsys.readouterr().out
    assert "已重新确定身份" in out and "以新身份重新签发修订 1 条" in out
    assert main(["import", "--db", str(clone), str(update)]) == 0
    again = tmp_path / "复制机-新身份.xcpkg"
    assert main(["export", "--db", str(clone), "--out", str(again)]) == 0
    capsys.readouterr()
    # ④ the office confirms, and only then takes it in
    code, unconfirmed = _import(capsys, office, str(again))
    assert code == 1 and "--accept-identity" in unconfirmed["error"]
    code, accepted = _import(capsys, office, "--accept-identity", str(again))
    assert code == 0 and accepted["status"] == "imported"
    with Workspace.open(office, PASSPHRASE) as ws:
        titles = sorted(d.title for d in RecordService(ws, DRAFT).list())
    assert titles == ["原机新增", "复制机新增"]
    for path in (office, clone, world.fields[0].path):
        assert main(["check", "--db", str(path)]) == 0, path.name


def test_reidentify_help_is_chinese(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["reidentify", "--help"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("用法：") and "重新签发" in out and "--package 配置包" in out
    assert main(["import", "--help"]) == 0
    assert "--accept-identity" in capsys.readouterr().out


def test_reidentify_of_the_office_is_a_data_error(
    copied: tuple[World, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    world, _ = copied
    assert main(["reidentify", "--db", str(world.office.path)]) == 1
    assert capsys.readouterr().err.strip() == "错误：巡察办工作库不能重新确定身份"
    assert main(["reidentify"]) == 2
