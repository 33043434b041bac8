"""cli.common: display width, aligned tables, the passphrase prompt, sparse progress and the package code."""

from __future__ import annotations

import argparse
from pathlib import Path

import pytest

from xuncha_desktop.cli import common
from xuncha_desktop.cli.common import (
    PACKAGE_CODE_ENV,
    StderrProgress,
    display_width,
    package_code,
    passphrase,
    refuse_existing,
    remove_workspace_files,
    table,
)
from xuncha_desktop.domain.errors import WorkspaceError
from xuncha_desktop.services.workspace import PASSPHRASE_ENV
from xuncha_desktop.storage.keyfile import keyfile_path


def test_cjk_characters_are_two_columns_and_tables_align() -> None:
    assert display_width("ab") == 2 and display_width("巡察") == 4 and display_width("Ａ") == 2
    assert table([("谈话", 3), ("ab", 10)]) == ["谈话  3", "ab    10"]
    assert table([]) == []


def test_the_passphrase_comes_from_the_environment_first(monkeypatch) -> None:
    monkeypatch.setenv(PASSPHRASE_ENV, "环境口令")
    assert passphrase(confirm=True) == "环境口令"


def test_a_new_passphrase_must_be_typed_the_same_twice(monkeypatch) -> None:
    monkeypatch.delenv(PASSPHRASE_ENV, raising=False)
    answers = iter(["一次", "两次"])
    monkeypatch.setattr(common.getpass, "getpass", lambda prompt: next(answers))
    with pytest.raises(WorkspaceError, match="两次输入的口令不一致"):
        passphrase(confirm=True)


def test_no_input_names_the_environment_variable(monkeypatch) -> None:
    monkeypatch.delenv(PASSPHRASE_ENV, raising=False)

    def eof(prompt: str) -> str:
        raise EOFError

    monkeypatch.setattr(common.getpass, "getpass", eof)
    with pytest.raises(WorkspaceError, match=PASSPHRASE_ENV):
        passphrase()


def test_existing_workspaces_are_never_overwritten_and_leftovers_go(tmp_path: Path) -> None:
    db = tmp_path / "库.xcdb"
    refuse_existing(db)
    keyfile_path(db).write_text("{}")
    with pytest.raises(WorkspaceError, match="已存在，不会覆盖"):
        refuse_existing(db)
    db.write_bytes(b"x")
    Path(f"{db}-wal").write_bytes(b"x")
    remove_workspace_files(db)
    assert list(tmp_path.iterdir()) == []


def test_progress_prints_a_line_per_tenth(capsys) -> None:
    progress = StderrProgress()
    for done in range(0, 101):
        progress.report(done, 100, "导出")
    lines = capsys.readouterr().err.splitlines()
    assert lines[0] == "0% 导出" and lines[-1] == "100% 导出" and len(lines) == 11


def test_the_package_code_from_option_or_environment(monkeypatch) -> None:
    monkeypatch.setenv(PACKAGE_CODE_ENV, "环境码")
    assert package_code(argparse.Namespace(code="选项码")) == "选项码"
    assert package_code(argparse.Namespace(code=None)) == "环境码"
    monkeypatch.setenv(PACKAGE_CODE_ENV, "")
    assert package_code(argparse.Namespace(code=None)) is None
