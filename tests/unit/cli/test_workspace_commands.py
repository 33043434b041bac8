"""cli.workspace_commands: init refuses to overwrite, stats prints the figures (as JSON when asked), check
passes a sound workspace with exit code 0."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.builders import PASSPHRASE, Context, draft
from xuncha_desktop.cli import main
from xuncha_desktop.domain.record_types import DRAFT
from xuncha_desktop.services.records.record_service import RecordService
from xuncha_desktop.services.workspace import PASSPHRASE_ENV, Workspace


@pytest.fixture
def closed(workspace: Workspace, ctx: Context, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A workspace with one draft, closed so that the command line may open it."""
    RecordService(workspace, DRAFT).save(draft(ctx))
    workspace.close()
    monkeypatch.setenv(PASSPHRASE_ENV, PASSPHRASE)
    return workspace.path


def test_init_never_overwrites_a_workspace(closed: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["init", "--db", str(closed)]) == 1
    assert "已存在，不会覆盖" in capsys.readouterr().err


def test_stats_as_text_and_as_json(closed: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["stats", "--db", str(closed), "--json"]) == 0
    figures = json.loads(capsys.readouterr().out)
    assert figures["drafts"] == 1 and figures["targets"] == 1
    assert figures["workspace"]["path"] == str(closed)
    assert main(["stats", "--db", str(closed)]) == 0
    text = capsys.readouterr().out
    assert "工作库" in text and "问题底稿按状态：" in text


def test_check_passes_a_sound_workspace(closed: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", "--db", str(closed)]) == 0
    assert capsys.readouterr().out.startswith("检查通过")


def test_a_missing_workspace_is_named_before_any_passphrase(tmp_path: Path, capsys) -> None:
    assert main(["stats", "--db", str(tmp_path / "无.xcdb")]) == 1
    assert "找不到工作库文件" in capsys.readouterr().err
