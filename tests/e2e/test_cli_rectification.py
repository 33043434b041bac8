"""The rectification outputs through the real entry point (`python -m xuncha_desktop` in a child process):
整改台账, 移交线索对账表, 整改质效评估 (xlsx and PDF) and a unit's 整改情况, read back; exit code 0
on success, 2 for a bad command line, 1 with a Chinese message for an unknown unit or round, never a
traceback."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from openpyxl import load_workbook

from tests.builders import PASSPHRASE
from tests.output_helpers import pdf_text
from tests.rectification_output_builders import OTHER_UNIT, UNIT, rectification_round
from xuncha_desktop.services.workspace import PASSPHRASE_ENV, Workspace
from xuncha_desktop.storage.keyfile import KdfParams

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("rect") / "巡察办.xcdb"
    with Workspace.create(path, PASSPHRASE, kdf=KdfParams.cheap()) as ws:
        rectification_round(ws)
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


def test_ledgers_of_the_round(db: Path, tmp_path: Path) -> None:
    tasks, reconciliation, evaluation = (tmp_path / n for n in ("整改台账.xlsx", "对账表.xlsx", "评估.xlsx"))
    assert _run("ledger", "--db", db, "--kind", "rectification", "--out", tasks).returncode == 0
    sheet = load_workbook(tasks)["整改台账"]
    unit = [c.value for c in sheet[1]].index("被巡察单位")
    units = [row[unit] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert units == [UNIT, UNIT, UNIT, OTHER_UNIT, None]  # the last row is 合计
    result = _run(
        "ledger",
        "--db",
        db,
        "--kind",
        "reconciliation",
        "--round",
        "2025年第3轮巡察",
        "--out",
        reconciliation,
    )
    assert result.returncode == 0 and "移交线索对账表 3 行" in result.stdout
    organs = [row[2] for row in load_workbook(reconciliation).active.iter_rows(min_row=2, values_only=True)]
    assert organs == ["纪委监委", "组织部", "其他", None]
    result = _run(
        "ledger",
        "--db",
        db,
        "--kind",
        "rectification-evaluation",
        "--round",
        "2025年第3轮巡察",
        "--out",
        evaluation,
    )
    assert result.returncode == 0
    ranking = load_workbook(evaluation)["评估排名"]
    assert [row[2] for row in ranking.iter_rows(min_row=2, values_only=True)] == [UNIT, OTHER_UNIT]


def test_prints_of_a_unit_and_of_the_evaluation(db: Path, tmp_path: Path) -> None:
    unit, evaluation = tmp_path / "整改情况.pdf", tmp_path / "评估结果.pdf"
    result = _run("print", "--db", db, "--kind", "rectification", "--unit", OTHER_UNIT, "--out", unit)
    assert result.returncode == 0 and result.stdout.startswith(f"已生成 PDF：{unit}（1 份，")
    text = "".join(pdf_text(unit).split())
    assert f"{OTHER_UNIT}巡察整改情况" in text and "食堂管理混乱" in text and UNIT not in text
    result = _run(
        "print",
        "--db",
        db,
        "--kind",
        "rectification-evaluation",
        "--round",
        "2025年第3轮巡察",
        "--out",
        evaluation,
    )
    assert result.returncode == 0
    assert "2025年第3轮巡察整改质效评估结果" in "".join(pdf_text(evaluation).split())


def test_bad_command_lines_exit_2_and_unknown_names_exit_1_in_chinese(db: Path, tmp_path: Path) -> None:
    out = tmp_path / "x.pdf"
    result = _run("print", "--db", db, "--kind", "rectification", "--out", out)
    assert result.returncode == 2 and "必须提供以下参数之一：--id --unit --all" in result.stderr
    result = _run("ledger", "--db", db, "--kind", "rectification-evaluation", "--out", tmp_path / "x.xlsx")
    assert result.returncode == 2 and "须用 --round 指定巡察轮次" in result.stderr
    result = _run("print", "--db", db, "--kind", "rectification", "--unit", "县档案馆", "--out", out)
    assert result.returncode == 1 and result.stderr.strip() == "错误：找不到被巡察单位“县档案馆”"
    result = _run("print", "--db", db, "--kind", "rectification-evaluation", "--round", "第9轮", "--out", out)
    assert result.returncode == 1
    assert result.stderr.strip() == "错误：找不到巡察轮次“第9轮”；现有轮次：“2025年第3轮巡察”"
    assert not out.exists()
