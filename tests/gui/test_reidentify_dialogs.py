"""文件 → 重新确定身份 on the refused copy, and the office's confirmation in 导入工作包: dialogs replaced,
services and background jobs real."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from tests.builders import PASSPHRASE, draft
from tests.gui.dialogs import DialogScript
from tests.sync_helpers import World
from xuncha_desktop.domain.record_types import DRAFT
from xuncha_desktop.gui import sync_actions
from xuncha_desktop.gui.dialogs.import_dialog import ImportDialog
from xuncha_desktop.services import sync
from xuncha_desktop.services.records.record_service import RecordService
from xuncha_desktop.services.sync import ImportReport
from xuncha_desktop.services.workspace import Workspace


@pytest.fixture
def parent(qtbot: QtBot) -> QWidget:
    widget = QWidget()
    qtbot.addWidget(widget)
    return widget


@pytest.fixture
def clone(world: World, tmp_path: Path) -> Iterator[Workspace]:
    """A copy of laptop 1; each copy writes a draft and the original's package is already at the office."""
    a = world.fields[0]
    a.close()
    path = tmp_path / "复制机.xcdb"
    shutil.copy(a.path, path)
    shutil.copy(Path(f"{a.path}.key"), Path(f"{path}.key"))
    world.fields[0] = Workspace.open(a.path, PASSPHRASE)
    copy = Workspace.open(path, PASSPHRASE)
    RecordService(world.fields[0], DRAFT).save(draft(world.ctx, title="原机新增"))
    RecordService(copy, DRAFT).save(draft(world.ctx, title="复制机新增"))
    sync.import_packages(world.office, [world.export(world.fields[0])])
    yield copy
    copy.close()


def press_import(dialog: ImportDialog) -> bool:
    assert dialog.import_button is not None
    dialog.import_button.click()
    return True


def test_the_refused_copy_takes_a_new_identity_and_the_office_confirms_it(
    world: World, clone: Workspace, parent: QWidget, monkeypatch: pytest.MonkeyPatch, qtbot: QtBot
) -> None:
    update = world.package_path("office-update")
    sync.provision_package(world.office, update)
    before = clone.info.replica_id
    shown: list[tuple[str, str]] = []
    monkeypatch.setattr(sync_actions, "ask_reidentify", lambda _parent: "package")
    monkeypatch.setattr(sync_actions, "ask_open_package", lambda _parent, _start: update)
    monkeypatch.setattr(sync_actions, "show_info", lambda _p, title, text: shown.append((title, text)))

    sync_actions.reidentify_workspace(parent, clone)
    qtbot.waitUntil(lambda: bool(shown), timeout=10_000)

    [(title, text)] = shown
    assert title == "重新确定身份"
    assert "以新身份重新签发修订：1 条" in text and "下一步：导入巡察办的配置包" in text
    assert clone.info.replica_id != before
    sync.import_packages(clone, [update])
    package = world.export(clone)

    asked: list[list[ImportReport]] = []

    def accept(_parent: Any, reports: list[ImportReport]) -> bool:
        asked.append(reports)
        return True

    monkeypatch.setattr(sync_actions, "ask_open_packages", lambda _parent, _start: [package])
    monkeypatch.setattr(sync_actions, "ask_accept_identity", accept)
    script = DialogScript(press_import, lambda _dialog: True)
    monkeypatch.setattr(sync_actions, "show_import_dialog", script)

    assert sync_actions.import_packages(parent, world.office) is True

    [[pending]] = asked
    assert pending.needs_confirmation and "重新确定过身份" in (pending.error or "")
    titles = {d.title for d in RecordService(world.office, DRAFT).list()}
    assert titles == {"原机新增", "复制机新增"}


def test_declining_the_new_identity_imports_nothing(
    world: World, clone: Workspace, parent: QWidget, monkeypatch: pytest.MonkeyPatch
) -> None:
    from xuncha_desktop.services.sync.reidentify import reidentify

    reidentify(clone)
    package = world.export(clone)
    monkeypatch.setattr(sync_actions, "ask_open_packages", lambda _parent, _start: [package])
    monkeypatch.setattr(sync_actions, "ask_accept_identity", lambda _parent, _reports: False)
    script = DialogScript(lambda _dialog: False)
    monkeypatch.setattr(sync_actions, "show_import_dialog", script)

    assert sync_actions.import_packages(parent, world.office) is False
    [preview] = script.dialogs
    assert preview.reports[0].status == "rejected" and preview.reports[0].needs_confirmation
    assert {d.title for d in RecordService(world.office, DRAFT).list()} == {"原机新增"}


def test_cancelling_the_question_changes_nothing(
    clone: Workspace, parent: QWidget, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = clone.info.replica_id
    monkeypatch.setattr(sync_actions, "ask_reidentify", lambda _parent: None)
    sync_actions.reidentify_workspace(parent, clone)
    assert clone.info.replica_id == before


def test_the_office_cannot_take_a_new_identity(
    world: World, parent: QWidget, errors: list[tuple[str, str]]
) -> None:
    sync_actions.reidentify_workspace(parent, world.office)
    assert errors == [("重新确定身份", "巡察办工作库不能重新确定身份")]
