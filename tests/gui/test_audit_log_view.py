"""安全 → 审计日志 on real widgets: entries after edits, filters, field changes, paging, the chain check."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import QDate, Qt, QThreadPool
from PySide6.QtGui import QAction
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QComboBox, QPushButton
from pytestqt.qtbot import QtBot
from sqlalchemy import update

from tests.builders import PASSPHRASE, sign_in_as
from tests.gui.conftest import Filled
from tests.gui.keys import ime_commit
from xuncha_desktop.domain.errors import WrongPassphrase
from xuncha_desktop.domain.issue_drafts import IssueDraft
from xuncha_desktop.domain.record_types import DRAFT
from xuncha_desktop.gui.main_window import MainWindow
from xuncha_desktop.gui.views.audit_log_view import BROKEN, CHECKING, AuditLogView
from xuncha_desktop.services.output.pdf_export import print_records
from xuncha_desktop.services.records.record_service import RecordService
from xuncha_desktop.services.security.sign_in_attempts import AttemptGuard
from xuncha_desktop.services.workspace import Workspace
from xuncha_desktop.storage.keyfile import KdfParams
from xuncha_desktop.storage.tables import audit_log

NEW_TITLE = "违规发放津补贴（已核实）"


@pytest.fixture(autouse=True)
def no_reads_left() -> Iterator[None]:
    yield
    assert QThreadPool.globalInstance().waitForDone(10_000)


def _edit_title(ws: Workspace, filled: Filled) -> IssueDraft:
    drafts = RecordService[IssueDraft](ws, DRAFT)
    stored = drafts.get(filled.drafts[0].id)
    return drafts.save(dataclasses.replace(stored, title=NEW_TITLE))


def _open(window: MainWindow, qtbot: QtBot) -> AuditLogView:
    window.findChild(QAction, "auditLogAction").trigger()
    [view] = [v for v in window.findChildren(AuditLogView) if v.isVisible()]
    qtbot.waitUntil(lambda: view.chain_label.text() != CHECKING, timeout=10_000)
    return view


def _column(view: AuditLogView, header: str) -> list[str]:
    model = view.model
    column = [model.headerData(c, Qt.Orientation.Horizontal) for c in range(model.columnCount())]
    index = column.index(header)
    return [model.data(model.index(r, index)) for r in range(model.rowCount())]


def _choose(combo: QComboBox, text: str) -> None:
    combo.setCurrentIndex(combo.findText(text))


def test_edits_are_listed_with_what_changed(main_window: MainWindow, filled: Filled, qtbot: QtBot) -> None:
    edited = _edit_title(main_window.workspace, filled)
    view = _open(main_window, qtbot)
    assert view.windowTitle() == "审计日志 — 现场工作库.xcdb"
    assert _column(view, "操作")[0] == "修改"
    assert _column(view, "记录")[0] == f"问题底稿 {edited.number}"
    assert _column(view, "内容摘要")[0] == f"问题标题：违规发放津补贴12.6万元 → {NEW_TITLE}"
    assert _column(view, "用户")[0] == main_window.workspace.user.display_name
    assert view.detail_rows() == [["问题标题", "违规发放津补贴12.6万元", NEW_TITLE]]  # the newest is selected
    assert "修改" in view.detail_title() and edited.number in view.detail_title()
    assert view.count_label.text() == f"共 {view.model.rowCount()} 条"
    view.close()


def test_a_creation_shows_the_fields_it_filled(main_window: MainWindow, qtbot: QtBot) -> None:
    view = _open(main_window, qtbot)
    _choose(view.action_combo, "新建")
    _choose(view.type_combo, "问题线索")
    assert _column(view, "操作") == ["新建"]
    view.table.selectRow(0)
    fields = {row[0]: row[2] for row in view.detail_rows()}
    assert fields["被反映人"] == "赵有才" and fields["涉及纪律"] == "廉洁纪律"
    view.close()


def test_filters_by_user_action_date_and_text(main_window: MainWindow, filled: Filled, qtbot: QtBot) -> None:
    with sign_in_as(main_window.workspace, "liming") as as_member:
        _edit_title(as_member, filled)
    view = _open(main_window, qtbot)
    everything = view.model.rowCount()
    _choose(view.user_combo, "李明（liming）")
    assert _column(view, "用户") == ["李明（liming）"] and _column(view, "操作") == ["修改"]
    _choose(view.user_combo, "全部用户")
    _choose(view.action_combo, "修改")
    assert set(_column(view, "操作")) == {"修改"}
    view.clear_filters()
    assert view.model.rowCount() == everything
    view.date_from.setDate(QDate(date.today() + timedelta(days=1)))
    assert view.model.rowCount() == 0 and view.count_label.text() == "共 0 条"
    assert view.detail_title() == "没有符合条件的审计记录。"
    view.date_from.setDate(QDate(date.today()))
    assert view.model.rowCount() == everything
    ime_commit(view.search_edit, "已核实")
    QTest.keyClick(view.search_edit, Qt.Key.Key_Return)
    assert _column(view, "用户") == ["李明（liming）"]
    view.close()


def test_a_tampered_row_is_reported_where_the_chain_breaks(
    main_window: MainWindow, filled: Filled, qtbot: QtBot
) -> None:
    _edit_title(main_window.workspace, filled)
    view = _open(main_window, qtbot)
    rows = view.model.rowCount()
    assert view.chain_label.text() == f"审计记录完整：共 {rows} 条，哈希链校验通过"
    seq = view.model.entry(0).seq
    with main_window.workspace.engine.begin() as conn:  # someone edits the log behind the program's back
        conn.execute(update(audit_log).where(audit_log.c.seq == seq).values(changes='{"title":["甲","乙"]}'))
    view.findChild(QPushButton, "refreshButton").click()
    qtbot.waitUntil(lambda: view.chain_label.text() != CHECKING, timeout=10_000)
    assert view.chain_label.text().startswith(
        f"审计记录不完整：哈希链在第 {seq} 条处断开，该条的内容与其哈希值不符"
    )
    model = view.model
    assert model.data(model.index(0, 0), Qt.ItemDataRole.BackgroundRole) == BROKEN
    assert "哈希链在此断开" in model.data(model.index(0, 5), Qt.ItemDataRole.ToolTipRole)
    assert model.data(model.index(1, 0), Qt.ItemDataRole.BackgroundRole) is None
    view.close()


def test_long_logs_are_paged_and_counted_in_the_background(main_window: MainWindow, qtbot: QtBot) -> None:
    with main_window.workspace.writing() as writer:
        for i in range(450):
            writer.log("export", file=f"工作包{i}.xcpkg", package_id=f"{i:032d}", revisions=i)
    view = _open(main_window, qtbot)
    assert view.model.rowCount() == 200
    qtbot.waitUntil(lambda: view.model.total() is not None, timeout=10_000)
    total = view.model.total()
    assert total is not None and total > 450 and view.count_label.text() == f"共 {total} 条"
    assert _column(view, "内容摘要")[0] == "导出工作包“工作包449.xcpkg”（449 条修订）"
    view.table.scrollToBottom()
    qtbot.waitUntil(lambda: view.model.rowCount() > 200)
    while view.model.canFetchMore():
        view.model.fetchMore()
    assert view.model.rowCount() == total
    seqs = [view.model.entry(r).seq for r in range(total)]
    assert seqs == sorted(seqs, reverse=True) and len(set(seqs)) == total
    view.table.selectRow(0)
    assert view.detail_rows()[:2] == [["文件", "工作包449.xcpkg"], ["工作包标识", f"{449:032d}"]]
    view.close()


def test_the_view_closes_when_the_window_shows_another_workspace(
    main_window: MainWindow, qtbot: QtBot, tmp_path: Path
) -> None:
    view = _open(main_window, qtbot)
    other = Workspace.create(tmp_path / "另一个.xcdb", PASSPHRASE, kdf=KdfParams.cheap())
    assert main_window.set_workspace(other)
    view.apply_filters()
    qtbot.waitUntil(lambda: not view.isVisible())
    again = _open(main_window, qtbot)
    assert again is not view and again.windowTitle() == "审计日志 — 另一个.xcdb"
    again.close()


def test_prints_and_failed_sign_ins_are_shown_in_chinese(
    main_window: MainWindow, qtbot: QtBot, tmp_path: Path
) -> None:
    ws = main_window.workspace
    print_records(ws, "interview", tmp_path / "谈话记录.pdf")
    ws.lock()
    with pytest.raises(WrongPassphrase):
        ws.unlock("不是这个口令-0000", guard=AttemptGuard(schedule=lambda n: 0.0))
    ws.unlock(PASSPHRASE, guard=AttemptGuard(schedule=lambda n: 0.0))
    view = _open(main_window, qtbot)
    actions = dict(zip(_column(view, "操作"), _column(view, "内容摘要"), strict=False))
    assert actions["打印"] == "打印个别谈话记录（3 份）：“谈话记录.pdf”"
    assert actions["口令错误（登录失败）"].startswith("登录名“管理员”锁定后解锁时口令错误 1 次（")
    _choose(view.action_combo, "口令错误（登录失败）")
    assert _column(view, "用户") == ["系统"]
    view.table.selectRow(0)
    assert ["登录名", "管理员"] in [row[:2] for row in view.detail_rows()]
    view.close()
