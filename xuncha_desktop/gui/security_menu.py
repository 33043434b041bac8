"""The 安全 menu: 修改口令, 用户口令 (for the workspace's manager), the office recovery key, 审计日志,
备份与恢复 and 清理 (auto-lock adds its own entries to the same menu). Each command's module is imported
when first used, not at start-up."""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtGui import QAction

from xuncha_desktop.gui.menus import security_menu
from xuncha_desktop.services.security.user_slots import may_manage

if TYPE_CHECKING:
    from xuncha_desktop.gui.main_window import MainWindow

FIELD_ONLY = "field"
OFFICE_ONLY = "office"
MANAGER_ONLY = "manager"  # the office administrator, or a field laptop's 组长
# object name, text, "module:function" (a module under gui/) run with the window, where shown ("" everywhere)
ENTRIES = (
    ("changePassphraseAction", "修改口令(&P)…", "dialogs.passphrase_change_dialog:change_passphrase", ""),
    ("userPassphraseAction", "用户口令(&U)…", "dialogs.user_passphrase_dialog:open_dialog", MANAGER_ONLY),
    ("officeRecoveryAction", "巡察办恢复密钥(&K)…", "dialogs.recovery_dialog:show_status", FIELD_ONLY),
    (
        "recoverFieldAction",
        "恢复现场工作库口令(&F)…",
        "dialogs.recovery_dialog:recover_field_passphrase",
        OFFICE_ONLY,
    ),
    None,
    ("auditLogAction", "审计日志(&A)", "views.audit_log_view:open_view", ""),
    ("backupAction", "备份与恢复(&B)…", "dialogs.backup_dialog:open_dialog", ""),
    None,
    ("wipeAction", "清理工作库(&W)…", "dialogs.wipe_dialog:wipe_workspace", FIELD_ONLY),
)


def _runner(window: MainWindow, target: str) -> Callable[[], None]:
    module, function = target.split(":")

    def run() -> None:
        getattr(importlib.import_module(f"xuncha_desktop.gui.{module}"), function)(window)

    return run


def install(window: MainWindow) -> None:
    """Add the entries to the window's 安全 menu; which ones show follows the workspace shown."""
    menu = security_menu(window)
    placed: list[tuple[QAction, str]] = []
    for entry in ENTRIES:
        if entry is None:
            menu.addSeparator()
            continue
        name, text, target, where = entry
        action = QAction(text, window)
        action.setObjectName(name)
        action.triggered.connect(_runner(window, target))
        menu.addAction(action)
        placed.append((action, where))

    def update() -> None:
        office = window.workspace.info.is_office
        manager = may_manage(window.workspace)
        for action, where in placed:
            shown = manager if where == MANAGER_ONLY else where == (OFFICE_ONLY if office else FIELD_ONLY)
            action.setVisible(not where or shown)

    menu.aboutToShow.connect(update)
    update()
