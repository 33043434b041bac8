"""cli.output_commands: print and ledger write their file and say what they wrote; bad options exit 2."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.builders import PASSPHRASE, Context, draft
from tests.rectification_output_builders import UNIT, RectificationRound, rectification_round
from xuncha_desktop.cli import main
from xuncha_desktop.domain.record_types import DRAFT
from xuncha_desktop.services.records.record_service import RecordService
from xuncha_desktop.services.workspace import PASSPHRASE_ENV, Workspace


@pytest.fixture
def closed(workspace: Workspace, ctx: Context, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, str]:
    saved = RecordService(workspace, DRAFT).save(draft(ctx))
    workspace.close()
    monkeypatch.setenv(PASSPHRASE_ENV, PASSPHRASE)
    return workspace.path, saved.id


def test_print_one_record(closed: tuple[Path, str], tmp_path: Path, capsys) -> None:
    db, record_id = closed
    out = tmp_path / "底稿.pdf"
    assert main(["print", "--db", str(db), "--kind", "draft", "--id", record_id, "--out", str(out)]) == 0
    assert out.read_bytes().startswith(b"%PDF")
    assert capsys.readouterr().out.startswith(f"已生成 PDF：{out}（1 份记录，")


def test_ledger_of_a_kind(closed: tuple[Path, str], tmp_path: Path, capsys) -> None:
    db, _ = closed
    out = tmp_path / "问题清单.xlsx"
    assert main(["ledger", "--db", str(db), "--kind", "draft", "--out", str(out)]) == 0
    assert out.is_file() and capsys.readouterr().out.startswith(f"已生成台账：{out}（")


def test_print_needs_one_record_or_all(closed: tuple[Path, str], tmp_path: Path, capsys) -> None:
    db, _ = closed
    assert main(["print", "--db", str(db), "--kind", "draft", "--out", str(tmp_path / "a.pdf")]) == 2
    assert "必须提供以下参数之一" in capsys.readouterr().err


# -- rectification: print --kind rectification[-evaluation], ledger --kind rectification… with --unit/--round


@pytest.fixture
def rectified(workspace: Workspace, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, RectificationRound]:
    done = rectification_round(workspace)
    workspace.close()
    monkeypatch.setenv(PASSPHRASE_ENV, PASSPHRASE)
    return workspace.path, done


def test_print_rectification_of_a_unit_names_the_file(
    rectified: tuple[Path, RectificationRound], tmp_path: Path, capsys
) -> None:
    db, _ = rectified
    out = tmp_path / "整改情况.pdf"
    argv = ["print", "--db", str(db), "--kind", "rectification", "--unit", UNIT, "--out", str(out)]
    assert main(argv) == 0
    assert out.read_bytes().startswith(b"%PDF")
    assert capsys.readouterr().out.startswith(f"已生成 PDF：{out}（1 份，")


def test_print_rectification_by_feedback_id_and_of_a_round(
    rectified: tuple[Path, RectificationRound], tmp_path: Path, capsys
) -> None:
    db, done = rectified
    by_id = ["--id", done.feedback.id]
    assert (
        main(["print", "--db", str(db), "--kind", "rectification", *by_id, "--out", str(tmp_path / "a.pdf")])
        == 0
    )
    whole = ["--all", "--round", done.ctx.round.name]
    assert (
        main(["print", "--db", str(db), "--kind", "rectification", *whole, "--out", str(tmp_path / "b.pdf")])
        == 0
    )
    made = [line for line in capsys.readouterr().out.splitlines() if line.startswith("已生成 PDF")]
    assert "a.pdf（1 份，" in made[0] and "b.pdf（2 份，" in made[1]


def test_print_rectification_evaluation_needs_a_round(
    rectified: tuple[Path, RectificationRound], tmp_path: Path, capsys
) -> None:
    db, done = rectified
    out = tmp_path / "评估.pdf"
    base = ["print", "--db", str(db), "--kind", "rectification-evaluation", "--out", str(out)]
    assert main(base) == 2
    assert "须用 --round 指定巡察轮次" in capsys.readouterr().err and not out.exists()
    assert main([*base, "--round", done.ctx.round.name]) == 0 and out.is_file()


@pytest.mark.parametrize(
    ("options", "message"),
    [
        (["--kind", "rectification"], "必须提供以下参数之一：--id --unit --all"),
        (["--kind", "draft", "--unit", UNIT], "只用于 --kind rectification"),
        (["--kind", "draft", "--all", "--round", "x"], "只用于 --kind rectification"),
        (["--kind", "rectification", "--id", "x", "--round", "x"], "不能与参数 --id 同时使用"),
        (["--kind", "rectification", "--id", "x", "--unit", UNIT], "不能与参数 --id 同时使用"),
        (["--kind", "rectification-evaluation", "--round", "x", "--all"], "只需 --round"),
    ],
)
def test_print_misuse_is_a_usage_error(
    rectified: tuple[Path, RectificationRound], tmp_path: Path, capsys, options: list[str], message: str
) -> None:
    db, _ = rectified
    assert main(["print", "--db", str(db), *options, "--out", str(tmp_path / "a.pdf")]) == 2
    err = capsys.readouterr().err
    assert "用法" in err and message in err


def test_an_unknown_unit_or_round_is_a_chinese_error(
    rectified: tuple[Path, RectificationRound], tmp_path: Path, capsys
) -> None:
    db, _ = rectified
    out = str(tmp_path / "a.pdf")
    assert (
        main(["print", "--db", str(db), "--kind", "rectification", "--unit", "县档案馆", "--out", out]) == 1
    )
    assert "错误：找不到被巡察单位“县档案馆”" in capsys.readouterr().err
    argv = ["ledger", "--db", str(db), "--kind", "rectification", "--round", "第9轮", "--out", out]
    assert main(argv) == 1
    assert "错误：找不到巡察轮次“第9轮”；现有轮次：“2025年第3轮巡察”" in capsys.readouterr().err


@pytest.mark.parametrize("kind", ["rectification", "reconciliation"])
def test_rectification_ledgers_with_and_without_a_round(
    rectified: tuple[Path, RectificationRound], tmp_path: Path, capsys, kind: str
) -> None:
    db, done = rectified
    out = tmp_path / f"{kind}.xlsx"
    assert main(["ledger", "--db", str(db), "--kind", kind, "--out", str(out)]) == 0
    assert (
        main(["ledger", "--db", str(db), "--kind", kind, "--round", done.ctx.round.name, "--out", str(out)])
        == 0
    )
    said = capsys.readouterr().out
    assert said.startswith(f"已生成台账：{out}（") and (
        "整改台账 4 行" in said or "移交线索对账表 3 行" in said
    )


def test_the_evaluation_ledger_needs_a_round_and_round_is_refused_elsewhere(
    rectified: tuple[Path, RectificationRound], tmp_path: Path, capsys
) -> None:
    db, done = rectified
    out = tmp_path / "评估.xlsx"
    base = ["ledger", "--db", str(db), "--out", str(out)]
    assert main([*base, "--kind", "rectification-evaluation"]) == 2
    assert "须用 --round 指定巡察轮次" in capsys.readouterr().err
    assert main([*base, "--kind", "draft", "--round", done.ctx.round.name]) == 2
    assert "参数 --round 只用于" in capsys.readouterr().err
    assert main([*base, "--kind", "rectification-evaluation", "--round", done.ctx.round.name]) == 0
    assert "评估排名 2 行" in capsys.readouterr().out


# -- statistics: ledger --kind statistics and print --kind statistics-brief with --round / --year


def test_statistics_kinds_match_the_services() -> None:
    from xuncha_desktop.cli import output_commands
    from xuncha_desktop.services.output.pdf_statistics_brief import STATISTICS_PDF_KINDS

    assert output_commands.STATISTICS_PDF_KINDS == STATISTICS_PDF_KINDS
    assert not set(STATISTICS_PDF_KINDS) & set(output_commands.PDF_KINDS)


def test_statistics_workbook_and_brief_of_a_round_and_a_year(
    rectified: tuple[Path, RectificationRound], tmp_path: Path, capsys
) -> None:
    from openpyxl import load_workbook

    db, done = rectified
    name = done.ctx.round.name
    book, brief = tmp_path / "统计表.xlsx", tmp_path / "简报.pdf"
    assert main(["ledger", "--db", str(db), "--kind", "statistics", "--round", name, "--out", str(book)]) == 0
    assert capsys.readouterr().out.startswith(f"已生成台账：{book}（统计概览 ")
    assert load_workbook(book)["统计概览"]["A1"].value == f"巡察工作统计表（{name}）"
    argv = ["print", "--db", str(db), "--kind", "statistics-brief", "--year", "2025", "--out", str(brief)]
    assert main(argv) == 0
    assert capsys.readouterr().out.startswith(f"已生成 PDF：{brief}（1 页）")
    assert main(["ledger", "--db", str(db), "--kind", "statistics", "--out", str(book)]) == 0
    assert load_workbook(book)["统计概览"]["A1"].value == "巡察工作统计表（全部（本届））"


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["print", "--kind", "statistics-brief", "--all"], "不接受 --id、--all 或 --unit"),
        (["print", "--kind", "statistics-brief", "--round", "x", "--year", "2025"], "不能与参数 --round"),
        (["print", "--kind", "draft", "--all", "--year", "2025"], "参数 --year 只用于"),
        (["print", "--kind", "statistics-brief", "--year", "今年"], "应为整数"),
        (["ledger", "--kind", "draft", "--year", "2025"], "参数 --year 只用于"),
        (["ledger", "--kind", "statistics", "--round", "x", "--year", "2025"], "不能与参数 --round"),
    ],
)
def test_statistics_misuse_is_a_usage_error(
    closed: tuple[Path, str], tmp_path: Path, capsys, argv: list[str], message: str
) -> None:
    db, _ = closed
    out = tmp_path / ("a.pdf" if argv[0] == "print" else "a.xlsx")
    assert main([argv[0], "--db", str(db), *argv[1:], "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert "用法" in err and message in err and not out.exists()


def test_an_unknown_round_or_a_bad_year_is_a_chinese_error(
    closed: tuple[Path, str], tmp_path: Path, capsys
) -> None:
    db, _ = closed
    out = str(tmp_path / "a.xlsx")
    assert main(["ledger", "--db", str(db), "--kind", "statistics", "--round", "第9轮", "--out", out]) == 1
    assert "错误：工作库中没有名为“第9轮”的巡察轮次" in capsys.readouterr().err
    argv = ["print", "--db", str(db), "--kind", "statistics-brief", "--year", "1990", "--out", out]
    assert main(argv) == 1
    assert "年度 1990 无效" in capsys.readouterr().err
