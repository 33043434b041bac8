"""cli.output_commands: print and ledger write their file and say what they wrote; bad options exit 2."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.builders import PASSPHRASE, Context, draft
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
