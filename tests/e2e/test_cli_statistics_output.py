"""`ledger --kind statistics` and `print --kind statistics-brief` on a real office demo made by `demo
--office`, as a user runs them: the files appear, the brief is one page, misuse exits 2, a wrong round 1."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from tests.builders import PASSPHRASE
from xuncha_desktop.domain.organization import InspectionRound
from xuncha_desktop.domain.record_types import ROUND
from xuncha_desktop.services.records.record_service import ListQuery, RecordService
from xuncha_desktop.services.workspace import PASSPHRASE_ENV, Workspace

pytestmark = pytest.mark.e2e
REPO = Path(__file__).resolve().parents[2]


def _run(*argv: str | Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "xuncha_desktop", *(str(a) for a in argv)],
        capture_output=True,
        text=True,
        env=env,
        cwd=REPO,
        timeout=300,
    )


@pytest.fixture(scope="module")
def office(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str]]:
    env = {**os.environ, PASSPHRASE_ENV: PASSPHRASE, "PYTHONPATH": str(REPO)}
    env.pop("XUNCHA_USER", None)
    db = tmp_path_factory.mktemp("statistics_cli") / "巡察办演示.xcdb"
    made = _run("demo", "--office", "--db", db, "--seed", "1", env=env)
    assert made.returncode == 0, made.stderr
    return db, env


def _first_round(db: Path) -> InspectionRound:
    """The demo's first round (its rounds are dated from the real today)."""
    ws = Workspace.open(db, PASSPHRASE)
    try:
        rounds = RecordService[InspectionRound](ws, ROUND).list(ListQuery(limit=None))
    finally:
        ws.close()
    return min(rounds, key=lambda r: (r.year, r.ordinal))


def test_workbook_and_brief_per_scope(office: tuple[Path, dict[str, str]], tmp_path: Path) -> None:
    db, env = office
    first = _first_round(db)
    for scope in ([], ["--year", str(first.year)], ["--round", first.name]):
        book, brief = tmp_path / "统计表.xlsx", tmp_path / "统计简报.pdf"
        done = _run("ledger", "--db", db, "--kind", "statistics", *scope, "--out", book, env=env)
        assert done.returncode == 0, done.stderr
        assert done.stdout.startswith(f"已生成台账：{book}（统计概览 ")
        wb = load_workbook(book)
        assert wb.sheetnames[:2] == ["统计概览", "巡察组"] and len(wb["巡察组"]._charts) == 1
        done = _run("print", "--db", db, "--kind", "statistics-brief", *scope, "--out", brief, env=env)
        assert done.returncode == 0, done.stderr
        assert done.stdout.startswith(f"已生成 PDF：{brief}（1 页）") and len(PdfReader(brief).pages) == 1


def test_misuse_exits_2_and_a_wrong_round_1(office: tuple[Path, dict[str, str]], tmp_path: Path) -> None:
    db, env = office
    out = tmp_path / "a.pdf"
    brief = ["print", "--db", db, "--kind", "statistics-brief"]
    bad = _run(*brief, "--round", "x", "--year", "2025", "--out", out, env=env)
    assert bad.returncode == 2 and "参数 --year 不能与参数 --round 同时使用" in bad.stderr
    wrong = _run(*brief, "--round", "第九轮", "--out", out, env=env)
    assert wrong.returncode == 1 and wrong.stderr.startswith("错误：") and "Traceback" not in wrong.stderr
    assert "第九轮" in wrong.stderr and not out.exists()
