"""安全 → 清理工作库… (field workspaces): once the office has confirmed every local change, write the signed
notice the office imports, then delete the workspace, its key file and its backups. Afterwards the window
opens another workspace or closes: the data it showed is gone.

Who may wipe (domain README §3.2: "谁管理谁负责", 巡后清退 under the office's control): the 组长, the group's
联络员 (who keeps the group's data and material) and the office administrator collecting the laptops. Other
members ask one of them to open the laptop's workspace under their own name (--user)."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QDialog, QLabel, QLineEdit, QMessageBox, QPushButton, QWidget

from xuncha_desktop.domain import vocab
from xuncha_desktop.domain.organization import User
from xuncha_desktop.gui import export_folder, messages
from xuncha_desktop.gui.background import error_text, run_and_wait
from xuncha_desktop.gui.background_reads import wait_for_reads
from xuncha_desktop.gui.forms import child, load_form
from xuncha_desktop.services.progress import Cancelled
from xuncha_desktop.services.security import wipe
from xuncha_desktop.services.workspace import Workspace

if TYPE_CHECKING:
    from xuncha_desktop.gui.main_window import MainWindow

TITLE = "清理工作库"
REFUSED = "不能清理工作库"
CONFIRM_WORD = "清理"
WIPE_ROLES = ("组长", "联络员", vocab.OFFICE_ADMIN)
NOTICE_FILTER = "清理通知 (*.xcpkg);;所有文件 (*)"
SHOWN_FILES = 8


# -- dialogs (monkeypatch targets in tests) --------------------------------------------------------------
def exec_dialog(dialog: QDialog) -> bool:
    return dialog.exec() == QDialog.DialogCode.Accepted


def ask_open_another(parent: QWidget | None) -> bool:
    answer = QMessageBox.question(
        parent,
        "工作库已清理",
        "本机工作库已清理。是否打开其他工作库？\n\n选择“否”将关闭本窗口。",
        QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
        QMessageBox.StandardButton.No,
    )
    return answer == QMessageBox.StandardButton.Yes


# -- rules -----------------------------------------------------------------------------------------------
def role_refusal(user: User) -> str:
    """Why `user` may not wipe, in Chinese; "" when the role may."""
    if user.role in WIPE_ROLES:
        return ""
    return (
        f"清理须由组长、联络员或巡察办管理员进行（谁管理谁负责），当前用户“{user.display_name}”的角色是"
        f"{user.role}。请由组长或联络员以本人身份打开本工作库（启动时用 --user 指定用户）后再清理。"
    )


def refusal(workspace: Workspace) -> str:
    return role_refusal(workspace.user) or wipe.wipe_refusal(workspace)


class WipeDialog(QDialog):
    """Says what will be deleted and asks for the workspace's name (or 清理) before 清理 is enabled."""

    def __init__(self, workspace: Workspace, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(TITLE)
        self.setMinimumWidth(560)
        form = load_form("wipe_dialog.ui", self)
        self._name = workspace.path.stem
        files = wipe.workspace_files(workspace.path)
        self.confirm_edit = child(form, QLineEdit, "confirmEdit")
        self.wipe_button = child(form, QPushButton, "wipeButton")
        child(form, QLabel, "explanationLabel").setText(
            "巡察办已确认收到本机的全部修改，可以清理本机工作库。清理时先生成一份签名的清理通知"
            "（请交巡察办导入，巡察办据此登记本机已清理），然后关闭工作库，把以下文件先用零覆盖再删除。"
            "清理后无法恢复。"
        )
        names = "、".join(p.name for p in files[:SHOWN_FILES])
        more = f" 等共 {len(files)} 个文件" if len(files) > SHOWN_FILES else f"（共 {len(files)} 个文件）"
        child(form, QLabel, "filesLabel").setText(f"将删除：{names}{more}")
        child(form, QLabel, "confirmLabel").setText(
            f"请输入工作库名称“{self._name}”或“{CONFIRM_WORD}”以确认："
        )
        self.wipe_button.setEnabled(False)
        self.confirm_edit.textChanged.connect(self._on_text)
        self.wipe_button.clicked.connect(self.accept)
        child(form, QPushButton, "cancelButton").clicked.connect(self.reject)

    def _on_text(self, text: str) -> None:
        self.wipe_button.setEnabled(text.strip() in (self._name, CONFIRM_WORD))


# -- the command -----------------------------------------------------------------------------------------
def wipe_workspace(window: MainWindow) -> bool:
    """安全 → 清理工作库…; True when the workspace was wiped (the window then shows another or closes)."""
    ws = window.workspace
    reason = refusal(ws)
    if reason:
        messages.show_error(window, REFUSED, reason)
        return False
    if not exec_dialog(WipeDialog(ws, window)):
        return False
    default = export_folder.start_folder(window) / f"清理通知-{ws.path.stem}-{date.today():%Y%m%d}.xcpkg"
    chosen = messages.choose_save_file(window, "保存清理通知（交巡察办导入）", default, NOTICE_FILTER)
    if chosen is None or not window.confirm_leave_all():
        return False
    notice = chosen if chosen.suffix else chosen.with_suffix(".xcpkg")
    before = _stamp(notice)
    from xuncha_desktop.gui.views.audit_log_view import close_views

    close_views(window)
    wait_for_reads()  # nothing may still be reading the files about to go
    try:
        run_and_wait(window, "正在清理工作库", lambda _p: wipe.wipe_workspace(ws, notice))
    except Cancelled:
        return False
    except Exception as exc:
        messages.show_error(window, TITLE, error_text(exc))
        if _stamp(notice) in (None, before):
            return False  # refused before the notice was written: the workspace is as it was
    _after_wipe(window, notice)
    return True


def _stamp(path: Path) -> int | None:
    try:
        return path.stat().st_mtime_ns
    except OSError:
        return None


def _after_wipe(window: MainWindow, notice: Path) -> None:
    from xuncha_desktop.gui.workspace_opener import open_workspace

    name, folder = window.workspace.path.name, window.workspace.path.parent
    window.tabs.setEnabled(False)  # the lists show data whose files are gone: no more reading or editing
    messages.show_info(
        window,
        "清理完成",
        f"本机工作库“{name}”及其备份已删除。\n\n请把清理通知“{notice.name}”（保存在“{notice.parent}”）"
        "交巡察办导入，巡察办将据此登记本机已清理。",
    )
    if ask_open_another(window):
        path = messages.choose_workspace_file(window, folder)
        opened = open_workspace(window, path, settings=window.settings) if path is not None else None
        if opened is not None and window.set_workspace(opened):
            window.tabs.setEnabled(True)
            return
    window.close()
