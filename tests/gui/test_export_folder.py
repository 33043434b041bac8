"""Where exports go: Documents first, then the folder last used, never the data folder; an unencrypted
file saved into a folder a cloud client synchronises is confirmed once per folder."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QThreadPool
from pytestqt.qtbot import QtBot

from tests.builders import Context, lead
from xuncha_desktop.domain.record_types import LEAD
from xuncha_desktop.gui import messages, output_actions
from xuncha_desktop.services.records.record_service import RecordService
from xuncha_desktop.services.workspace import Workspace


class Exports:
    """Answers the save dialog with the next target and records where it started and what was asked."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.targets: list[Path] = []
        self.started_in: list[Path] = []
        self.cloud_asked: list[tuple[Path, str]] = []
        self.cloud_answer = True
        self.infos: list[str] = []
        monkeypatch.setattr(messages, "choose_save_file", self._choose)
        monkeypatch.setattr(messages, "confirm_cloud_folder", self._cloud)
        monkeypatch.setattr(messages, "show_info", lambda _p, _t, text: self.infos.append(text))

    def _choose(self, _parent: object, _title: str, default: Path, _filter: str) -> Path:
        self.started_in.append(default.parent)
        return self.targets.pop(0)

    def _cloud(self, _parent: object, folder: Path, service: str) -> bool:
        self.cloud_asked.append((folder, service))
        return self.cloud_answer

    def ledger(self, qtbot: QtBot, workspace: Workspace, target: Path) -> None:
        self.targets.append(target)
        before = len(self.infos)
        output_actions.export_ledger(None, workspace, "lead")
        if target.parent.is_dir() and self.cloud_answer:
            qtbot.waitUntil(lambda: len(self.infos) > before, timeout=20_000)
        assert QThreadPool.globalInstance().waitForDone(20_000)


@pytest.fixture
def exports(monkeypatch: pytest.MonkeyPatch, workspace: Workspace, ctx: Context) -> Exports:
    RecordService(workspace, LEAD).save(lead(ctx))
    return Exports(monkeypatch)


def test_exports_start_in_documents_then_in_the_folder_last_used(
    qtbot: QtBot, workspace: Workspace, exports: Exports, documents_folder: Path, tmp_path: Path
) -> None:
    chosen = tmp_path / "上报材料"
    chosen.mkdir()
    exports.ledger(qtbot, workspace, chosen / "线索台账.xlsx")
    exports.ledger(qtbot, workspace, chosen / "线索台账2.xlsx")
    assert exports.started_in == [documents_folder, chosen]
    assert workspace.path.parent not in exports.started_in
    assert (chosen / "线索台账2.xlsx").is_file()


def test_a_folder_inside_the_data_folder_is_never_offered(
    qtbot: QtBot,
    workspace: Workspace,
    exports: Exports,
    documents_folder: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from xuncha_desktop.paths import AppPaths

    data = workspace.path.parent  # the workspace lives in the per-user data folder
    monkeypatch.setattr(AppPaths, "create", classmethod(lambda cls, data_dir=None: cls(data)))
    exports.ledger(qtbot, workspace, data / "误存.xlsx")
    exports.ledger(qtbot, workspace, documents_folder / "线索台账.xlsx")
    assert exports.started_in == [documents_folder, documents_folder]


def test_a_onedrive_folder_is_confirmed_once_and_a_refusal_writes_nothing(
    qtbot: QtBot, workspace: Workspace, exports: Exports, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cloud = tmp_path / "OneDrive - 清河县纪委"
    (cloud / "文档").mkdir(parents=True)
    monkeypatch.setenv("OneDriveCommercial", str(cloud))
    exports.cloud_answer = False
    exports.ledger(qtbot, workspace, cloud / "文档" / "线索台账.xlsx")
    assert not (cloud / "文档" / "线索台账.xlsx").exists()
    exports.cloud_answer = True
    exports.ledger(qtbot, workspace, cloud / "文档" / "线索台账.xlsx")
    exports.ledger(qtbot, workspace, cloud / "文档" / "线索台账-2.xlsx")
    assert exports.cloud_asked == [(cloud / "文档", "OneDrive")] * 2  # refused once, accepted once
    assert (cloud / "文档" / "线索台账.xlsx").is_file() and (cloud / "文档" / "线索台账-2.xlsx").is_file()
