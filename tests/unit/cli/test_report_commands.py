"""cli.report_commands: the kinds are the report service's; a unit's report and a draft's 审批单 are
written and announced; a wrong combination is a usage error (exit 2) in Chinese, a unit that does not
exist a data error (exit 1)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.builders import PASSPHRASE
from tests.docx_helpers import open_docx
from tests.report_builders import report_world
from xuncha_desktop.cli import main
from xuncha_desktop.cli.report_commands import REPORT_KINDS, UNIT_KINDS
from xuncha_desktop.services.reports import generate
from xuncha_desktop.services.workspace import PASSPHRASE_ENV, Workspace


def test_the_kinds_are_those_of_the_report_service() -> None:
    assert REPORT_KINDS == generate.REPORT_KINDS and UNIT_KINDS == generate.UNIT_KINDS


@pytest.fixture
def filled(workspace: Workspace, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, str]:
    world = report_world(workspace)
    workspace.close()
    monkeypatch.setenv(PASSPHRASE_ENV, PASSPHRASE)
    return workspace.path, world.signed[0].id


def test_a_units_report_and_a_drafts_approval_sheet(filled: tuple[Path, str], tmp_path: Path, capsys) -> None:
    db, draft_id = filled
    out = tmp_path / "巡察报告.docx"
    assert (
        main(
            [
                "report",
                "--db",
                str(db),
                "--kind",
                "inspection",
                "--unit",
                "清河县财政局党组",
                "--out",
                str(out),
            ]
        )
        == 0
    )
    said = capsys.readouterr().out
    assert f"已生成巡察报告初稿：{out}（依据 5 条记录）" in said and "模板：" in said
    assert open_docx(out).paragraphs[1].text == "关于巡察清河县财政局党组的情况报告"
    sheet = tmp_path / "审批单.pdf"
    assert main(["report", "--db", str(db), "--kind", "approval", "--id", draft_id, "--out", str(sheet)]) == 0
    said = capsys.readouterr().out
    assert f"已生成底稿审批单：{sheet}（依据 1 条记录，1 页）" in said and "字体：" in said


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--kind", "approval", "--out", "x.docx"], "生成底稿审批单须用 --id 指定问题底稿"),
        (["--kind", "approval", "--unit", "甲", "--out", "x.docx"], "不接受 --unit 或 --round"),
        (["--kind", "inspection", "--out", "x.docx"], "必须用 --unit 指定被巡察单位"),
        (["--kind", "feedback", "--id", "1", "--out", "x.docx"], "参数 --id 只用于 --kind approval"),
        (["--kind", "inspection", "--unit", "甲", "--out", "x.doc"], "扩展名应为 .docx"),
    ],
)
def test_wrong_combinations_are_usage_errors(args: list[str], message: str, tmp_path: Path, capsys) -> None:
    assert main(["report", "--db", str(tmp_path / "无.xcdb"), *args]) == 2
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err


def test_an_unknown_unit_is_a_data_error(filled: tuple[Path, str], tmp_path: Path, capsys) -> None:
    db, _ = filled
    out = tmp_path / "报告.docx"
    assert (
        main(["report", "--db", str(db), "--kind", "feedback", "--unit", "不存在的单位", "--out", str(out)])
        == 1
    )
    assert capsys.readouterr().err.splitlines()[-1] == "错误：找不到被巡察单位“不存在的单位”"
    assert not out.exists()
