"""Opening a workspace from the GUI: passphrase retries, creating a missing file, Chinese error messages."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.builders import PASSPHRASE
from xuncha_desktop.gui import messages
from xuncha_desktop.gui.workspace_opener import open_workspace
from xuncha_desktop.services.workspace import Workspace
from xuncha_desktop.storage.keyfile import KdfParams


def _answers(*values: str | None) -> tuple[list[str], object]:
    """A stand-in for a passphrase dialog: gives `values` in turn and keeps the error shown each time."""
    errors: list[str] = []
    queue: Iterator[str | None] = iter(values)

    def ask(parent: object, path: Path, error: str = "") -> str | None:
        errors.append(error)
        return next(queue)

    return errors, ask


@pytest.fixture
def existing(workspace: Workspace) -> Path:
    workspace.close()
    return workspace.path


def test_a_given_passphrase_opens_without_asking(existing: Path) -> None:
    with open_workspace(None, existing, PASSPHRASE) as opened:  # type: ignore[union-attr]
        assert opened.path == existing


def test_a_wrong_passphrase_is_explained_and_asked_again(
    existing: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    errors, ask = _answers("还是不对的口令", PASSPHRASE)
    monkeypatch.setattr(messages, "ask_passphrase", ask)
    opened = open_workspace(None, existing, "错误的口令")
    assert opened is not None
    opened.close()
    assert errors == ["口令不正确，请重新输入。", "口令不正确，请重新输入。"]


def test_cancelling_the_passphrase_gives_up(existing: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    errors, ask = _answers(None)
    monkeypatch.setattr(messages, "ask_passphrase", ask)
    assert open_workspace(None, existing) is None
    assert errors == [""]


def test_a_file_that_is_not_a_workspace_shows_a_chinese_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    plain = tmp_path / "普通文件.xcdb"
    plain.write_bytes(b"SQLite format 3\x00" + bytes(100))
    shown: list[tuple[str, str]] = []
    monkeypatch.setattr(messages, "show_error", lambda parent, title, text: shown.append((title, text)))
    assert open_workspace(None, plain, PASSPHRASE) is None
    assert shown == [("无法打开工作库", "“普通文件.xcdb”是未加密的 SQLite 文件，不是本系统的工作库")]


def test_a_missing_file_is_created_after_asking(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "新工作库.xcdb"
    create = Workspace.create.__func__  # type: ignore[attr-defined]
    monkeypatch.setattr(  # the real key derivation takes seconds: cheap parameters for the test
        Workspace, "create", classmethod(lambda cls, *a, **kw: create(cls, *a, kdf=KdfParams.cheap(), **kw))
    )
    monkeypatch.setattr(messages, "ask_create_workspace", lambda parent, p: p == path)
    errors, ask = _answers("短口令", PASSPHRASE)
    monkeypatch.setattr(messages, "ask_new_passphrase", ask)
    created = open_workspace(None, path, user="李明")
    assert created is not None
    with created:
        assert created.user.display_name == "李明"
    assert errors == ["", "口令至少需要8个字符"]
    with Workspace.open(path, PASSPHRASE) as reopened:
        assert reopened.path == path


def test_declining_to_create_leaves_no_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "新工作库.xcdb"
    monkeypatch.setattr(messages, "ask_create_workspace", lambda parent, p: False)
    assert open_workspace(None, path) is None
    assert not path.exists()
