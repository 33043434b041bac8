"""Laptops export, the office imports with preview, a person resolves the conflict: all through the GUI."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QDialog, QWidget
from pytestqt.qtbot import QtBot

from tests.builders import draft
from tests.sync_helpers import World, open_world
from xuncha_desktop.domain.issue_drafts import IssueDraft
from xuncha_desktop.domain.record_types import DRAFT
from xuncha_desktop.gui import sync_actions
from xuncha_desktop.gui.dialogs.import_dialog import ImportDialog
from xuncha_desktop.gui.sync_actions import ProvisionChoice
from xuncha_desktop.gui.views.conflicts_view import ConflictsView
from xuncha_desktop.services.records.conflicts import ConflictService
from xuncha_desktop.services.records.record_service import RecordService
from xuncha_desktop.services.workspace import Workspace

pytestmark = pytest.mark.e2e


@pytest.fixture
def world(world_template: Path, tmp_path: Path) -> Iterator[World]:
    w = open_world(world_template, tmp_path / "world")
    yield w
    w.close()


@pytest.fixture
def window(qtbot: QtBot) -> QWidget:
    widget = QWidget()
    qtbot.addWidget(widget)
    return widget


@pytest.fixture
def infos(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    shown: list[str] = []
    monkeypatch.setattr(sync_actions, "show_info", lambda _parent, _title, text: shown.append(text))
    return shown


def drafts(ws: Workspace) -> RecordService[IssueDraft]:
    return RecordService(ws, DRAFT)


def gui_export(
    qtbot: QtBot,
    window: QWidget,
    monkeypatch: pytest.MonkeyPatch,
    infos: list[str],
    ws: Workspace,
    target: Path,
) -> Path:
    """文件 → 导出工作包 → 仅导出未确认部分 → save as `target`."""
    monkeypatch.setattr(sync_actions, "ask_export_mode", lambda _parent: False)
    monkeypatch.setattr(sync_actions, "ask_save_package", lambda _parent, _title, default: target)
    count = len(infos)
    sync_actions.export_workspace(window, ws)
    qtbot.waitUntil(lambda: len(infos) > count, timeout=10_000)
    assert str(target) in infos[-1]
    return target


def gui_import(
    window: QWidget, monkeypatch: pytest.MonkeyPatch, ws: Workspace, files: list[Path]
) -> list[ImportDialog]:
    """文件 → 导入工作包 → choose `files` → 导入 in the preview → close the summary."""
    shown: list[ImportDialog] = []

    def show(dialog: ImportDialog) -> bool:
        shown.append(dialog)
        if dialog.import_button is None:
            return True
        dialog.import_button.click()
        return dialog.result() == QDialog.DialogCode.Accepted

    monkeypatch.setattr(sync_actions, "ask_open_packages", lambda _parent, _start: list(files))
    monkeypatch.setattr(sync_actions, "show_import_dialog", show)
    assert sync_actions.import_packages(window, ws) is True
    assert len(shown) == 2  # the preview, then the summary
    return shown


def column(dialog: ImportDialog, name: str) -> list[str]:
    headers = [dialog.table.horizontalHeaderItem(c).text() for c in range(dialog.table.columnCount())]
    index = headers.index(name)
    return [dialog.table.item(r, index).text() for r in range(dialog.table.rowCount())]


def test_laptops_export_office_imports_and_a_person_resolves_the_conflict(
    world: World, qtbot: QtBot, window: QWidget, monkeypatch: pytest.MonkeyPatch, infos: list[Any]
) -> None:
    a, b = world.fields[:2]
    out = world.root / "U盘"
    out.mkdir()

    # Member A writes a draft; the group leader B takes A's package on site.
    base = drafts(a).save(draft(world.ctx, title="公务接待超标准"))
    first = gui_export(qtbot, window, monkeypatch, infos, a, out / "组员1-第1次.xcpkg")
    gui_import(window, monkeypatch, b, [first])
    assert drafts(b).get(base.id).title == "公务接待超标准"

    # Both change the title apart, and both packages reach the office.
    drafts(a).save(dataclasses.replace(drafts(a).get(base.id), title="标题甲", suggestion="建议甲"))
    drafts(b).save(dataclasses.replace(drafts(b).get(base.id), title="标题乙"))
    from_a = gui_export(qtbot, window, monkeypatch, infos, a, out / "组员1-第2次.xcpkg")
    from_b = gui_export(qtbot, window, monkeypatch, infos, b, out / "组员2-第1次.xcpkg")
    preview, summary = gui_import(window, monkeypatch, world.office, [from_a, from_b])
    assert column(preview, "结果") == ["可导入", "可导入"]
    assert column(summary, "结果") == ["已导入", "已导入"]
    assert column(summary, "冲突")[1] == "1"
    assert "冲突处理" in column(summary, "说明")[1]

    # The office resolves the conflict field by field: B's title, A's suggestion merged automatically.
    view = ConflictsView(world.office)
    qtbot.addWidget(view)
    view.show()
    assert view.open_count() == 1 and view.table.item(0, 0).text() == base.number
    choices = view.field_choices()
    assert choices["title"].hard and not choices["suggestion"].hard
    detail = view.current_detail()
    assert detail is not None
    choices["title"].choose(next(i for i, s in enumerate(detail.sides) if s.body["title"] == "标题乙"))
    with qtbot.waitSignal(view.conflicts_changed) as changed:
        view.apply_button.click()
    assert changed.args == [0]
    assert ConflictService(world.office).count_open() == 0
    resolved = drafts(world.office).get(base.id)
    assert (resolved.title, resolved.suggestion) == ("标题乙", "建议甲")

    # The resolution travels back to laptop A with the office's next package.
    update = out / "巡察办更新.xcpkg"
    monkeypatch.setattr(
        sync_actions,
        "ask_provision",
        lambda _parent, choices, _roster: ProvisionChoice(choices[0].group_id, update, False),
    )
    count = len(infos)
    sync_actions.provision_group(window, world.office)
    qtbot.waitUntil(lambda: len(infos) > count, timeout=10_000)
    gui_import(window, monkeypatch, a, [update])
    assert drafts(a).get(base.id).title == "标题乙"
