"""The office's plan through the command line only (issue 12): `init --office`, `plan import` (and its
errors as JSON, exit 1), `provision --group NAME [--round NAME]` for two groups, three laptops `init` +
`import --code`, records on the laptops, `ledger` → `ledger-import` between laptops of one group,
`export`, office `import`, `stats --json`."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from tests.builders import PASSPHRASE, Context, lead
from tests.plan_helpers import ROUND, sample, write_workbook
from xuncha_desktop import cli
from xuncha_desktop.domain.organization import InspectionGroup, InspectionRound, TargetUnit
from xuncha_desktop.domain.record_types import GROUP, LEAD, TARGET
from xuncha_desktop.domain.record_types import ROUND as ROUND_TYPE
from xuncha_desktop.services.records.record_service import ListQuery, RecordService
from xuncha_desktop.services.workspace import PASSPHRASE_ENV, Workspace

pytestmark = pytest.mark.e2e

REPO = Path(__file__).resolve().parents[2]
SECOND_ROUND = "2025年第二轮巡察"


@pytest.fixture(autouse=True)
def passphrase_env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(PASSPHRASE_ENV, PASSPHRASE)
    monkeypatch.delenv("XUNCHA_USER", raising=False)


def _child(*argv: str | Path) -> subprocess.CompletedProcess[str]:
    """The installed command as an office script runs it: a process of its own."""
    env = {**os.environ, PASSPHRASE_ENV: PASSPHRASE, "PYTHONIOENCODING": "utf-8"}
    return subprocess.run(
        [sys.executable, "-m", "xuncha_desktop", *map(str, argv)],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=180,
        check=False,
    )


def _run(capsys: pytest.CaptureFixture[str], *argv: str | Path) -> tuple[int, str, str]:
    code = cli.main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


def _plan() -> dict[str, list[dict[str, Any]]]:
    rows = sample()  # 第一巡察组: 张建国 zhangjg, 李文华 liwh; 第二巡察组: 王强 wangq, 赵敏
    rows["轮次"].append(
        {
            "轮次名称": SECOND_ROUND,
            "类型": "专项",
            "进驻日期": date(2025, 9, 1),
            "撤离日期": date(2025, 10, 31),
        }
    )
    rows["巡察组"].append({"轮次名称": SECOND_ROUND, "巡察组名称": "第一巡察组"})
    return rows


def _context(path: Path) -> Context:
    with Workspace.open(path, PASSPHRASE) as ws:
        [group] = RecordService[InspectionGroup](ws, GROUP).list(ListQuery(limit=None))
        rnd = RecordService[InspectionRound](ws, ROUND_TYPE).get(group.round_id)
        [target] = RecordService[TargetUnit](ws, TARGET).list(ListQuery(limit=None))
    return Context(rnd, group, target)


def test_plan_import_json_and_exit_codes_in_a_process_of_its_own(tmp_path: Path) -> None:
    office = tmp_path / "巡察办.xcdb"
    assert _child("init", "--office", "--db", office).returncode == 0
    template = tmp_path / "模板.xlsx"
    made = _child("plan", "template", "--out", template)
    assert (made.returncode, made.stdout) == (0, f"已生成空白计划工作簿：{template}\n")
    bad = _plan()
    bad["组员"][1]["角色"] = "队长"
    bad["被巡察单位"].append({**bad["被巡察单位"][0], "巡察组名称": "第二巡察组"})
    rejected = _child("plan", "import", "--db", office, "--json", write_workbook(tmp_path / "坏.xlsx", bad))
    assert rejected.returncode == 1 and rejected.stderr.startswith("错误：计划工作簿有 2 处错误")
    report = json.loads(rejected.stdout)
    assert list(report) == ["created", "updated", "unchanged", "errors"]
    assert [(e["sheet"], e["row"], e["column"]) for e in report["errors"]] == [
        ("组员", 3, "角色"),
        ("被巡察单位", 4, "巡察组名称"),
    ]
    assert all(set(e) == {"sheet", "row", "column", "message"} and e["message"] for e in report["errors"])
    good = write_workbook(tmp_path / "计划.xlsx", _plan())
    first = _child("plan", "import", "--db", office, "--json", good)
    created = json.loads(first.stdout)["created"]
    assert first.returncode == 0 and created > 0
    again = _child("plan", "import", "--db", office, "--json", good)
    assert json.loads(again.stdout) == {"created": 0, "updated": 0, "unchanged": created, "errors": []}
    usage = _child("plan", "import", "--db", office)
    assert usage.returncode == 2 and "缺少必需的参数" in usage.stderr
    not_excel = tmp_path / "计划.csv"
    not_excel.write_text("轮次名称\n", encoding="utf-8")
    broken = _child("plan", "import", "--db", office, not_excel)
    assert broken.returncode == 1 and "不是 Excel 2007 及以后的 .xlsx 工作簿" in broken.stderr


def test_from_nothing_to_the_office_stats_through_the_command_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    office = tmp_path / "巡察办.xcdb"
    assert _run(capsys, "init", "--office", "--db", office)[0] == 0
    code, out, _ = _run(
        capsys, "plan", "import", "--db", office, write_workbook(tmp_path / "计划.xlsx", _plan())
    )
    assert code == 0 and out.startswith("已导入计划工作簿：新增 ")

    # 第一巡察组 is the name of a group in both rounds: the round tells them apart
    code, _, err = _run(
        capsys, "provision", "--db", office, "--group", "第一巡察组", "--out", tmp_path / "x.xcpkg"
    )
    assert code == 1 and f"“{ROUND}”" in err and f"“{SECOND_ROUND}”" in err and "--round" in err
    packages = {"第一巡察组": tmp_path / "第一组.xcpkg", "第二巡察组": tmp_path / "第二组.xcpkg"}
    for group, package in packages.items():
        argv = ["provision", "--db", office, "--group", group, "--round", ROUND, "--code", f"{group}配置码"]
        assert _run(capsys, *argv, "--out", package)[0] == 0

    laptops = {"zhangjg": "第一巡察组", "liwh": "第一巡察组", "wangq": "第二巡察组"}
    for login, group in laptops.items():
        path = tmp_path / f"{login}.xcdb"
        assert _run(capsys, "init", "--db", path, "--user", login, "--role", "组员")[0] == 0
        code, out, err = _run(capsys, "import", "--db", path, "--code", f"{group}配置码", packages[group])
        assert code == 0, err
        code, out, _ = _run(capsys, "stats", "--db", path, "--json")
        stats = json.loads(out)
        members = 2  # the group's roster: 张建国, 李文华 or 王强, 赵敏
        assert (stats["rounds"], stats["groups"], stats["members"], stats["targets"]) == (2, 1, members, 1)

    # records on a laptop; its ledger brings them to the other laptop of its group
    first, second = tmp_path / "zhangjg.xcdb", tmp_path / "liwh.xcdb"
    ctx = _context(first)
    with Workspace.open(first, PASSPHRASE) as ws:
        for name in ("赵有才", "钱某"):
            RecordService(ws, LEAD).save(lead(ctx, subject_name=name))
    ledger = tmp_path / "线索台账.xlsx"
    assert _run(capsys, "ledger", "--db", first, "--kind", "lead", "--out", ledger)[0] == 0
    code, out, _ = _run(capsys, "ledger-import", "--db", second, "--kind", "lead", "--json", ledger)
    assert (code, json.loads(out)) == (0, {"created": 2, "updated": 0, "unchanged": 0, "errors": []})
    code, out, err = _run(capsys, "ledger-import", "--db", second, "--kind", "lead", ledger)
    assert code == 1 and "已在工作库中（可能已导入过）" in out and err.startswith("错误：台账有 2 行存在问题")

    # the laptops send their work to the office (the copies on the second laptop hold the same 编号 as the
    # originals: that laptop stands in for the first, it does not send them again)
    for laptop in (first, tmp_path / "wangq.xcdb"):
        package = tmp_path / f"{laptop.stem}-工作包.xcpkg"
        assert _run(capsys, "export", "--db", laptop, "--out", package)[0] == 0
        code, out, err = _run(capsys, "import", "--db", office, package)
        assert code == 0, err
    code, out, _ = _run(capsys, "stats", "--db", office, "--json")
    stats = json.loads(out)
    assert (stats["rounds"], stats["groups"], stats["members"], stats["targets"]) == (2, 3, 4, 2)
    assert stats["leads"] == 2
