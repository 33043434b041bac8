"""cli.ledger_commands: a ledger exported on one laptop imported on another laptop of the same group
recreates its records; bad rows are listed (or given as JSON) and nothing is imported; kinds match the
ledger import service."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from openpyxl import load_workbook

from tests.builders import PASSPHRASE, interview, lead
from tests.sync_helpers import World
from xuncha_desktop.cli import main
from xuncha_desktop.cli.ledger_commands import LEDGER_IMPORT_KINDS
from xuncha_desktop.domain.record_types import INTERVIEW, LEAD
from xuncha_desktop.services.output.excel_import import IMPORT_KINDS
from xuncha_desktop.services.records.record_service import ListQuery, RecordService
from xuncha_desktop.services.workspace import PASSPHRASE_ENV, Workspace


def test_the_kinds_are_those_of_the_import_service() -> None:
    assert sorted(LEDGER_IMPORT_KINDS) == sorted(IMPORT_KINDS)


def _numbers(path: Path, rt) -> list[tuple[str, str]]:  # type: ignore[no-untyped-def]
    with Workspace.open(path, PASSPHRASE) as ws:
        return sorted((r.number, r.target_id) for r in RecordService(ws, rt).list(ListQuery(limit=None)))


def test_a_ledger_of_one_laptop_recreates_its_records_on_another(
    world: World, tmp_path: Path, capsys, monkeypatch
) -> None:
    first, second = world.fields[0].path, world.fields[1].path
    for name in ("赵有才", "孙某"):
        RecordService(world.fields[0], LEAD).save(lead(world.ctx, subject_name=name))
    RecordService(world.fields[0], INTERVIEW).save(interview(world.ctx))
    world.close()
    monkeypatch.setenv(PASSPHRASE_ENV, PASSPHRASE)
    for kind, rt in (("lead", LEAD), ("interview", INTERVIEW)):
        ledger = tmp_path / f"{kind}.xlsx"
        assert main(["ledger", "--db", str(first), "--kind", kind, "--out", str(ledger)]) == 0
        capsys.readouterr()
        assert main(["ledger-import", "--db", str(second), "--kind", kind, "--dry-run", str(ledger)]) == 0
        assert "预览（未写入任何数据）：可导入" in capsys.readouterr().out
        assert _numbers(second, rt) == []
        assert main(["ledger-import", "--db", str(second), "--kind", kind, "--json", str(ledger)]) == 0
        report = json.loads(capsys.readouterr().out)
        assert report == {"created": len(_numbers(first, rt)), "updated": 0, "unchanged": 0, "errors": []}
        assert _numbers(second, rt) == _numbers(first, rt)


def test_bad_rows_are_listed_and_nothing_is_imported(
    world: World, tmp_path: Path, capsys, monkeypatch
) -> None:
    RecordService(world.fields[0], LEAD).save(lead(world.ctx))
    first, second = world.fields[0].path, world.fields[1].path
    world.close()
    monkeypatch.setenv(PASSPHRASE_ENV, PASSPHRASE)
    ledger = tmp_path / "线索.xlsx"
    main(["ledger", "--db", str(first), "--kind", "lead", "--out", str(ledger)])
    book = load_workbook(ledger)
    sheet = book.worksheets[0]
    header = next(r for r in range(1, 10) if any(c.value == "被巡察单位" for c in sheet[r]))
    column = next(c.column for c in sheet[header] if c.value == "被巡察单位")
    sheet.cell(row=header + 1, column=column, value="不存在的单位")
    book.save(ledger)
    capsys.readouterr()
    assert main(["ledger-import", "--db", str(second), "--kind", "lead", str(ledger)]) == 1
    out, err = capsys.readouterr()
    assert out.startswith(
        f"工作表“{sheet.title}”第 {header + 1} 行“被巡察单位”：被巡察单位“不存在的单位”不在当前轮次中"
    )
    assert err.startswith("错误：台账有 1 行存在问题") and _numbers(second, LEAD) == []


def test_the_office_names_the_group(world: World, tmp_path: Path, capsys, monkeypatch) -> None:
    office, group = world.office.path, world.ctx.group
    world.close()
    monkeypatch.setenv(PASSPHRASE_ENV, PASSPHRASE)
    ledger = tmp_path / "空.xlsx"
    main(["ledger", "--db", str(office), "--kind", "draft", "--out", str(ledger)])
    capsys.readouterr()
    argv = ["ledger-import", "--db", str(office), "--kind", "draft", "--group", group.name, str(ledger)]
    assert main(argv) == 0
    assert capsys.readouterr().out.startswith("已导入 0 条记录")


@pytest.mark.parametrize(
    "argv", [["ledger-import", "--db", "a.xcdb", "x.xlsx"], ["ledger-import", "--kind", "lead"]]
)
def test_missing_arguments_exit_with_the_usage_code(argv: list[str], capsys) -> None:
    assert main(argv) == 2
    assert "缺少必需的参数" in capsys.readouterr().err
