"""`stats --json [--round NAME | --year YYYY]` adds the office "summary" with the issue's keys (every
existing key stays); the plain text prints the figures under the scope's name; --round and --year
together are a usage error (exit 2), an unknown round a Chinese error (exit 1)."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from tests.builders import PASSPHRASE
from xuncha_desktop import cli
from xuncha_desktop.services.demo.office import build_office_demo
from xuncha_desktop.services.office_statistics.figures import SUMMARY_JSON_KEYS, summary
from xuncha_desktop.services.office_statistics.scope import Scope, scope_for
from xuncha_desktop.services.workspace import PASSPHRASE_ENV, Workspace
from xuncha_desktop.storage.keyfile import KdfParams

pytestmark = pytest.mark.e2e
TODAY = date.today()  # `stats` counts overdue leads as of the real today


@pytest.fixture(autouse=True)
def passphrase_env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(PASSPHRASE_ENV, PASSPHRASE)
    monkeypatch.delenv("XUNCHA_USER", raising=False)


@pytest.fixture(scope="module")
def office(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str, int]:
    """An office demo, the name of its first round and the year of its first round."""
    path = tmp_path_factory.mktemp("stats") / "巡察办.xcdb"
    with Workspace.create(path, PASSPHRASE, kdf=KdfParams.cheap(), office=True) as ws:
        build_office_demo(ws, seed=1, today=TODAY)
        from xuncha_desktop.domain.record_types import ROUND
        from xuncha_desktop.services.records.record_service import ListQuery, RecordService

        rounds = RecordService[Any](ws, ROUND).list(ListQuery(limit=None, order_by="number"))
        first = min(rounds, key=lambda r: (r.year, r.ordinal))
    return path, first.name, first.year


def _run(capsys: pytest.CaptureFixture[str], *argv: str | Path) -> tuple[int, str, str]:
    code = cli.main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


def _expected(path: Path, scope: Any) -> dict[str, Any]:
    with Workspace.open(path, PASSPHRASE) as ws:
        resolved = scope(ws)
        return summary(ws, resolved, TODAY).summary_json()


def test_json_summary_per_round_and_year(
    capsys: pytest.CaptureFixture[str], office: tuple[Path, str, int]
) -> None:
    path, first, year = office
    code, out, err = _run(capsys, "stats", "--db", path, "--json", "--round", first)
    assert (code, err) == (0, "")
    doc = json.loads(out)
    assert {"workspace", "interviews", "drafts", "drafts_by_status", "rectification"} <= set(doc)
    assert tuple(doc["summary"]) == SUMMARY_JSON_KEYS
    assert doc["summary"] == _expected(path, lambda ws: scope_for(ws, round_name=first))
    assert doc["summary"]["issues_found"] > 0 and doc["summary"]["amount_recovered_yuan"].count(".") == 1
    code, out, _ = _run(capsys, "stats", "--db", path, "--json", "--year", str(year))
    year_summary = json.loads(out)["summary"]
    assert code == 0 and year_summary == _expected(path, lambda ws: Scope(year=year))
    assert year_summary["issues_found"] >= doc["summary"]["issues_found"]
    code, out, _ = _run(capsys, "stats", "--db", path, "--json")
    term = json.loads(out)
    assert code == 0 and term["summary"] == _expected(path, lambda ws: Scope())
    assert term["interviews"] == term["summary"]["interviews"]  # the demo deleted no talk


def test_plain_text_names_the_scope(
    capsys: pytest.CaptureFixture[str], office: tuple[Path, str, int]
) -> None:
    path, first, year = office
    code, out, _ = _run(capsys, "stats", "--db", path, "--round", first)
    assert code == 0 and f"巡察工作数据（{first}）：" in out
    assert "发现问题（个）" in out and "挽回经济损失（元）" in out and "问题底稿按状态" in out
    code, out, _ = _run(capsys, "stats", "--db", path, "--year", str(year))
    assert code == 0 and f"巡察工作数据（{year}年度）：" in out
    code, out, _ = _run(capsys, "stats", "--db", path)
    assert code == 0 and "巡察工作数据（全部（本届））：" in out


def test_exit_codes(capsys: pytest.CaptureFixture[str], office: tuple[Path, str, int]) -> None:
    path, first, year = office
    code, out, err = _run(capsys, "stats", "--db", path, "--json", "--round", "第九十九轮巡察")
    assert (code, out) == (1, "") and "没有名为“第九十九轮巡察”的巡察轮次" in err
    code, _, err = _run(capsys, "stats", "--db", path, "--round", first, "--year", str(year))
    assert code == 2 and err.startswith("用法：") and "不能与参数 --round 同时使用" in err
