"""`demo --office` from the command line: an office workspace with three rounds that `stats` counts and
`check` passes, refused over an existing file, and the field demo's options unchanged."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.builders import PASSPHRASE
from xuncha_desktop import cli
from xuncha_desktop.services.workspace import PASSPHRASE_ENV

pytestmark = pytest.mark.e2e


@pytest.fixture(autouse=True)
def passphrase_env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(PASSPHRASE_ENV, PASSPHRASE)
    monkeypatch.delenv("XUNCHA_USER", raising=False)


def _run(capsys: pytest.CaptureFixture[str], *argv: str | Path) -> tuple[int, str, str]:
    code = cli.main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


def test_office_demo_then_stats_and_check(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    path = tmp_path / "巡察办演示.xcdb"
    code, out, err = _run(capsys, "demo", "--office", "--db", path, "--seed", "3")
    assert code == 0, err
    assert "已生成巡察办演示工作库" in out and "巡察轮次 3 轮" in out and "登录名：巡察办管理员" in out
    code, out, err = _run(capsys, "stats", "--db", path, "--json")
    assert (code, err) == (0, "")
    stats: dict[str, Any] = json.loads(out)
    assert stats["workspace"]["role"] == "office"
    assert stats["rounds"] == 3 and 6 <= stats["groups"] <= 9
    assert stats["members"] >= 6 * stats["groups"] and stats["targets"] >= 2 * stats["groups"]
    assert stats["interviews"] + stats["drafts"] + stats["leads"] + stats["portraits"] == 360
    assert stats["appraisals"] > 0 and stats["drafts_by_status"]["已审签"] > stats["drafts"] / 2
    assert stats["users"] > stats["groups"]  # the current round's members have logins
    code, out, _ = _run(capsys, "check", "--db", path)
    assert code == 0, out


def test_office_demo_refuses_an_existing_file(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    path = tmp_path / "已有.xcdb"
    path.write_bytes(b"")
    code, _, err = _run(capsys, "demo", "--office", "--db", path)
    assert code == 1 and err.startswith("错误：") and path.read_bytes() == b""


def test_office_demo_size_follows_records(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    path = tmp_path / "小.xcdb"
    assert _run(capsys, "demo", "--office", "--db", path, "--records", "40")[0] == 0
    code, out, _ = _run(capsys, "stats", "--db", path, "--json")
    stats = json.loads(out)
    assert code == 0 and stats["interviews"] + stats["drafts"] + stats["leads"] + stats["portraits"] == 40
