"""巡察组质效评估 through the real entry point: `ledger` and `print --kind group-scoring --round R`, as
scored now and `--published` (the stored result, unchanged after the scheme changed); exit code 2 for a
bad command line, 1 with a Chinese message when nothing was published, never a traceback."""

from __future__ import annotations

import dataclasses
import os
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from openpyxl import load_workbook

from tests.builders import PASSPHRASE
from tests.output_helpers import pdf_text
from tests.unit.services.office_statistics.test_group_scoring import build_round
from xuncha_desktop.domain.organization import InspectionRound
from xuncha_desktop.domain.record_types import ROUND as ROUND_TYPE
from xuncha_desktop.services.office_statistics import group_scoring as gs
from xuncha_desktop.services.records.record_service import RecordService
from xuncha_desktop.services.scoring import SchemeItem
from xuncha_desktop.services.workspace import PASSPHRASE_ENV, Workspace
from xuncha_desktop.storage.keyfile import KdfParams

REPO = Path(__file__).resolve().parents[2]
ROUND = "2025年第3轮巡察"


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("group") / "巡察办.xcdb"
    with Workspace.create(path, PASSPHRASE, office=True, kdf=KdfParams.cheap()) as ws:
        build_round(ws)
    return path


def _run(*argv: str | Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, PASSPHRASE_ENV: PASSPHRASE, "PYTHONIOENCODING": "utf-8"}
    result = subprocess.run(
        [sys.executable, "-m", "xuncha_desktop", *map(str, argv)],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=180,
        check=False,
    )
    assert "Traceback" not in result.stderr
    return result


def test_scored_now_and_as_published(db: Path, tmp_path: Path) -> None:
    missing = _run(
        "print",
        "--db",
        db,
        "--kind",
        "group-scoring",
        "--round",
        ROUND,
        "--published",
        "--out",
        tmp_path / "x.pdf",
    )
    assert missing.returncode == 1 and "还没有发布" in missing.stderr
    with Workspace.open(db, PASSPHRASE) as ws:
        rnd = RecordService[InspectionRound](ws, ROUND_TYPE).list()[0]
        result = gs.publish(ws, rnd.id, gs.DEFAULT_SCHEME.version, today=date.today())
        gs.save_scheme(
            ws,
            dataclasses.replace(
                gs.DEFAULT_SCHEME, version="2099-1", items=(SchemeItem("issues_general", "一般问题", 50),)
            ),
        )
    book = tmp_path / "评估.xlsx"
    assert (
        _run("ledger", "--db", db, "--kind", "group-scoring", "--round", ROUND, "--out", book).returncode == 0
    )
    now = {r[2]: r[3] for r in load_workbook(book)["评估排名"].iter_rows(min_row=2, values_only=True)}
    assert now["第2巡察组"] == 100  # 一般问题 2 × 50, not scaled by the new scheme
    kept = tmp_path / "发布.xlsx"
    ok = _run("ledger", "--db", db, "--kind", "group-scoring", "--round", ROUND, "--published", "--out", kept)
    assert ok.returncode == 0, ok.stderr
    rows = list(load_workbook(kept)["评估排名"].iter_rows(min_row=2, values_only=True))
    assert {r[2]: r[3] for r in rows} == {g["group_name"]: float(g["score"]) for g in result.groups}
    assert all(r[-1] == "默认-1" for r in rows)
    details = list(load_workbook(kept)["计分明细"].iter_rows(min_row=2, values_only=True))
    assert any(r[3] == "按组员人数折算" and "本组组员 3 人" in r[6] for r in details)
    pdf = tmp_path / "发布.pdf"
    printed = _run(
        "print", "--db", db, "--kind", "group-scoring", "--round", ROUND, "--published", "--out", pdf
    )
    assert printed.returncode == 0, printed.stderr
    text = pdf_text(pdf)
    assert "巡察组质效评估结果" in text and "默认-1" in text and "第2巡察组" in text


def test_bad_command_lines(db: Path, tmp_path: Path) -> None:
    assert _run("print", "--db", db, "--kind", "group-scoring", "--out", tmp_path / "a.pdf").returncode == 2
    bad = _run("ledger", "--db", db, "--kind", "draft", "--published", "--out", tmp_path / "a.xlsx")
    assert bad.returncode == 2 and "--published" in bad.stderr
    unknown = _run(
        "ledger", "--db", db, "--kind", "group-scoring", "--round", "无此轮", "--out", tmp_path / "b.xlsx"
    )
    assert unknown.returncode == 1 and "找不到巡察轮次" in unknown.stderr
