"""备份与恢复: the workspace's encrypted backups with time, kind and size; 立即备份; restoring one (which
gives the workspace a new incarnation) and re-opening it in the window. The same list offers a backup
when a workspace cannot be opened because its file is damaged."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtWidgets import (
    QDialog,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QWidget,
)

from xuncha_desktop.domain.errors import WrongPassphrase
from xuncha_desktop.gui import messages
from xuncha_desktop.gui.background import error_text, run_and_wait
from xuncha_desktop.gui.background_reads import wait_for_reads
from xuncha_desktop.gui.dialogs.passphrase_dialog import PassphraseDialog
from xuncha_desktop.gui.forms import child, load_form
from xuncha_desktop.services.progress import Cancelled, Progress
from xuncha_desktop.services.security import backups, keys
from xuncha_desktop.services.security.backups import BackupInfo, RestoreReport
from xuncha_desktop.services.workspace import Workspace, WorkspaceLock

if TYPE_CHECKING:
    from xuncha_desktop.gui.main_window import MainWindow

TITLE = "备份与恢复"
RESTORE_FAILED = "无法从备份恢复"
RESTORED_TITLE = "已从备份恢复"
HEADERS = ("备份时间", "类型", "大小", "文件")
EXPLANATION = (
    "备份保存在工作库旁的“备份”文件夹中，与工作库一样全程加密。每天第一次打开工作库时、每次导入工作包前"
    "和软件升级前都会自动备份；较早的备份会自动精简（保留最近 7 天的全部备份，之后每周、每月各保留一份）。"
)
WRONG_BACKUP_PASSPHRASE = "口令不正确。请输入该备份当时使用的口令（此后修改过口令的，请输入修改前的口令）。"


# -- dialogs (monkeypatch targets in tests) --------------------------------------------------------------
def exec_dialog(dialog: QDialog) -> bool:
    return dialog.exec() == QDialog.DialogCode.Accepted


def ask_backup_passphrase(parent: QWidget | None, backup: BackupInfo, error: str = "") -> str | None:
    dialog = PassphraseDialog(
        f"请输入备份“{backup.path.name}”（{backup.description}）当时使用的工作库口令：",
        error=error,
        parent=parent,
    )
    return dialog.passphrase() if dialog.exec() == QDialog.DialogCode.Accepted else None


def ask_confirm_restore(parent: QWidget | None, backup: BackupInfo, name: str) -> bool:
    answer = QMessageBox.question(
        parent,
        "从备份恢复",
        f"确定要用 {backup.description} 的备份替换工作库“{name}”吗？\n\n"
        "备份之后在本机所做的修改不会出现在恢复后的工作库中；当前的工作库文件不会删除，"
        "而是改名保留在原文件夹中。恢复时需要输入备份当时使用的口令。",
        QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
        QMessageBox.StandardButton.No,
    )
    return answer == QMessageBox.StandardButton.Yes


# -- texts -----------------------------------------------------------------------------------------------
def size_text(path: Path) -> str:
    try:
        size: float = path.stat().st_size
    except OSError:
        return "—"
    for unit in ("B", "KB", "MB"):
        if size < 1024:
            return f"{size:.0f} {unit}" if unit == "B" else f"{size:.1f} {unit}"
        size /= 1024
    return f"{size:.2f} GB"


def restored_text(report: RestoreReport) -> str:
    kept = f"原来的工作库文件已改名保留为“{report.set_aside[0].name}”。" if report.set_aside else ""
    return (
        f"已用备份“{report.backup.name}”恢复工作库“{report.target.name}”。\n\n"
        f"恢复后的工作库已启用新的代次编号（由第 {report.incarnation_before} 代变为"
        f"第 {report.incarnation} 代），"
        "此后导出的工作包不会与恢复前导出的混淆。备份之后所做的修改不在恢复后的工作库中。"
        f"{kept}\n\n请用备份当时的口令打开本工作库，并尽快“完整导出”一次工作包交巡察办。"
    )


# -- restoring -------------------------------------------------------------------------------------------
def restore_and_open(
    parent: QWidget | None,
    backup: BackupInfo,
    target: Path,
    passphrase: str | None,
    *,
    user: str | None,
    lock: WorkspaceLock | None = None,
) -> Workspace | None:
    """Restore `backup` over `target` in the background and open the result; None when the user gave up
    (every failure has been shown). `passphrase` is tried first, then the user is asked. `lock`: the
    window's hold on `target`, which the restore and the restored workspace share."""
    error = ""
    while True:
        secret = passphrase if passphrase is not None else ask_backup_passphrase(parent, backup, error)
        passphrase = None
        if secret is None:
            return None

        def restore(_progress: Progress, s: str = secret) -> RestoreReport:
            return backups.restore(backup.path, target, s, user_login=user, lock=lock)

        try:
            report = run_and_wait(parent, "正在从备份恢复", restore)
            opened = keys.open_workspace(target, secret, user_login=user, lock=lock)
        except WrongPassphrase:
            error = WRONG_BACKUP_PASSPHRASE
            continue
        except Cancelled:
            return None
        except Exception as exc:  # shown in Chinese; an unexpected one as such
            messages.show_error(parent, RESTORE_FAILED, error_text(exc))
            return None
        messages.show_info(parent, RESTORED_TITLE, restored_text(report))
        return opened


