"""巡察组质效评估 in 统计分析: choose the round and see the groups ranked with each line explained, change
the scheme in the scheme dialog as the 巡察办管理员 (a new version), 发布结果, and the published result
keeps its scores after the scheme changed; export and print what is shown."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QDoubleSpinBox
from pytestqt.qtbot import QtBot

from tests.builders import PASSPHRASE, Context
from tests.gui.dialogs import DialogScript
from tests.gui.rect_helpers import fill
from tests.unit.services.office_statistics.test_group_scoring import TODAY, build_round
from xuncha_desktop.gui import messages, output_actions
from xuncha_desktop.gui.rectification import scheme_dialog
from xuncha_desktop.gui.rectification.scheme_dialog import POINTS, SchemeDialog
from xuncha_desktop.gui.statistics import area, group_scoring_screen
from xuncha_desktop.gui.statistics.group_scoring_screen import GroupScoringScreen
from xuncha_desktop.gui.statistics.host import ScreenHost
from xuncha_desktop.services.office_statistics import group_scoring as gs
from xuncha_desktop.services.workspace import Workspace
from xuncha_desktop.storage.keyfile import KdfParams


@pytest.fixture
def office(tmp_path: Path) -> Iterator[Workspace]:
    ws = Workspace.create(tmp_path / "巡察办.xcdb", PASSPHRASE, office=True, kdf=KdfParams.cheap())
    yield ws
    ws.close()


@pytest.fixture
def screen(qtbot: QtBot, office: Workspace) -> tuple[GroupScoringScreen, Context]:
    a, _b = build_round(office)
    shown = GroupScoringScreen(ScreenHost(office, today=lambda: TODAY))
    qtbot.addWidget(shown)
    shown.resize(1366, 700)
    shown.show()
    shown.refresh()
    return shown, a


def _ranking(s: GroupScoringScreen) -> list[tuple[str, str, str]]:
    t = s.ranking
    return [tuple(t.item(r, c).text() for c in range(3)) for r in range(t.rowCount())]  # type: ignore[misc]


def test_registered_in_the_statistics_area() -> None:
    assert (group_scoring_screen.TITLE, GroupScoringScreen) in area.SCREENS


def test_rank_scheme_publish_and_keep(
    qtbot: QtBot,
    screen: tuple[GroupScoringScreen, Context],
    office: Workspace,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    s, a = screen
    assert s.round_combo.currentText() == "2025年第3轮巡察"
    assert s.scheme_combo.currentText() == "默认-1（当前）"
    before = gs.score_round(office, a.round.id, today=TODAY)
    assert _ranking(s) == [(str(g.rank), g.group_name, f"{g.score:g}") for g in before]
    s.ranking.setCurrentCell(1, 0)  # the second group: its lines
    second = before[1]
    assert s.group_label.text().find(second.group_name) >= 0
    assert [r[0] for r in s.line_rows()] == [x.label for x in second.lines]
    assert [r[3] for r in s.line_rows()] == [x.explanation for x in second.lines]

    # 发布结果 under 默认-1 (confirmed)
    asked: list[str] = []
    monkeypatch.setattr(group_scoring_screen, "confirm_publish", lambda _p, text: asked.append(text) or True)
    qtbot.mouseClick(s.buttons["publishButton"], Qt.MouseButton.LeftButton)
    assert "默认-1" in asked[0]
    entries = s.published_entries()
    assert len(entries) == 2 and "方案 默认-1" in entries[1] and s.published_list.currentRow() == 1

    # 评分方案…: 一般问题 50 分 per issue, saved as 2025-1 by the admin
    def change(dialog: SchemeDialog) -> bool:
        assert dialog.windowTitle() == "巡察组质效评估方案" and dialog.editing
        spin = dialog.spin(dialog.row_of("issues_general"), POINTS)
        assert isinstance(spin, QDoubleSpinBox)
        fill(spin, "50")
        spin.interpretText()
        dialog.save_button.click()
        return dialog.result() == QDialog.DialogCode.Accepted

    monkeypatch.setattr(scheme_dialog, "ask_version", lambda _p, _suggested: "2025-1")
    script = DialogScript(change)
    monkeypatch.setattr(messages, "exec_dialog", script)
    s.published_list.setCurrentRow(0)  # back to scoring now
    qtbot.mouseClick(s.buttons["schemeButton"], Qt.MouseButton.LeftButton)
    assert len(script.dialogs) == 1 and gs.load_scheme(office).version == "2025-1"
    assert s.scheme_combo.currentData() == "2025-1"
    now = gs.score_round(office, a.round.id, today=TODAY)
    assert _ranking(s) == [(str(g.rank), g.group_name, f"{g.score:g}") for g in now] != _ranking_of(before)

    # the published result, chosen, shows the old scores and lines
    s.published_list.setCurrentRow(1)
    assert _ranking(s) == _ranking_of(before)
    assert "不随评分方案改变" in s.info_label.text() and not s.scheme_combo.isEnabled()
    assert [r[2] for r in s.line_rows()] == [f"{x.points:g}" for x in before[0].lines]
    s.refresh()  # a re-read keeps showing it
    assert s.published_list.currentRow() == 1 and _ranking(s) == _ranking_of(before)


def _ranking_of(ranked: list[gs.GroupScore]) -> list[tuple[str, str, str]]:
    return [(str(g.rank), g.group_name, f"{g.score:g}") for g in ranked]


def test_export_and_print_what_is_shown(
    qtbot: QtBot,
    screen: tuple[GroupScoringScreen, Context],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    s, _a = screen
    target = tmp_path / "评估.xlsx"
    monkeypatch.setattr(messages, "choose_save_file", lambda *_a: target)
    infos: list[str] = []
    monkeypatch.setattr(messages, "show_info", lambda _p, _t, text: infos.append(text))
    qtbot.mouseClick(s.buttons["exportButton"], Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(infos), timeout=20000)
    assert target.exists() and "评估排名：2 行" in infos[0]
    previews: list[Any] = []
    monkeypatch.setattr(output_actions, "show_preview", previews.append)
    qtbot.mouseClick(s.buttons["printButton"], Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(previews), timeout=30000)
    assert group_scoring_screen.TITLE in previews[0].windowTitle()
    previews[0].close()


def test_screen_at_1366(qtbot: QtBot, screen: tuple[GroupScoringScreen, Context]) -> None:
    """At 1366×768 every line of the first group is readable without scrolling sideways."""
    s, _a = screen
    s.resize(1366, 768)
    s.ranking.setCurrentCell(0, 0)
    qtbot.wait(50)
    out = Path("/tmp/gs-shots")
    if out.is_dir():
        s.grab().save(str(out / "group-scoring-screen.png"))
    assert s.lines.rowCount() > 5 and s.lines.horizontalScrollBar().maximum() == 0
