"""Shared fixtures: headless Qt, throw-away workspaces with a cheap KDF, and record builders."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")  # before any QApplication exists

from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from tests.builders import PASSPHRASE, Context, make_context
from xuncha_desktop.services.workspace import Workspace
from xuncha_desktop.storage.keyfile import KdfParams

if TYPE_CHECKING:
    from tests.sync_helpers import World


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark every test that uses a QApplication as `gui`, so `-m "not gui"` is the fast loop."""
    for item in items:
        if {"qapp", "qtbot"} & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.gui)


@pytest.fixture(autouse=True)
def private_qt_settings(tmp_path_factory: pytest.TempPathFactory) -> None:
    """QSettings() without a file (widgets outside a window) writes to a folder of the test's own, never
    to the tester's own configuration, and nothing remembered carries over to the next test."""
    from PySide6.QtCore import QSettings

    folder = str(tmp_path_factory.mktemp("qt-settings"))
    for fmt in (QSettings.Format.NativeFormat, QSettings.Format.IniFormat):
        QSettings.setPath(fmt, QSettings.Scope.UserScope, folder)


@pytest.fixture(autouse=True)
def documents_folder(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The user's Documents folder, where exports start: a folder of the test's own."""
    from xuncha_desktop.services import export_folders

    documents = tmp_path_factory.mktemp("我的文档")
    monkeypatch.setattr(export_folders, "documents_dir", lambda: documents)
    return documents


@pytest.fixture
def workspace_path(tmp_path: Path) -> Path:
    return tmp_path / "现场工作库.xcdb"


@pytest.fixture
def workspace(workspace_path: Path) -> Iterator[Workspace]:
    ws = Workspace.create(workspace_path, PASSPHRASE, kdf=KdfParams.cheap())
    yield ws
    ws.close()


@pytest.fixture(scope="session")
def world_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Files of an office and three laptops provisioned from it (slow to make, so made once; the mutation
    runner makes them once for all its test runs and names them in XUNCHA_WORLD_TEMPLATE)."""
    from tests.sync_helpers import build_world_files

    made = os.environ.get("XUNCHA_WORLD_TEMPLATE")
    if made:
        return Path(made)

    root = tmp_path_factory.mktemp("world-template")
    build_world_files(root, n_fields=3)
    return root


@pytest.fixture
def world(world_template: Path, tmp_path: Path) -> Iterator[World]:
    """A fresh copy of the provisioned office and laptops, for one test."""
    from tests.sync_helpers import open_world

    w = open_world(world_template, tmp_path / "world")
    yield w
    w.close()


@pytest.fixture
def ctx(workspace: Workspace) -> Context:
    """A round, a group and a target unit to put records in."""
    return make_context(workspace)