def offer_restore(
    parent: QWidget | None,
    target: Path,
    problem: str,
    found: Sequence[BackupInfo],
    passphrase: str | None,
    *,
    user: str | None = None,
) -> Workspace | None:
    """A workspace that cannot be opened: show why, let the user pick a backup (the newest is selected) and
    restore it; the restored workspace, or None."""
    dialog = BackupDialog(None, parent, offer=(problem, list(found)))
    if not exec_dialog(dialog) or dialog.selected() is None:
        return None
    chosen = dialog.selected()
    assert chosen is not None
    return restore_and_open(parent, chosen, target, passphrase, user=user)


def open_dialog(window: MainWindow) -> None:
    """安全 → 备份与恢复…"""
    exec_dialog(BackupDialog(window, window))


class BackupDialog(QDialog):
    """With a window: its workspace's backups, 立即备份 and 从所选备份恢复 (the window then shows the restored
    workspace). With `offer` (why a workspace cannot be opened, its backups): choose the backup to restore."""

    def __init__(
        self,
        window: MainWindow | None,
        parent: QWidget | None = None,
        *,
        offer: tuple[str, list[BackupInfo]] | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(TITLE if offer is None else "工作库无法打开")
        self.setMinimumSize(680, 380)
        form = load_form("backup_dialog.ui", self)
        self._window = window
        self._backups: list[BackupInfo] = []
        self._message = child(form, QLabel, "messageLabel")
        self._status = child(form, QLabel, "statusLabel")
        self._table = child(form, QTableWidget, "backupTable")
        self.backup_button = child(form, QPushButton, "backupNowButton")
        self.restore_button = child(form, QPushButton, "restoreButton")
        self.close_button = child(form, QPushButton, "closeButton")
        self._table.setColumnCount(len(HEADERS))
        self._table.setHorizontalHeaderLabels(list(HEADERS))
        self._table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self._table.itemSelectionChanged.connect(self._update_buttons)
        self.close_button.clicked.connect(self.reject)
        if offer is None:
            self._message.setText(EXPLANATION)
            self.backup_button.clicked.connect(self.backup_now)
            self.restore_button.clicked.connect(self.restore_selected)
            self.reload()
        else:
            problem, found = offer
            self._message.setText(f"{problem}\n\n请选择用哪一份备份恢复（已选中最新的一份）：")
            self.backup_button.setVisible(False)
            self.restore_button.setText("用所选备份恢复(&R)…")
            self.close_button.setText("取消")
            self.restore_button.clicked.connect(self.accept)
            self._show(found)
        self._update_buttons()

    @property
    def table(self) -> QTableWidget:
        return self._table

    def backups(self) -> list[BackupInfo]:
        return list(self._backups)

    def status_text(self) -> str:
        return self._status.text()

    def selected(self) -> BackupInfo | None:
        rows = {i.row() for i in self._table.selectedIndexes()}
        return self._backups[min(rows)] if rows else None

    def select(self, row: int) -> None:
        self._table.selectRow(row)

    def reload(self) -> None:
        assert self._window is not None
        self._show(backups.list_backups(self._window.workspace.path))

    def _show(self, found: list[BackupInfo]) -> None:
        self._backups = found
        self._table.setRowCount(len(found))
        for row, backup in enumerate(found):
            cells = (
                f"{backup.taken_at:%Y-%m-%d %H:%M:%S}",
                backup.label,
                size_text(backup.path),
                backup.path.name,
            )
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setToolTip(str(backup.path) if column == 3 else text)
                self._table.setItem(row, column, item)
        if found:
            self._table.selectRow(0)
        elif self._window is not None:
            self._status.setText("还没有备份。点击“立即备份”做第一份备份。")

    def _update_buttons(self) -> None:
        self.restore_button.setEnabled(self.selected() is not None)

    # -- manager mode ----------------------------------------------------------------------------------
    def backup_now(self) -> None:
        assert self._window is not None
        ws = self._window.workspace
        try:
            target = run_and_wait(self, "正在备份", lambda _p: backups.take_backup(ws, "手动"))
        except Cancelled:
            return
        except Exception as exc:
            messages.show_error(self, "备份失败", error_text(exc))
            return
        self.reload()
        row = next((i for i, b in enumerate(self._backups) if b.path == target), 0)
        self._table.selectRow(row)
        self._status.setText(f"已备份到“{target.name}”（{size_text(target)}）。")

    def restore_selected(self) -> None:
        """Replace the window's workspace with the selected backup, then show the restored one."""
        window, backup = self._window, self.selected()
        if window is None or backup is None:
            return
        ws = window.workspace
        if not ask_confirm_restore(self, backup, ws.path.name) or not window.confirm_leave_all():
            return
        path, login = ws.path, ws.user.login
        from xuncha_desktop.gui.views.audit_log_view import close_views

        close_views(window)
        wait_for_reads()
        # Windows cannot move an open file aside: close the connections, not the workspace, whose lock keeps
        # other programs out during the restore and whose engine reconnects if the restore fails.
        ws.engine.dispose()
        restored = restore_and_open(self, backup, path, None, user=login, lock=ws.file_lock)
        if restored is None:
            return
        window.set_workspace(restored)
        self.accept()
