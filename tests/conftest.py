"""Shared fixtures: headless Qt, the guard against unanswered dialogs, throw-away workspaces with a cheap KDF,
and record builders."""

from __future__ import annotations

import importlib
import os
import subprocess

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
        if QT_FIXTURES & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.gui)


# -- the one guard against modal dialogs -------------------------------------------------------------------
# Offscreen, a modal dialog that no test answers would hang the run instead of failing it. Every function of
# the window that opens one is listed here by module; a test that expects a dialog puts its own answer in
# its place (its monkeypatch comes after this guard's).
UNANSWERED_DIALOGS: dict[str, tuple[str, ...]] = {
    "xuncha_desktop.gui.messages": (
        "show_error",
        "show_info",
        "show_about",
        "show_shortcuts",
        "show_image",
        "ask_create_workspace",
        "ask_unsaved_changes",
        "ask_recover_form",
        "ask_text",
        "confirm_delete",
        "confirm_unlink",
        "exec_dialog",
        "choose_workspace_file",
        "choose_new_workspace_file",
        "choose_attachment_files",
        "choose_save_file",
        "confirm_cloud_folder",
        "pick_evidence",
    ),
    "xuncha_desktop.gui.sync_actions": (
        "ask_save_package",
        "ask_open_package",
        "ask_open_packages",
        "ask_code",
        "ask_provision",
        "ask_roster_passphrase",
        "show_code",
        "ask_reidentify",
        "ask_accept_identity",
        "show_import_dialog",
        "show_info",
    ),
    "xuncha_desktop.gui.dialogs.import_dialog": ("ask_report_path",),
    "xuncha_desktop.gui.dialogs.provision_dialog": ("ask_package_path", "ask_sheet_path"),
    "xuncha_desktop.gui.output_actions": (
        "show_preview",
        "show_ledger_import",
        "choose_ledger_file",
        "ask_ledger_scope",
    ),
    "xuncha_desktop.gui.dialogs.pdf_preview_dialog": ("ask_printer",),
    "xuncha_desktop.gui.dialogs.passphrase_dialog": ("ask_passphrase", "ask_new_passphrase"),
    "xuncha_desktop.gui.dialogs.user_passphrase_dialog": ("exec_dialog",),
    "xuncha_desktop.gui.rectification.scheme_dialog": ("ask_version",),
}
QT_FIXTURES = {"qtbot", "qapp"}
GUI_TESTS = Path(__file__).parent / "gui"


def unexpected_dialog(*args: object, **kwargs: object) -> None:
    raise AssertionError(f"unexpected dialog: {args} {kwargs}")


@pytest.fixture(autouse=True)
def no_unexpected_dialogs(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """In every test of the window (tests/gui, and any test with Qt): each dialog of UNANSWERED_DIALOGS fails
    the test unless the test answers it; at the end no background job is left running. Tests without Qt
    (services, the command line) are left alone: they never import the window."""
    if not (QT_FIXTURES & set(request.fixturenames) or request.path.is_relative_to(GUI_TESTS)):
        yield
        return
    from PySide6.QtCore import QThreadPool

    for module_name, names in UNANSWERED_DIALOGS.items():
        module = importlib.import_module(module_name)
        for name in names:
            monkeypatch.setattr(module, name, unexpected_dialog)
    yield
    assert QThreadPool.globalInstance().waitForDone(20_000), "a background job was still running"


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
    from xuncha_desktop.services.output import export_folders

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


@pytest.fixture(autouse=True)
def printed_pdfs_keep_line_breaking_rules(request: pytest.FixtureRequest) -> Iterator[None]:
    """After a test that used tmp_path, every PDF left there is read back: no line may start with closing
    punctuation or end with opening punctuation, and no heading may stand alone at a page's foot (#15).
    Files poppler cannot read (deliberately damaged ones) are left to the test."""
    if "tmp_path" not in request.fixturenames:
        yield
        return
    folder: Path = request.getfixturevalue("tmp_path")  # now, so it is torn down after this check
    yield
    from tests.pdf_lines import have_poppler, pdf_faults

    if not have_poppler():
        return
    faults = []
    for pdf in sorted(folder.rglob("*.pdf")):
        try:
            faults += [f"{pdf.name}：{fault}" for fault in pdf_faults(pdf)]
        except (OSError, ValueError, subprocess.CalledProcessError):
            continue
    if faults:
        pytest.fail("PDF 排版违反标点禁则：\n" + "\n".join(faults[:20]), pytrace=False)
