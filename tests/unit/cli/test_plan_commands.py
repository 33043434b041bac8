"""cli.plan_commands: plan template / export / import with their messages, --json and exit codes, and the
group named by name (resolve_group) that provision and ledger-import use."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from tests.builders import PASSPHRASE
from tests.plan_helpers import ROUND, office_workspace, sample, write_workbook
from xuncha_desktop.cli import main
from xuncha_desktop.cli.plan_commands import resolve_group
from xuncha_desktop.domain.errors import XunchaError
from xuncha_desktop.services.plan.workbook import import_plan
from xuncha_desktop.services.workspace import PASSPHRASE_ENV, Workspace


@pytest.fixture
def office_db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    office_workspace(tmp_path / "巡察办.xcdb").close()
    monkeypatch.setenv(PASSPHRASE_ENV, PASSPHRASE)
    return tmp_path / "巡察办.xcdb"


def test_template_then_import_then_export(office_db: Path, tmp_path: Path, capsys) -> None:
    blank = tmp_path / "模板.xlsx"
    assert main(["plan", "template", "--out", str(blank)]) == 0
    assert capsys.readouterr().out == f"已生成空白计划工作簿：{blank}\n"
    plan = write_workbook(tmp_path / "计划.xlsx", sample())
    assert main(["plan", "import", "--db", str(office_db), "--dry-run", str(plan)]) == 0
    assert capsys.readouterr().out == "预览（未写入任何数据）：新增 18 条，更新 0 条，未变 0 条\n"
    assert main(["plan", "import", "--db", str(office_db), str(plan)]) == 0
    assert capsys.readouterr().out == "已导入计划工作簿：新增 18 条，更新 0 条，未变 0 条\n"
    out = tmp_path / "导出.xlsx"
    assert main(["plan", "export", "--db", str(office_db), "--out", str(out)]) == 0
    assert capsys.readouterr().out == f"已导出计划工作簿：{out}\n"
    assert main(["plan", "import", "--db", str(office_db), "--json", str(out)]) == 0
    assert json.loads(capsys.readouterr().out) == {"created": 0, "updated": 0, "unchanged": 18, "errors": []}


def test_a_rejected_workbook_lists_every_error_and_exits_1(office_db: Path, tmp_path: Path, capsys) -> None:
    rows = sample()
    rows["组员"][1]["角色"] = "队长"
    rows["组员"][2]["登录名"] = "zhangjg"
    plan = write_workbook(tmp_path / "计划.xlsx", rows)
    assert main(["plan", "import", "--db", str(office_db), str(plan)]) == 1
    out, err = capsys.readouterr()
    assert out.splitlines() == [
        "工作表“组员”第 3 行“角色”：组内职务“队长”不在可选范围内（组长、副组长、组员、联络员）",
        "工作表“组员”第 4 行“登录名”：登录名“zhangjg”已由张建国使用",
    ]
    assert err == "错误：计划工作簿有 2 处错误（2 行），整份未导入，工作库未作任何改动\n"
    assert main(["plan", "import", "--db", str(office_db), "--json", str(plan)]) == 1
    report = json.loads(capsys.readouterr().out)
    assert (report["created"], [e["row"] for e in report["errors"]]) == (0, [3, 4])
    assert set(report["errors"][0]) == {"sheet", "row", "column", "message"}


@pytest.mark.parametrize(
    "argv",
    [
        ["plan"],
        ["plan", "import", "--db", "x.xcdb"],
        ["plan", "export", "--db", "x.xcdb"],
        ["plan", "template"],
    ],
)
def test_missing_arguments_exit_with_the_usage_code(argv: list[str], capsys) -> None:
    assert main(argv) == 2
    assert "缺少必需的参数" in capsys.readouterr().err


def test_a_field_workspace_has_no_plan_to_import(
    workspace: Workspace, tmp_path: Path, capsys, monkeypatch
) -> None:
    workspace.close()
    monkeypatch.setenv(PASSPHRASE_ENV, PASSPHRASE)
    plan = write_workbook(tmp_path / "计划.xlsx", sample())
    assert main(["plan", "import", "--db", str(workspace.path), str(plan)]) == 1
    assert "只能在巡察办工作库中进行（本工作库是巡察组现场工作库）" in capsys.readouterr().err


def test_groups_are_resolved_by_name_and_round(tmp_path: Path) -> None:
    rows = sample()
    rows["轮次"].append({"轮次名称": "2025年第二轮巡察", "类型": "专项", "进驻日期": date(2025, 9, 1),
                       "撤离日期": date(2025, 10, 31)})  # fmt: skip
    rows["巡察组"].append({"轮次名称": "2025年第二轮巡察", "巡察组名称": "第一巡察组"})
    with office_workspace(tmp_path / "巡察办.xcdb") as office:
        import_plan(office, write_workbook(tmp_path / "计划.xlsx", rows))
        second = resolve_group(office, "第二巡察组")
        assert resolve_group(office, second) == second == resolve_group(office, "2", ROUND)
        assert resolve_group(office, "第一巡察组", "2025年第二轮巡察") != resolve_group(
            office, "第一巡察组", ROUND
        )
        with pytest.raises(XunchaError, match=r"有 2 个巡察组叫“第一巡察组”.*请用 --round 指定轮次名称"):
            resolve_group(office, "第一巡察组")
        with pytest.raises(XunchaError, match="轮次“2025年第二轮巡察”中找不到巡察组“第二巡察组”"):
            resolve_group(office, "第二巡察组", "2025年第二轮巡察")
